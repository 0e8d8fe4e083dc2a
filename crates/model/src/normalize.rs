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
    // Most names are ASCII words separated by single spaces, whose key is their lowercase
    // (without a leading "the"): no folding, splitting or joining needed.
    if is_plain_name(name) {
        let mut key = name.to_ascii_lowercase();
        if key.starts_with("the ") {
            key.drain(..4);
        }
        return key;
    }
    name_key_folded(name)
}

/// Whether a name is ASCII letters and digits in words separated by single spaces: then
/// its [`name_key`] is its ASCII lowercase without a leading "the ", so a caller holding
/// the lowercase text can borrow the key instead of building it.
pub fn is_plain_name(name: &str) -> bool {
    // One pass: every byte a letter or digit, or a space after one.
    let mut after_word = false;
    for &c in name.as_bytes() {
        if c.is_ascii_alphanumeric() {
            after_word = true;
        } else if c == b' ' && after_word {
            after_word = false;
        } else {
            return false;
        }
    }
    after_word
}

/// [`name_key`] for any text: folds every character.
fn name_key_folded(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    // ASCII is its own NFKC form, and its lowercase is ASCII's.
    let lowered: String = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.nfkc().collect::<String>().to_lowercase()
    };
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
/// apostrophes removed ("Iraq’s" gives "iraqs"); NFKC first, so "ﬁre" gives "fire".
pub fn words(text: &str) -> Vec<String> {
    // NFKC leaves ASCII as it is and never composes an ASCII character with the one
    // before it, so only the stretches around non-ASCII characters (each with the ASCII
    // character before it, which a combining mark may compose with) need normalising:
    // news text is mostly ASCII, and questions fold thousands of quotes.
    let mut w = Words::default();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let ascii_end = bytes[at..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |n| at + n);
        if ascii_end == bytes.len() {
            text[at..].chars().for_each(|c| w.push(c));
            break;
        }
        // The ASCII character before a non-ASCII one goes with it.
        let slow_start = if ascii_end > at { ascii_end - 1 } else { at };
        text[at..slow_start].chars().for_each(|c| w.push(c));
        let slow_end = bytes[ascii_end..]
            .iter()
            .position(|b| b.is_ascii())
            .map_or(bytes.len(), |n| ascii_end + n);
        text[slow_start..slow_end].nfkc().for_each(|c| w.push(c));
        at = slow_end;
    }
    w.finish()
}

/// [`words`] as a whole-text NFKC pass, the definition the fast path must agree with.
#[cfg(test)]
fn words_reference(text: &str) -> Vec<String> {
    let mut w = Words::default();
    text.nfkc().for_each(|c| w.push(c));
    w.finish()
}

/// Words being cut from normalised characters.
#[derive(Default)]
struct Words {
    out: Vec<String>,
    cur: String,
}

impl Words {
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() {
                self.cur.push(c);
            } else if c != '\'' && c != '`' && !self.cur.is_empty() {
                self.out.push(std::mem::take(&mut self.cur));
            }
            return;
        }
        for c in c.to_lowercase() {
            if c.is_alphanumeric() {
                self.cur.push(c);
            } else if is_apostrophe(c) {
                continue;
            } else if !self.cur.is_empty() {
                self.out.push(std::mem::take(&mut self.cur));
            }
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.cur.is_empty() {
            self.out.push(self.cur);
        }
        self.out
    }
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
    use proptest::prelude::*;

    proptest! {
        /// The ASCII fast path of `words` folds exactly as one NFKC pass over the text,
        /// for text mixing ASCII with combining marks (which compose with the letter
        /// before them), compatibility forms, Hangul jamo, curly apostrophes and case
        /// changes that grow.
        #[test]
        fn words_fast_path_is_nfkc(
            text in "[a-zA-Z0-9 '`.,\u{300}\u{301}\u{308}\u{327}é’‘ﬁＡ가\u{1100}\u{1161}\u{11a8}ßİΣ\u{2126}\u{212b}-]{0,40}"
        ) {
            prop_assert_eq!(words(&text), words_reference(&text));
        }

        #[test]
        fn words_fast_path_is_nfkc_on_any_text(text in any::<String>()) {
            prop_assert_eq!(words(&text), words_reference(&text));
        }

        /// `name_key`'s shortcut for plain ASCII names gives the key full folding gives.
        #[test]
        fn plain_names_take_the_shortcut_to_the_same_key(name in "[a-zA-Z0-9 ]{0,30}|(the|The|THE) [a-zA-Z ]{0,20}") {
            prop_assert_eq!(name_key(&name), name_key_folded(&name));
        }

        /// A plain name is ASCII letters and digits in words one space apart, nothing else.
        #[test]
        fn plain_names_are_words_one_space_apart(name in "[a-z0-9 .\t-]{0,12}|[ -~é]{0,12}") {
            let b = name.as_bytes();
            let words_one_space_apart = !b.is_empty()
                && b[0] != b' '
                && b[b.len() - 1] != b' '
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' ')
                && !b.windows(2).any(|w| w == b"  ");
            prop_assert_eq!(is_plain_name(&name), words_one_space_apart);
        }

        /// `name_key`'s ASCII shortcut lowers exactly as NFKC then `to_lowercase` would.
        #[test]
        fn ascii_names_are_their_own_nfkc(name in "[ -~]{0,40}") {
            let lowered: String = name.nfkc().collect::<String>().to_lowercase();
            prop_assert_eq!(&lowered, &name.to_ascii_lowercase());
        }
    }

    #[test]
    fn words_fold_case_apostrophes_and_compatibility_forms() {
        assert_eq!(words("Iraq’s ﬁre-Fighters"), ["iraqs", "fire", "fighters"]);
        // e + combining acute composes across the ASCII/non-ASCII boundary.
        assert_eq!(words("Cafe\u{301} au lait"), ["café", "au", "lait"]);
        assert_eq!(words("ＡＢＣ don't"), ["abc", "dont"]);
        assert!(words("").is_empty());
    }

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
