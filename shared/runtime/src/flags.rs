//! The command-line flags every Flux controller shares, with Flux's names and defaults.
