//! Values of Kubernetes' own CEL types (`net.IP`, `net.CIDR`, `kubernetes.URL`,
//! `kubernetes.Quantity`, `kubernetes.NamedFormat`): opaque to CEL, handled only by their
//! library's functions, equal when their Rust values are.

/// Implements `Val` for a `'static` Rust type under the CEL type name `$name`.
macro_rules! opaque {
    ($ty:ty, $name:literal) => {
        impl cel::common::value::Val for $ty {
            fn get_type(&self) -> &cel::common::types::Type {
                <Self as cel::common::value::Val>::cel_type()
            }
            fn cel_type() -> &'static cel::common::types::Type {
                static TYPE: cel::common::types::Type =
                    cel::common::types::Type::new_unspecified_type($name);
                &TYPE
            }
            fn equals(&self, other: &dyn cel::common::value::Val) -> bool {
                other.downcast_ref::<$ty>().is_some_and(|o| o == self)
            }
            fn clone_as_boxed<'v>(&self) -> Box<dyn cel::common::value::Val + 'v> {
                Box::new(self.clone())
            }
            fn as_any(&self) -> Option<&dyn std::any::Any> {
                Some(self)
            }
        }
        impl cel::common::value::StaticVal for $ty {}
    };
}

pub(crate) use opaque;
