//! The merge shape of an object type: structs, maps, and lists that are atomic, sets, or maps
//! keyed by some fields. Built from a CRD's structural schema or from the built-in kinds' table.

use std::collections::BTreeMap;

/// How a list merges, as `x-kubernetes-list-type` (and `patchStrategy: merge` with a
/// `patchMergeKey` for built-in kinds) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKind {
    /// Replaced as a whole by whoever writes it.
    Atomic,
    /// A set of scalars: items merge by value.
    Set,
    /// A list of objects identified by the values of these keys.
    Map(Vec<String>),
}

/// The shape of a value at some path of an object.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Shape {
    /// Nothing is known: objects merge field by field, lists are atomic (what a real server
    /// does for fields without schema information).
    #[default]
    Unknown,
    /// A string, number, bool or int-or-string.
    Scalar,
    /// An object whose fields are known; fields not listed are [`Shape::Unknown`].
    Struct(BTreeMap<String, Shape>),
    /// An object with arbitrary keys whose values all have one shape.
    Map(Box<Shape>),
    /// A list of items of one shape.
    List { kind: ListKind, items: Box<Shape> },
    /// Replaced as a whole (`x-kubernetes-map-type: atomic` or `x-kubernetes-preserve-unknown-fields`
    /// scalars and the like).
    Atomic,
}

impl Shape {
    /// The shape of field `name` of an object of this shape.
    pub fn field(&self, name: &str) -> &Shape {
        match self {
            Shape::Struct(fields) => fields.get(name).unwrap_or(&Shape::Unknown),
            Shape::Map(values) => values,
            _ => &Shape::Unknown,
        }
    }

    /// The shape of the items, if this is a list.
    pub fn items(&self) -> &Shape {
        match self {
            Shape::List { items, .. } => items,
            _ => &Shape::Unknown,
        }
    }

    /// How a list of this shape merges; lists of unknown shape are atomic.
    pub fn list_kind(&self) -> ListKind {
        match self {
            Shape::List { kind, .. } => kind.clone(),
            _ => ListKind::Atomic,
        }
    }

    /// A struct from `(field, shape)` pairs, for writing tables by hand.
    pub fn fields<const N: usize>(fields: [(&str, Shape); N]) -> Shape {
        Shape::Struct(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// A list of objects merged by the given keys.
    pub fn keyed_list(keys: &[&str], items: Shape) -> Shape {
        Shape::List {
            kind: ListKind::Map(keys.iter().map(|k| k.to_string()).collect()),
            items: Box::new(items),
        }
    }

    /// A list of scalars merged as a set.
    pub fn set() -> Shape {
        Shape::List {
            kind: ListKind::Set,
            items: Box::new(Shape::Scalar),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_fields_and_items() {
        let containers = Shape::keyed_list(
            &["name"],
            Shape::fields([(
                "ports",
                Shape::keyed_list(&["containerPort", "protocol"], Shape::Unknown),
            )]),
        );
        let pod = Shape::fields([("spec", Shape::fields([("containers", containers)]))]);
        let c = pod.field("spec").field("containers");
        assert_eq!(c.list_kind(), ListKind::Map(vec!["name".into()]));
        assert_eq!(
            c.items().field("ports").list_kind(),
            ListKind::Map(vec!["containerPort".into(), "protocol".into()])
        );
        assert_eq!(pod.field("metadata"), &Shape::Unknown);
        assert_eq!(Shape::Unknown.field("x").list_kind(), ListKind::Atomic);
        assert_eq!(
            Shape::Map(Box::new(Shape::Scalar)).field("any"),
            &Shape::Scalar
        );
    }
}
