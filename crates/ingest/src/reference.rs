//! The reference pass of `annals bench`: one multi-pattern scan of a text for every
//! gazetteer name, demonym, title and event trigger in the lexicon. It is about the least
//! work a lexicon-based extractor can do, so its speed is the limit that extraction's
//! speed is compared with.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::extract::lexicon::LEXICON;

/// An automaton over the lexicon's phrases (ASCII case-insensitive, leftmost longest).
#[derive(Debug)]
pub struct ReferenceScan {
    ac: AhoCorasick,
    patterns: usize,
}

impl ReferenceScan {
    /// Builds the automaton from the compiled-in lexicon.
    pub fn new() -> ReferenceScan {
        let lex = &*LEXICON;
        let mut phrases: Vec<String> = lex
            .names()
            .map(str::to_string)
            .chain(lex.titles.iter().map(|t| t.join(" ")))
            .chain(lex.triggers.iter().map(|t| t.words.join(" ")))
            .filter(|p| !p.is_empty())
            .collect();
        phrases.sort();
        phrases.dedup();
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .expect("the lexicon's phrases build an automaton");
        ReferenceScan {
            ac,
            patterns: phrases.len(),
        }
    }

    /// How many phrases the automaton looks for.
    pub fn patterns(&self) -> usize {
        self.patterns
    }

    /// The number of lexicon phrases found in `text` (non-overlapping, leftmost longest).
    pub fn count(&self, text: &str) -> usize {
        self.ac.find_iter(text).count()
    }
}

impl Default for ReferenceScan {
    fn default() -> Self {
        ReferenceScan::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lexicon_phrases_in_any_case() {
        let scan = ReferenceScan::new();
        assert!(scan.patterns() > 10_000);
        assert_eq!(scan.count(""), 0);
        let text = "Talks in Paris and PARIS; the Prime Minister condemned it.";
        let n = scan.count(text);
        assert!(n >= 3, "{n} phrases in {text:?}");
        assert!(scan.count("zzqx vvbk") < n);
    }
}
