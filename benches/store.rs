//! Storing and asking: adding an extracted article to a store that already holds the
//! bundled articles and 1,000 generated ones, and the main question forms on that store.
//!
//! `cargo bench --bench store`. The generated articles are built like `annals-corpus`
//! builds them (`cargo run --release -p annals-corpus`), here by reusing the bundled
//! articles with a number appended so that none is a duplicate.

use std::path::Path;

use annals::ingest::formats::DEFAULT_MAX_ARTICLE_BYTES;
use annals::model::Document;
use annals::Annals;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// The bundled articles, read as `annals ingest` reads them (manifest metadata included).
fn bundled() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let (inputs, _) = annals::collect_inputs(&[dir]);
    inputs
        .iter()
        .flat_map(|input| input.items(DEFAULT_MAX_ARTICLE_BYTES))
        .map(|(_, read)| read.expect("bundled article reads").document)
        .collect()
}

/// The `n`th variant of a bundled article: its text with a numbered line appended,
/// published `n` days after 2024-02-08.
fn variant(docs: &[Document], n: usize) -> Document {
    let d = &docs[n % docs.len()];
    let mut meta = d.meta().clone();
    meta.source = format!("{}#{n}", meta.source);
    let day =
        chrono::NaiveDate::from_ymd_opt(2024, 2, 8).unwrap() + chrono::Days::new(n as u64 % 400);
    meta.published = Some(day.format("%Y-%m-%d").to_string());
    Document::new(meta, format!("{}\n\n(report {n})\n", d.text()))
}

fn store_with(docs: &[Document], n: usize) -> (tempfile::TempDir, Annals) {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    for i in 0..n {
        annals.ingest_document(variant(docs, i)).unwrap();
    }
    (dir, annals)
}

fn bench_store(c: &mut Criterion) {
    let docs = bundled();
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    let (_dir, annals) = store_with(&docs, 1000);
    let mut next = 1_000_000;
    let sample = variant(&docs, 0);
    group.throughput(Throughput::Bytes(sample.text().len() as u64));
    // Extraction happens in the setup: only `Store::add` (linking and the commit) is timed.
    group.bench_function("add one article to 1,005", |b| {
        b.iter_batched(
            || {
                next += 1;
                let d = variant(&docs, next);
                let x = annals::ingest::extract(&d);
                (d, x)
            },
            |(d, x)| annals.store().add(&d, &x).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut group = c.benchmark_group("ask");
    for q in [
        "who said blatant assassination",
        "who said zz",
        "when was the drone strike in Baghdad",
        "where was the drone strike",
        "who is Kataib Hezbollah",
    ] {
        group.bench_function(q, |b| b.iter(|| annals.ask(q).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
