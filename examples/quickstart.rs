//! Quickstart: open a store, ingest one article, ask who said something, print evidence.
//!
//! Run with `cargo run --example quickstart`. It uses a temporary store, so it leaves
//! nothing behind; pass a folder as the first argument to keep the store there.

use std::path::PathBuf;

use annals::{Annals, IngestOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let db = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("annals.db"));
    let annals = Annals::open(&db)?;

    // One file from the bundled articles; its folder's manifest.json gives its date.
    let article =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/articles/001_353ad700dbae5824.txt");
    let report = annals.ingest_paths(&[article], &IngestOptions::default(), &mut |_| {})?;
    println!(
        "stored {} article(s); the store holds {} entities, {} quotes, {} events",
        report.stored.len(),
        report.totals.entities,
        report.totals.quotes,
        report.totals.events
    );

    let question = "who said blatant assassination";
    let answer = annals.ask(question)?;
    println!("\n{question}?");
    for item in &answer.items {
        let who = item
            .entity
            .as_ref()
            .map(|e| e.name.as_str())
            .unwrap_or("(speaker unknown)");
        println!("- {who} (score {:.2})", item.score);
        for ev in &item.evidence {
            println!("    “{}”", ev.text);
            println!("    from {} bytes {}..{}", ev.source, ev.start, ev.end);
        }
    }
    if answer.items.is_empty() {
        println!("(no quote matches)");
    }
    Ok(())
}
