//! The errors of every patch kind, each knowing the HTTP status a real API server answers with.

/// Why a patch could not be applied. `index` is the position of the failing operation in a JSON
/// patch; `path` in a strategic merge patch is the dotted field path, e.g.
/// `spec.template.spec.containers[1]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The JSON patch body is not an array of operation objects.
    #[error("json: cannot unmarshal patch: expected an array of operation objects")]
    NotAnArray,
    /// More operations than a real server accepts.
    #[error("The allowed maximum operations in a JSON patch is {max}, got {got}")]
    TooManyOperations { max: usize, got: usize },
    /// An operation lacks a member it needs (`path`, `from`) or has it with the wrong type.
    #[error("operation {index}: {reason}")]
    MalformedOperation { index: usize, reason: String },
    /// `op` is missing or not one of add, remove, replace, move, copy, test.
    #[error("operation {index}: Unexpected kind: {op:?}")]
    UnknownOperation { index: usize, op: String },
    /// A path that is not a JSON pointer (it must be empty or start with `/`).
    #[error("operation {index}: invalid JSON pointer {path:?}")]
    InvalidPointer { index: usize, path: String },
    /// The location (or its parent, for `add`) does not exist.
    #[error("operation {index}: {op} operation does not apply: doc is missing path: {path:?}")]
    PathNotFound {
        index: usize,
        op: String,
        path: String,
    },
    /// An array index that is not a number or is out of bounds.
    #[error("operation {index}: unable to access invalid index: {path:?}")]
    InvalidIndex { index: usize, path: String },
    /// A `test` operation found a different value.
    #[error("operation {index}: testing value {path:?} failed")]
    TestFailed { index: usize, path: String },
    /// A `move` whose target lies inside its source.
    #[error("operation {index}: cannot move {from:?} into its own child {path:?}")]
    MoveIntoChild {
        index: usize,
        from: String,
        path: String,
    },

    /// The document or the strategic merge patch is not a JSON object.
    #[error("invalid JSON document")]
    NotAnObject,
    /// A key starting with `$` that is no strategic merge patch directive.
    #[error("{path}: unknown directive {key:?}")]
    UnknownDirective { path: String, key: String },
    /// `$patch` with a value other than replace, delete or merge.
    #[error("{path}: unknown patch type: {value}")]
    BadPatchType { path: String, value: String },
    /// `$retainKeys` is not a list, or the patch sets a field it does not list.
    #[error("{path}: invalid patch format of retainKeys")]
    BadRetainKeys { path: String },
    /// `$setElementOrder/<field>` is not a list or disagrees with the patch list's order.
    #[error("{path}: invalid patch format of setElementOrder list: {reason}")]
    BadSetElementOrder { path: String, reason: String },
    /// `$deleteFromPrimitiveList/<field>` is not a list.
    #[error("{path}: invalid patch format of primitive list")]
    BadPrimitiveList { path: String },
    /// An item of a merged list lacks its merge key.
    #[error("{path}: map does not contain declared merge key: {key}")]
    MissingMergeKey { path: String, key: String },
    /// A merged list mixes item types, holds lists, or holds scalars where objects are keyed.
    #[error("{path}: {reason}")]
    BadListItems { path: String, reason: &'static str },
}

impl PatchError {
    /// The HTTP status a real API server answers with: 400 for a malformed patch, 413 for too
    /// many operations, 422 for a patch that is well-formed but cannot apply to this object.
    pub fn status_code(&self) -> u16 {
        match self {
            PatchError::NotAnArray
            | PatchError::NotAnObject
            | PatchError::UnknownDirective { .. }
            | PatchError::BadRetainKeys { .. }
            | PatchError::BadSetElementOrder { .. }
            | PatchError::BadPrimitiveList { .. } => 400,
            PatchError::TooManyOperations { .. } => 413,
            _ => 422,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes() {
        let cases = [
            (PatchError::NotAnArray, 400),
            (PatchError::TooManyOperations { max: 1, got: 2 }, 413),
            (
                PatchError::TestFailed {
                    index: 0,
                    path: "/a".into(),
                },
                422,
            ),
            (PatchError::NotAnObject, 400),
            (
                PatchError::MissingMergeKey {
                    path: "spec".into(),
                    key: "name".into(),
                },
                422,
            ),
            (
                PatchError::BadRetainKeys {
                    path: "spec".into(),
                },
                400,
            ),
        ];
        for (err, code) in cases {
            assert_eq!(err.status_code(), code, "{err}");
        }
    }
}
