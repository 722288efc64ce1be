//! fluxion-runtime
