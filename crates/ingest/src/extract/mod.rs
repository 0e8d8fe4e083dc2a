//! Rule-based extraction: from one [`Document`] to an [`Extraction`], with no I/O and no
//! models. The stages live in submodules: [`text`] lays the text out (tokens, sentences,
//! lines), [`timex`] finds and resolves dates, [`entities`] finds and clusters names,
//! [`quotes`] finds quotations and speakers, [`events`] finds CAMEO-coded events and
//! [`relations`] stated roles; [`lexicon`] loads the word lists in `data/lexicon/`.
//! This module wires them together and guarantees the output is sorted and valid.

mod entities;
mod events;
pub(crate) mod lexicon;
mod quotes;
mod relations;
mod text;
mod timex;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use annals_model::{Diagnostic, Document, EntityKind, Extraction, LocalEntity, Severity, Span};
use chrono::NaiveDate;

use text::{Layout, LineKind};

/// Time spent in each extraction stage, summed over the articles extracted with
/// [`extract_timed`] (for `annals bench` and profiling; [`extract`] keeps no clock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Laying the text out: lines, page furniture, sentences, tokens.
    pub layout: Duration,
    /// Finding and resolving dates (and the dateline).
    pub dates: Duration,
    /// Finding quotation marks.
    pub quote_marks: Duration,
    /// Finding names and clustering them into entities.
    pub names: Duration,
    /// Stated roles and relations.
    pub relations: Duration,
    /// Attributing quotations to speakers.
    pub quotes: Duration,
    /// Finding events, their participants, places and dates.
    pub events: Duration,
    /// Date entities, sorting and validating the result.
    pub finish: Duration,
}

impl StageTimes {
    /// The stages in pipeline order, with their names.
    pub fn stages(&self) -> [(&'static str, Duration); 8] {
        [
            ("layout", self.layout),
            ("dates", self.dates),
            ("quote marks", self.quote_marks),
            ("names", self.names),
            ("relations", self.relations),
            ("quotes", self.quotes),
            ("events", self.events),
            ("finish", self.finish),
        ]
    }

    /// The time of all stages together.
    pub fn total(&self) -> Duration {
        self.stages().iter().map(|s| s.1).sum()
    }

    /// Adds `other`'s times to these.
    pub fn add(&mut self, other: &StageTimes) {
        self.layout += other.layout;
        self.dates += other.dates;
        self.quote_marks += other.quote_marks;
        self.names += other.names;
        self.relations += other.relations;
        self.quotes += other.quotes;
        self.events += other.events;
        self.finish += other.finish;
    }
}

/// A stopwatch that charges the time since its last lap to a stage, or does nothing.
struct Laps<'a> {
    times: Option<(&'a mut StageTimes, Instant)>,
}

impl Laps<'_> {
    fn lap(&mut self, stage: fn(&mut StageTimes) -> &mut Duration) {
        if let Some((times, last)) = &mut self.times {
            let now = Instant::now();
            *stage(times) += now - *last;
            *last = now;
        }
    }
}

/// Extracts entities, quotes, events and dates from one document.
pub fn extract(doc: &Document) -> Extraction {
    extract_with(doc, Laps { times: None })
}

/// [`extract`], adding the time each stage took to `times`.
pub fn extract_timed(doc: &Document, times: &mut StageTimes) -> Extraction {
    extract_with(
        doc,
        Laps {
            times: Some((times, Instant::now())),
        },
    )
}

fn extract_with(doc: &Document, mut laps: Laps<'_>) -> Extraction {
    let text = doc.text();
    let mut diagnostics = Vec::new();
    let meta_day = doc
        .meta()
        .published_day()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let dateline = timex::dateline(text);
    let published = meta_day.or(dateline.map(|d| d.0));
    laps.lap(|t| &mut t.dates);
    let lay = Layout::new(text);
    for l in &lay.lines {
        if l.kind == LineKind::Furniture {
            diagnostics.push(Diagnostic {
                severity: Severity::Info,
                message: "skipped page furniture".to_string(),
                span: Span::new(l.start, l.end).ok(),
            });
        }
    }

    laps.lap(|t| &mut t.layout);

    // Dates.
    let furniture = |pos: usize| {
        lay.lines
            .iter()
            .any(|l| l.kind == LineKind::Furniture && l.start <= pos && pos < l.end)
    };
    let timexes: Vec<timex::Timex> = timex::find(text, published)
        .into_iter()
        .filter(|t| !furniture(t.start))
        .collect();
    if published.is_none() && timexes.iter().any(|t| t.relative) {
        for t in timexes.iter().filter(|t| t.relative) {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                message: format!(
                    "relative date {:?} left unresolved: no publication date in the metadata or a dateline",
                    &text[t.start..t.end]
                ),
                span: Span::new(t.start, t.end).ok(),
            });
        }
    }

    laps.lap(|t| &mut t.dates);

    // Names.
    let qspans = quotes::find_spans(&lay);
    laps.lap(|t| &mut t.quote_marks);
    let marks: Vec<(usize, usize, usize, usize)> = qspans
        .iter()
        .filter(|q| !q.single && !q.block)
        .map(|q| (q.open, q.close_end, q.start, q.end))
        .collect();
    let mut ents = entities::find(&lay, &marks);
    laps.lap(|t| &mut t.names);
    // Quotation marks inside a person's name ("Abu \"the Doctor\" Hamid") hold a nickname
    // (a scan of every name for every quotation was quadratic).
    let people = text::Reach::new(
        ents.refs
            .iter()
            .filter(|r| {
                !r.demonym
                    && r.entity
                        .is_some_and(|e| ents.entities[e].kind == EntityKind::Person)
            })
            .map(|r| (r.start, r.end)),
    );
    let nicknames: Vec<usize> = qspans
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.block && people.reaches(q.open, q.close_end))
        .map(|(i, _)| i)
        .collect();
    laps.lap(|t| &mut t.quote_marks);
    let (relations, roles) = relations::find(&lay, &ents.refs, &ents.entities);
    for (e, role) in roles {
        if !ents.titles[e].contains(&role) {
            ents.titles[e].push(role);
        }
    }
    laps.lap(|t| &mut t.relations);

    // Date entities, one per value (or per surface when unresolved). The named entities
    // move out of `ents`: the stages after this read only its references and titles.
    let mut entities = std::mem::take(&mut ents.entities);
    let mut by_value: BTreeMap<String, usize> = BTreeMap::new();
    for t in &timexes {
        let Ok(span) = Span::new(t.start, t.end) else {
            continue;
        };
        let surface = text[t.start..t.end].to_string();
        let key = t
            .value
            .clone()
            .unwrap_or_else(|| format!("?{}", surface.to_lowercase()));
        let idx = *by_value.entry(key).or_insert_with(|| {
            entities.push(LocalEntity {
                kind: EntityKind::Date,
                name: t.value.clone().unwrap_or_else(|| surface.clone()),
                aliases: t.value.iter().cloned().collect(),
                mentions: Vec::new(),
                value: t.value.clone(),
                author: false,
            });
            entities.len() - 1
        });
        let e = &mut entities[idx];
        e.mentions.push(span);
        if !e.aliases.contains(&surface) {
            e.aliases.push(surface);
        }
    }

    laps.lap(|t| &mut t.finish);
    let quotes = quotes::attribute(&lay, &qspans, &ents, &entities, &timexes, &nicknames);
    laps.lap(|t| &mut t.quotes);
    let events = events::find(&lay, &ents.refs, &entities, &timexes, &qspans, published);
    laps.lap(|t| &mut t.events);
    let mut x = Extraction {
        published: published.map(|d| d.format("%Y-%m-%d").to_string()),
        entities,
        quotes,
        events,
        relations,
        diagnostics,
    };
    finish(&mut x);
    let valid = x.validate(text);
    laps.lap(|t| &mut t.finish);
    match valid {
        Ok(()) => x,
        Err(why) => Extraction {
            published: x.published,
            diagnostics: vec![Diagnostic {
                severity: Severity::Warning,
                message: format!("extraction dropped: {why}"),
                span: None,
            }],
            ..Extraction::default()
        },
    }
}

/// Sorts everything by span (entities by first mention), keeping indices right.
fn finish(x: &mut Extraction) {
    for e in &mut x.entities {
        e.mentions.sort();
        e.mentions.dedup();
    }
    let mut order: Vec<usize> = (0..x.entities.len()).collect();
    // Compared by reference: a key with the name would clone it at every comparison.
    let key = |i: usize| {
        let e = &x.entities[i];
        (e.mentions.first().copied(), e.kind, e.name.as_str())
    };
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut old: Vec<Option<LocalEntity>> = std::mem::take(&mut x.entities)
        .into_iter()
        .map(Some)
        .collect();
    x.entities = order.iter().filter_map(|&i| old[i].take()).collect();
    for q in &mut x.quotes {
        q.speaker = q.speaker.map(|s| new_index[s]);
    }
    for ev in &mut x.events {
        for p in &mut ev.places {
            *p = new_index[*p];
        }
        for a in &mut ev.actors {
            a.entity = new_index[a.entity];
        }
    }
    for r in &mut x.relations {
        r.subject = new_index[r.subject];
        r.object = r.object.map(|o| new_index[o]);
    }
    x.quotes.sort_by_key(|q| q.span);
    x.events.sort_by_key(|e| e.trigger);
    x.relations.sort_by_key(|r| r.span);
    x.diagnostics.sort_by_key(|d| d.span);
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::DocumentMeta;
    use proptest::prelude::*;

    fn doc(text: &str, published: Option<&str>) -> Document {
        let mut meta = DocumentMeta::new("t.txt");
        meta.published = published.map(String::from);
        Document::new(meta, text.to_string())
    }

    #[test]
    fn a_whole_article_validates_and_is_deterministic() {
        let text =
            "Ministers Meet In Oslo\n\nBy Kari Nordmann\nMonday, Mar 06, 2023 - 09:10 AM\n\n\
            Norwegian Prime Minister Jonas Gahr Store hosted talks in Oslo on Monday. \
            \u{201c}We are ready,\u{201d} Store said. Sweden condemned the delay last week.";
        let d = doc(text, None);
        let a = extract(&d);
        assert_eq!(a, extract(&d));
        assert!(a.validate(text).is_ok());
        assert_eq!(a.published.as_deref(), Some("2023-03-06"));
        let store = a
            .entities
            .iter()
            .position(|e| e.name == "Jonas Gahr Store")
            .expect("person");
        assert_eq!(a.quotes[0].speaker, Some(store));
        assert!(a
            .entities
            .iter()
            .any(|e| e.name == "Kari Nordmann" && e.author));
        assert!(a.events.iter().any(|e| e.cameo == "111"));
        assert!(a
            .events
            .iter()
            .any(|e| e.cameo == "046" && e.date.as_deref() == Some("2023-03-06")));
    }

    #[test]
    fn relative_dates_without_a_reference_are_diagnosed() {
        let d = doc("The council met on Friday.", None);
        let x = extract(&d);
        assert_eq!(x.published, None);
        let date = x
            .entities
            .iter()
            .find(|e| e.kind == EntityKind::Date)
            .unwrap();
        assert_eq!(date.value, None);
        assert!(x
            .diagnostics
            .iter()
            .any(|d| d.message.contains("unresolved")));
    }

    #[test]
    fn metadata_date_wins_over_dateline() {
        let d = doc(
            "Headline\nJanuary 2, 2020\n\nIt rained yesterday.",
            Some("2021-05-05T10:00:00"),
        );
        let x = extract(&d);
        assert_eq!(x.published.as_deref(), Some("2021-05-05"));
        assert!(x
            .entities
            .iter()
            .any(|e| e.value.as_deref() == Some("2021-05-04")));
    }

    #[test]
    fn empty_and_odd_inputs() {
        for t in [
            "",
            "\n\n",
            "\"",
            "\u{201c}",
            "'",
            "U.S.",
            "Al-",
            "(ABC)",
            "Mr. ",
            "\u{0}\u{ffff}",
            "é’s ’s 's",
        ] {
            let x = extract(&doc(t, None));
            assert!(x.validate(t).is_ok(), "{t:?}");
        }
    }

    #[test]
    fn calendar_edges_do_not_panic() {
        let t = "Next week, yesterday, last Friday, next Monday, 5 years ago, 3 weeks ago, next month, tomorrow.";
        for p in ["9999-12-31", "0000-01-01", "2024-02-29"] {
            let x = extract(&doc(t, Some(p)));
            assert!(x.validate(t).is_ok(), "{p}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn never_panics_and_always_validates(s in "\\PC{0,300}") {
            let d = doc(&s, Some("2024-02-08"));
            let x = extract(&d);
            prop_assert!(x.validate(&s).is_ok());
        }

        #[test]
        fn newsy_strings_validate(s in "([A-Z][a-z]{1,8}|U\\.S\\.|al-|[\u{201c}\u{201d}\"'’]|said|on Friday|[.,:;]| |\n|[0-9]{1,4}){0,60}") {
            let d = doc(&s, None);
            let x = extract(&d);
            prop_assert!(x.validate(&s).is_ok());
            prop_assert_eq!(x, extract(&d));
        }
    }
}
