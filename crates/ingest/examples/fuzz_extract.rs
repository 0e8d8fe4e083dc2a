//! A mutation fuzzer for the extractor that runs on stable Rust.
//!
//! `cargo run --release -p annals-ingest --example fuzz_extract -- [SECONDS] [SEED]`
//!
//! Starts from the bundled articles and hostile snippets, mutates them (splices, repeats,
//! inserted quotation marks, capitals, control and bidi characters, truncation at any
//! character) and checks on every case that extraction does not panic, that its output
//! validates against the text, and that it is deterministic. The first failing input is
//! written to `fuzz-failure.txt` and the run exits with status 1. `.ci/run` runs it for a
//! bounded time.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use annals_ingest::{extract, Document, DocumentMeta};

/// xorshift64*: small, fast, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    "\u{201c}",
    "\u{201d}",
    "\"",
    "'",
    "\u{2019}",
    "''",
    "(",
    ")",
    ":",
    "\n",
    "\n\n",
    " said ",
    " told reporters ",
    "Mr. ",
    "Gen. ",
    "al-",
    " of the ",
    "Ministry of ",
    " Jr.",
    "U.S.",
    "BAGHDAD \u{2014} ",
    "on Thursday",
    "last month",
    "January 3, 2020",
    "four years ago",
    "\u{200f}",
    "\u{202e}",
    "\u{0}",
    "\u{7}",
    "\u{feff}",
    "\u{1f600}",
    "\u{e9}",
    "\u{4e2d}",
    "ALL CAPS HEADLINE ",
    "Read More",
    "Copyright 2024",
    "by Jane Roe\n",
    "(UN)",
    " 160 times ",
];

/// Rounds `i` down to a character boundary of `s`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, seeds: &[String], mut s: String) -> String {
    for _ in 0..1 + rng.below(4) {
        let at = floor(&s, rng.below(s.len() + 1));
        match rng.below(7) {
            0 => s.insert_str(at, SNIPPETS[rng.below(SNIPPETS.len())]),
            1 => {
                let end = floor(&s, at + rng.below(200));
                s.replace_range(at..end, "");
            }
            2 => {
                let end = floor(&s, at + rng.below(40));
                let piece = s[at..end].repeat(1 + rng.below(50));
                s.insert_str(at, &piece);
            }
            3 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = floor(other, rng.below(other.len() + 1));
                let to = floor(other, from + rng.below(400));
                s.insert_str(at, &other[from..to]);
            }
            4 => {
                let end = floor(&s, at + rng.below(100));
                let upper = s[at..end].to_uppercase();
                s.replace_range(at..end, &upper);
            }
            5 => {
                let mark = SNIPPETS[rng.below(3)];
                s.insert_str(at, &mark.repeat(1 + rng.below(300)));
            }
            _ => s.truncate(at),
        }
    }
    s
}

fn check(text: &str, published: Option<&str>) -> Result<(), String> {
    let mut meta = DocumentMeta::new("fuzz.txt");
    meta.published = published.map(str::to_string);
    let doc = Document::new(meta, text.to_string());
    let first = catch_unwind(AssertUnwindSafe(|| extract(&doc)))
        .map_err(|_| "extract panicked".to_string())?;
    first
        .validate(text)
        .map_err(|e| format!("invalid output: {e}"))?;
    let second = catch_unwind(AssertUnwindSafe(|| extract(&doc)))
        .map_err(|_| "extract panicked on the second run".to_string())?;
    if first != second {
        return Err("extraction is not deterministic".into());
    }
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0x5eed);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles");
    let mut seeds: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default();
    seeds.sort();
    seeds.extend(SNIPPETS.iter().map(|s| s.repeat(20)));
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut cases, mut bytes) = (0u64, 0usize);
    while Instant::now() < deadline {
        let base = seeds[rng.below(seeds.len())].clone();
        let text = mutate(&mut rng, &seeds, base);
        let published = ["2024-02-08", "1999-12-31"].get(rng.below(3)).copied();
        if let Err(why) = check(&text, published) {
            std::fs::write("fuzz-failure.txt", &text).ok();
            eprintln!("fuzz: {why} after {cases} cases (seed {seed}); input in fuzz-failure.txt");
            std::process::exit(1);
        }
        cases += 1;
        bytes += text.len();
    }
    println!(
        "fuzz: {cases} cases, {:.1} MB, no failure in {seconds} s (seed {seed})",
        bytes as f64 / 1e6
    );
}
