//! Finding and reading inputs: files and folders to articles, with manifests.
//!
//! Folders are walked recursively in name order (so ingest order, and with it every id,
//! is deterministic); hidden entries are ignored and links to folders are reported as
//! skipped (never followed, so a link to a parent cannot loop); files of unknown
//! type inside folders are ignored, but a file named on the command line is read as
//! text whatever its extension.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use annals_ingest::formats::{self, Format, Item, Manifest, ReadError, MANIFEST_NAME};
use annals_model::DocumentMeta;

use crate::Skipped;

/// One file to read, with what its folder's manifest says about it.
#[derive(Clone, Debug)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Metadata from a manifest, if one lists the file (boxed: a folder of a million
    /// files without a manifest then costs a pointer a file, not an empty record).
    pub meta: Option<Box<DocumentMeta>>,
    /// A manifest problem to report with the file.
    pub manifest_error: Option<String>,
}

/// The largest JSON file read (it is parsed whole; JSON Lines files are streamed and
/// have no limit).
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Input {
    /// The file's articles (or reasons), each named by its source, as they are read: a
    /// JSON Lines file one line at a time, so its size does not bound what memory holds;
    /// other files whole.
    pub fn items(&self, max_article: usize) -> Box<dyn Iterator<Item = Item>> {
        if self.format != Format::JsonLines {
            return Box::new(self.read(max_article).into_iter());
        }
        let name = display(&self.path);
        match fs::File::open(&self.path) {
            Ok(f) => Box::new(formats::JsonLines::new(
                &name,
                std::io::BufReader::with_capacity(1 << 16, f),
                max_article,
            )),
            Err(e) => Box::new(std::iter::once((
                name,
                Err(ReadError::Unreadable(e.to_string())),
            ))),
        }
    }

    /// Reads the file into articles (or reasons), each named by its source.
    pub fn read(&self, max_article: usize) -> Vec<Item> {
        let name = display(&self.path);
        let too_big = match fs::metadata(&self.path) {
            Ok(m) if self.format == Format::Text && m.len() > max_article as u64 => Some(m.len()),
            Ok(m) if self.format == Format::Json && m.len() > MAX_FILE_BYTES => Some(m.len()),
            Ok(_) => None,
            Err(e) => return vec![(name, Err(ReadError::Unreadable(e.to_string())))],
        };
        if let Some(len) = too_big {
            let max = if self.format == Format::Text {
                max_article as u64
            } else {
                MAX_FILE_BYTES
            };
            return vec![(
                name,
                Err(ReadError::TooLarge {
                    len: len as usize,
                    max: max as usize,
                }),
            )];
        }
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) => return vec![(name, Err(ReadError::Unreadable(e.to_string())))],
        };
        match self.format {
            Format::Json => formats::read_json(&name, &bytes, max_article),
            Format::JsonLines => formats::read_json_lines(&name, &bytes, max_article),
            _ => {
                let mut meta = self.meta.as_deref().cloned().unwrap_or_default();
                meta.source = name.clone();
                vec![(name, formats::read_text(&bytes, meta, max_article))]
            }
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Lists the inputs under `paths` in a deterministic order, with the paths that could
/// not be used and why.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Skipped>) {
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    let mut manifests: BTreeMap<PathBuf, Result<Manifest, String>> = BTreeMap::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, &mut inputs, &mut skipped, &mut manifests),
            Ok(_) => {
                let format = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(Format::from_name)
                    .unwrap_or(Format::Text);
                push_file(path, format, &mut inputs, &mut manifests);
            }
            Err(e) => skipped.push(Skipped {
                source: display(path),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    (inputs, skipped)
}

fn walk(
    dir: &Path,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<Skipped>,
    manifests: &mut BTreeMap<PathBuf, Result<Manifest, String>>,
) {
    let mut entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            skipped.push(Skipped {
                source: display(dir),
                reason: format!("cannot list folder: {e}"),
            });
            return;
        }
    };
    entries.sort();
    for path in entries {
        if is_hidden(&path) {
            continue;
        }
        let link_meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                skipped.push(Skipped {
                    source: display(&path),
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if link_meta.is_dir() {
            walk(&path, inputs, skipped, manifests);
            continue;
        }
        if link_meta.file_type().is_symlink() && path.is_dir() {
            // Following folder links could walk in circles (a link to a parent) or read
            // a tree twice; name the folder itself to read it.
            skipped.push(Skipped {
                source: display(&path),
                reason: "a link to a folder, not followed (name the folder to read it)".into(),
            });
            continue;
        }
        // A name that is not UTF-8 is still a file to read; its type comes from the
        // readable part of its name.
        let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
            continue;
        };
        if name == MANIFEST_NAME {
            continue;
        }
        if let Some(format) = Format::from_name(&name) {
            push_file(&path, format, inputs, manifests);
        }
    }
}

fn push_file(
    path: &Path,
    format: Format,
    inputs: &mut Vec<Input>,
    manifests: &mut BTreeMap<PathBuf, Result<Manifest, String>>,
) {
    let (mut meta, mut manifest_error) = (None, None);
    if format == Format::Text {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let manifest = manifests.entry(dir.clone()).or_insert_with(|| {
            let mpath = dir.join(MANIFEST_NAME);
            match fs::read(&mpath) {
                Ok(bytes) => {
                    Manifest::parse(&bytes).map_err(|e| format!("{}: {e}", display(&mpath)))
                }
                Err(_) => Ok(Manifest::default()),
            }
        });
        match manifest {
            Ok(m) => {
                let file = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                meta = m.get(file).cloned().map(Box::new);
            }
            Err(e) => manifest_error = Some(e.clone()),
        }
    }
    inputs.push(Input {
        path: path.to_path_buf(),
        format,
        meta,
        manifest_error,
    });
}
