//! Compaction: rewriting a store into a fresh sled file that holds only live data.
//!
//! sled 0.34 is log-structured: every insert appends to its file, and old versions are
//! reclaimed a segment at a time and late, so a store that took many small writes is
//! several times its live data (10,000 generated articles: 471 MB on disk for about
//! 75 MB of keys and values). Opening a store reads a header per 512 KB segment of the
//! file, so the size also costs every `annals ask`. [`Store::compact`] copies every tree
//! in key order into a new store beside the old one and swaps the two folders.
//!
//! Crash safety: the copy is written to `NAME.compacting` next to the store folder and
//! flushed; only then are the folders exchanged, atomically on Linux (`renameat2` with
//! `RENAME_EXCHANGE`), so the store's path always names a complete store: the old one
//! before the exchange, the new one after. What is left at `NAME.compacting` (a partial
//! copy, or the old store after the exchange) is removed by the next compaction or
//! [`Store::open`].

use std::path::{Path, PathBuf};

use crate::error::{Result, StoreError};
use crate::store::{Store, LOGGED};
use crate::values::{self, Pointer, Values};

/// `meta` key of the store's size on disk right after its last compaction (u64 BE).
pub(crate) const COMPACTED_SIZE_KEY: &[u8] = b"compacted_size";

/// A store is compacted when it is larger than this many times its size after its last
/// compaction (so the copying costs a bounded share of the writing) ...
const GROWTH: u64 = 2;
/// ... and larger than this (small stores are not worth it). `ANNALS_COMPACT_MIN_BYTES`
/// overrides it, for tests.
const MIN_BYTES: u64 = 64 << 20;

/// The folder a compaction writes the new store to: `NAME.compacting` beside the store.
pub(crate) fn scratch_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "annals.db".into());
    name.push(".compacting");
    path.with_file_name(name)
}

/// Removes what an interrupted compaction left beside the store, if anything. Only
/// called by the process that holds the store's lock.
pub(crate) fn remove_leftover(path: &Path) -> Result<()> {
    let scratch = scratch_path(path);
    let removed = match std::fs::symlink_metadata(&scratch) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&scratch),
        Ok(_) => std::fs::remove_file(&scratch),
        Err(e) => Err(e),
    };
    match removed {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io {
            action: "remove the leftover of a compaction at",
            path: scratch,
            source,
        }),
    }
}

/// The bytes the files of a folder take (not following subfolders' links).
pub(crate) fn disk_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Exchanges two folders: atomically where the system can.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
        };
        let (ca, cb) = (c(a)?, c(b)?);
        // SAFETY: both are valid NUL-terminated paths that live across the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        // A file system without the exchange (EINVAL) falls back to two renames.
        if err.raw_os_error() != Some(libc::EINVAL) {
            return Err(err);
        }
    }
    // Not atomic: between the renames the store's path names nothing, and a crash there
    // leaves the store at `b` (the new one at `a`'s old name is complete).
    let parked = b.with_extension("swap");
    std::fs::rename(a, &parked)?;
    std::fs::rename(b, a)?;
    std::fs::rename(&parked, b)
}

/// How many items a leaf of a compaction's copy holds before it splits: sled's 16 gave
/// the 100k store about 200,000 pages, and each start of a store decodes an entry per
/// page from its snapshot (27 MB of the 85 MB a question touched). 32 halved the
/// snapshot (3.0 -> 1.6 MB) for a file 1-2% larger (951-956 -> 947-970 MB); 64 left a
/// larger file (1,116 MB), sled rewriting the larger leaves more often as they fill.
const COPY_LEAF_ITEMS: usize = 32;

/// sled's leaf size is one setting for the whole process ([`sled::set_leaf_split_items`]):
/// the number of compactions copying now, and the setting before the first of them, which
/// the last to finish restores.
static COPYING: std::sync::Mutex<(usize, usize)> = std::sync::Mutex::new((0, 0));

/// Fuller leaves while a compaction copies (see [`COPY_LEAF_ITEMS`]); dropping it, on
/// success or error, ends that.
struct FullerLeaves;

impl FullerLeaves {
    fn new() -> FullerLeaves {
        let mut copying = COPYING.lock().unwrap_or_else(|p| p.into_inner());
        if copying.0 == 0 {
            copying.1 = sled::set_leaf_split_items(COPY_LEAF_ITEMS);
        }
        copying.0 += 1;
        FullerLeaves
    }
}

impl Drop for FullerLeaves {
    fn drop(&mut self) {
        let mut copying = COPYING.lock().unwrap_or_else(|p| p.into_inner());
        copying.0 -= 1;
        if copying.0 == 0 {
            sled::set_leaf_split_items(copying.1);
        }
    }
}

/// The frames a compaction gathers before writing them to the new values file.
const COPY_FRAME_BYTES: usize = 4 << 20;

/// sled's page cache for each side of a compaction: the store is read once in key order
/// and the copy written once, so neither needs more.
const COPY_CACHE_BYTES: u64 = 64 << 20;

/// Returns the memory freed so far to the system where the allocator keeps it (glibc
/// keeps freed blocks for reuse), so that closing a store before a copy lowers the
/// process's peak and not only its heap.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of glibc's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

impl Store {
    /// Whether [`Store::compact`] would shrink the store enough to be worth its time: it
    /// is more than twice its size after its last compaction, and over 64 MB.
    pub fn should_compact(&self) -> Result<bool> {
        let min = std::env::var("ANNALS_COMPACT_MIN_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(MIN_BYTES);
        let last = self.compacted_size()?.unwrap_or(0);
        let now = self.disk_size();
        Ok(now > min && now > GROWTH.saturating_mul(last))
    }

    /// The bytes the store's files take on disk now.
    pub fn disk_size(&self) -> u64 {
        disk_size(self.path())
    }

    /// The store's size on disk right after its last compaction, if it was compacted.
    pub fn compacted_size(&self) -> Result<Option<u64>> {
        Ok(self
            .db
            .open_tree(crate::store::META)?
            .get(COMPACTED_SIZE_KEY)?
            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes)))
    }

    /// Rewrites the store into a fresh file holding only its live data and returns it
    /// reopened; the graph read from it is the same. See the module documentation for
    /// what a crash at any point leaves. When the copy fails (a full disk), the store is
    /// left as it was and the error returned.
    pub fn compact(self) -> Result<Store> {
        self.flush()?;
        let path = self.path().to_path_buf();
        // The copy reads every page once: it is reopened with a small page cache, so
        // that the pages the work before left cached (up to the store's 256 MB, more
        // in memory) are freed first, not held beside the copy's. Another process that
        // takes the store in between makes the reopening fail, and the store is left
        // as it is.
        drop(self);
        release_freed_memory();
        let this = Store::open_with_cache(&path, COPY_CACHE_BYTES)?;
        let scratch = scratch_path(&path);
        remove_leftover(&path)?;
        if let Err(e) = this.copy_to(&scratch) {
            // Nothing changed at the store's path; free the space the copy took.
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(e);
        }
        exchange(&path, &scratch).map_err(|source| StoreError::Io {
            action: "swap in the compacted store at",
            path: path.clone(),
            source,
        })?;
        // Make the exchange itself durable: it is an entry in the parent folder.
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
        // The old store is now at `scratch`; closing it flushes nothing that matters.
        drop(this);
        remove_leftover(&path)?;
        Store::open(&path)
    }

    /// Copies every tree into a new sled store at `to` and flushes it, recording its size.
    fn copy_to(&self, to: &Path) -> Result<()> {
        let copy = sled::Config::new()
            .path(to)
            .mode(sled::Mode::HighThroughput)
            .flush_every_ms(None)
            // The copy is written once and not read: a small cache keeps memory down.
            .cache_capacity(COPY_CACHE_BYTES)
            .open()?;
        // The values the trees written once refer to, tree by tree in key order, into a
        // fresh values file.
        let values = Values::open(to, 0)?;
        {
            let _fuller = FullerLeaves::new();
            self.copy_trees(&copy, &values)?;
        }
        let meta = copy.open_tree(crate::store::META)?;
        meta.insert(values::END_KEY, &values.end().to_be_bytes())?;
        copy.flush()?;
        let size = disk_size(to);
        meta.insert(COMPACTED_SIZE_KEY, &size.to_be_bytes())?;
        copy.flush()?;
        Ok(())
    }

    /// Copies every tree into `copy`, the values of the trees written once into `values`.
    fn copy_trees(&self, copy: &sled::Db, values: &Values) -> Result<()> {
        let mut frames = Vec::new();
        for name in self.db.tree_names() {
            let from = self.db.open_tree(&name)?;
            let into = copy.open_tree(&name)?;
            let pointers = LOGGED.iter().any(|t| name.as_ref() == t.as_bytes());
            // One insert per key, not batches: sled 0.34 leaves a batch's pages as a base
            // with many small updates, which every later start of the store reads back
            // (a 10k-article store opened 5 ms slower, and its snapshot was 60% larger).
            for item in from.iter() {
                let (k, v) = item?;
                if !pointers {
                    into.insert(k, v)?;
                    continue;
                }
                let frame = self.values.frame(Pointer::decode(&v)?)?;
                let moved = Pointer {
                    at: values.end() + frames.len() as u64,
                    len: frame.len() as u32,
                };
                frames.extend_from_slice(&frame);
                into.insert(k, &moved.encode())?;
                if frames.len() >= COPY_FRAME_BYTES {
                    values.write(&frames)?;
                    values.stored();
                    frames.clear();
                }
            }
        }
        values.write(&frames)?;
        values.stored();
        Ok(())
    }
}
