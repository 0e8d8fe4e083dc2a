//! Time expressions: finding them ("January 3, 2020", "Wednesday night", "last month",
//! "four years ago", "a decade later") and resolving them to ISO 8601 values at the
//! precision written, against the publication date. A date written without its year or
//! week ("on Thursday", "March 3") is the most recent such day, unless the words around
//! it speak of the future ("will meet on Thursday", "is scheduled for March 3"). "N years
//! later / earlier" counts from the nearest date written before it. Also finds a dateline
//! near the top of the text when the metadata gives no publication date. Knows nothing
//! about events or entities. Every pattern is a linear-time regex and overlap checks use
//! an ordered map, so the work stays linear in the text.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;

use super::lexicon::WordFilter;
use super::text::lowercase;

/// One time expression in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Timex {
    /// First byte of the expression.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// ISO 8601 value, or `None` when it could not be resolved.
    pub value: Option<String>,
    /// Whether resolving it needed the publication date.
    pub relative: bool,
}

const MONTH: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
const WEEKDAY: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const WEEKDAY_ABBR: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?";
/// [`WEEKDAY_ABBR`] as a capturing group.
const WEEKDAY_CAP: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?";
/// Counts written as digits or words.
const COUNT: &str = r"(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)";
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// Which rule matched.
#[derive(Clone, Copy, Debug)]
enum Rule {
    FullDate,
    FullDateDayFirst,
    Iso,
    PartOfMonth,
    MonthDay,
    DayMonth,
    MonthYear,
    BareMonth,
    Weekday,
    Deictic,
    LastUnit,
    Ago,
    Anchored,
    Season,
    Year,
}

/// Each rule's pattern, as written and anchored at the start of the haystack (`^(?:..)`).
static RULES: LazyLock<Vec<(Rule, Regex, Regex)>> = LazyLock::new(|| {
    rule_patterns()
        .into_iter()
        .map(|(rule, pattern)| {
            let anchored = format!("^(?:{pattern})");
            let r = |s: &str| Regex::new(s).expect("time expression pattern compiles");
            let (re, anchored) = (r(&pattern), r(&anchored));
            assert!(re.captures_len() <= GROUPS, "{rule:?} has too many groups");
            (rule, re, anchored)
        })
        .collect()
});

/// The pattern of each rule, in the order the rules take their spans.
fn rule_patterns() -> Vec<(Rule, String)> {
    vec![
        (Rule::FullDate, format!(r"(?-u:\b)(?:{WEEKDAY_ABBR},?\s+)?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)")),
        (Rule::FullDateDayFirst, format!(r"(?-u:\b)(?:{WEEKDAY_ABBR},?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(\d{{4}})(?-u:\b)")),
        (Rule::Iso, r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)".to_string()),
        (Rule::PartOfMonth, format!(r"(?-u:\b)(?i:(early|late|mid|the end of|end of|the beginning of|beginning of|the start of|start of|the middle of|middle of))(?:\s+|-){MONTH}(?:,?\s+(\d{{4}}))?(?-u:\b)")),
        (Rule::MonthDay, format!(r"(?-u:\b)(?:{WEEKDAY_CAP},?\s+)?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)")),
        (Rule::DayMonth, format!(r"(?-u:\b)(?:{WEEKDAY_CAP},?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?-u:\b)")),
        (Rule::MonthYear, format!(r"(?-u:\b){MONTH},?\s+(\d{{4}})(?-u:\b)")),
        (Rule::BareMonth, format!(r"(?-u:\b)(?:(?i:in|since|until|till|by|from|through|during|before|after|of|last|next|this)\s+){MONTH}(?-u:\b)")),
        (Rule::Weekday, format!(r"(?-u:\b)(?:(?i:(last|this coming|this|next|past|coming))\s+)?{WEEKDAY}(?:\s+(?i:(morning|afternoon|evening|night)))?(?-u:\b)")),
        (Rule::Deictic, r"(?-u:\b)(?i:(today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening|last night))(?-u:\b)".to_string()),
        (Rule::LastUnit, r"(?-u:\b)(?i:(last|this|next|past|previous|coming))\s+(?i:(week|month|year))(?-u:\b)".to_string()),
        (Rule::Ago, format!(r"(?-u:\b)(?i:{COUNT})\s+(?i:(day|week|month|year|decade))s?\s+(?i:ago)(?-u:\b)")),
        (Rule::Anchored, format!(r"(?-u:\b)(?i:{COUNT})\s+(?i:(day|week|month|year|decade))s?\s+(?i:(later|earlier))(?-u:\b)")),
        (Rule::Season, r"(?-u:\b)(?i:(?:(in|during|by|until|through|since|before|after|over|for)\s+the|(this|last|next|past|coming|early|late|in|during))\s+(spring|summer|fall|autumn|winter))(?:\s+of\s+(\d{4}))?(?-u:\b)".to_string()),
        (Rule::Year, r"(?-u:\b)(1[89]\d{2}|20\d{2})(?-u:\b)".to_string()),
    ]
}

/// The bit of a rule in a set of rules.
const fn bit(r: Rule) -> u16 {
    1 << r as u16
}

/// The rules a modifier of a relative expression ("last", "this", "next") may open.
const RELATIVE: u16 = bit(Rule::Weekday) | bit(Rule::LastUnit) | bit(Rule::Season);
/// The rules a count ("two", "a", "12") may open.
const COUNTING: u16 = bit(Rule::Ago) | bit(Rule::Anchored);
/// The rules a preposition may open with a month or a season after it.
const BEFORE_BOTH: u16 = bit(Rule::BareMonth) | bit(Rule::Season);

// What kind of word an ASCII word is, for [`narrow`]: one bit each.
/// A capitalised word that begins like a month name or abbreviation ("Jan", "Sept.").
const K_MONTH: u16 = 1 << 0;
/// A capitalised word that begins like a weekday name or abbreviation.
const K_WEEKDAY: u16 = 1 << 1;
/// A word that begins with a digit.
const K_DIGIT: u16 = 1 << 2;
/// "of".
const K_OF: u16 = 1 << 3;
/// "end", "beginning", "start", "middle" (of a month).
const K_PART: u16 = 1 << 4;
/// "coming".
const K_COMING: u16 = 1 << 5;
/// "morning", "afternoon", "evening", "night".
const K_TIME_OF_DAY: u16 = 1 << 6;
/// A unit of time: "day", "weeks", "decade", ...
const K_UNIT: u16 = 1 << 7;
/// "the".
const K_THE: u16 = 1 << 8;
/// A season: "spring", "summer", "fall", "autumn", "winter".
const K_SEASON: u16 = 1 << 9;
/// "early", "late", "mid" (before a month).
const K_EDGE: u16 = 1 << 10;
/// "this".
const K_THIS: u16 = 1 << 11;
/// "last", "next", "past".
const K_LAST: u16 = 1 << 12;
/// "today", "yesterday", "tomorrow", "tonight".
const K_DEICTIC: u16 = 1 << 13;

/// The words, in lower case and sorted (each letter's together, for [`WORD_INDEX`]), that
/// a case-insensitive rule opens with or that may follow a rule's first word: each with
/// the rules it may open and its kinds.
const WORDS: &[(&str, u16, u16)] = &[
    ("a", COUNTING, 0),
    ("after", BEFORE_BOTH, 0),
    ("afternoon", 0, K_TIME_OF_DAY),
    ("an", COUNTING, 0),
    ("autumn", 0, K_SEASON),
    ("before", BEFORE_BOTH, 0),
    ("beginning", bit(Rule::PartOfMonth), K_PART),
    ("by", BEFORE_BOTH, 0),
    ("coming", RELATIVE, K_COMING),
    ("day", 0, K_UNIT),
    ("days", 0, K_UNIT),
    ("decade", 0, K_UNIT),
    ("decades", 0, K_UNIT),
    ("during", BEFORE_BOTH, 0),
    ("early", bit(Rule::PartOfMonth) | bit(Rule::Season), K_EDGE),
    ("eight", COUNTING, 0),
    ("eighteen", COUNTING, 0),
    ("eleven", COUNTING, 0),
    ("end", bit(Rule::PartOfMonth), K_PART),
    ("evening", 0, K_TIME_OF_DAY),
    ("fall", 0, K_SEASON),
    ("fifteen", COUNTING, 0),
    ("five", COUNTING, 0),
    ("for", bit(Rule::Season), 0),
    ("four", COUNTING, 0),
    ("fourteen", COUNTING, 0),
    ("from", bit(Rule::BareMonth), 0),
    ("in", BEFORE_BOTH, 0),
    (
        "last",
        RELATIVE | bit(Rule::BareMonth) | bit(Rule::Deictic),
        K_LAST,
    ),
    ("late", bit(Rule::PartOfMonth) | bit(Rule::Season), K_EDGE),
    ("mid", bit(Rule::PartOfMonth), K_EDGE),
    ("middle", bit(Rule::PartOfMonth), K_PART),
    ("month", 0, K_UNIT),
    ("months", 0, K_UNIT),
    ("morning", 0, K_TIME_OF_DAY),
    ("next", RELATIVE | bit(Rule::BareMonth), K_LAST),
    ("night", 0, K_TIME_OF_DAY),
    ("nine", COUNTING, 0),
    ("nineteen", COUNTING, 0),
    ("of", bit(Rule::BareMonth), K_OF),
    ("one", COUNTING, 0),
    ("over", bit(Rule::Season), 0),
    ("past", RELATIVE, K_LAST),
    ("previous", bit(Rule::LastUnit), 0),
    ("seven", COUNTING, 0),
    ("seventeen", COUNTING, 0),
    ("since", BEFORE_BOTH, 0),
    ("six", COUNTING, 0),
    ("sixteen", COUNTING, 0),
    ("spring", 0, K_SEASON),
    ("start", bit(Rule::PartOfMonth), K_PART),
    ("summer", 0, K_SEASON),
    ("ten", COUNTING, 0),
    ("the", bit(Rule::PartOfMonth), K_THE),
    ("thirteen", COUNTING, 0),
    (
        "this",
        RELATIVE | bit(Rule::BareMonth) | bit(Rule::Deictic),
        K_THIS,
    ),
    ("three", COUNTING, 0),
    ("through", BEFORE_BOTH, 0),
    ("till", bit(Rule::BareMonth), 0),
    ("today", bit(Rule::Deictic), K_DEICTIC),
    ("tomorrow", bit(Rule::Deictic), K_DEICTIC),
    ("tonight", bit(Rule::Deictic), K_DEICTIC),
    ("twelve", COUNTING, 0),
    ("twenty", COUNTING, 0),
    ("two", COUNTING, 0),
    ("until", BEFORE_BOTH, 0),
    ("week", 0, K_UNIT),
    ("weeks", 0, K_UNIT),
    ("winter", 0, K_SEASON),
    ("year", 0, K_UNIT),
    ("years", 0, K_UNIT),
    ("yesterday", bit(Rule::Deictic), K_DEICTIC),
    ("zero", COUNTING, 0),
];

/// The longest word of [`WORDS`].
const LONGEST_WORD: usize = 9;

/// For each first letter, where its words are in [`WORDS`] and a bit per length one of
/// them has, so that most words are ruled out by one lookup.
static WORD_INDEX: [(u8, u8, u16); 26] = {
    let mut index = [(0u8, 0u8, 0u16); 26];
    let mut i = 0;
    while i < WORDS.len() {
        let w = WORDS[i].0.as_bytes();
        assert!(w.len() <= LONGEST_WORD && w[0].is_ascii_lowercase());
        assert!(
            i == 0 || WORDS[i - 1].0.as_bytes()[0] <= w[0],
            "WORDS is sorted"
        );
        let slot = &mut index[(w[0] - b'a') as usize];
        if slot.2 == 0 {
            slot.0 = i as u8;
        }
        slot.1 = i as u8 + 1;
        slot.2 |= 1 << w.len();
        i += 1;
    }
    index
};

/// Where a match of a rule may start, and what kind of word is there: at the start of an
/// ASCII word (every pattern opens with an ASCII word boundary and a letter or digit),
/// and only at a word the pattern can open with. `word` is the whole run of ASCII word
/// characters there. Returns one bit per rule (`1 << rule as u16`) and the word's kinds
/// (`K_*`), which say what it can be as a later word of a pattern. A superset of the real
/// starts is enough: the anchored pattern decides.
fn classify(word: &[u8]) -> (u16, u16) {
    let first = word[0];
    if first.is_ascii_digit() {
        // What follows each rule's number is no word character, so the word is the number
        // (with an ordinal suffix for a day): four digits for a year or an ISO date, one
        // or two for a day, one to three for a count.
        let mut mask = 0;
        let digits = word.iter().take_while(|c| c.is_ascii_digit()).count();
        let suffix = &word[digits..];
        let number = suffix.is_empty();
        if number && digits == 4 {
            mask |= bit(Rule::Iso);
            if matches!(&word[..2], b"18" | b"19" | b"20") {
                mask |= bit(Rule::Year);
            }
        }
        if (1..=2).contains(&digits) && matches!(suffix, b"" | b"st" | b"nd" | b"rd" | b"th") {
            mask |= bit(Rule::FullDateDayFirst) | bit(Rule::DayMonth);
        }
        if number && (1..=3).contains(&digits) {
            mask |= COUNTING;
        }
        return (mask, K_DIGIT);
    }
    let (mut mask, mut kinds) = (0, 0);
    // Month and weekday names are capitalised.
    if first.is_ascii_uppercase() {
        match word.get(..3) {
            Some(
                b"Jan" | b"Feb" | b"Mar" | b"Apr" | b"May" | b"Jun" | b"Jul" | b"Aug" | b"Sep"
                | b"Oct" | b"Nov" | b"Dec",
            ) => {
                mask = bit(Rule::FullDate) | bit(Rule::MonthDay) | bit(Rule::MonthYear);
                kinds = K_MONTH;
            }
            Some(b"Mon" | b"Tue" | b"Wed" | b"Thu" | b"Fri" | b"Sat" | b"Sun") => {
                mask = bit(Rule::FullDate)
                    | bit(Rule::MonthDay)
                    | bit(Rule::FullDateDayFirst)
                    | bit(Rule::DayMonth)
                    | bit(Rule::Weekday);
                kinds = K_WEEKDAY;
            }
            _ => {}
        }
    }
    // The words of the case-insensitive rules.
    let letter = usize::from(first.to_ascii_lowercase().wrapping_sub(b'a'));
    let Some(&(lo, hi, lengths)) = WORD_INDEX.get(letter) else {
        return (mask, kinds);
    };
    if word.len() > LONGEST_WORD || lengths & (1 << word.len()) == 0 {
        return (mask, kinds);
    }
    let listed = WORDS[usize::from(lo)..usize::from(hi)]
        .iter()
        .find(|(w, _, _)| w.len() == word.len() && w.as_bytes().eq_ignore_ascii_case(word));
    match listed {
        Some(&(_, rules, k)) => (mask | rules, kinds | k),
        None => (mask, kinds),
    }
}

/// Narrows the rules a word may open (`rules`, at a word of kinds `kinds`) to those whose
/// later words can be the ASCII words after it: `next` and `then` are the kinds of the
/// next two (0 when there is none). Every rule's first word is followed by characters
/// that are no ASCII word characters (spaces, a comma, a period, a hyphen) and then, for
/// the rules with more than one word, by the next word whole, so each rule needs a word
/// of some kind there.
fn narrow(rules: u16, kinds: u16, next: u16, then: u16) -> u16 {
    let is = |k: u16| kinds & k != 0;
    let has = |k: u16| next & k != 0;
    let keep = |r: Rule, ok: bool| if ok { bit(r) } else { 0 };
    // "Monday, March 3", "March 3"; "Monday 3 March", "3 March", "3rd of March".
    let month_first = (is(K_WEEKDAY) && has(K_MONTH)) || (is(K_MONTH) && has(K_DIGIT));
    let day_first = (is(K_WEEKDAY) && has(K_DIGIT)) || (is(K_DIGIT) && has(K_OF | K_MONTH));
    let part =
        (is(K_EDGE) && has(K_MONTH)) || (is(K_THE) && has(K_PART)) || (is(K_PART) && has(K_OF));
    let weekday = is(K_WEEKDAY)
        || (is(K_LAST | K_COMING) && has(K_WEEKDAY))
        || (is(K_THIS) && has(K_WEEKDAY | K_COMING));
    let season = has(K_SEASON) || (has(K_THE) && then & K_SEASON != 0);
    let possible = keep(Rule::FullDate, month_first)
        | keep(Rule::MonthDay, month_first)
        | keep(Rule::FullDateDayFirst, day_first)
        | keep(Rule::DayMonth, day_first)
        | bit(Rule::Iso)
        | bit(Rule::Year)
        | keep(Rule::MonthYear, has(K_DIGIT))
        | keep(Rule::PartOfMonth, part)
        | keep(Rule::BareMonth, has(K_MONTH))
        | keep(Rule::Weekday, weekday)
        | keep(Rule::Deictic, is(K_DEICTIC) || has(K_TIME_OF_DAY))
        | keep(Rule::LastUnit, has(K_UNIT))
        | keep(Rule::Ago, has(K_UNIT))
        | keep(Rule::Anchored, has(K_UNIT))
        | keep(Rule::Season, season);
    rules & possible
}

/// Whether each byte is an ASCII word character (a letter, a digit or `_`).
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

/// The starts of the ASCII words of `text` (a letter or digit after a byte that is not an
/// ASCII word character) where some rule may match, each with those rules' bits (see
/// [`classify`] and [`narrow`]). `None` when the text has characters a pattern can match
/// at a start that is no ASCII word: a non-ASCII digit (`\d` is Unicode-aware) or one of
/// the two non-ASCII letters that fold to ASCII ones under `(?i)` (the Kelvin sign and
/// the long s); such a text is scanned whole.
fn word_starts(text: &str) -> Option<Vec<(usize, u16)>> {
    let b = text.as_bytes();
    // The words that may open a rule or follow a rule's first word: (start, rules, kinds,
    // number of the run of ASCII word characters it is).
    let mut words: Vec<(usize, u16, u16, usize)> = Vec::new();
    let mut runs = 0;
    let mut i = 0;
    while i < b.len() {
        if !WORD_BYTE[usize::from(b[i])] {
            // A non-ASCII character starts with a byte of 0xC0 or more (and its other
            // bytes are no ASCII word characters either).
            if b[i] >= 0xC0
                && text[i..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_numeric() || matches!(c, '\u{212a}' | '\u{17f}'))
            {
                return None;
            }
            i += 1;
            continue;
        }
        // A run of ASCII word characters: a word starts at its first byte when that is a
        // letter or digit (after an underscore, nothing in the run starts one).
        let run = i;
        while i < b.len() && WORD_BYTE[usize::from(b[i])] {
            i += 1;
        }
        runs += 1;
        if b[run].is_ascii_alphanumeric() {
            let (rules, kinds) = classify(&b[run..i]);
            if rules | kinds != 0 {
                words.push((run, rules, kinds, runs));
            }
        }
    }
    // The kinds of the word `k` places after word `j`, when it is the `k`th run after it.
    let kinds_after = |j: usize, k: usize| {
        words
            .get(j + k)
            .filter(|w| w.3 == words[j].3 + k)
            .map_or(0, |w| w.2)
    };
    let mut out = Vec::new();
    for (j, &(start, rules, kinds, _)) in words.iter().enumerate() {
        if rules == 0 {
            continue;
        }
        let rules = narrow(rules, kinds, kinds_after(j, 1), kinds_after(j, 2));
        if rules != 0 {
            out.push((start, rules));
        }
    }
    Some(out)
}

/// The most groups (the whole match included) of any rule's pattern.
const GROUPS: usize = 5;

/// Where one match and its groups are in the text (byte ranges); `None` for a group that
/// took no part in the match, and for numbers past the pattern's groups.
type Groups = [Option<(usize, usize)>; GROUPS];

/// The matches of one rule, in order, as its pattern finds them scanning the whole text:
/// tried only at the starts [`word_starts`] allows (`starts` holds each start's rules), with
/// the anchored pattern, which finds the same match there as a scan that reaches that
/// start. Without `starts`, the whole text is scanned. One set of capture locations is
/// reused for every match, so a match allocates no groups of its own.
fn rule_matches(
    rule: Rule,
    re: &Regex,
    anchored: &Regex,
    text: &str,
    starts: Option<&[(usize, u16)]>,
) -> Vec<Groups> {
    let Some(starts) = starts else {
        return re
            .captures_iter(text)
            .map(|c| std::array::from_fn(|i| c.get(i).map(|m| (m.start(), m.end()))))
            .collect();
    };
    let bit = 1u16 << rule as u16;
    let mut out = Vec::new();
    // Made at the first match: most texts have no match for most rules.
    let mut locs: Option<regex::CaptureLocations> = None;
    let mut from = 0;
    for &(p, rules) in starts {
        // The lazy DFA behind `is_match` turns most starts down faster than a search
        // for the groups would.
        if rules & bit == 0 || p < from || !anchored.is_match(&text[p..]) {
            continue;
        }
        let locs = locs.get_or_insert_with(|| anchored.capture_locations());
        let Some(m) = anchored.captures_read(locs, &text[p..]) else {
            continue;
        };
        from = p + m.end().max(1);
        out.push(std::array::from_fn(|i| {
            locs.get(i).map(|(a, b)| (p + a, p + b))
        }));
    }
    out
}

/// The month number of a month name or abbreviation.
fn month_num(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    let m = match s.get(..3)? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday_of(s: &str) -> Option<Weekday> {
    Some(match s.get(..3)? {
        "Mon" => Weekday::Mon,
        "Tue" => Weekday::Tue,
        "Wed" => Weekday::Wed,
        "Thu" => Weekday::Thu,
        "Fri" => Weekday::Fri,
        "Sat" => Weekday::Sat,
        "Sun" => Weekday::Sun,
        _ => return None,
    })
}

fn number_of(s: &str) -> Option<i64> {
    let l = s.to_lowercase();
    if let Ok(n) = l.parse::<i64>() {
        return Some(n);
    }
    if l == "a" || l == "an" {
        return Some(1);
    }
    NUMBER_WORDS.iter().position(|w| *w == l).map(|n| n as i64)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// The year of a month named without one: the publication year, or the year before when
/// that month has not begun yet at publication.
fn year_for_month(m: u32, pub_date: NaiveDate) -> i32 {
    if m <= pub_date.month() {
        pub_date.year()
    } else {
        pub_date.year() - 1
    }
}

/// Resolves a weekday relative to the publication date: "next" and "last" as written
/// ("last" skips a day only one or two days back, which would be "on Monday"),
/// otherwise the most recent such day (the publication day itself included), or the
/// coming one (again the day itself included) when `future` says the words around it
/// speak of the future.
pub(crate) fn resolve_weekday(
    wd: Weekday,
    modifier: Option<&str>,
    pub_date: NaiveDate,
    future: bool,
) -> NaiveDate {
    let back = (7 + pub_date.weekday().num_days_from_monday() as i64
        - wd.num_days_from_monday() as i64)
        % 7;
    let fwd = (7 - back) % 7;
    match modifier.map(str::to_lowercase).as_deref() {
        Some("next") => shift(pub_date, if fwd == 0 { 7 } else { fwd }),
        // "last Monday" a day or two after a Monday is the one of the week before ("on
        // Monday" is the word for the nearer one).
        Some("last") => shift(
            pub_date,
            -(match back {
                0 => 7,
                1 | 2 => back + 7,
                _ => back,
            }),
        ),
        Some("past") => shift(pub_date, -(if back == 0 { 7 } else { back })),
        Some("coming") | Some("this coming") => shift(pub_date, fwd),
        _ if future => shift(pub_date, fwd),
        _ => shift(pub_date, -back),
    }
}

/// `d` moved by `days`, saturating at the ends of the calendar instead of panicking.
fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

/// `y-m` moved by `n` months, as `YYYY-MM`.
fn shift_month(y: i32, m: u32, n: i64) -> String {
    let total = y as i64 * 12 + m.saturating_sub(1) as i64 + n;
    ym(total.div_euclid(12) as i32, total.rem_euclid(12) as u32 + 1)
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Words that put the words around a date in the future.
const FUTURE_WORDS: &[&str] = &[
    "will",
    "shall",
    "would",
    "gonna",
    "scheduled",
    "schedule",
    "expected",
    "expects",
    "expect",
    "slated",
    "due",
    "supposed",
    "upcoming",
    "tomorrow",
    "intends",
    "intend",
    "aims",
    "hopes",
    "begins",
    "starts",
    "opens",
    "resumes",
    "expires",
    "convenes",
];

/// Verbs whose infinitive ("to meet", "to vote") puts a date in the future.
const SCHEDULED_VERBS: &[&str] = &[
    "meet", "vote", "visit", "begin", "start", "decide", "hold", "debate", "testify", "appear",
    "speak", "announce", "travel", "attend", "host", "return", "sign", "face", "launch", "release",
    "discuss", "consider", "rule", "hear", "review", "open", "resume", "campaign", "compete",
    "run", "take", "deliver", "unveil", "present", "submit", "file", "hold",
];

/// Words that put the words around a date in the past.
const PAST_WORDS: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "said",
    "told",
    "been",
    "ago",
    "yesterday",
    "earlier",
    "took",
    "began",
    "came",
    "went",
    "met",
    "made",
    "left",
    "held",
    "saw",
    "gave",
    "won",
    "lost",
    "fell",
    "hit",
    "struck",
    "shot",
    "spoke",
    "wrote",
    "sent",
    "led",
    "fled",
    "became",
];

/// Modals that mark the future ("may" only in lower case: "May" is a month).
const MODALS: &[&str] = &["must", "should", "may"];

/// Words that mark the future before "to" ("going to", "set to", "likely to").
const BEFORE_TO: &[&str] = &[
    "going", "set", "plan", "plans", "planning", "likely", "unlikely", "poised",
];

/// The words [`tense_of`] looks up, as a filter that rules most other words out.
static TENSE_WORDS: LazyLock<WordFilter> = LazyLock::new(|| {
    WordFilter::new(
        [MODALS, BEFORE_TO, FUTURE_WORDS, SCHEDULED_VERBS, PAST_WORDS]
            .into_iter()
            .flatten()
            .copied(),
    )
});

/// Whether one word marks the future (`Some(true)`) or the past (`Some(false)`), given
/// the words just before and after it.
fn tense_of(word: &str, prev: Option<&str>, next: Option<&str>) -> Option<bool> {
    // Lowercase on the stack: the words compared with are short and ASCII.
    let mut buf = [0u8; 24];
    let w = &*lowercase(word, &mut buf);
    // Most words are in no list below (the filter says so): only the endings matter then.
    let listed = TENSE_WORDS.may_contain(w);
    if listed && MODALS.contains(&w) && (w != "may" || word == "may") {
        return Some(true);
    }
    if w.ends_with("'ll") || w.ends_with("\u{2019}ll") {
        return Some(true);
    }
    if listed && BEFORE_TO.contains(&w) {
        return (next == Some("to")).then_some(true);
    }
    // "to meet on Thursday": an infinitive of a verb that schedules something.
    if listed && prev.is_some_and(|p| p.eq_ignore_ascii_case("to")) && SCHEDULED_VERBS.contains(&w)
    {
        return Some(true);
    }
    if listed && FUTURE_WORDS.contains(&w) {
        return Some(true);
    }
    let lower_initial = word.chars().next().is_some_and(char::is_lowercase);
    let participle =
        (listed && PAST_WORDS.contains(&w)) || (lower_initial && w.len() >= 5 && w.ends_with("ed"));
    if participle {
        // "must be returned", "to be held": a passive after a modal or "to".
        return Some(prev.is_some_and(|p| p.eq_ignore_ascii_case("be")));
    }
    None
}

/// Whether the clause around `s..e` speaks of the future: the nearest tense marker
/// among the few words before the expression (in its sentence), else among the few
/// after it. `None` when there is none.
fn future_context(text: &str, s: usize, e: usize) -> Option<bool> {
    const WINDOW: usize = 160;
    let is_stop = |c: char| matches!(c, '.' | '!' | '?' | ';' | '\n');
    let mut from = s.saturating_sub(WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..s];
    let before = before.rfind(is_stop).map_or(before, |p| &before[p + 1..]);
    let split = |c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}');
    // The words before, nearest first: each with the one after it (`None` for the
    // nearest) and the one before it.
    let mut words = before.rsplit(split).filter(|w| !w.is_empty()).peekable();
    let mut after_word: Option<&str> = None;
    for _ in 0..14 {
        let Some(w) = words.next() else { break };
        if let Some(t) = tense_of(w, words.peek().copied(), after_word) {
            return Some(t);
        }
        after_word = Some(w);
    }
    let mut to = (e + WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let after = &text[e..to];
    let after = after.find(is_stop).map_or(after, |p| &after[..p]);
    let mut words = after.split(split).filter(|w| !w.is_empty()).peekable();
    let mut prev: Option<&str> = None;
    for _ in 0..6 {
        let Some(w) = words.next() else { break };
        if let Some(t) = tense_of(w, prev, words.peek().copied()) {
            return Some(t);
        }
        prev = Some(w);
    }
    None
}

/// How far after publication (in days) a day-and-month written without a year is taken
/// as the coming one whatever the tense: news writes the year for a day almost a year
/// back, and speaks of days a few weeks ahead ("debate on April 14", "the April 19
/// primary") in any tense ("she proposed a debate on April 15").
const NEAR_FUTURE_DAYS: i64 = 60;

/// The year of a day-and-month written without a year: the one whose weekday matches
/// when a weekday is written ("Monday, Oct. 26"), else the coming one when it is at most
/// [`NEAR_FUTURE_DAYS`] ahead, else the most recent, else (when the words speak of the
/// future) the coming one.
fn year_for_day(
    mo: u32,
    d: u32,
    wd: Option<Weekday>,
    p: NaiveDate,
    future: bool,
) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(p.year(), mo, d);
    if let Some(wd) = wd {
        let best = (-1..=1)
            .filter_map(|k| NaiveDate::from_ymd_opt(p.year() + k, mo, d))
            .filter(|c| c.weekday() == wd)
            .min_by_key(|c| (c.signed_duration_since(p).num_days().abs(), *c));
        if best.is_some() {
            return best;
        }
    }
    let this = match this {
        Some(t) => t,
        // 29 February of a year without one: the nearest leap year in the right direction.
        None => {
            let dir = if future { 1 } else { -1 };
            return (1..=8).find_map(|k| NaiveDate::from_ymd_opt(p.year() + dir * k, mo, d));
        }
    };
    let days = this.signed_duration_since(p).num_days();
    if future {
        if days < -31 {
            NaiveDate::from_ymd_opt(p.year() + 1, mo, d)
        } else {
            Some(this)
        }
    } else if days > NEAR_FUTURE_DAYS {
        NaiveDate::from_ymd_opt(p.year() - 1, mo, d)
    } else {
        Some(this)
    }
}

/// The year of a month named without one: the publication year, or the year before when
/// that month has not begun yet at publication; the year after when the words speak of
/// the future and the month is over.
fn year_for_month_tensed(m: u32, p: NaiveDate, future: bool) -> i32 {
    if future {
        if m >= p.month() {
            p.year()
        } else {
            p.year() + 1
        }
    } else {
        year_for_month(m, p)
    }
}

/// The month a season begins (northern hemisphere; winter begins in December).
fn season_start(name: &str) -> Option<i64> {
    match name.to_ascii_lowercase().as_str() {
        "spring" => Some(3),
        "summer" => Some(6),
        "fall" | "autumn" => Some(9),
        "winter" => Some(12),
        _ => None,
    }
}

/// The year of a season named without one (a winter counts as the year it begins in):
/// "last" the latest one over before publication, "next" the first one not begun,
/// "this" the publication year; otherwise the coming (or current) one when the words
/// speak of the future, the latest begun when they speak of the past, else the nearest.
fn season_year(start: i64, modifier: Option<&str>, p: NaiveDate, future: Option<bool>) -> i64 {
    // Months counted from year 0; a season of year y spans begin(y) ..= begin(y) + 2.
    let now = p.year() as i64 * 12 + p.month0() as i64;
    let begin = |y: i64| y * 12 + start - 1;
    let y0 = p.year() as i64;
    let years = [y0 - 2, y0 - 1, y0, y0 + 1];
    let last_over = years.iter().rev().find(|&&y| begin(y) + 2 < now).copied();
    let last_begun = years.iter().rev().find(|&&y| begin(y) <= now).copied();
    let first_not_begun = years.iter().find(|&&y| begin(y) > now).copied();
    let first_not_over = years.iter().find(|&&y| begin(y) + 2 >= now).copied();
    let nearest = years
        .iter()
        .min_by_key(|&&y| ((begin(y) + 1 - now).abs(), y))
        .copied();
    let pick = match (modifier, future) {
        (Some("last" | "past"), _) => last_over,
        (Some("next" | "coming"), _) => first_not_begun,
        (Some("this"), _) => Some(y0),
        (_, Some(true)) => first_not_over,
        (_, Some(false)) => last_begun,
        _ => nearest,
    };
    pick.unwrap_or(y0)
}

/// Whether a four-digit number at `s..e` reads as a year.
fn year_context(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].trim_end();
    let after = &text[e..];
    if before.ends_with('$') || before.ends_with('£') || before.ends_with('€') {
        return false;
    }
    if after.starts_with('%')
        || after.starts_with(",0")
        || after.starts_with("-0")
        || after.starts_with("-1")
    {
        return false;
    }
    let prev_word: String = before
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let preps = [
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "of",
        "during",
        "before",
        "after",
        "through",
        "early",
        "late",
        "mid",
        "around",
        "circa",
        "year",
        "the",
        "to",
        "and",
        "or",
        "between",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "copyright",
    ];
    if preps.contains(&prev_word.as_str())
        || prev_word.ends_with("'s")
        || prev_word.ends_with("\u{2019}s")
    {
        return true;
    }
    if before.is_empty() || before.ends_with(['(', ',', '\n', '-']) {
        return true;
    }
    after
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric() && c != ' ')
        || after.starts_with(" and ")
}

/// Whether `s..e` overlaps a span already taken (the spans in `taken` are disjoint).
fn overlaps(taken: &BTreeMap<usize, usize>, s: usize, e: usize) -> bool {
    taken
        .range(..e)
        .next_back()
        .is_some_and(|(_, &end)| end > s)
}

/// Finds every time expression in `text`, resolved against `published` when given.
pub(crate) fn find(text: &str, published: Option<NaiveDate>) -> Vec<Timex> {
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    // "N units later / earlier": (index in `out`, count, unit, later), resolved at the end.
    let mut anchored: Vec<(usize, i64, String, bool)> = Vec::new();
    let starts = word_starts(text);
    for (rule, re, anchored_re) in RULES.iter() {
        for caps in rule_matches(*rule, re, anchored_re, text, starts.as_deref()) {
            let Some((s, e)) = caps[0] else { continue };
            if overlaps(&taken, s, e) {
                continue;
            }
            let g = |i: usize| caps.get(i).copied().flatten().map(|(a, b)| &text[a..b]);
            let gs = |i: usize| caps.get(i).copied().flatten().map(|x| x.0);
            let mut span = (s, e);
            let future = || future_context(text, s, e) == Some(true);
            let (value, relative): (Option<String>, bool) = match rule {
                Rule::FullDate => {
                    let (Some(mo), Some(d), Some(y)) = (g(1).and_then(month_num), g(2), g(3))
                    else {
                        continue;
                    };
                    (
                        ymd(y.parse().unwrap_or(0), mo, d.parse().unwrap_or(0)),
                        false,
                    )
                }
                Rule::FullDateDayFirst => {
                    let (Some(d), Some(mo), Some(y)) = (g(1), g(2).and_then(month_num), g(3))
                    else {
                        continue;
                    };
                    (
                        ymd(y.parse().unwrap_or(0), mo, d.parse().unwrap_or(0)),
                        false,
                    )
                }
                Rule::Iso => {
                    let (Some(y), Some(mo), Some(d)) = (g(1), g(2), g(3)) else {
                        continue;
                    };
                    (
                        ymd(
                            y.parse().unwrap_or(0),
                            mo.parse().unwrap_or(0),
                            d.parse().unwrap_or(0),
                        ),
                        false,
                    )
                }
                Rule::PartOfMonth => {
                    let Some(mo) = g(2).and_then(month_num) else {
                        continue;
                    };
                    match g(3) {
                        Some(y) => (Some(ym(y.parse().unwrap_or(0), mo)), false),
                        None => (
                            published.map(|p| ym(year_for_month_tensed(mo, p, future()), mo)),
                            true,
                        ),
                    }
                }
                Rule::MonthDay | Rule::DayMonth => {
                    let (d, mo) = if matches!(rule, Rule::MonthDay) {
                        (g(3), g(2).and_then(month_num))
                    } else {
                        (g(2), g(3).and_then(month_num))
                    };
                    let (Some(d), Some(mo)) = (d, mo) else {
                        continue;
                    };
                    let d: u32 = d.parse().unwrap_or(0);
                    if !(1..=31).contains(&d) {
                        continue;
                    }
                    let wd = g(1).and_then(weekday_of);
                    let v = published.and_then(|p| {
                        year_for_day(mo, d, wd, p, future())
                            .map(|x| x.format("%Y-%m-%d").to_string())
                    });
                    (v, true)
                }
                Rule::MonthYear => {
                    let (Some(mo), Some(y)) = (g(1).and_then(month_num), g(2)) else {
                        continue;
                    };
                    (Some(ym(y.parse().unwrap_or(0), mo)), false)
                }
                Rule::BareMonth => {
                    let Some(name) = g(1) else { continue };
                    let Some(mo) = month_num(name) else { continue };
                    // "May" and "March" are also words: only the full capitalised name.
                    let lead = text[s..e]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_lowercase();
                    if !matches!(lead.as_str(), "last" | "next" | "this") {
                        span = (gs(1).unwrap_or(s), e);
                    }
                    let v = published.map(|p| {
                        let y = match lead.as_str() {
                            "last" if mo < p.month() => p.year(),
                            "last" => p.year() - 1,
                            "next" if mo > p.month() => p.year(),
                            "next" => p.year() + 1,
                            "this" => p.year(),
                            "since" => year_for_month(mo, p),
                            _ => year_for_month_tensed(mo, p, future()),
                        };
                        ym(y, mo)
                    });
                    (v, true)
                }
                Rule::Weekday => {
                    let Some(wd) = g(2).and_then(weekday_of) else {
                        continue;
                    };
                    (
                        published.map(|p| {
                            resolve_weekday(wd, g(1), p, future())
                                .format("%Y-%m-%d")
                                .to_string()
                        }),
                        true,
                    )
                }
                Rule::Deictic => {
                    let w = g(1).unwrap_or("").to_lowercase();
                    let delta = match w.as_str() {
                        "yesterday" | "last night" => -1,
                        "tomorrow" => 1,
                        _ => 0,
                    };
                    (
                        published.map(|p| shift(p, delta).format("%Y-%m-%d").to_string()),
                        true,
                    )
                }
                Rule::LastUnit => {
                    let which = g(1).unwrap_or("").to_lowercase();
                    let unit = g(2).unwrap_or("").to_lowercase();
                    let dir: i64 = match which.as_str() {
                        "last" | "past" | "previous" => -1,
                        "next" | "coming" => 1,
                        _ => 0,
                    };
                    let v = published.map(|p| match unit.as_str() {
                        "week" => iso_week(shift(p, 7 * dir)),
                        "month" => shift_month(p.year(), p.month(), dir),
                        _ => format!("{:04}", p.year() as i64 + dir),
                    });
                    (v, true)
                }
                Rule::Ago => {
                    let Some(n) = g(1).and_then(number_of) else {
                        continue;
                    };
                    let unit = g(2).unwrap_or("").to_lowercase();
                    let v = published.map(|p| match unit.as_str() {
                        "day" => shift(p, -n).format("%Y-%m-%d").to_string(),
                        // "a week ago" is a day, counted back from publication.
                        "week" => shift(p, -7 * n).format("%Y-%m-%d").to_string(),
                        "month" => shift_month(p.year(), p.month(), -n),
                        "decade" => format!("{:04}", p.year() as i64 - 10 * n),
                        _ => format!("{:04}", p.year() as i64 - n),
                    });
                    (v, true)
                }
                Rule::Anchored => {
                    let Some(n) = g(1).and_then(number_of) else {
                        continue;
                    };
                    let unit = g(2).unwrap_or("").to_lowercase();
                    let later = g(3).is_some_and(|w| w.eq_ignore_ascii_case("later"));
                    anchored.push((out.len(), n, unit, later));
                    (None, false)
                }
                Rule::Season => {
                    let Some(start) = g(3).and_then(season_start) else {
                        continue;
                    };
                    // "the fall of Rome" is no season.
                    if g(4).is_none() && text[e..].trim_start().starts_with("of ") {
                        continue;
                    }
                    if let Some(y) = g(4) {
                        (Some(y.to_string()), false)
                    } else {
                        let modifier = g(2).map(str::to_lowercase);
                        let v = published.map(|p| {
                            let tense = match modifier.as_deref() {
                                Some("in" | "during") | None => future_context(text, s, e),
                                _ => None,
                            };
                            format!("{:04}", season_year(start, modifier.as_deref(), p, tense))
                        });
                        (v, true)
                    }
                }
                Rule::Year => {
                    if !year_context(text, s, e) {
                        continue;
                    }
                    (Some(text[s..e].to_string()), false)
                }
            };
            if matches!(rule, Rule::FullDate | Rule::FullDateDayFirst | Rule::Iso)
                && value.is_none()
            {
                continue;
            }
            taken.insert(s, e);
            out.push(Timex {
                start: span.0,
                end: span.1,
                value,
                relative,
            });
        }
    }
    resolve_anchored(&mut out, &anchored, published);
    out.sort_by_key(|t| (t.start, t.end));
    out
}

/// How far before "N units later/earlier" (in bytes, about two sentences) its anchor date
/// may be.
const ANCHOR_REACH: usize = 300;

/// Resolves "N units later / earlier" against the nearest resolved date written before
/// it (within [`ANCHOR_REACH`] bytes); "earlier" with no such date counts from the
/// publication date, "later" stays unresolved, and so does a "later" that would fall after
/// publication. The value keeps the precision of the unit: years for years and decades,
/// months only from a month, days and weeks only from a day.
fn resolve_anchored(
    out: &mut [Timex],
    anchored: &[(usize, i64, String, bool)],
    published: Option<NaiveDate>,
) {
    if anchored.is_empty() {
        return;
    }
    let is_anchor: Vec<bool> = {
        let mut v = vec![false; out.len()];
        for a in anchored {
            v[a.0] = true;
        }
        v
    };
    // Resolved dates that are not themselves anchored, by position.
    let anchors: BTreeMap<usize, String> = out
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_anchor[*i])
        .filter_map(|(_, t)| t.value.clone().map(|v| (t.start, v)))
        .collect();
    for (i, n, unit, later) in anchored {
        let start = out[*i].start;
        // Only a date close before it can be its anchor: further back, the nearest date
        // is usually about something else.
        let found = anchors
            .range(start.saturating_sub(ANCHOR_REACH)..start)
            .next_back()
            .map(|(_, v)| v.clone());
        let (base, relative) = match (found, later) {
            (Some(v), _) => (Some(v), false),
            (None, false) => (published.map(|p| p.format("%Y-%m-%d").to_string()), true),
            (None, true) => (None, false),
        };
        let sign = if *later { 1 } else { -1 };
        let value = base.and_then(|b| {
            let year: i64 = b.get(..4)?.parse().ok()?;
            let month: Option<u32> = b
                .get(5..7)
                .filter(|_| b.as_bytes().get(4) == Some(&b'-'))
                .and_then(|m| m.parse().ok())
                .filter(|m| (1..=12).contains(m));
            let day = b
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            match unit.as_str() {
                "year" => Some(format!("{:04}", year + sign * n)),
                "decade" => Some(format!("{:04}", year + sign * 10 * n)),
                "month" => month.map(|m| shift_month(year as i32, m, sign * n)),
                "week" => day.map(|d| iso_week(shift(d, sign * 7 * n))),
                _ => day.map(|d| shift(d, sign * n).format("%Y-%m-%d").to_string()),
            }
        });
        // A past happening counted forward must not land after publication.
        let value = value.filter(|v| {
            published.is_none_or(|p| v.as_str() <= p.format("%Y-%m-%d").to_string().as_str())
        });
        let relative = relative || value.is_none();
        out[*i].value = value;
        out[*i].relative = relative;
    }
}

/// A publication date stated in a dateline near the top of the text: a full date on a
/// short line of its own among the first lines.
pub(crate) fn dateline(text: &str) -> Option<(NaiveDate, usize, usize)> {
    let mut off = 0;
    for (n, line) in text.split('\n').enumerate() {
        let start = off;
        off += line.len() + 1;
        if n > 12 || start > 1500 {
            break;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.len() > 90 {
            continue;
        }
        for (rule, re, _) in RULES.iter().take(3) {
            let Some(c) = re.captures(line) else { continue };
            let Some(m) = c.get(0) else { continue };
            let rest = line.len() - m.as_str().len();
            let g = |i: usize| c.get(i).map(|x| x.as_str());
            let date = match rule {
                Rule::FullDate => NaiveDate::from_ymd_opt(
                    g(3)?.parse().ok()?,
                    g(1).and_then(month_num)?,
                    g(2)?.parse().ok()?,
                ),
                Rule::FullDateDayFirst => NaiveDate::from_ymd_opt(
                    g(3)?.parse().ok()?,
                    g(2).and_then(month_num)?,
                    g(1)?.parse().ok()?,
                ),
                _ => NaiveDate::from_ymd_opt(
                    g(1)?.parse().ok()?,
                    g(2)?.parse().ok()?,
                    g(3)?.parse().ok()?,
                ),
            };
            if let Some(d) = date {
                if rest <= 40 {
                    return Some((d, start + m.start(), start + m.end()));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The byte spans of a rule's matches and their groups, in order.
    type Spans = Vec<(usize, usize)>;

    /// Every rule's matches and groups, found by scanning the whole text and by trying
    /// the anchored pattern at the starts `word_starts` allows.
    fn both_scans(text: &str) -> Vec<(Spans, Spans)> {
        let starts = word_starts(text);
        RULES
            .iter()
            .map(|(rule, re, anchored)| {
                let spans = |found: Vec<Groups>| -> Spans {
                    found.iter().flatten().flatten().copied().collect()
                };
                (
                    spans(rule_matches(*rule, re, anchored, text, None)),
                    spans(rule_matches(*rule, re, anchored, text, starts.as_deref())),
                )
            })
            .collect()
    }

    #[test]
    fn every_count_word_may_open_a_count() {
        for w in NUMBER_WORDS.iter().chain(&["a", "an", "Three", "TEN"]) {
            assert_eq!(classify(w.as_bytes()).0 & COUNTING, COUNTING, "{w}");
        }
    }

    #[test]
    fn trying_only_possible_starts_finds_what_a_full_scan_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .expect("bundled articles")
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect();
        texts.push(
            "On Tue., March 3rd, 2020 and 4 of July 1999, mid-May, the end of June 2001, \
             in Sept., last Friday night, this coming Monday, tonight, last week, 3 decades \
             ago, two years later, during the winter of 2003, 2021-02-30 and 2021-02-28, \
             February 30, 2020 then 12 days ago; x2020 _1999 1999_ e\u{301}March 3"
                .to_string(),
        );
        for text in &texts {
            for (full, fast) in both_scans(text) {
                assert_eq!(full, fast, "in {:?}", &text[..text.len().min(80)]);
            }
        }
        // Texts a pattern can match where no ASCII word starts fall back to the full scan.
        for odd in ["\u{0663} days ago", "\u{212a}\u{17f}", "\u{17f}ince May"] {
            assert!(word_starts(odd).is_none());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn possible_starts_agree_with_a_full_scan_on_dateish_text(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("March"), Just("Mar."), Just("May"), Just("Monday"), Just("Tue."),
                    Just("3"), Just("31st"), Just("2020"), Just("1999"), Just("12"),
                    Just("2021-04-05"), Just("of"), Just("in"), Just("the"), Just("end"),
                    Just("last"), Just("this"), Just("coming"), Just("next"), Just("week"),
                    Just("years"), Just("ago"), Just("later"), Just("two"), Just("a"),
                    Just("winter"), Just("night"), Just("today"), Just("mid"), Just("x"),
                    Just("\u{e9}"), Just("\u{0663}"), Just("_"), Just("Sunday"),
                    Just("morning"), Just("spring"), Just("day"), Just("beginning"),
                    Just("1st"), Just("2nd"), Just("4th"), Just("123"), Just("18"), Just("20200"),
                    Just("early"), Just("since"), Just("Week"), Just("Last"), Just("THE"),
                    Just("decades"), Just("autumn"), Just("Of"), Just("START"), Just("by"),
                    Just("afternoon"), Just("months"), Just("fall"), Just("previous"),
                    Just("Mid"), Just("during"), Just("over"), Just("Sept."), Just("an"),
                ],
                0..40,
            ),
            seps in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just(", "), Just("-"), Just("\n"), Just(""), Just(". "),
                    Just("\u{a0}"), Just("  "),
                ],
                40,
            ),
        ) {
            let mut text = String::new();
            for (w, sep) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(sep);
            }
            for (full, fast) in both_scans(&text) {
                prop_assert_eq!(full, fast);
            }
        }
    }

    fn value_of(text: &str, pub_date: &str) -> Vec<(String, Option<String>)> {
        let p = NaiveDate::parse_from_str(pub_date, "%Y-%m-%d").ok();
        find(text, p)
            .into_iter()
            .map(|t| (text[t.start..t.end].to_string(), t.value))
            .collect()
    }

    #[test]
    fn time_expressions_resolve_against_the_reference_date() {
        // (text, reference date, expected surface, expected value)
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "It opened on March 14, 2019 in Lyon.",
                "2023-06-01",
                "March 14, 2019",
                "2019-03-14",
            ),
            (
                "Signed 5 May 2021, the pact held.",
                "2023-06-01",
                "5 May 2021",
                "2021-05-05",
            ),
            (
                "Filed Sept. 9, 2022.",
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
                "The vote on April 2 was close.",
                "2023-06-01",
                "April 2",
                "2023-04-02",
            ),
            (
                "The vote on November 2 was close.",
                "2023-06-01",
                "November 2",
                "2022-11-02",
            ),
            (
                "Rain came in late March.",
                "2023-06-01",
                "late March",
                "2023-03",
            ),
            (
                "It ended at the end of August.",
                "2023-06-01",
                "the end of August",
                "2022-08",
            ),
            (
                "Prices rose from mid-July.",
                "2023-09-01",
                "mid-July",
                "2023-07",
            ),
            (
                "It began in October 2015.",
                "2023-06-01",
                "October 2015",
                "2015-10",
            ),
            (
                "Troops left since December.",
                "2024-03-10",
                "December",
                "2023-12",
            ),
            (
                "They met on Tuesday.",
                "2023-06-01",
                "Tuesday",
                "2023-05-30",
            ),
            (
                "They met on Thursday.",
                "2023-06-01",
                "Thursday",
                "2023-06-01",
            ),
            (
                "They met last Thursday.",
                "2023-06-01",
                "last Thursday",
                "2023-05-25",
            ),
            (
                "Shots rang out Saturday night.",
                "2023-06-01",
                "Saturday night",
                "2023-05-27",
            ),
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
                "Sales fell last month.",
                "2023-01-15",
                "last month",
                "2022-12",
            ),
            ("Sales fell last year.", "2023-01-15", "last year", "2022"),
            (
                "The club won last week.",
                "2023-06-01",
                "last week",
                "2023-W21",
            ),
            (
                "The law passed three years ago.",
                "2023-06-01",
                "three years ago",
                "2020",
            ),
            (
                "The law passed 2 months ago.",
                "2023-06-01",
                "2 months ago",
                "2023-04",
            ),
            (
                "It was founded in 1998 by locals.",
                "2023-06-01",
                "1998",
                "1998",
            ),
            (
                "Talks resume next month.",
                "2023-12-20",
                "next month",
                "2024-01",
            ),
        ];
        for (text, p, surface, value) in cases {
            let got = value_of(text, p);
            assert!(
                got.iter()
                    .any(|(s, v)| s == surface && v.as_deref() == Some(*value)),
                "{text:?} @ {p}: want {surface:?} = {value}, got {got:?}"
            );
        }
    }

    #[test]
    fn counts_and_money_are_not_years() {
        assert!(value_of("Some 2500 troops and $2020 left.", "2023-06-01").is_empty());
    }

    #[test]
    fn relative_expressions_need_a_reference() {
        let got = value_of("They met on Tuesday, not on March 3, 2020.", "x");
        assert_eq!(got[0], ("Tuesday".to_string(), None));
        assert_eq!(got[1].1.as_deref(), Some("2020-03-03"));
    }

    #[test]
    fn datelines_are_found_near_the_top() {
        let text = "Headline Here\n\nby Someone\nMonday, Mar 06, 2023 - 09:10 AM\n\nBody text.";
        let (d, s, e) = dateline(text).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2023, 3, 6).unwrap());
        assert_eq!(&text[s..e], "Monday, Mar 06, 2023");
        assert!(dateline("On March 3, 2020, a long sentence began that went on and on about many different things in detail.").is_none());
    }
}
