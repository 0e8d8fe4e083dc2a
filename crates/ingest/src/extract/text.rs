//! Tokens, sentences and lines: the layout of an article's text. Owns tokenisation
//! (byte-offset tokens that keep "U.S.", "Kata’ib" and "Antiwar.com" whole and drop a
//! possessive "’s"), quote-aware sentence splitting, and the classification of lines as
//! headline, byline, page furniture or body. Knows nothing about what a name means.

use super::lexicon::LEXICON;

/// One word-like token: a byte range into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Whether a hyphen joins it to the previous token ("al-Sudani").
    pub hyph_prev: bool,
    /// Whether a possessive "’s" or "'" followed it.
    pub possessive: bool,
}

/// What a line of the article is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Running text.
    Body,
    /// A headline or heading in title case.
    Headline,
    /// A byline ("by NAME", "Author: NAME").
    Byline,
    /// Page furniture ("Read More", "Copyright ...").
    Furniture,
}

/// One line (paragraph) of the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    /// First byte.
    pub start: usize,
    /// One past the last byte (without the line break).
    pub end: usize,
    /// What the line is.
    pub kind: LineKind,
}

/// One sentence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sentence {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of its line.
    pub line: usize,
    /// Its tokens: `tokens[t0..t1]`.
    pub t0: usize,
    /// One past its last token.
    pub t1: usize,
}

/// The layout of one text.
#[derive(Debug)]
pub(crate) struct Layout<'a> {
    /// The text.
    pub text: &'a str,
    /// All tokens, in order.
    pub tokens: Vec<Token>,
    /// All lines that are not blank.
    pub lines: Vec<Line>,
    /// All sentences, in order.
    pub sentences: Vec<Sentence>,
    /// For each token, its sentence.
    pub tok_sent: Vec<usize>,
    /// Every token in lower case.
    pub lower: Lower,
}

/// The tokens of a text in lower case, in one buffer: `lower[i]` is token `i` lowercased.
/// Built once per text, so the stages that compare words case-insensitively do not each
/// allocate a string per token.
#[derive(Debug, Default)]
pub(crate) struct Lower {
    /// The text with its ASCII letters lowercased (where an ASCII token's lowercase form
    /// is, at the token's own offsets), then the lowercase forms of the other tokens.
    buf: String,
    /// Where each token's lowercase form is in `buf`.
    spans: Vec<(usize, usize)>,
}

impl Lower {
    /// Lowercases the tokens of `text`.
    fn new(text: &str, tokens: &[Token]) -> Lower {
        // Byte by byte through an iterator, which the compiler vectorises.
        let lowered: Vec<u8> = text.bytes().map(|b| b.to_ascii_lowercase()).collect();
        let mut buf =
            String::from_utf8(lowered).expect("lowercasing ASCII letters keeps UTF-8 valid");
        let mut spans = Vec::with_capacity(tokens.len());
        if text.is_ascii() {
            // Every token is ASCII, lowercased in place.
            spans.extend(tokens.iter().map(|t| (t.start, t.end)));
            return Lower { buf, spans };
        }
        for t in tokens {
            let w = &text[t.start..t.end];
            if w.is_ascii() {
                spans.push((t.start, t.end));
            } else {
                let from = buf.len();
                buf.push_str(&w.to_lowercase());
                spans.push((from, buf.len()));
            }
        }
        Lower { buf, spans }
    }

    /// Tokens `range` in lower case, in order.
    pub(crate) fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &str> {
        range.map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for Lower {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        &self.buf[start..end]
    }
}

/// Capitalised abbreviations that keep their period.
const ABBREVS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Maj", "Lt", "Col", "Capt", "Sgt", "Adm", "Sen", "Rep",
    "Gov", "St", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Inc", "Corp", "Ltd", "Co", "No", "Lt", "Brig", "Rev", "Mt", "Ft", "Gens", "Cpl",
    "Pvt", "Cmdr", "Supt", "Insp", "Det", "vs", "etc",
];

/// Whether `c` is an apostrophe-like character.
pub(crate) fn is_apos(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}')
}

/// Whether a word is an initialism so far ("U", "U.S").
fn is_initialism(w: &str) -> bool {
    !w.is_empty()
        && w.split('.').all(|p| {
            let mut cs = p.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
        })
}

/// `word` with its ASCII letters lowercased, written into `buf`; `None` when it does not
/// fit. For comparing short words with lowercase lists without allocating.
pub(crate) fn ascii_lower<'b>(word: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let b = buf.get_mut(..word.len())?;
    b.copy_from_slice(word.as_bytes());
    b.make_ascii_lowercase();
    // Lowercasing ASCII bytes in place keeps the UTF-8 valid.
    std::str::from_utf8(b).ok()
}

/// `word` in lower case: written into `buf` when it is ASCII and fits, else allocated.
pub(crate) fn lowercase<'b>(word: &str, buf: &'b mut [u8]) -> std::borrow::Cow<'b, str> {
    match ascii_lower(word, buf) {
        Some(w) if word.is_ascii() => std::borrow::Cow::Borrowed(w),
        _ => std::borrow::Cow::Owned(word.to_lowercase()),
    }
}

/// The character that starts at byte `p` of `s`, if `p` is a character boundary before
/// its end.
pub(crate) fn char_at(s: &str, p: usize) -> Option<char> {
    let b = *s.as_bytes().get(p)?;
    if b.is_ascii() {
        // An ASCII byte is a whole character, and always starts one.
        return Some(char::from(b));
    }
    s.get(p..).and_then(|t| t.chars().next())
}

/// The character that ends at byte `p` of `s`, if `p` is a character boundary after its
/// start.
pub(crate) fn char_before(s: &str, p: usize) -> Option<char> {
    let b = *s.as_bytes().get(p.checked_sub(1)?)?;
    if b.is_ascii() {
        // An ASCII byte is a whole character: `p`, after it, is a boundary.
        return Some(char::from(b));
    }
    s.get(..p).and_then(|t| t.chars().next_back())
}

/// What a byte is to the tokenizer: part of an ASCII letter-or-digit run, another ASCII
/// character (a space or punctuation), or part of a non-ASCII character.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() {
            ALNUM
        } else if b.is_ascii() {
            OTHER_ASCII
        } else {
            NON_ASCII
        };
        c += 1;
    }
    t
};
/// [`BYTE_CLASS`]: an ASCII letter or digit.
const ALNUM: u8 = 0;
/// [`BYTE_CLASS`]: an ASCII character that is no letter or digit.
const OTHER_ASCII: u8 = 1;
/// [`BYTE_CLASS`]: a byte of a non-ASCII character.
const NON_ASCII: u8 = 2;

/// Whether a hyphen right after the last of `tokens` joins it to a token starting at `s`.
fn hyphen_before(bytes: &[u8], tokens: &[Token], s: usize) -> bool {
    tokens
        .last()
        .is_some_and(|t| t.end + 1 == s && bytes.get(t.end) == Some(&b'-'))
}

/// Splits a text into tokens. Walks the text by byte offset, decoding the few characters
/// around each position it looks at, so no table of the text's characters is built.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let n = text.len();
    let at = |p: usize| char_at(text, p);
    let before = |p: usize| char_before(text, p);
    let width = |p: usize| at(p).map_or(0, char::len_utf8);
    let bytes = text.as_bytes();
    let class = |p: usize| BYTE_CLASS[usize::from(bytes[p])];
    // The first byte at or after `p` that is not of the class, or the end.
    let skip = |p: usize, of: u8| {
        p + bytes[p..]
            .iter()
            .position(|&b| BYTE_CLASS[usize::from(b)] != of)
            .unwrap_or(n - p)
    };
    // Whether an ASCII word ends at `j`: at a space or a mark that cannot continue it
    // (only an apostrophe, a period or a comma can).
    let ends_word =
        |j: usize| j < n && class(j) == OTHER_ASCII && !matches!(bytes[j], b'\'' | b'.' | b',');
    // News text has a token every six bytes or so.
    let mut out: Vec<Token> = Vec::with_capacity(n / 6 + 1);
    let mut i = 0;
    while i < n {
        // Most bytes between words are ASCII spaces and punctuation: skip them without
        // decoding a character.
        i = skip(i, OTHER_ASCII);
        if i == n {
            break;
        }
        let s = i;
        // The common case: an ASCII word that ends at the end of the text or where
        // `ends_word` says, taken whole.
        if class(s) == ALNUM {
            let j = skip(s + 1, ALNUM);
            if j == n || ends_word(j) {
                let hyph_prev = hyphen_before(bytes, &out, s);
                out.push(Token {
                    start: s,
                    end: j,
                    hyph_prev,
                    possessive: false,
                });
                i = j;
                continue;
            }
        }
        let Some(c) = at(i) else { break };
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let mut j = i + c.len_utf8();
        let mut possessive = false;
        let mut skip_to = None;
        loop {
            // A run of ASCII letters and digits, the common case, byte by byte.
            j = skip(j, ALNUM);
            // Most words end there: done, without decoding.
            if ends_word(j) {
                break;
            }
            let Some(c) = at(j) else { break };
            if c.is_alphanumeric() {
                j += c.len_utf8();
                continue;
            }
            let j1 = j + c.len_utf8();
            let next = at(j1);
            if is_apos(c) {
                if next.is_some_and(char::is_alphanumeric) {
                    let j2 = j1 + width(j1);
                    let after = at(j2);
                    if matches!(next, Some('s')) && after.is_none_or(|a| !a.is_alphanumeric()) {
                        possessive = true;
                        skip_to = Some(j2);
                        break;
                    }
                    j = j1;
                    continue;
                }
                // "States'": a plural possessive (not a closing `''`).
                if before(j) == Some('s') && !(c == '\'' && next == Some('\'')) {
                    possessive = true;
                }
                break;
            }
            if c == '.' && next.is_some_and(char::is_alphanumeric) {
                let nx = next.unwrap_or(' ');
                let word = &text[s..j];
                let after = at(j1 + width(j1));
                let initialism = is_initialism(word)
                    && nx.is_uppercase()
                    && after.is_none_or(|a| !a.is_alphanumeric());
                let lower_cont = (nx.is_lowercase() || nx.is_ascii_digit())
                    && before(j).is_some_and(char::is_alphanumeric);
                if initialism || lower_cont {
                    j = j1;
                    continue;
                }
            }
            // "12,000": a comma and three digits (one byte each) inside a number.
            if c == ','
                && before(j).is_some_and(|p| p.is_ascii_digit())
                && (1..=3).all(|k| at(j + k).is_some_and(|d| d.is_ascii_digit()))
                && at(j + 4).is_none_or(|d| !d.is_ascii_digit())
            {
                j += 4;
                continue;
            }
            break;
        }
        let mut end = j;
        if skip_to.is_none() && bytes.get(j) == Some(&b'.') {
            let w = &text[s..end];
            let single = {
                let mut it = w.chars();
                matches!((it.next(), it.next()), (Some(c), None) if c.is_uppercase())
            };
            if (w.contains('.') && is_initialism(w)) || single || ABBREVS.contains(&w) {
                end += 1;
                j += 1;
            }
        }
        let hyph_prev = hyphen_before(bytes, &out, s);
        out.push(Token {
            start: s,
            end,
            hyph_prev,
            possessive,
        });
        i = skip_to.unwrap_or(j);
    }
    out
}

/// Whether a character opens or closes a quotation.
pub(crate) fn quote_mark(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{00ab}' | '\u{00bb}')
}

/// Whether a byte is an ASCII character that neither quotes nor ends a sentence (not `"`,
/// `'`, `.`, `!` or `?`), which sentence splitting passes over.
static PLAIN_IN_SENTENCE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = !matches!(c as u8, b'"' | b'\'' | b'.' | b'!' | b'?');
        c += 1;
    }
    t
};

/// Sentence boundaries (byte ranges) within one line, not splitting inside quotes,
/// appended to `out`.
fn split_line(
    text: &str,
    start: usize,
    end: usize,
    tokens: &[Token],
    out: &mut Vec<(usize, usize)>,
) {
    let line = &text[start..end];
    // Offsets below are relative to the line.
    let at = |p: usize| char_at(line, p);
    let skip_spaces = |mut q: usize| {
        while let Some(c) = at(q).filter(|c| c.is_whitespace()) {
            q += c.len_utf8();
        }
        q
    };
    let in_token = |p: usize| {
        let abs = start + p;
        let k = tokens.partition_point(|t| t.end <= abs);
        tokens.get(k).is_some_and(|t| t.start <= abs && abs < t.end)
    };
    let mut sent_start = 0usize;
    let mut in_quote = false;
    let bytes = line.as_bytes();
    let mut k = 0;
    loop {
        // Only quotation marks, apostrophes and sentence-ending marks matter here: skip
        // the other ASCII bytes without decoding a character.
        k += bytes
            .get(k..)
            .unwrap_or_default()
            .iter()
            .position(|&b| !PLAIN_IN_SENTENCE[usize::from(b)])
            .unwrap_or(bytes.len().saturating_sub(k));
        let Some(c) = at(k) else { break };
        let after_c = k + c.len_utf8();
        match c {
            '"' => in_quote = !in_quote,
            '\u{201c}' => in_quote = true,
            '\u{201d}' => in_quote = false,
            // Two apostrophes as a double mark (`''Yes,'' he said`).
            '\'' if at(after_c) == Some('\'') => {
                in_quote = !in_quote;
                k += 2;
                continue;
            }
            _ => {}
        }
        if matches!(c, '.' | '!' | '?' | '\u{2026}') && !in_token(k) {
            // Closing marks that belong to this sentence.
            let mut m = after_c;
            while let Some(mc) =
                at(m).filter(|&mc| quote_mark(mc) || matches!(mc, ')' | '\u{2019}' | '\''))
            {
                if quote_mark(mc) || (mc == '\'' && at(m + 1) == Some('\'')) {
                    in_quote = false;
                }
                m += mc.len_utf8();
            }
            if !in_quote || m > after_c {
                let split = match at(m) {
                    None => true,
                    Some(n) if n.is_whitespace() => {
                        let q = skip_spaces(m);
                        at(q).is_none_or(|x| {
                            x.is_uppercase()
                                || x.is_ascii_digit()
                                || quote_mark(x)
                                || (x == '\'' && at(q + 1) == Some('\''))
                        })
                    }
                    Some(n) => {
                        n.is_uppercase()
                            && char_before(line, k).is_some_and(char::is_lowercase)
                            && c == '.'
                    }
                };
                if split {
                    if m > sent_start {
                        out.push((start + sent_start, start + m));
                    }
                    let q = skip_spaces(m);
                    sent_start = q;
                    in_quote = false;
                    k = q;
                    continue;
                }
            }
        }
        k = after_c;
    }
    if sent_start < line.len() && !line[sent_start..].trim().is_empty() {
        out.push((start + sent_start, end));
    }
}

/// Whether a line is page furniture: it starts with a furniture phrase, holds one of two
/// words or more (when shorter than 160 bytes), or is a short caption ending in "photo".
fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    if !t.is_ascii() && !t.chars().all(lowercase_is_itself) {
        return is_furniture_lowercased(t);
    }
    // ASCII, but for characters that are their own lowercase (curly quotes, dashes, "é"):
    // lowercasing keeps every byte in place, so the phrases are matched on the line
    // itself, ASCII case-insensitively, without building its lowercase copy.
    if t.is_empty() {
        return false;
    }
    // On bytes: the line may end in a character of several bytes.
    let ends = |suffix: &str| {
        let b = t.as_bytes();
        b.len() >= suffix.len()
            && b[b.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    if ends("photo") || ends("photos") {
        return t.split_whitespace().count() <= 5;
    }
    let lx = &*LEXICON;
    let prefix = aho_corasick::Input::new(t).anchored(aho_corasick::Anchored::Yes);
    lx.furniture_prefix.is_match(prefix) || (t.len() < 160 && lx.furniture_inner.is_match(t))
}

/// Whether a character is ASCII or lowercases to itself alone.
fn lowercase_is_itself(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// [`is_furniture`] for a line with non-ASCII text, on its lowercase copy.
fn is_furniture_lowercased(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    if lower.is_empty() {
        return false;
    }
    let lx = &*LEXICON;
    if lower.ends_with("photo") || lower.ends_with("photos") {
        return lower.split_whitespace().count() <= 5;
    }
    // The phrases are lowercase, so the ASCII case-insensitive automata find on the
    // lowercase copy exactly the phrases it starts with or contains.
    let prefix = aho_corasick::Input::new(&lower).anchored(aho_corasick::Anchored::Yes);
    lx.furniture_prefix.is_match(prefix)
        || (lower.len() < 160 && lx.furniture_inner.is_match(lower.as_str()))
}

/// Whether a line looks like a headline or heading: no closing punctuation, short, and
/// most of its longer words capitalised.
fn is_headline_like(line: &str, first: bool) -> bool {
    let t = line.trim();
    let last = t.chars().last().unwrap_or(' ');
    let closed = matches!(last, '.' | '!' | '?' | '"' | '\u{201d}' | ':' | ',' | ';');
    if closed && !first {
        // Running text: no need to count its words.
        return false;
    }
    // Words, words of four letters or more, and those of them capitalised.
    let (mut words, mut long, mut caps) = (0, 0, 0);
    for w in t.split_whitespace() {
        words += 1;
        if words > 20 {
            return false;
        }
        if w.chars().count() >= 4 {
            long += 1;
            if w.chars().next().is_some_and(char::is_uppercase) {
                caps += 1;
            }
        }
    }
    if words == 0 {
        return false;
    }
    let ratio = if long == 0 {
        1.0
    } else {
        caps as f64 / long as f64
    };
    if first {
        return !closed || ratio >= 0.8;
    }
    !closed && ratio >= 0.7
}

/// Where the author's name is on a byline line, if the line is one.
pub(crate) fn byline_name(line: &str) -> Option<(usize, usize)> {
    let t = line.trim_end();
    let lead = t.len() - t.trim_start().len();
    let body = &t[lead..];
    let prefix = [
        "by ",
        "author: ",
        "author:",
        "written by ",
        "words by ",
        "reporting by ",
    ]
    .iter()
    .find(|p| {
        body.as_bytes()
            .get(..p.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
    })?;
    let rest_start = lead + prefix.len();
    let rest = t.get(rest_start..)?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    let namey = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(*w, "and" | "de" | "van" | "von" | "al" | "bin")
            || w.starts_with("al-")
    });
    if !namey {
        return None;
    }
    let skip = rest.len() - rest.trim_start().len();
    Some((rest_start + skip, t.len()))
}

impl<'a> Layout<'a> {
    /// Lays out a text.
    pub(crate) fn new(text: &'a str) -> Layout<'a> {
        let tokens = tokenize(text);
        let mut lines = Vec::new();
        let mut off = 0;
        let mut seen_first = false;
        for raw in text.split('\n') {
            let start = off;
            off += raw.len() + 1;
            let content = raw.trim_end_matches('\r');
            if content.trim().is_empty() {
                continue;
            }
            let end = start + content.len();
            let kind = if is_furniture(content) {
                LineKind::Furniture
            } else if byline_name(content).is_some() {
                LineKind::Byline
            } else if is_headline_like(content, !seen_first) {
                LineKind::Headline
            } else {
                LineKind::Body
            };
            seen_first = true;
            lines.push(Line { start, end, kind });
        }
        let mut sentences = Vec::with_capacity(2 * lines.len());
        let mut tok_sent = vec![0; tokens.len()];
        let mut bounds = Vec::new();
        for (li, l) in lines.iter().enumerate() {
            bounds.clear();
            split_line(text, l.start, l.end, &tokens, &mut bounds);
            for &(s, e) in &bounds {
                let t0 = tokens.partition_point(|t| t.start < s);
                let t1 = tokens.partition_point(|t| t.start < e);
                for ts in tok_sent.iter_mut().take(t1).skip(t0) {
                    *ts = sentences.len();
                }
                sentences.push(Sentence {
                    start: s,
                    end: e,
                    line: li,
                    t0,
                    t1,
                });
            }
        }
        let lower = Lower::new(text, &tokens);
        Layout {
            text,
            tokens,
            lines,
            sentences,
            tok_sent,
            lower,
        }
    }

    /// The text of token `i`.
    pub(crate) fn tok(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// Token `i` in lower case.
    pub(crate) fn low(&self, i: usize) -> &str {
        &self.lower[i]
    }

    /// The text of `start..end` with its ASCII letters lowercased (other characters as
    /// they are).
    pub(crate) fn ascii_lower(&self, start: usize, end: usize) -> &str {
        &self.lower.buf[start..end]
    }

    /// The line kind of sentence `s`.
    pub(crate) fn sent_kind(&self, s: usize) -> LineKind {
        self.lines[self.sentences[s].line].kind
    }

    /// The text between tokens `i` and `i + 1`.
    pub(crate) fn gap(&self, i: usize) -> &'a str {
        let a = self.tokens[i].end;
        let b = self.tokens.get(i + 1).map_or(self.text.len(), |t| t.start);
        &self.text[a..b.max(a)]
    }

    /// The sentence holding byte `pos`, if any.
    pub(crate) fn sentence_at(&self, pos: usize) -> Option<usize> {
        let k = self.sentences.partition_point(|s| s.end <= pos);
        self.sentences.get(k).filter(|s| s.start <= pos).map(|_| k)
    }
}

/// Byte ranges (spans of names, quotations) sorted by start, with the furthest end of
/// any up to each: whether one of them encloses a given range is one binary search, not
/// a scan of them all.
#[derive(Debug, Default)]
pub(crate) struct Reach {
    starts: Vec<usize>,
    furthest: Vec<usize>,
}

impl Reach {
    /// The ranges `(start, end)`, in any order.
    pub(crate) fn new(ranges: impl IntoIterator<Item = (usize, usize)>) -> Reach {
        let mut ranges: Vec<(usize, usize)> = ranges.into_iter().collect();
        ranges.sort_unstable();
        let mut furthest = Vec::with_capacity(ranges.len());
        let mut m = 0;
        for &(_, end) in &ranges {
            m = m.max(end);
            furthest.push(m);
        }
        Reach {
            starts: ranges.into_iter().map(|r| r.0).collect(),
            furthest,
        }
    }

    /// Whether a range starting before `before` ends at or after `end`.
    pub(crate) fn reaches(&self, before: usize, end: usize) -> bool {
        let n = self.starts.partition_point(|&s| s < before);
        n > 0 && self.furthest[n - 1] >= end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The tokenizer and sentence splitter as they were before they walked the text by
    /// byte offset: over a table of the text's characters. Kept as the reference the
    /// property tests compare with.
    mod by_char_table {
        use super::super::{is_apos, is_initialism, quote_mark, Token, ABBREVS};

        /// The characters of a text with their byte offsets, collected once per text for the
        /// tokenizer's and the sentence splitter's look-ahead.
        fn char_table(text: &str) -> Vec<(usize, char)> {
            let n = if text.is_ascii() {
                text.len()
            } else {
                text.chars().count()
            };
            let mut cs = Vec::with_capacity(n);
            cs.extend(text.char_indices());
            cs
        }

        /// Splits a text into tokens.
        pub(super) fn tokenize(text: &str) -> Vec<Token> {
            tokenize_chars(text, &char_table(text))
        }

        /// Splits a text into tokens, given its [`char_table`].
        fn tokenize_chars(text: &str, cs: &[(usize, char)]) -> Vec<Token> {
            let n = cs.len();
            let at = |k: usize| cs.get(k).map(|x| x.1);
            let pos = |k: usize| cs.get(k).map_or(text.len(), |x| x.0);
            let mut out: Vec<Token> = Vec::new();
            let mut i = 0;
            while i < n {
                let (s, c) = cs[i];
                if !c.is_alphanumeric() {
                    i += 1;
                    continue;
                }
                let mut j = i + 1;
                let mut possessive = false;
                let mut skip_to = None;
                while j < n {
                    let c = cs[j].1;
                    if c.is_alphanumeric() {
                        j += 1;
                        continue;
                    }
                    let next = at(j + 1);
                    if is_apos(c) {
                        if next.is_some_and(char::is_alphanumeric) {
                            let after = at(j + 2);
                            if matches!(next, Some('s'))
                                && after.is_none_or(|a| !a.is_alphanumeric())
                            {
                                possessive = true;
                                skip_to = Some(j + 2);
                                break;
                            }
                            j += 1;
                            continue;
                        }
                        // "States'": a plural possessive (not a closing `''`).
                        if at(j - 1) == Some('s') && !(c == '\'' && next == Some('\'')) {
                            possessive = true;
                        }
                        break;
                    }
                    if c == '.' && next.is_some_and(char::is_alphanumeric) {
                        let nx = next.unwrap_or(' ');
                        let word = &text[s..cs[j].0];
                        let after = at(j + 2);
                        let initialism = is_initialism(word)
                            && nx.is_uppercase()
                            && after.is_none_or(|a| !a.is_alphanumeric());
                        let lower_cont = (nx.is_lowercase() || nx.is_ascii_digit())
                            && at(j - 1).is_some_and(char::is_alphanumeric);
                        if initialism || lower_cont {
                            j += 1;
                            continue;
                        }
                    }
                    if c == ','
                        && at(j - 1).is_some_and(|p| p.is_ascii_digit())
                        && (1..=3).all(|k| at(j + k).is_some_and(|d| d.is_ascii_digit()))
                        && at(j + 4).is_none_or(|d| !d.is_ascii_digit())
                    {
                        j += 4;
                        continue;
                    }
                    break;
                }
                let mut end = pos(j);
                if skip_to.is_none() && at(j) == Some('.') {
                    let w = &text[s..end];
                    let single = {
                        let mut it = w.chars();
                        matches!((it.next(), it.next()), (Some(c), None) if c.is_uppercase())
                    };
                    if (w.contains('.') && is_initialism(w)) || single || ABBREVS.contains(&w) {
                        end += 1;
                        j += 1;
                    }
                }
                let hyph_prev = out
                    .last()
                    .is_some_and(|t| t.end + 1 == s && text.as_bytes().get(t.end) == Some(&b'-'));
                out.push(Token {
                    start: s,
                    end,
                    hyph_prev,
                    possessive,
                });
                i = skip_to.unwrap_or(j);
            }
            out
        }

        /// Sentence boundaries (byte ranges) within one line, not splitting inside quotes. `chars`
        /// is the text's [`char_table`]; the line's characters are looked up in it.
        pub(super) fn split_line(
            text: &str,
            chars: &[(usize, char)],
            start: usize,
            end: usize,
            tokens: &[Token],
        ) -> Vec<(usize, usize)> {
            let line = &text[start..end];
            let first = chars.partition_point(|x| x.0 < start);
            let last = first + chars[first..].partition_point(|x| x.0 < end);
            let cs = &chars[first..last];
            let in_token = |p: usize| {
                let abs = start + p;
                let k = tokens.partition_point(|t| t.end <= abs);
                tokens.get(k).is_some_and(|t| t.start <= abs && abs < t.end)
            };
            let mut out = Vec::new();
            let mut sent_start = 0usize;
            let mut in_quote = false;
            let mut k = 0;
            while k < cs.len() {
                // Offsets relative to the line, as the rest of this function counts them.
                let (p, c) = (cs[k].0 - start, cs[k].1);
                match c {
                    '"' => in_quote = !in_quote,
                    '\u{201c}' => in_quote = true,
                    '\u{201d}' => in_quote = false,
                    // Two apostrophes as a double mark (`''Yes,'' he said`).
                    '\'' if cs.get(k + 1).is_some_and(|x| x.1 == '\'') => {
                        in_quote = !in_quote;
                        k += 2;
                        continue;
                    }
                    _ => {}
                }
                if matches!(c, '.' | '!' | '?' | '\u{2026}') && !in_token(p) {
                    // Closing marks that belong to this sentence.
                    let mut m = k + 1;
                    while m < cs.len()
                        && (quote_mark(cs[m].1) || matches!(cs[m].1, ')' | '\u{2019}' | '\''))
                    {
                        if quote_mark(cs[m].1)
                            || (cs[m].1 == '\'' && cs.get(m + 1).is_some_and(|x| x.1 == '\''))
                        {
                            in_quote = false;
                        }
                        m += 1;
                    }
                    if !in_quote || m > k + 1 {
                        let next = cs.get(m).map(|x| x.1);
                        let split = match next {
                            None => true,
                            Some(n) if n.is_whitespace() => {
                                let mut q = m;
                                while q < cs.len() && cs[q].1.is_whitespace() {
                                    q += 1;
                                }
                                cs.get(q).is_none_or(|x| {
                                    x.1.is_uppercase()
                                        || x.1.is_ascii_digit()
                                        || quote_mark(x.1)
                                        || (x.1 == '\''
                                            && cs.get(q + 1).is_some_and(|y| y.1 == '\''))
                                })
                            }
                            Some(n) => {
                                n.is_uppercase() && k > 0 && cs[k - 1].1.is_lowercase() && c == '.'
                            }
                        };
                        if split {
                            let e = cs.get(m).map_or(line.len(), |x| x.0 - start);
                            if e > sent_start {
                                out.push((start + sent_start, start + e));
                            }
                            let mut q = m;
                            while q < cs.len() && cs[q].1.is_whitespace() {
                                q += 1;
                            }
                            sent_start = cs.get(q).map_or(line.len(), |x| x.0 - start);
                            in_quote = false;
                            k = q;
                            continue;
                        }
                    }
                }
                k += 1;
            }
            if sent_start < line.len() && !line[sent_start..].trim().is_empty() {
                out.push((start + sent_start, end));
            }
            out
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Walking by byte offset finds the tokens and sentences the character table did,
        /// on text full of what the rules look at: apostrophes, dots, commas in numbers,
        /// quote marks, hyphens, capitals, multi-byte letters and spaces.
        #[test]
        fn walking_by_byte_offset_matches_the_character_table(
            text in "([A-Za-z0-9 .,'’‘\"“”«»()!?…\n\t-]|É|é|ß|İ|ǅ|\u{a0}|\u{2019}s|U\\.S\\.|Mr\\.|12,000|[0-9]{1,3},[0-9]{1,4}[a-z.]?|''){0,60}"
        ) {
            let tokens = tokenize(&text);
            prop_assert_eq!(&tokens, &by_char_table::tokenize(&text));
            let mut off = 0;
            for raw in text.split('\n') {
                let (start, end) = (off, off + raw.len());
                off = end + 1;
                let chars: Vec<(usize, char)> = text.char_indices().collect();
                let mut bounds = Vec::new();
                split_line(&text, start, end, &tokens, &mut bounds);
                prop_assert_eq!(
                    bounds,
                    by_char_table::split_line(&text, &chars, start, end, &tokens)
                );
            }
        }
    }

    proptest! {
        /// The ASCII shortcuts of `char_at` and `char_before` give what slicing the text
        /// gives, at every byte offset (inside a character and past the end too).
        #[test]
        fn characters_at_and_before_an_offset_are_the_sliced_ones(text in "(a|É|ß|\u{2019}| |\\.|😀){0,12}") {
            for p in 0..=text.len() + 1 {
                prop_assert_eq!(char_at(&text, p), text.get(p..).and_then(|t| t.chars().next()));
                prop_assert_eq!(
                    char_before(&text, p),
                    text.get(..p).and_then(|t| t.chars().next_back())
                );
            }
        }
    }

    #[test]
    fn lowercase_uses_the_buffer_for_short_ascii_words_only() {
        let mut buf = [0u8; 8];
        let short = lowercase("SaID", &mut buf);
        assert!(
            matches!(short, std::borrow::Cow::Borrowed("said")),
            "{short:?}"
        );
        // Too long for the buffer, or not ASCII: a full lowercase copy.
        for (word, lower) in [
            ("Announced", "announced"),
            ("\u{c9}T\u{c9}", "\u{e9}t\u{e9}"),
        ] {
            let mut buf = [0u8; 8];
            let got = lowercase(word, &mut buf);
            assert!(
                matches!(&got, std::borrow::Cow::Owned(w) if w == lower),
                "{got:?}"
            );
        }
    }

    #[test]
    fn ascii_lower_lowercases_into_the_buffer_or_says_it_does_not_fit() {
        let mut buf = [0u8; 8];
        assert_eq!(ascii_lower("SaID", &mut buf), Some("said"));
        assert_eq!(
            ascii_lower("\u{c9}T\u{c9}", &mut buf),
            Some("\u{c9}t\u{c9}")
        );
        assert_eq!(ascii_lower("", &mut buf), Some(""));
        assert_eq!(ascii_lower("Announced", &mut buf), None);
    }

    #[test]
    fn reach_finds_an_enclosing_range() {
        let r = Reach::new([(10, 20), (0, 5), (12, 40)]);
        assert!(r.reaches(11, 20));
        assert!(r.reaches(13, 40));
        assert!(!r.reaches(12, 41));
        assert!(!r.reaches(10, 15), "only (0, 5) starts before 10");
        assert!(!Reach::new([]).reaches(100, 1));
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn tokens_keep_initialisms_and_drop_possessives() {
        assert_eq!(
            words("The U.S. and Kenya’s army met at Example.org, Maj. Gen. Smith said."),
            vec![
                "The",
                "U.S.",
                "and",
                "Kenya",
                "army",
                "met",
                "at",
                "Example.org",
                "Maj.",
                "Gen.",
                "Smith",
                "said"
            ]
        );
        let toks = tokenize("al-Rashid paid 12,000 dollars");
        assert!(toks[1].hyph_prev);
        assert_eq!(words("al-Rashid paid 12,000 dollars")[3], "12,000");
        assert!(tokenize("Norway's")[0].possessive);
    }

    #[test]
    fn sentences_split_outside_quotes_only() {
        let text = "He said \"Go home. Now.\" Then he left. Mr. Brown stayed.Later rain fell.";
        let lay = Layout::new(text);
        let got: Vec<&str> = lay
            .sentences
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(
            got,
            vec![
                "He said \"Go home. Now.\"",
                "Then he left.",
                "Mr. Brown stayed.",
                "Later rain fell."
            ]
        );
    }

    #[test]
    fn ascii_furniture_matching_agrees_with_the_lowercased_line() {
        let lines = [
            "Read More",
            "READ MORE about this",
            "Readmore",
            "  Share this article  ",
            "He said we should share this article with everyone we know, and more.",
            "Staff photo",
            "A very long caption that ends with the word photo",
            "Getty Images",
            "Pictures from Getty Images and others",
            "Copyright 2024 Example",
            "The minister said nothing.",
            "",
            "   ",
            "Related: talks resume",
            "Subscribe now",
            // Other characters, their own lowercase or not.
            "Read More \u{2014} today\u{2019}s news",
            "\u{201c}Share this article\u{201d}",
            "Caf\u{e9} owners said they would stay open.",
            "\u{c7}a va: SHARE THIS ARTICLE",
            "\u{c9}mile Zola photo",
            "\u{212a}elvin said: read more",
            "A caption ending in dashes \u{2014}\u{2014}",
        ];
        for line in lines {
            assert_eq!(
                is_furniture(line),
                is_furniture_lowercased(line),
                "{line:?}"
            );
        }
        let long = format!("{} share this article", "word ".repeat(40));
        assert_eq!(is_furniture(&long), is_furniture_lowercased(&long));
        assert!(is_furniture("READ MORE about this") && !is_furniture("Readmore"));
        // Lines with other characters are matched on their lowercase copy.
        assert!(is_furniture("READ MORE: Café society"));
        assert!(is_furniture("Zoë said: Share This Article now"));
        assert!(!is_furniture("Zoë said the talks would go on."));
        let long = format!("{} share this article é", "word ".repeat(40));
        assert!(!is_furniture(&long));
    }

    #[test]
    fn lowercase_tokens_match_each_token_lowercased() {
        let text = "The U.S. Secretary met ÉLODIE in İstanbul and Kyiv’s MAYOR.";
        let lay = Layout::new(text);
        for i in 0..lay.tokens.len() {
            assert_eq!(lay.low(i), lay.tok(i).to_lowercase());
        }
    }

    #[test]
    fn lines_are_classified() {
        let text = "Storm Hits Coastal Towns In Norway\n\nBy Jane Okafor\n\nRain fell on Oslo.\n\nRead More\nCopyright 2023 Example Media. All rights reserved.";
        let lay = Layout::new(text);
        let kinds: Vec<LineKind> = lay.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LineKind::Headline,
                LineKind::Byline,
                LineKind::Body,
                LineKind::Furniture,
                LineKind::Furniture
            ]
        );
        assert_eq!(byline_name("by Jane Okafor"), Some((3, 14)));
        assert_eq!(byline_name("By launching the strike, they won"), None);
    }
}
