//! Condition reasons and Event reasons of notification-controller (fluxcd/notification-controller
//! api/v1), plus the shared fluxcd/pkg meta reason it uses, re-exported from [`crate::conditions`].

pub use crate::conditions::INVALID_CEL_EXPRESSION_REASON;

/// The object was initialized (Ready reason of the v1beta2 Provider and Alert).
pub const INITIALIZED_REASON: &str = "Initialized";
/// Part of the spec failed validation; the object is Stalled until the spec changes.
pub const VALIDATION_FAILED_REASON: &str = "ValidationFailed";
/// The Receiver's Secret is missing or has no `token` key.
pub const TOKEN_NOT_FOUND_REASON: &str = "TokenNotFound";

/// Event reason: an Alert's notification could not be sent to its Provider.
pub const NOTIFICATION_DISPATCH_FAILED_EVENT: &str = "NotificationDispatchFailed";
/// Event reason: an Alert's configuration (regex, matchLabels, provider) is unusable.
pub const INVALID_CONFIG_EVENT: &str = "InvalidConfig";
/// Event reason: the object an event is about could not be read to match `matchLabels`.
pub const SOURCE_FETCH_FAILED_EVENT: &str = "SourceFetchFailed";
/// Event reason: Alert metadata keys collided with the event's own metadata.
pub const METADATA_APPEND_FAILED_EVENT: &str = "MetadataAppendFailed";
