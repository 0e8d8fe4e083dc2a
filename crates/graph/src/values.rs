//! Values written once, out of sled: one append-only file, `values`, in the store's
//! folder, beside sled's files.
//!
//! The trees in [`LOGGED`](crate::store::LOGGED) (the articles' texts, documents, quotations and the reports of
//! the events an article created) are written once, with their article, and never
//! changed. Their values are zstd frames (with zstd's content checksum) appended to the
//! file; the tree maps each key to where its frame is ([`Pointer`]: offset and length).
//! Keeping them out of sled keeps them out of sled's leaves, which sled rewrites whole
//! several times as they fill, split and are cleaned: there the compressed texts took
//! 1.8 times their size on disk, here they take it once. Reads go through [`Logged`], a
//! tree whose values are read back from the file.
//!
//! Consistency with sled: a batch's frames are written and synced to the file before
//! the sled transaction that refers to them, and that transaction also records the
//! file's new end in `meta` ([`END_KEY`]). A crash between the two leaves frames past
//! the recorded end, which [`Values::open`] cuts off; a file shorter than the recorded
//! end is refused as damaged. Compaction writes a fresh file holding only the frames
//! the trees refer to.

use std::fs::File;
use std::ops::RangeBounds;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sled::IVec;

use crate::error::{Result, StoreError};
use crate::overlay::Source;

/// The file's name in the store's folder.
pub(crate) const FILE: &str = "values";

/// `meta` key of the file's end as the last stored batch left it (u64 BE).
pub(crate) const END_KEY: &[u8] = b"values_end";

/// The name errors give the file.
const NAME: &str = "values";

/// zstd's level: level 3 (zstd's default) took a generated article's text to 49% of its
/// size, level 1 to 52%.
const LEVEL: i32 = 3;

thread_local! {
    /// One compression context per thread: creating one allocates its tables each time.
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    /// One decompression context per thread, for the same reason.
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// Where a value's frame is in the file: what a tree of [`LOGGED`](crate::store::LOGGED) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pointer {
    /// The frame's first byte.
    pub(crate) at: u64,
    /// The frame's length in bytes.
    pub(crate) len: u32,
}

impl Pointer {
    /// The stored form: offset (u64 BE) and length (u32 BE).
    pub(crate) fn encode(self) -> [u8; 12] {
        let mut b = [0; 12];
        b[..8].copy_from_slice(&self.at.to_be_bytes());
        b[8..].copy_from_slice(&self.len.to_be_bytes());
        b
    }

    /// Reads a stored pointer.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Pointer> {
        let b: &[u8; 12] = bytes
            .try_into()
            .map_err(|_| corrupt(format!("a value pointer of {} bytes, not 12", bytes.len())))?;
        Ok(Pointer {
            at: u64::from_be_bytes(b[..8].try_into().expect("eight bytes")),
            len: u32::from_be_bytes(b[8..].try_into().expect("four bytes")),
        })
    }

    /// The byte after the frame.
    fn end(self) -> u64 {
        self.at.saturating_add(u64::from(self.len))
    }
}

/// The open values file of a store.
#[derive(Debug)]
pub(crate) struct Values {
    file: File,
    path: PathBuf,
    /// The end of the frames stored batches refer to: where the next batch writes.
    end: AtomicU64,
    /// The end of the frames written and synced: at least `end`, more while a batch's
    /// transaction is under way (readers in other threads may already see it commit
    /// before [`Values::stored`] moves `end`).
    written: AtomicU64,
}

impl Values {
    /// Opens (or creates) the values file in `dir`, whose stored batches end at `end`:
    /// frames past it (a batch whose transaction did not happen) are cut off; a file
    /// shorter than that is refused.
    pub(crate) fn open(dir: &Path, end: u64) -> Result<Values> {
        let path = dir.join(FILE);
        let io = |action| {
            let path = path.clone();
            move |source| StoreError::Io {
                action,
                path,
                source,
            }
        };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io("open the values file"))?;
        let len = file.metadata().map_err(io("read the size of"))?.len();
        if len < end {
            return Err(corrupt(format!(
                "{} holds {len} bytes, but the store's values end at byte {end}: the file \
                 was truncated or replaced",
                path.display()
            )));
        }
        if len > end {
            file.set_len(end)
                .map_err(io("cut an unfinished batch's values off"))?;
            file.sync_all().map_err(io("sync"))?;
        }
        Ok(Values {
            file,
            path,
            end: AtomicU64::new(end),
            written: AtomicU64::new(end),
        })
    }

    /// Where the next batch's frames go.
    pub(crate) fn end(&self) -> u64 {
        self.end.load(Ordering::Acquire)
    }

    /// Writes a batch's frames at the end and syncs them to disk, before the transaction
    /// that refers to them; [`Values::stored`] follows once that transaction is done.
    pub(crate) fn write(&self, frames: &[u8]) -> Result<()> {
        if frames.is_empty() {
            return Ok(());
        }
        let io = |action| {
            let path = self.path.clone();
            move |source| StoreError::Io {
                action,
                path,
                source,
            }
        };
        let at = self.end();
        self.file
            .write_all_at(frames, at)
            .map_err(io("write values to"))?;
        self.file.sync_data().map_err(io("sync"))?;
        self.written
            .store(at + frames.len() as u64, Ordering::Release);
        Ok(())
    }

    /// Records that the transaction referring to the frames written last is done: the
    /// file's stored part now ends where they end.
    pub(crate) fn stored(&self) {
        self.end
            .store(self.written.load(Ordering::Acquire), Ordering::Release);
    }

    /// Cuts off the frames of a batch whose transaction failed. Best effort: what is
    /// left is cut off when the store is next opened.
    pub(crate) fn abandon(&self) {
        self.written.store(self.end(), Ordering::Release);
        let _ = self.file.set_len(self.end());
    }

    /// The value a pointer refers to.
    pub(crate) fn read(&self, p: Pointer) -> Result<Vec<u8>> {
        decompress(&self.frame(p)?)
    }

    /// The text a pointer refers to.
    pub(crate) fn read_text(&self, p: Pointer) -> Result<String> {
        String::from_utf8(self.read(p)?).map_err(|e| corrupt(e.to_string()))
    }

    /// The stored frame a pointer refers to, as it is in the file.
    pub(crate) fn frame(&self, p: Pointer) -> Result<Vec<u8>> {
        let written = self.written.load(Ordering::Acquire);
        if p.end() > written {
            return Err(corrupt(format!(
                "a value at bytes {}..{} is past the end of the file ({written} bytes)",
                p.at,
                p.end(),
            )));
        }
        let mut frame = vec![0; p.len as usize];
        self.file
            .read_exact_at(&mut frame, p.at)
            .map_err(|source| StoreError::Io {
                action: "read a value from",
                path: self.path.clone(),
                source,
            })?;
        Ok(frame)
    }
}

/// A value as the file stores it: one zstd frame, which records the value's length and a
/// checksum of it.
pub(crate) fn compress(value: &[u8]) -> Result<Vec<u8>> {
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        let c = match &mut *c {
            Some(c) => c,
            none => {
                let mut c = zstd::bulk::Compressor::new(LEVEL).map_err(io_error)?;
                c.include_checksum(true).map_err(io_error)?;
                none.insert(c)
            }
        };
        c.compress(value).map_err(io_error)
    })
}

/// The value a frame holds.
pub(crate) fn decompress(bytes: &[u8]) -> Result<Vec<u8>> {
    let len = match zstd::zstd_safe::get_frame_content_size(bytes) {
        // No value is 4 GB; a larger size is a damaged frame, not memory to allocate.
        Ok(Some(len)) if len < 1 << 32 => len as usize,
        _ => return Err(corrupt("not a zstd frame with its size".to_string())),
    };
    DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        let d = match &mut *d {
            Some(d) => d,
            none => none.insert(zstd::bulk::Decompressor::new().map_err(io_error)?),
        };
        d.decompress(bytes, len)
            .map_err(|e| corrupt(format!("zstd: {e}")))
    })
}

fn corrupt(reason: String) -> StoreError {
    StoreError::Corrupt { tree: NAME, reason }
}

/// A tree of [`LOGGED`](crate::store::LOGGED) as its readers see it: its values read back from the file.
pub(crate) struct Logged<'a> {
    /// The tree of pointers.
    pub(crate) tree: &'a sled::Tree,
    /// The file they point into.
    pub(crate) values: &'a Values,
}

impl Logged<'_> {
    fn resolve(&self, v: IVec) -> sled::Result<IVec> {
        Pointer::decode(&v)
            .and_then(|p| self.values.read(p))
            .map(IVec::from)
            .map_err(|e| {
                sled::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    e.to_string(),
                ))
            })
    }
}

/// The iterator of a [`Logged`] tree.
pub(crate) struct LoggedIter<'a> {
    inner: sled::Iter,
    logged: &'a Logged<'a>,
}

impl LoggedIter<'_> {
    fn resolve(&self, item: sled::Result<(IVec, IVec)>) -> sled::Result<(IVec, IVec)> {
        let (k, v) = item?;
        Ok((k, self.logged.resolve(v)?))
    }
}

impl Iterator for LoggedIter<'_> {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next()?;
        Some(self.resolve(item))
    }
}

impl DoubleEndedIterator for LoggedIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let item = self.inner.next_back()?;
        Some(self.resolve(item))
    }
}

impl<'t> Source for Logged<'t> {
    type Iter<'a>
        = LoggedIter<'a>
    where
        Self: 'a;

    fn get<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>> {
        self.tree.get(key)?.map(|v| self.resolve(v)).transpose()
    }

    fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> LoggedIter<'_> {
        LoggedIter {
            inner: self.tree.range(range),
            logged: self,
        }
    }

    fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> LoggedIter<'_> {
        LoggedIter {
            inner: self.tree.scan_prefix(prefix),
            logged: self,
        }
    }
}

/// An I/O error of the compression library, as a store error.
fn io_error(e: std::io::Error) -> StoreError {
    StoreError::Sled(sled::Error::Io(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip() {
        for text in [
            "",
            "a",
            "Ünïcödé “quotes” — and\r\nlines\n",
            &"news ".repeat(5000),
        ] {
            let bytes = compress(text.as_bytes()).unwrap();
            assert_eq!(decompress(&bytes).unwrap(), text.as_bytes());
        }
        let long = "The minister said the talks would resume. ".repeat(100);
        assert!(compress(long.as_bytes()).unwrap().len() < long.len() / 4);
    }

    #[test]
    fn a_damaged_frame_is_a_corruption_error() {
        let bytes = compress(b"The minister said the talks would resume.").unwrap();
        for damaged in [
            b"plain text".to_vec(),
            Vec::new(),
            bytes[..bytes.len() - 3].to_vec(),
        ] {
            let e = decompress(&damaged).unwrap_err();
            assert!(matches!(e, StoreError::Corrupt { tree: NAME, .. }), "{e}");
        }
        // Any flipped byte is caught, the checksum's included.
        for i in 0..bytes.len() {
            let mut d = bytes.clone();
            d[i] ^= 0x5a;
            assert!(decompress(&d).is_err(), "byte {i}");
        }
    }

    #[test]
    fn pointers_round_trip_and_a_wrong_length_is_refused() {
        let p = Pointer {
            at: 1 << 40,
            len: 77,
        };
        assert_eq!(Pointer::decode(&p.encode()).unwrap(), p);
        assert!(Pointer::decode(&p.encode()[..11]).is_err());
    }

    /// Writes `texts` as one batch, as a store does, and returns their pointers.
    fn batch(t: &Values, texts: &[&str]) -> Vec<Pointer> {
        let mut frames = Vec::new();
        let mut pointers = Vec::new();
        for text in texts {
            let f = compress(text.as_bytes()).unwrap();
            pointers.push(Pointer {
                at: t.end() + frames.len() as u64,
                len: f.len() as u32,
            });
            frames.extend(f);
        }
        t.write(&frames).unwrap();
        t.stored();
        pointers
    }

    #[test]
    fn a_logged_tree_reads_its_values_from_the_file_in_every_direction() {
        let dir = tempfile::tempdir().unwrap();
        let values = Values::open(dir.path(), 0).unwrap();
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("t").unwrap();
        let texts = ["zero", "one", "two", "three"];
        for (i, p) in batch(&values, &texts).into_iter().enumerate() {
            tree.insert([b'k', i as u8], &p.encode()).unwrap();
        }
        let logged = Logged {
            tree: &tree,
            values: &values,
        };
        let text = |item: Option<sled::Result<(IVec, IVec)>>| {
            String::from_utf8(item.unwrap().unwrap().1.to_vec()).unwrap()
        };
        assert_eq!(logged.get([b'k', 2]).unwrap().unwrap().as_ref(), b"two");
        assert_eq!(logged.get([b'k', 9]).unwrap(), None);
        let mut all = logged.scan_prefix(b"k");
        assert_eq!(text(all.next()), "zero");
        assert_eq!(text(all.next_back()), "three");
        assert_eq!(text(all.next_back()), "two");
        assert_eq!(text(all.next()), "one");
        assert!(all.next().is_none());
        let upto: Vec<_> = logged
            .range(..[b'k', 2])
            .map(|i| String::from_utf8(i.unwrap().1.to_vec()).unwrap())
            .collect();
        assert_eq!(upto, ["zero", "one"]);
        // A value that is not a pointer, or points past the file, is an error.
        tree.insert(b"x", b"short").unwrap();
        assert!(logged.get(b"x").is_err());
        let past = Pointer {
            at: values.end(),
            len: 8,
        };
        tree.insert(b"y", &past.encode()).unwrap();
        assert!(logged.range(b"y".as_slice()..).next().unwrap().is_err());
    }

    #[test]
    fn an_unfinished_batch_is_cut_off_and_a_short_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let t = Values::open(dir.path(), 0).unwrap();
        let first = batch(&t, &["one article", "and another"]);
        let end = t.end();
        // A batch written but never stored (its transaction did not happen).
        t.write(&compress(b"lost").unwrap()).unwrap();
        drop(t);
        assert!(std::fs::metadata(dir.path().join(FILE)).unwrap().len() > end);
        let t = Values::open(dir.path(), end).unwrap();
        assert_eq!(std::fs::metadata(dir.path().join(FILE)).unwrap().len(), end);
        assert_eq!(t.read_text(first[1]).unwrap(), "and another");
        let next = batch(&t, &["a third"]);
        assert_eq!(next[0].at, end);
        assert_eq!(t.read_text(next[0]).unwrap(), "a third");
        assert_eq!(t.read_text(first[0]).unwrap(), "one article");
        let past = Pointer {
            at: t.end(),
            len: 4,
        };
        assert!(matches!(t.read_text(past), Err(StoreError::Corrupt { .. })));
        // Readers in other threads see a batch's transaction commit before the writer
        // records the new end: what is written and synced reads back meanwhile.
        let frame = compress(b"committing").unwrap();
        let pending = Pointer {
            at: t.end(),
            len: frame.len() as u32,
        };
        t.write(&frame).unwrap();
        assert_eq!(t.read_text(pending).unwrap(), "committing");
        t.stored();
        assert_eq!(t.end(), pending.end());
        let end = t.end();
        drop(t);
        let e = Values::open(dir.path(), end + 1).unwrap_err();
        assert!(e.to_string().contains("truncated or replaced"), "{e}");
    }
}
