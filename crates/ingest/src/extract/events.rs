//! Events: trigger words and phrases from `data/lexicon/cameo_triggers.tsv` mapped to
//! CAMEO codes, with their arguments read from the same sentence: the date expression
//! nearest the trigger, the place after a locative preposition, the actor before the
//! trigger (source) and after it (target), the modality of the clause and a stated
//! count. One event per trigger mention; merging is the store's business.

use annals_model::{EntityKind, LocalActor, LocalEntity, LocalEvent, Modality, Role, Span};

use super::entities::Ref;
use super::lexicon::LEXICON;
use super::quotes::QSpan;
use super::text::{Layout, LineKind};
use super::timex::Timex;

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "into",
    "around",
    "from",
];
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

/// Finds the events of a text.
pub(crate) fn find(
    lay: &Layout<'_>,
    refs: &[Ref],
    entities: &[LocalEntity],
    timexes: &[Timex],
    quotes: &[QSpan],
) -> Vec<LocalEvent> {
    let lx = &*LEXICON;
    let text = lay.text;
    let lower: Vec<String> = (0..lay.tokens.len())
        .map(|i| lay.tok(i).to_lowercase())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lay.tokens.len() {
        let Some(cands) = lx.trigger_index.get(&lower[i]) else {
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
        if lay.sent_kind(si) == LineKind::Furniture || lay.sent_kind(si) == LineKind::Byline {
            continue;
        }
        if quotes
            .iter()
            .any(|q| !q.single && q.start <= ts && te <= q.end)
        {
            continue;
        }
        // Modality, from the words before the trigger in its clause.
        let mut clause_start = t0;
        while clause_start > sent.t0 && t0 - clause_start < 8 {
            let p = clause_start - 1;
            let gap = lay.gap(p);
            if gap.contains([',', ';', ':']) || CLAUSE_BREAK.contains(&lower[p].as_str()) {
                break;
            }
            clause_start = p;
        }
        let window: Vec<&str> = (clause_start..t0).map(|k| lower[k].as_str()).collect();
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
            if matches!(lower[k].as_str(), "times" | "occasions") {
                count = (t1..k).rev().find_map(|j| parse_count(&lower[j]));
                break;
            }
        }
        if count.is_none() && t0 > sent.t0 && lower[t1 - 1].ends_with('s') {
            count = parse_count(&lower[t0 - 1]);
        }
        // Date: the nearest time expression in the sentence.
        let date = timexes
            .iter()
            .filter(|t| t.start >= sent.start && t.end <= sent.end && t.value.is_some())
            .min_by_key(|t| {
                if t.start >= te {
                    t.start - te
                } else {
                    ts.saturating_sub(t.end)
                }
            })
            .and_then(|t| t.value.clone());
        // Refs of this sentence, with the token they start at.
        let a = refs.partition_point(|r| r.start < sent.start);
        let srefs: Vec<(usize, &Ref)> = refs[a..]
            .iter()
            .take_while(|r| r.end <= sent.end)
            .filter(|r| r.entity.is_some())
            .map(|r| (lay.tokens.partition_point(|t| t.start < r.start), r))
            .collect();
        // A locative phrase: "in Baghdad", "in a crowded east Baghdad neighborhood".
        let locative = |tok: usize| {
            for k in (tok.saturating_sub(4).max(sent.t0)..tok).rev() {
                let hyphenated =
                    lay.tokens[k].hyph_prev || lay.tokens.get(k + 1).is_some_and(|t| t.hyph_prev);
                if LOCATIVE.contains(&lower[k].as_str()) && !hyphenated {
                    return true;
                }
                let w = lay.tok(k);
                let modifier = NOMINAL_BEFORE.contains(&lower[k].as_str())
                    || w.chars().next().is_some_and(char::is_uppercase)
                    || !(lower[k].ends_with("ed")
                        || lower[k].ends_with("ing")
                        || lower[k].ends_with('s'));
                if !modifier || hyphenated {
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
        let nearest = place_cands
            .iter()
            .filter(|(tok, _)| *tok >= t1 && *tok - t1 <= 12)
            .min_by_key(|(tok, _)| *tok)
            .or_else(|| {
                place_cands
                    .iter()
                    .filter(|(tok, _)| *tok < t0 && t0 - *tok <= 12)
                    .max_by_key(|(tok, _)| *tok)
            });
        if let Some((tok, r)) = nearest {
            if let Some(e) = r.entity {
                places.push(e);
            }
            // Places joined to it: "in Iraq and Syria".
            let mut last = *tok;
            for (tk, r2) in place_cands.iter().filter(|(tk, _)| tk > tok) {
                let between: Vec<&str> = (last + 1..*tk).map(|k| lower[k].as_str()).collect();
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
                        lower[k].as_str(),
                        "was" | "were" | "been" | "being" | "is" | "are" | "be"
                    )
            })
            && (lower[t0].ends_with("ed") || lower[t0] == "struck" || lower[t0] == "fought");
        let actor_ok = |tok: usize, r: &Ref| {
            !(kind(r) == Some(EntityKind::Place) && !r.demonym && locative(tok))
                && kind(r) != Some(EntityKind::Date)
        };
        let before = srefs
            .iter()
            .filter(|(tok, r)| *tok < t0 && t0 - *tok <= 12 && actor_ok(*tok, r))
            .filter(|(tok, _)| {
                (*tok..t0).all(|k| !CLAUSE_BREAK.contains(&lower[k].as_str()) || k == *tok)
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
            .filter(|(tok, _)| *tok >= t1 && *tok - t1 <= 6 && *tok > 0 && lower[*tok - 1] == "by")
            .min_by_key(|(tok, _)| *tok)
            .and_then(|(_, r)| r.entity);
        // A noun trigger ("the strike", "a US drone strike") takes its source from a
        // modifier, a "by" phrase or the subject of a light verb ("carried out a strike").
        let nominal = t0 > sent.t0
            && (NOMINAL_BEFORE.contains(&lower[t0 - 1].as_str())
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
                        NOMINAL_BEFORE.contains(&lower[k].as_str())
                            || !lay.tok(k).chars().next().is_some_and(char::is_lowercase)
                            || lower[k].ends_with("-led")
                            || lower[k].ends_with("ed")
                    })
                })
                .max_by_key(|(tok, _)| *tok)
                .and_then(|(_, r)| r.entity);
            let light = (t0.saturating_sub(4)..t0)
                .filter(|&k| k >= sent.t0)
                .find(|&k| LIGHT_VERBS.contains(&lower[k].as_str()));
            let subject = light.and_then(|lv| {
                srefs
                    .iter()
                    .filter(|(tok, r)| *tok < lv && lv - *tok <= 8 && actor_ok(*tok, r))
                    .max_by_key(|(tok, _)| *tok)
                    .and_then(|(_, r)| r.entity)
            });
            let prep_target = srefs
                .iter()
                .filter(|(tok, r)| *tok >= t1 && *tok - t1 <= 5 && actor_ok(*tok, r))
                .filter(|(tok, _)| {
                    (t1..*tok).any(|k| {
                        matches!(
                            lower[k].as_str(),
                            "on" | "against" | "targeting" | "of" | "at"
                        )
                    })
                })
                .min_by_key(|(tok, _)| *tok)
                .and_then(|(_, r)| r.entity);
            (modifier.or(by_after).or(subject), prep_target)
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
        out.push(LocalEvent {
            cameo: trig.code.clone(),
            label: trig.label.clone(),
            trigger,
            date,
            places,
            actors,
            modality,
            count,
        });
    }
    out
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
        let tx = timex::find(text, NaiveDate::from_ymd_opt(2023, 6, 1));
        (
            find(&lay, &ents.refs, &ents.entities, &tx, &qs),
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
}
