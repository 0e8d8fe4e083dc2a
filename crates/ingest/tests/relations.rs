//! Stated roles, affiliations and metonymy, through the public extractor, with sentences
//! written for these tests.

use annals_ingest::{extract, Document, DocumentMeta, Extraction};

fn run(text: &str) -> Extraction {
    let mut meta = DocumentMeta::new("t.txt");
    meta.published = Some("2024-03-04".into());
    extract(&Document::new(meta, text.to_string()))
}

/// (subject name, relation, object name or "-") of every relation.
fn relations(x: &Extraction) -> Vec<(String, String, String)> {
    x.relations
        .iter()
        .map(|r| {
            let obj = r
                .object
                .map(|o| x.entities[o].name.clone())
                .unwrap_or_else(|| "-".into());
            (x.entities[r.subject].name.clone(), r.relation.clone(), obj)
        })
        .collect()
}

fn has(x: &Extraction, subject: &str, relation: &str, object: &str) -> bool {
    relations(x)
        .iter()
        .any(|(s, r, o)| s == subject && r == relation && o == object)
}

#[test]
fn an_apposition_states_a_role() {
    let text = "The talks stalled again this week. Maria Lopez, the spokeswoman for the Chilean Navy, said the ships would stay.";
    let x = run(text);
    assert!(
        has(&x, "Maria Lopez", "spokeswoman for", "Chilean Navy"),
        "{:?}",
        relations(&x)
    );
}

#[test]
fn an_organisation_before_a_title_and_name_is_an_affiliation() {
    let text = "Prices rose again in March. Central Bank governor Amina Farouk warned that inflation would last, and nobody disagreed.";
    let x = run(text);
    assert!(
        has(&x, "Amina Farouk", "governor of", "Central Bank"),
        "{:?}",
        relations(&x)
    );
}

#[test]
fn a_demonym_before_a_title_links_the_person_to_the_country() {
    let text = "Kenya hosted the summit this year. Kenyan Foreign Minister Musalia Mudavadi said the region needed calm.";
    let x = run(text);
    assert!(
        has(&x, "Musalia Mudavadi", "foreign minister of", "Kenya"),
        "{:?}",
        relations(&x)
    );
}

#[test]
fn punctuation_between_breaks_the_affiliation() {
    let text = "The mayor spoke at noon on the steps of the old hall. In Oslo, Anne Brekke said the plan was sound.";
    let x = run(text);
    assert!(
        !relations(&x).iter().any(|(s, _, _)| s == "Anne Brekke"),
        "{:?}",
        relations(&x)
    );
}

#[test]
fn a_capital_as_actor_stands_for_its_government() {
    let with_country = "Russia and Norway disagree about the fishing zone. Moscow said on Monday that the talks had failed.";
    let x = run(with_country);
    assert!(
        has(&x, "Moscow", "stands for the government of", "Russia"),
        "{:?}",
        relations(&x)
    );
    let alone =
        "The fishing talks were short this spring. Moscow said on Monday that they had failed.";
    let x = run(alone);
    assert!(
        has(&x, "Moscow", "stands for the government of Russia", "-"),
        "{:?}",
        relations(&x)
    );
    let place = "The fishing talks were held in Moscow on Monday and ended without a deal.";
    assert!(relations(&run(place)).is_empty());
}
