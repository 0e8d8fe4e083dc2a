//! Cross-article resolution rules: when a cluster of mentions is a stored entity, and
//! when an event mention is a stored event.
//!
//! These are pure functions over records so they can be tested without a store; the
//! store supplies the candidates (from its alias and event indexes) and applies the
//! decision.

use std::collections::BTreeSet;

use annals_model::normalize::name_key;
use annals_model::{EntityId, EntityKind, LocalEntity, Modality, Role};
use chrono::{Duration, NaiveDate, Weekday};

use crate::records::{Actor, EntityRecord, MergeWhy, StoredEvent, WhyDates};

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

/// Function words that [`initials`] skips.
const INITIALS_SKIP: &[&str] = &["of", "the", "and", "for", "on", "in", "al", "el", "de", "&"];

/// The words of a name split at spaces and hyphens, less the function words.
fn significant_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && !INITIALS_SKIP.contains(&w.to_lowercase().as_str()))
}

/// The lowercase initials of a name of two to six significant words, skipping function
/// words ("Council on Foreign Relations" gives "cfr").
fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = significant_words(name).collect();
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

/// The full names among `names` whose initials give the `acr:` key `acr_key`.
fn expansions<'a>(names: impl Iterator<Item = &'a String>, acr_key: &str) -> Vec<&'a str> {
    let Some(a) = acr_key.strip_prefix("acr:") else {
        return Vec::new();
    };
    names
        .filter(|n| acronym(n).is_none() && initials(n).as_deref() == Some(a))
        .map(String::as_str)
        .collect()
}

/// Whether two full names are one name spelt two ways: the same
/// [`significant_words`], each the same but for case, British or American "-ise"
/// spelling, or up to two letters added at its end ("Korea" and "Korean", "Press" and
/// "Presse").
fn spelling_variants(a: &str, b: &str) -> bool {
    fn words(n: &str) -> Vec<String> {
        significant_words(n)
            .map(|w| w.to_lowercase().replace('z', "s"))
            .collect()
    }
    let (wa, wb) = (words(a), words(b));
    wa.len() == wb.len()
        && wa.iter().zip(&wb).all(|(x, y)| {
            let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
            long.starts_with(short.as_str()) && long.len() - short.len() <= 2
        })
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
    let keys: Vec<Vec<String>> = candidates.iter().map(record_keys).collect();
    let keyed: Vec<(&EntityRecord, &[String])> = candidates
        .iter()
        .zip(&keys)
        .map(|(c, k)| (c, k.as_slice()))
        .collect();
    choose_entity_keyed(local, &entity_keys(local), &keyed)
}

/// [`choose_entity`] with the keys already known: `local_keys` are
/// [`entity_keys`]`(local)` and each candidate comes with its [`record_keys`] (the
/// store caches those of the entities that recur).
pub fn choose_entity_keyed(
    local: &LocalEntity,
    local_keys: &[String],
    candidates: &[(&EntityRecord, &[String])],
) -> Option<(EntityId, Vec<String>)> {
    let local_full = local_keys.iter().any(|k| multi_word(k));
    let mut fitting: Vec<(usize, bool, EntityId, Vec<String>)> = Vec::new();
    for &(c, ckeys) in candidates {
        if !local.kind.compatible(c.kind) {
            continue;
        }
        let shared: Vec<String> = local_keys
            .iter()
            .filter(|k| ckeys.contains(k))
            .cloned()
            .collect();
        if shared.is_empty() {
            continue;
        }
        // Initials alone join an acronym to its expansion, never two different full
        // names that happen to share initials ("Edinburgh University" is not the
        // "European Union" that is also called "EU").
        if shared.iter().all(|k| k.starts_with("acr:"))
            && (!shared
                .iter()
                .any(|k| has_acronym_alias(local_keys, k) || has_acronym_alias(ckeys, k))
                || shared.iter().any(|k| {
                    let ours = expansions(std::iter::once(&local.name).chain(&local.aliases), k);
                    let theirs = expansions(std::iter::once(&c.name).chain(&c.aliases), k);
                    !ours.is_empty()
                        && !theirs.is_empty()
                        && !ours
                            .iter()
                            .any(|a| theirs.iter().any(|b| spelling_variants(a, b)))
                }))
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

/// How many days before an article's publication an undated mention may reach back: news
/// reports recent happenings, and an older one is given a date ("in January 2020").
pub const RECENT_DAYS: i64 = 31;

/// The days an ISO 8601 value covers: `2024`, `2024-02`, `2024-02-07`, `2024-W05`.
pub fn date_range(iso: &str) -> Option<(NaiveDate, NaiveDate)> {
    let iso = iso.get(..10.min(iso.len()))?;
    if let Ok(d) = NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        return Some((d, d));
    }
    let (y, rest) = iso.split_once('-').unwrap_or((iso, ""));
    let year: i32 = y.parse().ok().filter(|_| y.len() == 4)?;
    if rest.is_empty() {
        return Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        ));
    }
    if let Some(w) = rest.strip_prefix('W') {
        let week: u32 = w.parse().ok()?;
        let first = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
        return Some((first, first + Duration::days(6)));
    }
    let month: u32 = rest.parse().ok().filter(|_| rest.len() == 2)?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next - Duration::days(1)))
}

/// Whether two ISO dates can name the same happening: the days they cover overlap
/// (`2024-02` and `2024-02-07`, `2016-W19` and `2016-05-12`); an unknown date is
/// compatible with anything, and so is a value that cannot be read (then only a prefix).
pub fn dates_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (date_range(a), date_range(b)) {
            (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 && b0 <= a1,
            _ => a.starts_with(b) || b.starts_with(a),
        },
        _ => true,
    }
}

/// Whether `new` says more precisely when than `old` (fewer days covered).
pub fn more_precise(new: Option<&str>, old: Option<&str>) -> bool {
    match (new, old) {
        (Some(_), None) => true,
        (Some(n), Some(o)) => match (date_range(n), date_range(o)) {
            (Some((n0, n1)), Some((o0, o1))) => (n1 - n0) < (o1 - o0),
            _ => n.len() > o.len(),
        },
        _ => false,
    }
}

/// The CAMEO root (first two digits) of a code.
pub fn cameo_root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// The CAMEO roots whose mentions may be one happening with a mention of `root`:
/// - 18 (assault) and 19 (fight): one strike is reported as "a drone strike" (195) by one
///   outlet and as "the killing of" or "the assassination of" (18x) by another;
/// - 10 (demand), 11 (disapprove) and 12 (reject): one statement condemns, demands and
///   rejects at once, and outlets summarise it with different verbs. Such a cross-root
///   merge also needs the same source actor (see [`event_match`]).
///
/// Every other root only with itself.
pub fn root_family(root: &str) -> &'static [&'static str] {
    match root {
        "18" | "19" => &["18", "19"],
        "10" | "11" | "12" => &["10", "11", "12"],
        _ => &[],
    }
}

/// The roots a mention of `code` may merge with, its own first.
pub fn mergeable_roots(code: &str) -> Vec<String> {
    let root = cameo_root(code);
    let mut out = vec![root.to_string()];
    out.extend(
        root_family(root)
            .iter()
            .filter(|r| **r != root)
            .map(|r| r.to_string()),
    );
    out
}

/// When the articles behind an event or a mention were published: the anchor of an
/// undated mention, which reports something recent (see [`RECENT_DAYS`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Reported<'a> {
    /// Publication days (`YYYY-MM-DD`) of the articles; empty when none is known.
    pub published: &'a [String],
}

/// The day a publication date names (its first ten characters as `YYYY-MM-DD`), if it
/// can be read; one that cannot constrains nothing.
pub fn publication_day(p: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(p.get(..10).unwrap_or(p), "%Y-%m-%d").ok()
}

fn days(published: &[String]) -> Vec<NaiveDate> {
    published
        .iter()
        .filter_map(|p| publication_day(p))
        .collect()
}

/// When a stored event must lie for a fresh mention to match it (see [`event_match`]),
/// so that the store reads only the events that can: the time rules bound the
/// candidates, as a shared place or actor does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeWindow {
    /// Any time: the mention's date cannot be read, or it is undated in an article of
    /// unknown publication day.
    Any,
    /// A dated event matches only when the days of its date meet `dated`; an undated one
    /// only when one of its publication days lies in `published` (both inclusive). An
    /// event whose date cannot be read, or that is undated with no known publication
    /// day, may match at any time.
    Within {
        /// Days the date of a dated event must meet.
        dated: (NaiveDate, NaiveDate),
        /// Days one publication day of an undated event must lie in.
        published: (NaiveDate, NaiveDate),
    },
}

/// The [`TimeWindow`] of a fresh mention dated `date` in an article published on
/// `published`:
/// - dated: a dated event must overlap the date ([`dates_compatible`]); an undated one
///   must have been reported from the day before the date to [`RECENT_DAYS`] after its
///   end (the date is then recent for that report);
/// - undated: a dated event must meet the [`RECENT_DAYS`] before the publication (or
///   the day after, for time zones); an undated one must have been reported within
///   [`RECENT_DAYS`] of it, either side.
pub fn time_window(date: Option<&str>, published: Option<NaiveDate>) -> TimeWindow {
    let shift = |d: NaiveDate, n: i64| {
        d.checked_add_signed(Duration::days(n)).unwrap_or(if n < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
    };
    match (date, published) {
        (Some(d), _) => match date_range(d) {
            Some((d0, d1)) => TimeWindow::Within {
                dated: (d0, d1),
                published: (shift(d0, -1), shift(d1, RECENT_DAYS)),
            },
            None => TimeWindow::Any,
        },
        (None, Some(p)) => TimeWindow::Within {
            dated: (shift(p, -RECENT_DAYS), shift(p, 1)),
            published: (shift(p, -RECENT_DAYS), shift(p, RECENT_DAYS)),
        },
        (None, None) => TimeWindow::Any,
    }
}

/// Days from the window of recent happenings before `p` to the days `(d0, d1)`; 0 when
/// they meet it, `None` when they fall outside it.
fn recent_distance(p: NaiveDate, (d0, d1): (NaiveDate, NaiveDate)) -> Option<i64> {
    let lo = p - Duration::days(RECENT_DAYS);
    let hi = p + Duration::days(1);
    if d1 < lo || d0 > hi {
        return None;
    }
    Some(if d1 < p { (p - d1).num_days() } else { 0 })
}

/// Whether an undated side (published on `pubs`) can report a happening dated `date`
/// (or, when `date` is `None`, one reported undated on `other`), and how far apart.
/// Unknown publication days constrain nothing.
fn time_distance(date: Option<&str>, pubs: &[NaiveDate], other: &[NaiveDate]) -> Option<i64> {
    if pubs.is_empty() {
        return Some(0);
    }
    match date.and_then(date_range) {
        Some(range) => pubs.iter().filter_map(|&p| recent_distance(p, range)).min(),
        None if date.is_some() => Some(0),
        None => {
            if other.is_empty() {
                return Some(0);
            }
            pubs.iter()
                .flat_map(|p| other.iter().map(move |o| (*p - *o).num_days().abs()))
                .filter(|d| *d <= RECENT_DAYS)
                .min()
        }
    }
}

/// Why a mention joins a stored event, and how strongly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventMatch {
    /// Agreement: 3 for the same date, 1 for a compatible one, 2 per shared place, 1 per
    /// shared actor. Higher wins.
    pub score: u32,
    /// For an undated side: days between the publication of the article and the other
    /// side's date; among equal scores the nearest wins.
    pub distance: i64,
    /// The evidence ("CAMEO root 19; dates 2024-02-07 ~ 2024-02-07; place e3" as words).
    pub why: MergeWhy,
}

/// What an `event_slots` entry keeps of its event besides the root, in one byte: the
/// modality (bits 0-2; [`OTHER_MODALITY`] for one this code does not know) and whether
/// it is an aggregate ([`AGGREGATE`]), the two conditions of [`event_match`] that reject
/// most candidates linking finds, so they are tested before the event is read.
pub fn slot_kind(e: &StoredEvent) -> u8 {
    let modality = MODALITY_BITS
        .iter()
        .position(|m| *m == e.modality)
        .map_or(OTHER_MODALITY, |i| i as u8);
    modality | if e.count.is_some() { AGGREGATE } else { 0 }
}

/// The modalities [`slot_kind`] writes, at the index of their bits.
const MODALITY_BITS: [Modality; 4] = [
    Modality::Asserted,
    Modality::Negated,
    Modality::Hypothetical,
    Modality::Future,
];

/// The [`slot_kind`] bits of a modality added after this code: never ruled out by it.
pub const OTHER_MODALITY: u8 = 7;

/// The [`slot_kind`] bit of an aggregate ("attacked more than 160 times").
pub const AGGREGATE: u8 = 8;

/// Whether an event whose [`slot_kind`] is `kind` can match `new` in [`event_match`]:
/// false only when it cannot (an aggregate, or another modality outside the scheduled
/// exception, which needs `new` to give a full date).
pub fn kind_may_match(kind: u8, new: &StoredEvent) -> bool {
    if kind & AGGREGATE != 0 || new.count.is_some() {
        return false;
    }
    let Some(&stored) = MODALITY_BITS.get(usize::from(kind & OTHER_MODALITY)) else {
        return true;
    };
    // The stored date is not known here: a full date of `new` may be the same day.
    let full_day = new.date.as_deref().is_some_and(|d| d.len() == 10);
    !MODALITY_BITS.contains(&new.modality) || modalities_join(stored, new.modality, full_day)
}

/// Whether an event of modality `stored` and a mention of modality `new` can be one
/// event: the same modality, or a future event and the asserted one when they give the
/// same full day (`same_day`: a scheduled meeting, then held).
fn modalities_join(stored: Modality, new: Modality, same_day: bool) -> bool {
    stored == new
        || (same_day
            && matches!(
                (stored, new),
                (Modality::Future, Modality::Asserted) | (Modality::Asserted, Modality::Future)
            ))
}

/// Decides whether `new` (one fresh mention) reports the stored event `stored`, and if so
/// how strongly, with a sentence saying why.
///
/// One event when all of these hold:
/// - the CAMEO roots agree, or are of one [`root_family`] (verbal conflict, 10-12, also
///   needs the same source actor);
/// - the modality agrees, except that a future event with a full date (a scheduled
///   meeting) is the asserted event of that same day;
/// - neither is an aggregate ("attacked more than 160 times");
/// - the dates are compatible, and an undated side reports something recent: the other
///   side's date (or, when both are undated, the other side's publication) lies within
///   [`RECENT_DAYS`] before its article's publication;
/// - the places do not contradict, and the places or the actors agree (or both give the
///   same full date).
///
/// Returns `None` otherwise.
///
/// Only the publication days of an undated `stored` are read, and of those only the ones
/// in the new mention's [`TimeWindow`] can matter (with one more to say some is known).
pub fn event_match(
    stored: &StoredEvent,
    stored_when: Reported<'_>,
    new: &StoredEvent,
    new_when: Reported<'_>,
) -> Option<EventMatch> {
    let (sr, nr) = (cameo_root(&stored.cameo), cameo_root(&new.cameo));
    let same_root = sr == nr;
    if !same_root && !root_family(sr).contains(&nr) {
        return None;
    }
    let full_day = |d: &Option<String>| d.as_deref().is_some_and(|d| d.len() == 10);
    let same_day = full_day(&stored.date) && stored.date == new.date;
    let scheduled =
        stored.modality != new.modality && modalities_join(stored.modality, new.modality, same_day);
    if !modalities_join(stored.modality, new.modality, same_day)
        || stored.count.is_some()
        || new.count.is_some()
        || !dates_compatible(stored.date.as_deref(), new.date.as_deref())
    {
        return None;
    }
    let (spub, npub) = (days(stored_when.published), days(new_when.published));
    let distance = match (&stored.date, &new.date) {
        (Some(_), Some(_)) => 0,
        (Some(d), None) => time_distance(Some(d), &npub, &[])?,
        (None, Some(d)) => time_distance(Some(d), &spub, &[])?,
        (None, None) => time_distance(None, &npub, &spub)?,
    };
    let shared_places: Vec<EntityId> = new
        .places
        .iter()
        .filter(|p| stored.places.contains(p))
        .copied()
        .collect();
    if !stored.places.is_empty() && !new.places.is_empty() && shared_places.is_empty() {
        return None;
    }
    let shared_actors: Vec<Actor> = new
        .actors
        .iter()
        .filter(|a| stored.actors.contains(a))
        .copied()
        .collect();
    if !same_root {
        let source = |e: &StoredEvent| -> Vec<EntityId> {
            e.actors
                .iter()
                .filter(|a| a.role == Role::Source)
                .map(|a| a.entity)
                .collect()
        };
        let verbal = root_family(sr).contains(&"11");
        if verbal && !source(new).iter().any(|s| source(stored).contains(s)) {
            return None;
        }
    }
    if shared_places.is_empty() && shared_actors.is_empty() && !same_day {
        return None;
    }
    let mut score = 0;
    let dates = match (&stored.date, &new.date) {
        (Some(a), Some(b)) => {
            score += if a == b { 3 } else { 1 };
            WhyDates::Both(a.clone(), b.clone())
        }
        (Some(_), None) | (None, Some(_)) | (None, None) if distance > 0 || !npub.is_empty() => {
            WhyDates::Undated(distance)
        }
        _ => WhyDates::Unsaid,
    };
    score += 2 * shared_places.len() as u32 + shared_actors.len() as u32;
    Some(EventMatch {
        score,
        distance,
        why: MergeWhy {
            roots: (sr.to_string(), nr.to_string()),
            dates,
            scheduled,
            places: shared_places,
            actors: shared_actors,
        },
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::records::{Actor, StoredEvent};
    use annals_model::{EventId, Span};

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

    /// Whether a local group named by `ours` (its first name the name) joins a stored
    /// group named by `theirs`.
    fn groups_join(ours: &[&str], theirs: &[&str]) -> bool {
        let l = local(EntityKind::Group, ours[0], ours);
        let c = [stored(
            9,
            EntityKind::Group,
            theirs[theirs.len() - 1],
            theirs,
        )];
        choose_entity(&l, &c).is_some()
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
        // Nor when the stored group is also known by the acronym: the acronym belongs to
        // its own expansion.
        let eu = ["EU", "European Union"];
        let edinburgh = ["Edinburgh University"];
        assert!(!groups_join(&edinburgh, &eu));
        assert!(!groups_join(&eu, &edinburgh));
        // One name spelt two ways is one expansion.
        for (ours, theirs, acr) in [
            (
                "World Health Organisation",
                "World Health Organization",
                "WHO",
            ),
            (
                "Institute for Fiscal Studies",
                "Institute of Fiscal Studies",
                "IFS",
            ),
            ("Korea Development Bank", "Korean Development Bank", "KDB"),
            ("Agence France Press", "Agence France-Presse", "AFP"),
        ] {
            assert!(groups_join(&[ours], &[acr, theirs]), "{ours} / {theirs}");
        }
        // The acronym alone still finds the group it names.
        assert!(groups_join(&["EU"], &eu));
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

    /// A stored event for tests (id 1, asserted, one report).
    pub(crate) fn event(
        code: &str,
        date: Option<&str>,
        places: &[u64],
        actors: &[(Role, u64)],
    ) -> StoredEvent {
        StoredEvent {
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
            killed: None,
            injured: None,
            first_published: None,
            words: Vec::new(),
            reports: 1,
        }
    }

    fn m(a: &StoredEvent, b: &StoredEvent) -> Option<EventMatch> {
        event_match(a, Reported::default(), b, Reported::default())
    }

    fn pubs(days: &[&str]) -> Vec<String> {
        days.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_candidate_the_slot_kind_rules_out_never_matches() {
        let modalities = [
            Modality::Asserted,
            Modality::Negated,
            Modality::Hypothetical,
            Modality::Future,
        ];
        let dates = [
            None,
            Some("2023-03-14"),
            Some("2023-03"),
            Some("2023-03-15"),
        ];
        let mut ruled_out = 0;
        for sm in modalities {
            for nm in modalities {
                for sd in dates {
                    for nd in dates {
                        for (sc, nc) in [(None, None), (Some(3), None), (None, Some(3))] {
                            let mut s = event("190", sd, &[5], &[]);
                            let mut n = event("190", nd, &[5], &[]);
                            (s.modality, n.modality, s.count, n.count) = (sm, nm, sc, nc);
                            if !kind_may_match(slot_kind(&s), &n) {
                                ruled_out += 1;
                                assert!(m(&s, &n).is_none(), "{s:?} ruled out for {n:?}");
                            } else if sc.is_none() && nc.is_none() && sm == nm && sd == nd {
                                assert!(m(&s, &n).is_some(), "{s:?} and {n:?}");
                            }
                        }
                    }
                }
            }
        }
        assert!(ruled_out > 600, "{ruled_out}");
        // The scheduled exception: a future meeting and the held one, same full day.
        let mut planned = event("036", Some("2023-03-14"), &[5], &[]);
        planned.modality = Modality::Future;
        let held = event("036", Some("2023-03-14"), &[5], &[]);
        assert!(kind_may_match(slot_kind(&planned), &held));
        assert!(m(&planned, &held).is_some());
    }

    #[test]
    fn same_strike_same_city_compatible_dates_merge() {
        let a = event("195", Some("2023-03-14"), &[5], &[]);
        let b = event("1952", None, &[5], &[]);
        assert!(m(&a, &b).is_some());
        let c = event("190", Some("2023-03"), &[5], &[]);
        assert!(m(&a, &c).is_some());
        let w = event("190", Some("2023-W11"), &[5], &[]);
        assert!(m(&a, &w).is_some(), "week 11 of 2023 holds 14 March");
    }

    #[test]
    fn strikes_on_different_days_or_in_different_places_stay_apart() {
        let a = event("195", Some("2023-03-14"), &[5], &[]);
        assert!(m(&a, &event("195", Some("2023-01-02"), &[5], &[])).is_none());
        assert!(m(&a, &event("195", Some("2023-03-14"), &[6], &[])).is_none());
        assert!(m(&a, &event("111", Some("2023-03-14"), &[5], &[])).is_none());
    }

    #[test]
    fn agreement_is_needed_beyond_kind_and_date() {
        let a = event("111", Some("2023-03"), &[], &[(Role::Source, 1)]);
        assert!(m(&a, &event("111", Some("2023-03"), &[], &[])).is_none());
        assert!(m(&a, &event("111", None, &[], &[(Role::Source, 1)])).is_some());
        let mut agg = event("111", Some("2023-03"), &[], &[(Role::Source, 1)]);
        agg.count = Some(12);
        assert!(m(&a, &agg).is_none());
        let mut maybe = event("111", Some("2023-03"), &[], &[(Role::Source, 1)]);
        maybe.modality = Modality::Hypothetical;
        assert!(m(&a, &maybe).is_none());
    }

    #[test]
    fn an_undated_mention_reaches_back_only_to_recent_events() {
        let old = event("195", Some("2020-01-03"), &[5], &[]);
        let recent = event("195", Some("2024-02-07"), &[5], &[]);
        let undated = event("195", None, &[5], &[]);
        let p = pubs(&["2024-02-08"]);
        let when = Reported { published: &p };
        assert!(event_match(&old, Reported::default(), &undated, when).is_none());
        let hit = event_match(&recent, Reported::default(), &undated, when).unwrap();
        assert_eq!(hit.distance, 1);
        // Both undated: only when the articles are close in time.
        let far = pubs(&["2023-05-01"]);
        let far = Reported { published: &far };
        assert!(event_match(&undated, far, &undated, when).is_none());
        assert!(event_match(&undated, when, &undated, when).is_some());
        // A dated mention joins an undated event only if its date is recent for it.
        assert!(event_match(&undated, when, &old, Reported::default()).is_none());
        assert!(event_match(&undated, when, &recent, Reported::default()).is_some());
    }

    #[test]
    fn related_roots_merge_only_as_the_rules_say() {
        // A strike (19) and the killing it caused (18).
        let strike = event("195", Some("2024-02-07"), &[5], &[]);
        assert!(m(&strike, &event("1823", Some("2024-02-07"), &[5], &[])).is_some());
        // A condemnation (11) and a demand (10) by the same speaker, not another one.
        let cond = event("111", Some("2024-02-08"), &[], &[(Role::Source, 1)]);
        assert!(m(&cond, &event("100", None, &[], &[(Role::Source, 1)])).is_some());
        let other = event("100", Some("2024-02-08"), &[], &[(Role::Source, 2)]);
        assert!(m(&cond, &other).is_none());
        // Not across families.
        assert!(m(&strike, &event("111", Some("2024-02-07"), &[5], &[])).is_none());
        assert_eq!(mergeable_roots("1823"), vec!["18", "19"]);
        assert_eq!(mergeable_roots("046"), vec!["04"]);
    }

    /// Whether `stored` lies in `w` as the store's candidate lookup reads it.
    fn in_window(stored: &StoredEvent, spub: &[String], w: TimeWindow) -> bool {
        let TimeWindow::Within { dated, published } = w else {
            return true;
        };
        match stored.date.as_deref().map(date_range) {
            Some(Some((s0, s1))) => s0 <= dated.1 && dated.0 <= s1,
            Some(None) => true,
            None => {
                let days = days(spub);
                days.is_empty() || days.iter().any(|d| (published.0..=published.1).contains(d))
            }
        }
    }

    #[test]
    fn every_event_that_can_match_lies_in_the_time_window() {
        let dates: Vec<Option<&str>> = vec![
            None,
            Some("2024-02-07"),
            Some("2024-02-29"),
            Some("2024-01-01"),
            Some("2023-12-31"),
            Some("2024-03-09"),
            Some("2024-03-10"),
            Some("2024-02"),
            Some("2024-01"),
            Some("2024-W06"),
            Some("2024-W10"),
            Some("2024"),
            Some("2023"),
            Some("soon"),
        ];
        let pubs_of: Vec<Vec<String>> = vec![
            vec![],
            pubs(&["2024-02-08"]),
            pubs(&["2024-01-08"]),
            pubs(&["2024-03-10"]),
            pubs(&["2024-03-11"]),
            pubs(&["2024-01-08", "2024-03-20"]),
            pubs(&["2023-12-01", "2024-06-01"]),
            pubs(&[
                "2024-01-20",
                "2024-02-01",
                "2024-02-06",
                "2024-02-20",
                "2024-03-05",
            ]),
            pubs(&["2024-03-02", "2024-01-15", "2024-02-28", "2024-02-09"]),
        ];
        let mut checked = 0;
        for sd in &dates {
            for sp in &pubs_of {
                let stored = event("195", *sd, &[5], &[]);
                for nd in &dates {
                    for np in pubs_of.iter().filter(|p| p.len() <= 1) {
                        let new = event("195", *nd, &[5], &[]);
                        let hit = event_match(
                            &stored,
                            Reported { published: sp },
                            &new,
                            Reported { published: np },
                        );
                        let w = time_window(*nd, np.first().and_then(|p| publication_day(p)));
                        // What the store passes: for an undated event, its first day
                        // and, of the days in the window, the first and the nearest on
                        // each side of the window's middle; for a dated one, none.
                        let mut reduced: Vec<String> = Vec::new();
                        if sd.is_none() {
                            reduced.extend(sp.first().cloned());
                            if let TimeWindow::Within { published, .. } = w {
                                let (p0, p1) = published;
                                let mid = p0 + Duration::days((p1 - p0).num_days() / 2);
                                let inside: Vec<NaiveDate> = days(sp)
                                    .into_iter()
                                    .filter(|d| (p0..=p1).contains(d))
                                    .collect();
                                let picks = [
                                    inside.iter().min(),
                                    inside.iter().filter(|d| **d <= mid).max(),
                                    inside.iter().filter(|d| **d >= mid).min(),
                                ];
                                reduced.extend(
                                    picks
                                        .into_iter()
                                        .flatten()
                                        .map(|d| d.format("%Y-%m-%d").to_string()),
                                );
                            }
                        }
                        let same = event_match(
                            &stored,
                            Reported {
                                published: &reduced,
                            },
                            &new,
                            Reported { published: np },
                        );
                        assert_eq!(hit, same, "{sd:?} {sp:?} / {nd:?} {np:?}");
                        if hit.is_some() {
                            checked += 1;
                            assert!(
                                in_window(&stored, sp, w),
                                "{sd:?} {sp:?} matched {nd:?} {np:?} outside {w:?}"
                            );
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn a_scheduled_meeting_is_the_meeting_held_that_day() {
        let held = event("040", Some("2016-05-12"), &[], &[(Role::Source, 1)]);
        let mut planned = event("040", Some("2016-05-12"), &[], &[(Role::Source, 1)]);
        planned.modality = Modality::Future;
        assert!(m(&held, &planned).is_some());
        planned.date = Some("2016-05".into());
        assert!(m(&held, &planned).is_none(), "only with the same full date");
    }
}
