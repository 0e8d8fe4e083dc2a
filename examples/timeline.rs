//! A timeline: ingest the bundled articles, then list the events one entity took part in
//! (or all events) in date order, each with its first report.
//!
//! `cargo run --example timeline -- "Kataib Hezbollah"` (no name: every dated event).

use std::path::PathBuf;

use annals::query::{AskOptions, Question};
use annals::{Annals, IngestOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args().nth(1);
    let tmp = tempfile::tempdir()?;
    let annals = Annals::open(tmp.path().join("annals.db"))?;
    let articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    annals.ingest_paths(&[articles], &IngestOptions::default(), &mut |_| {})?;

    let question = Question::Timeline {
        name: name.clone(),
        dates: None,
    };
    let answer = annals.answer(&question, &AskOptions { limit: 0 })?;
    println!(
        "timeline of {}: {} dated event(s)",
        name.as_deref().unwrap_or("everything"),
        answer.total
    );
    for item in &answer.items {
        let Some(e) = &item.event else { continue };
        let role = item
            .role
            .as_deref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        let place = if e.places.is_empty() {
            String::new()
        } else {
            format!(" in {}", e.places.join(", "))
        };
        println!(
            "{}  {}{place}{role}  ({} report(s))",
            e.date.as_deref().unwrap_or("?"),
            e.label,
            item.evidence.len()
        );
        if let Some(first) = item.evidence.first() {
            println!("            {}", first.sentence);
        }
    }
    Ok(())
}
