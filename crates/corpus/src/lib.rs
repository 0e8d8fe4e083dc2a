//! Reproducible synthetic news corpora of any size, made from a few real articles.
//!
//! Scale runs (10k, 100k, 1M articles) need a corpus without a download. This crate
//! takes template articles (the bundled `data/articles`, or any folder `annals ingest`
//! reads), runs the project's extractor on each to find the spans of its people, places
//! and dates, and makes article `n` of the corpus by picking a template and replacing:
//!
//! - each person, consistently within the article, by a "First Surname" drawn from the
//!   census lexicons (a surname-only mention gets the surname), people being drawn by a
//!   Zipf-like law so some recur across many articles, as in real news ([`pools`]);
//! - each place by a city (largest cities drawn most often) or, for a country, another
//!   country of the gazetteer;
//! - the dates: the publication day moves by a random whole number of weeks within
//!   2010–2024, and every absolute date in the text moves with it, written in its own
//!   style ([`dates`]); relative dates ("last Friday") then resolve to the moved days;
//! - groups are kept, except for place names inside them.
//!
//! A dateline line with the article's number goes after the headline, so no two
//! articles of a corpus are the same bytes (the store skips exact duplicates).
//!
//! Article `n` depends only on the seed, `n` and the templates ([`Generator::article`]),
//! so the same arguments give byte-identical output, shards are made in parallel, and
//! memory does not grow with the count ([`write_corpus`]).
//!
//! ```no_run
//! use annals_corpus::{generator, write_corpus, OutputFormat, Templates, WriteOptions};
//!
//! let templates = Templates::read(&["data/articles".into()]);
//! let gen = generator(&templates.documents, 1);
//! let opts = WriteOptions { count: 100, per_shard: 1000, format: OutputFormat::Text };
//! write_corpus(&gen, &opts, "/tmp/corpus100".as_ref(), &serde_json::json!({}), &mut |_| {})?;
//! # Ok::<(), annals_corpus::WriteError>(())
//! ```

#![warn(missing_docs)]

pub mod dates;
mod generate;
mod input;
mod output;
pub mod pools;
pub mod rng;
pub mod template;

use annals_model::Document;
use rayon::prelude::*;

pub use generate::{default_from, default_to, Article, Generator};
pub use input::Templates;
pub use output::{
    shard_name, text_name, write_corpus, OutputFormat, Summary, WriteError, WriteOptions,
};
pub use pools::Pools;
pub use template::Template;

/// A generator for `seed` over `documents`, each analysed with the extractor.
pub fn generator(documents: &[Document], seed: u64) -> Generator {
    let pools = Pools::new(seed);
    let templates = documents
        .par_iter()
        .map(|d| Template::analyse(d, &pools))
        .collect();
    Generator::new(templates, pools, seed)
}
