//! Export for other tools: ingest the bundled articles, then write the whole graph as
//! GraphML (Gephi, yEd, NetworkX) and the neighbourhood of one place in February 2024
//! as a second file, the way `annals export --format graphml` does.
//!
//! `cargo run --example export_graphml -- OUT_DIR` (default: a temporary folder).

use std::path::PathBuf;

use annals::{Annals, ExportOptions, IngestOptions, ViewFormat};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let out_dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&out_dir)?;
    let annals = Annals::open(tmp.path().join("annals.db"))?;
    let articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    annals.ingest_paths(&[articles], &IngestOptions::default(), &mut |_| {})?;

    let whole = out_dir.join("graph.graphml");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&whole)?);
    annals.export(ViewFormat::GraphMl, &mut file, &ExportOptions::default())?;
    drop(file);

    // Only what is within two edges of Baghdad and dated in February 2024.
    let opts = ExportOptions {
        around: Some("Baghdad".into()),
        since: Some("2024-02".parse()?),
        until: Some("2024-02".parse()?),
        ..ExportOptions::default()
    };
    let part = out_dir.join("baghdad-2024-02.graphml");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&part)?);
    annals.export(ViewFormat::GraphMl, &mut file, &opts)?;
    drop(file);

    for path in [&whole, &part] {
        let text = std::fs::read_to_string(path)?;
        println!(
            "{}: {} nodes, {} edges",
            path.display(),
            text.matches("<node ").count(),
            text.matches("<edge ").count()
        );
    }
    Ok(())
}
