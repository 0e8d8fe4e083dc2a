//! The word lists and gazetteers under `data/lexicon/`, compiled into the binary with
//! `include_str!` and parsed once. This module only loads and looks up; it decides nothing
//! about what a name is.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, StartKind};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

/// What a gazetteer entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GazKind {
    /// A sovereign state (or a widely reported territory).
    Country,
    /// A city, region, sea or site.
    Place,
    /// An organisation, armed group, institution or outlet.
    Org,
}

/// One gazetteer entry.
#[derive(Debug)]
pub(crate) struct GazEntry {
    /// The name the entity is given in the output.
    pub canonical: String,
    /// Country, place or organisation.
    pub kind: GazKind,
}

/// What the lists say about one surface, in its lookup form.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Surface {
    /// The gazetteer entry it names (index into `entries`).
    entry: Option<u32>,
    /// The country it is the demonym of (index into `countries`).
    demonym_of: Option<u32>,
    /// The country it is the capital of (index into `countries`).
    capital_of: Option<u32>,
    /// The largest population of a city by this name.
    city_population: Option<u32>,
    /// Whether it is `X` of an organisation named "X Party" ("Democratic").
    party_adjective: bool,
}

/// What the lists say about one surface ([`Lexicon::known`]): its gazetteer entry, the
/// country it is the demonym or capital of, its city population, whether it names a party.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Known<'l> {
    lx: &'l Lexicon,
    facts: Option<&'l Surface>,
}

impl<'l> Known<'l> {
    /// The gazetteer entry the surface names exactly, if any.
    pub fn entry(self) -> Option<&'l GazEntry> {
        let i = self.facts?.entry?;
        Some(&self.lx.entries[i as usize])
    }

    /// The country the surface is the demonym of ("Iraqi" -> "Iraq").
    pub fn demonym(self) -> Option<&'l str> {
        let i = self.facts?.demonym_of?;
        Some(&self.lx.countries[i as usize])
    }

    /// The country the surface is the capital of ("Tehran" -> "Iran").
    pub fn capital_of(self) -> Option<&'l str> {
        let i = self.facts?.capital_of?;
        Some(&self.lx.countries[i as usize])
    }

    /// The largest population of a city with exactly this name, if it is one.
    pub fn city_population(self) -> Option<u32> {
        self.facts?.city_population
    }

    /// Whether the surface is the adjective of a party the gazetteer knows ("Democratic"
    /// for the Democratic Party).
    pub fn party_adjective(self) -> bool {
        self.facts.is_some_and(|f| f.party_adjective)
    }
}

/// A filter over a set of words that rules most other words out without hashing them:
/// a bit for each combination of first byte, last byte (each folded to five bits) and
/// length (up to 15) that a word of the set has. A word of the set always passes. The
/// folding drops the bit that tells an ASCII letter's cases apart, so an ASCII word
/// passes exactly when its lowercase form does.
#[derive(Clone, Debug)]
pub(crate) struct WordFilter(Box<[u64; 256]>);

impl Default for WordFilter {
    fn default() -> Self {
        WordFilter(Box::new([0; 256]))
    }
}

impl WordFilter {
    /// The filter of a set of words.
    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> WordFilter {
        let mut f = WordFilter::default();
        for w in words {
            f.add(w);
        }
        f
    }

    /// Lets `w` pass from now on.
    fn add(&mut self, w: &str) {
        if let Some(k) = Self::key(w.as_bytes()) {
            self.0[k / 64] |= 1 << (k % 64);
        }
    }

    /// The bit of a word's bytes: its first byte, last byte and length, folded.
    fn key(b: &[u8]) -> Option<usize> {
        let (&first, &last) = (b.first()?, b.last()?);
        Some(usize::from(first & 31) << 9 | usize::from(last & 31) << 4 | b.len().min(15))
    }

    /// Whether `w` may be in the set (always, when it is).
    pub fn may_contain(&self, w: &str) -> bool {
        self.may_contain_bytes(w.as_bytes())
    }

    /// [`WordFilter::may_contain`] for a word's bytes.
    pub fn may_contain_bytes(&self, w: &[u8]) -> bool {
        Self::key(w).is_some_and(|k| self.0[k / 64] & 1 << (k % 64) != 0)
    }
}

/// A set of words behind a [`WordFilter`], so that most words outside it are told
/// without hashing them.
#[derive(Debug, Default)]
pub(crate) struct Words {
    set: HashSet<String>,
    filter: WordFilter,
}

impl Words {
    /// Adds a word.
    fn insert(&mut self, w: String) {
        self.filter.add(&w);
        self.set.insert(w);
    }

    /// Whether `w` may be one of the words, by the filter alone ([`WordFilter::may_contain_bytes`]).
    pub fn may_contain_bytes(&self, w: &[u8]) -> bool {
        self.filter.may_contain_bytes(w)
    }

    /// Whether `w` is one of the words.
    pub fn contains(&self, w: &str) -> bool {
        self.filter.may_contain(w) && self.set.contains(w)
    }
}

impl FromIterator<String> for Words {
    fn from_iter<I: IntoIterator<Item = String>>(words: I) -> Words {
        let mut set = Words::default();
        for w in words {
            set.insert(w);
        }
        set
    }
}

/// An event trigger phrase.
#[derive(Debug)]
pub(crate) struct Trigger {
    /// Lowercase words of the phrase.
    pub words: Vec<String>,
    /// CAMEO code.
    pub code: String,
    /// Short label.
    pub label: String,
}

/// Every list, parsed.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Lookup form of a surface (whitespace collapsed, curly apostrophes straightened) ->
    /// everything the lists say about it, so that one hash lookup ([`Lexicon::known`])
    /// answers gazetteer entry, demonym, capital, city population and party adjective.
    surfaces: HashMap<String, Surface>,
    /// Gazetteer entries.
    pub entries: Vec<GazEntry>,
    /// The longest gazetteer name, in words.
    pub max_name_words: usize,
    /// Country names that demonyms and capitals refer to, indexed by [`Surface`].
    countries: Vec<String>,
    /// Given names, exact case: the hand list plus the census list.
    pub first_names: HashSet<String>,
    /// Frequent surnames (census), exact case ("Nguyen", "Garcia"), with their rank
    /// (0 = most frequent).
    pub surnames: HashMap<String, u32>,
    /// Lowercase English words (SCOWL), to tell ordinary words from names.
    pub english: HashSet<String>,
    /// Every word that appears in a title, lowercase ("press", "secretary", "gen.").
    pub title_words: Words,
    /// Titles as lowercase word sequences, longest first.
    pub titles: Vec<Vec<String>>,
    /// First word of a title -> indices into `titles`, longest first.
    pub title_index: HashMap<String, Vec<usize>>,
    /// The keys of `title_index`, to rule most words out without hashing them.
    pub title_first: WordFilter,
    /// Words that end an organisation's name.
    pub org_last: Words,
    /// Words that start an organisation's name.
    pub org_first: Words,
    /// Words that end a place's name.
    pub place_last: Words,
    /// Words that start a place's name.
    pub place_first: Words,
    /// Lowercase words after a name that make it a place.
    pub place_after: Words,
    /// Frequent lowercase English words.
    pub common: Words,
    /// Every page-furniture phrase (all lowercase), ASCII case-insensitive, for anchored
    /// prefix tests.
    pub furniture_prefix: AhoCorasick,
    /// The furniture phrases of two words or more, ASCII case-insensitive, found anywhere
    /// in a short line.
    pub furniture_inner: AhoCorasick,
    /// Event triggers, longest first.
    pub triggers: Vec<Trigger>,
    /// First word of a trigger -> indices into `triggers`.
    pub trigger_index: HashMap<String, Vec<usize>>,
    /// The keys of `trigger_index`, to rule most words out without hashing them.
    pub trigger_first: WordFilter,
}

const COUNTRIES: &str = include_str!("../../../../data/lexicon/countries.tsv");
const PLACES: &str = include_str!("../../../../data/lexicon/places.tsv");
const ORGS: &str = include_str!("../../../../data/lexicon/organizations.tsv");
const FIRST_NAMES: &str = include_str!("../../../../data/lexicon/first_names.txt");
const TITLES: &str = include_str!("../../../../data/lexicon/titles.txt");
const ORG_CUES: &str = include_str!("../../../../data/lexicon/org_cues.txt");
const PLACE_CUES: &str = include_str!("../../../../data/lexicon/place_cues.txt");
const COMMON: &str = include_str!("../../../../data/lexicon/common_words.txt");
const FURNITURE: &str = include_str!("../../../../data/lexicon/furniture.txt");
const TRIGGERS: &str = include_str!("../../../../data/lexicon/cameo_triggers.tsv");
const DERIVED_CITIES: &str = include_str!("../../../../data/lexicon/derived/cities.tsv");
const DERIVED_FIRST_NAMES: &str = include_str!("../../../../data/lexicon/derived/first_names.txt");
const DERIVED_ENGLISH: &str = include_str!("../../../../data/lexicon/derived/english_words.txt");
const DERIVED_CAPITALS: &str = include_str!("../../../../data/lexicon/derived/capitals.tsv");
const DERIVED_SURNAMES: &str = include_str!("../../../../data/lexicon/derived/surnames.txt");

pub(crate) use annals_model::normalize::MONTHS;

/// Weekday names, lowercase.
pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Prepositions after which a name is where something is or happens ("in Oslo").
pub(crate) const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "into",
    "around",
];

/// The parsed lexicon, built on first use.
pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

/// The lines of a list that carry data (no blank lines, no `#` comments).
fn data_lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// The lookup form of a surface: whitespace collapsed, apostrophes straightened. Borrows
/// the surface when it is already in that form (the common case), so lookups do not
/// allocate.
pub(crate) fn surface_key(s: &str) -> Cow<'_, str> {
    let clean = ascii_surface_is_key(s).unwrap_or_else(|| unicode_surface_is_key(s));
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            out.push(match c {
                '\u{2019}' | '\u{2018}' | '`' | '\u{02bc}' => '\'',
                c => c,
            });
        }
    }
    Cow::Owned(out)
}

/// What a byte is to [`ascii_surface_is_key`].
static SURFACE_BYTE: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b' ' => SPACE,
            // A backtick, or ASCII whitespace other than a space (`char::is_whitespace`).
            b'`' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => NOT_KEY,
            0x80.. => NOT_ASCII,
            _ => PLAIN,
        };
        c += 1;
    }
    t
};
/// [`SURFACE_BYTE`]: an ASCII character a lookup form keeps as it is.
const PLAIN: u8 = 0;
/// [`SURFACE_BYTE`]: a space, kept when single and between words.
const SPACE: u8 = 1;
/// [`SURFACE_BYTE`]: an ASCII character a lookup form never has.
const NOT_KEY: u8 = 2;
/// [`SURFACE_BYTE`]: a byte of a non-ASCII character.
const NOT_ASCII: u8 = 3;

/// Whether an ASCII surface is already its lookup form, in one pass: no backtick, and no
/// whitespace but single spaces between words. `None` when the surface is not ASCII and
/// has no such fault before its first non-ASCII character.
fn ascii_surface_is_key(s: &str) -> Option<bool> {
    let mut after_space = true;
    for &c in s.as_bytes() {
        match SURFACE_BYTE[usize::from(c)] {
            PLAIN => after_space = false,
            SPACE if !after_space => after_space = true,
            NOT_ASCII => return None,
            // A backtick, other whitespace, or a space first or after another: the general
            // test would say no as well, whatever follows.
            _ => return Some(false),
        }
    }
    Some(!after_space || s.is_empty())
}

/// Whether any surface is already its lookup form.
fn unicode_surface_is_key(s: &str) -> bool {
    !s.contains(['\u{2019}', '\u{2018}', '`', '\u{02bc}'])
        && !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace())
        && !s.chars().any(|c| c.is_whitespace() && c != ' ')
}

/// An ASCII case-insensitive automaton of the furniture phrases (only those of two words
/// or more when `multi_word`), searchable anchored or not.
fn furniture_automaton(furniture: &[String], multi_word: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .start_kind(StartKind::Both)
        .build(
            furniture
                .iter()
                .filter(|f| !multi_word || f.split(' ').count() >= 2),
        )
        .expect("furniture phrases build an automaton")
}

fn words_of(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_lowercase).collect()
}

impl Lexicon {
    fn load() -> Lexicon {
        let furniture: Vec<String> = data_lines(FURNITURE)
            .map(|l| l.trim().to_lowercase())
            .collect();
        let mut lx = Lexicon {
            surfaces: HashMap::default(),
            entries: Vec::new(),
            max_name_words: 1,
            countries: Vec::new(),
            first_names: HashSet::default(),
            surnames: HashMap::default(),
            english: HashSet::default(),
            title_words: Words::default(),
            titles: Vec::new(),
            title_index: HashMap::default(),
            title_first: WordFilter::default(),
            org_last: Words::default(),
            org_first: Words::default(),
            place_last: Words::default(),
            place_first: Words::default(),
            place_after: Words::default(),
            common: Words::default(),
            furniture_prefix: furniture_automaton(&furniture, false),
            furniture_inner: furniture_automaton(&furniture, true),
            triggers: Vec::new(),
            trigger_index: HashMap::default(),
            trigger_first: WordFilter::default(),
        };
        for line in data_lines(COUNTRIES) {
            let cols: Vec<&str> = line.split('\t').collect();
            let canonical = cols[0].trim();
            let idx = lx.add_entry(canonical, GazKind::Country);
            for alias in cols.get(1).into_iter().flat_map(|c| c.split('|')) {
                lx.add_name(alias, idx);
            }
            for dem in cols.get(2).into_iter().flat_map(|c| c.split('|')) {
                let dem = dem.trim();
                if !dem.is_empty() {
                    let country = lx.country(canonical);
                    lx.facts(dem).demonym_of = Some(country);
                }
            }
        }
        for (src, kind) in [(PLACES, GazKind::Place), (ORGS, GazKind::Org)] {
            for line in data_lines(src) {
                let cols: Vec<&str> = line.split('\t').collect();
                let canonical = cols[0].trim();
                if lx.lookup(canonical).is_some() {
                    continue;
                }
                let idx = lx.add_entry(canonical, kind);
                for alias in cols.get(1).into_iter().flat_map(|c| c.split('|')) {
                    lx.add_name(alias, idx);
                }
            }
        }
        let party_adjectives: Vec<String> = lx
            .surfaces
            .iter()
            .filter(|(_, f)| {
                f.entry
                    .is_some_and(|i| lx.entries[i as usize].kind == GazKind::Org)
            })
            .filter_map(|(k, _)| k.strip_suffix(" Party"))
            .map(str::to_string)
            .collect();
        for adjective in party_adjectives {
            lx.facts(&adjective).party_adjective = true;
        }
        lx.first_names = data_lines(FIRST_NAMES)
            .map(|l| l.trim().to_string())
            .collect();
        // Census given names that are also months, weekdays or frequent English words
        // ("January", "Will", "Hope") would make ordinary capitalised words look like
        // people; only the hand list may vouch for those.
        let common: HashSet<String> = data_lines(COMMON)
            .map(|l| l.trim().to_lowercase())
            .collect();
        for name in data_lines(DERIVED_FIRST_NAMES).map(str::trim) {
            let lower = name.to_lowercase();
            if !common.contains(&lower)
                && !MONTHS.contains(&lower.as_str())
                && !WEEKDAYS.contains(&lower.as_str())
            {
                lx.first_names.insert(name.to_string());
            }
        }
        lx.surnames = data_lines(DERIVED_SURNAMES)
            .enumerate()
            .map(|(rank, l)| (l.trim().to_string(), rank as u32))
            .collect();
        for line in data_lines(DERIVED_CAPITALS) {
            if let Some((capital, country)) = line.split_once('\t') {
                let country = lx.country(country.trim());
                lx.facts(capital).capital_of = Some(country);
            }
        }
        lx.english = data_lines(DERIVED_ENGLISH)
            .map(|l| l.trim().to_string())
            .collect();
        for line in data_lines(DERIVED_CITIES) {
            let mut cols = line.split('\t');
            let (Some(name), Some(_), Some(pop)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let pop: u32 = pop.trim().parse().unwrap_or(0);
            let slot = &mut lx.facts(name).city_population;
            *slot = Some(slot.unwrap_or(0).max(pop));
        }
        let mut titles: Vec<Vec<String>> = data_lines(TITLES).map(words_of).collect();
        titles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        titles.dedup();
        lx.title_words = titles.iter().flatten().cloned().collect();
        lx.titles = titles;
        for (src, is_org) in [(ORG_CUES, true), (PLACE_CUES, false)] {
            for line in data_lines(src) {
                let mut cols = line.split('\t');
                let (Some(pos), Some(word)) = (cols.next(), cols.next()) else {
                    continue;
                };
                let word = word.trim().to_string();
                let set = match (pos, is_org) {
                    ("last", true) => &mut lx.org_last,
                    ("first", true) => &mut lx.org_first,
                    ("last", false) => &mut lx.place_last,
                    ("first", false) => &mut lx.place_first,
                    ("after", false) => &mut lx.place_after,
                    _ => continue,
                };
                set.insert(word);
            }
        }
        lx.common = data_lines(COMMON)
            .map(|l| l.trim().to_lowercase())
            .collect();
        for line in data_lines(TRIGGERS) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                continue;
            }
            lx.triggers.push(Trigger {
                words: words_of(cols[0]),
                code: cols[1].trim().to_string(),
                label: cols[2].trim().to_string(),
            });
        }
        lx.triggers.sort_by(|a, b| {
            b.words
                .len()
                .cmp(&a.words.len())
                .then_with(|| a.words.cmp(&b.words))
        });
        for (i, t) in lx.titles.iter().enumerate() {
            if let Some(w) = t.first() {
                lx.title_index.entry(w.clone()).or_default().push(i);
            }
        }
        lx.title_first = WordFilter::new(lx.title_index.keys().map(String::as_str));
        for (i, t) in lx.triggers.iter().enumerate() {
            if let Some(w) = t.words.first() {
                lx.trigger_index.entry(w.clone()).or_default().push(i);
            }
        }
        lx.trigger_first = WordFilter::new(lx.trigger_index.keys().map(String::as_str));
        lx
    }

    fn add_entry(&mut self, canonical: &str, kind: GazKind) -> usize {
        let idx = self.entries.len();
        self.entries.push(GazEntry {
            canonical: canonical.to_string(),
            kind,
        });
        self.add_name(canonical, idx);
        idx
    }

    fn add_name(&mut self, name: &str, idx: usize) {
        let key = surface_key(name);
        if key.is_empty() {
            return;
        }
        self.max_name_words = self.max_name_words.max(key.split(' ').count());
        let idx = u32::try_from(idx).expect("fewer than 2^32 gazetteer entries");
        let facts = self.surfaces.entry(key.into_owned()).or_default();
        facts.entry.get_or_insert(idx);
    }

    /// The facts of a surface (by its lookup form), to fill in while loading.
    fn facts(&mut self, surface: &str) -> &mut Surface {
        self.surfaces
            .entry(surface_key(surface).into_owned())
            .or_default()
    }

    /// The index of a country name in `countries`, added when new.
    fn country(&mut self, name: &str) -> u32 {
        let i = match self.countries.iter().position(|c| c == name) {
            Some(i) => i,
            None => {
                self.countries.push(name.to_string());
                self.countries.len() - 1
            }
        };
        u32::try_from(i).expect("fewer than 2^32 countries")
    }

    /// Everything the lists say about a surface, found with one lookup.
    pub fn known(&self, surface: &str) -> Known<'_> {
        Known {
            lx: self,
            facts: self.surfaces.get(surface_key(surface).as_ref()),
        }
    }

    /// Every gazetteer name, demonym and city name, in lookup form, in no order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.surfaces
            .iter()
            .filter(|(_, f)| {
                f.entry.is_some() || f.demonym_of.is_some() || f.city_population.is_some()
            })
            .map(|(k, _)| k.as_str())
    }

    /// The gazetteer entry a surface names exactly, if any.
    pub fn lookup(&self, surface: &str) -> Option<&GazEntry> {
        self.known(surface).entry()
    }

    /// Whether a word is a frequent surname.
    pub fn is_surname(&self, word: &str) -> bool {
        self.surnames.contains_key(word)
    }

    /// Whether a word is one of the most frequent surnames (rank below 2,000: "Brown",
    /// "King"), frequent enough to count as a name even when it is also an English word.
    pub fn is_common_surname(&self, word: &str) -> bool {
        self.surnames.get(word).is_some_and(|&r| r < 2_000)
    }

    /// The country whose capital has this name, if any ("Washington" -> "United States").
    pub fn capital_of(&self, surface: &str) -> Option<&str> {
        self.known(surface).capital_of()
    }

    /// Whether a lowercase word is a frequent English word.
    pub fn is_common(&self, lower: &str) -> bool {
        self.common.contains(lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass test for ASCII surfaces agrees with the general one.
        #[test]
        fn ascii_surfaces_are_checked_like_any_other(s in "[ a-zA-Z.'`\t\n\x0b\x0c\r-]{0,12}") {
            prop_assert_eq!(ascii_surface_is_key(&s), Some(unicode_surface_is_key(&s)));
        }

        /// An ASCII word passes a word filter exactly when its lowercase form does.
        #[test]
        fn an_ascii_word_and_its_lowercase_form_pass_a_filter_alike(
            w in "[ -~]{0,20}|(?i:attack|strike|kill|bomb|protest|minister)[a-z]{0,3}",
        ) {
            let low = w.to_ascii_lowercase();
            let lx = &*LEXICON;
            for f in [&lx.trigger_first, &lx.title_first] {
                prop_assert_eq!(f.may_contain(&w), f.may_contain(&low));
            }
        }

        /// On any surface, an answer of the one-pass test (given before a non-ASCII
        /// character) is the general test's.
        #[test]
        fn the_one_pass_test_answers_only_what_the_general_one_would(
            s in "[ a-zA-Z.'`\t\n\r\u{a0}\u{2019}\u{2003}é-]{0,12}"
        ) {
            if let Some(clean) = ascii_surface_is_key(&s) {
                prop_assert_eq!(clean, unicode_surface_is_key(&s));
            }
        }
    }

    #[test]
    fn a_word_filter_passes_every_word_of_its_set_and_rules_others_out() {
        let lx = &*LEXICON;
        assert!(lx.title_index.keys().all(|w| lx.title_first.may_contain(w)));
        assert!(lx
            .trigger_index
            .keys()
            .all(|w| lx.trigger_first.may_contain(w)));
        let f = WordFilter::new(["minister", "gen.", "é"]);
        for w in ["minister", "gen.", "é"] {
            assert!(f.may_contain(w), "{w}");
        }
        for w in ["", "ministers", "pen.", "the", "monster"] {
            assert!(!f.may_contain(w), "{w}");
        }
    }

    #[test]
    fn lists_load_and_answer() {
        let lx = &*LEXICON;
        assert!(lx.entries.len() > 400);
        assert_eq!(
            lx.lookup("U.S.").map(|e| e.canonical.as_str()),
            Some("United States")
        );
        assert_eq!(lx.lookup("America").map(|e| e.kind), Some(GazKind::Country));
        assert_eq!(lx.known("Iraqi").demonym(), Some("Iraq"));
        assert_eq!(lx.known("American").demonym(), Some("United States"));
        assert!(lx.first_names.contains("Mohammed"));
        assert!(lx.titles.iter().any(|t| t == &["prime", "minister"]));
        assert!(lx.org_last.contains("Ministry"));
        assert!(lx.place_last.contains("Sea"));
        assert!(lx.trigger_index.contains_key("condemned"));
        assert!(
            lx.first_names.contains("Margaret"),
            "census given names load"
        );
        assert!(
            !lx.first_names.contains("January"),
            "months are not given names"
        );
        assert!(lx.is_surname("Nguyen"), "census surnames load");
        assert!(lx
            .known("Rotterdam")
            .city_population()
            .is_some_and(|p| p > 500_000));
        assert_eq!(lx.known("Nowhereville").city_population(), None);
        assert!(lx.known("Democratic").party_adjective());
        assert!(!lx.known("Rotterdam").party_adjective());
        assert!(lx.english.contains("poll") && !lx.english.contains("obama"));
        assert_eq!(lx.capital_of("Tehran"), Some("Iran"));
        assert!(lx.title_words.contains("secretary"));
        assert!(lx.triggers.iter().all(|t| (2..=4).contains(&t.code.len())));
    }
}
