//! Article `n` of a corpus: a template with new people, places and dates.
//!
//! Each article depends only on the seed, its number and the templates: its random
//! stream is seeded with `hash(seed, n)`. So articles can be made in parallel and in any
//! order, and the first 10,000 articles of a 100,000-article corpus are the 10,000 of a
//! corpus of that size with the same seed.

use chrono::{Datelike, NaiveDate};

use crate::dates::add_days;
use crate::pools::{Country, Pools, MAX_REDRAWS};
use crate::rng::{hash, SplitMix64};
use crate::template::{Fill, NameForm, PlaceKind, Slot, Template};

use crate::dates::MONTHS;

/// One generated article with its metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Its number in the corpus, from 0.
    pub number: u64,
    /// Which template it was made from (index in input order).
    pub template: usize,
    /// The text.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// The publication date (`YYYY-MM-DD`, with the template's time if it had one).
    pub published: Option<String>,
    /// Bylines.
    pub authors: Vec<String>,
    /// The template's publisher.
    pub publisher: Option<String>,
    /// A stable id: `annals-corpus-SEED-N`.
    pub id: String,
}

/// Makes articles from analysed templates.
#[derive(Debug)]
pub struct Generator {
    templates: Vec<Template>,
    pools: Pools,
    seed: u64,
    from: NaiveDate,
    to: NaiveDate,
}

/// The first publication day of a generated article, unless told otherwise.
pub fn default_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2010, 1, 1).expect("a valid date")
}

/// The last publication day of a generated article, unless told otherwise.
pub fn default_to() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).expect("a valid date")
}

/// Whole weeks from `from` to `to`, rounded down (negative when `to` is earlier).
fn weeks_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().div_euclid(7)
}

/// Makes an indefinite article just before `at` agree with the word that starts there
/// ("a Ugandan", "an Ugandan" by the first letter: a vowel letter takes "an").
fn fix_article(out: &mut String, at: usize) {
    let Some(first) = out[at..].chars().next() else {
        return;
    };
    let before = &out[..at];
    let vowel = matches!(first.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u');
    let word_start = |i: usize| {
        !before[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    let replace = |w: &str| (before.ends_with(w) && word_start(at - w.len())).then_some(w.len());
    let (len, cap) = if let Some(n) = replace("an ").or_else(|| replace("An ")) {
        (n, before[at - n..].starts_with('A'))
    } else if let Some(n) = replace("a ").or_else(|| replace("A ")) {
        (n, before[at - n..].starts_with('A'))
    } else {
        return;
    };
    let word = match (vowel, cap) {
        (true, true) => "An ",
        (true, false) => "an ",
        (false, true) => "A ",
        (false, false) => "a ",
    };
    out.replace_range(at - len..at, word);
}

/// The names and date shift chosen for one article.
struct Names<'a> {
    people: &'a [(usize, &'static str, &'static str)],
    places: &'a [(&'static str, Option<Country>)],
    shift: i64,
}

impl Names<'_> {
    /// `src` with its slots filled, and where byte `mark` of `src` ends up (a mark inside
    /// a slot moves to the slot's end).
    fn fill(&self, src: &str, slots: &[Slot], mark: usize) -> (String, usize) {
        let mut out = String::with_capacity(src.len() + 64);
        let mut at = 0;
        let mut moved = None;
        for s in slots {
            if moved.is_none() && mark <= s.start {
                moved = Some(out.len() + mark - at);
            }
            out.push_str(&src[at..s.start]);
            let replaced_at = out.len();
            match &s.fill {
                Fill::Person(i, form) => {
                    let (_, f, l) = self.people[*i];
                    match form {
                        NameForm::Full => {
                            out.push_str(f);
                            out.push(' ');
                            out.push_str(l);
                        }
                        NameForm::First => out.push_str(f),
                        NameForm::Last => out.push_str(l),
                    }
                }
                Fill::Place(i) => out.push_str(self.places[*i].0),
                Fill::Demonym(i, plural) => {
                    let (name, country) = self.places[*i];
                    let word = country.and_then(|c| if *plural { c.plural } else { c.demonym });
                    out.push_str(word.unwrap_or(name));
                }
                Fill::Date(p) => {
                    if p.render(self.shift, &mut out).is_none() {
                        out.push_str(&src[s.start..s.end]);
                    }
                }
            }
            if let Some(apostrophe) = s.possessive {
                let ends_in_s = out.ends_with('s');
                out.push(apostrophe);
                if !ends_in_s {
                    out.push('s');
                }
            }
            fix_article(&mut out, replaced_at);
            at = s.end;
            if moved.is_none() && mark < at {
                moved = Some(out.len());
            }
        }
        let moved = moved.unwrap_or(out.len() + mark.saturating_sub(at));
        out.push_str(&src[at..]);
        (out, moved)
    }
}

impl Generator {
    /// A generator over `templates` (analysed with `pools`), publishing between 2010 and
    /// 2024.
    pub fn new(templates: Vec<Template>, pools: Pools, seed: u64) -> Generator {
        Generator {
            templates,
            pools,
            seed,
            from: default_from(),
            to: default_to(),
        }
    }

    /// Sets the range of publication days (`from <= to`).
    pub fn with_window(mut self, from: NaiveDate, to: NaiveDate) -> Generator {
        self.from = from.min(to);
        self.to = to.max(from);
        self
    }

    /// The templates.
    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// Article number `n` (`None` when there are no templates).
    pub fn article(&self, n: u64) -> Option<Article> {
        if self.templates.is_empty() {
            return None;
        }
        let mut rng = SplitMix64::new(hash(&[self.seed, n]));
        let ti = rng.below(self.templates.len() as u64) as usize;
        let t = &self.templates[ti];

        // Dates: move the whole article by whole weeks, so weekday names stay true and
        // relative dates ("last Friday") resolve to the moved days.
        let (shift, published) = match t.published {
            Some(p) => {
                let lo = -weeks_between(self.from, p);
                let hi = weeks_between(p, self.to);
                let weeks = if lo <= hi { rng.range_i64(lo, hi) } else { 0 };
                (weeks * 7, add_days(p, weeks * 7))
            }
            None => {
                let span = (self.to - self.from).num_days().max(0);
                (0, add_days(self.from, rng.range_i64(0, span)))
            }
        };

        // People: distinct identities with distinct surnames within the article.
        let mut people: Vec<(usize, &str, &str)> = Vec::with_capacity(t.persons);
        for _ in 0..t.persons {
            let mut pick = None;
            for _ in 0..MAX_REDRAWS {
                let rank = self.pools.draw_person(&mut rng);
                let (f, s) = self.pools.person(rank);
                pick = Some((rank, f, s));
                if !people.iter().any(|p| p.0 == rank || p.2 == s) {
                    break;
                }
            }
            people.extend(pick);
        }
        // Places: distinct names within the article.
        let mut places: Vec<(&str, Option<Country>)> = Vec::with_capacity(t.places.len());
        for kind in &t.places {
            let mut pick = ("", None);
            for _ in 0..MAX_REDRAWS {
                let country = match kind {
                    PlaceKind::Country(_) => self.pools.draw_country(&mut rng),
                    PlaceKind::City => None,
                };
                pick = match country {
                    Some(c) => (self.pools.country(c).name, Some(self.pools.country(c))),
                    None => (self.pools.draw_city(&mut rng), None),
                };
                if !places.iter().any(|p| p.0 == pick.0) {
                    break;
                }
            }
            places.push(pick);
        }
        let dateline_place = t
            .slots
            .iter()
            .find_map(|s| match s.fill {
                Fill::Place(i) if t.places[i] == PlaceKind::City => Some(places[i].0),
                _ => None,
            })
            .unwrap_or_else(|| self.pools.draw_city(&mut rng));

        let names = Names {
            people: &people,
            places: &places,
            shift,
        };
        let (body, head) = names.fill(&t.text, &t.slots, t.head_end);
        // The generated line after the headline: a dateline with the article's number.
        // It follows the headline and a blank line and differs for every n, so no two
        // articles of a corpus are the same bytes.
        let mut line = dateline_place.to_string();
        if let Some(d) = published {
            let month = MONTHS[d.month0() as usize];
            line.push_str(&format!(", {month} {}, {}", d.day(), d.year()));
        }
        line.push_str(&format!(" (report {}-{n})", self.seed));
        let mut text = String::with_capacity(body.len() + line.len() + 2);
        text.push_str(&body[..head]);
        text.push_str("\n\n");
        text.push_str(&line);
        text.push_str(&body[head..]);

        let title = match &t.meta.title {
            Some(title) => Some(names.fill(title, &t.title_slots, title.len()).0),
            None => annals_ingest::formats::first_line_title(&text),
        };
        let authors = t
            .authors
            .iter()
            .map(|&i| format!("{} {}", people[i].1, people[i].2))
            .collect();
        Some(Article {
            number: n,
            template: ti,
            text,
            title,
            published: published.map(|d| format!("{}{}", d.format("%Y-%m-%d"), t.published_suffix)),
            authors,
            publisher: t.meta.publisher.clone(),
            id: format!("annals-corpus-{}-{n}", self.seed),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use annals_model::{Document, DocumentMeta};

    use super::*;
    use crate::generator;

    const TEMPLATE: &str = "Mayor Hendrik Vos Visits Tilburg\n\nby Nora Quist\n\
        Tuesday, Feb 06, 2024\n\n\
        Mayor Hendrik Vos said on Tuesday that the strike in Tilburg on February 5 \
        killed two people. Vos spoke in Tilburg. Norwegian officials and the \
        Netherlands' envoy met in Norway last week. An Austrian diplomat was there.";

    fn gen(seed: u64) -> Generator {
        let mut meta = DocumentMeta::new("t.txt");
        meta.published = Some("2024-02-06T09:30:00".into());
        meta.authors = vec!["Nora Quist".into()];
        meta.publisher = Some("The Daily".into());
        generator(&[Document::new(meta, TEMPLATE.into())], seed)
    }

    #[test]
    fn same_seed_same_articles_and_other_seed_other_articles() {
        let (a, b, c) = (gen(5), gen(5), gen(6));
        for n in 0..20 {
            assert_eq!(a.article(n), b.article(n));
            assert_ne!(a.article(n).unwrap().text, c.article(n).unwrap().text);
        }
    }

    #[test]
    fn articles_of_a_corpus_are_distinct_even_from_one_template() {
        let g = gen(1);
        let mut seen = HashSet::new();
        for n in 0..300 {
            assert!(
                seen.insert(g.article(n).unwrap().text),
                "article {n} repeats"
            );
        }
    }

    #[test]
    fn names_and_dates_are_replaced_consistently() {
        let g = gen(2);
        for n in 0..30 {
            let a = g.article(n).unwrap();
            let t = &a.text;
            for gone in [
                "Hendrik",
                "Vos",
                "Tilburg",
                "Nora Quist",
                "Norw",
                "Netherlands",
            ] {
                assert!(!t.contains(gone), "{gone} left in {t}");
            }
            // The author and the byline name the same generated person.
            assert_eq!(a.authors.len(), 1);
            assert!(t.contains(&format!("by {}\n", a.authors[0])), "{t}");
            // The mayor's full name and his lone surname agree.
            let body = t.split("Mayor ").nth(2).unwrap();
            let full: Vec<&str> = body.split(" said").next().unwrap().split(' ').collect();
            assert!(
                t.contains(&format!(". {} spoke in", full[full.len() - 1])),
                "{t}"
            );
            // Weekday and date moved together, by whole weeks, with the publication day.
            let published = a.published.as_deref().unwrap();
            assert!(published.ends_with("T09:30:00"), "{published}");
            let day = NaiveDate::parse_from_str(&published[..10], "%Y-%m-%d").unwrap();
            assert_eq!(day.weekday(), chrono::Weekday::Tue);
            assert!(
                t.contains(&format!("Tuesday, {}", day.format("%b %d, %Y"))),
                "{t}"
            );
            assert!((default_from()..=default_to()).contains(&day));
            let strike = add_days(day, -1).unwrap();
            assert!(t.contains(&format!(
                "on {} {} killed",
                MONTHS[strike.month0() as usize],
                strike.day()
            )));
            // Grammar around replacements stays well-formed.
            assert!(
                !t.contains("s's envoy") && !t.contains("' envoy") || t.contains("s' envoy"),
                "{t}"
            );
            assert!(t.contains("'s envoy") || t.contains("s' envoy"), "{t}");
            assert!(
                !t.contains(" a A") && !t.contains("An B") && !t.contains("An C"),
                "{t}"
            );
        }
    }

    #[test]
    fn the_title_and_the_dateline_line_come_first() {
        let a = gen(3).article(7).unwrap();
        let lines: Vec<&str> = a.text.lines().collect();
        assert_eq!(Some(lines[0]), a.title.as_deref());
        assert_eq!(lines[1], "");
        assert!(lines[2].ends_with("(report 3-7)"), "{}", lines[2]);
        assert_eq!(lines[3], "");
        assert_eq!(a.id, "annals-corpus-3-7");
        assert_eq!(a.publisher.as_deref(), Some("The Daily"));
    }

    #[test]
    fn an_undated_template_gets_a_publication_day_in_the_range() {
        let doc = Document::new(
            DocumentMeta::new("u.txt"),
            "Talks in Tilburg\n\nThe talks in Tilburg went on last Friday.".into(),
        );
        let g = generator(&[doc], 1);
        for n in 0..10 {
            let a = g.article(n).unwrap();
            let day = a.published.as_deref().unwrap();
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            assert!((default_from()..=default_to()).contains(&day));
            assert!(a.text.contains("went on last Friday."), "{}", a.text);
            let line = a.text.lines().nth(2).unwrap();
            let month = MONTHS[day.month0() as usize];
            let dated = format!(", {month} {}, {} (report 1-{n})", day.day(), day.year());
            assert!(line.ends_with(&dated), "{line}");
        }
    }

    #[test]
    fn indefinite_articles_agree_with_the_new_word() {
        let fixed = |s: &str, at: usize| {
            let mut o = s.to_string();
            fix_article(&mut o, at);
            o
        };
        assert_eq!(fixed("a Oslo", 2), "an Oslo");
        assert_eq!(fixed("An Bergen", 3), "A Bergen");
        assert_eq!(fixed("in a Bergen", 5), "in a Bergen");
        assert_eq!(fixed("Papa Oslo", 5), "Papa Oslo");
        assert_eq!(fixed("Sabina Oslo", 7), "Sabina Oslo");
    }

    #[test]
    fn marks_follow_the_replacements() {
        let names = Names {
            people: &[(0, "Ann", "Lee")],
            places: &[("Oslo", None)],
            shift: 0,
        };
        let src = "Bo Ek met X.\nY";
        let slots = vec![
            Slot {
                start: 0,
                end: 5,
                fill: Fill::Person(0, NameForm::Full),
                possessive: None,
            },
            Slot {
                start: 10,
                end: 11,
                fill: Fill::Place(0),
                possessive: None,
            },
        ];
        let (out, at) = names.fill(src, &slots, 12);
        assert_eq!(out, "Ann Lee met Oslo.\nY");
        assert_eq!(&out[at..], "\nY");
        assert_eq!(
            names.fill(src, &slots, 2).1,
            7,
            "a mark inside a slot moves to its end"
        );
        assert_eq!(names.fill(src, &slots, 0).1, 0);
    }
}
