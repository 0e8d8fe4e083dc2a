//! The `annals` library used the way another tool would: strings, readers, documents.

use annals::graph::AddOutcome;
use annals::model::{Document, DocumentMeta};
use annals::{Annals, Error};

const TEXT: &str = "Lisbon, May 3 (Wire) - Portugal's finance minister Maria Costa said on Tuesday \
that \"the budget will be balanced by next year,\" after talks with the European Commission in Brussels.";

#[test]
fn text_ingested_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let first = annals
        .ingest_text("wire.txt", TEXT, Some("2023-05-03"))
        .unwrap();
    assert!(first.is_new());
    let again = annals.ingest_text("other-name.txt", TEXT, None).unwrap();
    assert_eq!(again, AddOutcome::Duplicate { doc: first.doc() });
    assert_eq!(annals.counts().unwrap().documents, 1);
    assert_eq!(
        annals.source_of(first.doc()).unwrap().as_deref(),
        Some("wire.txt")
    );
}

#[test]
fn a_reader_with_invalid_utf8_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let mut bytes: &[u8] = b"Caf\xe9 society";
    let err = annals
        .ingest_reader("latin1.txt", &mut bytes, None)
        .unwrap_err();
    assert!(matches!(err, Error::Input { .. }), "{err}");
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    assert_eq!(annals.counts().unwrap().documents, 0);

    let mut good: &[u8] = TEXT.as_bytes();
    assert!(annals
        .ingest_reader("wire.txt", &mut good, Some("2023-05-03"))
        .unwrap()
        .is_new());
}

#[test]
fn an_empty_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let err = annals.ingest_text("blank.txt", "  \n ", None).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
}

#[test]
fn documents_and_exports_through_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let mut meta = DocumentMeta::new("feed#1");
    meta.published = Some("2023-05-03".into());
    meta.title = Some("Budget".into());
    annals
        .ingest_document(Document::new(meta, TEXT.into()))
        .unwrap();
    let mut json = Vec::new();
    annals.export_json(&mut json).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["schema"], "annals-export/1");
    assert_eq!(v["documents"][0]["source"], "feed#1");
    assert_eq!(v["documents"][0]["title"], "Budget");
    let mut dot = Vec::new();
    annals
        .export_dot(&mut dot, &annals::ExportOptions::default())
        .unwrap();
    assert!(String::from_utf8(dot)
        .unwrap()
        .starts_with("digraph annals {"));
}

#[test]
fn opening_a_missing_store_for_reading_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Annals::open_existing(dir.path().join("nope")).unwrap_err();
    assert!(matches!(err, Error::NoStore(_)), "{err}");
}

#[test]
fn exports_take_the_same_options_as_the_command() {
    use annals::{ExportOptions, NodeKind, ViewFormat};

    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    annals
        .ingest_text("wire.txt", TEXT, Some("2023-05-03"))
        .unwrap();
    let graphml = |opts: &ExportOptions| {
        let mut out = Vec::new();
        annals.export(ViewFormat::GraphMl, &mut out, opts).unwrap();
        String::from_utf8(out).unwrap()
    };
    let all = graphml(&ExportOptions::default());
    assert!(all.contains("<data key=\"kind\">person</data>"));
    let places = graphml(&ExportOptions {
        kinds: Some(vec![NodeKind::Place]),
        ..ExportOptions::default()
    });
    assert!(places.contains("<data key=\"kind\">place</data>"));
    for other in ["person", "group", "date", "event", "quote"] {
        assert!(!places.contains(&format!("<data key=\"kind\">{other}</data>")));
    }
    // A period long before the article keeps nothing.
    let old = graphml(&ExportOptions {
        until: Some("1999".parse().unwrap()),
        ..ExportOptions::default()
    });
    assert!(!old.contains("<node "));
    // An empty period is an error, before anything is written.
    let mut out = Vec::new();
    let err = annals
        .export(
            ViewFormat::Turtle,
            &mut out,
            &ExportOptions {
                since: Some("2024".parse().unwrap()),
                until: Some("2023".parse().unwrap()),
                ..ExportOptions::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::Selection(_)), "{err}");
    assert!(out.is_empty());
}

/// A JSON Lines file is read a line at a time and stored a batch of articles at a time:
/// one file of more records than a batch (with a bad line and an unreadably long one
/// among them) gives the same graph, ids included, as the same articles in separate
/// files, and reports the two bad lines by line number.
#[test]
fn a_json_lines_file_larger_than_a_batch_gives_the_graph_of_separate_files() {
    use annals::IngestOptions;
    let dir = tempfile::tempdir().unwrap();
    let opts = IngestOptions {
        batch: 8,
        max_article_bytes: 4096,
        ..IngestOptions::default()
    };
    let cities = ["Lisbon", "Madrid", "Paris", "Rome", "Berlin", "Vienna"];
    let texts: Vec<String> = (0..30)
        .map(|i| {
            let city = cities[i % cities.len()];
            format!(
                "{city}, May {} (Wire) - Finance minister Maria Costa{i} said on Tuesday that \
                 \"the budget will be balanced\" after talks in {city}.",
                i % 28 + 1
            )
        })
        .collect();
    let folder = dir.path().join("files");
    std::fs::create_dir(&folder).unwrap();
    let mut lines = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(folder.join(format!("{i:03}.txt")), t).unwrap();
        lines.push(serde_json::json!({ "text": t }).to_string());
        if i == 10 {
            lines.push("{not json".to_string());
        }
        if i == 20 {
            // Longer than a line may be (six bytes a character of the article limit).
            lines.push(format!(
                "{{\"text\": \"{}\"}}",
                "y".repeat(4096 * 6 + 70_000)
            ));
        }
    }
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(&feed, lines.join("\n")).unwrap();

    let graph = |input: &std::path::Path, db: &str| {
        let annals = Annals::open(dir.path().join(db)).unwrap();
        let report = annals
            .ingest_paths(&[input.to_path_buf()], &opts, &mut |_| {})
            .unwrap();
        let mut out = Vec::new();
        annals.export_json(&mut out).unwrap();
        (report, String::from_utf8(out).unwrap())
    };
    let (from_files, files_export) = graph(&folder, "a");
    let (from_feed, feed_export) = graph(&feed, "b");
    assert_eq!(from_files.stored.len(), 30);
    assert_eq!(from_feed.stored.len(), 30);
    let skipped: Vec<&str> = from_feed
        .skipped
        .iter()
        .map(|s| s.source.rsplit('#').next().unwrap())
        .collect();
    assert_eq!(skipped, ["12", "23"], "{:?}", from_feed.skipped);
    assert!(from_feed.skipped[1].reason.contains("too large"));
    // The same graph: only the documents' sources and titles (a text file's first line,
    // none for these records) differ.
    let strip = |export: &str| -> Vec<String> {
        export
            .lines()
            .filter(|l| !l.contains("\"source\"") && !l.contains("\"title\""))
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (strip(&files_export), strip(&feed_export));
    assert_eq!(a.len(), b.len());
    if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
        panic!("exports differ at line {i}: {:?} vs {:?}", a[i], b[i]);
    }
}

/// The store caches the records linking reads again and again; after many articles that
/// link to the same entities and merge into the same events, every cached record must
/// still be the stored one (the cache is updated only by commits that succeeded).
#[test]
fn the_writers_cache_holds_what_the_store_holds() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let mut texts: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    let mut merged = 0;
    for round in 0..4 {
        for (i, text) in texts.iter().enumerate() {
            // The same reports again, a day or a week later: entities link, events merge.
            let day = format!("2024-02-{:02}", 8 + round * 3);
            let outcome = annals
                .ingest_text(
                    &format!("{i}-{round}.txt"),
                    &format!("{text}\n\n({round})\n"),
                    Some(&day),
                )
                .unwrap();
            if let AddOutcome::Added { merged_events, .. } = outcome {
                merged += merged_events;
            }
        }
    }
    assert!(merged > 0);
    let (cached, problems) = annals.store().check_writer_cache().unwrap();
    assert!(cached > 100, "{cached} cached records");
    assert_eq!(problems, Vec::<String>::new());
}
