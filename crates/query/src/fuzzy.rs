//! Fuzzy matching of a phrase against a quote's words.

use std::collections::HashSet;

use annals_model::normalize::{stem, words};

const STOP: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "is", "was", "it", "that",
    "this", "by", "with", "at", "as",
];

/// Whether two words are the same up to one edit, for words of five letters or more
/// (so "assasination" still finds "assassination"), or exactly equal otherwise.
pub(crate) fn close(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // Most pairs differ in length: decided before collecting anything.
    let (na, nb) = (a.chars().count(), b.chars().count());
    if na.min(nb) < 5 || na.abs_diff(nb) > 1 {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return within_one_edit(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    within_one_edit(&a, &b)
}

/// Whether two sequences, whose lengths differ by at most one, are at most one edit apart.
fn within_one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    // Bounded edit distance of at most one.
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// How well `quote` matches `phrase`, from 0 to 1: the share of the phrase's words
/// found in the quote (function words ignored when the phrase has content words), plus
/// scaled to 0.9, plus 0.1 when the words appear in the same order without gaps.
pub fn phrase_score(phrase: &str, quote: &str) -> f32 {
    score_words(&words(phrase), &words(quote))
}

/// [`phrase_score`] of a phrase already split into its [`words`].
pub(crate) fn phrase_words_score(pw: &[String], quote: &str) -> f32 {
    score_words(pw, &words(quote))
}

/// [`phrase_score`] over stems ([`stem`]), so "attacked" matches "attack" and "strikes"
/// matches "strike": how events are matched to a question's words.
pub fn stem_score(phrase: &str, text: &str) -> f32 {
    let stems = |t: &str| words(t).iter().map(|w| stem(w)).collect::<Vec<_>>();
    score_words(&stems(phrase), &stems(text))
}

/// The words a question looks for: its content words, or all of them when it has none.
pub(crate) fn wanted_words(pw: &[String]) -> Vec<String> {
    let content: Vec<String> = pw
        .iter()
        .filter(|w| !STOP.contains(&w.as_str()))
        .cloned()
        .collect();
    let mut wanted = if content.is_empty() {
        pw.to_vec()
    } else {
        content
    };
    wanted.sort();
    wanted.dedup();
    wanted
}

/// The words one edit from `word` ([`close`] to it) that an index may hold: every
/// deletion, substitution and insertion of a letter or digit, for words of five letters
/// or more. Empty for shorter words, which only match exactly.
pub(crate) fn variants(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return Vec::new();
    }
    let mut alphabet: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    alphabet.extend(chars.iter().copied());
    alphabet.sort_unstable();
    alphabet.dedup();
    let mut out = Vec::new();
    let with = |f: &dyn Fn(&mut Vec<char>)| {
        let mut c = chars.clone();
        f(&mut c);
        c.into_iter().collect::<String>()
    };
    for i in 0..chars.len() {
        out.push(with(&|c| {
            c.remove(i);
        }));
        for &a in &alphabet {
            if a != chars[i] {
                out.push(with(&|c| c[i] = a));
            }
        }
    }
    for i in 0..=chars.len() {
        for &a in &alphabet {
            out.push(with(&|c| c.insert(i, a)));
        }
    }
    out.sort();
    out.dedup();
    // A deletion from a five-letter word is four letters long, too short to be close.
    out.retain(|v| v != word && close(word, v));
    out
}

/// The score of a text holding `found` of `wanted` words, `in_order` when it holds the
/// phrase's words in order without gaps (only counted when all are found).
fn share_score(found: usize, wanted: usize, in_order: bool) -> f32 {
    let mut score = 0.9 * found as f32 / wanted as f32;
    if found == wanted && in_order {
        score += 0.1;
    }
    score
}

/// The words of a phrase a score counts, repeats included: its content words, or all of
/// them when it has none.
fn counted_words(pw: &[String]) -> Vec<&String> {
    let content: Vec<&String> = pw.iter().filter(|w| !STOP.contains(&w.as_str())).collect();
    if content.is_empty() {
        pw.iter().collect()
    } else {
        content
    }
}

/// Bounds on the score of a quote holding some of the phrase's words: `wanted` is
/// [`wanted_words`] of `pw`, bit `i` of `found` set when the quote holds `wanted[i]`
/// (exactly, or a close variant where no quote holds the word itself). The quote may
/// also hold a close variant of a missing word of five letters or more, so the score
/// [`phrase_score`] gives it from its text lies between the two. A quote missing a word
/// never holds the phrase in order, so neither bound counts order.
pub(crate) fn partial_bounds(pw: &[String], wanted: &[String], found: u64) -> (f32, f32) {
    let counted = counted_words(pw);
    let (mut lo, mut hi) = (0, 0);
    for c in &counted {
        let held = wanted
            .binary_search(c)
            .is_ok_and(|i| i < 64 && found & (1 << i) != 0);
        if held {
            lo += 1;
            hi += 1;
        } else if c.chars().count() >= 5 {
            hi += 1;
        }
    }
    if counted.is_empty() {
        return (0.0, 0.0);
    }
    (
        share_score(lo, counted.len(), false),
        share_score(hi, counted.len(), false),
    )
}

/// The score of a quote holding every word of the phrase `pw` (exactly or [`close`]),
/// `in_order` when it holds them in order without gaps: what [`phrase_score`] gives it.
/// The score [`phrase_words_score`] gives a quote that lacks some of the phrase's
/// wanted words (sorted, as [`wanted_words`] gives them), from the index alone: bit `i`
/// of `found` says it holds `wanted[i]` (the first 64), and `near(i)` whether it holds a
/// word [`close`] to `wanted[i]`, or `None` when that is not known. `None` when an unknown
/// would decide the score. The score never has the in-order bonus: the phrase is not in
/// a quote that lacks one of its words.
pub(crate) fn partial_score(
    pw: &[String],
    wanted: &[String],
    found: u64,
    mut near: impl FnMut(usize) -> Option<bool>,
) -> Option<f32> {
    let counted = counted_words(pw);
    if counted.is_empty() {
        return Some(0.0);
    }
    let mut n = 0;
    for c in &counted {
        let i = wanted.binary_search(c).ok()?;
        let held = i < 64 && found & (1 << i) != 0;
        if held || (c.chars().count() >= 5 && near(i)?) {
            n += 1;
        }
    }
    Some(share_score(n, counted.len(), false))
}

pub(crate) fn all_found_score(pw: &[String], in_order: bool) -> f32 {
    let n = counted_words(pw).len();
    if n == 0 {
        return 0.0;
    }
    share_score(n, n, in_order)
}

fn score_words(pw: &[String], qw: &[String]) -> f32 {
    let wanted = counted_words(pw);
    if wanted.is_empty() {
        return 0.0;
    }
    let qset: HashSet<&str> = qw.iter().map(String::as_str).collect();
    let found = wanted
        .iter()
        .filter(|w| qset.contains(w.as_str()) || qw.iter().any(|q| close(w, q)))
        .count();
    let in_order = found == wanted.len() && qw.windows(pw.len()).any(|win| win == pw);
    share_score(found, wanted.len(), in_order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_phrases_score_highest() {
        let q = "The city will close the bridge for repairs next week.";
        assert!((phrase_score("close the bridge", q) - 1.0).abs() < 1e-6);
        let unordered = phrase_score("bridge close", q);
        assert!((unordered - 0.9).abs() < 1e-6, "{unordered}");
    }

    #[test]
    fn misspellings_and_case_still_match() {
        let q = "a blatant assassination in the heart of the city";
        assert!(phrase_score("Blatent assassination", q) >= 0.9);
        assert!(phrase_score("peaceful protest", q) < 0.1);
    }

    #[test]
    fn scores_from_the_index_equal_scores_from_the_text() {
        for (phrase, quote) in [
            ("he was playing He", "he was playing, he said"),
            ("blatant assassination", "a blatant assassination here"),
            ("assassination blatant", "a blatant assassination here"),
            ("the of", "out of the way"),
        ] {
            let in_order = words(quote)
                .windows(words(phrase).len())
                .any(|w| w == words(phrase));
            assert_eq!(
                all_found_score(&words(phrase), in_order).to_bits(),
                phrase_score(phrase, quote).to_bits(),
                "{phrase}"
            );
        }
    }

    #[test]
    fn partial_matches_score_in_between() {
        let s = phrase_score("bridge repairs budget", "repairs on the bridge");
        assert!((s - 0.6).abs() < 1e-6, "{s}");
        assert_eq!(phrase_score("", "anything"), 0.0);
    }

    #[test]
    fn stems_match_inflections() {
        assert!(stem_score("attacked", "the attack on the port") >= 0.9);
        assert!(stem_score("drone strikes", "drone strike") >= 0.99);
        assert!(stem_score("election", "drone strike") < 0.1);
    }

    #[test]
    fn variants_are_the_close_words() {
        let v = variants("strike");
        for w in ["strke", "stroke", "strikes", "sstrike"] {
            assert!(v.contains(&w.to_string()), "{w}");
            assert!(close("strike", w));
        }
        assert!(!v.contains(&"strike".to_string()));
        assert!(v.iter().all(|w| close("strike", w)));
        assert!(!variants("bombs").contains(&"bomb".to_string()));
        assert!(variants("cat").is_empty());
        assert_eq!(
            wanted_words(&words("the bridge of the bridge")),
            vec!["bridge"]
        );
        assert_eq!(wanted_words(&words("to the")), vec!["the", "to"]);
    }

    #[test]
    fn one_edit_only() {
        assert!(close("assassination", "assasination"));
        assert!(!close("assassination", "assasinatio"));
        assert!(!close("cat", "cut"));
    }
}
