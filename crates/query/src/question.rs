//! The question grammar: plain-English forms to a typed [`Question`].

use crate::{QueryError, Result};

/// The forms [`parse`] understands, as shown to users.
pub const FORMS: &[&str] = &["who said PHRASE", "what did NAME say"];

/// A parsed question.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Question {
    /// Who said these words (matched fuzzily against quotes).
    WhoSaid(String),
    /// What this entity said.
    WhatDidSay(String),
}

/// Strips surrounding quotation marks and spaces from a phrase.
fn unquote(s: &str) -> &str {
    s.trim()
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’'))
        .trim()
}

/// Parses a question. Case, a trailing question mark and quotation marks around the
/// phrase do not matter.
pub fn parse(question: &str) -> Result<Question> {
    let unparsed = || QueryError::Unparsed {
        question: question.to_string(),
    };
    let q = question.trim().trim_end_matches(['?', '.', '!']).trim();
    let words: Vec<&str> = q.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let rest_after = |n: usize| -> &str {
        // The text after the first `n` words, as written.
        let mut rest = q;
        for _ in 0..n {
            rest = rest.trim_start();
            let cut = rest.find(char::is_whitespace).unwrap_or(rest.len());
            rest = &rest[cut..];
        }
        rest.trim()
    };
    if lower.len() >= 3 && lower[0] == "who" && matches!(lower[1].as_str(), "said" | "says") {
        let phrase = unquote(rest_after(2));
        if !phrase.is_empty() {
            return Ok(Question::WhoSaid(phrase.to_string()));
        }
    }
    if lower.len() >= 4
        && lower[0] == "what"
        && matches!(lower[1].as_str(), "did" | "does" | "has")
        && matches!(lower.last().map(String::as_str), Some("say" | "said"))
    {
        let name_words = &words[2..words.len() - 1];
        let name = unquote(&name_words.join(" ")).to_string();
        if !name.is_empty() {
            return Ok(Question::WhatDidSay(name));
        }
    }
    Err(unparsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_said_takes_the_rest_as_the_phrase() {
        assert_eq!(
            parse("who said  “the river is clean”?").unwrap(),
            Question::WhoSaid("the river is clean".into())
        );
        assert_eq!(
            parse("WHO SAYS budget cuts").unwrap(),
            Question::WhoSaid("budget cuts".into())
        );
    }

    #[test]
    fn what_did_name_say() {
        assert_eq!(
            parse("What did Anne Hidalgo say?").unwrap(),
            Question::WhatDidSay("Anne Hidalgo".into())
        );
        assert_eq!(
            parse("what has \"the mayor\" said").unwrap(),
            Question::WhatDidSay("the mayor".into())
        );
    }

    #[test]
    fn other_questions_are_refused_with_the_forms() {
        for q in ["", "who said", "why is the sky blue", "what did say"] {
            let err = parse(q).unwrap_err().to_string();
            assert!(err.contains("who said PHRASE"), "{q:?}: {err}");
        }
    }
}
