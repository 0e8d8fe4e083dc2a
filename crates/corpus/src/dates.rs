//! Rewriting a date mention for a shifted calendar, in the style it was written.
//!
//! A mention such as "Thursday, Feb 08, 2024", "January 28", "mid-October", "January
//! 2020" or "2024-02-08" is split into literal text and date parts (month name, day
//! number, year, ISO date). The parts must agree with the value the extractor resolved
//! for the mention; then each is rewritten for the value moved by a number of days, and
//! the literal text is kept. Offsets are whole weeks, so weekday names stay true and are
//! kept as written. Anything else (relative phrases, times, numbers that are not the
//! date's) is left as it is: a mention that cannot be rewritten safely is not a pattern.

use chrono::{Datelike, Days, NaiveDate};

/// Month names as articles write them.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A resolved date value, at the precision the text gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar day.
    Day(NaiveDate),
    /// A month of a year.
    Month(i32, u32),
    /// A year.
    Year(i32),
}

/// Adds a (possibly negative) number of days to a date; `None` out of chrono's range.
pub fn add_days(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

impl DateValue {
    /// Parses an ISO value of the extractor: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn parse(value: &str) -> Option<DateValue> {
        let b = value.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        match b.len() {
            10 => NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .map(DateValue::Day),
            7 if digits(0..4) && b[4] == b'-' && digits(5..7) => {
                let m: u32 = value[5..7].parse().ok()?;
                let y: i32 = value[..4].parse().ok()?;
                (1..=12).contains(&m).then_some(DateValue::Month(y, m))
            }
            4 if digits(0..4) => value.parse().ok().map(DateValue::Year),
            _ => None,
        }
    }

    /// The value moved by `days`: a day moves by that many days; a month moves with its
    /// middle day, a year with its middle day.
    pub fn shifted(self, days: i64) -> Option<DateValue> {
        Some(match self {
            DateValue::Day(d) => DateValue::Day(add_days(d, days)?),
            DateValue::Month(y, m) => {
                let d = add_days(NaiveDate::from_ymd_opt(y, m, 15)?, days)?;
                DateValue::Month(d.year(), d.month())
            }
            DateValue::Year(y) => {
                DateValue::Year(add_days(NaiveDate::from_ymd_opt(y, 7, 1)?, days)?.year())
            }
        })
    }

    fn year(self) -> i32 {
        match self {
            DateValue::Day(d) => d.year(),
            DateValue::Month(y, _) | DateValue::Year(y) => y,
        }
    }

    fn month(self) -> Option<u32> {
        match self {
            DateValue::Day(d) => Some(d.month()),
            DateValue::Month(_, m) => Some(m),
            DateValue::Year(_) => None,
        }
    }

    fn day(self) -> Option<u32> {
        match self {
            DateValue::Day(d) => Some(d.day()),
            _ => None,
        }
    }
}

/// One part of a date mention.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Text kept as written.
    Lit(String),
    /// A month name: abbreviated ("Feb") or not, in capitals ("FEB") or not.
    Month { abbrev: bool, upper: bool },
    /// A day number: zero-padded ("08") or not, with an ordinal suffix ("8th") or not.
    Day { pad: bool, ordinal: bool },
    /// A four-digit year.
    Year,
    /// The whole mention as `YYYY-MM-DD`.
    Iso,
}

/// A date mention split into parts, with the value it was resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatePattern {
    value: DateValue,
    pieces: Vec<Piece>,
}

fn month_of(word: &str) -> Option<(u32, bool)> {
    let lower = word.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS.iter().zip(1..).find_map(|(m, n)| {
        let full = m.to_lowercase();
        if lower == full {
            Some((n, false))
        } else if full.starts_with(&lower) && (lower.len() == 3 || lower == "sept") {
            Some((n, true))
        } else {
            None
        }
    })
}

fn weekday_of(word: &str) -> Option<usize> {
    let lower = word.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    WEEKDAYS
        .iter()
        .position(|w| w.to_lowercase().starts_with(&lower))
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

impl DatePattern {
    /// Splits `text`, a mention resolved to `value`, into parts; `None` when it has no
    /// date part to rewrite or a part disagrees with the value.
    pub fn parse(text: &str, value: DateValue) -> Option<DatePattern> {
        if let DateValue::Day(d) = value {
            if text == d.format("%Y-%m-%d").to_string() {
                return Some(DatePattern {
                    value,
                    pieces: vec![Piece::Iso],
                });
            }
        }
        let mut pieces = Vec::new();
        let (mut has_month, mut has_day, mut variable) = (false, false, false);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c.is_ascii_digit() {
                let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                let (digits, after) = rest.split_at(n);
                let num: u32 = digits.parse().ok()?;
                let letters = after.chars().take_while(|c| c.is_alphabetic()).count();
                let suffix: String = after.chars().take(letters).collect();
                if n == 4 && letters == 0 && i64::from(num) == i64::from(value.year()) {
                    pieces.push(Piece::Year);
                    rest = after;
                } else if n <= 2 && Some(num) == value.day() {
                    let ordinal = letters > 0;
                    if ordinal && ordinal_suffix(num) != suffix.to_lowercase() {
                        return None;
                    }
                    pieces.push(Piece::Day {
                        pad: n == 2 && digits.starts_with('0'),
                        ordinal,
                    });
                    has_day = true;
                    rest = &after[suffix.len()..];
                } else {
                    return None;
                }
                variable = true;
            } else if c.is_alphabetic() {
                let n: usize = rest
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .map(char::len_utf8)
                    .sum();
                let (word, after) = rest.split_at(n);
                if let Some((m, abbrev)) = month_of(word) {
                    if value.month() != Some(m) {
                        return None;
                    }
                    let upper = word.len() > 1 && word.chars().all(|c| c.is_uppercase());
                    pieces.push(Piece::Month { abbrev, upper });
                    has_month = true;
                    variable = true;
                } else if let Some(w) = weekday_of(word) {
                    match value {
                        DateValue::Day(d) if d.weekday().num_days_from_monday() as usize == w => {
                            pieces.push(Piece::Lit(word.to_string()));
                        }
                        _ => return None,
                    }
                } else {
                    pieces.push(Piece::Lit(word.to_string()));
                }
                rest = after;
            } else {
                let n = c.len_utf8();
                match pieces.last_mut() {
                    Some(Piece::Lit(s)) => s.push(c),
                    _ => pieces.push(Piece::Lit(c.to_string())),
                }
                rest = &rest[n..];
            }
        }
        (variable && (!has_day || has_month)).then_some(DatePattern { value, pieces })
    }

    /// The mention for the value moved by `days` (a multiple of 7 keeps any weekday
    /// name true); `None` when the moved date is out of range.
    pub fn render(&self, days: i64, out: &mut String) -> Option<()> {
        let v = self.value.shifted(days)?;
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(t) => s.push_str(t),
                Piece::Iso => {
                    let DateValue::Day(d) = v else { return None };
                    s.push_str(&d.format("%Y-%m-%d").to_string());
                }
                Piece::Year => s.push_str(&format!("{:04}", v.year())),
                Piece::Month { abbrev, upper } => {
                    let name = MONTHS[v.month()? as usize - 1];
                    let name = if *abbrev { &name[..3] } else { name };
                    if *upper {
                        s.push_str(&name.to_uppercase());
                    } else {
                        s.push_str(name);
                    }
                }
                Piece::Day { pad, ordinal } => {
                    let d = v.day()?;
                    if *pad {
                        s.push_str(&format!("{d:02}"));
                    } else {
                        s.push_str(&d.to_string());
                    }
                    if *ordinal {
                        s.push_str(ordinal_suffix(d));
                    }
                }
            }
        }
        out.push_str(&s);
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> DateValue {
        DateValue::parse(s).unwrap()
    }

    fn moved(text: &str, value: &str, days: i64) -> Option<String> {
        let p = DatePattern::parse(text, day(value))?;
        let mut out = String::new();
        p.render(days, &mut out)?;
        Some(out)
    }

    #[test]
    fn values_parse_at_their_precision() {
        assert_eq!(
            DateValue::parse("2024-02-08"),
            Some(DateValue::Day(NaiveDate::from_ymd_opt(2024, 2, 8).unwrap()))
        );
        assert_eq!(DateValue::parse("2024-02"), Some(DateValue::Month(2024, 2)));
        assert_eq!(DateValue::parse("2024"), Some(DateValue::Year(2024)));
        assert_eq!(DateValue::parse("2024-W05"), None);
        assert_eq!(DateValue::parse("2024-13"), None);
        assert_eq!(DateValue::parse("a decade later"), None);
    }

    #[test]
    fn days_keep_their_style_and_weekday() {
        // 2024-02-08 is a Thursday; 7 weeks later is Thursday 2024-03-28.
        assert_eq!(
            moved("Thursday, Feb 08, 2024", "2024-02-08", 49).as_deref(),
            Some("Thursday, Mar 28, 2024")
        );
        assert_eq!(
            moved("January 28", "2024-01-28", -28).as_deref(),
            Some("December 31")
        );
        assert_eq!(
            moved("January 3, 2020", "2020-01-03", -7).as_deref(),
            Some("December 27, 2019")
        );
        assert_eq!(
            moved("2024-02-11", "2024-02-11", 7).as_deref(),
            Some("2024-02-18")
        );
        assert_eq!(
            moved("3rd May", "2024-05-03", -1).as_deref(),
            Some("2nd May")
        );
        assert_eq!(
            moved("FEB 08 2024", "2024-02-08", 700).as_deref(),
            Some("JAN 08 2026")
        );
    }

    #[test]
    fn months_and_years_move_with_their_middle() {
        assert_eq!(
            moved("mid-October", "2023-10", 21).as_deref(),
            Some("mid-November")
        );
        assert_eq!(
            moved("January 2020", "2020-01", -35).as_deref(),
            Some("December 2019")
        );
        assert_eq!(moved("2024", "2024", 365).as_deref(), Some("2025"));
    }

    #[test]
    fn relative_or_disagreeing_mentions_are_left_alone() {
        assert_eq!(moved("last Friday", "2024-02-02", 7), None);
        assert_eq!(moved("Wednesday night", "2024-02-07", 7), None);
        assert_eq!(moved("four years ago", "2020", 7), None);
        // The text says March but the value is February: not rewritten.
        assert_eq!(moved("March 8", "2024-02-08", 7), None);
        // A weekday that is not the value's weekday.
        assert_eq!(moved("Friday, Feb 08, 2024", "2024-02-08", 7), None);
        // A time inside the mention: numbers that are not the date's.
        assert_eq!(moved("Feb 08, 2024 11:45", "2024-02-08", 7), None);
        // A day number with no month.
        assert_eq!(moved("the 8th", "2024-02-08", 7), None);
    }
}
