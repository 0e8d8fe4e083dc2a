//! What `annals bench` measures beyond an ingest: where an ingest's time went
//! ([`IngestTimes`]), extraction alone on one core ([`extraction_pass`]), the reference
//! pass it is compared with ([`reference_pass`]), and the process's peak memory
//! ([`peak_memory`]).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use annals_graph::AddTimes;
use annals_ingest::reference::ReferenceScan;
use annals_ingest::StageTimes;

use crate::input::collect_inputs;
use crate::{read_batches, IngestOptions, Result};

/// Where the time of an ingest run went ([`crate::Annals::ingest_paths_timed`]). Extraction
/// runs on every core, one batch ahead of storing, which runs on one: the wall time is
/// about the larger of the two, not their sum.
#[derive(Clone, Copy, Debug, Default)]
pub struct IngestTimes {
    /// The whole run, flush included.
    pub wall: Duration,
    /// Articles read (stored or not).
    pub articles: usize,
    /// Bytes of article text read.
    pub text_bytes: u64,
    /// Finding, reading and decoding input files (wall time, on the reading thread).
    pub read: Duration,
    /// Extraction, summed over the threads that ran it, stage by stage.
    pub extract: StageTimes,
    /// Extraction's wall time (its batches run in parallel).
    pub extract_wall: Duration,
    /// Time the reading thread waited for the store to take a batch.
    pub extract_waiting: Duration,
    /// Storing, step by step (one thread).
    pub store: AddTimes,
    /// Time the storing thread waited for a batch to be extracted.
    pub store_waiting: Duration,
    /// The final flush (the last word-index segment and sled's write-out).
    pub flush: Duration,
}

/// What the reference pass did and how long it took.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReferenceReport {
    /// Articles read.
    pub articles: usize,
    /// Bytes of article text read.
    pub text_bytes: u64,
    /// Lexicon phrases in the automaton.
    pub patterns: usize,
    /// Phrases found in all the articles.
    pub matches: u64,
    /// Building the automaton (not part of `wall`).
    pub build: Duration,
    /// Reading and scanning every article, on one thread.
    pub wall: Duration,
    /// The scanning part of `wall`.
    pub scan: Duration,
}

/// What the extraction pass did and how long it took.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExtractionReport {
    /// Articles extracted.
    pub articles: usize,
    /// Bytes of article text extracted.
    pub text_bytes: u64,
    /// Extraction alone (reading the files not counted), on one thread.
    pub wall: Duration,
    /// The same time, stage by stage.
    pub stages: StageTimes,
}

/// Extraction alone on one core: reads every article under `paths` as ingest does (the
/// same default publication date; inputs that cannot be read are passed over), then
/// extracts each on this thread, timing only the extraction (after one untimed
/// extraction of the first article, which builds the lexicon and the patterns' caches).
/// No store is touched.
pub fn extraction_pass(paths: &[PathBuf], opts: &IngestOptions) -> Result<ExtractionReport> {
    let mut r = ExtractionReport::default();
    let mut warm = false;
    read_batches(paths, opts, &mut |docs, _, _| {
        for doc in docs {
            if !warm {
                // Once, untimed: the lexicon and the patterns' caches are built on first
                // use, which would otherwise dominate a small input.
                std::hint::black_box(annals_ingest::extract(&doc));
                warm = true;
            }
            let began = Instant::now();
            let x = annals_ingest::extract_timed(&doc, &mut r.stages);
            r.wall += began.elapsed();
            // Freeing the result is not extraction's work; it is not timed.
            drop(std::hint::black_box(x));
            r.articles += 1;
            r.text_bytes += doc.text().len() as u64;
        }
        Ok(())
    })?;
    Ok(r)
}

/// The speed limit extraction is compared with: reads every article under `paths` the
/// way ingest does (inputs that cannot be read are passed over) and scans each text once
/// for every phrase of the lexicon ([`ReferenceScan`]), on one thread.
pub fn reference_pass(paths: &[PathBuf], opts: &IngestOptions) -> ReferenceReport {
    let built = Instant::now();
    let scanner = ReferenceScan::new();
    let mut r = ReferenceReport {
        patterns: scanner.patterns(),
        build: built.elapsed(),
        ..ReferenceReport::default()
    };
    let began = Instant::now();
    let (inputs, _) = collect_inputs(paths);
    for input in &inputs {
        for (_, item) in input.items(opts.max_article_bytes) {
            let Ok(read) = item else { continue };
            let text = read.document.text();
            let scan_began = Instant::now();
            r.matches += scanner.count(text) as u64;
            r.scan += scan_began.elapsed();
            r.articles += 1;
            r.text_bytes += text.len() as u64;
        }
    }
    r.wall = began.elapsed();
    r
}

/// The most memory this process has held at once (its peak resident set, `VmHWM`), in
/// bytes; `None` where the system does not say (only Linux's `/proc` is read).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            let peak = peak_memory().expect("VmHWM");
            assert!(peak > 1 << 20, "{peak} bytes");
        }
    }

    /// A folder of two articles (25 and 32 bytes) and a file that is not text.
    fn two_articles_and_a_binary() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Talks in Paris on Monday.").unwrap();
        std::fs::write(dir.path().join("b.txt"), "The Prime Minister condemned it.").unwrap();
        std::fs::write(dir.path().join("c.txt"), [0xffu8, 0xfe, 0x00]).unwrap();
        dir
    }

    #[test]
    fn the_extraction_pass_extracts_every_article_on_one_thread() {
        let dir = two_articles_and_a_binary();
        let r = extraction_pass(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
        assert_eq!(r.articles, 2);
        assert_eq!(r.text_bytes, 25 + 32);
        assert!(r.stages.total() > Duration::ZERO);
        // The stages are timed inside each article's extraction.
        assert!(r.stages.total() <= r.wall, "{r:?}");
    }

    #[test]
    fn the_reference_pass_reads_every_article_and_finds_phrases() {
        let dir = two_articles_and_a_binary();
        let r = reference_pass(&[dir.path().to_path_buf()], &IngestOptions::default());
        assert_eq!(r.articles, 2);
        assert_eq!(r.text_bytes, 25 + 32);
        assert!(r.matches >= 3, "{r:?}");
        assert!(r.scan <= r.wall);
    }
}
