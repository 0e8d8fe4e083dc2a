//! Time normalisation through the public extractor: a table of time expressions, each
//! in a sentence written for this test, with the publication date it is resolved
//! against and the ISO 8601 value expected for the words.

use annals_ingest::{extract, Document, DocumentMeta, Extraction};

fn run(text: &str, published: Option<&str>) -> Extraction {
    let mut meta = DocumentMeta::new("t.txt");
    meta.published = published.map(String::from);
    extract(&Document::new(meta, text.to_string()))
}

/// The value of the date entity with a mention whose text is `surface`.
fn value_of(x: &Extraction, text: &str, surface: &str) -> Option<Option<String>> {
    x.entities.iter().find_map(|e| {
        e.mentions
            .iter()
            .any(|m| &text[m.start()..m.end()] == surface)
            .then(|| e.value.clone())
    })
}

#[test]
fn time_expressions_resolve_against_the_publication_date() {
    // (sentence, publication date, surface, expected value)
    let cases: &[(&str, &str, &str, &str)] = &[
        // Absolute dates.
        (
            "The dam opened on March 14, 2019.",
            "2023-06-01",
            "March 14, 2019",
            "2019-03-14",
        ),
        (
            "The pact was signed 5 May 2021.",
            "2023-06-01",
            "5 May 2021",
            "2021-05-05",
        ),
        (
            "Filed on Sept. 9, 2022 by clerks.",
            "2023-06-01",
            "Sept. 9, 2022",
            "2022-09-09",
        ),
        (
            "Logged 2021-11-30 by staff.",
            "2023-06-01",
            "2021-11-30",
            "2021-11-30",
        ),
        (
            "Tuesday, Jan 09, 2024 was cold.",
            "2024-02-01",
            "Tuesday, Jan 09, 2024",
            "2024-01-09",
        ),
        // Without a year: the most recent, or the coming one when the sentence says so.
        (
            "The ferry sank on April 2.",
            "2023-06-01",
            "April 2",
            "2023-04-02",
        ),
        (
            "The ferry sank on November 2.",
            "2023-06-01",
            "November 2",
            "2022-11-02",
        ),
        (
            "The court will rule on June 20.",
            "2023-06-01",
            "June 20",
            "2023-06-20",
        ),
        (
            "The vote is scheduled for January 10.",
            "2023-12-15",
            "January 10",
            "2024-01-10",
        ),
        (
            "Crowds gathered on 3 March.",
            "2023-06-01",
            "3 March",
            "2023-03-03",
        ),
        (
            "Talks open Monday, Oct. 26 in Rome.",
            "2020-10-20",
            "Monday, Oct. 26",
            "2020-10-26",
        ),
        // Weekdays.
        (
            "The council met on Tuesday.",
            "2023-06-01",
            "Tuesday",
            "2023-05-30",
        ),
        (
            "The council met on Thursday.",
            "2023-06-01",
            "Thursday",
            "2023-06-01",
        ),
        (
            "Rockets fell Wednesday night.",
            "2023-06-01",
            "Wednesday night",
            "2023-05-31",
        ),
        (
            "They met last Thursday.",
            "2023-06-01",
            "last Thursday",
            "2023-05-25",
        ),
        (
            "The club plays next Saturday.",
            "2023-06-01",
            "next Saturday",
            "2023-06-03",
        ),
        (
            "The envoy will arrive on Monday.",
            "2023-06-01",
            "Monday",
            "2023-06-05",
        ),
        (
            "The summit is expected to open Friday.",
            "2023-06-01",
            "Friday",
            "2023-06-02",
        ),
        (
            "Crowds will march this coming Sunday.",
            "2023-06-01",
            "this coming Sunday",
            "2023-06-04",
        ),
        (
            "The envoy said on Monday that talks would go on.",
            "2023-06-01",
            "Monday",
            "2023-05-29",
        ),
        // Deictic words.
        (
            "The mayor spoke today.",
            "2023-06-01",
            "today",
            "2023-06-01",
        ),
        (
            "The mayor spoke yesterday.",
            "2023-06-01",
            "yesterday",
            "2023-05-31",
        ),
        (
            "The mayor speaks tomorrow.",
            "2023-06-01",
            "tomorrow",
            "2023-06-02",
        ),
        // Weeks, months, years relative to publication.
        (
            "The club won last week.",
            "2023-06-01",
            "last week",
            "2023-W21",
        ),
        (
            "Sales fell last month.",
            "2023-01-15",
            "last month",
            "2022-12",
        ),
        ("Sales fell last year.", "2023-01-15", "last year", "2022"),
        (
            "Talks resume next month.",
            "2023-12-20",
            "next month",
            "2024-01",
        ),
        (
            "The law passed four years ago.",
            "2023-06-01",
            "four years ago",
            "2019",
        ),
        (
            "The law passed 2 months ago.",
            "2023-06-01",
            "2 months ago",
            "2023-04",
        ),
        (
            "The town flooded a decade ago.",
            "2023-06-01",
            "a decade ago",
            "2013",
        ),
        (
            "The road closed three days ago.",
            "2023-06-01",
            "three days ago",
            "2023-05-29",
        ),
        // Parts of months and bare months.
        (
            "Rain came in late January.",
            "2024-02-08",
            "late January",
            "2024-01",
        ),
        (
            "Prices rose from mid-October.",
            "2024-02-08",
            "mid-October",
            "2023-10",
        ),
        (
            "It ended at the end of January.",
            "2024-02-08",
            "the end of January",
            "2024-01",
        ),
        (
            "The strikes went on since October.",
            "2024-02-08",
            "October",
            "2023-10",
        ),
        (
            "Elections will be held in April.",
            "2024-02-08",
            "April",
            "2024-04",
        ),
        (
            "The fair returns this September.",
            "2024-02-08",
            "this September",
            "2024-09",
        ),
        (
            "It began in January 2020.",
            "2024-02-08",
            "January 2020",
            "2020-01",
        ),
        (
            "It was founded in 1998 by locals.",
            "2023-06-01",
            "1998",
            "1998",
        ),
        (
            "Prices rose in early March 2022.",
            "2023-06-01",
            "early March 2022",
            "2022-03",
        ),
        // Counted from the date written before.
        (
            "Troops arrived in 2003. A decade later they left.",
            "2023-06-01",
            "A decade later",
            "2013",
        ),
        (
            "The war began in 1939. Six years later it ended.",
            "2023-06-01",
            "Six years later",
            "1945",
        ),
        (
            "The plant shut in May 2020. Three months later it reopened.",
            "2023-06-01",
            "Three months later",
            "2020-08",
        ),
        (
            "Prices were 4 percent higher than a year earlier.",
            "2023-06-01",
            "a year earlier",
            "2022",
        ),
    ];
    assert!(cases.len() >= 40);
    let mut failures = Vec::new();
    for (text, p, surface, want) in cases {
        let x = run(text, Some(p));
        let got = value_of(&x, text, surface);
        if got.as_ref().and_then(|v| v.as_deref()) != Some(*want) {
            failures.push(format!(
                "{text:?} @ {p}: want {surface:?} = {want}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_a_publication_date_relative_expressions_stay_unresolved() {
    let text = "The council met on Friday and again last week, four years after the flood of March 3, 2019.";
    let x = run(text, None);
    assert_eq!(x.published, None);
    assert_eq!(value_of(&x, text, "Friday"), Some(None));
    assert_eq!(value_of(&x, text, "last week"), Some(None));
    assert_eq!(
        value_of(&x, text, "March 3, 2019"),
        Some(Some("2019-03-03".to_string()))
    );
    let reasons: Vec<&str> = x
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .filter(|m| m.contains("unresolved"))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
}

#[test]
fn publication_dates_come_from_metadata_or_a_dateline() {
    let text = "Harbour Talks Stall\n\nBy Ana Lima\nThursday, Feb 08, 2024 - 11:45 PM\n\nThe talks stalled on Wednesday night.";
    let x = run(text, None);
    assert_eq!(x.published.as_deref(), Some("2024-02-08"));
    assert_eq!(
        value_of(&x, text, "Wednesday night"),
        Some(Some("2024-02-07".to_string()))
    );
    let text = "Floods Recede\nFebruary 11, 2024\n\nWater fell on Saturday.";
    let x = run(text, None);
    assert_eq!(x.published.as_deref(), Some("2024-02-11"));
    assert_eq!(
        value_of(&x, text, "Saturday"),
        Some(Some("2024-02-10".to_string()))
    );
    let x = run(text, Some("2024-03-01T08:00:00"));
    assert_eq!(x.published.as_deref(), Some("2024-03-01"));
}

#[test]
fn quotes_and_events_carry_the_date_their_sentence_gives() {
    let text = "Mayor Lena Fischer spoke to reporters. \u{201c}The bridge will reopen when it is safe,\u{201d} Fischer said on Friday.";
    let x = run(text, Some("2023-06-01"));
    let q = x.quotes.first().expect("a quote");
    assert!(q.speaker.is_some());
    assert_eq!(q.date.as_deref(), Some("2023-05-26"));
}

#[test]
fn pathological_inputs_stay_fast() {
    let many_years = "1999 ".repeat(100_000);
    let started = std::time::Instant::now();
    let x = run(&many_years, Some("2023-06-01"));
    assert!(x.validate(&many_years).is_ok());
    let many_days = "on Monday and Friday, ".repeat(20_000);
    let x = run(&many_days, Some("2023-06-01"));
    assert!(x.validate(&many_days).is_ok());
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn counted_offsets_need_a_close_anchor_and_never_pass_publication() {
    // The nearest earlier date is far away and about something else: no anchor.
    let far = format!(
        "The ceasefire began on March 3.{} The monitors who stayed a decade later were tired.",
        " Nothing else of note happened in the town that spring.".repeat(8)
    );
    let x = run(&far, Some("2024-06-01"));
    assert_eq!(value_of(&x, &far, "a decade later"), Some(None));
    // A close anchor works, but a result after publication is refused.
    let near = "The mill closed in 2009. Two years later the town voted to reopen it.";
    let x = run(near, Some("2024-06-01"));
    assert_eq!(
        value_of(&x, near, "Two years later"),
        Some(Some("2011".into()))
    );
    let future = "The league was founded in 2020. A decade later it had forty clubs.";
    let x = run(future, Some("2024-06-01"));
    assert_eq!(value_of(&x, future, "A decade later"), Some(None));
}
