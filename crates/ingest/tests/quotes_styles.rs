//! Quotation styles and attribution patterns of wire and broadcast copy, through the
//! public extractor, on sentences written for these tests: two-apostrophe marks, quoted
//! sentences that run on inside a paragraph, attributions after an intervening clause,
//! "Said X," openers, participles after a cue, pronoun chains, subjects over obliques and
//! appositives.

use annals_ingest::{extract, Document, DocumentMeta};

/// (quoted words, speaker name) for every quote.
fn quotes(text: &str) -> Vec<(String, Option<String>)> {
    let mut meta = DocumentMeta::new("t.txt");
    meta.published = Some("2023-06-01".to_string());
    let x = extract(&Document::new(meta, text.to_string()));
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
fn two_apostrophes_mark_a_quote() {
    let text = "Mayor Ines Garro opened the depot on Monday.\n\n''We will build the second one next year,'' Ms. Garro said. ''Nobody else is going to do it for us.''\n\nShe added: ''The money is already there.''";
    let got = quotes(text);
    assert_eq!(got.len(), 3, "{got:?}");
    for frag in ["second one", "Nobody else", "money is already"] {
        assert_eq!(
            speaker_of(&got, frag).as_deref(),
            Some("Ines Garro"),
            "{frag}"
        );
    }
}

#[test]
fn quoted_sentences_that_run_on_inside_a_paragraph() {
    let text = "Chief Ada Voss spoke to reporters at the station. Voss said: \"The river rose faster than anyone expected. We moved every family out before dark. \"Next time we will open the shelters a day earlier.\" The council meets on Friday.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "river rose faster").as_deref(),
        Some("Ada Voss")
    );
    assert_eq!(
        speaker_of(&got, "shelters a day earlier").as_deref(),
        Some("Ada Voss")
    );
}

#[test]
fn attribution_after_an_intervening_clause() {
    let text = "\"The budget will not pass\" unless the unions agree to the terms, said Pedro Lindahl, an analyst at the Nordic Policy Institute. \"It would be a very long summer\" because nobody wants to move first, he said.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "budget will not pass").as_deref(),
        Some("Pedro Lindahl")
    );
    assert_eq!(
        speaker_of(&got, "long summer").as_deref(),
        Some("Pedro Lindahl")
    );
}

#[test]
fn said_name_before_the_quote() {
    let text = "The inquiry found failures at every level. Said Lindahl, \"We tried everything we could think of and still lost the records.\"";
    let got = quotes(text);
    // Lindahl is only a surname here; the quote must still go to that person.
    assert!(
        speaker_of(&got, "tried everything").is_some_and(|s| s.contains("Lindahl")),
        "{got:?}"
    );
}

#[test]
fn a_participle_after_a_cue_takes_that_speaker() {
    let text = "Judge Carla Benes and lawyer Victor Osei met the press. Osei cannot say that \"in good faith,\" Benes added, saying it should be \"up to the jury to decide what happened.\"";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "up to the jury").as_deref(),
        Some("Carla Benes")
    );
}

#[test]
fn a_pronoun_chain_reaches_back_to_the_subject() {
    let text = "Governor Tomas Reyes toured the new plant on Tuesday. Asked who should run it, he named Ana Ruiz. \"She knows the job better than anyone in the state,\" he said.";
    let got = quotes(text);
    assert_eq!(
        speaker_of(&got, "knows the job").as_deref(),
        Some("Tomas Reyes")
    );
}

#[test]
fn the_subject_wins_over_a_name_after_a_preposition() {
    let text = "After a long meeting with Ana Ruiz, Governor Tomas Reyes flew home. \"It was a good day for the whole region,\" he said.";
    let got = quotes(text);
    assert_eq!(speaker_of(&got, "good day").as_deref(), Some("Tomas Reyes"));
}

#[test]
fn an_appositive_does_not_speak_for_its_subject() {
    let text = "Senator Ben Kroll attacked the plan on Monday. Jo Marsh, a spokeswoman for Mr. Kroll, called on the governor to withdraw it and said he had reached \"a new low in this campaign.\"";
    let got = quotes(text);
    assert_eq!(speaker_of(&got, "new low").as_deref(), Some("Jo Marsh"));
}

#[test]
fn hostile_runs_of_marks_stay_valid() {
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(match i % 4 {
            0 => "''a. ",
            1 => "\"b. ",
            2 => "'' ",
            _ => "\u{201c}c. ",
        });
    }
    let got = quotes(&text);
    assert!(got.len() < 10_000);
}
