//! Stated roles and affiliations between entities, each with the words that state it:
//! - appositions and copulas after a person: "X, the spokesperson for Y", "X is the news
//!   editor of Y";
//! - an organisation, place or demonym right before a person's titles and name: "Pentagon
//!   Press secretary Pat Ryder", "Iraqi Prime Minister X" (the demonym links to its
//!   country);
//! - metonymy: a capital used as the actor of a statement ("Washington said") stands for
//!   the government of its country.
//!
//! Anything looser is left alone.

use annals_model::{EntityKind, LocalEntity, LocalRelation, Span};

use super::entities::Ref;
use super::lexicon::LEXICON;
use super::text::Layout;

/// Words that may stand between an organisation and a person's title ("military
/// spokesman", "senior adviser") without breaking the affiliation.
const MODIFIERS: &[&str] = &[
    "military",
    "senior",
    "top",
    "former",
    "deputy",
    "chief",
    "press",
    "foreign",
    "defence",
    "defense",
    "interior",
    "finance",
    "acting",
    "interim",
    "regional",
    "local",
    "official",
    "government",
    "party",
    "campaign",
    "national",
    "security",
    "intelligence",
    "army",
    "navy",
    "police",
    "opposition",
    "state",
    "federal",
    "general",
    "executive",
    "vice",
];

/// Verbs after which a capital is an actor standing for its government ("Moscow said").
const ACTOR_VERBS: &[&str] = &[
    "said",
    "says",
    "claimed",
    "claims",
    "accused",
    "accuses",
    "insisted",
    "warned",
    "warns",
    "announced",
    "denied",
    "denies",
    "rejected",
    "rejects",
    "condemned",
    "condemns",
    "demanded",
    "demands",
    "responded",
    "urged",
    "threatened",
    "has",
    "had",
    "is",
    "was",
];

/// Role nouns that head a stated relation.
const ROLES: &[&str] = &[
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "leader",
    "head",
    "chief",
    "editor",
    "president",
    "minister",
    "secretary",
    "commander",
    "director",
    "founder",
    "member",
    "chairman",
    "chairwoman",
    "ceo",
    "envoy",
    "ambassador",
    "adviser",
    "advisor",
    "coach",
    "captain",
    "manager",
    "owner",
    "governor",
    "mayor",
    "correspondent",
    "reporter",
    "analyst",
];

/// Finds role relations; also returns, per person entity, the role words it was given.
pub(crate) fn find(
    lay: &Layout<'_>,
    refs: &[Ref],
    entities: &[LocalEntity],
) -> (Vec<LocalRelation>, Vec<(usize, String)>) {
    let mut out = Vec::new();
    let mut roles = Vec::new();
    let tok_at = |pos: usize| lay.tokens.partition_point(|t| t.start < pos);
    for r in refs {
        let Some(subj) = r.entity else { continue };
        if r.demonym || entities[subj].kind != EntityKind::Person {
            continue;
        }
        let k = tok_at(r.end);
        if k >= lay.tokens.len() || k == 0 {
            continue;
        }
        let gap = lay.gap(k - 1).trim();
        let lead = lay.low(k);
        let apposition = gap == "," && matches!(lead, "the" | "a" | "an");
        let copula = gap.is_empty()
            && lead == "is"
            && k + 1 < lay.tokens.len()
            && matches!(lay.tok(k + 1), "the" | "a" | "an");
        if !apposition && !copula {
            continue;
        }
        let first = if copula { k + 2 } else { k + 1 };
        let Some(si) = lay.tok_sent.get(k).copied() else {
            continue;
        };
        let send = lay.sentences[si].t1;
        let mut role_at = None;
        for j in first..(first + 4).min(send) {
            if ROLES.contains(&lay.low(j)) {
                role_at = Some(j);
            }
            if lay.gap(j).contains(',') {
                break;
            }
        }
        let Some(ri) = role_at else { continue };
        let role = lay.tok(ri).to_lowercase();
        roles.push((subj, role.clone()));
        let prep_i = ri + 1;
        if prep_i + 1 >= send || !matches!(lay.tok(prep_i), "of" | "for" | "at") {
            continue;
        }
        let obj_pos = lay.tokens[prep_i + 1].start;
        let obj = refs
            .iter()
            .find(|o| {
                o.start >= obj_pos && o.start <= obj_pos + 30 && o.entity.is_some_and(|e| e != subj)
            })
            .and_then(|o| o.entity);
        let Some(obj) = obj else { continue };
        let end = lay.tokens[prep_i].end;
        if let Ok(span) = Span::new(r.start, end.max(r.start)) {
            out.push(LocalRelation {
                subject: subj,
                relation: format!("{role} {}", lay.tok(prep_i)),
                object: Some(obj),
                span,
            });
        }
    }
    affiliations(lay, refs, entities, &mut out);
    metonymy(lay, refs, entities, &mut out);
    (out, roles)
}

/// Whether only spaces separate token `i` from token `i + 1`.
fn spaced(lay: &Layout<'_>, i: usize) -> bool {
    let gap = lay.gap(i);
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// "Pentagon Press secretary Pat Ryder", "Iraqi military spokesman Yahya Rasool": the
/// group, place or demonym ending right before a person's title words.
fn affiliations(
    lay: &Layout<'_>,
    refs: &[Ref],
    entities: &[LocalEntity],
    out: &mut Vec<LocalRelation>,
) {
    let tok_at = |pos: usize| lay.tokens.partition_point(|t| t.start < pos);
    let ending_at: rustc_hash::FxHashMap<usize, &Ref> = refs.iter().map(|r| (r.end, r)).collect();
    for r in refs {
        let Some(subj) = r.entity else { continue };
        if r.demonym || entities[subj].kind != EntityKind::Person {
            continue;
        }
        let k0 = tok_at(r.start);
        let Some(&si) = lay.tok_sent.get(k0) else {
            continue;
        };
        let s0 = lay.sentences[si].t0;
        let mut j = k0;
        let mut words: Vec<String> = Vec::new();
        let mut org = None;
        while j > s0 && words.len() < 5 && spaced(lay, j - 1) {
            if let Some(o) = ending_at.get(&lay.tokens[j - 1].end) {
                org = Some(*o);
                break;
            }
            let w = lay.tok(j - 1).to_lowercase();
            if LEXICON.title_words.contains(&w) || MODIFIERS.contains(&w.as_str()) {
                words.insert(0, w);
                j -= 1;
            } else {
                break;
            }
        }
        let Some(o) = org else { continue };
        let Some(obj) = o.entity.filter(|&e| e != subj) else {
            continue;
        };
        let titled = words.iter().any(|w| LEXICON.title_words.contains(w));
        if !matches!(entities[obj].kind, EntityKind::Group | EntityKind::Place) || !titled {
            continue;
        }
        // Abbreviated ranks ("Maj. Gen.") add nothing to a fuller role ("press secretary").
        let full: Vec<&str> = words
            .iter()
            .filter(|w| !w.ends_with('.'))
            .map(String::as_str)
            .collect();
        let role = if full.iter().any(|w| LEXICON.title_words.contains(w)) {
            full.join(" ")
        } else {
            words.join(" ")
        };
        if let Ok(span) = Span::new(o.start, r.end) {
            out.push(LocalRelation {
                subject: subj,
                relation: format!("{role} of"),
                object: Some(obj),
                span,
            });
        }
    }
}

/// "Washington said": a capital as the actor of a statement stands for its government.
fn metonymy(
    lay: &Layout<'_>,
    refs: &[Ref],
    entities: &[LocalEntity],
    out: &mut Vec<LocalRelation>,
) {
    let tok_at = |pos: usize| lay.tokens.partition_point(|t| t.start < pos);
    for r in refs {
        let Some(subj) = r.entity else { continue };
        if r.demonym || entities[subj].kind != EntityKind::Place {
            continue;
        }
        let Some(country) = LEXICON.capital_of(&entities[subj].name) else {
            continue;
        };
        let k = tok_at(r.end);
        if k == 0 || k >= lay.tokens.len() || !spaced(lay, k - 1) {
            continue;
        }
        if !ACTOR_VERBS.contains(&lay.low(k)) {
            continue;
        }
        let object = entities.iter().position(|e| {
            e.name == country && matches!(e.kind, EntityKind::Place | EntityKind::Group)
        });
        let relation = match object {
            Some(_) => "stands for the government of".to_string(),
            None => format!("stands for the government of {country}"),
        };
        if let Ok(span) = Span::new(r.start, lay.tokens[k].end) {
            out.push(LocalRelation {
                subject: subj,
                relation,
                object,
                span,
            });
        }
    }
}
