//! Reproducible synthetic news corpora of any size, made from a few real articles.
//!
//! So far: the seeded randomness ([`rng`]), the rewriting of date mentions for a
//! shifted calendar ([`dates`]), the names to draw from ([`pools`]) and the analysis
//! of a template article ([`template`]).

#![warn(missing_docs)]

pub mod dates;
pub mod pools;
pub mod rng;
pub mod template;
