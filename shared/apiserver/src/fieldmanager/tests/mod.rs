//! Behaviour tests of apply and update through the public API.
#![allow(clippy::unwrap_used)]
