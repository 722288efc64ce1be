//! fluxion-ssa: Flux's server-side apply engine (fluxcd/pkg `ssa`) and kstatus health rules.
//!
//! A [`ResourceManager`] applies objects the way Flux's controllers do: a server-side dry-run
//! first, compared with the live object to tell created / configured / unchanged apart, then
//! the real apply under the owner's field manager with force. [`ResourceManager::apply_all_staged`]
//! applies definitions (CRDs, Namespaces, ClusterRoles) first and waits for them, then `*Class`
//! kinds, then everything else. Pruning ([`ResourceManager::delete_all`]) honours owner labels and
//! exclusion annotations; [`ResourceManager::wait_for_set`] polls [`kstatus::compute`] until
//! every object is Current.
//!
//! Pure decisions (stage partitioning, drift, cleanup patches, selectors, ordering) live in
//! [`plan`] and are unit-tested without a cluster.

pub mod changeset;
pub mod error;
pub mod kstatus;
pub mod manager;
pub mod normalize;
pub mod objmeta;
pub mod options;
pub mod plan;
pub mod read;
pub mod unstructured;

pub use changeset::{Action, ChangeSet, ChangeSetEntry};
pub use error::{SsaError, WaitError};
pub use manager::{KindCache, ResourceManager};
pub use objmeta::ObjMetadata;
pub use options::{
    ApplyCleanupOptions, ApplyOptions, DeleteOptions, FieldManager, ManagedFieldsOperation, Owner,
    WaitOptions,
};
pub use tokio_util::sync::CancellationToken;
