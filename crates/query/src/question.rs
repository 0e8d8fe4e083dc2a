//! The question grammar: plain-English forms to a typed [`Question`].

use crate::{QueryError, Result};

/// The forms [`parse`] understands, as shown to users.
pub const FORMS: &[&str] = &[
    "who said PHRASE",
    "what did NAME say",
    "when was/did EVENT [in PLACE]",
    "what happened [in PLACE]",
];

/// A parsed question.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Question {
    /// Who said these words (matched fuzzily against quotes).
    WhoSaid(String),
    /// What this entity said.
    WhatDidSay(String),
    /// When an event happened ("when was the drone strike in Baghdad").
    WhenWas {
        /// Words naming the event ("drone strike").
        event: String,
        /// The place it happened, if given.
        place: Option<String>,
    },
    /// The events at a place, or every event.
    WhatHappened {
        /// The place, if given.
        place: Option<String>,
    },
}

/// Splits "EVENT in PLACE" at its last " in ", as written.
fn split_place(s: &str) -> (String, Option<String>) {
    let lower = s.to_lowercase();
    match lower.rfind(" in ") {
        Some(i) if !unquote(&s[i + 4..]).is_empty() => (
            unquote(&s[..i]).to_string(),
            Some(unquote(&s[i + 4..]).to_string()),
        ),
        _ => (unquote(s).to_string(), None),
    }
}

/// Drops a leading article and a trailing "happen" / "take place" / "occur".
fn event_words(s: &str) -> String {
    let mut w: Vec<&str> = s.split_whitespace().collect();
    while w
        .first()
        .is_some_and(|f| matches!(f.to_lowercase().as_str(), "the" | "a" | "an" | "that"))
    {
        w.remove(0);
    }
    let lower: Vec<String> = w.iter().map(|x| x.to_lowercase()).collect();
    let cut = match lower.as_slice() {
        [.., a, b] if a == "take" && b == "place" => 2,
        [.., a] if matches!(a.as_str(), "happen" | "occur" | "happened" | "occurred") => 1,
        _ => 0,
    };
    w.truncate(w.len() - cut);
    w.join(" ")
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
    if lower.len() >= 3 && lower[0] == "when" && matches!(lower[1].as_str(), "was" | "did" | "is") {
        let (event, place) = split_place(rest_after(2));
        let event = event_words(&event);
        if !event.is_empty() {
            return Ok(Question::WhenWas { event, place });
        }
    }
    if lower.len() >= 2 && lower[0] == "what" && lower[1] == "happened" {
        let rest = rest_after(2);
        let place = match rest.split_once(char::is_whitespace) {
            Some((prep, p)) if matches!(prep.to_lowercase().as_str(), "in" | "at") => {
                Some(unquote(p).to_string())
            }
            None if rest.is_empty() => None,
            _ => return Err(unparsed()),
        };
        return Ok(Question::WhatHappened { place });
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
    fn when_was_an_event_with_or_without_a_place() {
        assert_eq!(
            parse("when was the drone strike in Baghdad?").unwrap(),
            Question::WhenWas {
                event: "drone strike".into(),
                place: Some("Baghdad".into())
            }
        );
        assert_eq!(
            parse("When did the protest happen").unwrap(),
            Question::WhenWas {
                event: "protest".into(),
                place: None
            }
        );
    }

    #[test]
    fn what_happened_with_or_without_a_place() {
        assert_eq!(
            parse("What happened in New York?").unwrap(),
            Question::WhatHappened {
                place: Some("New York".into())
            }
        );
        assert_eq!(
            parse("what happened").unwrap(),
            Question::WhatHappened { place: None }
        );
        assert!(parse("what happened yesterday morning").is_err());
    }

    #[test]
    fn other_questions_are_refused_with_the_forms() {
        for q in ["", "who said", "why is the sky blue", "what did say"] {
            let err = parse(q).unwrap_err().to_string();
            assert!(err.contains("who said PHRASE"), "{q:?}: {err}");
        }
    }
}
