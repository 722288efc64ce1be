//! Integration tests of fluxion-sops against fixtures encrypted by the real `sops` binary with
//! keys made by the real `age-keygen` and `gpg`; `sops decrypt` is the oracle for file output.

mod files;
mod harness;
mod integrity;
mod keys;
mod objects;
mod rules;
