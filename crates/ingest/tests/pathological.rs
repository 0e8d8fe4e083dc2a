//! Hostile text stays linear: each input below is large and built to hit one place where
//! extraction once did work for every pair of its parts (tens of seconds to minutes at
//! these sizes in a release build, far longer in a test build). Each must now extract
//! with valid spans. The time bound is deliberately loose: it catches a return to
//! quadratic work, not a slow machine (speed itself is measured in benchmarks).

use std::time::{Duration, Instant};

use annals_ingest::{extract, Document, DocumentMeta, Extraction};

/// Far above what linear extraction of these inputs takes in a test build, far below
/// what quadratic extraction took.
const BOUND: Duration = Duration::from_secs(60);

fn run(text: &str) -> Extraction {
    let mut meta = DocumentMeta::new("hostile.txt");
    meta.published = Some("2024-01-01".into());
    let started = Instant::now();
    let x = extract(&Document::new(meta, text.to_string()));
    let took = started.elapsed();
    assert!(x.validate(text).is_ok(), "spans do not fit the text");
    assert!(took < BOUND, "{} bytes took {took:?}", text.len());
    x
}

#[test]
fn a_run_of_thousands_of_capitalised_words() {
    // Every suffix of a long name was indexed as a shorter form of it.
    let words = ["Alpha", "Beta", "Gamma", "Delta"].repeat(10_000).join(" ");
    run(&format!("{words} Ministry said."));
    run(&format!("Hezbollah {words} Council said."));
}

#[test]
fn thousands_of_attributed_quotes() {
    // Each quotation was checked against every name for a nickname inside it.
    let text = "Smith said \"We will go,\" and Park said \"No.\" ".repeat(40_000);
    let x = run(&text);
    assert!(x.quotes.len() >= 40_000, "{}", x.quotes.len());
}

#[test]
fn thousands_of_reported_events() {
    // Each event was compared with every other for its date, places and antecedent.
    let text = (0..25_000)
        .map(|i| {
            format!(
                "A drone strike hit a depot in Baghdad on Monday, killing {}.",
                i % 9 + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let x = run(&text);
    assert!(x.events.len() >= 25_000, "{}", x.events.len());
    // The same in one long sentence with no full stops, and with "the strike" mentions
    // that look for an antecedent.
    let one = "a drone strike hit Baghdad on Monday and ".repeat(25_000);
    run(&one);
    let definite = "The strike hit Baghdad. The talks failed. ".repeat(25_000);
    run(&definite);
}

#[test]
fn nested_unbalanced_and_strange_text() {
    run(&format!(
        "{}we will fight{}",
        "\u{201c}".repeat(10_000),
        "\u{201d}".repeat(10_000)
    ));
    run(&format!("{} said Smith.", "\"".repeat(10_000)));
    // A "sentence" of a megabyte.
    run(&"the minister said that ".repeat(45_000));
    // Right-to-left text and control characters.
    run(
        &"\u{0642}\u{0627}\u{0644} \u{05e9}\u{05dc}\u{05d5}\u{05dd} \u{202e}Smith\u{202c} "
            .repeat(20_000),
    );
    run(&"\u{1}\u{2} Smith said \u{7} \"no\" \u{1b} ".repeat(10_000));
}
