//! Newtype ids for stored things; each prints with the prefix the export uses.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u64);

        impl $name {
            /// The id as big-endian bytes, the form used in store keys.
            pub fn to_be_bytes(self) -> [u8; 8] {
                self.0.to_be_bytes()
            }

            /// The id read back from big-endian bytes; `None` unless exactly 8 bytes.
            pub fn from_be_slice(bytes: &[u8]) -> Option<$name> {
                let arr: [u8; 8] = bytes.try_into().ok()?;
                Some($name(u64::from_be_bytes(arr)))
            }

            /// Parses the printed form (`d7` for a document id, and so on).
            pub fn parse(s: &str) -> Option<$name> {
                s.strip_prefix($prefix)?.parse().ok().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A stored document (`d1`, `d2`, ...).
    DocId,
    "d"
);
id_type!(
    /// A stored entity: a person, group, place or date (`e1`, ...).
    EntityId,
    "e"
);
id_type!(
    /// A stored quotation (`q1`, ...).
    QuoteId,
    "q"
);
id_type!(
    /// A stored event, one real happening across documents (`v1`, ...).
    EventId,
    "v"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_parse_with_their_prefix() {
        assert_eq!(DocId(3).to_string(), "d3");
        assert_eq!(EventId::parse("v12"), Some(EventId(12)));
        assert_eq!(EventId::parse("e12"), None);
        assert_eq!(
            EntityId::from_be_slice(&EntityId(9).to_be_bytes()),
            Some(EntityId(9))
        );
        assert_eq!(EntityId::from_be_slice(&[1, 2]), None);
    }
}
