//! Quotation attribution through the public extractor, one test per pattern, on
//! sentences written for these tests: who said each quoted passage, or nobody.

use annals_ingest::{extract, Document, DocumentMeta, Extraction};

fn run(text: &str) -> Extraction {
    let mut meta = DocumentMeta::new("t.txt");
    meta.published = Some("2023-06-01".to_string());
    extract(&Document::new(meta, text.to_string()))
}

/// (quoted words, speaker name) for every quote.
fn quotes(text: &str) -> Vec<(String, Option<String>)> {
    let x = run(text);
    assert!(x.validate(text).is_ok());
    x.quotes
        .iter()
        .map(|q| {
            (
                text[q.span.start()..q.span.end()].to_string(),
                q.speaker.map(|s| x.entities[s].name.clone()),
            )
        })
        .collect()
}

/// The speaker of the quote that contains `fragment`.
fn speaker_of(got: &[(String, Option<String>)], fragment: &str) -> Option<String> {
    got.iter()
        .find(|(q, _)| q.contains(fragment))
        .unwrap_or_else(|| panic!("no quote contains {fragment:?}: {got:?}"))
        .1
        .clone()
}

#[test]
fn full_quotes_with_cues_after_and_before() {
    let text = "Mayor Lena Fischer visited the harbour on Monday. \u{201c}The bridge will reopen in the spring,\u{201d} Fischer said. Coach Tomas Berg was less sure. \"We need the road open before the season starts,\" said Berg.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "bridge will reopen").as_deref(),
        Some("Lena Fischer")
    );
    assert_eq!(speaker_of(&got, "road open").as_deref(), Some("Tomas Berg"));
}

#[test]
fn cue_after_a_quote_that_ends_its_sentence() {
    let text = "Senator Maria Quist spoke in the chamber. \"Why does nobody ask the farmers what they need?\" Quist asked.";
    let got = quotes(text);
    assert_eq!(speaker_of(&got, "farmers").as_deref(), Some("Maria Quist"));
}

#[test]
fn partial_quotes_take_the_speaker_of_their_clause() {
    let text = "Governor Paul Adeyemi said the repairs were \u{201c}long overdue and badly planned from the start.\u{201d}";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "long overdue").as_deref(),
        Some("Paul Adeyemi")
    );
}

#[test]
fn quotes_split_around_the_cue() {
    let text = "Dr. Rosa Mendez inspected the pipes. \u{201c}The water is safe,\u{201d} Mendez said, \u{201c}and the tests prove it every single day.\u{201d}";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "water is safe").as_deref(),
        Some("Rosa Mendez")
    );
    assert_eq!(
        speaker_of(&got, "tests prove").as_deref(),
        Some("Rosa Mendez")
    );
}

#[test]
fn quotes_over_several_paragraphs() {
    let text = "Colonel Omar Haddad addressed the press.\n\n\u{201c}We searched every house on the street and found nothing at all.\n\n\u{201c}We will search again tomorrow with more officers,\u{201d} Haddad said.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "every house").as_deref(),
        Some("Omar Haddad")
    );
    assert_eq!(
        speaker_of(&got, "search again").as_deref(),
        Some("Omar Haddad")
    );
}

#[test]
fn block_quote_after_a_colon_line() {
    let text = "The Harbour Authority issued a statement:\n\nAll ferries will run as normal from tomorrow morning, and passengers should arrive early.";
    let got = quotes(text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1.as_deref(), Some("Harbour Authority"));
}

#[test]
fn many_cue_verbs() {
    for cue in [
        "said",
        "says",
        "added",
        "stated",
        "told reporters",
        "warned",
        "insisted",
        "claimed",
    ] {
        let text = format!(
            "Minister Jonas Lind met the unions. \u{201c}There is no money left for new roads this year,\u{201d} Lind {cue}."
        );
        let got = quotes(&text);
        assert_eq!(
            speaker_of(&got, "no money").as_deref(),
            Some("Jonas Lind"),
            "{cue}"
        );
    }
}

#[test]
fn according_to_and_in_a_statement() {
    let text = "The strike was \u{201c}planned for many weeks by a small cell,\u{201d} according to Colonel Ivan Petrov.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "planned for many weeks").as_deref(),
        Some("Ivan Petrov")
    );
    let text = "The Harbour Authority, in a statement, called the plan \u{201c}reckless and dangerous for everyone involved.\u{201d}";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "reckless").as_deref(),
        Some("Harbour Authority")
    );
}

#[test]
fn blasted_for_what_she_said_was() {
    let text = "Senator Ruth Okafor blasted the ministry for what she said was \u{201c}a shameful cover-up of the facts.\u{201d}";
    let got = quotes(text);
    assert_eq!(speaker_of(&got, "shameful").as_deref(), Some("Ruth Okafor"));
}

#[test]
fn participles_take_the_subject_of_the_sentence() {
    let text = "Senator Ruth Okafor on Saturday criticised the deal reached in Geneva, saying the agreement goes \u{201c}nowhere near far enough for the coast.\u{201d}";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "nowhere near").as_deref(),
        Some("Ruth Okafor")
    );
}

#[test]
fn the_nearest_comma_phrase_names_the_speaker() {
    let text = "At the Museum of Modern Art, Speaker Rep. Daniel Price (D-Ore.) said \u{201c}these images have no place in our politics.\u{201d}";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "no place").as_deref(),
        Some("Daniel Price")
    );
}

#[test]
fn speakers_by_title() {
    let text = "Chilean Finance Minister Mario Marcel met bankers in Santiago. \u{201c}Inflation is falling faster than we expected,\u{201d} the finance minister stated.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "Inflation").as_deref(),
        Some("Mario Marcel")
    );
}

#[test]
fn pronouns_find_the_person_outside_the_quotes() {
    let text = "Senator Ruth Okafor criticised the plan. \u{201c}I told Governor Paul Adeyemi that this would fail,\u{201d} she said.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "this would fail").as_deref(),
        Some("Ruth Okafor")
    );
}

#[test]
fn organisations_speak() {
    let text = "\u{201c}Two drones were shot down over the sea overnight,\u{201d} the Harbour Authority said. The Central Bank of Chile said rates would \u{201c}stay high for some time.\u{201d}";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "drones").as_deref(),
        Some("Harbour Authority")
    );
    assert_eq!(
        speaker_of(&got, "stay high").as_deref(),
        Some("Central Bank of Chile")
    );
}

#[test]
fn a_quote_paragraph_without_a_cue_continues_the_speaker() {
    let text = "Coach Tomas Berg spoke after the final. \u{201c}We lost our shape in the second half,\u{201d} Berg said.\n\n\u{201c}Next week we go again with the same players and the same plan.\u{201d}";
    let got = quotes(text);
    assert_eq!(speaker_of(&got, "Next week").as_deref(), Some("Tomas Berg"));
}

#[test]
fn scare_quotes_titles_and_nicknames_have_no_speaker() {
    let text = "Minister Jonas Lind spoke at the launch. Residents of the \u{201c}old town\u{201d} watched the film \u{201c}The Long Road Home\u{201d} on Friday. Commander Hassan Ali \u{201c}Abu Layla\u{201d} al-Tamimi was seen in the crowd. The group calls its fighters 'martyrs'.";
    let got = quotes(text);
    for frag in ["old town", "The Long Road Home", "Abu Layla", "martyrs"] {
        assert_eq!(speaker_of(&got, frag), None, "{frag}: {got:?}");
    }
}

#[test]
fn quotes_carry_the_date_of_their_sentence() {
    let text = "Coach Tomas Berg spoke after the final. \u{201c}We lost our shape in the second half,\u{201d} Berg said on Tuesday.";
    let x = run(text);
    let q = x.quotes.first().expect("a quote");
    assert_eq!(q.date.as_deref(), Some("2023-05-30"));
}

#[test]
fn many_quotation_marks_stay_fast_and_valid() {
    let started = std::time::Instant::now();
    let marks = "\u{201c}a\u{201d} \"b\" ".repeat(5_000);
    let x = run(&marks);
    assert!(x.validate(&marks).is_ok());
    let long = format!(
        "Mayor Lena Fischer said {}.",
        "\u{201c}yes and no\u{201d} said she, ".repeat(3_000)
    );
    let x = run(&long);
    assert!(x.validate(&long).is_ok());
    let sentence = "word ".repeat(200_000);
    let x = run(&sentence);
    assert!(x.validate(&sentence).is_ok());
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}
