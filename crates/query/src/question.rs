//! The question grammar: plain-English forms to a typed [`Question`]. The grammar is
//! documented for users in docs/queries.md; [`FORMS`] is what error messages show.

use crate::dates::{parse_condition, DateRange};
use crate::{QueryError, Result};

/// The forms [`parse`] understands, as shown to users.
pub const FORMS: &[&str] = &[
    "who said PHRASE",
    "what did NAME say [about TOPIC]",
    "who is NAME",
    "what happened [in PLACE] [on|in|between|since|before|after DATES]",
    "what did NAME do [to TARGET]",
    "when was/did EVENT [in PLACE]",
    "where was/did EVENT",
    "who was killed|attacked|arrested|... [in PLACE] [DATES]",
    "timeline [of NAME] [DATES]",
    "how are NAME and NAME connected",
];

/// A parsed question.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Question {
    /// Who said these words (matched fuzzily against quotes).
    WhoSaid(String),
    /// What this entity said, optionally only about a topic.
    WhatDidSay {
        /// Who.
        name: String,
        /// Words the quotes should be about.
        topic: Option<String>,
    },
    /// Everything known of an entity: names, roles, articles, events, quotes.
    WhoIs(String),
    /// The events at a place and/or in a date range, or every event.
    WhatHappened {
        /// The place, if given.
        place: Option<String>,
        /// The days, if given.
        dates: Option<DateRange>,
    },
    /// The events an actor carried out, optionally against a target.
    WhatDidDo {
        /// Who acted.
        actor: String,
        /// Against or towards whom.
        target: Option<String>,
    },
    /// When an event happened ("when was the drone strike in Baghdad").
    WhenWas {
        /// Words naming the event ("drone strike").
        event: String,
        /// The place it happened, if given.
        place: Option<String>,
    },
    /// Where an event happened.
    WhereWas {
        /// Words naming the event.
        event: String,
    },
    /// Who suffered an event ("who was killed in Baghdad").
    WhoWas {
        /// What was done to them ("killed").
        what: String,
        /// Where, if given.
        place: Option<String>,
        /// When, if given.
        dates: Option<DateRange>,
    },
    /// Events in date order, of one entity or of all.
    Timeline {
        /// Whose timeline; every event when `None`.
        name: Option<String>,
        /// The days, if given.
        dates: Option<DateRange>,
    },
    /// The shortest chains of events and relations between two entities.
    Connected {
        /// One end.
        a: String,
        /// The other end.
        b: String,
    },
}

impl Question {
    /// The form of [`FORMS`] this question was parsed as.
    pub fn form(&self) -> &'static str {
        let i = match self {
            Question::WhoSaid(_) => 0,
            Question::WhatDidSay { .. } => 1,
            Question::WhoIs(_) => 2,
            Question::WhatHappened { .. } => 3,
            Question::WhatDidDo { .. } => 4,
            Question::WhenWas { .. } => 5,
            Question::WhereWas { .. } => 6,
            Question::WhoWas { .. } => 7,
            Question::Timeline { .. } => 8,
            Question::Connected { .. } => 9,
        };
        FORMS[i]
    }
}

/// Words that open a place or date condition at the end of a question.
const PREPOSITIONS: &[&str] = &[
    "in", "at", "on", "during", "between", "from", "since", "after", "before", "until",
];

/// Past participles that are not "-ed" forms, for "who was hurt".
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "hurt",
    "shot",
    "struck",
    "hit",
    "held",
    "taken",
    "caught",
    "beaten",
    "slain",
    "stabbed",
    "sentenced",
    "seized",
    "freed",
];

/// Splits "in Baghdad on 4 January 2024" into a place and a date range. `Err(())` when
/// a part is neither.
fn place_and_dates(rest: &str) -> std::result::Result<(Option<String>, Option<DateRange>), ()> {
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok((None, None));
    }
    // Segment starts: every preposition word.
    let mut starts = Vec::new();
    let mut offset = 0;
    for w in rest.split_whitespace() {
        let at = offset + rest[offset..].find(w).unwrap_or(0);
        offset = at + w.len();
        if PREPOSITIONS.contains(&w.to_lowercase().as_str()) {
            starts.push(at);
        }
    }
    if starts.first() != Some(&0) {
        return Err(());
    }
    let mut segments: Vec<&str> = Vec::new();
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(rest.len());
        segments.push(rest[s..e].trim());
    }
    let (mut place, mut dates) = (None, None);
    let mut i = 0;
    while i < segments.len() {
        // A date condition may span segments ("from 2024 until 2025").
        let mut matched = false;
        for j in (i + 1..=segments.len()).rev() {
            let joined = rest[starts[i]..starts.get(j).copied().unwrap_or(rest.len())].trim();
            if let Some(d) = parse_condition(joined) {
                if dates.is_some() {
                    return Err(());
                }
                dates = Some(d);
                i = j;
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        let seg = segments[i];
        let (prep, name) = seg.split_once(char::is_whitespace).ok_or(())?;
        if !matches!(prep.to_lowercase().as_str(), "in" | "at") || place.is_some() {
            return Err(());
        }
        place = Some(unquote(name).to_string());
        i += 1;
    }
    Ok((place, dates))
}

/// Like [`place_and_dates`], and when that fails, "in A on B" with A holding a preposition
/// is read as one place ("in Stoke on Trent").
fn place_and_dates_lenient(
    rest: &str,
) -> std::result::Result<(Option<String>, Option<DateRange>), ()> {
    place_and_dates(rest).or_else(|()| {
        let (prep, name) = rest.trim().split_once(char::is_whitespace).ok_or(())?;
        if matches!(prep.to_lowercase().as_str(), "in" | "at") {
            Ok((Some(unquote(name).to_string()), None))
        } else {
            Err(())
        }
    })
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

/// Whether a word reads as a past participle ("killed", "hurt").
fn participle(w: &str) -> bool {
    (w.len() > 4 && w.ends_with("ed")) || IRREGULAR_PARTICIPLES.contains(&w)
}

/// Parses a question. Case, a trailing question mark and quotation marks around the
/// phrase do not matter.
pub fn parse(question: &str) -> Result<Question> {
    let unparsed = || QueryError::Unparsed {
        question: question.to_string(),
        suggestions: Vec::new(),
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
    let lw = |i: usize| lower.get(i).map(String::as_str).unwrap_or("");
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());

    match (lw(0), lw(1)) {
        ("who", "said" | "says") => {
            if let Some(p) = non_empty(unquote(rest_after(2))) {
                return Ok(Question::WhoSaid(p));
            }
        }
        ("what", "did" | "does" | "has") if lower.len() >= 4 => {
            let last = lower.last().map(String::as_str).unwrap_or("");
            if matches!(last, "say" | "said") {
                if let Some(name) = non_empty(unquote(&words[2..words.len() - 1].join(" "))) {
                    return Ok(Question::WhatDidSay { name, topic: None });
                }
            }
            if matches!(last, "do" | "done") {
                if let Some(actor) = non_empty(unquote(&words[2..words.len() - 1].join(" "))) {
                    return Ok(Question::WhatDidDo {
                        actor,
                        target: None,
                    });
                }
            }
            // "what did X say about TOPIC"
            if let Some(i) = (3..lower.len())
                .find(|&i| matches!(lower[i - 1].as_str(), "say" | "said") && lower[i] == "about")
            {
                let name = unquote(&words[2..i - 1].join(" ")).to_string();
                let topic = unquote(&words[i + 1..].join(" ")).to_string();
                if !name.is_empty() && !topic.is_empty() {
                    return Ok(Question::WhatDidSay {
                        name,
                        topic: Some(topic),
                    });
                }
            }
            // "what did X do to Y"
            if let Some(i) = (3..lower.len()).find(|&i| lower[i] == "to" && lower[i - 1] == "do") {
                let actor = unquote(&words[2..i - 1].join(" ")).to_string();
                let target = unquote(&words[i + 1..].join(" ")).to_string();
                if !actor.is_empty() && !target.is_empty() {
                    return Ok(Question::WhatDidDo {
                        actor,
                        target: Some(target),
                    });
                }
            }
        }
        ("who" | "what", "is" | "are") | ("who's" | "whos", _) | ("tell", "me") => {
            let skip = match (lw(0), lw(1), lw(2)) {
                ("tell", "me", "about") => 3,
                ("tell", _, _) => return Err(unparsed()),
                ("who's" | "whos", _, _) => 1,
                _ => 2,
            };
            if let Some(name) = non_empty(unquote(rest_after(skip))) {
                return Ok(Question::WhoIs(name));
            }
        }
        ("who", "was" | "were") => {
            if participle(lw(2)) {
                let (place, dates) =
                    place_and_dates_lenient(rest_after(3)).map_err(|()| unparsed())?;
                return Ok(Question::WhoWas {
                    what: lower[2].clone(),
                    place,
                    dates,
                });
            }
            if let Some(name) = non_empty(unquote(rest_after(2))) {
                return Ok(Question::WhoIs(name));
            }
        }
        ("when", "was" | "did" | "is" | "were") => {
            let (event, place) = split_place(rest_after(2));
            let event = event_words(&event);
            if !event.is_empty() {
                return Ok(Question::WhenWas { event, place });
            }
        }
        ("where", "was" | "did" | "is" | "were") => {
            let event = event_words(unquote(rest_after(2)));
            if !event.is_empty() {
                return Ok(Question::WhereWas { event });
            }
        }
        ("what", "happened") => {
            let (place, dates) = place_and_dates_lenient(rest_after(2)).map_err(|()| unparsed())?;
            return Ok(Question::WhatHappened { place, dates });
        }
        ("timeline", _) | ("show", "timeline") | ("show", "the") => {
            let skip = match (lw(0), lw(1), lw(2)) {
                ("timeline", _, _) => 1,
                ("show", "timeline", _) => 2,
                ("show", "the", "timeline") => 3,
                _ => return Err(unparsed()),
            };
            let mut rest = rest_after(skip);
            if rest.to_lowercase().starts_with("of ") || rest.to_lowercase().starts_with("for ") {
                rest = rest.split_once(' ').map_or("", |(_, r)| r);
            } else if !rest.is_empty() {
                // Only dates may follow "timeline" directly.
                let (place, dates) = place_and_dates(rest).map_err(|()| unparsed())?;
                if place.is_some() {
                    return Err(unparsed());
                }
                return Ok(Question::Timeline { name: None, dates });
            }
            // The name runs to the first date condition.
            let (name, dates) = split_dates(rest).map_err(|()| unparsed())?;
            return Ok(Question::Timeline {
                name: non_empty(unquote(&name)),
                dates,
            });
        }
        ("how", "are" | "is") => {
            // "how are A and B connected|related|linked"; "how is A connected to B".
            let body: Vec<&str> = words[2..].to_vec();
            let lb: Vec<&str> = lower[2..].iter().map(String::as_str).collect();
            let verb = |w: &str| matches!(w, "connected" | "related" | "linked");
            if let Some(v) = lb.iter().position(|w| verb(w)) {
                let (a, b) = if v + 1 == lb.len() {
                    split_last(&body[..v], "and")
                } else if matches!(lb.get(v + 1), Some(&("to" | "with"))) {
                    (
                        unquote(&body[..v].join(" ")).to_string(),
                        non_empty(unquote(&body[v + 2..].join(" "))),
                    )
                } else {
                    (String::new(), None)
                };
                if let (false, Some(b)) = (a.is_empty(), b) {
                    return Ok(Question::Connected { a, b });
                }
            }
        }
        _ => {}
    }
    Err(unparsed())
}

/// Splits words at the last `sep` word: ("A B", Some("C")) for "A B sep C".
fn split_last(words: &[&str], sep: &str) -> (String, Option<String>) {
    match words.iter().rposition(|w| w.eq_ignore_ascii_case(sep)) {
        Some(i) if i > 0 && i + 1 < words.len() => (
            unquote(&words[..i].join(" ")).to_string(),
            Some(unquote(&words[i + 1..].join(" ")).to_string()),
        ),
        _ => (unquote(&words.join(" ")).to_string(), None),
    }
}

/// Splits "NAME [DATES]" at the first preposition that starts a date condition.
fn split_dates(s: &str) -> std::result::Result<(String, Option<DateRange>), ()> {
    let mut offset = 0;
    for w in s.split_whitespace() {
        let at = offset + s[offset..].find(w).unwrap_or(0);
        offset = at + w.len();
        if at > 0 && PREPOSITIONS.contains(&w.to_lowercase().as_str()) {
            if let Ok((None, dates @ Some(_))) = place_and_dates(&s[at..]) {
                return Ok((s[..at].trim().to_string(), dates));
            }
        }
    }
    Ok((s.trim().to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

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
    fn what_did_name_say_with_or_without_a_topic() {
        assert_eq!(
            parse("What did Anne Hidalgo say?").unwrap(),
            Question::WhatDidSay {
                name: "Anne Hidalgo".into(),
                topic: None
            }
        );
        assert_eq!(
            parse("what has \"the mayor\" said").unwrap(),
            Question::WhatDidSay {
                name: "the mayor".into(),
                topic: None
            }
        );
        assert_eq!(
            parse("what did the mayor say about the bridge repairs?").unwrap(),
            Question::WhatDidSay {
                name: "the mayor".into(),
                topic: Some("the bridge repairs".into())
            }
        );
    }

    #[test]
    fn who_is_in_several_wordings() {
        for q in [
            "who is Anne Hidalgo",
            "Who's Anne Hidalgo?",
            "tell me about Anne Hidalgo",
            "who was Anne Hidalgo",
        ] {
            assert_eq!(
                parse(q).unwrap(),
                Question::WhoIs("Anne Hidalgo".into()),
                "{q}"
            );
        }
        assert_eq!(
            parse("what is the Red Cross").unwrap(),
            Question::WhoIs("the Red Cross".into())
        );
    }

    #[test]
    fn what_did_actor_do() {
        assert_eq!(
            parse("what did the army do").unwrap(),
            Question::WhatDidDo {
                actor: "the army".into(),
                target: None
            }
        );
        assert_eq!(
            parse("What did the United States do to Kataib Hezbollah?").unwrap(),
            Question::WhatDidDo {
                actor: "the United States".into(),
                target: Some("Kataib Hezbollah".into())
            }
        );
    }

    #[test]
    fn when_and_where_was_an_event() {
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
        assert_eq!(
            parse("where did the protest take place?").unwrap(),
            Question::WhereWas {
                event: "protest".into()
            }
        );
    }

    #[test]
    fn what_happened_with_places_and_dates() {
        assert_eq!(
            parse("What happened in New York?").unwrap(),
            Question::WhatHappened {
                place: Some("New York".into()),
                dates: None
            }
        );
        assert_eq!(
            parse("what happened").unwrap(),
            Question::WhatHappened {
                place: None,
                dates: None
            }
        );
        assert_eq!(
            parse("what happened in Lyon in January 2024").unwrap(),
            Question::WhatHappened {
                place: Some("Lyon".into()),
                dates: parse_date("2024-01")
            }
        );
        assert_eq!(
            parse("what happened between 2024-01-01 and 2024-01-15 in Lyon").unwrap(),
            Question::WhatHappened {
                place: Some("Lyon".into()),
                dates: crate::dates::parse_condition("between 2024-01-01 and 2024-01-15")
            }
        );
        assert_eq!(
            parse("what happened in Stoke on Trent").unwrap(),
            Question::WhatHappened {
                place: Some("Stoke on Trent".into()),
                dates: None
            }
        );
        assert!(parse("what happened yesterday morning").is_err());
    }

    #[test]
    fn who_was_harmed() {
        assert_eq!(
            parse("who was killed in Baghdad?").unwrap(),
            Question::WhoWas {
                what: "killed".into(),
                place: Some("Baghdad".into()),
                dates: None
            }
        );
        assert_eq!(
            parse("who were arrested since 2023").unwrap(),
            Question::WhoWas {
                what: "arrested".into(),
                place: None,
                dates: crate::dates::parse_condition("since 2023")
            }
        );
    }

    #[test]
    fn timelines() {
        assert_eq!(
            parse("timeline").unwrap(),
            Question::Timeline {
                name: None,
                dates: None
            }
        );
        assert_eq!(
            parse("timeline of Kataib Hezbollah in 2024").unwrap(),
            Question::Timeline {
                name: Some("Kataib Hezbollah".into()),
                dates: parse_date("2024")
            }
        );
        assert_eq!(
            parse("show the timeline for the mayor").unwrap(),
            Question::Timeline {
                name: Some("the mayor".into()),
                dates: None
            }
        );
        assert!(parse("timeline in Paris").is_err());
    }

    #[test]
    fn connections() {
        let want = Question::Connected {
            a: "Anne Hidalgo".into(),
            b: "the Red Cross".into(),
        };
        for q in [
            "how are Anne Hidalgo and the Red Cross connected?",
            "How is Anne Hidalgo connected to the Red Cross",
            "how are Anne Hidalgo and \"the Red Cross\" related",
        ] {
            assert_eq!(parse(q).unwrap(), want, "{q}");
        }
        assert!(parse("how are you").is_err());
    }

    #[test]
    fn forms_match_questions() {
        assert_eq!(
            parse("timeline").unwrap().form(),
            "timeline [of NAME] [DATES]"
        );
        assert_eq!(parse("who said x").unwrap().form(), "who said PHRASE");
    }

    #[test]
    fn other_questions_are_refused_with_the_forms() {
        for q in [
            "",
            "who said",
            "why is the sky blue",
            "what did say",
            "tell us",
        ] {
            let err = parse(q).unwrap_err().to_string();
            assert!(err.contains("who said PHRASE"), "{q:?}: {err}");
        }
    }
}
