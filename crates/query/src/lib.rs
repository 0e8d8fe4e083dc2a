//! Questions to answers with evidence, read from an Annals store.
//!
//! [`parse`] turns a plain-English question into a [`Question`] (the grammar is in
//! docs/queries.md and [`FORMS`]); [`ask`] answers it from a [`Store`](annals_graph::Store),
//! each [`Answer`] item carrying the [`Evidence`] it rests on (document, byte span, text,
//! sentence). A [`Question`] can also be built directly and passed to [`answer`], which is
//! the typed way in for programs; [`lookup`] finds entities by name.
//!
//! Forms: `who said PHRASE` · `what did NAME say [about TOPIC]` · `who is NAME` ·
//! `what happened [in PLACE] [DATES]` · `what did NAME do [to TARGET]` ·
//! `when was/did EVENT [in PLACE]` · `where was/did EVENT` ·
//! `who was killed/attacked/... [in PLACE] [DATES]` · `timeline [of NAME] [DATES]` ·
//! `how are A and B connected`.
//!
//! A question outside these forms, or a name that matches nothing or several entities,
//! is a [`QueryError`] whose message says what would work.
//!
//! ```
//! let q = annals_query::parse("Who said \"blatant assassination\"?").unwrap();
//! assert_eq!(q, annals_query::Question::WhoSaid("blatant assassination".into()));
//! let q = annals_query::parse("what happened in Baghdad in January 2024").unwrap();
//! assert_eq!(q.form(), "what happened [in PLACE] [on|in|between|since|before|after DATES]");
//! ```

#![warn(missing_docs)]

mod answer;
mod dates;
mod forms;
mod fuzzy;
mod paths;
mod question;
mod reader;

pub use answer::{
    Answer, AnswerItem, ArticleRef, Connection, EntityRef, EventRef, Evidence, Fact, PathNode,
    Profile, Step,
};
pub use dates::{parse_condition, parse_date, DateRange};
pub use forms::{answer, ask, ask_with, lookup, AskOptions};
pub use fuzzy::{phrase_score, stem_score};
pub use question::{parse, Question, FORMS};

use annals_graph::StoreError;

/// Why a question could not be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The question is in none of the understood forms.
    #[error("cannot parse the question {question:?}. Questions I understand:\n{}{}", FORMS.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n"), did_you_mean_questions(suggestions))]
    Unparsed {
        /// The question as asked.
        question: String,
        /// Questions about the entities it names ("who is X").
        suggestions: Vec<String>,
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

fn did_you_mean_questions(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("\nDid you mean: {}?", s.join("; "))
    }
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
