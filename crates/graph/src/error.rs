//! The store's error type.

use std::path::PathBuf;

/// What can go wrong opening, reading or writing a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another process has the store open.
    #[error(
        "the store at {path} is in use by {}; wait for it to finish or use another --db",
        match .pid { Some(p) => format!("process {p}"), None => "another process".to_string() }
    )]
    Locked {
        /// The store's folder.
        path: PathBuf,
        /// The process holding it, when it left its id in the store folder.
        pid: Option<u32>,
    },
    /// The store was written by a build with another format version.
    #[error(
        "the store at {path} has format version {found}, but this build of Annals reads version {expected}; re-ingest into a new store (--db) or use the matching build"
    )]
    FormatVersion {
        /// The store's folder.
        path: PathBuf,
        /// The version found on disk.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// The folder holds data that is not an Annals store.
    #[error(
        "{path} is not an Annals store (it has data but no format version); choose another --db"
    )]
    NotAStore {
        /// The folder.
        path: PathBuf,
    },
    /// An extraction was refused because a span or index in it is wrong.
    #[error("extraction for {source_name} refused: {reason}")]
    BadExtraction {
        /// The document's source.
        source_name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A stored value could not be decoded.
    #[error("stored data is damaged in tree {tree}: {reason}")]
    Corrupt {
        /// The sled tree.
        tree: &'static str,
        /// What failed.
        reason: String,
    },
    /// Writing an export failed.
    #[error("writing the export failed: {0}")]
    Write(#[from] std::io::Error),
    /// A file operation on the store's folder failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done ("remove", "swap in the compacted store at", ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// sled reported an error.
    #[error("{}", describe_sled(.0))]
    Sled(sled::Error),
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> StoreError {
        StoreError::Sled(e)
    }
}

/// sled's error in plain words, with what to do when the disk refuses a write. (The
/// message holds the error itself, so it is not also given as the error's source: a
/// chain of causes would repeat it.)
fn describe_sled(e: &sled::Error) -> String {
    use std::io::ErrorKind;
    let sled::Error::Io(io) = e else {
        return format!("store error: {e}");
    };
    const RETRY: &str =
        "what was stored before is intact: free some space and run the same command again";
    const WRITABLE: &str = "the store's folder must be writable (or use another --db)";
    let (what, advice) = match io.kind() {
        ErrorKind::StorageFull => ("no space is left on the device".to_string(), RETRY),
        ErrorKind::QuotaExceeded => ("the disk quota is exceeded".to_string(), RETRY),
        ErrorKind::FileTooLarge => ("a file reached the size limit".to_string(), RETRY),
        ErrorKind::ReadOnlyFilesystem => ("the file system is read-only".to_string(), WRITABLE),
        ErrorKind::PermissionDenied => ("permission was denied".to_string(), WRITABLE),
        _ => (io.to_string(), ""),
    };
    if advice.is_empty() {
        return format!("the store could not read or write its files: {what}");
    }
    format!("the store could not read or write its files: {what}; {advice}")
}

/// `Result` with [`StoreError`].
pub type Result<T> = std::result::Result<T, StoreError>;
