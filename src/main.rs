//! The `annals` command: ingest articles, ask questions, list and export the graph.
//!
//! A thin layer over the [`annals`] library: argument parsing, progress, and printing.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use annals::model::EntityKind;
use annals::{Annals, DatePrefix, ExportOptions, IngestOptions, NodeKind, ViewFormat, DEFAULT_DB};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};

/// The binary allocates with mimalloc: sled and the linking code allocate and free many
/// small values (tree nodes, records), and glibc's malloc spent much of a question's
/// time in page faults of fresh heap memory (docs/performance.md: 100k ingest 435 -> 289
/// s, "who said" on the 100k store 60-84 -> 51-66 ms). The library leaves the choice
/// to the program that embeds it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn news articles into an event knowledge graph, offline.
#[derive(Parser, Debug)]
#[command(name = "annals", version, about, long_about = None)]
struct Cli {
    /// The store folder.
    #[arg(long, global = true, env = "ANNALS_DB", default_value = DEFAULT_DB)]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

/// What to read, shared by `ingest` and `extract`.
#[derive(clap::Args, Debug)]
struct InputArgs {
    /// Files or folders: .txt/.md (with an optional manifest.json), .json, .jsonl.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for articles that do not give one.
    #[arg(long)]
    published: Option<String>,
    /// Skip articles larger than this many bytes.
    #[arg(long, default_value_t = annals::ingest::formats::DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: usize,
}

impl InputArgs {
    /// The ingest options these arguments ask for.
    fn options(&self) -> anyhow::Result<IngestOptions> {
        let published = self
            .published
            .as_ref()
            .map(|p| {
                annals::ingest::formats::normalize_date(p)
                    .with_context(|| format!("--published {p:?} is not a date like 2024-02-08"))
            })
            .transpose()?;
        Ok(IngestOptions {
            published,
            max_article_bytes: self.max_article_bytes,
            ..IngestOptions::default()
        })
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read articles from files and folders (recursively) into the store.
    ///
    /// Exit status: 0 when every input was stored (or was already stored), 3 when some
    /// inputs were skipped (each is reported with its reason; the rest were stored), 1 on
    /// an error or when nothing could be read.
    Ingest {
        #[command(flatten)]
        input: InputArgs,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Do not compact the store afterwards, even when it has grown (see `compact`).
        #[arg(long)]
        no_compact: bool,
    },
    /// Extract articles without a store: one JSON record per article (annals-extraction/1),
    /// the map step of a distributed job. `annals load` stores such files.
    Extract {
        #[command(flatten)]
        input: InputArgs,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Store records written by `annals extract`, linking them like a direct ingest.
    Load {
        /// JSON Lines files from `annals extract` (`-` for standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Do not compact the store afterwards, even when it has grown (see `compact`).
        #[arg(long)]
        no_compact: bool,
    },
    /// Measure an ingest: MB/s, articles/s, peak memory, store size, time per stage.
    ///
    /// Ingests the inputs into a fresh store (by default a temporary folder, removed
    /// afterwards; the global --db is not touched), compacts it as `ingest` would, and
    /// prints where the time went. Extraction stages are CPU time summed over its threads;
    /// storing runs on one thread alongside it. Peak memory is the whole process's.
    Bench {
        #[command(flatten)]
        input: InputArgs,
        /// Ingest into this folder instead (it must not exist or be empty), and keep it.
        #[arg(long)]
        store: Option<PathBuf>,
        /// Afterwards, time a reference pass: read every article again and scan it once
        /// for the lexicon's phrases (Aho-Corasick), the speed limit to compare with.
        #[arg(long)]
        reference: bool,
        /// Afterwards, time extraction alone: read every article again and extract it on
        /// one thread, with no store, stage by stage (extraction's speed on one core).
        #[arg(long)]
        extraction: bool,
        /// Do not compact the store at the end.
        #[arg(long)]
        no_compact: bool,
        /// Print the numbers as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Rewrite the store into a fresh file holding only its live data.
    ///
    /// The store's database is log-structured, so many small writes leave it several
    /// times its live data on disk, and a larger file is slower to open. `ingest` and
    /// `load` compact by themselves when the store has more than doubled since its last
    /// compaction and is over 64 MB. The copy is written beside the store and swapped in
    /// atomically: a crash leaves the old store or the new one, never neither.
    Compact,
    /// Write the graph in a format other tools read.
    ///
    /// The graph formats (dot, graphml, ntriples, turtle, neo4j) can be cut down. The
    /// filters apply in this order, and an edge is written only when both its ends are.
    ///
    /// First, --around NAME --depth N keeps the nodes within N edges of the entities
    /// called NAME.
    ///
    /// Then --since DATE and --until DATE (YYYY, YYYY-MM or YYYY-MM-DD) keep what is dated
    /// within the period, both ends included: --since starts on the first day DATE names,
    /// --until ends on its last (--until 2024-01 keeps 2024-01-31). An event, a quotation
    /// or a date is kept when the whole of its date lies in the period, so an event dated
    /// only 2024-01 is in --since 2024-01 --until 2024-02 but not in --since 2024-01-15
    /// (it may have happened earlier); anything undated is left out. People, groups and
    /// places are then kept only when they take part in or are the place of a kept event,
    /// or said a kept quotation.
    ///
    /// Last, --kinds and --no-quotes choose the kinds of node written: --kinds person
    /// --since 2024-01 --until 2024-01 lists the people of January's events and
    /// quotations, without the events themselves.
    Export {
        /// Output format.
        #[arg(long, short, value_enum)]
        format: ExportFormat,
        /// Only the neighbourhood of the entities with this name (graph formats).
        #[arg(long, value_name = "NAME")]
        around: Option<String>,
        /// How many edges from --around to follow.
        #[arg(long, default_value_t = 2, value_name = "N")]
        depth: usize,
        /// Only nodes of these kinds, comma-separated: person, group, place, date, event,
        /// quote (graph formats).
        #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
        kinds: Option<Vec<NodeKind>>,
        /// Only what is dated on or after this date: YYYY, YYYY-MM or YYYY-MM-DD, from its
        /// first day (graph formats).
        #[arg(long, value_name = "DATE")]
        since: Option<DatePrefix>,
        /// Only what is dated on or before this date: YYYY, YYYY-MM or YYYY-MM-DD, to its
        /// last day (graph formats).
        #[arg(long, value_name = "DATE")]
        until: Option<DatePrefix>,
        /// Leave quotations out (graph formats).
        #[arg(long)]
        no_quotes: bool,
        /// Write to this file (for neo4j: this folder) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Answer a question, e.g. `annals ask "who said blatant assassination"`.
    Ask {
        /// The question (quoted, or as several words).
        #[arg(required = true, num_args = 1..)]
        question: Vec<String>,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
        /// Show at most this many answers (and reports per answer); 0 shows all.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// List stored entities.
    Entities {
        /// Only this kind (person, group, place, date).
        #[arg(long)]
        kind: Option<EntityKind>,
        /// Print JSON (the export's entity records).
        #[arg(long)]
        json: bool,
    },
    /// List stored quotations.
    Quotes {
        /// Print JSON (the export's quote records).
        #[arg(long)]
        json: bool,
    },
    /// List stored events.
    Events {
        /// Print JSON (the export's event records, with place and actor names).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportFormat {
    /// The annals-export/1 JSON contract.
    Json,
    /// GraphViz DOT.
    Dot,
    /// GraphML (Gephi, yEd, NetworkX).
    Graphml,
    /// RDF N-Triples, with provenance on statements.
    Ntriples,
    /// RDF Turtle: the N-Triples statements with prefixes.
    Turtle,
    /// Neo4j bulk-import CSV: nodes.csv and relationships.csv in the --output folder.
    Neo4j,
}

/// Writes a line to standard output, turning a failed write (a closed pipe, as in
/// `annals entities | head`) into an error instead of a panic.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(io::stdout().lock(), $($arg)*)?
    };
}

/// Writes to standard output without a newline; see [`outln`].
macro_rules! out {
    ($($arg:tt)*) => {
        write!(io::stdout().lock(), $($arg)*)?
    };
}

/// Whether an error is a closed standard output (the reader went away).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::SomeSkipped) => ExitCode::from(EXIT_SKIPPED),
        // A reader that stopped reading (`| head`) is not a failure of ours.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let mut msg = format!("error: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn open(db: &PathBuf) -> anyhow::Result<Annals> {
    Ok(Annals::open_existing(db)?)
}

/// Prints the warnings, skipped inputs and the summary of an ingest or load.
/// Prints events as `annals events` shows them, one at a time: a line each with its
/// reports, or (`--json`) a JSON array of the export's event records with the names of
/// places and actors added.
struct EventPrinter<'a> {
    out: &'a mut dyn Write,
    names: &'a std::collections::HashMap<String, String>,
    json: bool,
    count: usize,
}

impl EventPrinter<'_> {
    fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "?".to_string())
    }

    fn print(&mut self, ev: annals::graph::export::json::ExportEvent) -> anyhow::Result<()> {
        if self.json {
            let mut v = serde_json::to_value(&ev)?;
            v["place_names"] = ev.places.iter().map(|p| self.name(p)).collect();
            for (a, actor) in ev.actors.iter().zip(
                v["actors"]
                    .as_array_mut()
                    .map(|x| x.iter_mut())
                    .into_iter()
                    .flatten(),
            ) {
                actor["name"] = self.name(&a.entity).into();
            }
            // As serde_json prints a whole array: each record indented one level.
            self.out
                .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
            annals::graph::export::json::write_indented(self.out, &v, 1)?;
        } else {
            let places: Vec<String> = ev.places.iter().map(|p| self.name(p)).collect();
            let actors: Vec<String> = ev
                .actors
                .iter()
                .map(|a| format!("{}={}", a.role, self.name(&a.entity)))
                .collect();
            let count = ev.count.map(|c| format!(" x{c}")).unwrap_or_default();
            writeln!(
                self.out,
                "{:<6} {:<5} {:<24} {:<10} {:<12} at [{}] actors [{}]{} {} mention(s)",
                ev.id,
                ev.cameo,
                ev.label,
                ev.date.as_deref().unwrap_or("-"),
                ev.modality,
                places.join(", "),
                actors.join(", "),
                count,
                ev.mentions.len()
            )?;
            for m in &ev.mentions {
                writeln!(
                    self.out,
                    "         {} {}..{} “{}”",
                    m.doc, m.start, m.end, m.text
                )?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Ends the JSON array.
    fn finish(&mut self) -> anyhow::Result<()> {
        if self.json {
            self.out
                .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

impl annals::graph::export::json::Sink for EventPrinter<'_> {
    fn event(&mut self, ev: annals::graph::export::json::ExportEvent) -> annals::graph::Result<()> {
        self.print(ev).map_err(|e| {
            annals::graph::StoreError::Write(match e.downcast::<io::Error>() {
                Ok(io) => io,
                Err(other) => io::Error::other(other.to_string()),
            })
        })
    }
}

/// Every entity's name by its id as the export writes it ("e12").
fn entity_names(annals: &Annals) -> anyhow::Result<std::collections::HashMap<String, String>> {
    Ok(annals
        .store()
        .entities()?
        .into_iter()
        .map(|e| (e.id.to_string(), e.name))
        .collect())
}

/// Compacts the store when it has grown enough since its last compaction. A failed
/// compaction (a full disk) leaves the store as it was: a warning, not an error, since
/// what was ingested is stored.
fn compact_if_grown(annals: Annals) -> anyhow::Result<()> {
    if annals.should_compact()? {
        let path = annals.store().path().to_path_buf();
        match annals.compact() {
            Ok((_, before, after)) => {
                eprintln!("compacted {}: {}", path.display(), sizes(before, after))
            }
            Err(e) => eprintln!(
                "warning: could not compact {} ({e}); the store is intact, `annals compact` retries",
                path.display()
            ),
        }
    }
    Ok(())
}

/// `annals bench`: see [`Command::Bench`].
fn run_bench(
    input: &InputArgs,
    store: Option<PathBuf>,
    passes: Passes,
    no_compact: bool,
    json: bool,
) -> anyhow::Result<Outcome> {
    let opts = input.options()?;
    let (dir, keep) = match store {
        Some(p) => {
            let used = std::fs::read_dir(&p).is_ok_and(|mut d| d.next().is_some());
            if used {
                bail!(
                    "--store {} is not empty: bench measures an ingest into a fresh store",
                    p.display()
                );
            }
            (p, true)
        }
        None => (
            std::env::temp_dir().join(format!("annals-bench-{}", std::process::id())),
            false,
        ),
    };
    let result = bench_into(&dir, &input.paths, &opts, passes, no_compact);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let b = result?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&b.to_json())?);
    } else {
        b.print()?;
    }
    Ok(if b.skipped > 0 {
        Outcome::SomeSkipped
    } else {
        Outcome::Done
    })
}

/// The passes `annals bench` runs after the ingest.
#[derive(Clone, Copy, Debug)]
struct Passes {
    /// The reference pass (`--reference`).
    reference: bool,
    /// Extraction alone on one thread (`--extraction`).
    extraction: bool,
}

/// The numbers `annals bench` prints.
struct BenchNumbers {
    times: annals::IngestTimes,
    stored: usize,
    duplicates: usize,
    skipped: usize,
    threads: usize,
    compaction: Option<(std::time::Duration, u64, u64)>,
    store_bytes: u64,
    peak: Option<u64>,
    reference: Option<annals::ReferenceReport>,
    extraction: Option<annals::ExtractionReport>,
}

fn bench_into(
    dir: &std::path::Path,
    paths: &[PathBuf],
    opts: &IngestOptions,
    passes: Passes,
    no_compact: bool,
) -> anyhow::Result<BenchNumbers> {
    let annals = Annals::open(dir)?;
    let (report, times) = annals.ingest_paths_timed(paths, opts, &mut |_| {})?;
    let mut annals = annals;
    let mut compaction = None;
    if !no_compact && !report.stored.is_empty() && annals.should_compact()? {
        let began = std::time::Instant::now();
        let (compacted, before, after) = annals.compact()?;
        compaction = Some((began.elapsed(), before, after));
        annals = compacted;
    }
    let store_bytes = annals.store().disk_size();
    drop(annals);
    let peak = annals::peak_memory();
    let extraction = match passes.extraction {
        true => Some(annals::extraction_pass(paths, opts)?),
        false => None,
    };
    let reference = passes
        .reference
        .then(|| annals::reference_pass(paths, opts));
    Ok(BenchNumbers {
        times,
        stored: report.stored.len(),
        duplicates: report.duplicates.len(),
        skipped: report.skipped.len(),
        threads: rayon::current_num_threads(),
        compaction,
        store_bytes,
        peak,
        reference,
        extraction,
    })
}

impl BenchNumbers {
    fn total(&self) -> std::time::Duration {
        self.times.wall + self.compaction.map(|c| c.0).unwrap_or_default()
    }

    fn to_json(&self) -> serde_json::Value {
        let t = &self.times;
        let s = |d: std::time::Duration| d.as_secs_f64();
        let stages = |pairs: &[(&str, std::time::Duration)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::json!(s(*v))))
                .collect::<serde_json::Map<_, _>>()
        };
        serde_json::json!({
            "articles": t.articles,
            "text_bytes": t.text_bytes,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "threads": self.threads,
            "ingest_seconds": s(t.wall),
            "compaction_seconds": self.compaction.map(|c| s(c.0)),
            "store_bytes_before_compaction": self.compaction.map(|c| c.1),
            "total_seconds": s(self.total()),
            "mb_per_second": mb_per_s(t.text_bytes, self.total()),
            "articles_per_second": per_s(t.articles as u64, self.total()),
            "peak_memory_bytes": self.peak,
            "store_bytes": self.store_bytes,
            "read_seconds": s(t.read),
            "extract_cpu_seconds": s(t.extract.total()),
            "extract_wall_seconds": s(t.extract_wall),
            "extract_stages_cpu_seconds": stages(&t.extract.stages()),
            "extract_waiting_seconds": s(t.extract_waiting),
            "store_seconds": s(t.store.total()),
            "store_steps_seconds": stages(&t.store.steps()),
            "store_waiting_seconds": s(t.store_waiting),
            "flush_seconds": s(t.flush),
            "extraction": self.extraction.map(|x| serde_json::json!({
                "articles": x.articles,
                "text_bytes": x.text_bytes,
                "seconds": s(x.wall),
                "mb_per_second": mb_per_s(x.text_bytes, x.wall),
                "articles_per_second": per_s(x.articles as u64, x.wall),
                "stages_seconds": stages(&x.stages.stages()),
            })),
            "reference": self.reference.map(|r| serde_json::json!({
                "articles": r.articles,
                "text_bytes": r.text_bytes,
                "patterns": r.patterns,
                "matches": r.matches,
                "build_seconds": s(r.build),
                "seconds": s(r.wall),
                "scan_seconds": s(r.scan),
                "mb_per_second": mb_per_s(r.text_bytes, r.wall),
                "articles_per_second": per_s(r.articles as u64, r.wall),
            })),
        })
    }

    fn print(&self) -> anyhow::Result<()> {
        let t = &self.times;
        let total = self.total();
        let mb = |b: u64| b as f64 / 1e6;
        outln!(
            "input      {} articles, {:.1} MB of text: {} stored, {} already stored, {} skipped",
            t.articles,
            mb(t.text_bytes),
            self.stored,
            self.duplicates,
            self.skipped
        );
        outln!(
            "ingest     {:>8.2} s  {:>6.2} MB/s  {:>7.0} articles/s",
            t.wall.as_secs_f64(),
            mb_per_s(t.text_bytes, t.wall),
            per_s(t.articles as u64, t.wall)
        );
        if let Some((d, before, after)) = self.compaction {
            outln!(
                "compaction {:>8.2} s  ({})",
                d.as_secs_f64(),
                sizes(before, after)
            );
        }
        outln!(
            "total      {:>8.2} s  {:>6.2} MB/s  {:>7.0} articles/s",
            total.as_secs_f64(),
            mb_per_s(t.text_bytes, total),
            per_s(t.articles as u64, total)
        );
        match self.peak {
            Some(p) => outln!("peak       {:>8.1} MB of memory", mb(p)),
            None => outln!("peak       (this system does not report peak memory)"),
        }
        outln!(
            "store      {:>8.1} MB on disk, {:.2} times the text",
            mb(self.store_bytes),
            self.store_bytes as f64 / (t.text_bytes.max(1)) as f64
        );
        outln!(
            "stages (extraction: CPU time summed over {} threads; storing: one thread)",
            self.threads
        );
        let line = |name: &str, d: std::time::Duration, rate: bool| -> io::Result<()> {
            let mut o = io::stdout().lock();
            write!(o, "  {name:<22} {:>8.2} s", d.as_secs_f64())?;
            if rate {
                write!(o, "  {:>7.2} MB/s", mb_per_s(t.text_bytes, d))?;
            }
            writeln!(o)
        };
        line("read", t.read, true)?;
        line("extract", t.extract.total(), true)?;
        for (name, d) in t.extract.stages() {
            line(&format!("  {name}"), d, true)?;
        }
        line("  (wall)", t.extract_wall, false)?;
        line("store", t.store.total(), true)?;
        for (name, d) in t.store.steps() {
            line(&format!("  {name}"), d, true)?;
        }
        line("  waiting for batches", t.store_waiting, false)?;
        line("flush", t.flush, false)?;
        if let Some(x) = &self.extraction {
            outln!(
                "extraction {:>8.2} s  {:>6.2} MB/s  {:>7.0} articles/s  (extraction alone: one thread, no store; reading the files not timed)",
                x.wall.as_secs_f64(),
                mb_per_s(x.text_bytes, x.wall),
                per_s(x.articles as u64, x.wall)
            );
            for (name, d) in x.stages.stages() {
                outln!(
                    "  {:<22} {:>8.2} s  {:>7.2} MB/s",
                    format!("  {name}"),
                    d.as_secs_f64(),
                    mb_per_s(x.text_bytes, d)
                );
            }
        }
        if let Some(r) = &self.reference {
            outln!(
                "reference  {:>8.2} s  {:>6.2} MB/s  {:>7.0} articles/s  (read + one scan for {} lexicon phrases, one thread; scan alone {:.2} s, {:.1} MB/s; {} found)",
                r.wall.as_secs_f64(),
                mb_per_s(r.text_bytes, r.wall),
                per_s(r.articles as u64, r.wall),
                r.patterns,
                r.scan.as_secs_f64(),
                mb_per_s(r.text_bytes, r.scan),
                r.matches
            );
        }
        Ok(())
    }
}

fn mb_per_s(bytes: u64, d: std::time::Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn per_s(n: u64, d: std::time::Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

/// "471.2 MB -> 163.0 MB on disk".
fn sizes(before: u64, after: u64) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    format!("{:.1} MB -> {:.1} MB on disk", mb(before), mb(after))
}

fn print_summary(db: &std::path::Path, report: &annals::IngestReport) -> anyhow::Result<()> {
    let mut err = io::stderr().lock();
    for w in &report.warnings {
        writeln!(err, "warning: {w}")?;
    }
    for s in &report.skipped {
        writeln!(err, "skipped {}: {}", s.source, s.reason)?;
    }
    let t = report.totals;
    outln!(
        "ingested into {}: {} stored, {} already stored, {} skipped",
        db.display(),
        report.stored.len(),
        report.duplicates.len(),
        report.skipped.len()
    );
    outln!(
        "linked {} entity clusters and {} event mentions to what was stored",
        report.linked_entities,
        report.merged_events
    );
    outln!(
        "store holds {} articles, {} entities, {} quotes, {} events",
        t.documents,
        t.entities,
        t.quotes,
        t.events
    );
    Ok(())
}

/// The outcome of an ingest, load or extract run from its report.
fn finish_ingest(report: &annals::IngestReport) -> anyhow::Result<Outcome> {
    if report.stored.is_empty() && report.duplicates.is_empty() && !report.skipped.is_empty() {
        bail!("no article could be read");
    }
    Ok(if report.skipped.is_empty() {
        Outcome::Done
    } else {
        Outcome::SomeSkipped
    })
}

fn out_or_stdout(output: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match output {
        Some(p) => Box::new(io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    })
}

/// Exit status of an ingest that stored what it could but skipped some inputs.
const EXIT_SKIPPED: u8 = 3;

/// How a command ended, when it did not fail.
enum Outcome {
    /// Everything asked was done.
    Done,
    /// An ingest skipped some inputs (each reported with its reason).
    SomeSkipped,
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Ingest {
            input,
            quiet,
            no_compact,
        } => {
            let opts = input.options()?;
            let annals = Annals::open(&cli.db)?;
            let bar = (!quiet && io::stderr().is_terminal()).then(|| {
                let b = indicatif::ProgressBar::new(0);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {msg}")
                        .expect("static template"),
                );
                b
            });
            let report = annals.ingest_paths(&input.paths, &opts, &mut |p| {
                if let Some(b) = &bar {
                    b.set_length(p.total as u64);
                    b.set_position(p.done as u64);
                }
            })?;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            print_summary(&cli.db, &report)?;
            if !no_compact && !report.stored.is_empty() {
                compact_if_grown(annals)?;
            }
            finish_ingest(&report)
        }
        Command::Extract { input, output } => {
            let opts = input.options()?;
            let mut out = out_or_stdout(&output)?;
            let report = annals::extract_paths(&input.paths, &opts, &mut out, &mut |_| {})?;
            out.flush()?;
            let mut err = io::stderr().lock();
            for s in &report.skipped {
                writeln!(err, "skipped {}: {}", s.source, s.reason)?;
            }
            writeln!(
                err,
                "extracted {} articles, {} skipped",
                report.stored.len(),
                report.skipped.len()
            )?;
            finish_ingest(&report)
        }
        Command::Load { files, no_compact } => {
            let annals = Annals::open(&cli.db)?;
            let mut total = annals::IngestReport::default();
            for f in &files {
                let name = f.display().to_string();
                let report = if name == "-" {
                    annals.load("<stdin>", &mut io::stdin().lock())?
                } else {
                    let file =
                        std::fs::File::open(f).with_context(|| format!("cannot read {name}"))?;
                    annals.load(&name, &mut io::BufReader::new(file))?
                };
                total.stored.extend(report.stored);
                total.duplicates.extend(report.duplicates);
                total.skipped.extend(report.skipped);
                total.linked_entities += report.linked_entities;
                total.merged_events += report.merged_events;
                total.totals = report.totals;
            }
            print_summary(&cli.db, &total)?;
            if !no_compact && !total.stored.is_empty() {
                compact_if_grown(annals)?;
            }
            finish_ingest(&total)
        }
        Command::Bench {
            input,
            store,
            reference,
            extraction,
            no_compact,
            json,
        } => run_bench(
            &input,
            store,
            Passes {
                reference,
                extraction,
            },
            no_compact,
            json,
        ),
        Command::Compact => {
            let (_, before, after) = open(&cli.db)?.compact()?;
            outln!("compacted {}: {}", cli.db.display(), sizes(before, after));
            Ok(Outcome::Done)
        }
        Command::Export {
            format,
            around,
            depth,
            kinds,
            since,
            until,
            no_quotes,
            output,
        } => {
            let opts = ExportOptions {
                around,
                depth,
                no_quotes,
                kinds,
                since,
                until,
            };
            if matches!(format, ExportFormat::Json) && opts != ExportOptions::default() {
                bail!(
                    "--around, --depth, --kinds, --since, --until and --no-quotes apply to the \
                     graph formats (dot, graphml, ntriples, turtle, neo4j); json always holds \
                     everything"
                );
            }
            let annals = open(&cli.db)?;
            let view_format = match format {
                ExportFormat::Json => None,
                ExportFormat::Dot => Some(ViewFormat::Dot),
                ExportFormat::Graphml => Some(ViewFormat::GraphMl),
                ExportFormat::Ntriples => Some(ViewFormat::NTriples),
                ExportFormat::Turtle => Some(ViewFormat::Turtle),
                ExportFormat::Neo4j => {
                    let Some(dir) = output else {
                        bail!("--format neo4j writes two files: give a folder with --output DIR");
                    };
                    annals.export_neo4j(&dir, &opts)?;
                    return Ok(Outcome::Done);
                }
            };
            // Check the filters (an unknown --around name, an empty period) before
            // creating the output file.
            annals.selection(&opts)?;
            let mut out = out_or_stdout(&output)?;
            match view_format {
                Some(f) => annals.export(f, &mut out, &opts)?,
                None => annals.export_json(&mut out)?,
            }
            out.flush()?;
            Ok(Outcome::Done)
        }
        Command::Ask {
            question,
            json,
            limit,
        } => {
            let question = question.join(" ");
            // Without a store, a question outside the grammar still gets the grammar.
            if !cli.db.exists() {
                annals::query::parse(&question)?;
            }
            let annals = open(&cli.db)?;
            let answer = annals.ask_with(&question, &annals::query::AskOptions { limit })?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                out!("{answer}");
            }
            // A question writes nothing, and freeing sled's page cache one node at a time
            // took a tenth of a question's time on a large store: the process is about to
            // end, so leave that to the operating system.
            std::mem::forget(annals);
            Ok(Outcome::Done)
        }
        Command::Entities { kind, json } => {
            let annals = open(&cli.db)?;
            let export = annals::graph::export::json::build_only(
                annals.store(),
                &[annals::graph::export::json::Section::Entities],
            )?;
            let list: Vec<_> = export
                .entities
                .into_iter()
                .filter(|e| kind.is_none_or(|k| k.as_str() == e.kind))
                .collect();
            if json {
                outln!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(Outcome::Done);
            }
            for e in list {
                let docs: std::collections::BTreeSet<&str> =
                    e.mentions.iter().map(|m| m.doc.as_str()).collect();
                let value = match &e.value {
                    Some(Some(v)) => format!(" = {v}"),
                    Some(None) => " = (unresolved)".to_string(),
                    None => String::new(),
                };
                outln!(
                    "{:<6} {:<6} {}{}  ({} mentions in {} articles; aliases: {})",
                    e.id,
                    e.kind,
                    e.name,
                    value,
                    e.mentions.len(),
                    docs.len(),
                    e.aliases.join(" | ")
                );
            }
            Ok(Outcome::Done)
        }
        Command::Quotes { json } => {
            let annals = open(&cli.db)?;
            let export = annals::graph::export::json::build_only(
                annals.store(),
                &[annals::graph::export::json::Section::Quotes],
            )?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&export.quotes)?);
                return Ok(Outcome::Done);
            }
            let names = entity_names(&annals)?;
            for q in &export.quotes {
                let speaker = q
                    .speaker
                    .as_deref()
                    .map(|s| names.get(s).map(String::as_str).unwrap_or(s))
                    .unwrap_or("(no speaker)");
                let text = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
                outln!("{:<6} {:<4} {}: “{}”", q.id, q.doc, speaker, text);
            }
            Ok(Outcome::Done)
        }
        Command::Events { json } => {
            let annals = open(&cli.db)?;
            let names = entity_names(&annals)?;
            let mut out = io::BufWriter::new(io::stdout().lock());
            let mut printer = EventPrinter {
                out: &mut out,
                names: &names,
                json,
                count: 0,
            };
            annals::graph::export::json::walk(
                annals.store(),
                &mut printer,
                &[annals::graph::export::json::Section::Events],
            )?;
            printer.finish()?;
            out.flush()?;
            Ok(Outcome::Done)
        }
    }
}
