//! Extraction speed on the bundled articles: whole articles one at a time, all five, and
//! each stage of the pipeline on all five (timed with `extract_timed`).
//!
//! `cargo bench -p annals-ingest --bench extract`. Throughput is reported in bytes, so
//! criterion prints MB/s next to the time per article; a stage's MB/s is the rate the
//! whole pipeline would have if every stage were that fast.

use std::path::Path;

use annals_ingest::formats::{read_text, DEFAULT_MAX_ARTICLE_BYTES};
use annals_ingest::{extract, extract_timed, Document, DocumentMeta, StageTimes};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn articles() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("data/articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let mut meta = DocumentMeta::new(p.to_string_lossy());
            meta.published = Some("2024-02-08".into());
            let bytes = std::fs::read(p).expect("article");
            read_text(&bytes, meta, DEFAULT_MAX_ARTICLE_BYTES)
                .expect("bundled article reads")
                .document
        })
        .collect()
}

fn bench_extract(c: &mut Criterion) {
    let docs = articles();
    let mut group = c.benchmark_group("extract");
    for doc in &docs {
        let name = Path::new(&doc.meta().source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        group.throughput(Throughput::Bytes(doc.text().len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(&name[..3]), doc, |b, d| {
            b.iter(|| extract(d))
        });
    }
    let total: usize = docs.iter().map(|d| d.text().len()).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("all five", |b| b.iter(|| docs.iter().map(extract).count()));
    group.finish();
}

fn bench_stages(c: &mut Criterion) {
    let docs = articles();
    let total: usize = docs.iter().map(|d| d.text().len()).sum();
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(total as u64));
    let names: Vec<&str> = StageTimes::default().stages().iter().map(|s| s.0).collect();
    for (i, name) in names.into_iter().enumerate() {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut t = StageTimes::default();
                for _ in 0..iters {
                    for d in &docs {
                        std::hint::black_box(extract_timed(d, &mut t));
                    }
                }
                t.stages()[i].1
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_extract, bench_stages);
criterion_main!(benches);
