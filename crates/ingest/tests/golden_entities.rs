//! Golden entity lists: what the extractor finds in each bundled article.
//!
//! One file per article in tests/golden/ (`KIND<TAB>NAME<TAB>ALIASES` sorted by kind and
//! name). After a deliberate change to extraction, regenerate with
//! `UPDATE_GOLDEN=1 cargo test -p annals-ingest --test golden_entities` and review the diff.

use std::path::{Path, PathBuf};

use annals_ingest::formats::{read_text, Manifest, DEFAULT_MAX_ARTICLE_BYTES};
use annals_ingest::{extract, DocumentMeta};

fn articles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles")
}

fn entity_list(file: &Path, manifest: &Manifest) -> String {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let mut meta = manifest
        .get(&name)
        .cloned()
        .unwrap_or_else(|| DocumentMeta::new(""));
    meta.source = name;
    let bytes = std::fs::read(file).unwrap();
    let doc = read_text(&bytes, meta, DEFAULT_MAX_ARTICLE_BYTES)
        .unwrap()
        .document;
    let x = extract(&doc);
    let mut lines: Vec<String> = x
        .entities
        .iter()
        .map(|e| {
            let mut aliases = e.aliases.clone();
            aliases.sort();
            let author = if e.author { "\tauthor" } else { "" };
            format!("{}\t{}\t{}{author}", e.kind, e.name, aliases.join(" | "))
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn each_bundled_article_gives_its_golden_entity_list() {
    let dir = articles_dir();
    let manifest = Manifest::parse(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for file in &files {
        let got = entity_list(file, &manifest);
        let stem = file.file_stem().unwrap().to_string_lossy();
        let path = golden.join(format!("{stem}.entities.tsv"));
        if update {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            differ.push(format!(
                "{}:\n--- want\n{want}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "entity lists differ (rerun with UPDATE_GOLDEN=1 if intended):\n{}",
        differ.join("\n")
    );
}
