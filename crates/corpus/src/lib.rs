//! Reproducible synthetic news corpora of any size, made from a few real articles.
//!
//! So far: the seeded randomness ([`rng`]) and the rewriting of date mentions for a
//! shifted calendar ([`dates`]).

#![warn(missing_docs)]

pub mod dates;
pub mod rng;
