//! Date rules added for campaign and wire copy, through the public extractor, on
//! sentences written for these tests: days a few weeks after publication, infinitives
//! that schedule, "likely to", "last Monday" a day or two after a Monday, "a week ago"
//! as a day, and seasons.

use annals_ingest::{extract, Document, DocumentMeta};

/// The value of the date whose mention text is `surface`.
fn value(text: &str, published: &str, surface: &str) -> Option<String> {
    let mut meta = DocumentMeta::new("t.txt");
    meta.published = Some(published.to_string());
    let x = extract(&Document::new(meta, text.to_string()));
    assert!(x.validate(text).is_ok());
    x.entities
        .iter()
        .find(|e| {
            e.mentions
                .iter()
                .any(|m| &text[m.start()..m.end()] == surface)
        })
        .unwrap_or_else(|| panic!("no date {surface:?} in {text:?}"))
        .value
        .clone()
}

#[test]
fn a_day_a_few_weeks_ahead_is_the_coming_one_in_any_tense() {
    let t = "The mayor proposed a public hearing on May 3, but the council refused.";
    assert_eq!(
        value(t, "2019-04-20", "May 3").as_deref(),
        Some("2019-05-03")
    );
    let t = "Voters in Ohio go to the polls in the May 3 runoff.";
    assert_eq!(
        value(t, "2019-04-20", "May 3").as_deref(),
        Some("2019-05-03")
    );
    // Further ahead, the past reading stays.
    let t = "The bridge closed on October 9 after the storm.";
    assert_eq!(
        value(t, "2019-04-20", "October 9").as_deref(),
        Some("2018-10-09")
    );
}

#[test]
fn infinitives_and_likely_to_speak_of_the_future() {
    let t = "The union has invited the ministers of both provinces to meet with its members in the capital on Thursday morning.";
    assert_eq!(
        value(t, "2019-04-19", "Thursday morning").as_deref(),
        Some("2019-04-25")
    );
    let t = "The harvest is likely to end in October, when the rains come.";
    assert_eq!(
        value(t, "2019-04-19", "October").as_deref(),
        Some("2019-10")
    );
}

#[test]
fn last_monday_just_after_a_monday_is_the_week_before() {
    // 2019-04-17 is a Wednesday.
    let t = "The two ministers held a private meeting last Monday.";
    assert_eq!(
        value(t, "2019-04-17", "last Monday").as_deref(),
        Some("2019-04-08")
    );
    let t = "The two ministers held a private meeting last Friday.";
    assert_eq!(
        value(t, "2019-04-17", "last Friday").as_deref(),
        Some("2019-04-12")
    );
}

#[test]
fn weeks_ago_is_a_day() {
    let t = "The governor resigned a week ago.";
    assert_eq!(
        value(t, "2019-04-17", "a week ago").as_deref(),
        Some("2019-04-10")
    );
    let t = "The plant shut two weeks ago.";
    assert_eq!(
        value(t, "2019-04-17", "two weeks ago").as_deref(),
        Some("2019-04-03")
    );
}

#[test]
fn seasons_resolve_to_their_year() {
    let t = "The party will need every vote for the contest in the fall.";
    assert_eq!(
        value(t, "2019-05-10", "in the fall").as_deref(),
        Some("2019")
    );
    let t = "She has led the chamber since she was elected in the fall.";
    assert_eq!(
        value(t, "2019-05-10", "in the fall").as_deref(),
        Some("2018")
    );
    let t = "Sales collapsed last summer.";
    assert_eq!(
        value(t, "2019-05-10", "last summer").as_deref(),
        Some("2018")
    );
    let t = "The museum reopens next spring.";
    assert_eq!(
        value(t, "2019-05-10", "next spring").as_deref(),
        Some("2020")
    );
    let t = "The treaty was signed in the spring of 2004.";
    assert_eq!(
        value(t, "2019-05-10", "in the spring of 2004").as_deref(),
        Some("2004")
    );
    // Not a season.
    let mut meta = DocumentMeta::new("t.txt");
    meta.published = Some("2019-05-10".into());
    let text = "Historians wrote about the fall of the old empire.";
    let x = extract(&Document::new(meta, text.to_string()));
    assert!(
        x.entities
            .iter()
            .all(|e| !e.aliases.iter().any(|a| a.contains("fall"))),
        "{:?}",
        x.entities
    );
}
