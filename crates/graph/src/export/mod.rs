//! Exporters: the JSON contract, GraphViz DOT, GraphML, RDF (N-Triples and Turtle) and
//! Neo4j bulk-import CSV. All but JSON draw from the petgraph view and write the part of
//! it a [`Selection`] keeps, so every graph format gets the same filters.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use annals_model::EntityKind;
use chrono::NaiveDate;

use crate::link::date_range;
use crate::view::{GraphView, NodeRef};

pub mod dot;
pub mod graphml;
pub mod json;
pub mod neo4j;
pub mod ntriples;
pub mod rdf;
pub mod turtle;

/// Which part of the graph an exporter writes. [`Selection::default()`] keeps everything.
///
/// The filters apply in this order:
///
/// 1. **Neighbourhood.** With [`around`](Selection::around), only the nodes within
///    [`depth`](Selection::depth) edges of those nodes (edges followed either way).
/// 2. **Period.** With [`since`](Selection::since) or [`until`](Selection::until), an
///    event, a quote or a date entity is kept when the whole of its date lies within the
///    period, both ends included. A date that covers several days (a month, a year, an
///    ISO week) must fit entirely: an event dated `2024-01` is in a period from 2024-01-01
///    to 2024-02-29 but not in one from 2024-01-15, because it may have happened before
///    the 15th. Anything undated (an event or quote whose text gives no date, a date
///    entity that could not be resolved) is left out, since it cannot be shown to be in
///    the period. People, groups and places are then kept only when they are directly
///    linked to a kept event (as participant or place) or said a kept quote; so "who was
///    active in January" is answered by the people of January's events and quotes, not
///    by everyone ever mentioned. Without a period nothing is dropped at this step.
/// 3. **Kinds.** With [`kinds`](Selection::kinds), only nodes of those kinds; with
///    [`without_quotes`](Selection::without_quotes), no quotes. These apply last, so a
///    period still selects people through events even when events are not written.
///
/// Exporters write an edge only when both of its ends are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only the nodes within [`Selection::depth`] edges of these; all nodes when empty.
    pub around: Vec<NodeRef>,
    /// Edges to follow from `around`.
    pub depth: usize,
    /// Leave quotes out (the same as leaving [`NodeKind::Quote`] out of `kinds`).
    pub without_quotes: bool,
    /// Only nodes of these kinds; every kind when `None` (and none when empty).
    pub kinds: Option<BTreeSet<NodeKind>>,
    /// First day of the period (inclusive); no lower bound when `None`.
    pub since: Option<NaiveDate>,
    /// Last day of the period (inclusive); no upper bound when `None`.
    pub until: Option<NaiveDate>,
}

impl Selection {
    /// Sets the period from dates as written on the command line: from the first day
    /// `since` names to the last day `until` names (`until` = `2024-01` ends on
    /// 2024-01-31). An error when the period is empty (`since` begins after `until` ends).
    pub fn with_period(
        mut self,
        since: Option<&DatePrefix>,
        until: Option<&DatePrefix>,
    ) -> Result<Selection, SelectionError> {
        if let (Some(s), Some(u)) = (since, until) {
            if s.first_day() > u.last_day() {
                return Err(SelectionError::EmptyPeriod {
                    since: s.to_string(),
                    until: u.to_string(),
                });
            }
        }
        self.since = since.map(DatePrefix::first_day);
        self.until = until.map(DatePrefix::last_day);
        Ok(self)
    }

    /// Whether a period is set.
    pub fn has_period(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether an ISO 8601 date value (`2024`, `2024-01`, `2024-01-31`, `2024-W05`) lies
    /// wholly within the period. Without a period everything does, even `None`; with one,
    /// `None` and values that are not dates do not.
    pub fn in_period(&self, iso: Option<&str>) -> bool {
        if !self.has_period() {
            return true;
        }
        let Some((first, last)) = iso.and_then(date_range) else {
            return false;
        };
        self.since.is_none_or(|s| first >= s) && self.until.is_none_or(|u| last <= u)
    }

    /// Whether a node of this kind is written (the kinds step; see the type's docs).
    pub fn keeps_kind(&self, kind: Option<NodeKind>) -> bool {
        if self.without_quotes && kind == Some(NodeKind::Quote) {
            return false;
        }
        match (&self.kinds, kind) {
            (None, _) => true,
            (Some(set), Some(k)) => set.contains(&k),
            (Some(_), None) => false,
        }
    }

    /// The nodes this selection keeps, in a stable order.
    pub fn nodes(&self, view: &GraphView) -> BTreeSet<NodeRef> {
        let mut keep: BTreeSet<NodeRef> = if self.around.is_empty() {
            view.nodes().into_iter().collect()
        } else {
            view.neighbourhood(&self.around, self.depth)
        };
        if self.has_period() {
            let dated = |n: &NodeRef| match *n {
                NodeRef::Event(id) => {
                    self.in_period(view.event(id).and_then(|e| e.date.as_deref()))
                }
                NodeRef::Quote(id) => {
                    self.in_period(view.quote(id).and_then(|(q, _)| q.date.as_deref()))
                }
                NodeRef::Entity(id) => {
                    self.in_period(view.entity(id).and_then(|e| e.value.as_deref()))
                }
            };
            // Events and quotes in the period, from which people, groups and places are kept.
            let anchors: BTreeSet<NodeRef> = keep
                .iter()
                .filter(|n| matches!(n, NodeRef::Event(_) | NodeRef::Quote(_)) && dated(n))
                .copied()
                .collect();
            let mut linked: BTreeSet<NodeRef> = BTreeSet::new();
            for (from, to, _) in view.edges() {
                if anchors.contains(&from) {
                    linked.insert(to);
                }
                if anchors.contains(&to) {
                    linked.insert(from);
                }
            }
            keep.retain(|n| match NodeKind::of(view, *n) {
                Some(NodeKind::Event | NodeKind::Quote) => anchors.contains(n),
                Some(NodeKind::Date) => dated(n),
                _ => linked.contains(n),
            });
        }
        keep.retain(|n| self.keeps_kind(NodeKind::of(view, *n)));
        keep
    }
}

/// The kind of a node, as `--kinds` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// A person entity.
    Person,
    /// A group entity (organisation, armed group, government body).
    Group,
    /// A place entity.
    Place,
    /// A date entity.
    Date,
    /// An event.
    Event,
    /// A quotation.
    Quote,
}

impl NodeKind {
    /// Every kind, in a fixed order.
    pub const ALL: [NodeKind; 6] = [
        NodeKind::Person,
        NodeKind::Group,
        NodeKind::Place,
        NodeKind::Date,
        NodeKind::Event,
        NodeKind::Quote,
    ];

    /// The lowercase name used in exports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Group => "group",
            NodeKind::Place => "place",
            NodeKind::Date => "date",
            NodeKind::Event => "event",
            NodeKind::Quote => "quote",
        }
    }

    /// The node kind of an entity kind (they share their names).
    pub fn of_entity(kind: EntityKind) -> Option<NodeKind> {
        kind.as_str().parse().ok()
    }

    /// The kind of a node of the view; `None` for an entity the view has no record of.
    pub fn of(view: &GraphView, n: NodeRef) -> Option<NodeKind> {
        match n {
            NodeRef::Entity(id) => view.entity(id).and_then(|e| NodeKind::of_entity(e.kind)),
            NodeRef::Event(_) => Some(NodeKind::Event),
            NodeRef::Quote(_) => Some(NodeKind::Quote),
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NodeKind {
    type Err = SelectionError;

    /// Reads a kind name, ignoring case and surrounding spaces.
    fn from_str(s: &str) -> Result<NodeKind, SelectionError> {
        NodeKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SelectionError::UnknownKind(s.to_string()))
    }
}

/// A date written as an ISO 8601 prefix: a year (`2024`), a month (`2024-01`) or a day
/// (`2024-01-31`). It covers every day it names, so as the start of a period it means its
/// first day and as the end its last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatePrefix {
    text: String,
    first: NaiveDate,
    last: NaiveDate,
}

impl DatePrefix {
    /// The first day the date names (`2024-01` → 2024-01-01).
    pub fn first_day(&self) -> NaiveDate {
        self.first
    }

    /// The last day the date names (`2024-02` → 2024-02-29).
    pub fn last_day(&self) -> NaiveDate {
        self.last
    }
}

impl fmt::Display for DatePrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for DatePrefix {
    type Err = SelectionError;

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (zero-padded, a real calendar date).
    fn from_str(s: &str) -> Result<DatePrefix, SelectionError> {
        let bad = || SelectionError::BadDate(s.to_string());
        let shape_ok = matches!(s.len(), 4 | 7 | 10)
            && s.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(bad());
        }
        let (first, last) = date_range(s).ok_or_else(bad)?;
        Ok(DatePrefix {
            text: s.to_string(),
            first,
            last,
        })
    }
}

/// A selection that cannot be made: the values given do not mean anything.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SelectionError {
    /// A kind name that is not one of the six.
    #[error("unknown kind {0:?}: the kinds are person, group, place, date, event and quote")]
    UnknownKind(String),
    /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not a calendar date.
    #[error(
        "{0:?} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024, 2024-01, 2024-01-31)"
    )]
    BadDate(String),
    /// A period whose start comes after its end.
    #[error("the period is empty: since {since} begins after until {until} ends")]
    EmptyPeriod {
        /// The start as written.
        since: String,
        /// The end as written.
        until: String,
    },
}

/// The id a node has in every export (`e7`, `v3`, `q12`).
pub fn node_id(n: NodeRef) -> String {
    match n {
        NodeRef::Entity(id) => id.to_string(),
        NodeRef::Event(id) => id.to_string(),
        NodeRef::Quote(id) => id.to_string(),
    }
}

/// A node's kind (`person`, `group`, `place`, `date`, `event`, `quote`) and label.
pub fn node_kind_label(view: &GraphView, n: NodeRef) -> (&'static str, String) {
    match n {
        NodeRef::Entity(id) => match view.entity(id) {
            Some(e) => (e.kind.as_str(), e.name.clone()),
            None => ("entity", id.to_string()),
        },
        NodeRef::Event(id) => (
            "event",
            view.event(id)
                .map(|e| e.label.clone())
                .unwrap_or_else(|| id.to_string()),
        ),
        NodeRef::Quote(id) => (
            "quote",
            view.quote(id)
                .map(|(_, t)| t.to_string())
                .unwrap_or_else(|| id.to_string()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn prefix(s: &str) -> DatePrefix {
        s.parse().unwrap()
    }

    #[test]
    fn date_prefixes_cover_the_days_they_name() {
        let y = prefix("2024");
        assert_eq!(
            (y.first_day(), y.last_day()),
            (day("2024-01-01"), day("2024-12-31"))
        );
        let m = prefix("2024-02");
        assert_eq!(
            (m.first_day(), m.last_day()),
            (day("2024-02-01"), day("2024-02-29"))
        );
        let d = prefix("2023-12-31");
        assert_eq!(
            (d.first_day(), d.last_day()),
            (day("2023-12-31"), day("2023-12-31"))
        );
        assert_eq!(d.to_string(), "2023-12-31");
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "",
            "24",
            "2024-1",
            "2024-1-5",
            "2024-13",
            "2023-02-29",
            "2024/01/05",
            "2024-01-05T10",
            "2024-W05",
            "January",
            " 2024",
            "2024-00",
        ] {
            assert_eq!(
                bad.parse::<DatePrefix>(),
                Err(SelectionError::BadDate(bad.to_string())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn kinds_parse_in_any_case_and_unknown_ones_are_named() {
        assert_eq!(" Event".parse::<NodeKind>(), Ok(NodeKind::Event));
        assert_eq!("QUOTE".parse::<NodeKind>(), Ok(NodeKind::Quote));
        let err = "people".parse::<NodeKind>().unwrap_err();
        assert_eq!(err, SelectionError::UnknownKind("people".into()));
        assert!(err
            .to_string()
            .contains("person, group, place, date, event and quote"));
        for k in NodeKind::ALL {
            assert_eq!(k.as_str().parse::<NodeKind>(), Ok(k));
        }
        for k in EntityKind::ALL {
            assert_eq!(
                NodeKind::of_entity(k).map(NodeKind::as_str),
                Some(k.as_str())
            );
        }
    }

    #[test]
    fn a_period_is_inclusive_by_prefix_and_values_must_fit_wholly() {
        let jan = Selection::default()
            .with_period(Some(&prefix("2024-01")), Some(&prefix("2024-01")))
            .unwrap();
        assert_eq!(jan.since, Some(day("2024-01-01")));
        assert_eq!(jan.until, Some(day("2024-01-31")));
        assert!(jan.in_period(Some("2024-01-31")));
        assert!(jan.in_period(Some("2024-01-01")));
        assert!(jan.in_period(Some("2024-01")));
        assert!(!jan.in_period(Some("2023-12-31")));
        assert!(!jan.in_period(Some("2024-02-01")));
        // Wider than the period: may have been outside it.
        assert!(!jan.in_period(Some("2024")));
        // ISO week 5 of 2024 runs from 29 January to 4 February.
        assert!(!jan.in_period(Some("2024-W05")));
        assert!(jan.in_period(Some("2024-W04")));
        assert!(!jan.in_period(None));
        assert!(!jan.in_period(Some("a decade later")));

        let from_mid = Selection::default()
            .with_period(Some(&prefix("2024-01-15")), None)
            .unwrap();
        assert!(!from_mid.in_period(Some("2024-01")));
        assert!(from_mid.in_period(Some("2031")));
        let to_2023 = Selection::default()
            .with_period(None, Some(&prefix("2023")))
            .unwrap();
        assert!(to_2023.in_period(Some("1999-05")));
        assert!(!to_2023.in_period(Some("2024-01-01")));

        let all = Selection::default();
        assert!(all.in_period(None) && all.in_period(Some("junk")));
    }

    #[test]
    fn an_empty_period_is_an_error() {
        let err = Selection::default()
            .with_period(Some(&prefix("2024-02")), Some(&prefix("2024-01-31")))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the period is empty: since 2024-02 begins after until 2024-01-31 ends"
        );
        // One day is a period.
        assert!(Selection::default()
            .with_period(Some(&prefix("2024-02-29")), Some(&prefix("2024-02")))
            .is_ok());
    }

    #[test]
    fn the_kind_step_honours_kinds_and_without_quotes() {
        let mut s = Selection::default();
        assert!(NodeKind::ALL.iter().all(|k| s.keeps_kind(Some(*k))));
        s.without_quotes = true;
        assert!(!s.keeps_kind(Some(NodeKind::Quote)));
        assert!(s.keeps_kind(Some(NodeKind::Event)));
        s.kinds = Some([NodeKind::Person, NodeKind::Quote].into());
        assert!(
            !s.keeps_kind(Some(NodeKind::Quote)),
            "without_quotes still applies"
        );
        assert!(s.keeps_kind(Some(NodeKind::Person)));
        assert!(!s.keeps_kind(Some(NodeKind::Place)));
        assert!(!s.keeps_kind(None));
    }
}
