//! Questions to answers with evidence, read from an Annals store.
//!
//! [`parse`] turns a plain-English question into a [`Question`]; [`ask`] answers it from
//! a [`Store`](annals_graph::Store), each [`Answer`] item carrying the [`Evidence`] it rests on (document,
//! byte span, text). Forms understood now:
//!
//! - `who said PHRASE`: quotes whose words match the phrase (fuzzily), with speakers;
//! - `what did NAME say`: the quotes attributed to an entity;
//! - `when was/did EVENT [in PLACE]`: the events whose label or trigger words match, at
//!   the place if one is named, with their date and every report of them;
//! - `what happened [in PLACE]`: the events at a place (or all), with their reports.
//!
//! A question outside these forms, or a name that matches nothing or several entities,
//! is a [`QueryError`] whose message says what would work.
//!
//! ```
//! let q = annals_query::parse("Who said \"blatant assassination\"?").unwrap();
//! assert_eq!(q, annals_query::Question::WhoSaid("blatant assassination".into()));
//! ```

#![warn(missing_docs)]

mod answer;
mod fuzzy;
mod question;

pub use answer::{ask, lookup, Answer, AnswerItem, EntityRef, EventRef, Evidence};
pub use fuzzy::phrase_score;
pub use question::{parse, Question, FORMS};

use annals_graph::StoreError;

/// Why a question could not be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The question is in none of the understood forms.
    #[error("cannot parse the question {question:?}. Questions I understand:\n{}", FORMS.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n"))]
    Unparsed {
        /// The question as asked.
        question: String,
    },
    /// No stored entity has the name.
    #[error("no entity is called {name:?}{}", did_you_mean(suggestions))]
    UnknownName {
        /// The name asked about.
        name: String,
        /// Stored names that look close.
        suggestions: Vec<String>,
    },
    /// Several stored entities have the name.
    #[error("{name:?} names several entities: {}; ask with a fuller name", candidates.join("; "))]
    Ambiguous {
        /// The name asked about.
        name: String,
        /// The entities it matches, described.
        candidates: Vec<String>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn did_you_mean(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", s.join(", "))
    }
}

/// `Result` with [`QueryError`].
pub type Result<T> = std::result::Result<T, QueryError>;
