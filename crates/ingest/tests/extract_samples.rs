//! Runs the extractor over the bundled sample articles: every extraction validates and
//! is deterministic. Set `ANNALS_DUMP=1` to print what was found (a development aid).

use annals_ingest::{extract, Document, DocumentMeta};

#[test]
fn sample_articles_validate_and_are_deterministic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/articles");
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let doc = Document::new(DocumentMeta::new(p.display().to_string()), text);
        let x = extract(&doc);
        assert_eq!(x.validate(doc.text()), Ok(()), "{}", p.display());
        assert_eq!(x, extract(&doc));
        if std::env::var_os("ANNALS_DUMP").is_some() {
            let t = doc.text();
            let sl = |s: annals_model::Span| &t[s.start()..s.end()];
            println!("=== {} published {:?}", p.display(), x.published);
            for e in &x.entities {
                let ms: Vec<&str> = e.mentions.iter().map(|m| sl(*m)).collect();
                println!("E {:?} {} {:?} {:?}", e.kind, e.name, e.value, ms);
            }
            for q in &x.quotes {
                let who = q.speaker.map(|s| x.entities[s].name.as_str());
                println!("Q {:?} -> {:?} ({:?})", sl(q.span), who, q.cue);
            }
            for v in &x.events {
                let acts: Vec<String> = v
                    .actors
                    .iter()
                    .map(|a| format!("{}:{}", a.role, x.entities[a.entity].name))
                    .collect();
                let pl: Vec<&str> = v
                    .places
                    .iter()
                    .map(|&p| x.entities[p].name.as_str())
                    .collect();
                println!(
                    "V {} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                    v.cameo,
                    sl(v.trigger),
                    v.date,
                    pl,
                    acts,
                    v.modality,
                    v.count,
                    v.label
                );
            }
            for r in &x.relations {
                println!(
                    "R {} {} {:?}",
                    x.entities[r.subject].name,
                    r.relation,
                    r.object.map(|o| &x.entities[o].name)
                );
            }
        }
    }
}
