//! `annals-corpus`: writes a reproducible synthetic corpus from template articles.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use clap::{Parser, ValueEnum};

use annals_corpus::{generator, write_corpus, OutputFormat, Templates, WriteOptions};

/// Output formats on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// One .txt file per article, a manifest.json per shard folder.
    Txt,
    /// One .jsonl file per shard.
    Jsonl,
}

/// Generate a reproducible synthetic news corpus that `annals ingest` reads.
#[derive(Parser, Debug)]
#[command(name = "annals-corpus", version)]
struct Args {
    /// Template articles: files or folders, read as `annals ingest` reads them.
    #[arg(long = "articles", default_value = "data/articles", num_args = 1..)]
    articles: Vec<PathBuf>,
    /// How many articles to write.
    #[arg(long, default_value_t = 10_000)]
    count: u64,
    /// The seed: the same seed and arguments give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The output folder (absent or empty).
    #[arg(long)]
    out: PathBuf,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Txt)]
    format: Format,
    /// Articles per shard (folder or .jsonl file).
    #[arg(long, default_value_t = 1000)]
    per_shard: u64,
    /// The earliest publication day.
    #[arg(long, default_value = "2010-01-01")]
    from: NaiveDate,
    /// The latest publication day.
    #[arg(long, default_value = "2024-12-31")]
    to: NaiveDate,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let templates = Templates::read(&args.articles);
    for (source, reason) in &templates.skipped {
        eprintln!("skipped template {source}: {reason}");
    }
    if templates.documents.is_empty() {
        bail!("no template articles found in {:?}", args.articles);
    }
    let gen = generator(&templates.documents, args.seed).with_window(args.from, args.to);
    let opts = WriteOptions {
        count: args.count,
        per_shard: args.per_shard,
        format: match args.format {
            Format::Txt => OutputFormat::Text,
            Format::Jsonl => OutputFormat::JsonLines,
        },
    };
    let params = serde_json::json!({
        "generator": concat!("annals-corpus ", env!("CARGO_PKG_VERSION")),
        "templates": templates.documents.iter().map(|d| d.meta().source.clone()).collect::<Vec<_>>(),
        "count": args.count,
        "seed": args.seed,
        "format": format!("{:?}", args.format).to_lowercase(),
        "per_shard": args.per_shard,
        "from": args.from.to_string(),
        "to": args.to.to_string(),
    });
    let quiet = args.quiet;
    let count = args.count;
    let summary = write_corpus(&gen, &opts, &args.out, &params, &mut |done| {
        if !quiet && (done % 10_000 == 0 || done == count) {
            eprintln!("{done}/{count} articles");
        }
    })
    .with_context(|| format!("writing {}", args.out.display()))?;
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        println!(
            "wrote {} articles ({:.1} MB of text) from {} templates to {} in {:.2} s",
            summary.articles,
            summary.text_bytes as f64 / 1e6,
            gen.templates().len(),
            args.out.display(),
            secs
        );
    }
    Ok(())
}
