//! Input formats: the bytes of one file to articles, with a clear reason for each refusal.
//!
//! - Plain text (`.txt`, `.md`, `.text`): one article; the text is the file's bytes, so
//!   spans are offsets into the file. The first line is taken as the title.
//! - JSON (`.json`): one record, or an array of records.
//! - JSON Lines (`.jsonl`, `.ndjson`): one record per line; blank lines are skipped.
//! - A manifest (`manifest.json` beside plain-text files) gives their metadata.
//!
//! Records use the field names of common news scrapers: `text` or `maintext` (also
//! `content`, `body`), `title` (`headline`), `published` or `date_publish` (`date`,
//! `published_at`), `url`, `authors` (list or string; `author`), `publisher`
//! (`source_domain`), `id`. Spans of a record's article are offsets into the UTF-8 bytes
//! of its text field.

use std::collections::BTreeMap;

use annals_model::{Document, DocumentMeta};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

/// The largest article accepted by default (bytes of text).
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 8 * 1024 * 1024;

/// The name of the metadata file read beside plain-text articles.
pub const MANIFEST_NAME: &str = "manifest.json";

/// An input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Plain text or Markdown: one article.
    Text,
    /// One JSON record or an array of them.
    Json,
    /// One JSON record per line.
    JsonLines,
}

impl Format {
    /// The format a file name implies, from its extension; `None` for other files.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// Why an input could not be read as an article.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// No text at all, or only whitespace.
    #[error("empty: no text")]
    Empty,
    /// The bytes are not UTF-8.
    #[error("not UTF-8 (invalid byte at offset {at}); convert it to UTF-8 first")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        at: usize,
    },
    /// UTF-16 text (it starts with a UTF-16 byte order mark).
    #[error("UTF-16 text (byte order mark); convert it to UTF-8 first")]
    Utf16,
    /// The bytes look like a binary file.
    #[error("binary data (NUL byte at offset {at}), not text")]
    Binary {
        /// Offset of the first NUL byte.
        at: usize,
    },
    /// Larger than the limit.
    #[error("too large: {len} bytes, the limit is {max} bytes")]
    TooLarge {
        /// Size found.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A JSON record with no text field.
    #[error("record has no text (a string field text, maintext, content or body)")]
    NoText,
    /// The file could not be read at all.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// A manifest that cannot be used.
    #[error("manifest: {0}")]
    Manifest(String),
}

/// One article read from an input, with notes about metadata that was dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// The article.
    pub document: Document,
    /// Metadata problems that did not stop the article being read.
    pub warnings: Vec<String>,
}

/// One item found in an input: a source name and the article or why it was refused.
pub type Item = (String, Result<Read, ReadError>);

fn check_text(bytes: &[u8], max: usize) -> Result<&str, ReadError> {
    if bytes.len() > max {
        return Err(ReadError::TooLarge {
            len: bytes.len(),
            max,
        });
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(ReadError::Utf16);
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(ReadError::Binary { at });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        at: e.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(text)
}

/// The first non-blank line of a text, if it is short enough to be a headline.
pub fn first_line_title(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .find(|l| !l.is_empty())?;
    let line = line.trim_start_matches('#').trim();
    (line.chars().count() <= 200 && !line.is_empty()).then(|| line.to_string())
}

/// Reads a plain-text article. `meta` carries what a manifest or the caller knows; a
/// missing title is taken from the first line.
pub fn read_text(bytes: &[u8], mut meta: DocumentMeta, max: usize) -> Result<Read, ReadError> {
    let text = check_text(bytes, max)?;
    let mut warnings = Vec::new();
    if meta.title.is_none() {
        meta.title = first_line_title(text);
    }
    if let Some(p) = meta.published.take() {
        match normalize_date(&p) {
            Some(iso) => meta.published = Some(iso),
            None => warnings.push(format!("publication date {p:?} not understood; ignored")),
        }
    }
    Ok(Read {
        document: Document::new(meta, text.to_string()),
        warnings,
    })
}

/// Normalises a publication date to ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS`
/// when a time is given. Accepts ISO dates and date-times (with `T` or a space, with or
/// without an offset) and RFC 2822 dates. `None` when it is none of these.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.naive_local().format("%Y-%m-%dT%H:%M:%S").to_string());
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
            return Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.naive_local().format("%Y-%m-%dT%H:%M:%S").to_string());
    }
    // Fractional seconds or other suffixes after a valid date-time prefix.
    if s.len() > 19 {
        if let Some(prefix) = s.get(..19) {
            if let Ok(dt) =
                NaiveDateTime::parse_from_str(&prefix.replace(' ', "T"), "%Y-%m-%dT%H:%M:%S")
            {
                return Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string());
            }
        }
    }
    None
}

fn string_field(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match obj.get(*n) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(x)) => Some(x.to_string()),
        _ => None,
    })
}

fn authors_field(obj: &Map<String, Value>) -> Vec<String> {
    let value = obj.get("authors").or_else(|| obj.get("author"));
    match value {
        Some(Value::String(s)) => s
            .split([',', ';'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads one JSON record (an object) as an article named `source`.
pub fn read_record(value: &Value, source: String, max: usize) -> Result<Read, ReadError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ReadError::Json("a record must be a JSON object".into()))?;
    let text = ["text", "maintext", "content", "body"]
        .iter()
        .find_map(|n| obj.get(*n).and_then(Value::as_str))
        .ok_or(ReadError::NoText)?;
    let text = check_text(text.as_bytes(), max)?.to_string();
    let mut warnings = Vec::new();
    let published = match string_field(
        obj,
        &[
            "published",
            "date_publish",
            "date",
            "published_at",
            "publish_date",
        ],
    ) {
        Some(p) => match normalize_date(&p) {
            Some(iso) => Some(iso),
            None => {
                warnings.push(format!("publication date {p:?} not understood; ignored"));
                None
            }
        },
        None => None,
    };
    let meta = DocumentMeta {
        source,
        title: string_field(obj, &["title", "headline"]),
        published,
        url: string_field(obj, &["url", "source_url", "link"]),
        authors: authors_field(obj),
        publisher: string_field(obj, &["publisher", "source_domain", "site_name", "outlet"]),
        external_id: string_field(obj, &["id", "_id", "uuid"]),
    };
    Ok(Read {
        document: Document::new(meta, text),
        warnings,
    })
}

/// Reads every article in a JSON file: one record (source `FILE`) or an array of
/// records (source `FILE#N`, 1-based).
pub fn read_json(file: &str, bytes: &[u8], max_article: usize) -> Vec<Item> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            return vec![(
                file.to_string(),
                Err(ReadError::NotUtf8 {
                    at: e.valid_up_to(),
                }),
            )]
        }
    };
    if text.trim().is_empty() {
        return vec![(file.to_string(), Err(ReadError::Empty))];
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let source = format!("{file}#{}", i + 1);
                (source.clone(), read_record(v, source, max_article))
            })
            .collect(),
        Ok(v) => vec![(
            file.to_string(),
            read_record(&v, file.to_string(), max_article),
        )],
        Err(e) => vec![(file.to_string(), Err(ReadError::Json(e.to_string())))],
    }
}

/// Reads every article in a JSON Lines file held in memory; each record's source is
/// `FILE#LINE`. See [`JsonLines`] for reading a file of any size.
pub fn read_json_lines(file: &str, bytes: &[u8], max_article: usize) -> Vec<Item> {
    JsonLines::new(file, bytes, max_article).collect()
}

/// The articles of a JSON Lines stream, read one line at a time, so a file of any size
/// is read in the memory of its longest line. Each record's source is `FILE#LINE`;
/// blank lines are skipped; a stream with no record gives one [`ReadError::Empty`]. A
/// line longer than [`JsonLines::max_line`] is skipped without being held in memory.
pub struct JsonLines<R> {
    file: String,
    reader: R,
    max_article: usize,
    line_no: usize,
    any: bool,
    done: bool,
    buf: Vec<u8>,
}

impl<R: std::io::BufRead> JsonLines<R> {
    /// Reads records from `reader`, naming them after `file`.
    pub fn new(file: &str, reader: R, max_article: usize) -> JsonLines<R> {
        JsonLines {
            file: file.to_string(),
            reader,
            max_article,
            line_no: 0,
            any: false,
            done: false,
            buf: Vec::new(),
        }
    }

    /// The longest line read: room for an article of `max_article` bytes with every
    /// character escaped (`\uXXXX`, six bytes) and 64 KB of metadata.
    pub fn max_line(&self) -> usize {
        self.max_article.saturating_mul(6).saturating_add(1 << 16)
    }

    /// Reads the next line into `buf` (without its newline) and returns its length in
    /// bytes, or `None` at the end. A line past [`Self::max_line`] is consumed but not
    /// kept: `buf` is left empty and the length returned is the whole line's.
    fn next_line(&mut self) -> std::io::Result<Option<usize>> {
        self.buf.clear();
        let max = self.max_line();
        let (mut len, mut kept, mut saw_any) = (0usize, true, false);
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (part, newline) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], true),
                None => (chunk, false),
            };
            len += part.len();
            if kept && len <= max {
                self.buf.extend_from_slice(part);
            } else if kept {
                kept = false;
                self.buf = Vec::new();
            }
            let used = part.len() + usize::from(newline);
            self.reader.consume(used);
            if newline {
                return Ok(Some(len));
            }
        }
        Ok(saw_any.then_some(len))
    }
}

impl<R: std::io::BufRead> Iterator for JsonLines<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let len = match self.next_line() {
                Ok(Some(len)) => len,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    self.any = true;
                    let source = format!("{}#{}", self.file, self.line_no + 1);
                    return Some((source, Err(ReadError::Unreadable(e.to_string()))));
                }
            };
            self.line_no += 1;
            let source = format!("{}#{}", self.file, self.line_no);
            if len > self.max_line() {
                self.any = true;
                let max = self.max_line();
                return Some((source, Err(ReadError::TooLarge { len, max })));
            }
            let line = match std::str::from_utf8(&self.buf) {
                Ok(l) => l.trim_start_matches('\u{feff}').trim(),
                Err(e) => {
                    self.any = true;
                    let at = e.valid_up_to();
                    return Some((source, Err(ReadError::NotUtf8 { at })));
                }
            };
            if line.is_empty() {
                continue;
            }
            self.any = true;
            let item = serde_json::from_str::<Value>(line)
                .map_err(|e| ReadError::Json(e.to_string()))
                .and_then(|v| read_record(&v, source.clone(), self.max_article));
            return Some((source, item));
        }
        if !self.any {
            self.any = true;
            return Some((self.file.clone(), Err(ReadError::Empty)));
        }
        None
    }
}

/// Metadata for plain-text files, by file name, read from a `manifest.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    entries: BTreeMap<String, DocumentMeta>,
}

impl Manifest {
    /// Parses a manifest: `{"articles": [{"file": ..., "published": ..., "title": ...,
    /// "url": ..., "author"/"authors": ..., "publisher": ..., "id": ...}]}`, or the array
    /// alone. The `source` of each entry is left empty for the caller to fill.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, ReadError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| ReadError::Manifest(format!("invalid JSON: {e}")))?;
        let list = match &value {
            Value::Array(a) => a,
            Value::Object(o) => o
                .get("articles")
                .and_then(Value::as_array)
                .ok_or_else(|| ReadError::Manifest("expected an \"articles\" list".into()))?,
            _ => return Err(ReadError::Manifest("expected an object or a list".into())),
        };
        let mut entries = BTreeMap::new();
        for (i, item) in list.iter().enumerate() {
            let obj = item
                .as_object()
                .ok_or_else(|| ReadError::Manifest(format!("entry {} is not an object", i + 1)))?;
            let file = string_field(obj, &["file", "path", "name"])
                .ok_or_else(|| ReadError::Manifest(format!("entry {} has no \"file\"", i + 1)))?;
            let meta = DocumentMeta {
                source: String::new(),
                title: string_field(obj, &["title", "headline"]),
                published: string_field(obj, &["published", "date_publish", "date"]),
                url: string_field(obj, &["url"]),
                authors: authors_field(obj),
                publisher: string_field(obj, &["publisher", "source_domain"]),
                external_id: string_field(obj, &["id"]),
            };
            entries.insert(file, meta);
        }
        Ok(Manifest { entries })
    }

    /// The metadata for a file name, if the manifest lists it.
    pub fn get(&self, file_name: &str) -> Option<&DocumentMeta> {
        self.entries.get(file_name)
    }

    /// How many files the manifest describes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the manifest describes no file.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = DEFAULT_MAX_ARTICLE_BYTES;

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(Format::from_name("a/b.TXT"), Some(Format::Text));
        assert_eq!(Format::from_name("x.md"), Some(Format::Text));
        assert_eq!(Format::from_name("x.jsonl"), Some(Format::JsonLines));
        assert_eq!(Format::from_name("x.json"), Some(Format::Json));
        assert_eq!(Format::from_name("x.pdf"), None);
        assert_eq!(Format::from_name("noext"), None);
    }

    #[test]
    fn bad_text_is_refused_with_a_reason() {
        let m = || DocumentMeta::new("x.txt");
        assert_eq!(read_text(b"", m(), MAX).unwrap_err(), ReadError::Empty);
        assert_eq!(read_text(b" \n\t", m(), MAX).unwrap_err(), ReadError::Empty);
        assert_eq!(
            read_text(b"ab\0c", m(), MAX).unwrap_err(),
            ReadError::Binary { at: 2 }
        );
        assert_eq!(
            read_text(b"\xff\xfeH\0", m(), MAX).unwrap_err(),
            ReadError::Utf16
        );
        assert_eq!(
            read_text(b"\xfe\xff\0H", m(), MAX).unwrap_err(),
            ReadError::Utf16
        );
        assert_eq!(
            read_text(b"abc\xffd", m(), MAX).unwrap_err(),
            ReadError::NotUtf8 { at: 3 }
        );
        assert_eq!(
            read_text(b"abcdef", m(), 4).unwrap_err(),
            ReadError::TooLarge { len: 6, max: 4 }
        );
        // A multi-byte character cut off at the end of a truncated file.
        let cut = &"Kata’ib".as_bytes()[..6];
        assert!(matches!(
            read_text(cut, m(), MAX),
            Err(ReadError::NotUtf8 { at: 4 })
        ));
    }

    #[test]
    fn text_keeps_bytes_and_takes_the_first_line_as_title() {
        let r = read_text(
            "\u{feff}Headline here\n\nBody.".as_bytes(),
            DocumentMeta::new("a.txt"),
            MAX,
        )
        .unwrap();
        assert_eq!(r.document.text(), "\u{feff}Headline here\n\nBody.");
        assert_eq!(r.document.meta().title.as_deref(), Some("Headline here"));
    }

    #[test]
    fn dates_are_normalised_or_reported() {
        assert_eq!(normalize_date("2024-02-08").as_deref(), Some("2024-02-08"));
        assert_eq!(
            normalize_date("2024-02-08 23:45:00").as_deref(),
            Some("2024-02-08T23:45:00")
        );
        assert_eq!(
            normalize_date("2024-02-08T23:45:00+02:00").as_deref(),
            Some("2024-02-08T23:45:00")
        );
        assert_eq!(
            normalize_date("Thu, 08 Feb 2024 23:45:00 +0000").as_deref(),
            Some("2024-02-08T23:45:00")
        );
        assert_eq!(
            normalize_date("2024-02-08T23:45:00.123Z").as_deref(),
            Some("2024-02-08T23:45:00")
        );
        assert_eq!(normalize_date("yesterday"), None);
        let mut meta = DocumentMeta::new("a.txt");
        meta.published = Some("soon".into());
        let r = read_text(b"Text.", meta, MAX).unwrap();
        assert_eq!(r.document.meta().published, None);
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn json_lines_records_use_scraper_field_names() {
        let data = concat!(
            r#"{"maintext": "First story.", "title": "One", "date_publish": "2023-05-01 10:00:00", "authors": ["A B"], "id": 7}"#,
            "\n\n",
            r#"{"title": "no text"}"#,
            "\n",
            "{broken\n",
            r#"{"text": "Third story.", "published": "2023-05-03", "url": "http://x", "author": "C D, E F"}"#,
            "\n"
        );
        let items = read_json_lines("f.jsonl", data.as_bytes(), MAX);
        assert_eq!(items.len(), 4);
        let first = items[0].1.as_ref().unwrap();
        assert_eq!(items[0].0, "f.jsonl#1");
        assert_eq!(first.document.text(), "First story.");
        assert_eq!(
            first.document.meta().published.as_deref(),
            Some("2023-05-01T10:00:00")
        );
        assert_eq!(first.document.meta().external_id.as_deref(), Some("7"));
        assert_eq!(items[1].0, "f.jsonl#3");
        assert_eq!(items[1].1, Err(ReadError::NoText));
        assert!(matches!(items[2].1, Err(ReadError::Json(_))));
        let last = items[3].1.as_ref().unwrap();
        assert_eq!(items[3].0, "f.jsonl#5");
        assert_eq!(last.document.meta().authors, vec!["C D", "E F"]);
    }

    #[test]
    fn json_lines_skip_a_line_too_long_to_hold_and_go_on() {
        let reader = JsonLines::new("big.jsonl", &b""[..], 10);
        let max = reader.max_line();
        let long = format!("{{\"text\": \"{}\"}}", "x".repeat(max));
        let data = format!("{long}\n{{\"text\": \"Short one.\"}}\n\n");
        // A small read buffer, so the long line arrives in many pieces.
        let reader = std::io::BufReader::with_capacity(64, data.as_bytes());
        let items: Vec<Item> = JsonLines::new("big.jsonl", reader, 10).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].0, "big.jsonl#1");
        assert_eq!(
            items[0].1,
            Err(ReadError::TooLarge {
                len: long.len(),
                max
            })
        );
        assert_eq!(items[1].0, "big.jsonl#2");
        assert_eq!(items[1].1.as_ref().unwrap().document.text(), "Short one.");
        // Blank lines only: one "empty" item for the file.
        let blank: Vec<Item> = JsonLines::new("b.jsonl", &b"\n \n\r\n"[..], 10).collect();
        assert_eq!(blank, vec![("b.jsonl".to_string(), Err(ReadError::Empty))]);
        // A last line without a newline is read; invalid UTF-8 is reported by line.
        let odd: Vec<Item> =
            JsonLines::new("o.jsonl", &b"\xff\n{\"text\": \"End.\"}"[..], 100).collect();
        assert_eq!(
            odd[0],
            ("o.jsonl#1".to_string(), Err(ReadError::NotUtf8 { at: 0 }))
        );
        assert_eq!(odd[1].0, "o.jsonl#2");
        assert!(odd[1].1.is_ok());
    }

    #[test]
    fn json_files_hold_one_record_or_a_list() {
        let one = read_json("a.json", br#"{"text": "Hello there."}"#, MAX);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "a.json");
        let many = read_json("b.json", br#"[{"text": "One."}, {"text": "Two."}]"#, MAX);
        assert_eq!(
            many.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(),
            ["b.json#1", "b.json#2"]
        );
        assert!(matches!(
            read_json("c.json", b"[", MAX)[0].1,
            Err(ReadError::Json(_))
        ));
        assert_eq!(read_json("d.json", b"", MAX)[0].1, Err(ReadError::Empty));
    }

    #[test]
    fn manifests_map_files_to_metadata() {
        let m = Manifest::parse(
            br#"{"articles": [{"file": "a.txt", "published": "2024-01-05", "author": "X Y"}]}"#,
        )
        .unwrap();
        assert_eq!(m.len(), 1);
        let meta = m.get("a.txt").unwrap();
        assert_eq!(meta.published.as_deref(), Some("2024-01-05"));
        assert_eq!(meta.authors, vec!["X Y"]);
        assert!(Manifest::parse(br#"{"nope": 1}"#).is_err());
        assert!(Manifest::parse(br#"[{"published": "2024-01-05"}]"#).is_err());
    }
}
