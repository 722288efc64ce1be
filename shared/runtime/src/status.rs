//! One status write per reconcile by server-side apply, skipped when only timestamps change.
