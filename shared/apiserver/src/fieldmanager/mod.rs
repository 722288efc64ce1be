//! Server-side apply: managedFields (FieldsV1), field ownership, conflicts, and the merge of an applied configuration.
