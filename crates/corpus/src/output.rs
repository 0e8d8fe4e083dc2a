//! Writing a corpus to disk as it is generated: plain text with manifests, or JSON Lines.
//!
//! Articles are made one shard at a time (in parallel within the shard) and written in
//! order before the next shard is made, so memory holds at most one shard whatever the
//! count. Layout, with the default 1,000 articles per shard:
//!
//! ```text
//! OUT/.annals-corpus.json         the arguments (hidden: ingest skips it)
//! OUT/00000/00000000.txt ...      text format: one file per article,
//! OUT/00000/manifest.json         and the shard's metadata in the shape ingest reads
//! OUT/00000.jsonl ...             JSON Lines format: one record per line
//! ```

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::generate::{Article, Generator};

/// How articles are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// One `.txt` file per article with a `manifest.json` per shard folder.
    Text,
    /// One `.jsonl` file per shard, one record per article.
    JsonLines,
}

/// What to write.
#[derive(Clone, Debug)]
pub struct WriteOptions {
    /// How many articles.
    pub count: u64,
    /// Articles per shard (folder or JSON Lines file).
    pub per_shard: u64,
    /// The format.
    pub format: OutputFormat,
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles written.
    pub articles: u64,
    /// Bytes of article text written.
    pub text_bytes: u64,
    /// Shards written.
    pub shards: u64,
}

/// Why a corpus could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists and is not empty.
    NotEmpty(PathBuf),
    /// There are no templates to make articles from.
    NoTemplates,
    /// A file could not be written.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotEmpty(p) => write!(
                f,
                "{} exists and is not empty; remove it or choose another folder",
                p.display()
            ),
            WriteError::NoTemplates => write!(f, "no template articles to generate from"),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(path.to_path_buf(), e)
}

/// The metadata fields of an article, in the order the manifest and records use.
fn meta_fields(a: &Article) -> Vec<(&'static str, Value)> {
    let mut v = vec![("id", json!(a.id))];
    if let Some(t) = &a.title {
        v.push(("title", json!(t)));
    }
    if let Some(p) = &a.published {
        v.push(("published", json!(p)));
    }
    if !a.authors.is_empty() {
        v.push(("authors", json!(a.authors)));
    }
    if let Some(p) = &a.publisher {
        v.push(("publisher", json!(p)));
    }
    v
}

/// One JSON object on one line, fields in the given order.
fn object_line(fields: &[(&str, Value)]) -> String {
    let mut s = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&json!(k).to_string());
        s.push_str(": ");
        s.push_str(&v.to_string());
    }
    s.push('}');
    s
}

/// The file name of article `n` in the text format.
pub fn text_name(n: u64) -> String {
    format!("{n:08}.txt")
}

/// The name of shard `s`: a folder (text) or, with `.jsonl`, a file.
pub fn shard_name(s: u64) -> String {
    format!("{s:05}")
}

/// Generates `opts.count` articles into `out` (which must be absent or empty), calling
/// `progress` with the number written after each shard.
pub fn write_corpus(
    gen: &Generator,
    opts: &WriteOptions,
    out: &Path,
    params: &Value,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, WriteError> {
    if gen.templates().is_empty() {
        return Err(WriteError::NoTemplates);
    }
    if let Ok(mut rd) = fs::read_dir(out) {
        if rd.next().is_some() {
            return Err(WriteError::NotEmpty(out.to_path_buf()));
        }
    }
    fs::create_dir_all(out).map_err(io(out))?;
    let params_path = out.join(".annals-corpus.json");
    fs::write(&params_path, format!("{params:#}\n")).map_err(io(&params_path))?;

    let per = opts.per_shard.max(1);
    let mut summary = Summary::default();
    let mut first = 0;
    while first < opts.count {
        let last = (first + per).min(opts.count);
        let shard = first / per;
        let articles: Vec<Article> = (first..last)
            .into_par_iter()
            .filter_map(|n| gen.article(n))
            .collect();
        match opts.format {
            OutputFormat::Text => write_text_shard(&out.join(shard_name(shard)), &articles)?,
            OutputFormat::JsonLines => {
                write_jsonl_shard(&out.join(format!("{}.jsonl", shard_name(shard))), &articles)?
            }
        }
        summary.articles += articles.len() as u64;
        summary.text_bytes += articles.iter().map(|a| a.text.len() as u64).sum::<u64>();
        summary.shards += 1;
        progress(summary.articles);
        first = last;
    }
    Ok(summary)
}

fn write_text_shard(dir: &Path, articles: &[Article]) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mpath = dir.join("manifest.json");
    let mut manifest = String::from(
        "{\n  \"note\": \"Generated by annals-corpus; see .annals-corpus.json in the corpus folder.\",\n  \"articles\": [\n",
    );
    for (i, a) in articles.iter().enumerate() {
        let name = text_name(a.number);
        let path = dir.join(&name);
        fs::write(&path, &a.text).map_err(io(&path))?;
        let mut fields = vec![("file", json!(name))];
        fields.extend(meta_fields(a));
        manifest.push_str("    ");
        manifest.push_str(&object_line(&fields));
        manifest.push_str(if i + 1 < articles.len() { ",\n" } else { "\n" });
    }
    manifest.push_str("  ]\n}\n");
    fs::write(&mpath, manifest).map_err(io(&mpath))
}

fn write_jsonl_shard(path: &Path, articles: &[Article]) -> Result<(), WriteError> {
    let file = File::create(path).map_err(io(path))?;
    let mut w = BufWriter::new(file);
    for a in articles {
        let mut fields = meta_fields(a);
        fields.push(("text", json!(a.text)));
        writeln!(w, "{}", object_line(&fields)).map_err(io(path))?;
    }
    w.flush().map_err(io(path))
}
