//! The macros that declare a record's field enum and implement [`Record`](super::Record) for it,
//! so each artifact module states only what differs.

/// Declares the field enum of a record: each variant is one field, written as a scalar
/// (`scalar`, via autosurgeon) or as prose (`text`, taking a [`TextEdit`](super::TextEdit)).
macro_rules! record_fields {
    (
        $(#[$meta:meta])*
        pub enum $name:ident for $record:ty {
            $($(#[$vmeta:meta])* $variant:ident($ty:ty) => $kind:ident $prop:ident,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name {
            $($(#[$vmeta])* $variant($ty),)*
        }

        impl $crate::model::register::Field for $name {
            type Record = $record;

            fn prop(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($prop),)*
                }
            }

            fn write(
                &self,
                doc: &mut ::automerge::AutoCommit,
                obj: &::automerge::ObjId,
            ) -> Result<(), $crate::model::ModelError> {
                match self {
                    $(Self::$variant(value) => {
                        $crate::model::register::record_fields!(@$kind doc, obj, $prop, value)
                    })*
                }
            }
        }
    };
    (@scalar $doc:ident, $obj:ident, $prop:ident, $value:ident) => {
        Ok(::autosurgeon::reconcile_prop($doc, $obj, stringify!($prop), $value)?)
    };
    (@text $doc:ident, $obj:ident, $prop:ident, $value:ident) => {
        $value.apply($doc, $obj, stringify!($prop))
    };
}
pub(crate) use record_fields;

/// Implements [`Record`] for a record type with a `rank` field, and links its id to it. Extra
/// trait items (`check`, `check_field`, `dependants`) go in the trailing braces.
macro_rules! record {
    (
        $record:ty {
            id: $id:ty,
            field: $field:ty,
            kind: $kind:ident,
            register: $register:literal,
            noun: $noun:literal,
            label: $label:expr $(,)?
        }
        { $($extra:tt)* }
    ) => {
        impl $crate::model::register::Record for $record {
            type Id = $id;
            type Field = $field;
            const KIND: $crate::model::DocumentKind = $crate::model::DocumentKind::$kind;
            const REGISTER: &'static str = $register;
            const NOUN: &'static str = $noun;

            fn rank(&self) -> &$crate::model::Rank {
                &self.rank
            }

            fn set_rank(&mut self, rank: $crate::model::Rank) {
                self.rank = rank;
            }

            fn label(&self) -> String {
                let label: fn(&Self) -> String = $label;
                label(self)
            }

            $($extra)*
        }

        impl $crate::model::register::RecordId for $id {
            type Record = $record;
        }
    };
}
pub(crate) use record;
