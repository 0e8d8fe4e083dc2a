//! Every question form of `annals ask`, asked of the bundled articles through the
//! library, with its answer and its evidence checked against the article bytes.

use std::path::PathBuf;
use std::sync::OnceLock;

use annals::query::{Answer, AskOptions, Evidence, QueryError, Question};
use annals::{Annals, Error, IngestOptions};

/// The bundled articles, ingested once for every test here.
fn seeds() -> &'static Annals {
    static STORE: OnceLock<(tempfile::TempDir, Annals)> = OnceLock::new();
    &STORE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let annals = Annals::open(dir.path().join("db")).unwrap();
            let report = annals
                .ingest_paths(
                    &[PathBuf::from("data/articles")],
                    &IngestOptions::default(),
                    &mut |_| {},
                )
                .unwrap();
            assert_eq!(report.stored.len(), 5);
            (dir, annals)
        })
        .1
}

fn ask(q: &str) -> Answer {
    seeds()
        .ask_with(q, &AskOptions { limit: 0 })
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// The evidence's text is exactly the bytes it points at, and its sentence holds it.
fn round_trips(ev: &Evidence) {
    let text = std::fs::read_to_string(&ev.source).unwrap();
    assert_eq!(&text[ev.start..ev.end], ev.text, "{ev:?}");
    assert!(ev.sentence.contains(ev.text.trim()), "{ev:?}");
}

fn all_evidence(a: &Answer) -> Vec<&Evidence> {
    let mut out: Vec<&Evidence> = a.items.iter().flat_map(|i| &i.evidence).collect();
    if let Some(p) = &a.profile {
        out.extend(p.facts.iter().map(|f| &f.evidence));
        out.extend(p.events.iter().flat_map(|i| &i.evidence));
    }
    out.extend(
        a.connections
            .iter()
            .flat_map(|c| &c.steps)
            .flat_map(|s| &s.evidence),
    );
    assert!(!out.is_empty(), "{}: no evidence", a.question);
    out.iter().for_each(|e| round_trips(e));
    out
}

fn names(a: &Answer) -> Vec<&str> {
    a.items
        .iter()
        .filter_map(|i| i.entity.as_ref().map(|e| e.name.as_str()))
        .collect()
}

#[test]
fn who_said_names_the_speaker() {
    let a = ask("who said blatant assassination");
    assert!(names(&a).contains(&"Yahya Rasool"), "{a}");
    assert!(all_evidence(&a)
        .iter()
        .all(|e| e.text.to_lowercase().contains("assassination")));
    // A misspelling still finds it, through the index's one-edit variants.
    let b = ask("who said blatent asassination");
    assert!(names(&b).contains(&"Yahya Rasool"), "{b}");
}

#[test]
fn what_did_someone_say_about_a_topic() {
    let all = ask("what did Yahya Rasool say");
    let about = ask("what did Rasool say about the airstrike");
    assert_eq!(names(&about), vec!["Yahya Rasool"]);
    let n_about = about.items[0].evidence.len();
    assert!(
        n_about >= 1 && n_about < all.items[0].evidence.len(),
        "{about}"
    );
    assert!(all_evidence(&about)
        .iter()
        .all(|e| e.text.to_lowercase().contains("airstrike")));
}

#[test]
fn who_is_gives_names_roles_articles_and_events() {
    let a = ask("who is Kataib Hezbollah");
    let p = a.profile.as_ref().expect("a profile");
    assert_eq!(p.entity.name, "Kataib Hezbollah");
    assert!(p.aliases.iter().any(|x| x.contains('’')), "{:?}", p.aliases);
    assert!(p.article_count >= 3 && p.articles.len() == p.article_count);
    assert!(p.events.iter().any(|e| e.role.as_deref() == Some("target")
        && e.event.as_ref().unwrap().label == "drone strike"));
    all_evidence(&a);

    let r = ask("tell me about Rasool");
    let p = r.profile.as_ref().unwrap();
    assert_eq!(p.entity.name, "Yahya Rasool");
    assert!(p.quote_count >= 3);
    assert!(
        p.facts.iter().any(|f| f.relation.contains("spokesman")
            && f.other.as_ref().is_some_and(|o| o.name == "Iraq")),
        "{r}"
    );
    all_evidence(&r);
}

#[test]
fn what_happened_at_a_place_and_in_dates() {
    let a = ask("what happened in Baghdad in February 2024");
    let dates: Vec<&str> = a
        .items
        .iter()
        .filter_map(|i| i.event.as_ref()?.date.as_deref())
        .collect();
    assert!(
        !dates.is_empty() && dates.iter().all(|d| d.starts_with("2024-02")),
        "{a}"
    );
    all_evidence(&a);
    assert!(ask("what happened in Baghdad in 2019").items.is_empty());
    let between = ask("what happened between 2024-02-01 and 2024-02-10");
    assert!(between.items.iter().all(|i| {
        let d = i.event.as_ref().unwrap().date.clone().unwrap();
        ("2024-02-01".."2024-02-11").contains(&d.as_str())
    }));
    assert!(between.total >= 2, "{between}");
}

#[test]
fn what_did_an_actor_do_to_a_target() {
    let a = ask("what did the United States do to Kataib Hezbollah");
    let e = a.items[0].event.as_ref().unwrap();
    assert_eq!(e.label, "drone strike");
    assert!(e.actors.contains(&"target=Kataib Hezbollah".to_string()));
    assert_eq!(a.items[0].role.as_deref(), Some("source"));
    all_evidence(&a);
}

#[test]
fn when_and_where_was_the_strike() {
    let when = ask("when was the drone strike in Baghdad");
    assert_eq!(
        when.items[0].event.as_ref().unwrap().date.as_deref(),
        Some("2024-02-07")
    );
    all_evidence(&when);
    let where_ = ask("where was the drone strike");
    assert!(where_.items[0]
        .event
        .as_ref()
        .unwrap()
        .places
        .contains(&"Baghdad".to_string()));
    all_evidence(&where_);
    // Events with a place come first, each group best match first.
    for q in [
        "where was the drone strike",
        "where was the strike",
        "where was the attack",
    ] {
        let a = ask(q);
        let keys: Vec<(bool, f32)> = a
            .items
            .iter()
            .map(|i| (i.event.as_ref().unwrap().places.is_empty(), i.score))
            .collect();
        assert!(keys.len() > 1, "{q}: {a}");
        assert!(
            keys.windows(2)
                .all(|w| (!w[0].0 && w[1].0) || (w[0].0 == w[1].0 && w[0].1 >= w[1].1)),
            "{q}: {keys:?}"
        );
    }
}

#[test]
fn who_was_killed_or_attacked() {
    let killed = ask("who was killed in Baghdad");
    assert!(names(&killed).contains(&"Kataib Hezbollah"), "{killed}");
    all_evidence(&killed);
    let attacked = ask("who was attacked");
    assert!(!attacked.items.is_empty());
    assert!(attacked
        .items
        .iter()
        .all(|i| i.role.as_deref() != Some("source")));
}

#[test]
fn timelines_are_in_date_order() {
    let a = ask("timeline of Kataib Hezbollah");
    let dates: Vec<String> = a
        .items
        .iter()
        .map(|i| i.event.as_ref().unwrap().date.clone().unwrap())
        .collect();
    assert!(dates.len() >= 2);
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    all_evidence(&a);
    let year = ask("timeline in 2024");
    let dates: Vec<String> = year
        .items
        .iter()
        .map(|i| i.event.as_ref().unwrap().date.clone().unwrap())
        .collect();
    assert!(dates.iter().all(|d| d.starts_with("2024")), "{dates:?}");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}

#[test]
fn connections_run_from_one_to_the_other_with_evidence() {
    let a = ask("how are Yahya Rasool and Kataib Hezbollah connected");
    assert!(!a.connections.is_empty(), "{a}");
    for c in &a.connections {
        assert_eq!(c.steps[0].from.name, "Yahya Rasool");
        assert_eq!(c.steps.last().unwrap().to.name, "Kataib Hezbollah");
        for w in c.steps.windows(2) {
            assert_eq!(w[0].to, w[1].from);
        }
        assert!(c.steps.iter().all(|s| !s.evidence.is_empty()));
    }
    all_evidence(&a);
}

#[test]
fn typed_questions_get_the_same_answers() {
    let typed = seeds()
        .answer(
            &Question::WhenWas {
                event: "drone strike".into(),
                place: Some("Baghdad".into()),
            },
            &AskOptions { limit: 0 },
        )
        .unwrap();
    let asked = ask("when was the drone strike in Baghdad");
    assert_eq!(typed.items, asked.items);
}

#[test]
fn an_unparsed_question_suggests_the_entities_it_names() {
    match seeds().ask("what about Kataib Hezbollah then") {
        Err(Error::Query(QueryError::Unparsed { suggestions, .. })) => {
            assert_eq!(suggestions, vec!["who is Kataib Hezbollah".to_string()]);
        }
        other => panic!("{other:?}"),
    }
    let msg = seeds()
        .ask("what about Kataib Hezbollah")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("who said PHRASE") && msg.contains("Did you mean: who is Kataib Hezbollah?"),
        "{msg}"
    );
    match seeds().ask("who is Kataib Hezbolah") {
        Err(Error::Query(QueryError::UnknownName { suggestions, .. })) => {
            assert!(
                suggestions.contains(&"Kataib Hezbollah".to_string()),
                "{suggestions:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_name_of_several_entities_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    annals
        .ingest_text(
            "a.txt",
            "Paris, May 3 - Bill Clinton spoke in Paris on Tuesday. Clinton said \"the talks went well,\" according to aides.",
            Some("2023-05-03"),
        )
        .unwrap();
    annals
        .ingest_text(
            "b.txt",
            "Lyon, May 4 - Hillary Clinton visited Lyon on Wednesday. Clinton said \"the city is beautiful,\" her office said.",
            Some("2023-05-04"),
        )
        .unwrap();
    match annals.ask("who is Clinton") {
        Err(Error::Query(QueryError::Ambiguous { candidates, .. })) => {
            assert_eq!(candidates.len(), 2, "{candidates:?}");
            assert!(candidates.iter().any(|c| c.starts_with("Bill Clinton")));
            assert!(candidates.iter().any(|c| c.starts_with("Hillary Clinton")));
        }
        other => panic!("{other:?}"),
    }
}

/// "who said" reads a quote missing one of the phrase's words only when it can change
/// what the answer shows: an answer cut to N speakers (and N quotes each) must be the
/// first N of the whole answer, on a store where exact, misspelled, partial and
/// reordered quotations of one phrase compete across many speakers.
/// Stores a one-quote article: `name`, a spokesperson, said `quote` (report `i`).
fn ingest_spokesperson_quote(annals: &Annals, file: &str, name: &str, quote: &str, i: usize) {
    let text = format!(
        "Clashes near the border\n\n{name}, a spokesperson, said on Monday: “{quote}” \
         The statement came after a night of clashes (report {i}).\n"
    );
    annals.ingest_text(file, &text, Some("2024-03-04")).unwrap();
}

/// Hundreds of quotes that hold most of a phrase's words: "who said" scores them from the
/// word index (near matches from the index's lists of each missing word's one-edit
/// variants, quotes with non-ASCII words read), and every score must be the one the
/// quote's text gives.
#[test]
fn near_matches_scored_from_the_index_score_as_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let first = [
        "Alice", "Bruno", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jonas",
        "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Petra", "Quinn", "Rosa", "Sami", "Tariq",
    ];
    let last = [
        "Abbott",
        "Baker",
        "Castillo",
        "Duarte",
        "Eriksen",
        "Fischer",
        "Gomez",
        "Haddad",
        "Ibsen",
        "Jensen",
        "Kowalski",
        "Lindqvist",
        "Moreau",
    ];
    let n = first.len() * last.len();
    for i in 0..n {
        let name = format!("{} {}", first[i % first.len()], last[i / first.len()]);
        let quote = match i % 7 {
            0 => "The Kenyan forces jeopardize civil peace and violate our sovereignty.",
            // No word close to "kenyan": 3 of 4 words.
            1 => "The Chilean forces jeopardize civil peace and violate our sovereignty.",
            // An ASCII edit of "kenyan": all four words, found through the variants.
            2 => "The Kenyann forces jeopardize civil peace and violate our sovereignty.",
            // A non-ASCII edit of "kenyan": only reading the quote shows it.
            3 => "The Kenyán forces jeopardize civil peace and violate our sovereignty.",
            // An ASCII edit of "jeopardize".
            4 => "The Kenyan forces jeopardise civil peace and violate our sovereignty.",
            // A non-ASCII word that is no edit of a missing word.
            5 => "The Chilean forces jeopardize civil peace in Bogotá, violating sovereignty.",
            _ => "Civil peace is what the Kenyan armies jeopardize, violating sovereignty.",
        };
        ingest_spokesperson_quote(&annals, &format!("n{i}.txt"), &name, quote, i);
    }
    let phrase = "Kenyan forces jeopardize civil";
    let whole = annals
        .ask_with(&format!("who said {phrase}"), &AskOptions { limit: 0 })
        .unwrap();
    // Every speaker but the "armies" ones (3 of 4 words, "armies" no edit of "forces",
    // still answers at 0.675) has a quote here; each quote's score is its text's.
    assert!(whole.items.len() >= n * 6 / 7, "{}", whole.items.len());
    let mut by_score: std::collections::BTreeMap<String, usize> = Default::default();
    for item in &whole.items {
        let best = item
            .evidence
            .iter()
            .map(|e| annals::query::phrase_score(phrase, &e.text))
            .fold(f32::MIN, f32::max);
        assert_eq!(
            item.score.to_bits(),
            best.to_bits(),
            "{:?}: {} from the index, {} from the text {:?}",
            item.entity.as_ref().map(|e| &e.name),
            item.score,
            best,
            item.evidence.first().map(|e| &e.text)
        );
        *by_score.entry(format!("{:.3}", item.score)).or_default() += 1;
    }
    // Exact quotes 1.0; the edits of either missing word 0.9; the others 0.675.
    assert_eq!(by_score.len(), 3, "{by_score:?}");
}

#[test]
fn a_limited_who_said_answer_is_the_start_of_the_whole_one() {
    let dir = tempfile::tempdir().unwrap();
    let annals = Annals::open(dir.path().join("db")).unwrap();
    let first = ["Alice", "Bruno", "Chen", "Dara", "Emil", "Farah", "Goran"];
    let last = ["Abbott", "Baker", "Castillo", "Duarte", "Eriksen"];
    let nations = ["Norwegian", "Chilean", "Kenyan", "Thai"];
    for i in 0..48 {
        // Some speakers are quoted in several articles.
        let name = format!("{} {}", first[i % 7], last[(i / 7) % 5]);
        let nation = nations[i % 4];
        let quote = match i % 4 {
            0 => format!("The {nation} forces jeopardize civil peace and violate our sovereignty."),
            1 => format!("The {nation} forces jeopardise civil peace and violate our sovereignty."),
            2 => format!("The {nation} forces threaten civil peace and violate our sovereignty."),
            _ => format!(
                "Civil peace is what the {nation} forces jeopardize, violating sovereignty."
            ),
        };
        ingest_spokesperson_quote(&annals, &format!("s{i}.txt"), &name, &quote, i);
    }
    for phrase in [
        "who said forces jeopardize civil peace",
        "who said jeopardize civil peace",
        "who said civil peace sovereignty",
        "who said Kenyan forces jeopardize civil",
    ] {
        let whole = annals.ask_with(phrase, &AskOptions { limit: 0 }).unwrap();
        assert!(whole.items.len() > 5, "{phrase}: {whole}");
        for limit in [1, 2, 3, 5, 10, 15, 20] {
            let cut = annals.ask_with(phrase, &AskOptions { limit }).unwrap();
            assert_eq!(cut.total, whole.total, "{phrase} limit {limit}");
            let mut expected: Vec<_> = whole.items.iter().take(limit).cloned().collect();
            for item in &mut expected {
                item.evidence.truncate(limit);
            }
            assert_eq!(cut.items, expected, "{phrase} limit {limit}");
        }
    }
}
