//! The `annals` command end to end on the bundled articles and on written inputs.
//!
//! The golden export lives in tests/golden/seeds.export.json; after a deliberate change
//! to extraction, regenerate it with `UPDATE_GOLDEN=1 cargo test --test cli` and review
//! the diff.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn annals(db: &Path) -> Command {
    let mut c = Command::cargo_bin("annals").unwrap();
    c.current_dir(root())
        .env_remove("ANNALS_DB")
        .arg("--db")
        .arg(db);
    c
}

fn ingest(db: &Path, paths: &[&str]) -> String {
    let out = annals(db).arg("ingest").args(paths).output().unwrap();
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Ingests `inputs`, which hold some files that must be skipped: the exit status says
/// so (3); returns standard output and standard error.
fn ingest_skipping_some(db: &Path, inputs: &Path) -> (String, String) {
    let out = annals(db).arg("ingest").arg(inputs).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "some inputs skipped: exit status 3"
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn export_json(db: &Path) -> String {
    let out = annals(db)
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn seeds() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("data/articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .map(|n| format!("data/articles/{n}"))
        .collect();
    v.sort();
    v
}

#[test]
fn ingesting_the_bundled_articles_matches_the_golden_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let summary = ingest(&db, &["data/articles"]);
    assert!(
        summary.contains("5 stored, 0 already stored, 0 skipped"),
        "{summary}"
    );
    let got = export_json(&db);
    let golden = root().join("tests/golden/seeds.export.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden)
        .expect("golden file; run with UPDATE_GOLDEN=1 to create it");
    assert!(got == want, "export differs from {}; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff", golden.display());
}

#[test]
fn two_fresh_ingests_give_byte_identical_exports() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    ingest(&a.path().join("db"), &["data/articles"]);
    ingest(&b.path().join("db"), &["data/articles"]);
    assert_eq!(
        export_json(&a.path().join("db")),
        export_json(&b.path().join("db"))
    );
}

#[test]
fn every_exported_span_round_trips_to_the_file_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let export: Value = serde_json::from_str(&export_json(&db)).unwrap();
    assert_eq!(export["schema"], "annals-export/1");
    let mut files = std::collections::HashMap::new();
    for d in export["documents"].as_array().unwrap() {
        let bytes = std::fs::read(root().join(d["source"].as_str().unwrap())).unwrap();
        files.insert(d["id"].as_str().unwrap().to_string(), bytes);
    }
    let mut spans: Vec<&Value> = Vec::new();
    for e in export["entities"].as_array().unwrap() {
        spans.extend(e["mentions"].as_array().unwrap());
    }
    spans.extend(export["quotes"].as_array().unwrap());
    for ev in export["events"].as_array().unwrap() {
        spans.extend(ev["mentions"].as_array().unwrap());
    }
    for s in &spans {
        let bytes = &files[s["doc"].as_str().unwrap()];
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&bytes[start..end]).unwrap(),
            s["text"].as_str().unwrap()
        );
    }
    assert!(spans.len() > 50, "only {} spans exported", spans.len());
}

#[test]
fn published_dates_come_from_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let export: Value = serde_json::from_str(&export_json(&db)).unwrap();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root().join("data/articles/manifest.json")).unwrap())
            .unwrap();
    for entry in manifest["articles"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let doc = export["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["source"].as_str().unwrap().ends_with(file))
            .unwrap();
        assert_eq!(doc["published"], entry["published"], "{file}");
    }
}

#[test]
fn compacting_by_command_or_after_an_ingest_keeps_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let before = export_json(&db);
    annals(&db)
        .arg("compact")
        .assert()
        .success()
        .stdout(predicate::str::contains("compacted").and(predicate::str::contains("MB on disk")));
    assert_eq!(export_json(&db), before);

    // Over the size threshold, an ingest that stores something compacts by itself;
    // --no-compact keeps it from doing so.
    let other = dir.path().join("other");
    annals(&other)
        .env("ANNALS_COMPACT_MIN_BYTES", "1")
        .args(["ingest", "--no-compact", "data/articles"])
        .assert()
        .success()
        .stderr(predicate::str::contains("compacted").not());
    let third = dir.path().join("third");
    annals(&third)
        .env("ANNALS_COMPACT_MIN_BYTES", "1")
        .args(["ingest", "data/articles"])
        .assert()
        .success()
        .stderr(predicate::str::contains("compacted"));
    assert_eq!(export_json(&third), before);
    assert_eq!(export_json(&other), before);
}

#[test]
fn re_ingesting_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let before = export_json(&db);
    let summary = ingest(&db, &["data/articles"]);
    assert!(summary.contains("0 stored, 5 already stored"), "{summary}");
    assert_eq!(export_json(&db), before);
}

#[test]
fn incremental_ingest_links_to_what_is_stored() {
    let files = seeds();
    let (earlier, last) = files.split_at(files.len() - 1);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let earlier: Vec<&str> = earlier.iter().map(String::as_str).collect();
    ingest(&db, &earlier);
    let summary = ingest(&db, &[last[0].as_str()]);
    assert!(summary.contains("1 stored"), "{summary}");
    let linked: usize = summary
        .lines()
        .find_map(|l| l.strip_prefix("linked ")?.split(' ').next()?.parse().ok())
        .unwrap();
    assert!(linked > 0, "the last article linked nothing: {summary}");
    // Adding the articles one batch at a time gives the same graph as all at once.
    let all = tempfile::tempdir().unwrap();
    ingest(&all.path().join("db"), &["data/articles"]);
    assert_eq!(export_json(&db), export_json(&all.path().join("db")));
    // Some entity of the last article has mentions in earlier ones too.
    let export: Value = serde_json::from_str(&export_json(&db)).unwrap();
    let last_doc = format!("d{}", files.len());
    let shared = export["entities"].as_array().unwrap().iter().any(|e| {
        let docs: Vec<&str> = e["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["doc"].as_str().unwrap())
            .collect();
        docs.contains(&last_doc.as_str()) && docs.iter().any(|d| *d != last_doc)
    });
    assert!(shared);
}

#[test]
fn the_dot_export_parses_and_has_events_and_role_edges() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let out = annals(&db)
        .args(["export", "--format", "dot"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let dot = String::from_utf8(out.stdout).unwrap();
    let graph = dot_parser::ast::Graph::try_from(dot.as_str()).expect("DOT parses");
    let canonical = dot_parser::canonical::Graph::from(graph);
    assert!(canonical.is_digraph);
    assert!(
        canonical.nodes.set.len() > 20,
        "{} nodes",
        canonical.nodes.set.len()
    );
    assert!(dot.contains("shape=diamond"), "events are drawn as nodes");
    assert!(dot.contains("[label=\"source\"]") || dot.contains("[label=\"place\"]"));

    let around = annals(&db)
        .args([
            "export", "--format", "dot", "--around", "Baghdad", "--depth", "1",
        ])
        .output()
        .unwrap();
    assert!(
        around.status.success(),
        "{}",
        String::from_utf8_lossy(&around.stderr)
    );
    let around = String::from_utf8(around.stdout).unwrap();
    dot_parser::ast::Graph::try_from(around.as_str()).expect("neighbourhood DOT parses");
    assert!(around.contains("\"Baghdad\""));
    assert!(around.lines().count() < dot.lines().count());
}

#[test]
fn ask_answers_who_said_with_speaker_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let out = annals(&db)
        .args(["ask", "who said blatant assassination", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = answer["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let top = &items[0];
    assert!(
        top["entity"]["name"].is_string(),
        "the best answer names a speaker: {top}"
    );
    let ev = &top["evidence"][0];
    assert!(ev["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("blatant assassination"));
    let file = std::fs::read(root().join(ev["source"].as_str().unwrap())).unwrap();
    let (s, e) = (
        ev["start"].as_u64().unwrap() as usize,
        ev["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        std::str::from_utf8(&file[s..e]).unwrap(),
        ev["text"].as_str().unwrap()
    );

    annals(&db)
        .args(["ask", "who", "said", "blatant", "assassination"])
        .assert()
        .success()
        .stdout(predicate::str::contains("blatant assassination"));
}

#[test]
fn ask_profiles_limits_and_suggests_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let json = |args: &[&str]| -> Value {
        let out = annals(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let who = json(&["ask", "who is Yahya Rasool", "--json"]);
    assert_eq!(who["profile"]["entity"]["name"], "Yahya Rasool");
    assert!(who["profile"]["quote_count"].as_u64().unwrap() >= 3);
    annals(&db)
        .args(["ask", "who is Yahya Rasool"])
        .assert()
        .success()
        .stdout(predicate::str::contains("military spokesman of Iraq"));

    // --limit caps the answers and the reports per answer; total counts them all.
    let all = json(&["ask", "timeline", "--json", "--limit", "0"]);
    let two = json(&["ask", "timeline", "--json", "--limit", "2"]);
    assert_eq!(two["items"].as_array().unwrap().len(), 2);
    assert_eq!(two["total"], all["total"]);
    assert!(all["items"].as_array().unwrap().len() > 2);
    annals(&db)
        .args(["ask", "timeline", "--limit", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "answers shown; --limit N shows more",
        ));

    // With a store, an unparsed question also suggests questions about its names.
    annals(&db)
        .args(["ask", "what about Kataib Hezbollah"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("who said PHRASE").and(predicate::str::contains(
                "Did you mean: who is Kataib Hezbollah?",
            )),
        );
}

#[test]
fn an_unparseable_question_lists_the_forms() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    annals(&db)
        .args(["ask", "why is the sky blue"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("who said PHRASE")
                .and(predicate::str::contains("what did NAME say")),
        );
}

#[test]
fn a_store_of_another_format_version_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = annals::graph::Store::open(&db).unwrap();
        store
            .set_format_version_for_test(annals::graph::FORMAT_VERSION + 7)
            .unwrap();
    }
    annals(&db).args(["entities"]).assert().failure().stderr(
        predicate::str::contains("format version").and(predicate::str::contains(
            "this build of Annals reads version",
        )),
    );
}

#[test]
fn bad_inputs_are_skipped_with_reasons_and_good_ones_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("empty.txt"), b"").unwrap();
    std::fs::write(inputs.join("binary.txt"), b"\x7fELF\x00\x01\x02").unwrap();
    std::fs::write(
        inputs.join("latin1.txt"),
        b"Caf\xe9 owners protested in Lyon.",
    )
    .unwrap();
    std::fs::write(inputs.join("truncated.txt"), &"Kata’ib".as_bytes()[..6]).unwrap();
    std::fs::write(
        inputs.join("good.txt"),
        "Officials in Lyon said the market reopened on Monday.",
    )
    .unwrap();
    std::fs::write(
        inputs.join("bad.jsonl"),
        "{\"text\": \"Fine record about Madrid.\"}\n{oops\n",
    )
    .unwrap();
    std::fs::write(inputs.join("ignored.pdf"), b"%PDF").unwrap();
    let db = dir.path().join("db");
    std::fs::write(inputs.join("utf16.txt"), b"\xff\xfeH\x00i\x00").unwrap();
    std::fs::write(
        inputs.join("crlf.txt"),
        "Lyon officials met on Monday.\r\nThey agreed.\r\n",
    )
    .unwrap();
    let (stdout, stderr) = ingest_skipping_some(&db, &inputs);
    assert!(
        stdout.contains("3 stored, 0 already stored, 6 skipped"),
        "{stdout}\n{stderr}"
    );
    assert!(stderr.contains("utf16.txt: UTF-16 text"), "{stderr}");
    assert!(stderr.contains("empty.txt: empty"), "{stderr}");
    assert!(stderr.contains("binary.txt: binary data"), "{stderr}");
    assert!(stderr.contains("latin1.txt: not UTF-8"), "{stderr}");
    assert!(stderr.contains("truncated.txt: not UTF-8"), "{stderr}");
    assert!(stderr.contains("bad.jsonl#2: invalid JSON"), "{stderr}");
    assert!(!stderr.contains("ignored.pdf"), "{stderr}");
}

/// A folder of 100,000 tiny files in 100 subfolders (a million was run by hand:
/// docs/performance.md, "Hostile text"): empty files, UTF-16 files, one-line articles
/// repeated and one-line articles each different. Every file is accounted for, once:
/// stored, recognised as already stored, or skipped with its name and reason; the run
/// goes on to the end and its exit status says some were skipped.
#[test]
fn a_hundred_thousand_tiny_files_are_each_stored_recognised_or_skipped_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("tiny");
    let (mut empty, mut utf16, mut unique) = (0, 0, 0);
    for folder in 0..100 {
        let sub = inputs.join(format!("{folder:03}"));
        std::fs::create_dir_all(&sub).unwrap();
        for i in 0..1000 {
            let n = folder * 1000 + i;
            let bytes: Vec<u8> = match n % 4 {
                0 => {
                    empty += 1;
                    Vec::new()
                }
                1 => {
                    utf16 += 1;
                    b"\xff\xfeH\x00i\x00".to_vec()
                }
                2 => b"Rain fell in Oslo on Monday.".to_vec(),
                _ if n % 40 == 3 => {
                    unique += 1;
                    format!("Officials in Lima counted {n} voters on Monday.").into_bytes()
                }
                _ => b"x".to_vec(),
            };
            std::fs::write(sub.join(format!("{i:04}.txt")), bytes).unwrap();
        }
    }
    let db = dir.path().join("db");
    let (stdout, stderr) = ingest_skipping_some(&db, &inputs);
    // Stored: each unique article, the repeated sentence and "x", once each.
    let stored = unique + 2;
    let skipped = empty + utf16;
    let duplicates = 100_000 - stored - skipped;
    assert!(
        stdout.contains(&format!(
            "{stored} stored, {duplicates} already stored, {skipped} skipped"
        )),
        "{stdout}"
    );
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("skipped "))
        .collect();
    assert_eq!(lines.len(), skipped);
    let named: std::collections::BTreeSet<&str> = lines
        .iter()
        .map(|l| l.split(".txt: ").next().unwrap())
        .collect();
    assert_eq!(named.len(), skipped, "a file was reported twice");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.ends_with(": empty: no text"))
            .count(),
        empty
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains(": UTF-16 text")).count(),
        utf16
    );
    assert!(
        stdout.contains(&format!("store holds {stored} articles")),
        "{stdout}"
    );
}

/// Links that loop or lead nowhere, a link to a parent folder, a second name for a file,
/// a file name that is not UTF-8, and JSON Lines records without a text string: each is
/// named with its reason (or, for the second name, stored once), and the run goes on.
#[cfg(unix)]
#[test]
fn links_odd_names_and_textless_records_are_reported_and_the_run_goes_on() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(inputs.join("sub")).unwrap();
    std::fs::write(
        inputs.join("good.txt"),
        "Officials in Lyon said the market reopened on Monday.",
    )
    .unwrap();
    symlink("..", inputs.join("sub/up")).unwrap();
    symlink("loop2.txt", inputs.join("loop1.txt")).unwrap();
    symlink("loop1.txt", inputs.join("loop2.txt")).unwrap();
    symlink("missing.txt", inputs.join("dangling.txt")).unwrap();
    symlink("good.txt", inputs.join("alias.txt")).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(inputs.join(odd), "Farmers marched in Porto on Friday.").unwrap();
    std::fs::write(
        inputs.join("recs.jsonl"),
        "{\"text\": \"Farmers protested in Madrid.\"}\n{\"title\": \"no text\"}\n{\"text\": 42}\n",
    )
    .unwrap();
    let db = dir.path().join("db");
    let out = annals(&db).arg("ingest").arg(&inputs).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{stderr}");
    // good.txt, the odd name and the first record; alias.txt is good.txt again.
    assert!(
        stdout.contains("3 stored, 1 already stored, 6 skipped"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("sub/up: a link to a folder, not followed"),
        "{stderr}"
    );
    assert!(stderr.contains("loop1.txt: cannot read"), "{stderr}");
    assert!(stderr.contains("loop2.txt: cannot read"), "{stderr}");
    assert!(stderr.contains("dangling.txt: cannot read"), "{stderr}");
    assert!(
        stderr.contains("recs.jsonl#2: record has no text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("recs.jsonl#3: record has no text"),
        "{stderr}"
    );
    assert!(export_json(&db).contains("caf\u{fffd}.txt"));
}

#[test]
fn nothing_readable_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    annals(&db)
        .args(["ingest", "no/such/path"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no/such/path")
                .and(predicate::str::contains("no article could be read")),
        );
}

#[test]
fn the_store_location_comes_from_annals_db_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env");
    Command::cargo_bin("annals")
        .unwrap()
        .current_dir(root())
        .env("ANNALS_DB", &db)
        .args(["ingest", "data/articles/002_2dee99bfd4cbc1e0.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 stored"));
    assert!(
        db.join("conf").exists() || db.join("db").exists(),
        "store created at ANNALS_DB"
    );
}

#[test]
fn json_lines_records_keep_their_sources_and_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.jsonl");
    let rec1 = serde_json::json!({"id": "a1", "title": "Talks", "date_publish": "2023-06-02 08:00:00",
        "maintext": "Negotiators from France and Germany met in Brussels on Thursday. \"We made progress,\" said Jean Dupont."});
    let rec2 = serde_json::json!({"text": "Farmers protested in Madrid on Friday.", "published": "2023-06-03"});
    std::fs::write(&file, format!("{rec1}\n\n{rec2}\n")).unwrap();
    let db = dir.path().join("db");
    let out = annals(&db).arg("ingest").arg(&file).output().unwrap();
    assert!(out.status.success());
    let export: Value = serde_json::from_str(&export_json(&db)).unwrap();
    let docs = export["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert!(docs[0]["source"]
        .as_str()
        .unwrap()
        .ends_with("feed.jsonl#1"));
    assert_eq!(docs[0]["external_id"], "a1");
    assert_eq!(docs[0]["published"], "2023-06-02");
    assert!(docs[1]["source"]
        .as_str()
        .unwrap()
        .ends_with("feed.jsonl#3"));
    let texts = [
        rec1["maintext"].as_str().unwrap(),
        rec2["text"].as_str().unwrap(),
    ];
    for e in export["entities"].as_array().unwrap() {
        for m in e["mentions"].as_array().unwrap() {
            let i = if m["doc"] == "d1" { 0 } else { 1 };
            let (s, t) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&texts[i][s..t], m["text"].as_str().unwrap());
        }
    }
}

#[test]
fn reading_commands_need_an_existing_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("missing");
    annals(&db)
        .args(["ask", "who said anything"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no store at").and(predicate::str::contains("annals ingest")),
        );
    assert!(!db.exists(), "a reading command must not create a store");
}

#[test]
fn an_unknown_name_for_around_is_an_error_with_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    annals(&db)
        .args(["export", "--format", "dot", "--around", "Zanzibar Quux"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no entity is called \"Zanzibar Quux\"",
        ));
}

#[test]
fn extract_then_load_gives_the_same_graph_as_a_direct_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("extracted.jsonl");
    let out = Command::cargo_bin("annals")
        .unwrap()
        .current_dir(root())
        .args(["extract", "data/articles", "-o"])
        .arg(&records)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&records).unwrap();
    assert_eq!(text.lines().count(), 5);
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["schema"], "annals-extraction/1");

    // Two files, loaded one after the other, with a damaged line in between.
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(
        &a,
        format!("{}\n{}\n", lines[..3].join("\n"), "{\"schema\": 1}"),
    )
    .unwrap();
    std::fs::write(&b, lines[3..].join("\n")).unwrap();
    let loaded = dir.path().join("loaded");
    let out = annals(&loaded)
        .arg("load")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "one line was skipped");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("a.jsonl#4: not an extraction record"),
        "{stderr}"
    );

    let direct = dir.path().join("direct");
    ingest(&direct, &["data/articles"]);
    assert!(
        export_json(&loaded) == export_json(&direct),
        "load differs from ingest"
    );
}

#[test]
fn load_refuses_records_whose_spans_do_not_fit_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let record = serde_json::json!({
        "schema": "annals-extraction/1",
        "meta": {"source": "x.txt", "title": null, "published": null, "url": null,
                 "authors": [], "publisher": null, "external_id": null},
        "text": "Short text.",
        "extraction": {"published": null, "entities": [{"kind": "place", "name": "Oslo",
            "aliases": ["Oslo"], "mentions": [{"start": 0, "end": 40}], "value": null,
            "author": false}], "quotes": [], "events": [], "relations": [], "diagnostics": []}
    });
    let file = dir.path().join("bad.jsonl");
    std::fs::write(&file, format!("{record}\n")).unwrap();
    let db = dir.path().join("db");
    let out = annals(&db).arg("load").arg(&file).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("invalid extraction"), "{stderr}");
    assert!(stderr.contains("no article could be read"), "{stderr}");
}

#[test]
fn a_reader_that_stops_early_does_not_make_it_panic() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--db")
        .arg(&db)
        .args(["export", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here, as `| head -c 16` would.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
}

#[test]
fn graphml_ntriples_and_neo4j_exports_are_written_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // Names and quotes full of markup and separators.
    std::fs::write(
        inputs.join("hostile.txt"),
        "Officials in Oslo met on Monday.\n\nMaria <b>Lopez</b>, the spokeswoman for the \
         \"A&B\" Harbour Workers Union, said: \"We, the <workers>, say \\\"no\\\"; \
         DROP TABLE x;\" Lopez said in Oslo.\n",
    )
    .unwrap();
    let db = dir.path().join("db");
    let out = annals(&db).arg("ingest").arg(&inputs).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ingest(&db, &["data/articles"]);

    let graphml = annals(&db)
        .args(["export", "--format", "graphml"])
        .output()
        .unwrap();
    assert!(graphml.status.success());
    let graphml = String::from_utf8(graphml.stdout).unwrap();
    assert!(graphml.starts_with("<?xml") && graphml.trim_end().ends_with("</graphml>"));
    assert!(
        !graphml.contains("<b>") && !graphml.contains("<workers>"),
        "markup escaped"
    );

    let nt = annals(&db)
        .args(["export", "--format", "ntriples"])
        .output()
        .unwrap();
    assert!(nt.status.success());
    let nt = String::from_utf8(nt.stdout).unwrap();
    for line in nt.lines() {
        assert!(
            line.ends_with(" ."),
            "every N-Triples line is one statement: {line}"
        );
    }
    assert!(nt.contains("<urn:annals:schema#Evidence>"));

    let neo = dir.path().join("neo4j");
    annals(&db)
        .args(["export", "--format", "neo4j", "-o"])
        .arg(&neo)
        .assert()
        .success();
    let nodes = std::fs::read_to_string(neo.join("nodes.csv")).unwrap();
    let rels = std::fs::read_to_string(neo.join("relationships.csv")).unwrap();
    assert!(nodes.starts_with("id:ID,name,kind,date,cameo,:LABEL\n"));
    assert!(rels.starts_with(":START_ID,:END_ID,:TYPE,label\n"));

    annals(&db)
        .args(["export", "--format", "neo4j"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--output DIR"));
}

#[test]
fn ask_about_events_answers_from_events_with_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let ask = |q: &str| -> Value {
        let out = annals(&db).args(["ask", q, "--json"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let when = ask("when was the drone strike in Baghdad");
    let top = &when["items"][0];
    assert_eq!(top["event"]["date"], "2024-02-07", "{when}");
    assert!(top["event"]["places"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "Baghdad"));
    let docs: std::collections::BTreeSet<&str> = top["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["doc"].as_str().unwrap())
        .collect();
    assert!(docs.len() >= 3, "reported by several articles: {docs:?}");
    for ev in top["evidence"].as_array().unwrap() {
        let file = std::fs::read(root().join(ev["source"].as_str().unwrap())).unwrap();
        let (s, e) = (
            ev["start"].as_u64().unwrap() as usize,
            ev["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&file[s..e]).unwrap(),
            ev["text"].as_str().unwrap()
        );
    }
    let what = ask("what happened in Baghdad");
    let items = what["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["event"]["places"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "Baghdad")));
    assert!(items
        .iter()
        .all(|i| !i["evidence"].as_array().unwrap().is_empty()));
    annals(&db)
        .args(["ask", "when was the drone strike in Baghdad"])
        .assert()
        .success()
        .stdout(predicate::str::contains("on 2024-02-07 in Baghdad"));
}

#[test]
fn events_lists_code_label_date_place_actors_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let out = annals(&db).args(["events", "--json"]).output().unwrap();
    assert!(out.status.success());
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let strike = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["date"] == "2024-02-07")
        .expect("the 7 February strike");
    assert!(strike["cameo"].as_str().unwrap().starts_with("19"));
    assert!(strike["place_names"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "Baghdad"));
    assert!(strike["actors"][0]["name"].is_string());
    assert!(strike["mentions"].as_array().unwrap().len() >= 4);
    assert!(!strike["evidence"].as_array().unwrap().is_empty());
    annals(&db).arg("events").assert().success().stdout(
        predicate::str::contains("2024-02-07").and(predicate::str::contains("“drone strike”")),
    );
}

/// Runs `annals export` with these arguments and returns standard output.
fn export(db: &Path, args: &[&str]) -> String {
    let out = annals(db).arg("export").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The nodes of a GraphML export (id → kind, date) and its edges.
type GraphMl = (
    std::collections::BTreeMap<String, (String, Option<String>)>,
    Vec<(String, String)>,
);

fn read_graphml(text: &str) -> GraphMl {
    let data = |node: &str, key: &str| {
        let open = format!("<data key=\"{key}\">");
        node.split(&open)
            .nth(1)
            .map(|s| s.split("</data>").next().unwrap().to_string())
    };
    let mut nodes = std::collections::BTreeMap::new();
    let mut edges = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("<node id=\"") {
            let id = rest.split('"').next().unwrap().to_string();
            nodes.insert(id, (data(line, "kind").unwrap(), data(line, "date")));
        } else if line.starts_with("<edge ") {
            let attr = |name: &str| {
                line.split(&format!(" {name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string()
            };
            edges.push((attr("source"), attr("target")));
        }
    }
    (nodes, edges)
}

#[test]
fn kinds_keep_only_nodes_of_those_kinds_in_every_graph_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let (all, _) = read_graphml(&export(&db, &["--format", "graphml"]));
    let (nodes, edges) = read_graphml(&export(
        &db,
        &["--format", "graphml", "--kinds", "person,event"],
    ));
    let kinds: std::collections::BTreeSet<&str> = nodes.values().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["event", "person"].into());
    let wanted = all
        .values()
        .filter(|(k, _)| k == "person" || k == "event")
        .count();
    assert_eq!(
        nodes.len(),
        wanted,
        "every person and every event, nothing else"
    );
    assert!(!edges.is_empty(), "events keep their edges to people");
    for (s, t) in &edges {
        assert!(nodes.contains_key(s) && nodes.contains_key(t), "{s} -> {t}");
    }

    // DOT with the same filter parses, and draws events.
    let dot = export(&db, &["--format", "dot", "--kinds", "Person, EVENT"]);
    let graph = dot_parser::ast::Graph::try_from(dot.as_str()).expect("filtered DOT parses");
    let canonical = dot_parser::canonical::Graph::from(graph);
    assert_eq!(canonical.nodes.set.len(), nodes.len());
    assert!(dot.contains("shape=diamond") && !dot.contains("shape=house"));

    // Neo4j gets the same nodes.
    let neo = dir.path().join("neo");
    annals(&db)
        .args([
            "export",
            "--format",
            "neo4j",
            "--kinds",
            "person,event",
            "-o",
        ])
        .arg(&neo)
        .assert()
        .success();
    let csv = std::fs::read_to_string(neo.join("nodes.csv")).unwrap();
    let ids: std::collections::BTreeSet<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().trim_matches('"').to_string())
        .collect();
    assert_eq!(ids, nodes.keys().cloned().collect());
}

#[test]
fn since_and_until_keep_what_is_dated_within_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let january = ["--since", "2024-01", "--until", "2024-01"];
    let (nodes, edges) = read_graphml(&export(
        &db,
        &[&["--format", "graphml"][..], &january[..]].concat(),
    ));
    let (all, _) = read_graphml(&export(&db, &["--format", "graphml"]));
    // Every event, quote and date kept is dated within January; every one so dated is kept.
    let in_january = |d: &Option<String>| d.as_deref().is_some_and(|d| d.starts_with("2024-01"));
    for (id, (kind, date)) in &all {
        if matches!(kind.as_str(), "event" | "quote" | "date") {
            assert_eq!(
                nodes.contains_key(id),
                in_january(date),
                "{id} ({kind}, {date:?})"
            );
        }
    }
    assert!(nodes.values().any(|(k, _)| k == "event"));
    // The strike of 7 February is out, and so are events dated only "2024".
    assert!(all
        .values()
        .any(|(_, d)| d.as_deref() == Some("2024-02-07")));
    assert!(!nodes
        .values()
        .any(|(_, d)| d.as_deref() == Some("2024-02-07")));
    // People, groups and places are kept only beside a kept event or quote.
    let anchored = |id: &String| {
        edges.iter().any(|(s, t)| {
            (s == id && matches!(nodes[t].0.as_str(), "event" | "quote"))
                || (t == id && matches!(nodes[s].0.as_str(), "event" | "quote"))
        })
    };
    let named: Vec<&String> = nodes
        .iter()
        .filter(|(_, (k, _))| matches!(k.as_str(), "person" | "group" | "place"))
        .map(|(id, _)| id)
        .collect();
    assert!(!named.is_empty());
    for id in named {
        assert!(anchored(id), "{id} is linked to nothing of January");
    }
    assert!(
        nodes.len() < all.len() / 2,
        "{} of {}",
        nodes.len(),
        all.len()
    );

    // --until alone is inclusive by prefix: 2024-02 keeps the 7 February strike.
    let (until_feb, _) = read_graphml(&export(&db, &["--format", "graphml", "--until", "2024-02"]));
    assert!(until_feb
        .values()
        .any(|(_, d)| d.as_deref() == Some("2024-02-07")));
    let (until_day_before, _) = read_graphml(&export(
        &db,
        &["--format", "graphml", "--until", "2024-02-06"],
    ));
    assert!(!until_day_before
        .values()
        .any(|(_, d)| d.as_deref() == Some("2024-02-07")));

    // The same period in DOT parses, with the filters combined.
    let dot = export(
        &db,
        &[
            &["--format", "dot", "--kinds", "event,place,person"][..],
            &january[..],
        ]
        .concat(),
    );
    let graph = dot_parser::ast::Graph::try_from(dot.as_str()).expect("filtered DOT parses");
    let canonical = dot_parser::canonical::Graph::from(graph);
    assert!(!canonical.nodes.set.is_empty());
    assert!(!dot.contains("2024-02-07"));
    assert!(dot.contains("shape=diamond"));
}

fn rdf_triples(text: &str, turtle: bool) -> std::collections::BTreeSet<String> {
    let triples: Result<Vec<oxrdf::Triple>, _> = if turtle {
        oxttl::TurtleParser::new().for_slice(text).collect()
    } else {
        oxttl::NTriplesParser::new().for_slice(text).collect()
    };
    triples
        .unwrap_or_else(|e| panic!("does not parse: {e}"))
        .iter()
        .map(|t| t.to_string())
        .collect()
}

#[test]
fn turtle_holds_the_ntriples_statements_with_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles"]);
    let ttl = export(&db, &["--format", "turtle"]);
    assert!(ttl.contains("@prefix annals: <urn:annals:schema#> ."));
    assert!(ttl.contains(" a annals:Event ;"));
    let nt = export(&db, &["--format", "ntriples"]);
    let (t, n) = (rdf_triples(&ttl, true), rdf_triples(&nt, false));
    assert!(t.len() > 1000, "{} triples", t.len());
    assert_eq!(t, n);
    assert!(ttl.len() < nt.len(), "prefixes make it shorter");

    let filtered = ["--kinds", "event,quote,person", "--since", "2024-02"];
    let ttl = export(&db, &[&["--format", "turtle"][..], &filtered[..]].concat());
    let nt = export(
        &db,
        &[&["--format", "ntriples"][..], &filtered[..]].concat(),
    );
    let (t, n) = (rdf_triples(&ttl, true), rdf_triples(&nt, false));
    assert_eq!(t, n);
    assert!(t.iter().any(|s| s.contains("<urn:annals:schema#Event>")));
    assert!(!t.iter().any(|s| s.contains("<urn:annals:schema#Place>")));
}

#[test]
fn turtle_keeps_hostile_text_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.jsonl");
    // A title with quotes, a backslash, braces, markup and a line break; a quotation with
    // markup and braces.
    let title = "Strike \"{ends}\" <i>now</i> \\ A&B\nsecond line";
    let quote = "We, the <workers> of {A&B}, say no to this,";
    let text = format!(
        "Maria Lopez of the Harbour Union spoke in Oslo. \"{quote}\" Lopez said on Monday."
    );
    let record = serde_json::json!({"title": title, "text": text, "published": "2024-03-04"});
    std::fs::write(&file, format!("{record}\n")).unwrap();
    let db = dir.path().join("db");
    ingest(&db, &[file.to_str().unwrap()]);
    let ttl = export(&db, &["--format", "turtle"]);
    let nt = export(&db, &["--format", "ntriples"]);
    assert_eq!(rdf_triples(&ttl, true), rdf_triples(&nt, false));
    // Both texts come back whole from the parsed Turtle.
    let parsed: Vec<oxrdf::Triple> = oxttl::TurtleParser::new()
        .for_slice(&ttl)
        .collect::<Result<_, _>>()
        .unwrap();
    for want in [title, quote] {
        assert!(
            parsed.iter().any(|t| matches!(&t.object,
                oxrdf::Term::Literal(l) if l.value() == want)),
            "{want:?} not a literal of:\n{ttl}"
        );
    }
    assert!(
        ttl.contains(r#"rdfs:label "Strike \"{ends}\" <i>now</i> \\ A&B\nsecond line""#),
        "{ttl}"
    );
}

#[test]
fn bad_filter_values_are_refused_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    ingest(&db, &["data/articles/002_2dee99bfd4cbc1e0.txt"]);
    let out_file = dir.path().join("out.dot");
    let refused = |args: &[&str], code: i32, message: &str| {
        let out = annals(&db)
            .args(["export", "--format", "dot", "-o"])
            .arg(&out_file)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!out_file.exists(), "{args:?} left an output file");
    };
    refused(
        &["--kinds", "person,people"],
        2,
        "unknown kind \"people\": the kinds are person, group, place, date, event and quote",
    );
    refused(&["--kinds", ""], 2, "unknown kind \"\"");
    for bad in ["2024-13", "2024-1-5", "2023-02-29", "yesterday", "2024-W05"] {
        refused(
            &["--since", bad],
            2,
            &format!("\"{bad}\" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        );
    }
    refused(&["--until", "24"], 2, "--until <DATE>");
    refused(
        &["--since", "2024-02", "--until", "2024-01-31"],
        1,
        "the period is empty: since 2024-02 begins after until 2024-01-31 ends",
    );
    refused(&["--around", "Nobody Anywhere"], 1, "Nobody Anywhere");
    annals(&db)
        .args(["export", "--format", "json", "--kinds", "person"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("apply to the graph formats"));
    // A single day is a period.
    annals(&db)
        .args([
            "export",
            "--format",
            "dot",
            "--since",
            "2024-02-29",
            "--until",
            "2024-02",
        ])
        .assert()
        .success();
}

#[test]
fn export_help_explains_the_filters() {
    let dir = tempfile::tempdir().unwrap();
    let out = annals(&dir.path().join("db"))
        .args(["export", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--kinds <KIND,...>",
        "--since <DATE>",
        "--until 2024-01 keeps 2024-01-31",
        "the whole of its date lies in the period",
        "anything undated is left out",
        "take part in or are the place of a kept event",
        "turtle",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from:\n{help}");
    }
}

#[test]
fn bench_measures_an_ingest_into_a_fresh_store_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("untouched.db");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = annals(&db)
        .env("TMPDIR", &tmp)
        .args([
            "bench",
            "--json",
            "--reference",
            "--extraction",
            "data/articles",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"], 5);
    assert_eq!(v["stored"], 5);
    assert_eq!(v["skipped"], 0);
    let bytes = v["text_bytes"].as_u64().unwrap();
    let on_disk: u64 = std::fs::read_dir(root().join("data/articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    // The text is the files' bytes, less a byte-order mark or trailing space at most.
    assert!(
        bytes <= on_disk && bytes + 64 > on_disk,
        "{bytes} of {on_disk}"
    );
    let secs = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"));
    let wall = secs("ingest_seconds");
    assert!(wall > 0.0 && secs("total_seconds") >= wall);
    let rate = secs("mb_per_second");
    assert!((rate - bytes as f64 / 1e6 / secs("total_seconds")).abs() < 1e-6 * rate.max(1.0));
    // Stages add up to their totals, and storing (one thread) fits in the run.
    let sum = |k: &str| {
        v[k].as_object()
            .unwrap()
            .values()
            .map(|x| x.as_f64().unwrap())
            .sum::<f64>()
    };
    assert_eq!(
        v["extract_stages_cpu_seconds"].as_object().unwrap().len(),
        8
    );
    assert!((sum("extract_stages_cpu_seconds") - secs("extract_cpu_seconds")).abs() < 1e-6);
    assert!((sum("store_steps_seconds") - secs("store_seconds")).abs() < 1e-6);
    assert!(secs("extract_cpu_seconds") > 0.0 && secs("store_seconds") > 0.0);
    assert!(secs("store_seconds") <= wall);
    assert!(v["store_bytes"].as_u64().unwrap() > bytes);
    if cfg!(target_os = "linux") {
        assert!(v["peak_memory_bytes"].as_u64().unwrap() > 1 << 20);
    }
    // Extraction alone, on one thread: every article, its stages within its time.
    let x = &v["extraction"];
    assert_eq!(x["articles"], 5);
    assert_eq!(x["text_bytes"].as_u64(), Some(bytes));
    let x_stages = x["stages_seconds"].as_object().unwrap();
    assert_eq!(x_stages.len(), 8);
    let x_sum: f64 = x_stages.values().map(|s| s.as_f64().unwrap()).sum();
    let x_secs = x["seconds"].as_f64().unwrap();
    assert!(x_sum > 0.0 && x_sum <= x_secs, "{x}");
    let x_rate = x["mb_per_second"].as_f64().unwrap();
    assert!((x_rate - bytes as f64 / 1e6 / x_secs).abs() < 1e-6 * x_rate.max(1.0));
    let r = &v["reference"];
    assert_eq!(r["articles"], 5);
    assert_eq!(r["text_bytes"].as_u64(), Some(bytes));
    assert!(r["matches"].as_u64().unwrap() > 100);
    // The temporary store is gone and the global store was never created.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    assert!(!db.exists());

    // A store folder that holds something is refused; an empty one is kept, filled.
    let used = dir.path().join("used");
    std::fs::create_dir(&used).unwrap();
    std::fs::write(used.join("x"), "x").unwrap();
    annals(&db)
        .args(["bench", "--store"])
        .arg(&used)
        .arg("data/articles")
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not empty"));
    let kept = dir.path().join("kept");
    let out = annals(&db)
        .args(["bench", "--store"])
        .arg(&kept)
        .arg("data/articles")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "input ",
        "ingest ",
        "total ",
        "peak ",
        "store ",
        "  extract ",
        "    names ",
        "    commit ",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    let listed = annals(&kept).arg("entities").output().unwrap();
    assert!(listed.status.success() && !listed.stdout.is_empty());
}
