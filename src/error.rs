//! The facade's error type.

use std::path::PathBuf;

/// What can go wrong using Annals as a library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed or refused to open.
    #[error(transparent)]
    Store(#[from] annals_graph::StoreError),
    /// There is no store where one was expected.
    #[error("no store at {}; run `annals ingest PATH` first, or point --db / ANNALS_DB at a store", .0.display())]
    NoStore(PathBuf),
    /// An export's filters do not make sense (an empty period).
    #[error(transparent)]
    Selection(#[from] annals_graph::export::SelectionError),
    /// A question could not be answered.
    #[error(transparent)]
    Query(#[from] annals_query::QueryError),
    /// An input could not be used.
    #[error("{source_name}: {reason}")]
    Input {
        /// The input.
        source_name: String,
        /// Why.
        reason: String,
    },
    /// Work was stopped because another part of it failed (reported separately).
    #[error("cancelled")]
    Cancelled,
    /// Reading an input failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
