//! A generated corpus, end to end: written twice byte-identically, every article
//! distinct, manifests valid, and the `annals` library ingests all of it, in both
//! formats, with nothing skipped.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use annals::{Annals, IngestOptions};
use annals_corpus::{generator, write_corpus, OutputFormat, Templates, WriteOptions};
use annals_ingest::formats::{read_json_lines, Manifest, DEFAULT_MAX_ARTICLE_BYTES};

const COUNT: u64 = 50;

fn articles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles")
}

fn generate(out: &Path, seed: u64, count: u64, per_shard: u64, format: OutputFormat) {
    let templates = Templates::read(&[articles_dir()]);
    assert!(templates.skipped.is_empty(), "{:?}", templates.skipped);
    assert!(!templates.documents.is_empty());
    let gen = generator(&templates.documents, seed);
    let opts = WriteOptions {
        count,
        per_shard,
        format,
    };
    let summary = write_corpus(
        &gen,
        &opts,
        out,
        &serde_json::json!({"seed": seed}),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(summary.articles, count);
    assert_eq!(summary.shards, count.div_ceil(per_shard));
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn a_text_corpus_is_reproducible_distinct_and_ingested_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a, 1, COUNT, 20, OutputFormat::Text);
    generate(&b, 1, COUNT, 20, OutputFormat::Text);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa, fb, "the same arguments must give byte-identical output");

    // Shards of 20: three folders, each with its manifest listing its files.
    let texts: Vec<(&String, &Vec<u8>)> = fa.iter().filter(|(k, _)| k.ends_with(".txt")).collect();
    assert_eq!(texts.len(), COUNT as usize);
    for shard in ["00000", "00001", "00002"] {
        let m = Manifest::parse(&fa[&format!("{shard}/manifest.json")]).unwrap();
        let here: Vec<_> = texts
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{shard}/")))
            .collect();
        assert_eq!(m.len(), here.len());
        for (k, _) in here {
            let name = k.rsplit('/').next().unwrap();
            let meta = m.get(name).unwrap();
            assert!(meta.published.is_some() && meta.title.is_some(), "{k}");
        }
    }
    // Distinct texts: the store would skip a repeat as already stored.
    let distinct: HashSet<&Vec<u8>> = texts.iter().map(|(_, t)| *t).collect();
    assert_eq!(distinct.len(), texts.len());
    // Well-formed UTF-8 throughout.
    for (k, t) in &texts {
        assert!(std::str::from_utf8(t).is_ok(), "{k}");
    }

    let annals = Annals::open(tmp.path().join("db")).unwrap();
    let report = annals
        .ingest_paths(&[a], &IngestOptions::default(), &mut |_| {})
        .unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.stored.len(), COUNT as usize);
    assert!(report.duplicates.is_empty());
    // Generated people recur across articles and are linked there.
    assert!(report.linked_entities > 0);
    assert!(report.totals.entities > 0 && report.totals.events > 0);
}

#[test]
fn a_json_lines_corpus_is_ingested_whole_and_matches_the_text_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let (txt, jsonl) = (tmp.path().join("txt"), tmp.path().join("jsonl"));
    generate(&txt, 7, COUNT, 30, OutputFormat::Text);
    generate(&jsonl, 7, COUNT, 30, OutputFormat::JsonLines);
    let files = files(&jsonl);
    assert_eq!(
        files
            .keys()
            .filter(|k| !k.starts_with('.'))
            .collect::<Vec<_>>(),
        ["00000.jsonl", "00001.jsonl"]
    );
    let mut n = 0;
    for (name, bytes) in files.iter().filter(|(k, _)| k.ends_with(".jsonl")) {
        for (source, item) in read_json_lines(name, bytes, DEFAULT_MAX_ARTICLE_BYTES) {
            let read = item.unwrap_or_else(|e| panic!("{source}: {e}"));
            let doc = read.document;
            // The same article as the text format's file of that number.
            let id = doc.meta().external_id.clone().unwrap();
            let number: u64 = id.rsplit('-').next().unwrap().parse().unwrap();
            let path = txt
                .join(annals_corpus::shard_name(number / 30))
                .join(annals_corpus::text_name(number));
            assert_eq!(fs::read_to_string(path).unwrap(), doc.text());
            assert!(doc.meta().published.is_some() && doc.meta().title.is_some());
            n += 1;
        }
    }
    assert_eq!(n, COUNT);

    let annals = Annals::open(tmp.path().join("db")).unwrap();
    let report = annals
        .ingest_paths(&[jsonl], &IngestOptions::default(), &mut |_| {})
        .unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.stored.len(), COUNT as usize);
}

#[test]
fn a_smaller_corpus_is_the_start_of_a_larger_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (small, large) = (tmp.path().join("s"), tmp.path().join("l"));
    generate(&small, 3, 12, 10, OutputFormat::Text);
    generate(&large, 3, 25, 10, OutputFormat::Text);
    let (fs_, fl) = (files(&small), files(&large));
    for (k, v) in fs_.iter().filter(|(k, _)| k.ends_with(".txt")) {
        assert_eq!(Some(v), fl.get(k), "{k}");
    }
}

#[test]
fn a_folder_in_use_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let templates = Templates::read(&[articles_dir()]);
    let gen = generator(&templates.documents, 1);
    let opts = WriteOptions {
        count: 1,
        per_shard: 10,
        format: OutputFormat::Text,
    };
    let err = write_corpus(&gen, &opts, tmp.path(), &serde_json::json!({}), &mut |_| {});
    assert!(matches!(err, Err(annals_corpus::WriteError::NotEmpty(_))));
    assert_eq!(
        fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn the_command_writes_what_the_library_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let (lib, cli) = (tmp.path().join("lib"), tmp.path().join("cli"));
    generate(&lib, 4, 12, 5, OutputFormat::JsonLines);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_annals-corpus"))
        .arg("--articles")
        .arg(articles_dir())
        .args([
            "--count",
            "12",
            "--seed",
            "4",
            "--per-shard",
            "5",
            "--format",
            "jsonl",
        ])
        .arg("--out")
        .arg(&cli)
        .arg("--quiet")
        .status()
        .unwrap();
    assert!(status.success());
    let (fl, fc) = (files(&lib), files(&cli));
    let data = |f: &BTreeMap<String, Vec<u8>>| {
        f.iter()
            .filter(|(k, _)| !k.starts_with('.'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(data(&fl), data(&fc));
    assert!(fc.contains_key(".annals-corpus.json"));
}
