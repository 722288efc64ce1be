//! Adding and removing finalizers.fluxcd.io.
