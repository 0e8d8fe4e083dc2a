//! Runs extraction on the given files many times, for profilers (callgrind, perf).
//!
//! `cargo run --release -p annals-ingest --example profile_extract -- FILE... [--times N]`
//!
//! The lexicon, patterns and regex caches are built by a warm-up extraction of every file
//! before the timed loop, which is its own function, `measured`, so an instruction count
//! can be limited to it:
//! `valgrind --tool=callgrind --toggle-collect='profile_extract::measured*' ...`.

use annals_ingest::formats::{read_text, DEFAULT_MAX_ARTICLE_BYTES};
use annals_ingest::{extract, DocumentMeta};

/// The allocator the `annals` binary uses, so the numbers are the shipped program's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut times = 50;
    if let Some(i) = args.iter().position(|a| a == "--times") {
        times = args
            .get(i + 1)
            .and_then(|t| t.parse().ok())
            .unwrap_or(times);
        args.drain(i..(i + 2).min(args.len()));
    }
    let docs: Vec<_> = args
        .iter()
        .filter_map(|p| {
            let mut meta = DocumentMeta::new(p.as_str());
            meta.published = Some("2024-02-08".into());
            let bytes = std::fs::read(p).ok()?;
            read_text(&bytes, meta, DEFAULT_MAX_ARTICLE_BYTES)
                .ok()
                .map(|r| r.document)
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    // Warm up on every document: the regexes' lazy DFAs build their states on first use.
    for d in &docs {
        extract(d);
    }
    let start = std::time::Instant::now();
    let n = measured(&docs, times);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} articles x {times}: {:.3} s, {:.2} MB/s, {:.0} articles/s ({n} entities)",
        docs.len(),
        secs,
        (bytes * times) as f64 / secs / 1e6,
        (docs.len() * times) as f64 / secs
    );
}

/// Extracts every document `times` times; returns the number of entities found.
#[inline(never)]
fn measured(docs: &[annals_ingest::Document], times: usize) -> usize {
    let mut n = 0;
    for _ in 0..times {
        for d in docs {
            n += extract(d).entities.len();
        }
    }
    n
}
