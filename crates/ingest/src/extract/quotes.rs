//! Quotations: finding quoted spans (straight, curly and single marks, and block quotes
//! introduced by a line ending in a colon) and attributing each to a speaker through
//! speech cues before or after it, pronouns, titles and the previous quote. Scare quotes
//! and nicknames get no speaker. Entities are found elsewhere; this module only points
//! at them.

use annals_model::{EntityKind, LocalEntity, LocalQuote, Span};

use super::entities::{Entities, Ref};
use super::text::{is_apos, Layout, LineKind};
use super::timex::Timex;

/// One quoted span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct QSpan {
    /// The opening mark.
    pub open: usize,
    /// One past the closing mark.
    pub close_end: usize,
    /// The quoted words.
    pub start: usize,
    /// One past the quoted words.
    pub end: usize,
    /// Single quotation marks (scare quotes, mostly).
    pub single: bool,
    /// A block quote (no marks).
    pub block: bool,
}

/// Verbs and phrases that report speech wherever they stand.
const CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "added",
    "adds",
    "adding",
    "stated",
    "states",
    "told",
    "tells",
    "warned",
    "warns",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "argued",
    "argues",
    "explained",
    "noted",
    "notes",
    "wrote",
    "writes",
    "declared",
    "announced",
    "asserted",
    "continued",
    "replied",
    "responded",
    "emphasized",
    "emphasised",
    "stressed",
    "urged",
    "affirmed",
    "acknowledged",
    "admitted",
    "remarked",
    "commented",
    "underscored",
    "according",
    "posted",
    "tweeted",
    "recalled",
    "asked",
    "conceded",
];

/// Verbs that attribute a quote that follows them in the same sentence.
const LEAD_CUES: &[&str] = &[
    "described",
    "called",
    "promised",
    "promising",
    "vowed",
    "pledged",
    "condemned",
    "condemning",
    "denounced",
    "blasted",
    "defended",
    "criticized",
    "criticised",
    "slammed",
    "accused",
    "praised",
    "labelled",
    "labeled",
    "dubbed",
    "decried",
    "hailed",
    "welcomed",
    "rejected",
    "dismissed",
];

fn trim_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let inner = &text[s..e];
    let ls = inner.len() - inner.trim_start().len();
    let rs = inner.trim_end().len();
    (s + ls, s + rs.max(ls))
}

/// Finds the quoted spans of a text, line by line.
pub(crate) fn find_spans(lay: &Layout<'_>) -> Vec<QSpan> {
    let text = lay.text;
    let mut out = Vec::new();
    for line in &lay.lines {
        if line.kind == LineKind::Furniture {
            continue;
        }
        let cs: Vec<(usize, char)> = text[line.start..line.end]
            .char_indices()
            .map(|(p, c)| (p + line.start, c))
            .collect();
        let mut dbl: Option<(usize, usize)> = None; // (mark start, content start)
        let mut sgl: Option<(usize, usize)> = None;
        for (k, &(p, c)) in cs.iter().enumerate() {
            let prev = k.checked_sub(1).map(|j| cs[j].1);
            let next = cs.get(k + 1).map(|x| x.1);
            let cend = p + c.len_utf8();
            match c {
                '\u{201c}' | '\u{00ab}' => dbl = Some((p, cend)),
                '\u{201d}' | '\u{00bb}' | '"' => {
                    // A straight mark opens after a space and before a word, closes
                    // otherwise; an opener while one is open restarts (a paragraph
                    // whose quote ran on without closing).
                    let opener = c == '"'
                        && prev.is_none_or(|x| {
                            x.is_whitespace() || matches!(x, '(' | '[' | '\u{2014}' | '-')
                        })
                        && next.is_some_and(|x| !x.is_whitespace());
                    if opener {
                        dbl = Some((p, cend));
                        continue;
                    }
                    if let Some((o, cs0)) = dbl.take() {
                        let (s, e) = trim_span(text, cs0, p);
                        if e > s {
                            out.push(QSpan {
                                open: o,
                                close_end: cend,
                                start: s,
                                end: e,
                                single: false,
                                block: false,
                            });
                        }
                        sgl = None;
                    }
                }
                c if c == '\u{2018}' || is_apos(c) => {
                    let closes = prev.is_some_and(|x| !x.is_whitespace())
                        && next.is_none_or(|x| !x.is_alphanumeric());
                    if let (Some((o, cs0)), true) = (sgl, closes) {
                        let (s, e) = trim_span(text, cs0, p);
                        if e > s && text[s..e].split_whitespace().count() <= 6 {
                            out.push(QSpan {
                                open: o,
                                close_end: cend,
                                start: s,
                                end: e,
                                single: true,
                                block: false,
                            });
                        }
                        sgl = None;
                        continue;
                    }
                    let opens = c != '\u{2019}'
                        && prev.is_none_or(|x| {
                            x.is_whitespace() || matches!(x, '(' | '[' | '\u{2014}')
                        })
                        && next.is_some_and(char::is_alphanumeric);
                    if opens {
                        sgl = Some((p, cend));
                    }
                }
                _ => {}
            }
        }
    }
    // Block quotes: a paragraph after a line that ends in a colon and reports speech.
    for w in lay.lines.windows(2) {
        let (intro, body) = (w[0], w[1]);
        let itext = text[intro.start..intro.end].trim_end();
        let btext = &text[body.start..body.end];
        if !itext.ends_with(':') || body.kind != LineKind::Body {
            continue;
        }
        let lower = itext.to_lowercase();
        let cue = lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| CUES.contains(&word) || word == "statement");
        if !cue || btext.contains(['"', '\u{201c}', '\u{201d}']) {
            continue;
        }
        let (s, e) = trim_span(text, body.start, body.end);
        if e > s {
            out.push(QSpan {
                open: s,
                close_end: e,
                start: s,
                end: e,
                single: false,
                block: true,
            });
        }
    }
    out.sort_by_key(|q| (q.start, q.end));
    out.dedup_by_key(|q| (q.start, q.end));
    out
}

/// Tokens (indices) in the byte range `s..e`.
fn tokens_in(lay: &Layout<'_>, s: usize, e: usize) -> std::ops::Range<usize> {
    let a = lay.tokens.partition_point(|t| t.start < s);
    let b = lay.tokens.partition_point(|t| t.start < e);
    a..b.max(a)
}

struct Attributor<'a> {
    lay: &'a Layout<'a>,
    ents: &'a Entities,
    entities: &'a [LocalEntity],
}

impl Attributor<'_> {
    fn refs_in(&self, s: usize, e: usize) -> impl Iterator<Item = &Ref> {
        let a = self.ents.refs.partition_point(|r| r.start < s);
        self.ents.refs[a..].iter().take_while(move |r| r.end <= e)
    }

    fn kind(&self, e: usize) -> EntityKind {
        self.entities[e].kind
    }

    /// The nearest person mentioned before `pos` (not an author).
    fn person_before(&self, pos: usize) -> Option<usize> {
        let k = self.ents.refs.partition_point(|r| r.end <= pos);
        self.ents.refs[..k]
            .iter()
            .rev()
            .filter_map(|r| r.entity)
            .find(|&e| self.kind(e) == EntityKind::Person && !self.entities[e].author)
    }

    /// The first entity referred to in sentence `si`.
    fn subject_of(&self, si: usize) -> Option<usize> {
        let s = self.lay.sentences.get(si)?;
        self.refs_in(s.start, s.end).find_map(|r| r.entity)
    }

    /// Who a speaker phrase at `s..e` names.
    fn resolve(
        &self,
        s: usize,
        e: usize,
        recent: Option<(usize, usize)>,
        si: usize,
    ) -> Option<usize> {
        let toks: Vec<usize> = tokens_in(self.lay, s, e).collect();
        let words: Vec<String> = toks
            .iter()
            .map(|&i| self.lay.tok(i).to_lowercase())
            .collect();
        if let Some(w) = words.last().or(words.first()) {
            if words.len() <= 2 || matches!(w.as_str(), "he" | "she" | "it" | "they") {
                match w.as_str() {
                    "he" | "she" => return self.person_before(s),
                    "it" | "they" => {
                        return si
                            .checked_sub(1)
                            .and_then(|p| self.subject_of(p))
                            .or(recent.map(|r| r.0));
                    }
                    _ => {}
                }
            }
        }
        let refs: Vec<&Ref> = self.refs_in(s, e).collect();
        if let Some(p) = refs
            .iter()
            .filter_map(|r| r.entity)
            .find(|&x| self.kind(x) == EntityKind::Person)
        {
            return Some(p);
        }
        // A title alone: "the prime minister" -> the person with that title.
        let phrase = words.join(" ");
        let mut best: Option<(usize, usize)> = None;
        for (ei, ts) in self.ents.titles.iter().enumerate() {
            for t in ts {
                let tl = t.split_whitespace().last().unwrap_or("");
                if !t.is_empty()
                    && (phrase.contains(t.as_str())
                        || (!tl.is_empty() && words.iter().any(|w| w == tl)))
                {
                    let last = self.entities[ei]
                        .mentions
                        .iter()
                        .map(|m| m.start())
                        .filter(|&m| m < s)
                        .max();
                    if let Some(l) = last {
                        if best.is_none_or(|b| l > b.1) {
                            best = Some((ei, l));
                        }
                    }
                }
            }
        }
        if let Some((e, _)) = best {
            return Some(e);
        }
        if let Some(g) = refs.iter().find_map(|r| r.entity) {
            return Some(g);
        }
        if matches!(
            words.first().map(String::as_str),
            Some("the" | "a" | "an" | "this" | "that")
        ) {
            return recent.filter(|r| r.1 + 3 >= si).map(|r| r.0);
        }
        None
    }
}

fn cue_of(word: &str, lead_too: bool) -> bool {
    let w = word.to_lowercase();
    CUES.contains(&w.as_str()) || (lead_too && LEAD_CUES.contains(&w.as_str()))
}

/// Attributes every quote. `spans` from [`find_spans`].
pub(crate) fn attribute(
    lay: &Layout<'_>,
    spans: &[QSpan],
    ents: &Entities,
    entities: &[LocalEntity],
    timexes: &[Timex],
    nicknames: &[usize],
) -> Vec<LocalQuote> {
    let at = Attributor {
        lay,
        ents,
        entities,
    };
    let text = lay.text;
    let mut out: Vec<LocalQuote> = Vec::new();
    // (speaker, sentence) of the last attributed quote.
    let mut recent: Option<(usize, usize)> = None;
    let mut prev_in_sentence: Option<(usize, Option<usize>, usize)> = None; // (sentence, speaker, close_end)
    for (qi, q) in spans.iter().enumerate() {
        let Ok(span) = Span::new(q.start, q.end) else {
            continue;
        };
        let mut quote = LocalQuote {
            span,
            speaker: None,
            cue: None,
            cue_span: None,
            date: None,
        };
        if nicknames.contains(&qi) {
            out.push(quote);
            continue;
        }
        let si = lay.sentence_at(q.open).or_else(|| lay.sentence_at(q.start));
        let Some(si) = si else {
            out.push(quote);
            continue;
        };
        let sent = lay.sentences[si];
        let words = text[q.start..q.end].split_whitespace().count();
        let mut speaker: Option<usize> = None;
        let mut cue: Option<(usize, usize)> = None;
        if q.block {
            // The intro line: its first person, else its first named entity.
            let li = sent.line;
            if li > 0 {
                let intro = lay.lines[li - 1];
                let refs: Vec<&Ref> = at.refs_in(intro.start, intro.end).collect();
                speaker = refs
                    .iter()
                    .filter_map(|r| r.entity)
                    .find(|&e| at.kind(e) == EntityKind::Person)
                    .or_else(|| refs.iter().find_map(|r| r.entity));
                for i in tokens_in(lay, intro.start, intro.end) {
                    if cue_of(lay.tok(i), false) {
                        cue = Some((lay.tokens[i].start, lay.tokens[i].end));
                    }
                }
            }
        } else {
            let next_open = spans.get(qi + 1).map_or(usize::MAX, |n| n.open);
            let sent_end = sent.end.max(q.close_end);
            // After the quote: `“...,” X said` or `“...,” said X` or `according to X`.
            let after = tokens_in(lay, q.close_end, sent_end.min(next_open));
            let after: Vec<usize> = after.take(12).collect();
            if let Some(k) = after.iter().position(|&i| cue_of(lay.tok(i), false)) {
                let ci = after[k];
                let cs = lay.tokens[ci].start;
                let mut ce = lay.tokens[ci].end;
                if k == 0 {
                    let mut from = ce;
                    if lay.tok(ci).eq_ignore_ascii_case("according")
                        && after.get(1).is_some_and(|&t| lay.tok(t) == "to")
                    {
                        ce = lay.tokens[after[1]].end;
                        from = ce;
                    }
                    let stop = text[from..sent_end.min(next_open)]
                        .find([',', '.', ';', '\n'])
                        .map_or(sent_end.min(next_open), |p| from + p);
                    speaker = at.resolve(from, stop, recent, si);
                    cue = Some((cs, ce));
                } else if k <= 8
                    && after[..k].iter().all(|&t| {
                        !matches!(
                            lay.tok(t).to_lowercase().as_str(),
                            "while"
                                | "but"
                                | "and"
                                | "as"
                                | "which"
                                | "who"
                                | "when"
                                | "although"
                                | "because"
                                | "after"
                                | "before"
                                | "since"
                                | "though"
                                | "if"
                                | "amid"
                                | "that"
                        )
                    })
                {
                    let from = lay.tokens[after[0]].start;
                    speaker = at.resolve(from, cs, recent, si);
                    cue = Some((cs, ce));
                }
            }
            // Before the quote: `X said “...”`, `X condemned the “...”`.
            if speaker.is_none() {
                let from = match prev_in_sentence {
                    Some((ps, _, pe)) if ps == si => pe,
                    _ => sent.start,
                };
                let before: Vec<usize> = tokens_in(lay, from, q.open.max(from)).collect();
                if let Some(k) = before.iter().rposition(|&i| cue_of(lay.tok(i), true)) {
                    let ci = before[k];
                    let (cs, mut ce) = (lay.tokens[ci].start, lay.tokens[ci].end);
                    if lay.tok(ci).eq_ignore_ascii_case("according")
                        && before.get(k + 1).is_some_and(|&t| lay.tok(t) == "to")
                    {
                        ce = lay.tokens[before[k + 1]].end;
                        speaker = at.resolve(ce, q.open, recent, si);
                    } else {
                        let ps = before[k.saturating_sub(12)..k]
                            .first()
                            .map_or(cs, |&t| lay.tokens[t].start);
                        let pron = before[k.saturating_sub(2)..k].iter().rev().find(|&&t| {
                            matches!(
                                lay.tok(t).to_lowercase().as_str(),
                                "he" | "she" | "it" | "they"
                            )
                        });
                        speaker = match pron {
                            Some(&t) => {
                                at.resolve(lay.tokens[t].start, lay.tokens[t].end, recent, si)
                            }
                            None => at.resolve(ps, cs, recent, si),
                        };
                    }
                    cue = Some((cs, ce));
                }
            }
            // A second quote in a sentence whose first one was attributed.
            if speaker.is_none() {
                if let Some((ps, Some(sp), _)) = prev_in_sentence {
                    if ps == si && words >= 2 {
                        speaker = Some(sp);
                    }
                }
            }
            let sentence_has_cue = tokens_in(lay, sent.start, sent.end)
                .filter(|&i| {
                    let p = lay.tokens[i].start;
                    !(q.start <= p && p < q.end)
                })
                .any(|i| cue_of(lay.tok(i), true));
            // A quote that continues the previous speaker's words.
            if speaker.is_none() && !sentence_has_cue && words >= 4 && !q.single {
                if let Some((sp, ssi)) = recent {
                    if ssi + 2 >= si {
                        speaker = Some(sp);
                    }
                }
            }
            if q.single || (words <= 3 && !sentence_has_cue) {
                speaker = None;
                cue = None;
            }
        }
        if let Some(sp) = speaker {
            recent = Some((sp, si));
        }
        prev_in_sentence = Some((si, speaker, q.close_end));
        quote.speaker = speaker;
        if let Some((cs, ce)) = cue {
            quote.cue = Some(text[cs..ce].to_string());
            quote.cue_span = Span::new(cs, ce).ok();
        }
        if speaker.is_some() {
            quote.date = timexes
                .iter()
                .filter(|t| {
                    t.start >= sent.start
                        && t.end <= sent.end
                        && (t.end <= q.start || t.start >= q.end)
                })
                .find_map(|t| t.value.clone());
        }
        out.push(quote);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::entities;
    use super::*;

    fn run(text: &str) -> Vec<(String, Option<String>)> {
        let lay = Layout::new(text);
        let spans = find_spans(&lay);
        let marks: Vec<(usize, usize, usize, usize)> = spans
            .iter()
            .filter(|q| !q.single && !q.block)
            .map(|q| (q.open, q.close_end, q.start, q.end))
            .collect();
        let ents = entities::find(&lay, &marks);
        let qs = attribute(&lay, &spans, &ents, &ents.entities, &[], &[]);
        qs.iter()
            .map(|q| {
                (
                    text[q.span.start()..q.span.end()].to_string(),
                    q.speaker.map(|s| ents.entities[s].name.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn speakers_after_and_before_the_quote() {
        let got = run("\u{201c}We will rebuild the bridge,\u{201d} Mayor Ana Torres said on Monday. Torres said the city \u{201c}cannot wait any longer.\u{201d}");
        assert_eq!(
            got[0],
            (
                "We will rebuild the bridge,".into(),
                Some("Ana Torres".into())
            )
        );
        assert_eq!(got[1].1.as_deref(), Some("Ana Torres"));
    }

    #[test]
    fn split_quotes_pronouns_and_continuations() {
        let text = "Coach Peter Lindqvist spoke after the match. \"We lost our shape,\" he said, \"and we paid for it.\"\n\n\"Next week we go again with the same players.\"";
        let got = run(text);
        assert!(
            got.iter()
                .all(|(_, s)| s.as_deref() == Some("Peter Lindqvist")),
            "{got:?}"
        );
    }

    #[test]
    fn scare_quotes_and_titles_have_no_speaker() {
        let got = run("Residents of the 'old town' gathered near the \"red line\" on Friday.");
        assert!(got.iter().all(|(_, s)| s.is_none()), "{got:?}");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn organisations_and_title_references_speak() {
        let got = run("Chilean Finance Minister Mario Marcel met bankers. \u{201c}Inflation is falling,\u{201d} the finance minister told reporters. The Central Bank of Chile said rates would \u{201c}stay high for some time.\u{201d}");
        assert_eq!(got[0].1.as_deref(), Some("Mario Marcel"), "{got:?}");
        assert_eq!(
            got[1].1.as_deref(),
            Some("Central Bank of Chile"),
            "{got:?}"
        );
    }

    #[test]
    fn block_quotes_after_a_colon() {
        let got = run("The Harbour Authority said in a statement:\n\nAll ferries will run as normal from tomorrow morning.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("Harbour Authority"));
    }
}
