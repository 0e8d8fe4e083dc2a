//! Who said it: ingest the bundled articles, then ask who said a phrase, from English and
//! as a typed question, and print each speaker with the sentence and bytes it rests on.
//!
//! `cargo run --example who_said -- "blatant assassination"` (the phrase is optional).

use std::path::PathBuf;

use annals::query::{AskOptions, Question};
use annals::{Annals, IngestOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let phrase = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "blatant assassination".into());
    let tmp = tempfile::tempdir()?;
    let annals = Annals::open(tmp.path().join("annals.db"))?;
    let articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    annals.ingest_paths(&[articles], &IngestOptions::default(), &mut |_| {})?;

    // The typed way in: no parsing, the same answer as `annals.ask("who said ...")`.
    let answer = annals.answer(&Question::WhoSaid(phrase.clone()), &AskOptions { limit: 5 })?;
    println!("who said “{phrase}”? {} speaker(s)", answer.total);
    for item in &answer.items {
        let who = item
            .entity
            .as_ref()
            .map_or("(speaker unknown)", |e| e.name.as_str());
        println!("\n{who}  (match {:.2})", item.score);
        for ev in &item.evidence {
            println!("  “{}”", ev.text);
            println!("  in: {}", ev.sentence);
            println!("  {} bytes {}..{}", ev.source, ev.start, ev.end);
        }
    }
    Ok(())
}
