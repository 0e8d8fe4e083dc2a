//! The names a generated article may use: people built from the census lexicons, cities
//! and countries from the gazetteers, each drawn by a Zipf-like law.
//!
//! Every name comes from the project's own lexicon files (compiled in, as the extractor
//! does), and is checked on first use with the project's extractor in a short probe
//! sentence, so a generated person is read as a person and a generated city as a place.
//! A name that fails its probe is never drawn; results are cached per entry, and a probe
//! depends only on the name, so the cache never changes what is generated.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use annals_model::{Document, DocumentMeta, EntityKind};

use crate::rng::{hash, SplitMix64, Zipf};

const FIRST_NAMES: &str = include_str!("../../../data/lexicon/derived/first_names.txt");
const SURNAMES: &str = include_str!("../../../data/lexicon/derived/surnames.txt");
const CITIES: &str = include_str!("../../../data/lexicon/derived/cities.tsv");
const COUNTRIES: &str = include_str!("../../../data/lexicon/countries.tsv");

/// How many distinct people a corpus draws from.
pub const PEOPLE: usize = 50_000;
/// Head flattening of the people law: person rank `k` (from 0) is drawn with
/// probability proportional to `1 / (k + 1 + PEOPLE_Q)`. With 50,000 people the most
/// frequent has p ≈ 0.6% per draw and the top 100 together ≈ 22%.
pub const PEOPLE_Q: u64 = 20;
/// Cities drawn as replacements have at least this many inhabitants.
pub const CITY_MIN_POPULATION: u32 = 100_000;
/// Head flattening of the city law over cities ranked by population (largest first):
/// the largest has p ≈ 1.4% per draw.
pub const CITY_Q: u64 = 10;
/// How often a name is redrawn when it fails its probe or is already used in the
/// article, before the draw gives up and reuses what it has.
pub const MAX_REDRAWS: usize = 64;

/// The lines of a list that carry data (no blank lines, no `#` comments).
fn data_lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Runs the extractor on `text` and says whether it finds an entity of `kind` named
/// `name` with at least `mentions` mentions.
fn probe(text: String, kind: EntityKind, name: &str, mentions: usize) -> bool {
    let doc = Document::new(DocumentMeta::new("probe"), text);
    annals_ingest::extract(&doc)
        .entities
        .iter()
        .any(|e| e.kind == kind && e.name == name && e.mentions.len() >= mentions)
}

/// Whether the extractor reads `First Surname` as one person, also when the surname
/// stands alone later.
fn person_reads_well(first: &str, surname: &str) -> bool {
    let full = format!("{first} {surname}");
    probe(
        format!(
            "{full} said on Monday that the talks would resume. \
             {surname} added that the vote had been close."
        ),
        EntityKind::Person,
        &full,
        2,
    )
}

/// Whether the extractor reads `name` as a place, after a preposition and as a subject.
fn place_reads_well(name: &str) -> bool {
    probe(
        format!(
            "The strike in {name} killed two people. \
             {name} has accused the government of breaching its sovereignty."
        ),
        EntityKind::Place,
        name,
        2,
    )
}

/// A country of the gazetteer, with the words for its people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    /// The canonical name ("United States").
    pub name: &'static str,
    /// The adjective or singular demonym ("American"), when the gazetteer gives one.
    pub demonym: Option<&'static str>,
    /// The plural demonym ("Americans"), when the gazetteer gives one.
    pub plural: Option<&'static str>,
}

/// Whether `word` is the plural of another of `words` (it adds an "s").
pub fn is_plural(word: &str, words: &[&str]) -> bool {
    word.strip_suffix('s')
        .is_some_and(|stem| words.contains(&stem))
}

/// The lexicons, ranked and ready to draw from.
#[derive(Debug)]
pub struct Pools {
    seed: u64,
    first_names: Vec<&'static str>,
    surnames: Vec<&'static str>,
    /// Cities of at least [`CITY_MIN_POPULATION`], largest first.
    cities: Vec<&'static str>,
    /// Countries, in file order.
    countries: Vec<Country>,
    /// Canonical names and aliases of countries -> index in `countries`.
    country_names: HashMap<&'static str, usize>,
    /// Demonyms of each country, as listed.
    demonyms: Vec<Vec<&'static str>>,
    people: Zipf,
    city_law: Zipf,
    /// Person rank -> (first name index, surname index), once probed.
    identities: Vec<OnceLock<(u32, u32)>>,
    city_ok: Vec<OnceLock<bool>>,
    country_ok: Vec<OnceLock<bool>>,
}

impl Pools {
    /// Loads the lexicons; `seed` decides who the people of the corpus are.
    pub fn new(seed: u64) -> Pools {
        let first_names: Vec<&str> = data_lines(FIRST_NAMES).map(str::trim).collect();
        let surnames: Vec<&str> = data_lines(SURNAMES).map(str::trim).collect();
        let mut cities: Vec<(&str, u32)> = data_lines(CITIES)
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let name = cols.next()?.trim();
                let pop = cols.nth(1)?.trim().parse().ok()?;
                Some((name, pop))
            })
            .filter(|&(name, pop)| {
                pop >= CITY_MIN_POPULATION && name.chars().next().is_some_and(char::is_uppercase)
            })
            .collect();
        cities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let mut seen = HashSet::new();
        let cities: Vec<&str> = cities
            .into_iter()
            .map(|c| c.0)
            .filter(|c| seen.insert(*c))
            .collect();
        let mut countries = Vec::new();
        let mut country_names = HashMap::new();
        let mut demonyms = Vec::new();
        for line in data_lines(COUNTRIES) {
            let mut cols = line.split('\t');
            let Some(canonical) = cols.next().map(str::trim) else {
                continue;
            };
            let i = countries.len();
            country_names.entry(canonical).or_insert(i);
            for alias in cols.next().into_iter().flat_map(|c| c.split('|')) {
                let alias = alias.trim();
                if !alias.is_empty() {
                    country_names.entry(alias).or_insert(i);
                }
            }
            let dems: Vec<&str> = cols
                .next()
                .into_iter()
                .flat_map(|c| c.split('|'))
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .collect();
            countries.push(Country {
                name: canonical,
                demonym: dems.iter().copied().find(|d| !is_plural(d, &dems)),
                plural: dems.iter().copied().find(|d| is_plural(d, &dems)),
            });
            demonyms.push(dems);
        }
        let cities = if cities.is_empty() {
            vec!["—"]
        } else {
            cities
        };
        Pools {
            seed,
            people: Zipf::new(PEOPLE, PEOPLE_Q),
            city_law: Zipf::new(cities.len(), CITY_Q),
            identities: (0..PEOPLE).map(|_| OnceLock::new()).collect(),
            city_ok: (0..cities.len()).map(|_| OnceLock::new()).collect(),
            country_ok: (0..countries.len()).map(|_| OnceLock::new()).collect(),
            first_names,
            surnames,
            cities,
            countries,
            country_names,
            demonyms,
        }
    }

    /// The country `name` names (canonically or by an alias) in the gazetteer.
    pub fn country_of(&self, name: &str) -> Option<usize> {
        self.country_names.get(name).copied()
    }

    /// Country `i`.
    pub fn country(&self, i: usize) -> Country {
        self.countries[i]
    }

    /// The demonyms the gazetteer lists for country `i`.
    pub fn demonyms(&self, i: usize) -> &[&'static str] {
        &self.demonyms[i]
    }

    /// The first name and surname of person `rank`: fixed for a seed, and read as a
    /// person by the extractor.
    pub fn person(&self, rank: usize) -> (&'static str, &'static str) {
        let (f, s) = *self.identities[rank].get_or_init(|| {
            let mut fallback = None;
            for attempt in 0..MAX_REDRAWS as u64 {
                let h = hash(&[self.seed, rank as u64, attempt]);
                let f = (h % self.first_names.len() as u64) as u32;
                let s = ((h >> 32) % self.surnames.len() as u64) as u32;
                fallback.get_or_insert((f, s));
                if person_reads_well(self.first_names[f as usize], self.surnames[s as usize]) {
                    return (f, s);
                }
            }
            fallback.unwrap_or((0, 0))
        });
        (self.first_names[f as usize], self.surnames[s as usize])
    }

    /// Draws a person by the Zipf-like law; the rank is the person's identity.
    pub fn draw_person(&self, rng: &mut SplitMix64) -> usize {
        self.people.sample(rng)
    }

    /// Draws a city that the extractor reads as a place.
    pub fn draw_city(&self, rng: &mut SplitMix64) -> &'static str {
        for _ in 0..MAX_REDRAWS {
            let i = self.city_law.sample(rng);
            if *self.city_ok[i].get_or_init(|| place_reads_well(self.cities[i])) {
                return self.cities[i];
            }
        }
        self.cities[0]
    }

    /// How many countries there are.
    pub fn countries(&self) -> usize {
        self.countries.len()
    }

    /// Draws a country, uniformly, that the extractor reads as a place (`None` when the
    /// gazetteer has none).
    pub fn draw_country(&self, rng: &mut SplitMix64) -> Option<usize> {
        if self.countries.is_empty() {
            return None;
        }
        for _ in 0..MAX_REDRAWS {
            let i = rng.below(self.countries.len() as u64) as usize;
            if *self.country_ok[i].get_or_init(|| place_reads_well(self.countries[i].name)) {
                return Some(i);
            }
        }
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_load_and_cities_come_largest_first() {
        let p = Pools::new(1);
        assert!(p.first_names.len() > 1000);
        assert!(p.surnames.len() > 1000);
        assert!(p.cities.len() > 1000);
        assert!(p.countries.len() > 100);
        assert!(!p.first_names.iter().any(|n| n.starts_with('#')));
        let no = p.country_of("Norway").unwrap();
        assert_eq!(p.country(no).demonym, Some("Norwegian"));
        assert_eq!(p.country(no).plural, Some("Norwegians"));
        assert_eq!(p.country_of("U.S."), p.country_of("United States"));
        assert_eq!(p.country_of("Springfield"), None);
    }

    #[test]
    fn people_are_fixed_by_the_seed_and_read_as_people() {
        let a = Pools::new(1);
        let b = Pools::new(1);
        let c = Pools::new(2);
        let same = (0..5).all(|k| a.person(k) == b.person(k));
        assert!(same);
        assert!((0..5).any(|k| a.person(k) != c.person(k)));
        for k in 0..5 {
            let (f, s) = a.person(k);
            assert!(person_reads_well(f, s), "{f} {s}");
        }
    }

    #[test]
    fn drawn_places_read_as_places() {
        let p = Pools::new(1);
        let mut rng = SplitMix64::new(9);
        for _ in 0..5 {
            assert!(place_reads_well(p.draw_city(&mut rng)));
            let c = p.draw_country(&mut rng).unwrap();
            assert_eq!(p.country_of(p.country(c).name), Some(c));
        }
    }
}
