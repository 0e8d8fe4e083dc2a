//! Crash consistency: an ingest killed with SIGKILL at random moments leaves a store that
//! opens, holds every article entirely or not at all, and a re-run finishes the job with
//! the same result as an uninterrupted run.
//!
//! The corpus is generated here (no checked-in data): small news-like articles with
//! varied names, places and dates, so the store sees linking, quotes and events.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use annals::graph::export::json;
use annals::graph::Store;

const PEOPLE: &[&str] = &[
    "Maria Lopez",
    "Tomas Berg",
    "Aisha Karim",
    "Daniel Okafor",
    "Lena Fischer",
    "Omar Haddad",
    "Sofia Rossi",
    "Kenji Sato",
];
const PLACES: &[&str] = &[
    "Rotterdam",
    "Nairobi",
    "Lima",
    "Oslo",
    "Ankara",
    "Manila",
    "Lagos",
    "Quito",
];
const GROUPS: &[&str] = &[
    "Harbour Workers Union",
    "National Water Board",
    "Coastal Defence Command",
    "Green Transit Alliance",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// Writes `n` articles and their manifest into `dir`.
fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut manifest = Vec::new();
    for i in 0..n {
        let p = PEOPLE[i % PEOPLE.len()];
        let q = PEOPLE[(i * 3 + 1) % PEOPLE.len()];
        let place = PLACES[(i / 2) % PLACES.len()];
        let group = GROUPS[i % GROUPS.len()];
        let day = DAYS[i % DAYS.len()];
        let text = format!(
            "Officials Meet In {place}\n\nThe {group} condemned the closure of the port in {place} on {day}, \
             and {p} said talks would resume.\n\n\"We will not accept this,\" {p} said. \
             {q}, the spokesperson for the {group}, told reporters that {} workers had protested in {place}.\n\n\
             Later, {q} warned that a strike could follow if the talks failed.\n",
            10 + i
        );
        let name = format!("{i:04}.txt");
        std::fs::write(dir.join(&name), text).unwrap();
        manifest.push(format!(
            "{{\"file\": \"{name}\", \"published\": \"2023-05-{:02}\"}}",
            1 + i % 28
        ));
    }
    std::fs::write(
        dir.join("manifest.json"),
        format!("{{\"articles\": [{}]}}", manifest.join(",")),
    )
    .unwrap();
}

/// Every word of every stored quote finds that quote, at its position, through the word
/// index, and the index gives the quote's speaker; the event indexes agree with the
/// records (`Store::check_event_indexes`).
fn indexes_agree_with_records(store: &Store) {
    let quotes = store.quotes().unwrap();
    for q in &quotes {
        let text = store.span_text(q.prov).unwrap().unwrap();
        for (i, w) in annals::model::normalize::words(&text).iter().enumerate() {
            assert!(
                store
                    .quote_postings(w)
                    .unwrap()
                    .positions(q.id)
                    .contains(&(i as u32)),
                "{w:?} (word {i}) of {} is not indexed",
                q.id
            );
        }
    }
    let ids: Vec<_> = quotes.iter().map(|q| q.id).collect();
    let speakers: Vec<_> = quotes.iter().map(|q| q.speaker).collect();
    assert_eq!(store.quote_speakers(&ids).unwrap(), speakers);
    // Every event's report count, head and linking-index entries agree with its record
    // and its reports.
    assert_eq!(store.check_event_indexes().unwrap(), Vec::<String>::new());
}

fn ingest_cmd(db: &Path, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_annals"));
    c.arg("--db").arg(db).arg("ingest").arg("--quiet").arg(dir);
    // Compact after every run that stores something, so kills also land in compactions.
    c.env("ANNALS_COMPACT_MIN_BYTES", "1");
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    json::write(store, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Per document source: (mentions, quotes, event mentions) stored for it.
type DocCounts = BTreeMap<String, (usize, usize, usize)>;

/// [`DocCounts`] of a store.
fn per_document(store: &Store) -> DocCounts {
    let mut sources = BTreeMap::new();
    for d in store.documents().unwrap() {
        sources.insert(d.id, d.meta.source);
    }
    let mut out: DocCounts = sources.values().map(|s| (s.clone(), (0, 0, 0))).collect();
    for m in store.mentions().unwrap() {
        out.get_mut(&sources[&m.prov.doc]).unwrap().0 += 1;
    }
    for q in store.quotes().unwrap() {
        out.get_mut(&sources[&q.prov.doc]).unwrap().1 += 1;
    }
    for e in store.events().unwrap() {
        for m in e.mentions {
            out.get_mut(&sources[&m.prov.doc]).unwrap().2 += 1;
        }
    }
    out
}

/// Each stored article has exactly the mentions, quotes and event reports of an
/// uninterrupted run (`want`), every span still round-trips (the export re-reads them
/// all), and the quote word index, written apart from the articles, covers every quote.
fn stored_articles_are_whole(store: &Store, want: &DocCounts, trial: usize) {
    for (source, counts) in per_document(store) {
        assert_eq!(
            Some(&counts),
            want.get(&source),
            "trial {trial}: {source} is partly stored"
        );
    }
    export(store);
    indexes_agree_with_records(store);
}

/// Running the same ingest again succeeds and gives the uninterrupted run's export.
fn rerun_finishes_the_job(db: &Path, dir: &Path, want_export: &str, trial: usize) {
    let status = ingest_cmd(db, dir).status().unwrap();
    assert!(status.success(), "trial {trial}: the re-run failed");
    let store = Store::open(db).unwrap();
    indexes_agree_with_records(&store);
    assert!(
        export(&store) == want_export,
        "trial {trial}: the re-run's graph differs from an uninterrupted run"
    );
}

/// Writes the 80-article corpus under `tmp` and ingests it uninterrupted: the corpus,
/// the reference store, its export and what it holds per document.
fn reference_run(tmp: &Path) -> (PathBuf, PathBuf, String, DocCounts) {
    let dir = tmp.join("corpus");
    corpus(&dir, 80);
    let reference_db = tmp.join("reference");
    assert!(ingest_cmd(&reference_db, &dir).status().unwrap().success());
    let store = Store::open(&reference_db).unwrap();
    (dir, reference_db, export(&store), per_document(&store))
}

/// A small deterministic generator for kill times.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

#[test]
fn an_ingest_killed_at_random_moments_loses_nothing_and_finishes_on_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    corpus(&dir, 80);

    // The uninterrupted run, and how long it takes.
    let reference_db = tmp.path().join("reference");
    let start = Instant::now();
    assert!(ingest_cmd(&reference_db, &dir).status().unwrap().success());
    let took = start.elapsed();
    let (want_export, want_docs) = {
        let store = Store::open(&reference_db).unwrap();
        (export(&store), per_document(&store))
    };
    assert_eq!(want_docs.len(), 80);

    let mut rng = Lcg(20240208);
    let mut interrupted = 0;
    for trial in 0..6 {
        let db: PathBuf = tmp.path().join(format!("trial{trial}"));
        // Kill 1 to 3 times at random moments, then let a run finish.
        for _ in 0..1 + rng.next(3) {
            let mut child = ingest_cmd(&db, &dir).spawn().unwrap();
            let wait = Duration::from_millis(rng.next(took.as_millis() as u64 + 1));
            std::thread::sleep(wait);
            let killed = child.try_wait().unwrap().is_none();
            child.kill().ok();
            child.wait().unwrap();
            interrupted += usize::from(killed);

            // The store opens (removing what a killed compaction left beside it), and
            // each stored article is whole.
            let store = Store::open(&db).expect("a killed ingest leaves a store that opens");
            assert!(!tmp.path().join(format!("trial{trial}.compacting")).exists());
            stored_articles_are_whole(&store, &want_docs, trial);
        }
        rerun_finishes_the_job(&db, &dir, &want_export, trial);
    }
    assert!(
        interrupted > 0,
        "no run was actually interrupted; the corpus is too small"
    );
}

/// An ingest whose files cannot grow (a full disk, simulated with the file size limit
/// `ulimit -f` and SIGXFSZ ignored, so writes fail with an error as on a full disk
/// instead of killing the process) stops with a message that says what happened and
/// what to do; the store keeps what it held, whole, and the same command run again with
/// room to write finishes with the graph of an uninterrupted run.
#[cfg(target_os = "linux")]
#[test]
fn an_ingest_that_runs_out_of_disk_space_fails_clearly_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, reference_db, want_export, want_docs) = reference_run(tmp.path());
    // The largest file the uninterrupted run wrote, in ulimit's 1 KB blocks.
    let largest = std::fs::read_dir(&reference_db)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .max()
        .unwrap()
        / 1024;

    let mut refused = 0;
    for (trial, share) in [8u64, 4, 2].into_iter().enumerate() {
        let db = tmp.path().join(format!("full{trial}"));
        let limit = (largest / share).max(1);
        let out = Command::new("bash")
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f \"$1\"; shift; exec \"$@\"")
            .arg("bash")
            .arg(limit.to_string())
            .arg(env!("CARGO_BIN_EXE_annals"))
            .arg("--db")
            .arg(&db)
            .arg("ingest")
            .arg("--quiet")
            .arg(&dir)
            .env("ANNALS_COMPACT_MIN_BYTES", "1")
            .output()
            .unwrap();
        if !out.status.success() {
            refused += 1;
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("could not read or write its files: a file reached the size limit")
                    && stderr.contains("run the same command again"),
                "trial {trial} (limit {limit} KB): unclear message: {stderr}"
            );
            // Said once, not repeated by a chain of causes.
            assert_eq!(stderr.matches("size limit").count(), 1, "{stderr}");
        }
        if db.exists() {
            let store = Store::open(&db).expect("a store refused a write still opens");
            stored_articles_are_whole(&store, &want_docs, trial);
        }
        rerun_finishes_the_job(&db, &dir, &want_export, trial);
    }
    assert!(refused > 0, "no run reached the size limit");
}

/// Sets the permission bits of `path` and, for a folder, of everything in it.
#[cfg(unix)]
fn set_mode(path: &Path, file: u32, folder: u32) {
    use std::os::unix::fs::PermissionsExt;
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            set_mode(&e.unwrap().path(), file, folder);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(folder)).unwrap();
    } else {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(file)).unwrap();
    }
}

/// A store whose folder may not be written (read-only bits, or another user's store)
/// refuses an ingest and a question with a message that says the folder must be
/// writable, said once, and changes nothing; a new store in such a folder is not
/// created; once the folder is writable again the same ingest finishes with the graph
/// of an uninterrupted run. Permission bits do not stop root, so when this test runs as
/// root (as in CI) its children run as the unprivileged user 65534, from a copy of the
/// binary in a folder that user may read.
#[cfg(unix)]
#[test]
fn a_store_folder_that_may_not_be_written_is_refused_clearly_and_loses_nothing() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    set_mode(tmp.path(), 0o644, 0o755);
    let (dir, _, want_export, want_docs) = reference_run(tmp.path());

    // Half the articles stored, then the store's folder made read-only.
    let db = tmp.path().join("db");
    let mut first_half = ingest_cmd(&db, &dir.join("0000.txt"));
    first_half.args((1..40).map(|i| dir.join(format!("{i:04}.txt"))));
    assert!(first_half.status().unwrap().success());
    let before = export(&Store::open(&db).unwrap());
    set_mode(&db, 0o444, 0o555);
    let parent = tmp.path().join("read-only parent");
    std::fs::create_dir(&parent).unwrap();
    set_mode(&parent, 0o444, 0o555);

    // Root writes regardless of the bits: then the children drop to user 65534.
    let privileged = std::fs::write(db.join("probe"), b"").is_ok();
    if privileged {
        std::fs::remove_file(db.join("probe")).unwrap();
    }
    let binary = tmp.path().join("annals");
    std::fs::copy(env!("CARGO_BIN_EXE_annals"), &binary).unwrap();
    let run = |db: &Path, args: &[&str]| {
        let mut c = Command::new(&binary);
        c.arg("--db").arg(db).args(args);
        if privileged {
            c.uid(65534).gid(65534);
        }
        c.output().unwrap()
    };
    let dir_arg = dir.to_str().unwrap();
    for (what, db, args) in [
        ("an ingest", &db, vec!["ingest", "--quiet", dir_arg]),
        (
            "a question",
            &db,
            vec!["ask", "who said we will not accept this"],
        ),
        (
            "a new store",
            &parent.join("new.db"),
            vec!["ingest", dir_arg],
        ),
    ] {
        let out = run(db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{what} in a read-only folder succeeded"
        );
        assert!(
            stderr.contains("permission was denied; the store's folder must be writable"),
            "{what}: unclear message: {stderr}"
        );
        assert_eq!(stderr.matches("permission").count(), 1, "{stderr}");
    }
    assert_eq!(
        std::fs::read_dir(&parent).unwrap().count(),
        0,
        "a store was created"
    );

    set_mode(&db, 0o644, 0o755);
    let store = Store::open(&db).unwrap();
    assert!(
        export(&store) == before,
        "the refused runs changed the store"
    );
    assert_eq!(per_document(&store).len(), 40);
    stored_articles_are_whole(&store, &want_docs, 0);
    drop(store);
    rerun_finishes_the_job(&db, &dir, &want_export, 0);
}
