//! Dates in questions ("in January 2024", "between 2024-01-01 and 2024-02-15") as day
//! ranges, and whether a stored date (`2024`, `2024-01`, `2024-01-04`) falls inside one.

use annals_graph::link::date_range;
use annals_model::normalize::MONTHS;
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DateRange {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl DateRange {
    /// Every day there is.
    pub const ALL: DateRange = DateRange {
        from: NaiveDate::MIN,
        to: NaiveDate::MAX,
    };

    /// Whether the whole of a stored ISO date (a year, month or day) lies in the range;
    /// `false` for a date that does not parse.
    pub fn contains(&self, iso: &str) -> bool {
        match date_range(iso) {
            Some((from, to)) => from >= self.from && to <= self.to,
            None => false,
        }
    }

    /// The range as the question gave it, for messages.
    pub fn describe(&self) -> String {
        match (self.from == NaiveDate::MIN, self.to == NaiveDate::MAX) {
            (true, true) => "any date".into(),
            (true, false) => format!("until {}", self.to),
            (false, true) => format!("since {}", self.from),
            (false, false) if self.from == self.to => format!("on {}", self.from),
            (false, false) => format!("from {} to {}", self.from, self.to),
        }
    }
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() >= 3 && (w.len() == 3 || *m == w)))
        .or_else(|| (w == "sept").then_some(8))
        .map(|i| i as u32 + 1)
}

/// The days of an ISO value (`2024`, `2024-01`, `2024-01-04`, `2024-W05`).
fn iso(value: &str) -> Option<DateRange> {
    date_range(value).map(|(from, to)| DateRange { from, to })
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(',').to_lowercase();
    let w = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| w.strip_suffix(s))
        .unwrap_or(&w);
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Parses one date as a range of days: `2024`, `2024-01`, `2024-01-04`, `2024-W05`, `January 2024`,
/// `Jan 2024`, `4 January 2024`, `January 4, 2024`. A date without a year is not
/// understood (`None`): there is no "now" a question could be relative to.
pub fn parse_date(s: &str) -> Option<DateRange> {
    let s = s.trim().trim_start_matches("the ").trim();
    let iso_shaped = s.len() >= 4
        && s[..4].bytes().all(|b| b.is_ascii_digit())
        && s[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'W');
    if iso_shaped {
        // Exactly YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www: no trailing parts.
        return iso(s).filter(|_| matches!(s.len(), 4 | 7 | 8 | 10));
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let (month, day, year) = match words.as_slice() {
        [m, y] => (month_number(m)?, None, year_of(y)?),
        [d, m, y] if day_of(d).is_some() => (month_number(m)?, day_of(d), year_of(y)?),
        [m, d, y] => (month_number(m)?, Some(day_of(d)?), year_of(y)?),
        [d, of, m, y] if of.eq_ignore_ascii_case("of") => {
            (month_number(m)?, Some(day_of(d)?), year_of(y)?)
        }
        _ => return None,
    };
    match day {
        Some(d) => {
            let day = NaiveDate::from_ymd_opt(year, month, d)?;
            Some(DateRange { from: day, to: day })
        }
        None => iso(&format!("{year:04}-{month:02}")),
    }
}

/// Parses a date condition: `on|in|during DATE`, `between DATE and DATE`, `from DATE to
/// DATE`, `since|after|before|until DATE`. `None` when it is not one.
pub fn parse_condition(s: &str) -> Option<DateRange> {
    let s = s.trim();
    let (prep, rest) = s.split_once(char::is_whitespace)?;
    let rest = rest.trim();
    let pair = |sep: &str| -> Option<DateRange> {
        let lower = rest.to_lowercase();
        let i = lower.find(sep)?;
        let (a, b) = (parse_date(&rest[..i])?, parse_date(&rest[i + sep.len()..])?);
        (a.from <= b.to).then_some(DateRange {
            from: a.from,
            to: b.to,
        })
    };
    match prep.to_lowercase().as_str() {
        "on" | "in" | "during" => parse_date(rest),
        "between" => pair(" and "),
        "from" => pair(" to ").or_else(|| pair(" until ")),
        "since" => parse_date(rest).map(|d| DateRange {
            from: d.from,
            to: NaiveDate::MAX,
        }),
        "after" => parse_date(rest).and_then(|d| {
            Some(DateRange {
                from: d.to.checked_add_days(Days::new(1))?,
                to: NaiveDate::MAX,
            })
        }),
        "before" => parse_date(rest).and_then(|d| {
            Some(DateRange {
                from: NaiveDate::MIN,
                to: d.from.pred_opt()?,
            })
        }),
        "until" | "till" => parse_date(rest).map(|d| DateRange {
            from: NaiveDate::MIN,
            to: d.to,
        }),
        _ => None,
    }
}

/// The first year whose stored dates can fall in the range, as a key prefix to scan from.
pub(crate) fn scan_from(r: &DateRange) -> String {
    format!("{:04}", r.from.year().max(0))
}

/// The first year after the range, as a key prefix to scan up to (exclusive).
pub(crate) fn scan_to(r: &DateRange) -> String {
    format!("{:04}", (r.to.year() + 1).min(9999))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_in_the_usual_spellings() {
        let jan = DateRange {
            from: day("2024-01-01"),
            to: day("2024-01-31"),
        };
        for s in ["2024-01", "January 2024", "Jan 2024", "jan. 2024"] {
            assert_eq!(parse_date(s), Some(jan), "{s}");
        }
        let d = DateRange {
            from: day("2024-02-04"),
            to: day("2024-02-04"),
        };
        for s in [
            "2024-02-04",
            "4 February 2024",
            "February 4, 2024",
            "Feb 4th 2024",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("2024").unwrap().to, day("2024-12-31"));
        assert_eq!(parse_date("February 2023").unwrap().to, day("2023-02-28"));
        for s in [
            "January",
            "Baghdad",
            "2024-13",
            "31 February 2024",
            "may be 2024",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn conditions() {
        let r = parse_condition("between 2024-01-10 and February 2024").unwrap();
        assert_eq!((r.from, r.to), (day("2024-01-10"), day("2024-02-29")));
        assert_eq!(
            parse_condition("since 2023").unwrap().from,
            day("2023-01-01")
        );
        assert_eq!(
            parse_condition("before 2023").unwrap().to,
            day("2022-12-31")
        );
        assert_eq!(
            parse_condition("after 2023-05").unwrap().from,
            day("2023-06-01")
        );
        assert!(parse_condition("in Baghdad").is_none());
        assert!(parse_condition("between 2024 and 2023").is_none());
    }

    #[test]
    fn containment_by_precision() {
        let jan = parse_date("January 2024").unwrap();
        assert!(jan.contains("2024-01-04"));
        assert!(jan.contains("2024-01"));
        assert!(!jan.contains("2024"));
        assert!(!jan.contains("2024-02-01"));
        assert!(!jan.contains("not a date"));
        assert!(DateRange::ALL.contains("1999"));
        assert_eq!(jan.describe(), "from 2024-01-01 to 2024-01-31");
    }
}
