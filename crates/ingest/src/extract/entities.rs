//! Named entities: people, groups and places found from capitalised token sequences,
//! titles, cue words, gazetteers and acronym definitions, then clustered within the
//! article (surname after full name, acronym after expansion, "U.S."/"America" as one
//! country). Demonyms ("Iraqi") are kept as references to their country for attribution,
//! never as mentions. Dates are not handled here.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;

use annals_model::normalize::{is_plain_name, name_key};
use annals_model::{EntityKind, LocalEntity, Span};

use super::lexicon::{GazKind, LEXICON, LOCATIVE};
use super::text::{byline_name, Layout, LineKind};

/// Particles that join a name with a space as well as a hyphen ("Abu Bakr al Baghdadi",
/// "van Gogh"); the other [`PARTICLES`] are ordinary English words ("as", "at") and join
/// only with a hyphen ("as-Sadr").
const SPACED_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "de", "del", "della", "der", "den", "di", "da", "dos", "das",
    "du", "van", "von", "ter", "la", "le",
];

/// Lowercase name particles that may sit inside a name ("al-Sudani", "van Gogh").
const PARTICLES: &[&str] = &[
    "al", "el", "ad", "ar", "as", "ash", "at", "az", "ez", "ed", "es", "ul", "bin", "ibn", "bint",
    "de", "del", "della", "der", "den", "di", "da", "dos", "das", "du", "la", "le", "van", "von",
    "ter", "y",
];

/// Heads after which "of" continues a name ("Ministry of Defence", "Gulf of Aden").
const OF_HEADS: &[&str] = &[
    "Ministry",
    "Department",
    "University",
    "Bank",
    "Secretary",
    "Minister",
    "Gulf",
    "Strait",
    "Republic",
    "Kingdom",
    "Council",
    "Office",
    "Board",
    "Court",
    "Church",
    "Institute",
    "House",
    "Chamber",
    "Museum",
    "Federation",
    "Association",
    "Union",
    "League",
    "Party",
    "Bay",
    "Isle",
    "Cape",
    "Duke",
    "Prince",
    "Princess",
    "King",
    "Queen",
    "Governor",
    "Mayor",
    "Chief",
    "Head",
    "Sea",
    "Commission",
    "Committee",
    "College",
    "School",
    "Organization",
    "Organisation",
    "Mount",
    "Lake",
    "Province",
    "State",
    "States",
    "Bureau",
    "Director",
    "Chambers",
    "Chamber",
];

/// Heads after which "for" or "on" continues an organisation's name ("Institute for
/// Fiscal Studies", "Council on Foreign Relations").
const FOR_HEADS: &[&str] = &[
    "Institute",
    "Center",
    "Centre",
    "Council",
    "Committee",
    "Commission",
    "Foundation",
    "Campaign",
    "Coalition",
    "Alliance",
    "Association",
    "Society",
    "Office",
    "Fund",
    "Organization",
    "Organisation",
    "Agency",
    "Network",
    "Movement",
    "Union",
];

/// Titles that are also ordinary words in names ("General Motors", "Chief Executive"):
/// they mark a person only before a given name or a name of two words or more.
const AMBIGUOUS_TITLES: &[&str] = &[
    "general",
    "major",
    "chief",
    "leader",
    "director",
    "justice",
    "judge",
    "editor",
    "manager",
    "captain",
    "commander",
    "chair",
    "coach",
    "reporter",
    "correspondent",
    "founder",
    "king",
    "queen",
    "prince",
    "princess",
    "father",
    "sister",
    "brother",
    "host",
    "anchor",
    "candidate",
    "nominee",
    "speaker",
    "officer",
    "deputy",
    "lady",
    "lord",
    "whip",
    "aide",
];

/// Speech verbs that, right after an unknown single name, make it a person.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "argued",
    "stated",
    "wrote",
    "insisted",
    "claimed",
    "explained",
    "warned",
    "noted",
    "replied",
    "recalled",
];

/// Whether a word is a month or weekday name (or abbreviation) or a time-zone or AM/PM
/// mark: capitalised, but no name. A `matches!` on literals compiles to length and byte
/// comparisons, without a call per listed word.
fn month_or_day(w: &str) -> bool {
    matches!(
        w,
        "January"
            | "February"
            | "March"
            | "April"
            | "May"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Jan."
            | "Feb."
            | "Mar."
            | "Apr."
            | "Jun."
            | "Jul."
            | "Aug."
            | "Sep."
            | "Sept."
            | "Oct."
            | "Nov."
            | "Dec."
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "AM"
            | "PM"
            | "GMT"
            | "EST"
            | "ET"
            | "UTC"
    )
}

/// A piece's kind before clustering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PKind {
    Person,
    Group,
    Place,
    Unknown,
    /// An ordinary word in capitals ("Store", "Budget"): kept only as a short form of a
    /// full name it ends ("Jonas Gahr Store"), never as an entity of its own.
    Weak,
}

/// One candidate mention.
#[derive(Clone, Debug)]
struct Piece {
    start: usize,
    end: usize,
    t0: usize,
    t1: usize,
    kind: PKind,
    /// 4 gazetteer, 3 title or byline, 2 cue word, 1 weak shape, 0 unknown.
    strength: u8,
    /// The gazetteer's name for it, when the gazetteer knows it.
    gaz: Option<&'static str>,
    title: Option<String>,
    author: bool,
    headline: bool,
}

/// A reference to an entity in the text, including demonyms ("Iraqi" -> Iraq).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ref {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The entity, when it is one the article mentions by name.
    pub entity: Option<usize>,
    /// Whether this is a demonym, not a mention.
    pub demonym: bool,
}

/// The entities of one article, with references for attribution.
#[derive(Debug, Default)]
pub(crate) struct Entities {
    /// The entities, ordered by first mention.
    pub entities: Vec<LocalEntity>,
    /// Every mention and demonym, ordered by position.
    pub refs: Vec<Ref>,
    /// Titles and roles each entity is given ("prime minister").
    pub titles: Vec<Vec<String>>,
}

struct Finder<'a> {
    lay: &'a Layout<'a>,
    lower_words: WordSet<'a>,
    nick_gaps: HashSet<usize>,
    pieces: Vec<Piece>,
    /// Demonyms: span and the country they refer to.
    demonyms: Vec<(usize, usize, &'static str)>,
    links: Vec<(usize, usize)>,
}

/// The pronoun "I" and its contractions ("I'm", "I’ve"), capitalised but never a name.
fn is_pronoun_i(lower: &str) -> bool {
    lower == "i" || lower.starts_with("i'") || lower.starts_with("i\u{2019}")
}

fn first_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a word is an acronym: two to eight capitals or digits (dots aside), at least
/// one a letter ("NATO", "U.N.", "G7").
fn is_acronym(w: &str) -> bool {
    let (mut n, mut letter) = (0, false);
    for c in w.chars().filter(|c| *c != '.') {
        if !(c.is_uppercase() || c.is_ascii_digit()) {
            return false;
        }
        n += 1;
        letter |= c.is_alphabetic();
    }
    (2..=8).contains(&n) && letter
}

impl<'a> Finder<'a> {
    fn tok(&self, i: usize) -> &'a str {
        self.lay.tok(i)
    }

    /// Token `i` in lower case.
    fn low(&self, i: usize) -> &str {
        self.lay.low(i)
    }

    /// Whether the title `t` (lowercase words) starts at token `p` and ends by `limit`.
    fn title_matches(&self, t: &[String], p: usize, limit: usize) -> bool {
        p + t.len() <= limit && t.iter().enumerate().all(|(k, w)| self.low(p + k) == w)
    }

    fn cap(&self, i: usize) -> bool {
        let w = self.tok(i);
        first_upper(w) && !month_or_day(w) && !is_pronoun_i(self.low(i))
    }

    fn particle(&self, i: usize) -> bool {
        let w = self.tok(i);
        // Every particle is a short lowercase ASCII word: most tokens fail before the list.
        w.len() <= 5 && w.as_bytes()[0].is_ascii_lowercase() && PARTICLES.contains(&w)
    }

    /// Whether tokens `i` and `i + 1` may belong to one name.
    fn joinable(&self, i: usize) -> bool {
        if self.lay.tokens[i].possessive {
            return false;
        }
        let gap = self.lay.gap(i);
        if gap == "-" {
            return true;
        }
        if self.nick_gaps.contains(&i) {
            return true;
        }
        !gap.is_empty()
            && gap.len() <= 3
            && gap.chars().all(|c| c == ' ' || c == '\u{a0}' || c == '\t')
    }

    /// The end (exclusive) of the name sequence starting at `a`.
    fn extend(&self, a: usize, limit: usize) -> usize {
        let mut k = a;
        loop {
            let n = k + 1;
            if n >= limit || !self.joinable(k) {
                break;
            }
            // Month and day names are capitalised: most words fail before the list.
            if self.cap(n)
                || (first_upper(self.tok(n))
                    && month_or_day(self.tok(n))
                    && LEXICON.first_names.contains(self.tok(k)))
            {
                k = n;
                continue;
            }
            if self.particle(n)
                && n + 1 < limit
                && self.joinable(n)
                && self.cap(n + 1)
                && (SPACED_PARTICLES.contains(&self.tok(n)) || self.lay.tokens[n + 1].hyph_prev)
            {
                k = n + 1;
                continue;
            }
            if (self.tok(n) == "of"
                || (matches!(self.tok(n), "for" | "on") && FOR_HEADS.contains(&self.tok(k))))
                && (self.tok(n) != "of" || OF_HEADS.contains(&self.tok(k)))
                && n + 1 < limit
                && self.joinable(n)
            {
                if self.cap(n + 1) {
                    k = n + 1;
                    continue;
                }
                if self.tok(n + 1) == "the"
                    && n + 2 < limit
                    && self.joinable(n + 1)
                    && self.cap(n + 2)
                {
                    k = n + 2;
                    continue;
                }
            }
            break;
        }
        k + 1
    }

    fn surface(&self, a: usize, b: usize) -> &'a str {
        &self.lay.text[self.lay.tokens[a].start..self.lay.tokens[b - 1].end]
    }

    /// Whether token `i` is an ordinary English word that is not also a common name
    /// ("Poll", "Morning"; not "Brown", which is a frequent surname).
    fn is_dictionary_word(&self, i: usize) -> bool {
        LEXICON.english.contains(self.low(i))
            && !LEXICON.is_common_surname(self.tok(i))
            && !LEXICON.first_names.contains(self.tok(i))
    }

    fn is_lowerish(&self, i: usize) -> bool {
        let l = self.low(i);
        LEXICON.is_common(l) || self.lower_words.contains(l)
    }

    fn push(
        &mut self,
        a: usize,
        b: usize,
        kind: PKind,
        strength: u8,
        gaz: Option<&'static str>,
        headline: bool,
    ) {
        self.pieces.push(Piece {
            start: self.lay.tokens[a].start,
            end: self.lay.tokens[b - 1].end,
            t0: a,
            t1: b,
            kind,
            strength,
            gaz,
            title: None,
            author: false,
            headline,
        });
    }

    /// The length of the title starting at token `p`, within `p..limit`.
    fn title_at(&self, p: usize, limit: usize) -> usize {
        if p >= limit {
            return 0;
        }
        let low = self.low(p);
        if !LEXICON.title_first.may_contain(low) {
            return 0;
        }
        let Some(candidates) = LEXICON.title_index.get(low) else {
            return 0;
        };
        candidates
            .iter()
            .map(|&i| &LEXICON.titles[i])
            .find(|t| self.title_matches(t, p, limit))
            .map_or(0, |t| t.len())
    }

    fn has_org_cue(&self, a: usize, b: usize) -> bool {
        b - a >= 2
            && (LEXICON.org_last.contains(self.tok(b - 1))
                || LEXICON.org_first.contains(self.tok(a))
                || (a..b - 1)
                    .any(|i| self.tok(i + 1) == "of" && LEXICON.org_last.contains(self.tok(i))))
    }

    fn has_place_cue(&self, a: usize, b: usize) -> bool {
        b - a >= 2
            && (LEXICON.place_last.contains(self.tok(b - 1))
                || LEXICON.place_first.contains(self.tok(a)))
    }

    /// A country or demonym prefix of `a..b`: its end and whether it is a demonym.
    fn country_prefix(&self, a: usize, b: usize) -> Option<(usize, Option<&'static str>)> {
        for m in (a + 1..b.min(a + 4)).rev() {
            let known = LEXICON.known(self.surface(a, m));
            if let Some(e) = known.entry() {
                if e.kind == GazKind::Country {
                    return Some((m, None));
                }
            }
            if let Some(c) = known.demonym() {
                return Some((m, Some(c)));
            }
        }
        None
    }

    /// Classifies a name sequence without titles.
    fn classify(
        &mut self,
        a: usize,
        b: usize,
        headline: bool,
        allow_split: bool,
        title_before: bool,
    ) {
        if a >= b {
            return;
        }
        let surface = self.surface(a, b);
        // One lookup answers every question the lists can about this surface.
        let known = LEXICON.known(surface);
        if let Some(e) = known.entry() {
            let kind = if e.kind == GazKind::Org {
                PKind::Group
            } else {
                PKind::Place
            };
            self.push(a, b, kind, 4, Some(&e.canonical), headline);
            return;
        }
        if b - a == 1 {
            if let Some(c) = known.demonym() {
                self.demonyms
                    .push((self.lay.tokens[a].start, self.lay.tokens[a].end, c));
                return;
            }
        }
        if b - a >= 2 {
            if let Some((m, dem)) = self.country_prefix(a, b) {
                if self.has_org_cue(m, b) || (b - m == 1 && LEXICON.org_last.contains(self.tok(m)))
                {
                    match dem {
                        None => self.push(a, b, PKind::Group, 2, None, headline),
                        Some(c) => {
                            self.demonyms.push((
                                self.lay.tokens[a].start,
                                self.lay.tokens[m - 1].end,
                                c,
                            ));
                            if b - m == 1 {
                                // "Chilean Navy": the cue word alone names nothing; the
                                // demonym and the cue together are the organisation.
                                self.push(a, b, PKind::Group, 2, None, headline);
                            } else {
                                self.classify(m, b, headline, false, false);
                            }
                        }
                    }
                } else {
                    self.classify(a, m, headline, false, false);
                    self.classify(m, b, headline, allow_split, title_before);
                }
                return;
            }
        }
        if allow_split && b - a >= 2 && !self.has_org_cue(a, b) && !self.has_place_cue(a, b) {
            // Split around gazetteer names: "Jordan-Syria", "Iraq Syria".
            let mut found = Vec::new();
            let mut p = a;
            while p < b {
                let mut hit = 0;
                // The whole of `a..b` names no gazetteer entry (it would have been
                // taken above), so it is not looked up again.
                let longest = if p == a { b - a - 1 } else { b - p };
                for len in (1..=LEXICON.max_name_words.min(longest)).rev() {
                    if LEXICON
                        .lookup(self.surface(p, p + len))
                        .is_some_and(|e| e.kind != GazKind::Org)
                    {
                        hit = len;
                        break;
                    }
                }
                if hit > 0 && (hit < b - a) {
                    found.push((p, p + hit));
                    p += hit;
                } else {
                    p += 1;
                }
            }
            let lowered = self.lay.tokens[a + 1..b].iter().any(|t| !t.hyph_prev);
            let first_name = LEXICON.first_names.contains(self.tok(a));
            let person_with_place_name = first_name && lowered && found.iter().all(|f| f.0 > a);
            if !found.is_empty() && !person_with_place_name {
                let mut cur = a;
                for (s, e) in found {
                    if cur < s {
                        self.classify(cur, s, headline, false, false);
                    }
                    self.classify(s, e, headline, false, false);
                    cur = e;
                }
                if cur < b {
                    self.classify(cur, b, headline, false, false);
                }
                return;
            }
        }
        let single = b - a == 1;
        let city = known.city_population();
        let first_name = LEXICON.first_names.contains(self.tok(a));
        let locative = a
            .checked_sub(1)
            .is_some_and(|i| LOCATIVE.contains(&self.low(i)));
        let after_lower = (b < self.lay.tokens.len() && self.joinable(b - 1) && !self.cap(b))
            .then(|| self.low(b));
        let title_after = b < self.lay.tokens.len()
            && self.joinable(b - 1)
            && !self.cap(b)
            && self.title_at(b, (b + 2).min(self.lay.tokens.len())) > 0
            && !first_name;
        if self.has_org_cue(a, b) {
            self.push(a, b, PKind::Group, 2, None, headline);
        } else if title_after && !title_before {
            self.push(a, b, PKind::Group, 1, None, headline);
        } else if self.has_place_cue(a, b)
            || after_lower.is_some_and(|w| LEXICON.place_after.contains(w))
        {
            self.push(a, b, PKind::Place, 2, None, headline);
        } else if b - a == 1 && {
            let w = self.low(a);
            w.ends_with(".com") || w.ends_with(".org") || w.ends_with(".net")
        } {
            self.push(a, b, PKind::Group, 2, None, headline);
        } else if single && is_acronym(self.tok(a)) && LEXICON.is_common(self.low(a)) {
            // A common-noun acronym ("SUV", "GDP") or a word in capitals ("ABSTRACT").
        } else if single && is_acronym(self.tok(a)) {
            self.push(a, b, PKind::Group, 1, None, headline);
        } else if single && known.party_adjective() {
            // "Democratic", "Republican": an adjective for a party, not a mention of it.
        } else if let Some(pop) = city.filter(|&pop| {
            // A lone word that names a small town is more often a surname ("Obama",
            // "Scarborough"): without "in"/"at" before it, only large cities count.
            single
                && !title_before
                && (locative || (!first_name && pop >= 200_000 && !LEXICON.is_surname(self.tok(a))))
        }) {
            let strength = if pop >= 1_000_000 { 3 } else { 2 };
            self.push(a, b, PKind::Place, strength, None, headline);
        } else if b - a >= 3
            && !first_name
            && self.is_dictionary_word(a)
            && LEXICON.first_names.contains(self.tok(a + 1))
        {
            // "Crooked Hillary Clinton": an epithet before a full name is not part of it.
            self.classify(a + 1, b, headline, false, title_before);
        } else if title_before
            || (!single && first_name)
            || (b - a >= 2 && (a + 1..b).any(|i| self.particle(i)))
            || (a..b).any(|i| self.nick_gaps.contains(&i))
        {
            self.push(a, b, PKind::Person, 2, None, headline);
        } else if locative {
            self.push(a, b, PKind::Place, 1, None, headline);
        } else if !single && city.is_some() {
            self.push(a, b, PKind::Place, 2, None, headline);
        } else if self.is_compound_modifier(a, b) {
            // "Lincoln-Douglas debates", "(R-Va.)": names used as a modifier or a tag.
        } else if (2..=5).contains(&(b - a))
            && (a..b).all(|i| !is_acronym(self.tok(i)) || self.particle(i))
        {
            // Capitalised words with no sign of a person: a person only if none of them
            // is an ordinary word ("Good Morning", "Badger State"), or the last is a
            // common surname after a word that is not ordinary.
            let ordinary = (a..b)
                .filter(|&i| !self.particle(i))
                .any(|i| self.is_lowerish(i) || self.is_dictionary_word(i));
            let surname = LEXICON.is_surname(self.tok(b - 1))
                && !self.is_lowerish(a)
                && !self.is_dictionary_word(a);
            if !ordinary || surname {
                self.push(a, b, PKind::Person, 1, None, headline);
            }
        } else if single && !self.is_lowerish(a) && !self.is_dictionary_word(a) {
            self.push(a, b, PKind::Unknown, 0, None, headline);
        } else if single {
            self.push(a, b, PKind::Weak, 0, None, headline);
        }
    }

    /// Whether `a..b` is a hyphenated pair of surnames used as a modifier
    /// ("Kennedy-Nixon debates") or a party-and-state tag ("R-Va").
    fn is_compound_modifier(&self, a: usize, b: usize) -> bool {
        if b - a < 2 || !self.lay.tokens[a + 1].hyph_prev {
            return false;
        }
        let party_tag = b - a == 2 && matches!(self.tok(a), "R" | "D" | "I");
        let surnames = (a..a + 2)
            .all(|i| LEXICON.is_surname(self.tok(i)) && !LEXICON.first_names.contains(self.tok(i)))
            && !self.particle(a);
        party_tag || surnames
    }

    /// Handles one name sequence `a..b`, splitting off titles.
    fn sequence(&mut self, a: usize, mut b: usize, headline: bool) {
        // "Pentagon Press secretary": a title that runs past the sequence.
        if b > a + 1 {
            let last = self.low(b - 1);
            let candidates = LEXICON
                .title_first
                .may_contain(last)
                .then(|| LEXICON.title_index.get(last))
                .flatten();
            for t in candidates
                .into_iter()
                .flatten()
                .map(|&i| &LEXICON.titles[i])
            {
                if t.len() >= 2
                    && self.title_matches(t, b - 1, self.lay.tokens.len())
                    && !first_upper(self.tok(b))
                {
                    b -= 1;
                    break;
                }
            }
        }
        let mut p = a;
        let mut title: Option<(usize, usize)> = None;
        while p < b {
            let len = self.title_at(p, b);
            if len > 0 {
                let mut e = p + len;
                while e < b {
                    let more = self.title_at(e, b);
                    if more == 0 {
                        break;
                    }
                    e += more;
                }
                let t = self.surface(p, e).to_lowercase();
                let ambiguous = AMBIGUOUS_TITLES.contains(&t.as_str());
                if e < b && (!ambiguous || b - e >= 2 || LEXICON.first_names.contains(self.tok(e)))
                {
                    title = Some((p, e));
                    break;
                }
                if e == b && !ambiguous {
                    // "the Shadow Secretary of State": a title with no name after it.
                    self.classify(a, p, headline, true, false);
                    return;
                }
                p = e;
                continue;
            }
            p += 1;
        }
        let lower_title_before = (1..=3).any(|len| {
            a >= len
                && !first_upper(self.tok(a - 1))
                && self.title_at(a - len, a) == len
                && (a - len..a).all(|i| !self.cap(i) || i < a - 1)
        });
        match title {
            Some((ts, te)) => {
                self.classify(a, ts, headline, true, false);
                let before = self.pieces.len();
                self.classify(te, b, headline, true, true);
                let t = self.surface(ts, te).to_lowercase();
                for piece in &mut self.pieces[before..] {
                    if piece.kind == PKind::Person {
                        piece.strength = piece.strength.max(3);
                        piece.title = Some(t.clone());
                    }
                }
            }
            None => {
                let before = self.pieces.len();
                self.classify(a, b, headline, true, lower_title_before);
                if lower_title_before {
                    let t = self.low(a - 1).to_string();
                    for piece in &mut self.pieces[before..] {
                        if piece.kind == PKind::Person {
                            piece.title = Some(t.clone());
                        }
                    }
                }
            }
        }
    }

    fn run(&mut self) {
        let lay = self.lay;
        for (si, s) in lay.sentences.iter().enumerate() {
            let kind = lay.sent_kind(si);
            match kind {
                LineKind::Furniture => continue,
                LineKind::Byline => {
                    let line = lay.lines[s.line];
                    if let Some((ns, ne)) = byline_name(&lay.text[line.start..line.end]) {
                        let (ns, ne) = (line.start + ns, line.start + ne);
                        let t0 = lay.tokens.partition_point(|t| t.start < ns);
                        let t1 = lay.tokens.partition_point(|t| t.start < ne);
                        // Several authors: "A and B".
                        let mut a = t0;
                        while a < t1 {
                            if !self.cap(a) {
                                a += 1;
                                continue;
                            }
                            let b = self.extend(a, t1);
                            self.push(a, b, PKind::Person, 3, None, false);
                            if let Some(p) = self.pieces.last_mut() {
                                p.author = true;
                            }
                            a = b;
                        }
                    }
                    continue;
                }
                _ => {}
            }
            let headline = kind == LineKind::Headline;
            let mut i = s.t0;
            while i < s.t1 {
                let starts = self.cap(i)
                    || (i + 1 < s.t1
                        && self.lay.tokens[i + 1].hyph_prev
                        && self.particle(i)
                        && self.joinable(i)
                        && self.cap(i + 1));
                if !starts {
                    i += 1;
                    continue;
                }
                let mut a = i;
                let b = self.extend(i, s.t1);
                i = b;
                let lead = lay.text[s.start..lay.tokens[a].start].trim_end();
                let sentence_initial = lead.chars().all(|c| !c.is_alphanumeric())
                    || lead.ends_with(['.', '!', '?', ':', '"', '\u{201c}', '(', '\u{2014}']);
                if headline {
                    // Title case: split at words the text uses in lower case.
                    let mut cur = a;
                    for k in a..=b {
                        if k == b || self.is_lowerish(k) && LEXICON.lookup(self.tok(k)).is_none() {
                            if cur < k {
                                self.sequence(cur, k, true);
                            }
                            cur = k + 1;
                        }
                    }
                } else {
                    if sentence_initial && self.is_lowerish(a) && {
                        let known = LEXICON.known(self.tok(a));
                        known.entry().is_none() && known.demonym().is_none()
                    } {
                        a += 1;
                    }
                    // "Said Mr. Ryan, ...": an inverted attribution, not a man named Said;
                    // whoever it names is a speaker, so a person.
                    let inverted = sentence_initial && b - a >= 2 && SPEECH.contains(&self.low(a));
                    if inverted {
                        a += 1;
                    }
                    if a < b {
                        let n_before = self.pieces.len();
                        self.sequence(a, b, false);
                        if inverted {
                            for p in &mut self.pieces[n_before..] {
                                if matches!(p.kind, PKind::Unknown | PKind::Weak) {
                                    p.kind = PKind::Person;
                                    p.strength = p.strength.max(2);
                                }
                            }
                        }
                        // An acronym defined in parentheses: "Full Name (ACR)".
                        if b < s.t1 && self.lay.gap(b - 1).trim() == "(" && is_acronym(self.tok(b))
                        {
                            let after = self.lay.gap(b);
                            if after.starts_with(')') || after.starts_with(',') {
                                if let Some(last) =
                                    self.pieces.len().checked_sub(1).filter(|&l| l >= n_before)
                                {
                                    let kind = match self.pieces[last].kind {
                                        PKind::Unknown | PKind::Weak | PKind::Person => {
                                            PKind::Group
                                        }
                                        k => k,
                                    };
                                    // A place takes only an acronym that spells it
                                    // ("United Arab Emirates (UAE)"); after another place
                                    // name ("Nairobi (NWB)") the acronym is a name of its
                                    // own.
                                    let p = &self.pieces[last];
                                    let spells_place = p.kind != PKind::Place
                                        || initials(self.surface(p.t0, p.t1))
                                            == self.tok(b).replace('.', "");
                                    if LEXICON.lookup(self.tok(b)).is_none() && spells_place {
                                        self.pieces[last].kind = kind;
                                        self.pieces[last].strength =
                                            self.pieces[last].strength.max(2);
                                        self.push(b, b + 1, kind, 2, None, false);
                                        self.links.push((last, self.pieces.len() - 1));
                                    } else {
                                        self.classify(b, b + 1, false, false, false);
                                    }
                                    i = b + 1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A set of words. A word of up to seven bytes is kept as one number (its bytes and its
/// length), which hashes and compares without a string comparison: most words are short.
struct WordSet<'a> {
    short: HashSet<u64>,
    long: HashSet<&'a str>,
}

impl<'a> WordSet<'a> {
    /// The number a word of up to seven bytes is kept as, or `None` for a longer one.
    fn packed(word: &str) -> Option<u64> {
        let b = word.as_bytes();
        if b.len() > 7 {
            return None;
        }
        let mut bytes = [0u8; 8];
        bytes[..b.len()].copy_from_slice(b);
        bytes[7] = b.len() as u8;
        Some(u64::from_le_bytes(bytes))
    }

    fn insert(&mut self, word: &'a str) {
        match Self::packed(word) {
            Some(p) => self.short.insert(p),
            None => self.long.insert(word),
        };
    }

    fn contains(&self, word: &str) -> bool {
        match Self::packed(word) {
            Some(p) => self.short.contains(&p),
            None => self.long.contains(word),
        }
    }
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let n = self.0[y];
            self.0[y] = r;
            y = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Nickname quotes: `Name “Nick” Name`, returned as the token indices whose gaps they fill.
fn nickname_gaps(lay: &Layout<'_>, quotes: &[(usize, usize, usize, usize)]) -> HashSet<usize> {
    let mut out = HashSet::default();
    for &(open, close_end, cs, ce) in quotes {
        let k = lay.tokens.partition_point(|t| t.end <= open);
        if k == 0 {
            continue;
        }
        let prev = k - 1;
        let inner: Vec<usize> = (k..lay.tokens.len())
            .take_while(|&i| lay.tokens[i].end <= ce)
            .collect();
        if inner.is_empty() || inner.len() > 3 || lay.tokens[inner[0]].start < cs {
            continue;
        }
        let last = inner[inner.len() - 1];
        let next = last + 1;
        if next >= lay.tokens.len() {
            continue;
        }
        let gap_before = &lay.text[lay.tokens[prev].end..lay.tokens[inner[0]].start];
        let gap_after = &lay.text[lay.tokens[last].end..lay.tokens[next].start];
        let caps = |i: usize| first_upper(lay.tok(i));
        let ok = caps(prev)
            && inner.iter().all(|&i| caps(i))
            && (caps(next) || PARTICLES.contains(&lay.tok(next)))
            && gap_before.trim()
                == lay.text[open..]
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default()
            && lay.tokens[next].start >= close_end
            && gap_after.trim().chars().count() == 1
            && !lay.tokens[prev].possessive;
        if ok {
            out.insert(prev);
            out.insert(last);
            for &i in &inner[..inner.len() - 1] {
                out.insert(i);
            }
        }
    }
    out
}

/// Finds and clusters the entities of a laid-out text. `quotes` are the double-quoted
/// spans `(open mark, end of close mark, content start, content end)`.
pub(crate) fn find(lay: &Layout<'_>, quotes: &[(usize, usize, usize, usize)]) -> Entities {
    let mut lower_words = WordSet {
        short: HashSet::with_capacity_and_hasher(lay.tokens.len() / 2, Default::default()),
        long: HashSet::default(),
    };
    for t in &lay.tokens {
        let w = &lay.text[t.start..t.end];
        if w.chars().next().is_some_and(char::is_lowercase) {
            lower_words.insert(w);
        }
    }
    let mut f = Finder {
        lay,
        lower_words,
        nick_gaps: nickname_gaps(lay, quotes),
        // About one piece for every eight tokens of news text.
        pieces: Vec::with_capacity(lay.tokens.len() / 8 + 4),
        demonyms: Vec::new(),
        links: Vec::new(),
    };
    f.run();
    cluster(f)
}

/// The [`name_key`] of the text `start..end`, borrowed from the layout's lowercase text
/// when the text is a plain name (where the key is its lowercase without "the ").
fn key_of<'a>(lay: &'a Layout<'_>, start: usize, end: usize) -> Cow<'a, str> {
    let text = &lay.text[start..end];
    if is_plain_name(text) {
        let lower = lay.ascii_lower(start, end);
        Cow::Borrowed(lower.strip_prefix("the ").unwrap_or(lower))
    } else {
        Cow::Owned(name_key(text))
    }
}

/// Appends the matching keys of a piece's words, particles aside, to `out`: each word's
/// [`name_key`].
fn token_keys<'a>(f: &'a Finder<'_>, p: &Piece, out: &mut Vec<Cow<'a, str>>) {
    for i in p.t0..p.t1 {
        if f.particle(i) || matches!(f.tok(i), "Al" | "El") {
            continue;
        }
        let t = f.lay.tokens[i];
        let key = key_of(f.lay, t.start, t.end);
        if !key.is_empty() {
            out.push(key);
        }
    }
}

/// The key pieces are merged by when their text is the same: the gazetteer's name for
/// them, else the [`name_key`] of their text (which never equals a gazetteer key).
#[derive(Debug, PartialEq, Eq, Hash)]
enum PieceKey<'p> {
    Gaz(&'p str),
    Name(Cow<'p, str>),
}

fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "al" | "el" | "de" | "&"))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The longest shorter form of a name that is looked up, in words: real names are
/// shorter, and indexing every suffix of a run of thousands of capitalised words would
/// take time quadratic in its length.
const MAX_SHORT_FORM_WORDS: usize = 8;

/// Where the proper suffixes of a name of `len` words that are looked up as its shorter
/// forms start: all of them, but none longer than [`MAX_SHORT_FORM_WORDS`].
fn suffix_starts(len: usize) -> std::ops::Range<usize> {
    len.saturating_sub(MAX_SHORT_FORM_WORDS).max(1)..len
}

fn cluster(f: Finder<'_>) -> Entities {
    let n = f.pieces.len();
    let mut dsu = Dsu((0..n).collect());
    let keys: Vec<PieceKey<'_>> = f
        .pieces
        .iter()
        .map(|p| match p.gaz {
            Some(c) => PieceKey::Gaz(c),
            None => PieceKey::Name(key_of(f.lay, p.start, p.end)),
        })
        .collect();
    // Every piece's word keys, one after the other: piece `i`'s are `words[spans[i]]`.
    let mut words: Vec<Cow<'_, str>> = Vec::with_capacity(2 * n);
    let mut spans = Vec::with_capacity(n);
    for p in &f.pieces {
        let from = words.len();
        token_keys(&f, p, &mut words);
        spans.push(from..words.len());
    }
    let tkeys: Vec<&[Cow<'_, str>]> = spans.into_iter().map(|r| &words[r]).collect();
    // Shorter forms of people's names: every proper suffix of a full name ("clinton" of
    // "hillary clinton") -> the full-name pieces that end with it, in text order.
    let mut full_by_suffix: HashMap<&[Cow<'_, str>], Vec<usize>> = HashMap::default();
    for (j, q) in f.pieces.iter().enumerate() {
        if q.kind == PKind::Person && tkeys[j].len() >= 2 {
            for k in suffix_starts(tkeys[j].len()) {
                full_by_suffix.entry(&tkeys[j][k..]).or_default().push(j);
            }
        }
    }
    // The full names each piece's words are a shorter form of, looked up once.
    let fulls_of: Vec<Option<&Vec<usize>>> = tkeys.iter().map(|t| full_by_suffix.get(t)).collect();
    // A short form shared by two different full names ("Clinton" for Hillary and Bill)
    // must not glue them together: such pieces are not merged by their own text, only
    // each with the nearest full name.
    let ambiguous = |i: usize| -> bool {
        fulls_of[i].is_some_and(|js| {
            let mut names = js.iter().map(|&j| &keys[j]);
            let first = names.next();
            names.any(|n| Some(n) != first)
        })
    };
    let mut by_key: HashMap<&PieceKey<'_>, usize> = HashMap::default();
    for (i, k) in keys.iter().enumerate() {
        if ambiguous(i) {
            continue;
        }
        match by_key.get(k) {
            Some(&j) => dsu.union(i, j),
            None => {
                by_key.insert(k, i);
            }
        }
    }
    for &(a, b) in &f.links {
        dsu.union(a, b);
    }
    for (i, p) in f.pieces.iter().enumerate() {
        if p.gaz.is_some() || p.kind == PKind::Place || p.strength >= 3 && p.kind != PKind::Person {
            continue;
        }
        if tkeys[i].is_empty() || p.kind == PKind::Group && p.strength >= 2 {
            continue;
        }
        let Some(fulls) = fulls_of[i] else {
            continue;
        };
        // The nearest full name before the short form, else the first one after it.
        let before = fulls.iter().rev().find(|&&j| f.pieces[j].start < p.start);
        let best = before.or_else(|| fulls.iter().find(|&&j| j != i));
        if let Some(&j) = best {
            dsu.union(i, j);
        }
    }
    // Acronyms that spell a group's name; shorter forms of a group's name.
    let mut group_by_initials: HashMap<String, Vec<usize>> = HashMap::default();
    let mut group_by_suffix: HashMap<&[Cow<'_, str>], Vec<usize>> = HashMap::default();
    for (j, q) in f.pieces.iter().enumerate() {
        if q.kind != PKind::Group || q.gaz.is_some() {
            continue;
        }
        group_by_initials
            .entry(initials(f.surface(q.t0, q.t1)))
            .or_default()
            .push(j);
        for k in suffix_starts(tkeys[j].len()) {
            group_by_suffix.entry(&tkeys[j][k..]).or_default().push(j);
        }
    }
    for (i, p) in f.pieces.iter().enumerate() {
        if p.gaz.is_some() {
            continue;
        }
        let surf = f.surface(p.t0, p.t1);
        if p.t1 - p.t0 == 1 && is_acronym(surf) {
            for &j in group_by_initials
                .get(&surf.replace('.', ""))
                .into_iter()
                .flatten()
            {
                if j != i {
                    dsu.union(i, j);
                }
            }
        }
        if p.kind == PKind::Group && tkeys[i].len() >= 2 {
            for &j in group_by_suffix.get(tkeys[i]).into_iter().flatten() {
                dsu.union(i, j);
            }
        }
    }
    // Gather clusters, in the order of their roots: a root is its cluster's first piece
    // (a union keeps the smaller root), so each cluster starts when its root comes.
    let mut cluster_of_root = vec![usize::MAX; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let r = dsu.find(i);
        if cluster_of_root[r] == usize::MAX {
            cluster_of_root[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[cluster_of_root[r]].push(i);
    }
    struct Cl {
        kind: EntityKind,
        members: Vec<usize>,
        gaz: Option<&'static str>,
        author: bool,
    }
    let mut clusters: Vec<Cl> = Vec::new();
    for members in groups {
        let best = members
            .iter()
            .copied()
            .max_by_key(|&i| {
                let p = &f.pieces[i];
                (p.strength, p.kind == PKind::Person, std::cmp::Reverse(i))
            })
            .unwrap_or(members[0]);
        let bp = &f.pieces[best];
        // How many of its mentions are in the body, not the headline.
        let body = members.iter().filter(|&&i| !f.pieces[i].headline).count();
        let gaz = members.iter().find_map(|&i| f.pieces[i].gaz);
        if body == 0 && gaz.is_none() {
            continue;
        }
        let any_person = members
            .iter()
            .any(|&i| f.pieces[i].kind == PKind::Person && f.pieces[i].strength >= 1);
        let kind = match bp.kind {
            PKind::Weak => continue,
            PKind::Person => EntityKind::Person,
            PKind::Group => EntityKind::Group,
            PKind::Place => EntityKind::Place,
            PKind::Unknown => {
                // A single unknown word: keep it when it recurs or is used like a name.
                let person_cue = members.iter().any(|&i| {
                    let p = &f.pieces[i];
                    let next = p.t1;
                    next < f.lay.tokens.len()
                        && (SPEECH.contains(&f.tok(next))
                            || (f.lay.gap(next - 1).trim() == ","
                                && matches!(f.tok(next), "a" | "an" | "the" | "who")))
                });
                let surname = LEXICON.is_surname(f.surface(bp.t0, bp.t1));
                if any_person || person_cue {
                    EntityKind::Person
                } else if body >= 2 && surname {
                    // A recurring lone surname whose full name the article never gives.
                    EntityKind::Person
                } else if body >= 2 {
                    EntityKind::Group
                } else {
                    continue;
                }
            }
        };
        let author = members.iter().any(|&i| f.pieces[i].author);
        clusters.push(Cl {
            kind,
            members,
            gaz,
            author,
        });
    }
    let mut order: Vec<(usize, usize)> = clusters
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            (
                c.members
                    .iter()
                    .map(|&i| f.pieces[i].start)
                    .min()
                    .unwrap_or(0),
                ci,
            )
        })
        .collect();
    order.sort();
    let mut out = Entities::default();
    let mut piece_entity: Vec<Option<usize>> = vec![None; n];
    let mut country_entity: HashMap<&str, usize> = HashMap::default();
    for (_, ci) in order {
        let c = &clusters[ci];
        let idx = out.entities.len();
        // A piece never ends before it starts, so each is a span.
        let mut mentions: Vec<Span> = c
            .members
            .iter()
            .filter_map(|&i| Span::new(f.pieces[i].start, f.pieces[i].end).ok())
            .collect();
        mentions.sort();
        mentions.dedup();
        let mut aliases: Vec<String> = Vec::new();
        for m in &mentions {
            let a = &f.lay.text[m.start()..m.end()];
            if !aliases.iter().any(|x| x == a) {
                aliases.push(a.to_string());
            }
        }
        let name = match c.gaz {
            Some(g) => g.to_string(),
            None => aliases
                .iter()
                .max_by(|a, b| {
                    let key = |s: &String| (s.split_whitespace().count(), s.len());
                    // The most words, then the longest, then the first in byte order.
                    key(a).cmp(&key(b)).then_with(|| b.cmp(a))
                })
                .cloned()
                .unwrap_or_default(),
        };
        if !aliases.contains(&name) {
            aliases.insert(0, name.clone());
        }
        let mut titles: Vec<String> = c
            .members
            .iter()
            .filter_map(|&i| f.pieces[i].title.clone())
            .collect();
        titles.sort();
        titles.dedup();
        if let Some(g) = c.gaz {
            country_entity.insert(g, idx);
        }
        for &i in &c.members {
            piece_entity[i] = Some(idx);
        }
        out.entities.push(LocalEntity {
            kind: c.kind,
            name,
            aliases,
            mentions,
            value: None,
            author: c.author,
        });
        out.titles.push(titles);
    }
    for (i, p) in f.pieces.iter().enumerate() {
        if let Some(e) = piece_entity[i] {
            out.refs.push(Ref {
                start: p.start,
                end: p.end,
                entity: Some(e),
                demonym: false,
            });
        }
    }
    for (s, e, c) in &f.demonyms {
        out.refs.push(Ref {
            start: *s,
            end: *e,
            entity: country_entity.get(*c).copied(),
            demonym: true,
        });
    }
    out.refs.sort_by_key(|r| (r.start, r.end));
    out.refs.dedup_by_key(|r| (r.start, r.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ents(text: &str) -> Vec<(EntityKind, String, Vec<String>)> {
        let lay = Layout::new(text);
        let x = find(&lay, &[]);
        x.entities
            .iter()
            .map(|e| {
                let ms = e
                    .mentions
                    .iter()
                    .map(|m| text[m.start()..m.end()].to_string())
                    .collect();
                (e.kind, e.name.clone(), ms)
            })
            .collect()
    }

    fn has(v: &[(EntityKind, String, Vec<String>)], kind: EntityKind, name: &str) -> bool {
        v.iter().any(|(k, n, _)| *k == kind && n == name)
    }

    #[test]
    fn people_are_found_by_title_and_clustered_by_surname() {
        let v = ents("Kenyan President William Ruto met Defense Secretary Lloyd Austin in Nairobi. Ruto said the talks went well.");
        assert!(has(&v, EntityKind::Person, "William Ruto"), "{v:?}");
        assert!(has(&v, EntityKind::Person, "Lloyd Austin"), "{v:?}");
        assert!(has(&v, EntityKind::Place, "Nairobi"), "{v:?}");
        let ruto = v.iter().find(|e| e.1 == "William Ruto").unwrap();
        assert_eq!(ruto.2, vec!["William Ruto", "Ruto"]);
        assert!(
            !v.iter().any(|e| e.1 == "Kenya" || e.1 == "Kenyan"),
            "demonyms are not mentions: {v:?}"
        );
    }

    #[test]
    fn country_variants_are_one_entity() {
        let v = ents("The U.S. said on Monday that America and the United States of America are one. US officials agreed.");
        let us: Vec<_> = v.iter().filter(|e| e.1 == "United States").collect();
        assert_eq!(us.len(), 1, "{v:?}");
        assert_eq!(us[0].2.len(), 4);
    }

    #[test]
    fn acronyms_and_org_cues_make_groups() {
        let v = ents("The Northern Rivers Authority (NRA) warned farmers. Later the NRA met the Farmers Union.");
        let nra = v
            .iter()
            .find(|e| e.1 == "Northern Rivers Authority")
            .expect("group");
        assert_eq!(nra.0, EntityKind::Group);
        assert_eq!(nra.2.len(), 3);
        assert!(has(&v, EntityKind::Group, "Farmers Union"), "{v:?}");
    }

    #[test]
    fn a_place_takes_only_an_acronym_that_spells_it() {
        let v = ents("Officials in Nairobi (KWB) blamed the Kilima Water Board. The United Arab Emirates (UAE) agreed.");
        let nairobi = v.iter().find(|e| e.1 == "Nairobi").expect("place");
        assert_eq!(
            (nairobi.0, nairobi.2.len()),
            (EntityKind::Place, 1),
            "{v:?}"
        );
        let board = v
            .iter()
            .find(|e| e.1 == "Kilima Water Board")
            .expect("group");
        assert_eq!(board.2, vec!["KWB", "Kilima Water Board"], "{v:?}");
        let uae = v
            .iter()
            .find(|e| e.1 == "United Arab Emirates")
            .expect("place");
        assert_eq!(uae.2, vec!["United Arab Emirates", "UAE"], "{v:?}");
    }

    #[test]
    fn possessives_and_particles() {
        let v = ents("Egypt's envoy met Ahmed al-Rashidi in the Red Sea port. Al Rashidi left the Blue Zone.");
        let eg = v.iter().find(|e| e.1 == "Egypt").unwrap();
        assert_eq!(eg.2, vec!["Egypt"]);
        let r = v.iter().find(|e| e.0 == EntityKind::Person).unwrap();
        assert_eq!(r.1, "Ahmed al-Rashidi");
        assert_eq!(r.2.len(), 2);
        assert!(has(&v, EntityKind::Place, "Red Sea"));
        assert!(has(&v, EntityKind::Place, "Blue Zone"), "{v:?}");
    }

    #[test]
    fn headline_words_need_support_from_the_body() {
        let v = ents("Floods Leave Thousands Homeless Across Kenya\n\nHeavy rain hit the coast on Monday, officials said.");
        assert!(has(&v, EntityKind::Place, "Kenya"), "{v:?}");
        assert_eq!(v.len(), 1, "{v:?}");
    }

    #[test]
    fn bylines_are_authors() {
        let text = "Rain Returns\n\nBy Maria Lopez\n\nRain returned to Lima.";
        let lay = Layout::new(text);
        let x = find(&lay, &[]);
        let a = x.entities.iter().find(|e| e.name == "Maria Lopez").unwrap();
        assert!(a.author);
    }

    #[test]
    fn the_pronoun_i_is_never_a_name() {
        let v = ents("\"I'm not leaving,\" Dana Whitfield said. I think so. But I’m sure.");
        assert!(
            v.iter()
                .all(|e| !e.1.starts_with('I') && !e.1.starts_with("But")),
            "{v:?}"
        );
        assert!(has(&v, EntityKind::Person, "Dana Whitfield"), "{v:?}");
    }

    #[test]
    fn party_adjectives_and_name_compounds_are_not_entities() {
        let v = ents("The Democratic field narrowed after the Kennedy-Nixon style debate, said Rep. Ann Fox (R-Ohio).");
        assert!(!v.iter().any(|e| e.1 == "Democratic"), "{v:?}");
        assert!(!v.iter().any(|e| e.1.contains("Kennedy")), "{v:?}");
        assert!(!v.iter().any(|e| e.1.starts_with("R-")), "{v:?}");
        assert!(has(&v, EntityKind::Person, "Ann Fox"), "{v:?}");
    }

    #[test]
    fn titles_inside_a_capitalised_run_are_split_off() {
        let v = ents(
            "The meeting was short and nobody expected much from it. House Speaker Mark Jensen \
             met with Securities Commissioner Ruth Okafor on Monday to talk about the budget.",
        );
        assert!(has(&v, EntityKind::Person, "Mark Jensen"), "{v:?}");
        assert!(has(&v, EntityKind::Person, "Ruth Okafor"), "{v:?}");
        assert!(!v.iter().any(|e| e.1.starts_with("House Speaker")), "{v:?}");
    }

    #[test]
    fn capitalised_ordinary_words_are_not_people() {
        let v =
            ents("She told the Evening Digest show that a Harvest Survey taken in May was wrong.");
        assert!(!v.iter().any(|e| e.0 == EntityKind::Person), "{v:?}");
    }

    #[test]
    fn unknown_names_without_ordinary_words_are_people() {
        let v = ents("Talks between Xi Jinping and Narendra Modi resumed.");
        assert!(has(&v, EntityKind::Person, "Xi Jinping"), "{v:?}");
        assert!(has(&v, EntityKind::Person, "Narendra Modi"), "{v:?}");
    }

    #[test]
    fn a_surname_shared_by_two_people_does_not_merge_them() {
        let text =
            "Ruth Calder spoke first. Later Tom Calder arrived, and Calder said he was late. \
                    Ruth Calder left.";
        let v = ents(text);
        let ruth = v.iter().find(|e| e.1 == "Ruth Calder").expect("Ruth");
        let tom = v.iter().find(|e| e.1 == "Tom Calder").expect("Tom");
        assert!(!ruth.2.contains(&"Tom Calder".to_string()), "{v:?}");
        // The lone surname goes to the nearest full name before it.
        assert!(tom.2.contains(&"Calder".to_string()), "{v:?}");
        assert!(!ruth.2.contains(&"Calder".to_string()), "{v:?}");
    }

    #[test]
    fn cities_come_from_the_gazetteer_and_small_towns_need_a_preposition() {
        let v = ents("Officials in Tilburg and Rotterdam agreed. Later Mayor Scarborough spoke.");
        assert!(has(&v, EntityKind::Place, "Tilburg"), "{v:?}");
        assert!(has(&v, EntityKind::Place, "Rotterdam"), "{v:?}");
        assert!(!has(&v, EntityKind::Place, "Scarborough"), "{v:?}");
    }

    #[test]
    fn organisation_heads_take_for_and_on() {
        let v = ents("A report by the Institute for Fiscal Studies was cited by the Council on Foreign Relations.");
        assert!(
            has(&v, EntityKind::Group, "Institute for Fiscal Studies"),
            "{v:?}"
        );
        assert!(
            has(&v, EntityKind::Group, "Council on Foreign Relations"),
            "{v:?}"
        );
    }

    #[test]
    fn an_epithet_before_a_full_name_is_dropped() {
        let v = ents(
            "The rally went on for hours in the rain. He called her Sleepy Martha Greene again.",
        );
        assert!(has(&v, EntityKind::Person, "Martha Greene"), "{v:?}");
    }

    #[test]
    fn a_recurring_lone_surname_is_a_person() {
        let v = ents(
            "The vote was close in the end. Later Hendricks said it was fair, and Hendricks left.",
        );
        assert!(has(&v, EntityKind::Person, "Hendricks"), "{v:?}");
    }

    #[test]
    fn an_inverted_attribution_is_not_part_of_the_name() {
        let v = ents("The vote was close in the end. Said Laura Chen, \"It was fair.\"");
        assert!(has(&v, EntityKind::Person, "Laura Chen"), "{v:?}");
        assert!(!v.iter().any(|e| e.1.starts_with("Said")), "{v:?}");
    }
}
