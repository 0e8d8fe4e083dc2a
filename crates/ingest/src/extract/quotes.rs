//! Quotations: finding quoted spans (straight, curly and single marks, and block quotes
//! introduced by a line ending in a colon) and attributing each to a speaker through
//! speech cues before or after it, pronouns, titles and the previous quote. Scare quotes
//! and nicknames get no speaker. Entities are found elsewhere; this module only points
//! at them.

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

use annals_model::{EntityKind, LocalEntity, LocalQuote, Span};

use super::entities::{Entities, Ref};
use super::lexicon::{Words, LEXICON};
use super::text::{
    ascii_lower, char_at, char_before, is_apos, lowercase, quote_mark, Layout, LineKind,
};
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
    /// A paragraph whose quote runs on into the next paragraph without a closing mark
    /// (the convention for quotes over several paragraphs).
    pub runs_on: bool,
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
    "suggested",
    "suggests",
    "protested",
    "complained",
    "joked",
    "quipped",
    "predicted",
    "countered",
    "cautioned",
    "testified",
    "reiterated",
    "boasted",
    "lamented",
    "concluded",
    "contended",
    "maintained",
    "asserting",
    "warning",
    "arguing",
    "insisting",
    "claiming",
    "noting",
    "explaining",
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
    "describing",
    "calling",
    "urging",
    "accusing",
    "praising",
];

fn trim_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let inner = &text[s..e];
    let ls = inner.len() - inner.trim_start().len();
    let rs = inner.trim_end().len();
    (s + ls, s + rs.max(ls))
}

/// Whether the quoted words `s..e` end like a finished sentence (`... done.`, `... now?'`):
/// a new opening mark after them starts the next quoted sentence of the same passage.
fn ends_sentence(text: &str, s: usize, e: usize) -> bool {
    let t = text[s..e].trim_end_matches(['\'', '\u{2019}', ')']);
    t.ends_with(['.', '!', '?', '\u{2026}'])
}

/// Whether the bytes at `rel` of a line are an opening or closing double mark written as
/// two apostrophes (`''`, the house style of some wires).
fn two_apostrophes(line: &str, rel: usize) -> bool {
    line.as_bytes().get(rel..rel + 2) == Some(b"''")
}

/// Whether a byte can start one of the marks [`find_spans`] reads: a straight double mark
/// or apostrophe, or the first byte of a curly mark (U+2018-U+201D), a guillemet (U+00AB,
/// U+00BB) or a modifier apostrophe (U+02BC).
fn may_start_mark(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | 0xE2 | 0xC2 | 0xCA)
}

/// The first byte of `bytes` at or after `from` that [`may_start_mark`], or the length of
/// `bytes` when there is none. Skips eight bytes at a time while none of them is a
/// straight mark or a non-ASCII byte (every other mark starts with one), as most of a
/// line is.
fn next_mark_byte(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether some byte of `x` is zero.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let mut i = from;
    loop {
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            let x = u64::from_ne_bytes(eight);
            if x & HIGH != 0 || has_zero(x ^ (ONES * 0x22)) || has_zero(x ^ (ONES * 0x27)) {
                break;
            }
            i += 8;
        }
        // The next eight bytes (or fewer, at the end) hold a candidate: look at each.
        let end = (i + 8).min(bytes.len());
        while i < end {
            if may_start_mark(bytes[i]) {
                return i;
            }
            i += 1;
        }
        if i >= bytes.len() {
            return bytes.len();
        }
    }
}

/// Whether a character is one of the marks [`find_spans`] reads.
fn is_mark(c: char) -> bool {
    quote_mark(c) || is_apos(c)
}

/// Whether a line starts with an opening double mark (after spaces).
fn opens_with_mark(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with(['"', '\u{201c}', '\u{00ab}']) || t.starts_with("''")
}

/// Finds the quoted spans of a text, line by line.
pub(crate) fn find_spans(lay: &Layout<'_>) -> Vec<QSpan> {
    let text = lay.text;
    let mut out = Vec::new();
    for (li, line) in lay.lines.iter().enumerate() {
        if line.kind == LineKind::Furniture {
            continue;
        }
        let lt = &text[line.start..line.end];
        let bytes = lt.as_bytes();
        let mut dbl: Option<(usize, usize)> = None; // (mark start, content start)
        let mut sgl: Option<(usize, usize)> = None;
        // Only the marks matter: jump from one to the next, reading the characters on
        // either side of each.
        let mut rel = 0;
        loop {
            rel = next_mark_byte(bytes, rel);
            if rel >= bytes.len() {
                break;
            }
            let Some(c) = char_at(lt, rel).filter(|&c| is_mark(c)) else {
                rel += 1;
                continue;
            };
            let p = line.start + rel;
            let pair = c == '\'' && two_apostrophes(lt, rel);
            let width = if pair { 2 } else { c.len_utf8() };
            let prev = char_before(lt, rel);
            let next = char_at(lt, rel + width);
            let cend = p + width;
            rel += width;
            let double = pair || quote_mark(c);
            if double {
                // A straight mark (or a pair of apostrophes) opens after a space and
                // before a word, and closes otherwise; a curly one says which it is.
                let opener = match c {
                    '\u{201c}' | '\u{00ab}' => true,
                    '\u{201d}' | '\u{00bb}' => false,
                    _ => {
                        prev.is_none_or(|x| {
                            x.is_whitespace() || matches!(x, '(' | '[' | '\u{2014}' | '-')
                        }) && next.is_some_and(|x| !x.is_whitespace())
                    }
                };
                if opener {
                    // An opener while one is open: the open passage ran on. When it ended a
                    // sentence, it is one quoted sentence of a passage that goes on (`"I
                    // agree. "We all do."`), kept whole; otherwise it restarts.
                    if let Some((o, cs0)) = dbl {
                        let (s, e) = trim_span(text, cs0, p);
                        if e > s && ends_sentence(text, s, e) {
                            out.push(QSpan {
                                open: o,
                                close_end: p,
                                start: s,
                                end: e,
                                single: false,
                                block: false,
                                runs_on: true,
                            });
                        }
                    }
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
                            runs_on: false,
                        });
                    }
                    sgl = None;
                }
                continue;
            }
            if c == '\u{2018}' || is_apos(c) {
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
                            runs_on: false,
                        });
                    }
                    sgl = None;
                    continue;
                }
                let opens = c != '\u{2019}'
                    && prev
                        .is_none_or(|x| x.is_whitespace() || matches!(x, '(' | '[' | '\u{2014}'))
                    && next.is_some_and(char::is_alphanumeric);
                if opens {
                    sgl = Some((p, cend));
                }
            }
        }
        if let Some((o, cs0)) = dbl {
            let next_opens = lay
                .lines
                .get(li + 1)
                .is_some_and(|n| opens_with_mark(&text[n.start..n.end]));
            let (s, e) = trim_span(text, cs0, line.end);
            if next_opens && e > s {
                out.push(QSpan {
                    open: o,
                    close_end: line.end,
                    start: s,
                    end: e,
                    single: false,
                    block: false,
                    runs_on: true,
                });
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
        if !cue || btext.contains(['"', '\u{201c}', '\u{201d}']) || btext.contains("''") {
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
                runs_on: false,
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

/// Role words, beyond the titles of the lexicon, that make a speaker phrase name a person
/// ("the Florida senator", "the campaign manager", "a senior official").
const PERSON_ROLES: &[&str] = &[
    "official",
    "candidate",
    "nominee",
    "aide",
    "adviser",
    "advisor",
    "analyst",
    "lawyer",
    "attorney",
    "economist",
    "activist",
    "strategist",
    "host",
    "anchor",
    "negotiator",
    "diplomat",
    "expert",
    "frontrunner",
    "front-runner",
    "premier",
    "lawmaker",
    "legislator",
    "businessman",
    "businesswoman",
    "billionaire",
    "mogul",
    "neurosurgeon",
    "surgeon",
    "doctor",
    "physician",
    "historian",
    "scholar",
    "commentator",
    "columnist",
    "pollster",
    "witness",
    "resident",
    "survivor",
    "father",
    "mother",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "man",
    "woman",
    "senator",
    "governor",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "manager",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "secretary",
    "leader",
    "strategist",
];

/// Words that, before a name, make it part of a longer name phrase rather than end it
/// ("campaign manager Robby Mook", "former Senator X").
const NAME_MODIFIERS: &[&str] = &[
    "campaign",
    "deputy",
    "senior",
    "former",
    "press",
    "chief",
    "acting",
    "top",
    "then",
    "vice",
    "assistant",
    "general",
    "national",
    "executive",
];

/// Prepositions and subordinators: a name right after one is rarely the subject of its
/// sentence ("after Smith", "with Smith").
const OBLIQUE: &[&str] = &[
    "of",
    "for",
    "to",
    "with",
    "by",
    "about",
    "against",
    "from",
    "at",
    "on",
    "in",
    "into",
    "over",
    "under",
    "than",
    "as",
    "like",
    "toward",
    "towards",
    "behind",
    "between",
    "among",
    "before",
    "after",
    "since",
    "until",
    "without",
    "within",
    "upon",
    "via",
    "including",
    "despite",
    "unlike",
    "whom",
    "whose",
    "when",
    "while",
    "because",
    "although",
    "though",
    "if",
    "whether",
    "that",
    "who",
    "which",
    "where",
];

/// Words after which a name starts a new clause, as its subject.
const CLAUSE_OPENERS: &[&str] = &["and", "but", "so", "then", "yet", "also", "meanwhile"];

/// Words that open a clause that is not the speaker ("Smith, who ..., said").
const NOT_SUBJECT: &[&str] = &[
    "who", "whose", "whom", "which", "where", "when", "while", "after", "before", "as", "because",
    "although", "though", "if", "since", "until", "despite", "unless",
];

/// Speech verbs in -ing that take the subject of the main clause ("X criticised Y,
/// saying ...").
fn participle(word: &str) -> bool {
    word.len() > 4
        && word
            .get(word.len() - 3..)
            .is_some_and(|t| t.eq_ignore_ascii_case("ing"))
}

/// Whether the last word of a phrase is a role that names a person.
fn person_role(word: &str) -> bool {
    // Lowercase on the stack when the word is short and ASCII.
    let mut buf = [0u8; 32];
    ROLE_WORDS.contains(lowercase(word, &mut buf).trim_end_matches('.'))
}

/// [`PERSON_ROLES`] and the last word of every title of the lexicon (without a final
/// period), as one set, for [`person_role`].
static ROLE_WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let titles = LEXICON
        .titles
        .iter()
        .filter_map(|t| t.last())
        .map(|l| l.trim_end_matches('.'));
    PERSON_ROLES.iter().copied().chain(titles).collect()
});

struct Attributor<'a> {
    lay: &'a Layout<'a>,
    ents: &'a Entities,
    entities: &'a [LocalEntity],
    /// Content spans of double-quoted quotes, sorted by start.
    quoted: Vec<(usize, usize)>,
    /// The speaker of the last quote attributed in each sentence, as attribution goes.
    spoken: std::cell::RefCell<std::collections::BTreeMap<usize, usize>>,
}

impl Attributor<'_> {
    fn refs_in(&self, s: usize, e: usize) -> impl Iterator<Item = &Ref> {
        let a = self.ents.refs.partition_point(|r| r.start < s);
        self.ents.refs[a..].iter().take_while(move |r| r.end <= e)
    }

    fn kind(&self, e: usize) -> EntityKind {
        self.entities[e].kind
    }

    /// Whether byte `pos` lies inside quoted words.
    fn in_quote(&self, pos: usize) -> bool {
        let k = self.quoted.partition_point(|q| q.0 <= pos);
        k > 0 && pos < self.quoted[k - 1].1
    }

    /// Whether the ref's last token carries a possessive ("Trump's spokesman").
    fn possessive(&self, r: &Ref) -> bool {
        let k = self.lay.tokens.partition_point(|t| t.start < r.end);
        k > 0 && self.lay.tokens[k - 1].possessive
    }

    /// The person a "he" or "she" at `pos` refers to. Going back sentence by sentence
    /// (outside quotes), the most subject-like person or pronoun of the nearest sentence
    /// that has one (see [`Attributor::salience`]); the last quoted speaker among equals.
    /// A pronoun as that subject refers further back still, so the search goes on past
    /// it ("Trump spoke. Asked who leads, he said Ryan. He said ..." is Trump). A sentence
    /// whose people all own something or modify another name is passed over, at most
    /// twice; when nothing better is found its first person is the answer. A sentence
    /// with a quote already attributed answers with that quote's speaker.
    /// Without `pronouns` (for a role such as "the host"), only names count.
    fn person_before(
        &self,
        pos: usize,
        recent: Option<(usize, usize)>,
        pronouns: bool,
    ) -> Option<usize> {
        let mut si = match self.lay.sentence_at(pos) {
            Some(si) => si,
            None => self.lay.sentences.partition_point(|s| s.end <= pos),
        };
        let mut limit = pos;
        let mut fallback: Option<usize> = None;
        let mut weak = 0;
        let mut visited = 0;
        // (score, Some(person) or None for a pronoun), in text order.
        let mut items: Vec<(u8, Option<usize>)> = Vec::new();
        while visited < 10 {
            let Some(sent) = self.lay.sentences.get(si) else {
                if si == 0 {
                    break;
                }
                si -= 1;
                continue;
            };
            visited += 1;
            if pronouns {
                if let Some(&sp) = self.spoken.borrow().get(&si) {
                    return Some(sp);
                }
            }
            let end = limit.min(sent.end);
            items.clear();
            let mut refs = self.refs_in(sent.start, end).peekable();
            for t in sent.t0..sent.t1 {
                let tk = self.lay.tokens[t];
                if tk.end > end {
                    break;
                }
                while let Some(r) = refs.next_if(|r| r.start <= tk.start) {
                    if let Some(e) = r.entity {
                        if !r.demonym
                            && self.kind(e) == EntityKind::Person
                            && !self.entities[e].author
                            && !self.in_quote(r.start)
                        {
                            items.push((self.salience(r), Some(e)));
                        }
                    }
                }
                let w = self.lay.tok(t);
                if pronouns
                    && (w.eq_ignore_ascii_case("he") || w.eq_ignore_ascii_case("she"))
                    && !self.in_quote(tk.start)
                {
                    items.push((self.salience_at(t), None));
                }
            }
            for r in refs {
                if let Some(e) = r.entity {
                    if !r.demonym
                        && self.kind(e) == EntityKind::Person
                        && !self.entities[e].author
                        && !self.in_quote(r.start)
                    {
                        items.push((self.salience(r), Some(e)));
                    }
                }
            }
            if let Some(best) = items.iter().map(|x| x.0).max() {
                if best == 0 && weak < 2 {
                    weak += 1;
                    if fallback.is_none() {
                        fallback = items.iter().find_map(|x| x.1);
                    }
                } else {
                    let top = || items.iter().filter(|x| x.0 == best);
                    let chosen = recent
                        .map(|r| r.0)
                        .filter(|&sp| top().any(|x| x.1 == Some(sp)))
                        .map(Some)
                        .or_else(|| top().next().map(|x| x.1));
                    match chosen {
                        Some(Some(p)) => return Some(p),
                        // A pronoun: its person is further back.
                        _ => {
                            if fallback.is_none() {
                                fallback = items.iter().filter(|x| x.0 > 0).find_map(|x| x.1);
                            }
                        }
                    }
                }
            }
            if si == 0 {
                break;
            }
            si -= 1;
            limit = usize::MAX;
        }
        fallback.or_else(|| self.person_before_nearest(pos, recent))
    }

    /// How likely the person named at `r` is the subject of its clause: 0 when it owns
    /// something ("Trump's plan") or modifies a later name ("Clinton aide Jo Bell");
    /// otherwise as [`Attributor::salience_at`].
    fn salience(&self, r: &Ref) -> u8 {
        let t0 = self.lay.tokens.partition_point(|t| t.start < r.start);
        let t1 = self.lay.tokens.partition_point(|t| t.start < r.end);
        if t1 == 0 || t0 >= t1 {
            return 2;
        }
        if self.lay.tokens[t1 - 1].possessive {
            return 0;
        }
        // A name followed by role words and another name is a modifier of that name.
        let mut t = t1;
        let mut steps = 0;
        while t < self.lay.tokens.len() && steps < 4 && !phrase_break(self.lay, t - 1) {
            let w = self.lay.tok(t);
            let next_is_person = self
                .refs_in(self.lay.tokens[t].start, self.lay.text.len())
                .next()
                .is_some_and(|n| {
                    n.start == self.lay.tokens[t].start
                        && n.entity.is_some_and(|e| self.kind(e) == EntityKind::Person)
                });
            if next_is_person && t > t1 {
                return 0;
            }
            if !(person_role(w) || in_list(w, NAME_MODIFIERS)) {
                break;
            }
            t += 1;
            steps += 1;
        }
        self.salience_at(t0)
    }

    /// How likely the phrase starting at token `t0` is the subject of its clause: 3 when
    /// its name phrase (with titles and role words before it) opens the sentence or
    /// follows punctuation or a conjunction, 1 after a preposition or subordinator, else
    /// 2 (the object of a verb, mostly).
    fn salience_at(&self, t0: usize) -> u8 {
        let lay = self.lay;
        let Some(&si) = lay.tok_sent.get(t0) else {
            return 2;
        };
        let first = lay.sentences[si].t0;
        let mut t = t0;
        let mut steps = 0;
        while t > first && steps < 6 && !phrase_break(lay, t - 1) {
            let w = lay.tok(t - 1);
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if !(capital || person_role(w) || in_list(w, NAME_MODIFIERS)) {
                break;
            }
            t -= 1;
            steps += 1;
        }
        if t == first || phrase_break(lay, t - 1) {
            return 3;
        }
        let prev = lay.tok(t - 1);
        if in_list(prev, CLAUSE_OPENERS) {
            3
        } else if in_list(prev, OBLIQUE) {
            1
        } else {
            2
        }
    }

    /// The earlier rule for "he" or "she": among the people named outside quotes in the
    /// nearest sentence before `pos` that names one, the last quoted speaker if he or
    /// she is one of them, else the first.
    fn person_before_nearest(&self, pos: usize, recent: Option<(usize, usize)>) -> Option<usize> {
        let k = self.ents.refs.partition_point(|r| r.end <= pos);
        let mut sent: Option<Option<usize>> = None;
        let mut cands: Vec<usize> = Vec::new();
        for r in self.ents.refs[..k].iter().rev().take(400) {
            let Some(e) = r.entity else { continue };
            if r.demonym
                || self.kind(e) != EntityKind::Person
                || self.entities[e].author
                || self.in_quote(r.start)
            {
                continue;
            }
            let rs = self.lay.sentence_at(r.start);
            match sent {
                None => sent = Some(rs),
                Some(s) if s == rs => {}
                Some(_) => break,
            }
            cands.push(e);
        }
        if let Some((sp, _)) = recent {
            if cands.contains(&sp) {
                return Some(sp);
            }
        }
        cands.last().copied()
    }

    /// The first entity referred to in sentence `si`.
    fn subject_of(&self, si: usize) -> Option<usize> {
        let s = self.lay.sentences.get(si)?;
        self.refs_in(s.start, s.end)
            .filter(|r| !self.in_quote(r.start))
            .find_map(|r| r.entity)
    }

    /// The subject of the clause that ends at `cue`: a leading pronoun, else the first
    /// person or group named (outside quotes) between `from` and the cue.
    fn clause_subject(
        &self,
        from: usize,
        cue: usize,
        recent: Option<(usize, usize)>,
        si: usize,
    ) -> Option<usize> {
        let toks: Vec<usize> = tokens_in(self.lay, from, cue).take(3).collect();
        for &t in toks.iter().take(2) {
            if matches!(self.lay.low(t), "he" | "she" | "it" | "they") {
                let tk = self.lay.tokens[t];
                return self.resolve(tk.start, tk.end, recent, si);
            }
        }
        self.refs_in(from, cue)
            .filter(|r| !r.demonym && !self.in_quote(r.start))
            .filter_map(|r| r.entity)
            .find(|&e| matches!(self.kind(e), EntityKind::Person | EntityKind::Group))
    }

    /// Who a speaker phrase at `s..e` names.
    fn resolve(
        &self,
        s: usize,
        e: usize,
        recent: Option<(usize, usize)>,
        si: usize,
    ) -> Option<usize> {
        let toks: Vec<usize> = tokens_in(self.lay, s, e).take(40).collect();
        let words: Vec<String> = toks
            .iter()
            .map(|&i| self.lay.tok(i).to_lowercase())
            .collect();
        if let Some(w) = words.last().or(words.first()) {
            if words.len() <= 2 || matches!(w.as_str(), "he" | "she" | "it" | "they") {
                match w.as_str() {
                    "he" | "she" => return self.person_before(s, recent, true),
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
        let refs: Vec<&Ref> = self.refs_in(s, e).take(40).collect();
        // The last person named, unless only as an owner ("Trump's spokesman Hope Hicks").
        let people: Vec<&Ref> = refs
            .iter()
            .copied()
            .filter(|r| r.entity.is_some_and(|x| self.kind(x) == EntityKind::Person))
            .collect();
        let bracketed = |r: &Ref| self.lay.text[..r.start].ends_with('(');
        if let Some(r) = people
            .iter()
            .rev()
            .find(|r| !self.possessive(r) && !bracketed(r))
            .or(people.last())
        {
            return r.entity;
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
        // A role without a name: "the Florida senator" -> the nearest such person.
        let definite = matches!(
            words.first().map(String::as_str),
            Some("the" | "a" | "an" | "this" | "that" | "his" | "her" | "their" | "its")
        );
        if definite && words.last().is_some_and(|w| person_role(w)) {
            if let Some(p) = self.person_before(s, recent, false) {
                return Some(p);
            }
        }
        let named = |want_place: bool| {
            refs.iter()
                .filter_map(|r| r.entity)
                .find(|&x| (self.kind(x) == EntityKind::Place) == want_place)
        };
        if let Some(g) = named(false).or_else(|| named(true)) {
            return Some(g);
        }
        if definite {
            return recent.filter(|r| r.1 + 3 >= si).map(|r| r.0);
        }
        None
    }
}

/// Whether `word` is one of `list` (lowercase ASCII), ignoring ASCII case, without
/// allocating.
fn in_list(word: &str, list: &[&str]) -> bool {
    list.iter().any(|c| c.eq_ignore_ascii_case(word))
}

/// Whether a phrase that opens with `word` can be the subject of a speech verb: a name,
/// a pronoun, a determiner or a role; not an appositive ("an aide to ...") or a predicate
/// ("called on ...").
fn subject_opening(word: &str) -> bool {
    word.chars().next().is_some_and(|c| !c.is_lowercase())
        || in_list(
            word,
            &[
                "the", "this", "that", "his", "her", "its", "their", "our", "he", "she", "it",
                "they", "we", "i", "both", "two", "three", "some", "many", "one",
            ],
        )
        || person_role(word)
        || in_list(word, NAME_MODIFIERS)
}

/// Whether a word is a speech cue ([`CUES`], and [`LEAD_CUES`] with `lead_too`), ignoring
/// ASCII case. Looks at the length-and-letter masks first and lowercases into a stack
/// buffer.
fn cue_of(word: &str, lead_too: bool) -> bool {
    let (in_cues, in_lead) = cue_masks(word.as_bytes(), lead_too);
    if !(in_cues || in_lead) {
        return false;
    }
    let mut buf = [0u8; 16];
    ascii_lower(word, &mut buf).is_some_and(|w| in_cue_sets(w, in_cues, in_lead))
}

/// Whether `word` may be in [`CUES`] and (with `lead_too`) in [`LEAD_CUES`], by the
/// filters of the lists (its length and its first and last bytes, ASCII case aside).
/// Never false for a word of the list in any ASCII case; false for an empty word.
fn cue_masks(word: &[u8], lead_too: bool) -> (bool, bool) {
    let (cues, lead) = &*CUE_WORDS;
    (
        cues.may_contain_bytes(word),
        lead_too && lead.may_contain_bytes(word),
    )
}

/// Whether a lowercase word is in [`CUES`] (looked up when `in_cues`) or [`LEAD_CUES`]
/// (when `in_lead`).
fn in_cue_sets(word: &str, in_cues: bool, in_lead: bool) -> bool {
    let (cues, lead) = &*CUE_WORDS;
    (in_cues && cues.contains(word)) || (in_lead && lead.contains(word))
}

/// [`CUES`] and [`LEAD_CUES`] as word sets, each behind its filter.
static CUE_WORDS: LazyLock<(Words, Words)> = LazyLock::new(|| {
    let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect();
    (words(CUES), words(LEAD_CUES))
});

/// Whether the gap after token `i` ends a speaker phrase (a comma, a bracket, the end of
/// a sentence or line).
/// The last token of the phrase that follows the cue token `ci`: `tokens` up to and
/// including the first one a punctuation break follows; `ci` when there are none.
fn phrase_end(lay: &Layout<'_>, ci: usize, tokens: &[usize]) -> usize {
    let mut end_tok = ci;
    for &t in tokens {
        end_tok = t;
        if phrase_break(lay, t) {
            break;
        }
    }
    end_tok
}

fn phrase_break(lay: &Layout<'_>, i: usize) -> bool {
    lay.gap(i).contains([
        ',', ';', ':', '.', '!', '?', '\n', '\u{2014}', '\u{2013}', '"', '\u{201c}', '\u{201d}',
    ])
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
    let mut quoted: Vec<(usize, usize)> = spans
        .iter()
        .filter(|q| !q.single && !q.block)
        .map(|q| (q.start, q.end))
        .collect();
    quoted.sort_unstable();
    let at = Attributor {
        lay,
        ents,
        entities,
        quoted,
        spoken: Default::default(),
    };
    let text = lay.text;
    let mut is_nick = vec![false; spans.len()];
    for &n in nicknames {
        if let Some(x) = is_nick.get_mut(n) {
            *x = true;
        }
    }
    // Speech cues per sentence, counted once (a quote subtracts those inside it).
    let mut sent_cues = vec![0usize; lay.sentences.len()];
    let mut cue_tok = vec![false; lay.tokens.len()];
    for (i, (c, t)) in cue_tok.iter_mut().zip(&lay.tokens).enumerate() {
        // A token that is not ASCII is no cue (`cue_of` lowercases only its ASCII letters,
        // and every cue is ASCII), though its lowercase form may be one ("ASKED" with a
        // Kelvin sign). An ASCII token's lowercase form is already in the layout, and has
        // the token's length and its bytes in ASCII lower case, so the masks can read the
        // token itself: the lowercase form is looked at only for a token that may be a cue.
        let word = &text.as_bytes()[t.start..t.end];
        let (in_cues, in_lead) = cue_masks(word, true);
        let cue =
            (in_cues || in_lead) && word.is_ascii() && in_cue_sets(lay.low(i), in_cues, in_lead);
        if cue {
            *c = true;
            if let Some(n) = lay.tok_sent.get(i).and_then(|&s| sent_cues.get_mut(s)) {
                *n += 1;
            }
        }
    }
    let mut out: Vec<LocalQuote> = Vec::new();
    // (speaker, sentence) of the last attributed quote.
    let mut recent: Option<(usize, usize)> = None;
    let mut prev_in_sentence: Option<(usize, Option<usize>, usize)> = None; // (sentence, speaker, close_end)
                                                                            // (line, speaker) of the last quote that was attributed, for paragraphs that go on.
    let mut prev_para: Option<(usize, Option<usize>)> = None;
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
        if is_nick[qi] {
            out.push(quote);
            continue;
        }
        let si = lay.sentence_at(q.open).or_else(|| lay.sentence_at(q.start));
        let Some(si) = si else {
            out.push(quote);
            continue;
        };
        let sent = lay.sentences[si];
        let words = text[q.start..q.end].split_whitespace().take(8).count();
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
                    if cue_tok[i] && cue_of(lay.tok(i), false) {
                        cue = Some((lay.tokens[i].start, lay.tokens[i].end));
                    }
                }
            }
        } else {
            let next_open = spans.get(qi + 1).map_or(usize::MAX, |n| n.open);
            let mut sent_end = sent.end.max(q.close_end);
            // A quote that ends its sentence: the attribution may be the next one on the
            // line (`"... ?" Rubio said.`).
            if sent.end <= q.close_end {
                if let Some(n) = lay.sentences.get(si + 1) {
                    if n.line == sent.line {
                        sent_end = sent_end.max(n.end);
                    }
                }
            }
            let limit = sent_end.min(next_open);
            // After the quote: `“...,” X said` or `“...,” said X` or `according to X`.
            let after: Vec<usize> = tokens_in(lay, q.close_end, limit).take(30).collect();
            if let Some(k) = after.iter().position(|&i| cue_of(lay.tok(i), false)) {
                let ci = after[k];
                let cs = lay.tokens[ci].start;
                let mut ce = lay.tokens[ci].end;
                if k == 0 {
                    let mut last = ci;
                    if lay.tok(ci).eq_ignore_ascii_case("according")
                        && after.get(1).is_some_and(|&t| lay.tok(t) == "to")
                    {
                        ce = lay.tokens[after[1]].end;
                        last = after[1];
                    }
                    // The speaker phrase runs to the next comma or the end.
                    let mut end_tok = last;
                    if !phrase_break(lay, last) {
                        for &t in after.iter().filter(|&&t| t > last) {
                            end_tok = t;
                            if phrase_break(lay, t) {
                                break;
                            }
                        }
                    }
                    if end_tok > last {
                        speaker = at.resolve(ce, lay.tokens[end_tok].end, recent, si);
                    }
                    cue = Some((cs, ce));
                } else if k <= 8
                    && after[..k].iter().all(|&t| {
                        !NOT_SUBJECT.contains(&lay.low(t))
                            && !matches!(lay.low(t), "but" | "and" | "that")
                    })
                {
                    let from = lay.tokens[after[0]].start;
                    speaker = at.resolve(from, cs, recent, si);
                    cue = Some((cs, ce));
                }
                if speaker.is_none() && k > 0 {
                    // A clause between the quote and the attribution: `"..." if she
                    // loses, said Smith` or `"..." because it fails, he said`. The
                    // speaker is the short phrase next to the cue, after a comma.
                    let j = after[..k]
                        .iter()
                        .rposition(|&t| phrase_break(lay, t))
                        .map(|m| m + 1);
                    match j {
                        Some(j) if j == k => {
                            let end_tok = phrase_end(lay, ci, &after[k + 1..]);
                            if end_tok > ci {
                                speaker = at.resolve(ce, lay.tokens[end_tok].end, recent, si);
                                if speaker.is_some() {
                                    cue = Some((cs, ce));
                                }
                            }
                        }
                        Some(j) if k - j <= 6 && subject_opening(lay.tok(after[j])) => {
                            let first = lay.tok(after[j]);
                            if !in_list(first, NOT_SUBJECT) {
                                speaker = at.resolve(lay.tokens[after[j]].start, cs, recent, si);
                                if speaker.is_some() {
                                    cue = Some((cs, ce));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            // Before the quote: `X said “...”`, `X condemned the “...”`.
            if speaker.is_none() {
                let from = match prev_in_sentence {
                    Some((ps, _, pe)) if ps == si => pe,
                    _ => sent.start,
                };
                let before: Vec<usize> = tokens_in(lay, from, q.open.max(from)).collect();
                if let Some(k) = before.iter().rposition(|&i| cue_tok[i]) {
                    let ci = before[k];
                    let (cs, mut ce) = (lay.tokens[ci].start, lay.tokens[ci].end);
                    if lay.tok(ci).eq_ignore_ascii_case("according")
                        && before.get(k + 1).is_some_and(|&t| lay.tok(t) == "to")
                    {
                        ce = lay.tokens[before[k + 1]].end;
                        speaker = at.resolve(ce, q.open, recent, si);
                    } else {
                        // "he said", "she also said"; not "withdraw it and said".
                        let pron = before[k.saturating_sub(2)..k]
                            .iter()
                            .rev()
                            .find(|&&t| matches!(lay.low(t), "he" | "she" | "it" | "they"))
                            .filter(|&&t| {
                                t == before[k - 1]
                                    || !in_list(
                                        lay.tok(before[k - 1]),
                                        &["and", "or", "but", "to", "that", "then", "nor"],
                                    )
                            });
                        speaker = match pron {
                            Some(&t) => {
                                at.resolve(lay.tokens[t].start, lay.tokens[t].end, recent, si)
                            }
                            None if participle(lay.tok(ci)) => {
                                // "Smith added, saying ...": whoever speaks in the clause
                                // just before; else the subject of the sentence.
                                let m = k.checked_sub(1).filter(|&m| {
                                    cue_of(lay.tok(before[m]), false)
                                        && phrase_break(lay, before[m])
                                });
                                m.and_then(|m| {
                                    let j = before[..m]
                                        .iter()
                                        .rposition(|&t| phrase_break(lay, t))
                                        .map_or(0, |x| x + 1);
                                    if j < m && m - j <= 6 && subject_opening(lay.tok(before[j])) {
                                        at.resolve(
                                            lay.tokens[before[j]].start,
                                            lay.tokens[before[m]].start,
                                            recent,
                                            si,
                                        )
                                    } else {
                                        None
                                    }
                                })
                                .or_else(|| at.clause_subject(sent.start.min(from), cs, recent, si))
                            }
                            None => {
                                // The nearest comma-separated phrase before the cue that
                                // names someone ("Smith, who ..., said"). An appositive
                                // ("Smith, an aide to Jones, said") or a predicate ("Smith
                                // called on Jones to resign and said") only counts when no
                                // earlier phrase names anyone.
                                let lo = k.saturating_sub(30);
                                let mut seg_end = k;
                                let mut found = None;
                                let mut weak = None;
                                let mut j = k;
                                while j > lo {
                                    j -= 1;
                                    let starts_seg = j == lo || phrase_break(lay, before[j - 1]);
                                    if starts_seg {
                                        let word = lay.tok(before[j]);
                                        let first = word.to_lowercase();
                                        if seg_end > j && !NOT_SUBJECT.contains(&first.as_str()) {
                                            let who = at.resolve(
                                                lay.tokens[before[j]].start,
                                                lay.tokens[before[seg_end - 1]].end,
                                                recent,
                                                si,
                                            );
                                            if who.is_some() {
                                                if subject_opening(word) {
                                                    found = who;
                                                    break;
                                                }
                                                weak = weak.or(who);
                                            }
                                        }
                                        seg_end = j;
                                    }
                                }
                                // "Said Smith, ..." with nothing before the cue: the name
                                // after it.
                                if found.is_none()
                                    && weak.is_none()
                                    && (k == 0 || phrase_break(lay, before[k - 1]))
                                {
                                    let end_tok = phrase_end(lay, ci, &before[k + 1..]);
                                    if end_tok > ci {
                                        let pe = lay.tokens[end_tok].end;
                                        found = at.resolve(ce, pe, recent, si);
                                    }
                                }
                                found.or(weak)
                            }
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
            let inside = tokens_in(lay, q.start, q.end)
                .filter(|&i| cue_tok[i] && lay.tok_sent.get(i) == Some(&si))
                .count();
            let sentence_has_cue = sent_cues.get(si).copied().unwrap_or(0) > inside;
            // A quote that continues the previous speaker's words: the next paragraph
            // opening with a quote and no cue of its own, or a nearby sentence.
            if speaker.is_none() && !sentence_has_cue && words >= 4 && !q.single {
                let line_start = lay.lines[sent.line].start;
                let opens_para = text[line_start..q.open].trim().is_empty();
                if let Some((pl, Some(sp))) = prev_para {
                    if opens_para && pl + 1 == sent.line {
                        speaker = Some(sp);
                    }
                }
                if speaker.is_none() {
                    if let Some((sp, ssi)) = recent {
                        if ssi + 2 >= si {
                            speaker = Some(sp);
                        }
                    }
                }
            }
            if q.single || (words <= 3 && !sentence_has_cue) || title_like(&text[q.start..q.end]) {
                speaker = None;
                cue = None;
            }
        }
        if let Some(sp) = speaker {
            recent = Some((sp, si));
            at.spoken.borrow_mut().insert(si, sp);
        }
        prev_in_sentence = Some((si, speaker, q.close_end));
        if words >= 4 || speaker.is_some() {
            prev_para = Some((lay.sentences[si].line, speaker));
            // A quote running over several sentences: remember its last line.
            if let Some(end_si) = lay.sentence_at(q.end.saturating_sub(1)) {
                prev_para = Some((lay.sentences[end_si].line, speaker));
            }
        }
        quote.speaker = speaker;
        if let Some((cs, ce)) = cue {
            quote.cue = Some(text[cs..ce].to_string());
            quote.cue_span = Span::new(cs, ce).ok();
        }
        if speaker.is_some() {
            quote.date = quote_date(timexes, sent.start, sent.end, q, cue);
        }
        out.push(quote);
    }
    // A paragraph whose quote runs on belongs to whoever speaks in the next one.
    for qi in (0..out.len().saturating_sub(1)).rev() {
        if spans[qi].runs_on
            && out[qi].speaker.is_none()
            && spans[qi + 1].open >= spans[qi].close_end
        {
            out[qi].speaker = out[qi + 1].speaker;
        }
    }
    out
}

/// Whether quoted words read as a title or a name rather than speech: a few words, each
/// long one capitalised, with no closing punctuation ("The Long Road Home").
fn title_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().take(10).collect();
    if words.is_empty() || words.len() > 8 || s.ends_with(['.', ',', '!', '?', ';', ':']) {
        return false;
    }
    let long: Vec<&&str> = words.iter().filter(|w| w.chars().count() >= 4).collect();
    !long.is_empty()
        && long
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// When a quote was said: the resolved time expression of its sentence (outside the
/// quoted words) nearest to the cue ("said on Friday"), else the first.
fn quote_date(
    timexes: &[Timex],
    s: usize,
    e: usize,
    q: &QSpan,
    cue: Option<(usize, usize)>,
) -> Option<String> {
    let a = timexes.partition_point(|t| t.start < s);
    let near = |t: &Timex| match cue {
        Some((_, ce)) if t.start >= ce => t.start - ce,
        Some((cs, _)) => cs.saturating_sub(t.end),
        None => 0,
    };
    timexes[a..]
        .iter()
        .take_while(|t| t.start < e)
        .filter(|t| t.end <= e && (t.end <= q.open || t.start >= q.close_end))
        .filter(|t| t.value.is_some())
        .take(16)
        .min_by_key(|t| near(t))
        .and_then(|t| t.value.clone())
}

#[cfg(test)]
mod tests {
    use super::super::entities;
    use super::*;
    use proptest::prelude::*;

    /// Whether the speech-cue pass of [`attribute`] takes a token for a cue: by the masks
    /// and sets, and by the lists themselves (`low` is the token's lowercase form, as the
    /// layout has it).
    fn token_cue_both_ways(tok: &str, low: &str) -> (bool, bool) {
        let (in_cues, in_lead) = cue_masks(tok.as_bytes(), true);
        let fast = (in_cues || in_lead) && tok.is_ascii() && in_cue_sets(low, in_cues, in_lead);
        let listed = CUES.contains(&low) || LEAD_CUES.contains(&low);
        (fast, listed && tok.is_ascii())
    }

    /// The layout's lowercase form of a token.
    fn layout_lower(tok: &str) -> String {
        if tok.is_ascii() {
            tok.to_ascii_lowercase()
        } else {
            tok.to_lowercase()
        }
    }

    #[test]
    fn every_cue_passes_the_masks_in_any_case() {
        for (list, lead) in [(CUES, false), (LEAD_CUES, true)] {
            for w in list {
                let title = format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..]);
                for form in [w.to_string(), w.to_ascii_uppercase(), title] {
                    assert!(cue_of(&form, true), "{form}");
                    assert_eq!(cue_of(&form, false), !lead, "{form}");
                    assert_eq!(
                        token_cue_both_ways(&form, &layout_lower(&form)),
                        (true, true)
                    );
                }
            }
        }
        // Lowercase forms that are cues of tokens that are not ASCII are no cue.
        let kelvin = "AS\u{212a}ED";
        assert_eq!(layout_lower(kelvin), "asked");
        assert_eq!(token_cue_both_ways(kelvin, "asked"), (false, false));
        assert!(!cue_of(kelvin, true) && !cue_of("", true));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn the_cue_masks_rule_out_only_words_that_are_no_cue(
            tok in "[a-zA-Z]{1,14}|(?i:said|says|told|asked|added|according|called|urging)[a-z]?|[a-zA-Z\u{212a}\u{e9}]{1,8}",
        ) {
            let low = layout_lower(&tok);
            let (fast, listed) = token_cue_both_ways(&tok, &low);
            prop_assert_eq!(fast, listed);
            let mut buf = [0u8; 16];
            let ascii_low = ascii_lower(&tok, &mut buf).map(str::to_string);
            let in_lists = |lead: bool| ascii_low.as_deref().is_some_and(|w| {
                CUES.contains(&w) || (lead && LEAD_CUES.contains(&w))
            });
            prop_assert_eq!(cue_of(&tok, true), in_lists(true));
            prop_assert_eq!(cue_of(&tok, false), in_lists(false));
        }
    }

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
    fn next_mark_byte_finds_what_a_byte_scan_finds() {
        let texts = [
            "",
            "plain words and then some more plain words",
            "a \"quote\" and it's done",
            "caf\u{e9} \u{201c}x\u{201d} \u{ab}y\u{bb} don\u{2bc}t",
            "0123456789abcdef\"",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9} then plain text longer than eight bytes '",
        ];
        for t in texts {
            let b = t.as_bytes();
            for from in 0..=b.len() {
                let want = (from..b.len())
                    .find(|&i| may_start_mark(b[i]))
                    .unwrap_or(b.len());
                assert_eq!(next_mark_byte(b, from), want, "{t:?} from {from}");
            }
        }
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
