//! Reading the template articles the way `annals ingest` reads them.
//!
//! Folders are walked recursively in name order, hidden entries skipped; `.txt`/`.md`
//! files take their metadata from the `manifest.json` beside them; `.json` and `.jsonl`
//! records are read with the same field names. The reading itself is `annals-ingest`'s
//! `formats`, so a template is exactly the document an ingest would see.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use annals_ingest::formats::{self, Format, Manifest, DEFAULT_MAX_ARTICLE_BYTES, MANIFEST_NAME};
use annals_model::Document;

/// The template articles found, and what could not be read (with the reason).
#[derive(Debug, Default)]
pub struct Templates {
    /// The articles, in input order.
    pub documents: Vec<Document>,
    /// Inputs that were not read, each with its reason.
    pub skipped: Vec<(String, String)>,
}

fn files(path: &Path, out: &mut Vec<PathBuf>, skipped: &mut Vec<(String, String)>) {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..");
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() && !hidden => match fs::read_dir(path) {
            Ok(rd) => {
                let mut entries: Vec<PathBuf> =
                    rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                for e in entries {
                    let name = e.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                    if name.starts_with('.') || name == MANIFEST_NAME {
                        continue;
                    }
                    if e.is_dir() || Format::from_name(name).is_some() {
                        files(&e, out, skipped);
                    }
                }
            }
            Err(e) => skipped.push((path.display().to_string(), e.to_string())),
        },
        Ok(m) if m.is_dir() => {}
        Ok(_) => out.push(path.to_path_buf()),
        Err(e) => skipped.push((path.display().to_string(), e.to_string())),
    }
}

impl Templates {
    /// Reads every article under `paths` (files or folders).
    pub fn read(paths: &[PathBuf]) -> Templates {
        let mut t = Templates::default();
        let mut list = Vec::new();
        for p in paths {
            files(p, &mut list, &mut t.skipped);
        }
        let mut manifests: BTreeMap<PathBuf, Option<Manifest>> = BTreeMap::new();
        for path in list {
            let name = path.display().to_string();
            let file_name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let bytes = match fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    t.skipped.push((name, e.to_string()));
                    continue;
                }
            };
            let max = DEFAULT_MAX_ARTICLE_BYTES;
            let items = match Format::from_name(file_name).unwrap_or(Format::Text) {
                Format::Json => formats::read_json(&name, &bytes, max),
                Format::JsonLines => formats::read_json_lines(&name, &bytes, max),
                _ => {
                    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    let manifest = manifests.entry(dir.clone()).or_insert_with(|| {
                        fs::read(dir.join(MANIFEST_NAME))
                            .ok()
                            .and_then(|b| Manifest::parse(&b).ok())
                    });
                    let mut meta = manifest
                        .as_ref()
                        .and_then(|m| m.get(file_name).cloned())
                        .unwrap_or_default();
                    meta.source = name.clone();
                    vec![(name, formats::read_text(&bytes, meta, max))]
                }
            };
            for (source, item) in items {
                match item {
                    Ok(read) => t.documents.push(read.document),
                    Err(e) => t.skipped.push((source, e.to_string())),
                }
            }
        }
        t
    }
}
