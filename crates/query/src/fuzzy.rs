//! Fuzzy matching of a phrase against a quote's words.

use std::collections::HashSet;

use annals_model::normalize::words;

const STOP: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "is", "was", "it", "that",
    "this", "by", "with", "at", "as",
];

/// Whether two words are the same up to one edit, for words of five letters or more
/// (so "assasination" still finds "assassination"), or exactly equal otherwise.
fn close(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
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
    let pw = words(phrase);
    let content: Vec<&String> = pw.iter().filter(|w| !STOP.contains(&w.as_str())).collect();
    let wanted: Vec<&String> = if content.is_empty() {
        pw.iter().collect()
    } else {
        content
    };
    if wanted.is_empty() {
        return 0.0;
    }
    let qw = words(quote);
    let qset: HashSet<&str> = qw.iter().map(String::as_str).collect();
    let found = wanted
        .iter()
        .filter(|w| qset.contains(w.as_str()) || qw.iter().any(|q| close(w, q)))
        .count();
    let mut score = 0.9 * found as f32 / wanted.len() as f32;
    if found == wanted.len() && qw.windows(pw.len()).any(|win| win == pw.as_slice()) {
        score += 0.1;
    }
    score
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
    fn partial_matches_score_in_between() {
        let s = phrase_score("bridge repairs budget", "repairs on the bridge");
        assert!((s - 0.6).abs() < 1e-6, "{s}");
        assert_eq!(phrase_score("", "anything"), 0.0);
    }

    #[test]
    fn one_edit_only() {
        assert!(close("assassination", "assasination"));
        assert!(!close("assassination", "assasinatio"));
        assert!(!close("cat", "cut"));
    }
}
