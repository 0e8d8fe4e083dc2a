//! Stated roles: "X, the spokesperson for Y" and "X is the news editor of Y" become
//! relations between two entities. Only appositions right after a person's mention are
//! read; anything looser is left alone.

use annals_model::{EntityKind, LocalEntity, LocalRelation, Span};

use super::entities::Ref;
use super::text::Layout;

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
        let lead = lay.tok(k).to_lowercase();
        let apposition = gap == "," && matches!(lead.as_str(), "the" | "a" | "an");
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
            let w = lay.tok(j).to_lowercase();
            if ROLES.contains(&w.as_str()) {
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
    (out, roles)
}
