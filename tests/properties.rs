//! Properties of the whole pipeline on generated articles: every exported span round-trips
//! to its text, and ingesting the same articles again changes nothing.

use annals::Annals;
use proptest::prelude::*;

/// Sentence parts that combine into news-like text with names, quotes, dates and events,
/// plus awkward bytes (curly quotes, multi-byte letters, stray marks).
const PARTS: &[&str] = &[
    "Maria Lopez said on Monday that talks would resume.",
    "\u{201c}We will not accept this,\u{201d} Tomas Berg told reporters in Oslo.",
    "The Harbour Workers Union condemned the strike in Rotterdam last week.",
    "Officials in Nairobi (NWB) blamed the National Water Board.",
    "Kata\u{2019}ib fighters attacked a base near the border on January 3, 2023.",
    "Z\u{fc}rich-based analysts, the Fed and U.S. officials disagreed.",
    "\"Unclosed quote about Lima",
    "He said \u{201c}no\u{201d} twice \u{2014} then left.",
    "Se\u{f1}or G\u{f3}mez, the spokesman for the ministry, denied it.",
    "\n\n",
    "  \t",
    "\u{200f}\u{202e}mixed direction text\u{202c}",
];

fn article() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..PARTS.len(), 1..12).prop_map(|ix| {
        ix.into_iter()
            .map(|i| PARTS[i])
            .collect::<Vec<_>>()
            .join(" ")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn exported_spans_round_trip_and_reingest_is_a_no_op(texts in proptest::collection::vec(article(), 1..5)) {
        let dir = tempfile::tempdir().unwrap();
        let annals = Annals::open(dir.path().join("db")).unwrap();
        let ingest_all = |annals: &Annals| {
            for (i, t) in texts.iter().enumerate() {
                if t.trim().is_empty() {
                    continue;
                }
                annals.ingest_text(&format!("a{i}.txt"), t, Some("2023-06-01")).unwrap();
            }
        };
        ingest_all(&annals);
        let mut first = Vec::new();
        annals.export_json(&mut first).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&first).unwrap();
        let docs: std::collections::HashMap<String, String> = v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let i: usize = d["source"].as_str().unwrap()[1..].trim_end_matches(".txt").parse().unwrap();
                (d["id"].as_str().unwrap().to_string(), texts[i].clone())
            })
            .collect();
        let mut spans = Vec::new();
        for e in v["entities"].as_array().unwrap() {
            spans.extend(e["mentions"].as_array().unwrap().iter().cloned());
        }
        spans.extend(v["quotes"].as_array().unwrap().iter().cloned());
        for e in v["events"].as_array().unwrap() {
            spans.extend(e["mentions"].as_array().unwrap().iter().cloned());
        }
        for s in &spans {
            let text = &docs[s["doc"].as_str().unwrap()];
            let (a, b) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
            prop_assert_eq!(text.get(a..b), s["text"].as_str());
        }
        ingest_all(&annals);
        let mut second = Vec::new();
        annals.export_json(&mut second).unwrap();
        prop_assert!(first == second, "re-ingesting changed the export");
    }
}
