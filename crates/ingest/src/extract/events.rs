//! Events: trigger words and phrases from `data/lexicon/cameo_triggers.tsv` mapped to
//! CAMEO codes, with their arguments read from the same sentence: the date expression
//! nearest the trigger, the place after a locative preposition, the actor before the
//! trigger (source) and after it (target), the modality of the clause and a stated
//! count. One event per trigger mention; merging across articles is the store's business.
//!
//! Within the article, a second pass links mentions that report the same happening, so
//! that the store can merge them: a killing reported as the result of a strike ("a strike
//! that killed four", "was killed in a drone strike"), and an undated definite reference
//! ("the strike", "the latest drone strike", a headline) to the mention it refers back to
//! (same sentence or the one before, else the article's first report of that kind). A
//! linked mention without a date, place or source takes the one of the mention it refers
//! to. Bare undated plurals with no place or count ("attacks on US troops") are generic,
//! not events, and are left out.

use annals_model::{EntityKind, LocalActor, LocalEntity, LocalEvent, Modality, Role, Span};
use chrono::{Duration, NaiveDate};

use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::entities::Ref;

use super::lexicon::{GazKind, Words, LEXICON, LOCATIVE, WEEKDAYS};
use super::quotes::QSpan;
use super::text::{Layout, LineKind, Lower, Reach, Sentence};
use super::timex::Timex;

const NEGATORS: &[&str] = &[
    "not", "no", "never", "didn't", "didn’t", "don't", "don’t", "won't", "won’t", "without",
    "cannot", "neither", "nor", "denied", "n't",
];
const HYPOTHETICAL: &[&str] = &[
    "could",
    "may",
    "might",
    "would",
    "should",
    "if",
    "threatens",
    "threatened",
    "threaten",
    "threatening",
    "possible",
    "possibly",
    "unless",
];
const FUTURE: &[&str] = &[
    "will", "expected", "plans", "plan", "planned", "planning", "slated", "set", "going",
    "intends", "intend", "promised", "vowed", "pledged", "'ll", "upcoming",
];
const CLAUSE_BREAK: &[&str] = &[
    "but", "while", "although", "though", "which", "who", "because", "after", "before", "when",
];
const NOMINAL_BEFORE: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our",
    "latest", "recent", "new", "deadly", "more", "further", "another", "any", "repeated", "heavy",
    "targeted", "fresh", "many", "several", "of", "by",
];
const LIGHT_VERBS: &[&str] = &[
    "carried",
    "conducted",
    "launched",
    "mounted",
    "staged",
    "carry",
    "conduct",
    "launch",
    "launching",
    "mount",
    "held",
    "hold",
    "began",
    "begin",
    "started",
    "start",
    "led",
    "carrying",
    "conducting",
];
/// Determiners that make a noun phrase refer to something already known.
const DEFINITE: &[&str] = &[
    "the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "such",
];
/// Determiners and quantifiers that introduce one (new) happening.
const INDEFINITE: &[&str] = &["a", "an", "one", "another", "two", "three", "several"];
/// Quantifiers of a generic plural ("all recent strikes", "many attacks").
const GENERIC_QUANT: &[&str] = &["all", "many", "repeated", "frequent", "any", "some", "most"];
/// Modifiers that may stand between a determiner and an event noun.
const NP_MODIFIERS: &[&str] = &[
    "latest",
    "recent",
    "new",
    "deadly",
    "heavy",
    "targeted",
    "fresh",
    "further",
    "more",
    "alleged",
    "apparent",
    "suspected",
    "overnight",
    "large",
    "massive",
    "major",
    "first",
    "second",
    "last",
    "late",
    "early",
    "fatal",
    "lethal",
    "precision",
    "retaliatory",
    "surprise",
    "drone",
    "missile",
    "rocket",
    "air",
    "military",
    "unilateral",
    "blatant",
    "contentious",
    "brazen",
    "summary",
    "other",
    "same",
    "earlier",
];
/// Modifiers that point at the article's main happening ("the latest strike").
const LATEST: &[&str] = &["latest", "recent"];
/// Verbs of saying: an actor before one is the speaker, not the agent of what follows.
const SPEECH: &[&str] = &[
    "said", "says", "say", "told", "stated", "added", "argued", "claimed", "noted",
];
/// Plural event nouns that, bare and undated, name a kind of happening, not one.
const GENERIC_PLURALS: &[&str] = &[
    "strikes",
    "attacks",
    "airstrikes",
    "raids",
    "bombings",
    "explosions",
    "accusations",
    "clashes",
    "killings",
    "assaults",
];

const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "dozen",
];

fn parse_count(w: &str) -> Option<u32> {
    let digits: String = w.chars().filter(|c| *c != ',').collect();
    if let Ok(n) = digits.parse::<u32>() {
        return Some(n);
    }
    let l = w.to_lowercase();
    NUMBER_WORDS.iter().position(|x| *x == l).map(|n| {
        if n == 12 && l == "dozen" {
            12
        } else {
            n as u32
        }
    })
}

/// Words that report deaths; a number next to them is a death toll.
const DEATH_WORDS: &[&str] = &[
    "killed", "killing", "kills", "kill", "dead", "died", "deaths",
];
/// Words that report injuries.
const INJURY_WORDS: &[&str] = &["injured", "injuring", "wounded", "wounding", "injuries"];
/// Words that may stand between a number and the casualty word ("two people were killed",
/// "killed 40 US soldiers", "nearly 100 dead").
const TOLL_FILLER: &[&str] = &[
    "people",
    "persons",
    "civilians",
    "soldiers",
    "troops",
    "officials",
    "others",
    "other",
    "were",
    "was",
    "have",
    "had",
    "been",
    "are",
    "more",
    "than",
    "at",
    "least",
    "nearly",
    "around",
    "about",
    "some",
    "almost",
    "over",
    "up",
    "to",
    "us",
    "u.s.",
    "american",
    "the",
    "of",
    "army",
    "militants",
    "fighters",
    "police",
    "children",
];

/// The casualty counts stated in the sentence `s0..s1`, in order: each a number within a
/// few filler words before or after one of `words`, with that word's position. Years are
/// never counts.
fn casualty_counts(lower: &Lower, s0: usize, s1: usize, words: &Words) -> Vec<(usize, u32)> {
    let number = |j: usize| {
        parse_count(&lower[j]).filter(|&n| n > 0 && !(1900..=2100).contains(&n) && n < 1_000_000)
    };
    let mut counts = Vec::new();
    for k in s0..s1 {
        if !words.contains(&lower[k]) {
            continue;
        }
        let mut found = None;
        // "killed three soldiers", "killing around 40 people"
        for (j, w) in (k + 1..(k + 5).min(s1)).map(|j| (j, &lower[j])) {
            if let Some(n) = number(j) {
                found = Some(n);
                break;
            }
            if !TOLL_FILLER.contains(&w) {
                break;
            }
        }
        // "at least two people were killed", "nearly 100 dead"
        let mut j = k;
        while found.is_none() && j > s0 && k - j < 5 {
            j -= 1;
            if let Some(n) = number(j) {
                found = Some(n);
            } else if !TOLL_FILLER.contains(&&lower[j]) {
                break;
            }
        }
        if let Some(n) = found {
            counts.push((k, n));
        }
    }
    counts
}

/// [`DEATH_WORDS`] and [`INJURY_WORDS`] as word sets, each behind its filter.
static CASUALTY_WORDS: LazyLock<(Words, Words)> = LazyLock::new(|| {
    let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect();
    (words(DEATH_WORDS), words(INJURY_WORDS))
});

/// The casualty count of [`casualty_counts`] for the trigger at `t0`: when the sentence
/// has several, the one nearest the trigger (the first of those as near).
fn nearest_count(counts: &[(usize, u32)], t0: usize) -> Option<u32> {
    counts
        .iter()
        .min_by_key(|(k, _)| k.abs_diff(t0))
        .map(|&(_, n)| n)
}

/// Words back from a definite mention ("the strike") that its antecedent in the same or
/// the previous sentence may lie: more than two real sentences have.
const LOOKBACK: usize = 300;

/// Words either side of a trigger that its analysis reads: far more than any real
/// sentence has.
const REACH: usize = 100;

/// The part of sentence `s` within [`REACH`] words of the trigger `t0..t1`: `s` itself
/// unless it is longer.
fn within_reach(lay: &Layout<'_>, s: Sentence, t0: usize, t1: usize) -> Sentence {
    let (a, b) = (s.t0.max(t0.saturating_sub(REACH)), s.t1.min(t1 + REACH));
    Sentence {
        start: if a == s.t0 {
            s.start
        } else {
            lay.tokens[a].start
        },
        end: if b == s.t1 {
            s.end
        } else {
            lay.tokens[b - 1].end
        },
        t0: a,
        t1: b,
        ..s
    }
}

/// Finds the events of a text.
pub(crate) fn find(
    lay: &Layout<'_>,
    refs: &[Ref],
    entities: &[LocalEntity],
    timexes: &[Timex],
    quotes: &[QSpan],
    published: Option<NaiveDate>,
) -> Vec<LocalEvent> {
    let lx = &*LEXICON;
    let text = lay.text;
    let lower = &lay.lower;
    let mut out: Vec<Found> = Vec::new();
    // Looked up for every trigger, so sorted once (scanning all of them for each trigger
    // was quadratic on a text with thousands of triggers): the time expressions by
    // start, and the double-quoted spans.
    let mut timexes: Vec<&Timex> = timexes.iter().collect();
    timexes.sort_by_key(|t| (t.start, t.end));
    let quoted = Reach::new(
        quotes
            .iter()
            .filter(|q| !q.single)
            .map(|q| (q.start, q.end)),
    );
    let first_words = &lx.trigger_first;
    // The casualty counts of the last sentence (its token range) a violent trigger was in.
    type Tolls = ((usize, usize), Vec<(usize, u32)>, Vec<(usize, u32)>);
    let mut tolls: Option<Tolls> = None;
    let bytes = text.as_bytes();
    // In an ASCII text a token's lowercase form has its length, and its first and last
    // bytes differ from the token's at most in the bit a word filter drops: the token's
    // own bytes rule it out without reading the lowercase form.
    let ascii = text.is_ascii();
    let mut i = 0;
    while i < lay.tokens.len() {
        let t = lay.tokens[i];
        let may_start = if ascii {
            first_words.may_contain_bytes(&bytes[t.start..t.end])
        } else {
            first_words.may_contain(&lower[i])
        };
        if !may_start {
            i += 1;
            continue;
        }
        let word = &lower[i];
        let Some(cands) = lx.trigger_index.get(word) else {
            i += 1;
            continue;
        };
        let si = lay.tok_sent[i];
        let Some(sent) = lay.sentences.get(si).copied() else {
            i += 1;
            continue;
        };
        let trig = cands.iter().map(|&c| &lx.triggers[c]).find(|t| {
            i + t.words.len() <= sent.t1
                && t.words.iter().enumerate().all(|(k, w)| lower[i + k] == *w)
        });
        let Some(trig) = trig else {
            i += 1;
            continue;
        };
        let (t0, t1) = (i, i + trig.words.len());
        i = t1;
        let ts = lay.tokens[t0].start;
        let te = lay.tokens[t1 - 1].end;
        // The rest reads the trigger's sentence: a "sentence" of thousands of words (a
        // page without full stops) is cut to REACH words either side of the trigger, so
        // the work per trigger stays bounded (it grew with the sentence: quadratic).
        let sent = within_reach(lay, sent, t0, t1);
        if lay.sent_kind(si) == LineKind::Furniture || lay.sent_kind(si) == LineKind::Byline {
            continue;
        }
        // Inside a double quotation: one starting at or before it reaches past it.
        if quoted.reaches(ts + 1, te) {
            continue;
        }
        // Modality, from the words before the trigger in its clause.
        let mut clause_start = t0;
        while clause_start > sent.t0 && t0 - clause_start < 8 {
            let p = clause_start - 1;
            let gap = lay.gap(p);
            if gap.contains([',', ';', ':']) || CLAUSE_BREAK.contains(&&lower[p]) {
                break;
            }
            clause_start = p;
        }
        let window: Vec<&str> = (clause_start..t0).map(|k| &lower[k]).collect();
        let modality = if window
            .iter()
            .rev()
            .take(5)
            .any(|w| NEGATORS.contains(w) || w.ends_with("n't") || w.ends_with("n’t"))
        {
            Modality::Negated
        } else if window.iter().any(|w| HYPOTHETICAL.contains(w)) && trig.code != "130" {
            Modality::Hypothetical
        } else if window.iter().any(|w| FUTURE.contains(w)) {
            Modality::Future
        } else {
            Modality::Asserted
        };
        // A stated count: "attacked more than 160 times", "30 attacks".
        let mut count = None;
        for k in t1..(t1 + 6).min(sent.t1) {
            if matches!(&lower[k], "times" | "occasions") {
                count = (t1..k).rev().find_map(|j| parse_count(&lower[j]));
                break;
            }
        }
        if count.is_none() && t0 > sent.t0 && lower[t1 - 1].ends_with('s') {
            count = parse_count(&lower[t0 - 1]);
        }
        // Casualties stated in the sentence of a violent event.
        let (killed, injured) = if matches!(family(&trig.code), "force" | "20") {
            // The counts of a sentence are read once for all its triggers.
            let span = (sent.t0, sent.t1);
            if tolls.as_ref().is_none_or(|t| t.0 != span) {
                tolls = Some((
                    span,
                    casualty_counts(lower, sent.t0, sent.t1, &CASUALTY_WORDS.0),
                    casualty_counts(lower, sent.t0, sent.t1, &CASUALTY_WORDS.1),
                ));
            }
            let (_, dead, hurt) = tolls.as_ref().expect("filled above");
            (nearest_count(dead, t0), nearest_count(hurt, t0))
        } else {
            (None, None)
        };
        // Date: the nearest time expression in the sentence. A weekday said of a future
        // event ("will meet on Thursday") is the coming one, never one already past.
        // Candidate time expressions of the sentence, nearest first; the second pass
        // keeps the nearest one that no other trigger stands in front of.
        let first = timexes.partition_point(|t| t.start < sent.start);
        let mut timex_cands: Vec<(usize, usize, usize, String)> = timexes[first..]
            .iter()
            .take_while(|t| t.start < sent.end)
            .filter(|t| t.end <= sent.end)
            .filter_map(|t| {
                let v = t.value.clone()?;
                let dist = if t.start >= te {
                    t.start - te
                } else {
                    ts.saturating_sub(t.end)
                };
                let v = if modality == Modality::Future {
                    forward_weekday(&text[t.start..t.end], v, published)
                } else {
                    v
                };
                Some((dist, t.start, t.end, v))
            })
            .collect();
        timex_cands.sort();
        let date = timex_cands.first().map(|c| c.3.clone());
        // A time expression that opens the sentence ("In January 2020, ...") dates all of it.
        let opening = |start: usize, end: usize| {
            lay.tokens[sent.t0..sent.t1.min(sent.t0 + 2)]
                .iter()
                .any(|t| t.start == start)
                && text[end..].trim_start().starts_with(',')
        };
        let timex_cands: Vec<(usize, usize, bool, String)> = timex_cands
            .into_iter()
            .map(|(_, a, b, v)| (a, b, opening(a, b), v))
            .collect();
        // Refs of this sentence, with the token they start at.
        let a = refs.partition_point(|r| r.start < sent.start);
        let srefs: Vec<(usize, &Ref)> = refs[a..]
            .iter()
            .take_while(|r| r.end <= sent.end)
            .filter(|r| r.entity.is_some())
            .map(|r| (lay.tokens.partition_point(|t| t.start < r.start), r))
            .collect();
        // A locative phrase: "in Baghdad", "in a crowded east Baghdad neighborhood".
        // An "-ed" or "-ing" word is a modifier there only after a determiner ("in a
        // crowded east Baghdad neighborhood"), not as a verb ("killed in Baghdad").
        let locative = |tok: usize| {
            let mut participle = false;
            for k in (tok.saturating_sub(5).max(sent.t0)..tok).rev() {
                let hyphenated =
                    lay.tokens[k].hyph_prev || lay.tokens.get(k + 1).is_some_and(|t| t.hyph_prev);
                if (LOCATIVE.contains(&&lower[k]) || &lower[k] == "from") && !hyphenated {
                    return true;
                }
                if participle && !matches!(&lower[k], "a" | "an" | "the") {
                    return false;
                }
                // "in the wake of the US strike": "of" and "by" start another phrase, and
                // so do punctuation and other function words ("from the country, after").
                if matches!(
                    &lower[k],
                    "of" | "by"
                        | "after"
                        | "before"
                        | "following"
                        | "to"
                        | "for"
                        | "with"
                        | "against"
                        | "on"
                        | "than"
                        | "and"
                        | "or"
                ) || lay.gap(k).contains([',', ';', ':', '('])
                {
                    return false;
                }
                let w = lay.tok(k);
                let verbish = lower[k].ends_with("ed") || lower[k].ends_with("ing");
                let modifier = NOMINAL_BEFORE.contains(&&lower[k])
                    || w.chars().next().is_some_and(char::is_uppercase)
                    || !(verbish || lower[k].ends_with('s'));
                if hyphenated {
                    return false;
                }
                if !modifier {
                    if verbish && k > sent.t0 {
                        participle = true;
                        continue;
                    }
                    return false;
                }
            }
            false
        };
        let kind = |r: &Ref| r.entity.map(|e| entities[e].kind);
        // Places: the nearest place in a locative phrase.
        let mut places: Vec<usize> = Vec::new();
        let place_cands: Vec<&(usize, &Ref)> = srefs
            .iter()
            .filter(|(tok, r)| !r.demonym && kind(r) == Some(EntityKind::Place) && locative(*tok))
            .collect();
        // After the trigger, the place phrase must not lie past a verb or a relative
        // clause ("accusations of theft happening in X", "a strike that killed ... in X").
        let reachable = |tok: usize| {
            (t1..tok).all(|k| {
                let w = &lower[k];
                let capital = lay.tok(k).chars().next().is_some_and(char::is_uppercase);
                let verbish = !capital
                    && (w.ends_with("ing") || w.ends_with("ed"))
                    && !(k > t1 && matches!(&lower[k - 1], "a" | "an" | "the"));
                !verbish && !matches!(w, "that" | "which" | "who" | "where")
            })
        };
        let nearest = place_cands
            .iter()
            .filter(|(tok, _)| *tok >= t1 && *tok - t1 <= 15 && reachable(*tok))
            .min_by_key(|(tok, _)| *tok)
            .or_else(|| {
                place_cands
                    .iter()
                    .filter(|(tok, _)| *tok < t0 && t0 - *tok <= 12)
                    .filter(|(tok, _)| {
                        *tok < sent.t0 + 4 || (*tok..t0).all(|k| !lay.gap(k).contains(','))
                    })
                    .max_by_key(|(tok, _)| *tok)
            });
        let place_after = nearest
            .filter(|(tok, _)| *tok >= t1)
            .map(|(tok, _)| lay.tokens[*tok].start);
        if let Some((tok, r)) = nearest {
            if let Some(e) = r.entity {
                places.push(e);
            }
            // Places joined to it: "in Iraq and Syria".
            let mut last = *tok;
            for (tk, r2) in place_cands.iter().filter(|(tk, _)| tk > tok) {
                let between: Vec<&str> = (last + 1..*tk).map(|k| &lower[k]).collect();
                if between.len() <= 1 && between.iter().all(|w| matches!(*w, "and" | "or")) {
                    if let Some(e) = r2.entity {
                        if !places.contains(&e) {
                            places.push(e);
                        }
                    }
                    last = *tk;
                } else {
                    break;
                }
            }
        }
        // Passive voice: "was killed by X".
        let passive = t0 > sent.t0
            && (t0.saturating_sub(3)..t0).any(|k| {
                k >= sent.t0
                    && matches!(
                        &lower[k],
                        "was" | "were" | "been" | "being" | "is" | "are" | "be"
                    )
            })
            && (lower[t0].ends_with("ed") || &lower[t0] == "struck" || &lower[t0] == "fought");
        let actor_ok = |tok: usize, r: &Ref| {
            !(kind(r) == Some(EntityKind::Place) && !r.demonym && locative(tok))
                && kind(r) != Some(EntityKind::Date)
        };
        let before = srefs
            .iter()
            .filter(|(tok, r)| *tok < t0 && t0 - *tok <= 12 && actor_ok(*tok, r))
            .filter(|(tok, _)| {
                (*tok..t0).all(|k| {
                    !(CLAUSE_BREAK.contains(&&lower[k]) || SPEECH.contains(&&lower[k])) || k == *tok
                })
            })
            .max_by_key(|(tok, _)| *tok)
            .and_then(|(_, r)| r.entity);
        let after = srefs
            .iter()
            .filter(|(tok, r)| *tok >= t1 && *tok - t1 <= 6 && actor_ok(*tok, r))
            .filter(|(tok, _)| {
                (t1..*tok).all(|k| !lay.gap(k).contains([',', ';']) || k + 1 == *tok)
            })
            .min_by_key(|(tok, _)| *tok)
            .and_then(|(_, r)| r.entity);
        let by_after = srefs
            .iter()
            .filter(|(tok, _)| *tok >= t1 && *tok - t1 <= 6 && *tok > 0 && &lower[*tok - 1] == "by")
            .min_by_key(|(tok, _)| *tok)
            .and_then(|(_, r)| r.entity);
        // A noun trigger ("the strike", "a US drone strike") takes its source from a
        // modifier, a "by" phrase or the subject of a light verb ("carried out a strike").
        let nominal = t0 > sent.t0
            && (NOMINAL_BEFORE.contains(&&lower[t0 - 1])
                || lay.tokens[t0 - 1].possessive
                || !lower[t1 - 1].ends_with("ed")
                    && srefs
                        .iter()
                        .any(|(tok, r)| *tok < t0 && r.end >= lay.tokens[t0 - 1].start));
        let (source, target) = if passive {
            (by_after, before)
        } else if nominal {
            let modifier = srefs
                .iter()
                .filter(|(tok, r)| *tok < t0 && t0 - *tok <= 3 && actor_ok(*tok, r))
                .filter(|(tok, r)| {
                    let after_ref = lay.tokens.partition_point(|t| t.start < r.end);
                    (after_ref.max(*tok + 1)..t0).all(|k| {
                        NOMINAL_BEFORE.contains(&&lower[k])
                            || !lay.tok(k).chars().next().is_some_and(char::is_lowercase)
                            || lower[k].ends_with("-led")
                            || lower[k].ends_with("ed")
                    })
                })
                .max_by_key(|(tok, _)| *tok)
                .and_then(|(_, r)| r.entity);
            let light = (t0.saturating_sub(4)..t0)
                .filter(|&k| k >= sent.t0)
                .find(|&k| LIGHT_VERBS.contains(&&lower[k]));
            let subject = light.and_then(|lv| {
                srefs
                    .iter()
                    .filter(|(tok, r)| *tok < lv && lv - *tok <= 8 && actor_ok(*tok, r))
                    .filter(|(tok, _)| (*tok..lv).all(|k| !SPEECH.contains(&&lower[k])))
                    .max_by_key(|(tok, _)| *tok)
                    .and_then(|(_, r)| r.entity)
            });
            let prep_target = srefs
                .iter()
                .filter(|(tok, r)| *tok >= t1 && *tok - t1 <= 5 && actor_ok(*tok, r))
                .filter(|(tok, _)| {
                    (t1..*tok)
                        .any(|k| matches!(&lower[k], "on" | "against" | "targeting" | "of" | "at"))
                })
                .min_by_key(|(tok, _)| *tok)
                .and_then(|(_, r)| r.entity);
            // "the Baghdad strike": a city or region before the noun is where it happened.
            let modifier = match modifier {
                Some(e) if entities[e].kind == EntityKind::Place && !is_country(&entities[e]) => {
                    if places.is_empty() {
                        places.push(e);
                    }
                    None
                }
                m => m,
            };
            // "Iraq has repeated its call for": the owner is the clause's subject.
            let owner = (matches!(&lower[t0 - 1], "its" | "their" | "his" | "her"))
                .then_some(before)
                .flatten();
            (modifier.or(by_after).or(subject).or(owner), prep_target)
        } else {
            (before, after)
        };
        let mut actors = Vec::new();
        if let Some(s) = source {
            actors.push(LocalActor {
                role: Role::Source,
                entity: s,
            });
        }
        if let Some(t) = target.filter(|t| Some(*t) != source) {
            let victim = trig.code.starts_with("18") && entities[t].kind == EntityKind::Person;
            actors.push(LocalActor {
                role: if victim { Role::Victim } else { Role::Target },
                entity: t,
            });
        }
        let Ok(trigger) = Span::new(ts, te) else {
            continue;
        };
        debug_assert!(text.get(ts..te).is_some());
        // The noun phrase the trigger heads: its determiner and modifiers.
        let mut np = NounPhrase::default();
        let mut k = t0;
        while k > sent.t0 && t0 - k < 5 {
            let w = &lower[k - 1];
            if lay.tokens[k - 1].possessive {
                np.definite = true;
                break;
            }
            if DEFINITE.contains(&w) {
                np.definite = true;
                break;
            }
            if INDEFINITE.contains(&w) || parse_count(w).is_some() {
                np.indefinite = true;
                break;
            }
            if GENERIC_QUANT.contains(&w) {
                np.quantified = true;
                break;
            }
            let capital = lay
                .tok(k - 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if NP_MODIFIERS.contains(&w) || capital || lay.tokens[k].hyph_prev {
                np.latest |= LATEST.contains(&w);
                k -= 1;
                continue;
            }
            break;
        }
        let plural_noun = GENERIC_PLURALS.contains(&&lower[t1 - 1])
            && (t1 == sent.t1
                || lay.gap(t1 - 1).contains([',', ';', '.'])
                || matches!(
                    &lower[t1],
                    "on" | "against"
                        | "in"
                        | "by"
                        | "from"
                        | "targeting"
                        | "of"
                        | "at"
                        | "have"
                        | "has"
                        | "were"
                        | "are"
                ));
        // Only asserted ones: "is expected to mount more attacks" stays, as a future event.
        let plural_noun = plural_noun && modality == Modality::Asserted;
        let generic = plural_noun && np.quantified && count.is_none()
            || plural_noun
                && !np.definite
                && !np.indefinite
                && date.is_none()
                && places.is_empty()
                && count.is_none();
        if generic {
            continue;
        }
        out.push(Found {
            ev: LocalEvent {
                cameo: trig.code.clone(),
                label: trig.label.clone(),
                trigger,
                date,
                places,
                actors,
                modality,
                count,
                killed,
                injured,
            },
            sent: si,
            t0,
            t1,
            timex_cands,
            place_after,
            headline: lay.sent_kind(si) == LineKind::Headline,
            np,
        });
    }
    corefer(&mut out, lower);
    out.into_iter().map(|f| f.ev).collect()
}

/// How a trigger's noun phrase begins.
#[derive(Clone, Copy, Debug, Default)]
struct NounPhrase {
    /// "the", "this", "its", a possessive: refers to something known.
    definite: bool,
    /// "a", "an", a number: introduces something.
    indefinite: bool,
    /// "all", "many", "repeated": a generic plural.
    quantified: bool,
    /// "latest", "recent": the article's main happening.
    latest: bool,
}

/// An event mention with what the second pass needs.
struct Found {
    ev: LocalEvent,
    sent: usize,
    t0: usize,
    t1: usize,
    /// The sentence's dated time expressions, nearest first: (start, end, opens the
    /// sentence, value).
    timex_cands: Vec<(usize, usize, bool, String)>,
    /// Where the place phrase after the trigger starts, if the place came from one.
    place_after: Option<usize>,
    headline: bool,
    np: NounPhrase,
}

/// Which mentions may report the same happening: killings (18) are the result of
/// strikes and attacks (19); otherwise the CAMEO root.
fn family(code: &str) -> &str {
    match code.get(..2).unwrap_or(code) {
        "18" | "19" => "force",
        r => r,
    }
}

/// Whether a mention can be something another mention refers to.
fn referable(f: &Found) -> bool {
    f.ev.modality == Modality::Asserted && f.ev.count.is_none() && !f.np.quantified
}

/// Whether a mention names several happenings ("the strikes").
fn plural(f: &Found, lower: &Lower) -> bool {
    let w = &lower[f.t1 - 1];
    w.ends_with('s') && !w.ends_with("ss") && !f.ev.cameo.starts_with("18")
        || f.ev.cameo.starts_with("18") && w.ends_with("ings")
}

/// Head words that one happening may be called by: a strike is also "the attack", "the
/// raid", "the assassination"; ongoing fighting is only "the fighting".
const STRIKE_HEADS: &[&str] = &[
    "strike",
    "airstrike",
    "attack",
    "raid",
    "assassination",
    "killing",
    "bombing",
    "explosion",
    "assault",
    "raid",
    "ambush",
    "bombardment",
    "shooting",
];
const STATEMENT_HEADS: &[&str] = &["condemnation", "criticism", "statement", "rejection"];

fn heads_agree(a: &str, b: &str) -> bool {
    let (ha, hb) = (
        a.rsplit(' ').next().unwrap_or(a),
        b.rsplit(' ').next().unwrap_or(b),
    );
    a.split(' ').any(|w| b.split(' ').any(|v| v == w))
        || STRIKE_HEADS.contains(&ha) && STRIKE_HEADS.contains(&hb)
        || STATEMENT_HEADS.contains(&ha) && STATEMENT_HEADS.contains(&hb)
}

fn places_agree(a: &LocalEvent, b: &LocalEvent) -> bool {
    a.places.is_empty() || b.places.is_empty() || a.places.iter().any(|p| b.places.contains(p))
}

fn dates_agree(a: &LocalEvent, b: &LocalEvent) -> bool {
    match (&a.date, &b.date) {
        (Some(x), Some(y)) => x.starts_with(y.as_str()) || y.starts_with(x.as_str()),
        _ => true,
    }
}

/// Links mentions of one article that report the same happening and lets each take the
/// date, places and source it lacks from the mention it refers to.
fn corefer(found: &mut [Found], lower: &Lower) {
    let n = found.len();
    // Mentions are in text order, so a sentence's are a run of them: `same[i]` is the
    // run of mention i's sentence, so that comparing a mention with those of its
    // sentence does not scan them all (quadratic on a text of thousands of mentions).
    let mut same: Vec<std::ops::Range<usize>> = Vec::with_capacity(n);
    let mut lo = 0;
    while lo < n {
        let hi = lo
            + found[lo..]
                .iter()
                .take_while(|g| g.sent == found[lo].sent)
                .count();
        same.extend(std::iter::repeat_n(lo..hi, hi - lo));
        lo = hi;
    }
    // A time expression belongs to the trigger nearest to it (unless it opens the
    // sentence), and a place phrase with another trigger in between belongs to that one:
    // "Iraq on Thursday condemned the latest strike" dates the condemnation only.
    // Triggers do not overlap, so within a sentence both their starts and their ends
    // ascend: the mentions of i's sentence whose triggers end after byte `a` and start
    // before byte `b` are found by two binary searches.
    let near = |found: &[Found], i: usize, a: usize, b: usize| -> std::ops::Range<usize> {
        let r = same[i].clone();
        let s = &found[r.clone()];
        r.start + s.partition_point(|g| g.ev.trigger.end() <= a)
            ..r.start + s.partition_point(|g| g.ev.trigger.start() < b)
    };
    let between = |found: &[Found], i: usize, a: usize, b: usize| {
        let (lo, hi) = (a.min(b), a.max(b));
        near(found, i, lo, hi.saturating_add(1)).any(|j| {
            let g = &found[j];
            j != i && g.ev.trigger.start() >= lo && g.ev.trigger.end() <= hi
        })
    };
    for i in 0..n {
        let (ts, te) = (found[i].ev.trigger.start(), found[i].ev.trigger.end());
        let date = found[i]
            .timex_cands
            .iter()
            .find(|(a, b, opening, _)| {
                let dist = |s: usize, e: usize| {
                    if *a >= e {
                        *a - e
                    } else {
                        s.saturating_sub(*b)
                    }
                };
                let own = dist(ts, te);
                // Only a trigger ending after a - own and starting before b + own can be
                // closer than `own`.
                let closer =
                    near(found, i, a.saturating_sub(own), b.saturating_add(own)).any(|j| {
                        let g = &found[j];
                        j != i && dist(g.ev.trigger.start(), g.ev.trigger.end()) < own
                    });
                *opening || !closer
            })
            .map(|c| c.3.clone());
        found[i].ev.date = date;
        if let Some(p) = found[i].place_after {
            if between(found, i, te, p) {
                found[i].ev.places.clear();
            }
        }
    }
    // antecedent[i]: the earlier (or, for headlines, main) mention i refers to.
    let mut antecedent: Vec<Option<usize>> = vec![None; n];
    #[allow(clippy::type_complexity)]
    let mut first_fitting: HashMap<(&str, String, bool), [Option<usize>; 2]> = HashMap::default();
    for i in 0..n {
        let f = &found[i];
        // A killing reported as the result of a strike or attack in the same sentence.
        if f.ev.cameo.starts_with("18") {
            let prev = (same[i].start..i)
                .rev()
                .take_while(|&j| f.t0.saturating_sub(found[j].t1) <= 12)
                .find(|&j| {
                    let p = &found[j];
                    p.sent == f.sent
                        && family(&p.ev.cameo) == "force"
                        && !p.ev.cameo.starts_with("18")
                        && f.t0 >= p.t1
                        && f.t0 - p.t1 <= 12
                        && (f.t0 == p.t1
                            || lower
                                .range(p.t1..f.t0)
                                .any(|w| matches!(w, "that" | "which"))
                            || lower[f.t0].ends_with("ing"))
                });
            let next = (i + 1..same[i].end)
                .take_while(|&j| found[j].t0 <= f.t1 + 6)
                .find(|&j| {
                    let q = &found[j];
                    q.sent == f.sent
                        && q.t0 >= f.t1
                        && q.t0 - f.t1 <= 6
                        && family(&q.ev.cameo) == "force"
                        && !q.ev.cameo.starts_with("18")
                        && lower.range(f.t1..q.t0).any(|w| matches!(w, "in" | "by"))
                });
            if let Some(j) = prev.or(next) {
                if dates_agree(&found[j].ev, &f.ev) && found[j].ev.modality == f.ev.modality {
                    antecedent[i] = Some(j);
                    continue;
                }
            }
        }
        if f.ev.date.is_some() || !referable(f) || !(f.np.definite || f.headline) {
            continue;
        }
        let fam = family(&f.ev.cameo);
        let fits = |m: &Found| {
            family(&m.ev.cameo) == fam
                && referable(m)
                && heads_agree(&m.ev.label, &f.ev.label)
                && plural(m, lower) == plural(f, lower)
        };
        // The article's main happening of this kind: its first report in the body. What
        // fits depends only on the family, label and number, so the first two fitting
        // mentions are found once for each.
        let key = (fam, f.ev.label.clone(), plural(f, lower));
        let firsts = *first_fitting.entry(key).or_insert_with(|| {
            let mut it = (0..n).filter(|&j| !found[j].headline && fits(&found[j]));
            [it.next(), it.next()]
        });
        let main = firsts.into_iter().flatten().find(|&j| j != i);
        let local = if f.headline || f.np.latest {
            None
        } else {
            // Mentions of this sentence and the one before.
            // Mentions of this sentence and the one before, at most LOOKBACK words back
            // (a page without full stops is one sentence).
            let from = found[..i].partition_point(|p| p.sent + 1 < f.sent);
            (from..i)
                .rev()
                .take_while(|&j| f.t0.saturating_sub(found[j].t1) <= LOOKBACK)
                .find(|&j| {
                    let p = &found[j];
                    fits(p) && places_agree(&p.ev, &f.ev)
                })
        };
        let main = main.filter(|&j| {
            (f.headline || f.np.latest || j < i)
                && places_agree(&found[j].ev, &f.ev)
                && antecedent[j] != Some(i)
        });
        antecedent[i] = local.or(main);
    }
    // Mentions linked directly or through others report one happening: each takes the
    // date, places and source it lacks from the group, first mention first.
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    for (i, a) in antecedent.iter().enumerate() {
        if let Some(a) = *a {
            let (ri, ra) = (root(&mut group, i), root(&mut group, a));
            group[ri.max(ra)] = ri.min(ra);
        }
    }
    // Each group's members, in text order, gathered once (a scan of all mentions for
    // each was quadratic). What a member takes is the same for all of the group: the
    // first date, places and source among its members.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let g = root(&mut group, i);
        groups.entry(g).or_default().push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let date = members.iter().find_map(|&j| found[j].ev.date.clone());
        let places = members
            .iter()
            .map(|&j| &found[j].ev.places)
            .find(|p| !p.is_empty())
            .cloned();
        let source = members.iter().find_map(|&j| {
            found[j]
                .ev
                .actors
                .iter()
                .find(|a| a.role == Role::Source)
                .copied()
        });
        for &i in members {
            let ev = &mut found[i].ev;
            if ev.date.is_none() {
                ev.date = date.clone();
            }
            if ev.places.is_empty() {
                if let Some(p) = &places {
                    ev.places = p.clone();
                }
            }
            if !ev.actors.iter().any(|a| a.role == Role::Source) {
                if let Some(s) = source.filter(|s| !ev.actors.iter().any(|a| a.entity == s.entity))
                {
                    ev.actors.insert(0, s);
                }
            }
        }
    }
}

/// Whether a place entity is a country (which acts: "the US strike") rather than a city
/// or region (where things happen: "the Baghdad strike").
fn is_country(e: &LocalEntity) -> bool {
    std::iter::once(&e.name).chain(&e.aliases).any(|a| {
        LEXICON
            .lookup(a)
            .is_some_and(|e| e.kind == GazKind::Country)
    })
}

/// A bare weekday resolved into the past, said of a future event, moves to the coming
/// week: the event cannot be over before the article was published.
fn forward_weekday(surface: &str, value: String, published: Option<NaiveDate>) -> String {
    let Some(published) = published else {
        return value;
    };
    let lower = surface.to_lowercase();
    let weekday = WEEKDAYS.iter().any(|d| lower.contains(d));
    if !weekday || lower.contains("last") || lower.contains("past") {
        return value;
    }
    match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
        Ok(d) if d < published => (d + Duration::days(7)).format("%Y-%m-%d").to_string(),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{entities, quotes, timex};
    use super::*;
    use chrono::NaiveDate;

    fn run(text: &str) -> (Vec<LocalEvent>, Vec<LocalEntity>) {
        let lay = Layout::new(text);
        let qs = quotes::find_spans(&lay);
        let ents = entities::find(&lay, &[]);
        let published = NaiveDate::from_ymd_opt(2023, 6, 1);
        let tx = timex::find(text, published);
        (
            find(&lay, &ents.refs, &ents.entities, &tx, &qs, published),
            ents.entities,
        )
    }

    fn name(ents: &[LocalEntity], i: usize) -> &str {
        &ents[i].name
    }

    #[test]
    fn strikes_have_source_place_and_date() {
        let (evs, ents) = run("Turkey carried out an airstrike in Erbil on Tuesday, killing four.");
        let e = evs.iter().find(|e| e.cameo == "195").expect("airstrike");
        assert_eq!(e.date.as_deref(), Some("2023-05-30"));
        assert_eq!(name(&ents, e.places[0]), "Erbil");
        assert_eq!(name(&ents, e.actors[0].entity), "Turkey");
        assert_eq!(e.actors[0].role, Role::Source);
    }

    #[test]
    fn condemnation_has_a_target() {
        let (evs, ents) = run("Egypt condemned Israel for the raid.");
        let e = evs.iter().find(|e| e.cameo == "111").unwrap();
        let roles: Vec<(Role, &str)> = e
            .actors
            .iter()
            .map(|a| (a.role, name(&ents, a.entity)))
            .collect();
        assert_eq!(
            roles,
            vec![(Role::Source, "Egypt"), (Role::Target, "Israel")]
        );
        assert_eq!(e.date, None, "no date in the sentence means no date");
    }

    #[test]
    fn modality_and_counts() {
        let (evs, _) = run("Rebels threatened to attack the port. The army will withdraw soon. Police never detained anyone. Bases were attacked more than 40 times.");
        let m: Vec<(&str, Modality)> = evs.iter().map(|e| (e.label.as_str(), e.modality)).collect();
        assert!(m.contains(&("attack", Modality::Hypothetical)), "{m:?}");
        assert!(m.contains(&("withdrawal", Modality::Future)), "{m:?}");
        assert!(m.contains(&("arrest", Modality::Negated)), "{m:?}");
        let last = evs.last().unwrap();
        assert_eq!(last.count, Some(40));
    }

    fn labels(evs: &[LocalEvent]) -> Vec<(&str, &str)> {
        evs.iter()
            .map(|e| (e.label.as_str(), e.cameo.as_str()))
            .collect()
    }

    #[test]
    fn trigger_families_map_to_cameo_codes() {
        let (evs, _) = run(
            "Rebels launched a drone strike on the port. Police arrested ten men. \
             Egypt denounced the raid. Unions called for a strike ballot. Farmers held a protest \
             in Lyon. The two sides began talks in Oslo. Parliament voted on the budget. \
             The army will withdraw from the town. Ministers announced new rules.",
        );
        let got = labels(&evs);
        for want in [
            ("drone strike", "1952"),
            ("arrest", "173"),
            ("condemnation", "111"),
            ("demand", "100"),
            ("protest", "141"),
            ("talks", "046"),
            ("vote", "030"),
            ("withdrawal", "0874"),
            ("statement", "010"),
        ] {
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    }

    #[test]
    fn victims_and_places_in_noun_phrases() {
        let (evs, ents) = run(
            "Kenya said an airstrike in a crowded central Nairobi district killed Amina Odhiambo.",
        );
        let strike = evs.iter().find(|e| e.cameo == "195").unwrap();
        assert_eq!(name(&ents, strike.places[0]), "Nairobi");
        let kill = evs.iter().find(|e| e.cameo == "1823").unwrap();
        assert_eq!(
            kill.places, strike.places,
            "the killing is where the strike was"
        );
    }

    #[test]
    fn a_place_after_another_trigger_or_verb_is_not_this_events() {
        let (evs, ents) =
            run("Chile has repeated its call for an end to the blockade following a raid in Lima.");
        let call = evs.iter().find(|e| e.cameo.starts_with("10")).unwrap();
        assert!(call.places.is_empty(), "{:?}", call.places);
        let raid = evs.iter().find(|e| e.label == "raid").unwrap();
        assert_eq!(name(&ents, raid.places[0]), "Lima");
        assert_eq!(
            name(&ents, call.actors[0].entity),
            "Chile",
            "the owner of 'its call'"
        );
    }

    #[test]
    fn a_date_belongs_to_the_nearest_trigger() {
        let (evs, _) = run("Peru on Tuesday condemned the latest strike on its soil.");
        let cond = evs.iter().find(|e| e.cameo == "111").unwrap();
        assert_eq!(cond.date.as_deref(), Some("2023-05-30"));
        let strike = evs.iter().find(|e| e.label == "strike").unwrap();
        assert_eq!(
            strike.date, None,
            "Tuesday dates the condemnation, not the strike"
        );
        let (evs, _) = run("In March 2021, parliament voted to expel the envoy after the attack.");
        let attack = evs.iter().find(|e| e.label == "attack").unwrap();
        assert_eq!(
            attack.date.as_deref(),
            Some("2021-03"),
            "an opening date covers the sentence"
        );
    }

    #[test]
    fn the_strike_refers_back_and_takes_the_date() {
        let (evs, ents) = run("Gunmen attacked a market in Kano on Monday. Officials said the attack \
             was the worst in years. Later the army condemned it. The latest attack shocked the city.");
        let attacks: Vec<&LocalEvent> = evs.iter().filter(|e| e.label == "attack").collect();
        assert_eq!(attacks.len(), 3, "{evs:?}");
        for a in &attacks {
            assert_eq!(a.date.as_deref(), Some("2023-05-29"), "{a:?}");
            assert_eq!(name(&ents, a.places[0]), "Kano");
        }
    }

    #[test]
    fn a_killing_caused_by_a_strike_shares_its_date() {
        let (evs, _) = run("A drone strike on Friday killed four soldiers. \
             The general was killed in an airstrike on 3 May 2021.");
        let kills: Vec<&LocalEvent> = evs.iter().filter(|e| e.cameo == "1823").collect();
        assert_eq!(kills[0].date.as_deref(), Some("2023-05-26"));
        assert_eq!(kills[1].date.as_deref(), Some("2021-05-03"));
    }

    #[test]
    fn generic_plurals_are_not_events() {
        let (evs, _) = run("He was responsible for attacks on soldiers. The government opposed all recent airstrikes.");
        assert!(evs.is_empty(), "{evs:?}");
        let (evs, _) = run("Militants staged 30 attacks in Mali.");
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].count, Some(30));
    }

    #[test]
    fn modality_of_threats_and_expectations() {
        let (evs, _) = run(
            "Iran threatens to expel the inspectors. The protests could grow violent. \
             The navy is expected to mount more attacks. Troops did not withdraw.",
        );
        let m: Vec<(&str, Modality)> = evs.iter().map(|e| (e.label.as_str(), e.modality)).collect();
        assert!(m.contains(&("expulsion", Modality::Hypothetical)), "{m:?}");
        assert!(m.contains(&("attack", Modality::Future)), "{m:?}");
        assert!(m.contains(&("withdrawal", Modality::Negated)), "{m:?}");
    }

    #[test]
    fn a_future_weekday_is_the_coming_one() {
        // Published Thursday 2023-06-01: "will meet ... on Tuesday" is 6 June, not 30 May.
        let (evs, _) = run("Ruto will meet with Museveni on Tuesday.");
        let meet = evs.iter().find(|e| e.cameo == "040").unwrap();
        assert_eq!(meet.modality, Modality::Future);
        assert_eq!(meet.date.as_deref(), Some("2023-06-06"));
    }

    #[test]
    fn casualty_counts_come_from_the_sentence() {
        let (evs, _) = run(
            "A rocket attack on the base in Kandahar killed three soldiers and wounded 12 others on Monday. \
             At least two people were killed in a separate bombing. Talks resumed in 2021. \
             An explosion killed nearly 100 people and injured hundreds more. \
             A raid that killed four guards led to airstrikes that killed around 40 people.",
        );
        let attack = evs
            .iter()
            .find(|e| e.label.contains("attack"))
            .expect("attack");
        assert_eq!((attack.killed, attack.injured), (Some(3), Some(12)));
        let bombing = evs
            .iter()
            .find(|e| e.label.contains("bomb"))
            .expect("bombing");
        assert_eq!(bombing.killed, Some(2));
        let blast = evs
            .iter()
            .find(|e| e.label.contains("explosion"))
            .expect("explosion");
        assert_eq!((blast.killed, blast.injured), (Some(100), None));
        let raid = evs.iter().find(|e| e.label.contains("raid")).expect("raid");
        let strikes = evs
            .iter()
            .find(|e| e.label.contains("airstrike"))
            .expect("airstrikes");
        assert_eq!((raid.killed, strikes.killed), (Some(4), Some(40)));
        assert!(evs
            .iter()
            .filter(|e| e.cameo.starts_with("04"))
            .all(|e| e.killed.is_none()));
    }
}
