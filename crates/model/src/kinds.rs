//! The closed-for-now vocabularies: entity kinds, event roles, event modality.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EntityKind {
    /// A named person.
    Person,
    /// An organisation, armed group, government body, party or media outlet.
    Group,
    /// A country, city, region, neighbourhood, body of water or named site.
    Place,
    /// A calendar date, month or year, with an ISO 8601 value.
    Date,
}

impl EntityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Group,
        EntityKind::Place,
        EntityKind::Date,
    ];

    /// The lowercase name used in exports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Group => "group",
            EntityKind::Place => "place",
            EntityKind::Date => "date",
        }
    }

    /// Whether an entity of this kind may be merged with one of `other` kind.
    ///
    /// Countries are both places and governments, so places and groups may merge;
    /// people and dates only merge with their own kind.
    pub fn compatible(self, other: EntityKind) -> bool {
        self == other
            || matches!(
                (self, other),
                (EntityKind::Place, EntityKind::Group) | (EntityKind::Group, EntityKind::Place)
            )
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EntityKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown entity kind {s:?} (person, group, place, date)"))
    }
}

/// The part an entity plays in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Role {
    /// Who did it.
    Source,
    /// Against or towards whom it was done.
    Target,
    /// Who was killed, injured or harmed.
    Victim,
}

impl Role {
    /// The lowercase name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Target => "target",
            Role::Victim => "victim",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an event is reported as having happened.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Modality {
    /// Reported as having happened (or happening).
    #[default]
    Asserted,
    /// Reported as not having happened.
    Negated,
    /// Possible, conditional or threatened ("could", "threatens to").
    Hypothetical,
    /// Expected or planned ("will", "is expected to").
    Future,
}

impl Modality {
    /// The lowercase name used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Negated => "negated",
            Modality::Hypothetical => "hypothetical",
            Modality::Future => "future",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in EntityKind::ALL {
            assert_eq!(k.as_str().parse::<EntityKind>(), Ok(k));
        }
        assert!("planet".parse::<EntityKind>().is_err());
    }

    #[test]
    fn places_and_groups_are_compatible_people_are_not() {
        assert!(EntityKind::Place.compatible(EntityKind::Group));
        assert!(!EntityKind::Person.compatible(EntityKind::Group));
        assert!(!EntityKind::Date.compatible(EntityKind::Place));
    }
}
