//! Folding of names into keys for matching across spellings.
//!
//! `name_key` makes "Kata’ib Hezbollah", "Kataib Hezbollah" and "the Kataib Hezbollah's"
//! one key, "U.S." and "US" one key, and "al-Sudani" and "Al Sudani" one key. It is used
//! by the store's alias index and by queries that look entities up by name.

use unicode_normalization::UnicodeNormalization;

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}'
            | '\u{2018}'
            | '\u{201b}'
            | '\u{02bc}'
            | '\u{02bb}'
            | '`'
            | '\u{00b4}'
            | '\u{2032}'
            | '\u{2035}'
            | '\u{ff07}'
    )
}

/// The matching key of a name: NFKC, lowercase, apostrophes and dots removed, hyphens and
/// other punctuation as spaces, whitespace collapsed, a leading "the" and a trailing
/// possessive removed.
pub fn name_key(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    let lowered: String = name.nfkc().collect::<String>().to_lowercase();
    let mut chars = lowered.chars().peekable();
    while let Some(c) = chars.next() {
        if is_apostrophe(c) {
            // A trailing possessive "'s" goes with its apostrophe.
            if chars.peek() == Some(&'s') {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.peek().is_none_or(|n| !n.is_alphanumeric()) {
                    chars.next();
                    continue;
                }
            }
            continue;
        }
        if c == '.' {
            continue;
        }
        if c.is_alphanumeric() {
            folded.push(c);
        } else {
            folded.push(' ');
        }
    }
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.join(" ")
}

/// The words of a text folded for fuzzy matching: lowercase alphanumeric runs, with
/// apostrophes removed ("Iraq’s" gives "iraqs").
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if is_apostrophe(c) {
            continue;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Month names, lowercase, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A crude English stem for matching event words across inflections: "attacked",
/// "attacks" and "attacking" give "attack", "strike" and "strikes" give "strik",
/// "casualties" gives "casualty". Used the same way when indexing and when asking, so it
/// only needs to be consistent, not linguistically right.
pub fn stem(word: &str) -> String {
    let mut w = word.to_lowercase();
    let long_enough = |w: &str, cut: usize| w.chars().count() >= cut + 3;
    if w.ends_with("ies") && long_enough(&w, 3) {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s') && !w.ends_with("ss") && long_enough(&w, 1) {
        w.pop();
    }
    for suffix in ["ing", "ed"] {
        if w.ends_with(suffix) && long_enough(&w, suffix.len()) {
            w.truncate(w.len() - suffix.len());
            break;
        }
    }
    if w.ends_with('e') && long_enough(&w, 1) {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(name_key("Kata’ib Hezbollah"), name_key("Kataib Hezbollah"));
        assert_eq!(name_key("U.S."), name_key("US"));
        assert_eq!(name_key("al-Sudani"), name_key("Al Sudani"));
        assert_eq!(name_key("the Pentagon's"), "pentagon");
        assert_eq!(name_key("  Green   Zone "), "green zone");
        assert_eq!(name_key("The"), "the");
    }

    #[test]
    fn words_fold_case_and_apostrophes() {
        assert_eq!(
            words("Iraq’s “blatant” Assassination!"),
            vec!["iraqs", "blatant", "assassination"]
        );
        assert!(words("  ...  ").is_empty());
    }

    #[test]
    fn stems_join_inflections() {
        for group in [
            &["attack", "attacks", "attacked", "attacking"][..],
            &["strike", "strikes"],
            &["kill", "killed", "killing", "kills"],
            &["protest", "protests", "protested"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(stems.iter().all(|s| *s == stems[0]), "{group:?}: {stems:?}");
        }
        assert_eq!(stem("casualties"), "casualty");
        assert_eq!(stem("press"), "press");
        assert_eq!(stem("is"), "is");
    }
}
