//! A template: one real article, with the places in its text where names and dates go.
//!
//! The project's extractor runs once on each template. Its people, places and dates
//! become slots: every mention span it found, plus every other occurrence of the same
//! names (whole words) that it did not report, so an entity is replaced everywhere in the
//! article and consistently. Groups are kept; a place name inside a group's name ("the
//! Lyon Police") is replaced with the place, since it is an occurrence of that place.

use annals_model::{Document, DocumentMeta, EntityKind};
use chrono::NaiveDate;

use crate::dates::{DatePattern, DateValue};
use crate::pools::{is_plural, Pools};

/// Which part of a generated person's name a mention uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameForm {
    /// "First Surname".
    Full,
    /// The given name alone.
    First,
    /// The surname alone (also every mention of a person known by one name).
    Last,
}

/// What goes into a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Person `i` of the template, in a form.
    Person(usize, NameForm),
    /// Place `i` of the template.
    Place(usize),
    /// A demonym of country place `i` ("Norwegian"), plural ("Norwegians") or not.
    Demonym(usize, bool),
    /// A date mention, rewritten for the shifted calendar.
    Date(DatePattern),
}

/// A byte range of the template's text and what replaces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// The replacement.
    pub fill: Fill,
    /// A plural possessive ("the States' troops"): the slot covers the apostrophe,
    /// given here, and a replacement not ending in "s" takes "'s" instead.
    pub possessive: Option<char>,
}

/// What kind of name replaces a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceKind {
    /// A country of the gazetteer (its index in [`Pools`]) is replaced by another
    /// country.
    Country(usize),
    /// Any other place (city, region, site) is replaced by a city.
    City,
}

/// One analysed template article.
#[derive(Clone, Debug)]
pub struct Template {
    /// The template's metadata (title, authors, publisher, publication date).
    pub meta: DocumentMeta,
    /// The template's text.
    pub text: String,
    /// Slots of the text, in order, not overlapping.
    pub slots: Vec<Slot>,
    /// Slots of the metadata title, when there is one.
    pub title_slots: Vec<Slot>,
    /// Where the first non-blank line ends: the generated line goes after it.
    pub head_end: usize,
    /// How many people the template names (authors included).
    pub persons: usize,
    /// The kind of each place.
    pub places: Vec<PlaceKind>,
    /// For each author of the metadata, the person who replaces them.
    pub authors: Vec<usize>,
    /// The publication day, from the metadata or, failing that, the text.
    pub published: Option<NaiveDate>,
    /// What followed the day in the metadata's publication date (a time), kept as is.
    pub published_suffix: String,
}

/// The form a person's mention takes, from its words and the full name's words.
fn name_form(mention: &str, name: &str) -> NameForm {
    let m: Vec<&str> = mention.split_whitespace().collect();
    let n: Vec<&str> = name.split_whitespace().collect();
    if n.len() <= 1 || (m.len() < n.len() && n.ends_with(&m)) {
        NameForm::Last
    } else if m.len() < n.len() && n.starts_with(&m) {
        NameForm::First
    } else {
        NameForm::Full
    }
}

/// Whether `text[start..end]` stands as whole words: no letter or digit touches it.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Slots for every whole-word occurrence of the names in `names`.
fn scan(text: &str, names: &[(String, Fill)]) -> Vec<(Slot, u8)> {
    let mut out = Vec::new();
    for (name, fill) in names {
        for (start, _) in text.match_indices(name.as_str()) {
            let end = start + name.len();
            if whole_word(text, start, end) {
                let fill = fill.clone();
                out.push((slot(start, end, fill), 1));
            }
        }
    }
    out
}

/// Keeps the first of overlapping candidates, by start, then the longest, then the
/// extractor's own spans (priority 0) before scanned occurrences.
fn select(mut cands: Vec<(Slot, u8)>) -> Vec<Slot> {
    cands.sort_by(|a, b| {
        a.0.start
            .cmp(&b.0.start)
            .then(b.0.end.cmp(&a.0.end))
            .then(a.1.cmp(&b.1))
    });
    let mut out: Vec<Slot> = Vec::new();
    for (slot, _) in cands {
        if out.last().is_none_or(|l| slot.start >= l.end) && slot.start < slot.end {
            out.push(slot);
        }
    }
    out
}

/// Whether a surface form is worth looking for elsewhere in the text: a capitalised
/// name of two characters or more.
fn scannable(name: &str) -> bool {
    name.chars().count() >= 2 && name.chars().next().is_some_and(char::is_uppercase)
}

impl Template {
    /// Analyses one article with the project's extractor.
    pub fn analyse(doc: &Document, pools: &Pools) -> Template {
        let x = annals_ingest::extract(doc);
        let text = doc.text();
        let mut cands: Vec<(Slot, u8)> = Vec::new();
        let mut names: Vec<(String, Fill)> = Vec::new();
        let mut person_names: Vec<(String, Vec<String>)> = Vec::new();
        let mut places = Vec::new();
        for e in &x.entities {
            let surfaces = || e.mentions.iter().filter_map(|m| m.slice(text));
            match e.kind {
                EntityKind::Person => {
                    let i = person_names.len();
                    person_names.push((e.name.clone(), e.aliases.clone()));
                    for m in &e.mentions {
                        let Some(s) = m.slice(text) else { continue };
                        let fill = Fill::Person(i, name_form(s, &e.name));
                        cands.push((slot(m.start(), m.end(), fill), 0));
                    }
                    for a in e.aliases.iter().map(String::as_str).chain(surfaces()) {
                        if scannable(a) {
                            names.push((a.to_string(), Fill::Person(i, name_form(a, &e.name))));
                        }
                    }
                }
                EntityKind::Place => {
                    let i = places.len();
                    let country = std::iter::once(e.name.as_str())
                        .chain(e.aliases.iter().map(String::as_str))
                        .find_map(|a| pools.country_of(a));
                    places.push(match country {
                        Some(c) => PlaceKind::Country(c),
                        None => PlaceKind::City,
                    });
                    let demonyms = country.map(|c| pools.demonyms(c)).unwrap_or_default();
                    for d in demonyms {
                        let plural = is_plural(d, demonyms);
                        names.push((d.to_string(), Fill::Demonym(i, plural)));
                    }
                    for m in &e.mentions {
                        cands.push((slot(m.start(), m.end(), Fill::Place(i)), 0));
                    }
                    for a in e.aliases.iter().map(String::as_str).chain(surfaces()) {
                        if scannable(a) {
                            names.push((a.to_string(), Fill::Place(i)));
                        }
                    }
                }
                EntityKind::Date => {
                    let Some(value) = e.value.as_deref().and_then(DateValue::parse) else {
                        continue;
                    };
                    for m in &e.mentions {
                        let Some(s) = m.slice(text) else { continue };
                        if let Some(p) = DatePattern::parse(s, value) {
                            cands.push((slot(m.start(), m.end(), Fill::Date(p)), 0));
                        }
                    }
                }
                _ => {}
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        names.dedup_by(|a, b| a.0 == b.0);
        cands.extend(scan(text, &names));
        let mut slots = select(cands);
        for s in &mut slots {
            let mut rest = text[s.end..].chars();
            let apostrophe = rest.next().filter(|c| matches!(c, '\'' | '\u{2019}'));
            let word_ends = !rest.next().is_some_and(char::is_alphanumeric);
            if let Some(a) = apostrophe.filter(|_| word_ends && text[..s.end].ends_with('s')) {
                s.possessive = Some(a);
                s.end += a.len_utf8();
            }
        }
        let title_slots = doc
            .meta()
            .title
            .as_deref()
            .map(|t| select(scan(t, &names)))
            .unwrap_or_default();

        let mut persons = person_names.len();
        let authors = doc
            .meta()
            .authors
            .iter()
            .map(|a| {
                person_names
                    .iter()
                    .position(|(name, aliases)| name == a || aliases.contains(a))
                    .unwrap_or_else(|| {
                        persons += 1;
                        persons - 1
                    })
            })
            .collect();

        let meta_day = doc
            .meta()
            .published_day()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let published_suffix = match (meta_day, doc.meta().published.as_deref()) {
            (Some(_), Some(p)) => p.get(10..).unwrap_or_default().to_string(),
            _ => String::new(),
        };
        let published = meta_day.or_else(|| {
            x.published
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        });
        let head_end = head_end(text);
        Template {
            meta: doc.meta().clone(),
            text: text.to_string(),
            slots,
            title_slots,
            head_end,
            persons,
            places,
            authors,
            published,
            published_suffix,
        }
    }
}

fn slot(start: usize, end: usize, fill: Fill) -> Slot {
    Slot {
        start,
        end,
        fill,
        possessive: None,
    }
}

/// Where the first line with something on it ends (the index of its newline, or the end
/// of the text).
fn head_end(text: &str) -> usize {
    let mut off = 0;
    for line in text.split('\n') {
        let end = off + line.len();
        if !line.trim().is_empty() {
            return end;
        }
        off = end + 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_forms_follow_the_words_of_the_full_name() {
        assert_eq!(name_form("Ann Lee Park", "Ann Lee Park"), NameForm::Full);
        assert_eq!(name_form("Park", "Ann Lee Park"), NameForm::Last);
        assert_eq!(name_form("Lee Park", "Ann Lee Park"), NameForm::Last);
        assert_eq!(name_form("Ann", "Ann Lee Park"), NameForm::First);
        assert_eq!(name_form("Park", "Park"), NameForm::Last);
        assert_eq!(name_form("A. Park", "Ann Park"), NameForm::Full);
    }

    #[test]
    fn occurrences_must_be_whole_words() {
        let text = "Oslo, Osloer and Oslo's port; Oslo-based.";
        let names = vec![("Oslo".to_string(), Fill::Place(0))];
        let found: Vec<usize> = scan(text, &names).iter().map(|s| s.0.start).collect();
        assert_eq!(found, vec![0, 17, 30]);
    }

    #[test]
    fn overlaps_keep_the_longest_then_the_extractors_span() {
        let c = |s, e, f, p| (slot(s, e, f), p);
        let chosen = select(vec![
            c(0, 4, Fill::Place(0), 1),
            c(0, 9, Fill::Person(0, NameForm::Full), 1),
            c(5, 9, Fill::Place(1), 0),
            c(12, 16, Fill::Place(2), 1),
            c(12, 16, Fill::Place(3), 0),
        ]);
        assert_eq!(
            chosen.iter().map(|s| s.fill.clone()).collect::<Vec<_>>(),
            vec![Fill::Person(0, NameForm::Full), Fill::Place(3)]
        );
    }

    #[test]
    fn the_head_is_the_first_line_with_text() {
        assert_eq!(head_end("Title\n\nBody"), 5);
        assert_eq!(head_end("\n  \nTitle\nBody"), 9);
        assert_eq!(head_end("Only"), 4);
    }

    #[test]
    fn a_template_has_slots_for_people_places_and_dates() {
        let mut meta = DocumentMeta::new("t.txt");
        meta.published = Some("2024-02-08".into());
        meta.authors = vec!["Nora Quist".into()];
        let text = "Strike hits Tilburg\n\nby Nora Quist\n\nMayor Hendrik Vos said on \
                    February 6, 2024 that the strike in Tilburg killed two. Vos spoke \
                    in Tilburg on Thursday.";
        let doc = Document::new(meta, text.into());
        let t = Template::analyse(&doc, &Pools::new(1));
        let filled: Vec<(&str, &Fill)> = t
            .slots
            .iter()
            .map(|s| (&text[s.start..s.end], &s.fill))
            .collect();
        assert!(
            filled
                .iter()
                .any(|(s, f)| *s == "Vos" && matches!(f, Fill::Person(_, NameForm::Last))),
            "{filled:?}"
        );
        assert!(filled
            .iter()
            .any(|(s, f)| *s == "February 6, 2024" && matches!(f, Fill::Date(_))));
        assert_eq!(
            filled.iter().filter(|(s, _)| *s == "Tilburg").count(),
            3,
            "{filled:?}"
        );
        assert_eq!(t.places, vec![PlaceKind::City]);
        assert_eq!(t.authors.len(), 1);
        assert!(t.authors[0] < t.persons);
        assert_eq!(t.head_end, 19);
        assert_eq!(t.published, NaiveDate::from_ymd_opt(2024, 2, 8));
    }
}
