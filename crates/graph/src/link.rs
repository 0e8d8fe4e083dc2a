//! Cross-article resolution rules: when a cluster of mentions is a stored entity, and
//! when an event mention is a stored event.
//!
//! These are pure functions over records so they can be tested without a store; the
//! store supplies the candidates (from its alias and event indexes) and applies the
//! decision.

use std::collections::BTreeSet;

use annals_model::normalize::name_key;
use annals_model::{EntityId, EntityKind, LocalEntity};

use crate::records::{EntityRecord, EventRecord};

/// The alias-index keys of a local entity: the folded forms of its name and aliases.
/// Dates are keyed by their ISO value; unresolved dates get no key, so they never merge.
/// Groups also get `acr:` keys for their acronyms and the initials of their names.
pub fn entity_keys(e: &LocalEntity) -> Vec<String> {
    if e.kind == EntityKind::Date {
        return e.value.iter().map(|v| format!("date:{v}")).collect();
    }
    names_keys(e.kind, std::iter::once(&e.name).chain(&e.aliases))
}

/// The alias-index keys of a stored entity.
pub fn record_keys(r: &EntityRecord) -> Vec<String> {
    if r.kind == EntityKind::Date {
        return r.value.iter().map(|v| format!("date:{v}")).collect();
    }
    names_keys(r.kind, std::iter::once(&r.name).chain(&r.aliases))
}

/// Keys of a set of names: each folded name, and for groups an `acr:` key per acronym
/// alias ("PMF") and per multi-word name's initials ("Popular Mobilization Forces"), so an
/// acronym in one article can find its expansion in another.
fn names_keys<'a>(kind: EntityKind, names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut keys = BTreeSet::new();
    for n in names {
        let k = name_key(n);
        if k.is_empty() {
            continue;
        }
        if kind == EntityKind::Group {
            if let Some(a) = acronym(n) {
                keys.insert(format!("acr:{a}"));
            } else if let Some(i) = initials(n) {
                keys.insert(format!("acr:{i}"));
            }
        }
        keys.insert(k);
    }
    keys.into_iter().collect()
}

/// The lowercase letters of a name written as an acronym ("PMF", "U.N."), if it is one.
fn acronym(name: &str) -> Option<String> {
    let letters: String = name.chars().filter(|c| *c != '.').collect();
    let ok = (2..=6).contains(&letters.chars().count())
        && letters.chars().all(|c| c.is_uppercase())
        && letters.chars().all(char::is_alphabetic);
    ok.then(|| letters.to_lowercase())
}

/// The lowercase initials of a name of two to six significant words, skipping function
/// words ("Council on Foreign Relations" gives "cfr").
fn initials(name: &str) -> Option<String> {
    const SKIP: &[&str] = &["of", "the", "and", "for", "on", "in", "al", "el", "de", "&"];
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && !SKIP.contains(&w.to_lowercase().as_str()))
        .collect();
    let capitalised = words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    ((2..=6).contains(&words.len()) && capitalised).then(|| {
        words
            .iter()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect()
    })
}

/// Whether the names of an entity include the acronym behind an `acr:` key.
fn has_acronym_alias(keys: &[String], acr_key: &str) -> bool {
    acr_key
        .strip_prefix("acr:")
        .is_some_and(|a| keys.iter().any(|k| k == a))
}

fn multi_word(key: &str) -> bool {
    key.contains(' ')
}

/// Picks the stored entity a local cluster refers to, with the keys that matched.
///
/// - Kinds must be compatible (a country may be a place or a group).
/// - People merge on a shared multi-word name; a shared single word (a surname) merges
///   only when one side has no full name at all and exactly one stored person fits, so
///   different people who share a surname stay apart.
/// - Groups, places and dates merge on any shared key.
///
/// Among several fitting candidates the one with the most shared keys wins, then the
/// oldest (lowest id), so the choice is deterministic.
pub fn choose_entity(
    local: &LocalEntity,
    candidates: &[EntityRecord],
) -> Option<(EntityId, Vec<String>)> {
    let local_keys = entity_keys(local);
    let local_full = local_keys.iter().any(|k| multi_word(k));
    let mut fitting: Vec<(usize, bool, EntityId, Vec<String>)> = Vec::new();
    for c in candidates {
        if !local.kind.compatible(c.kind) {
            continue;
        }
        let ckeys = record_keys(c);
        let shared: Vec<String> = local_keys
            .iter()
            .filter(|k| ckeys.contains(k))
            .cloned()
            .collect();
        if shared.is_empty() {
            continue;
        }
        // Initials alone join an acronym to its expansion, never two different full
        // names that happen to share initials.
        if shared.iter().all(|k| k.starts_with("acr:"))
            && !shared
                .iter()
                .any(|k| has_acronym_alias(&local_keys, k) || has_acronym_alias(&ckeys, k))
        {
            continue;
        }
        let strong = shared.iter().any(|k| multi_word(k));
        if local.kind == EntityKind::Person && !strong {
            let cand_full = ckeys.iter().any(|k| multi_word(k));
            if local_full && cand_full {
                continue;
            }
        }
        fitting.push((shared.len(), strong, c.id, shared));
    }
    if local.kind == EntityKind::Person && !fitting.iter().any(|f| f.1) && fitting.len() > 1 {
        return None;
    }
    fitting
        .into_iter()
        .max_by(|a, b| (a.1, a.0, std::cmp::Reverse(a.2)).cmp(&(b.1, b.0, std::cmp::Reverse(b.2))))
        .map(|(_, _, id, keys)| (id, keys))
}

/// Whether two ISO dates can name the same happening: equal, or one a prefix of the
/// other (`2024-02` and `2024-02-07`); an unknown date is compatible with anything.
pub fn dates_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a),
        _ => true,
    }
}

/// The CAMEO root (first two digits) of a code.
pub fn cameo_root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// Decides whether `new` (one fresh mention) reports the stored event `stored`, and if so
/// how strongly, with a sentence saying why.
///
/// One event when: CAMEO roots agree, modality agrees, neither is an aggregate, the
/// dates are compatible, the places do not contradict, and the places or the actors
/// agree (or both give the same full date). Returns `None` otherwise.
pub fn event_match(stored: &EventRecord, new: &EventRecord) -> Option<(u32, String)> {
    if cameo_root(&stored.cameo) != cameo_root(&new.cameo)
        || stored.modality != new.modality
        || stored.count.is_some()
        || new.count.is_some()
        || !dates_compatible(stored.date.as_deref(), new.date.as_deref())
    {
        return None;
    }
    let shared_places: Vec<EntityId> = new
        .places
        .iter()
        .filter(|p| stored.places.contains(p))
        .copied()
        .collect();
    if !stored.places.is_empty() && !new.places.is_empty() && shared_places.is_empty() {
        return None;
    }
    let shared_actors: Vec<String> = new
        .actors
        .iter()
        .filter(|a| stored.actors.contains(a))
        .map(|a| format!("{} {}", a.role, a.entity))
        .collect();
    let same_day = match (&stored.date, &new.date) {
        (Some(a), Some(b)) => a == b && a.len() == 10,
        _ => false,
    };
    if shared_places.is_empty() && shared_actors.is_empty() && !same_day {
        return None;
    }
    let mut why = vec![format!("CAMEO root {}", cameo_root(&new.cameo))];
    let mut score = 0;
    if let (Some(a), Some(b)) = (&stored.date, &new.date) {
        why.push(format!("dates {a} ~ {b}"));
        score += if a == b { 3 } else { 1 };
    }
    if !shared_places.is_empty() {
        let names: Vec<String> = shared_places.iter().map(|p| p.to_string()).collect();
        why.push(format!("place {}", names.join(", ")));
        score += 2 * shared_places.len() as u32;
    }
    if !shared_actors.is_empty() {
        why.push(format!("actors {}", shared_actors.join(", ")));
        score += shared_actors.len() as u32;
    }
    Some((score, why.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{Actor, EventRecord};
    use annals_model::{EventId, Modality, Role, Span};

    fn local(kind: EntityKind, name: &str, aliases: &[&str]) -> LocalEntity {
        LocalEntity {
            kind,
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            mentions: vec![Span::new(0, 1).unwrap()],
            value: None,
            author: false,
        }
    }

    fn stored(id: u64, kind: EntityKind, name: &str, aliases: &[&str]) -> EntityRecord {
        EntityRecord {
            id: EntityId(id),
            kind,
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            value: None,
            author: false,
            evidence: vec![],
        }
    }

    #[test]
    fn spelling_variants_of_a_group_merge() {
        let l = local(
            EntityKind::Group,
            "Kata’ib Hezbollah",
            &["Kata’ib Hezbollah"],
        );
        let c = [stored(
            4,
            EntityKind::Group,
            "Kataib Hezbollah",
            &["Kataib Hezbollah"],
        )];
        assert_eq!(choose_entity(&l, &c).map(|m| m.0), Some(EntityId(4)));
    }

    #[test]
    fn a_country_as_place_merges_with_the_country_as_group() {
        let l = local(EntityKind::Place, "France", &["France"]);
        let c = [stored(2, EntityKind::Group, "France", &["France"])];
        assert!(choose_entity(&l, &c).is_some());
        let p = [stored(3, EntityKind::Person, "France", &["France"])];
        assert!(choose_entity(&l, &p).is_none());
    }

    #[test]
    fn people_sharing_only_a_surname_stay_apart() {
        let l = local(EntityKind::Person, "Maria Lopez", &["Maria Lopez", "Lopez"]);
        let c = [stored(
            1,
            EntityKind::Person,
            "Carlos Lopez",
            &["Carlos Lopez", "Lopez"],
        )];
        assert!(choose_entity(&l, &c).is_none());
    }

    #[test]
    fn a_surname_alone_merges_with_the_one_person_who_has_it() {
        let l = local(EntityKind::Person, "Lopez", &["Lopez"]);
        let one = [stored(
            1,
            EntityKind::Person,
            "Carlos Lopez",
            &["Carlos Lopez", "Lopez"],
        )];
        assert_eq!(choose_entity(&l, &one).map(|m| m.0), Some(EntityId(1)));
        let two = [
            stored(
                1,
                EntityKind::Person,
                "Carlos Lopez",
                &["Carlos Lopez", "Lopez"],
            ),
            stored(
                2,
                EntityKind::Person,
                "Maria Lopez",
                &["Maria Lopez", "Lopez"],
            ),
        ];
        assert!(choose_entity(&l, &two).is_none());
    }

    #[test]
    fn an_acronym_finds_its_expansion_in_another_article() {
        let l = local(EntityKind::Group, "NRC", &["NRC"]);
        let c = [stored(
            5,
            EntityKind::Group,
            "Norwegian Refugee Council",
            &["Norwegian Refugee Council"],
        )];
        assert_eq!(choose_entity(&l, &c).map(|m| m.0), Some(EntityId(5)));
        let l = local(
            EntityKind::Group,
            "Norwegian Refugee Council",
            &["Norwegian Refugee Council"],
        );
        let c = [stored(6, EntityKind::Group, "NRC", &["NRC"])];
        assert_eq!(choose_entity(&l, &c).map(|m| m.0), Some(EntityId(6)));
    }

    #[test]
    fn two_full_names_with_the_same_initials_stay_apart() {
        let l = local(
            EntityKind::Group,
            "American Medical Association",
            &["American Medical Association"],
        );
        let c = [stored(
            7,
            EntityKind::Group,
            "American Marketing Association",
            &["American Marketing Association"],
        )];
        assert!(choose_entity(&l, &c).is_none());
        // People never match on initials.
        let l = local(EntityKind::Person, "JFK", &["JFK"]);
        let c = [stored(
            8,
            EntityKind::Person,
            "John Fitzgerald Kennedy",
            &["John Fitzgerald Kennedy"],
        )];
        assert!(choose_entity(&l, &c).is_none());
    }

    #[test]
    fn dates_merge_on_their_value_only() {
        let mut l = local(EntityKind::Date, "2023-05-01", &["May 1"]);
        l.value = Some("2023-05-01".into());
        let mut c = stored(9, EntityKind::Date, "2023-05-01", &["1 May 2023"]);
        c.value = Some("2023-05-01".into());
        assert_eq!(
            choose_entity(&l, &[c.clone()]).map(|m| m.0),
            Some(EntityId(9))
        );
        l.value = None;
        assert!(choose_entity(&l, &[c]).is_none());
    }

    fn event(
        code: &str,
        date: Option<&str>,
        places: &[u64],
        actors: &[(Role, u64)],
    ) -> EventRecord {
        EventRecord {
            id: EventId(1),
            cameo: code.into(),
            label: "x".into(),
            date: date.map(str::to_string),
            places: places.iter().map(|&p| EntityId(p)).collect(),
            actors: actors
                .iter()
                .map(|&(role, e)| Actor {
                    role,
                    entity: EntityId(e),
                })
                .collect(),
            modality: Modality::Asserted,
            count: None,
            mentions: vec![],
            evidence: vec![],
        }
    }

    #[test]
    fn same_strike_same_city_compatible_dates_merge() {
        let a = event("195", Some("2023-03-14"), &[5], &[]);
        let b = event("1952", None, &[5], &[]);
        assert!(event_match(&a, &b).is_some());
        let c = event("190", Some("2023-03"), &[5], &[]);
        assert!(event_match(&a, &c).is_some());
    }

    #[test]
    fn strikes_on_different_days_or_in_different_places_stay_apart() {
        let a = event("195", Some("2023-03-14"), &[5], &[]);
        assert!(event_match(&a, &event("195", Some("2023-01-02"), &[5], &[])).is_none());
        assert!(event_match(&a, &event("195", Some("2023-03-14"), &[6], &[])).is_none());
        assert!(event_match(&a, &event("111", Some("2023-03-14"), &[5], &[])).is_none());
    }

    #[test]
    fn agreement_is_needed_beyond_kind_and_date() {
        let a = event("111", Some("2023-03"), &[], &[(Role::Source, 1)]);
        assert!(event_match(&a, &event("111", Some("2023-03"), &[], &[])).is_none());
        assert!(event_match(&a, &event("111", None, &[], &[(Role::Source, 1)])).is_some());
        let mut agg = event("111", Some("2023-03"), &[], &[(Role::Source, 1)]);
        agg.count = Some(12);
        assert!(event_match(&a, &agg).is_none());
        let mut maybe = event("111", Some("2023-03"), &[], &[(Role::Source, 1)]);
        maybe.modality = Modality::Hypothetical;
        assert!(event_match(&a, &maybe).is_none());
    }
}
