//! Answering each question form from the store's indexes, with evidence.
//!
//! Every form reads through indexes (quote words, event stems, actors, places, dates,
//! relations, mentions) rather than scanning the store, except "what happened" with no
//! place and no date, which lists everything.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use annals_graph::records::{Actor, EntityRecord, EventRecord, StoredEvent};
use annals_graph::{EventHead, Postings, Store, NON_ASCII_QUOTES};
use annals_model::normalize::{name_key, stem, words};
use annals_model::{EntityId, EntityKind, EventId, Modality, QuoteId};

use crate::answer::{Answer, AnswerItem, ArticleRef, EntityRef, EventRef, Fact, Profile};
use crate::dates::{scan_from, scan_to, DateRange};
use crate::fuzzy::{
    all_found_score, partial_bounds, partial_score, phrase_score, phrase_words_score, stem_score,
    variants, wanted_words,
};
use crate::question::{parse, Question};
use crate::reader::Reader;
use crate::{QueryError, Result};

/// The least score for a quote to answer "who said", or an event to answer "when was".
const MIN_SCORE: f32 = 0.6;

/// The least score for a quote to be about a topic ("what did X say about Y").
const MIN_TOPIC_SCORE: f32 = 0.3;

/// Candidates read in full for "who said", at most (the best by words matched first).
const MAX_CANDIDATES: usize = 5_000;

/// Reports shown per event in a profile, which lists many events.
const PROFILE_REPORTS: AskOptions = AskOptions { limit: 2 };

/// How much of an answer to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AskOptions {
    /// Answers (and profile entries, and evidence per item) to include at most; 0 for
    /// all. [`Answer::total`] still counts every match.
    pub limit: usize,
}

impl Default for AskOptions {
    fn default() -> AskOptions {
        AskOptions { limit: 20 }
    }
}

impl AskOptions {
    fn cut<T>(&self, v: &mut Vec<T>) {
        if self.limit > 0 {
            v.truncate(self.limit);
        }
    }
}

/// Answers a question from a store, with the default [`AskOptions`].
pub fn ask(store: &Store, question: &str) -> Result<Answer> {
    ask_with(store, question, &AskOptions::default())
}

/// Answers a question from a store. A question in none of the forms is
/// [`QueryError::Unparsed`], with the forms and questions about the entities it names.
pub fn ask_with(store: &Store, question: &str, opts: &AskOptions) -> Result<Answer> {
    match parse(question) {
        Ok(q) => answer(store, &q, question, opts),
        Err(QueryError::Unparsed { question, .. }) => {
            let suggestions = suggest_questions(store, &question)?;
            Err(QueryError::Unparsed {
                question,
                suggestions,
            })
        }
        Err(e) => Err(e),
    }
}

/// Answers a parsed (or built) [`Question`]; `asked` is echoed in the answer.
pub fn answer(store: &Store, q: &Question, asked: &str, opts: &AskOptions) -> Result<Answer> {
    let r = Reader::new(store);
    let form = q.form();
    match q {
        Question::WhoSaid(phrase) => who_said(&r, asked, phrase, opts),
        Question::WhatDidSay { name, topic } => {
            what_did_say(&r, asked, name, topic.as_deref(), opts)
        }
        Question::WhoIs(name) => who_is(&r, asked, name, opts),
        Question::WhatHappened { place, dates } => {
            let events = events_where_when(&r, place.as_deref(), dates.as_ref())?;
            let (ranked, known) = ranked_records(events.into_iter().map(|e| (1.0, e)).collect());
            event_answer(&r, asked, form, ranked, known, opts)
        }
        Question::WhatDidDo { actor, target } => {
            what_did_do(&r, asked, actor, target.as_deref(), opts)
        }
        Question::WhenWas { event, place } => {
            let (ranked, known) = events_matching(&r, event, place.as_deref())?;
            event_answer(&r, asked, form, ranked, known, opts)
        }
        Question::WhereWas { event } => {
            let (ranked, known) = events_matching(&r, event, None)?;
            event_answer(&r, asked, form, ranked, known, opts)
        }
        Question::WhoWas { what, place, dates } => {
            who_was(&r, asked, what, place.as_deref(), dates.as_ref(), opts)
        }
        Question::Timeline { name, dates } => timeline(&r, asked, name.as_deref(), dates, opts),
        Question::Connected { a, b } => {
            let (a, b) = (resolve_name(store, a)?, resolve_name(store, b)?);
            let connections = crate::paths::connect(&r, a.id, b.id, opts)?;
            Ok(Answer {
                total: connections.len(),
                connections,
                ..Answer::items(asked, form, 0, Vec::new())
            })
        }
    }
}

// ------------------------------------------------------------------ names

/// Finds the one entity a name means, or explains why there is not one.
pub(crate) fn resolve_name(store: &Store, name: &str) -> Result<EntityRecord> {
    let mut found = lookup(store, name)?;
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    Err(QueryError::Ambiguous {
        name: name.to_string(),
        candidates: found
            .iter()
            .map(|e| format!("{} ({}, {})", e.name, e.kind, e.id))
            .collect(),
    })
}

/// The people, groups and places called `name` (any alias, spelling folded); when there
/// is none, a [`QueryError::UnknownName`] that suggests stored names close to it.
pub fn lookup(store: &Store, name: &str) -> Result<Vec<EntityRecord>> {
    let found: Vec<EntityRecord> = store
        .find_entities(name)?
        .into_iter()
        .filter(|e| e.kind != EntityKind::Date)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    Err(QueryError::UnknownName {
        name: name.to_string(),
        suggestions: similar_names(store, name, 5)?,
    })
}

/// Stored names sharing a word (or a word one edit away) with `name`, most shared
/// first, at most `n`, as the entities call themselves.
fn similar_names(store: &Store, name: &str, n: usize) -> Result<Vec<String>> {
    let wanted = name_key(name);
    let wanted: Vec<&str> = wanted.split(' ').filter(|w| w.len() > 1).collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut scored: Vec<(usize, String)> = Vec::new();
    for key in store.name_keys()? {
        let shared = key
            .split(' ')
            .filter(|w| wanted.iter().any(|x| crate::fuzzy::close(x, w)))
            .count();
        if shared > 0 {
            scored.push((shared, key));
        }
    }
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(&b.1))
    });
    let mut out: Vec<String> = Vec::new();
    for (_, key) in scored {
        for e in store.find_entities(&key)? {
            if e.kind != EntityKind::Date && !out.contains(&e.name) {
                out.push(e.name);
            }
        }
        if out.len() >= n {
            break;
        }
    }
    out.truncate(n);
    Ok(out)
}

/// Questions about the entities an unparsed question names: each run of up to four
/// words that is a stored name, longest first, as "who is NAME".
fn suggest_questions(store: &Store, question: &str) -> Result<Vec<String>> {
    let ws: Vec<&str> = question
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut used = vec![false; ws.len()];
    for len in (1..=4).rev() {
        for i in 0..ws.len().saturating_sub(len - 1) {
            if used[i..i + len].iter().any(|u| *u) {
                continue;
            }
            let candidate = ws[i..i + len].join(" ");
            // A single lowercase word is too likely an ordinary word.
            if len == 1 && !candidate.starts_with(char::is_uppercase) {
                continue;
            }
            for e in store.find_entities(&candidate)? {
                if e.kind != EntityKind::Date {
                    let s = format!("who is {}", e.name);
                    if !out.contains(&s) {
                        out.push(s);
                    }
                    used[i..i + len].iter_mut().for_each(|u| *u = true);
                }
            }
        }
    }
    if out.is_empty() {
        // Nothing named exactly: the closest stored names to its capitalised words.
        // The first word is capitalised as any sentence's is.
        let caps: Vec<&str> = ws
            .iter()
            .skip(1)
            .copied()
            .filter(|w| w.starts_with(char::is_uppercase))
            .collect();
        if !caps.is_empty() {
            for name in similar_names(store, &caps.join(" "), 3)? {
                out.push(format!("who is {name}"));
            }
        }
    }
    out.truncate(5);
    Ok(out)
}

// ----------------------------------------------------------------- quotes

/// Where each word occurs in the quotes, looked up once per question.
struct WordPostings<'s> {
    store: &'s Store,
    seen: HashMap<String, Postings>,
}

impl WordPostings<'_> {
    fn get(&mut self, word: &str) -> Result<&Postings> {
        if !self.seen.contains_key(word) {
            let p = self.store.quote_postings(word)?;
            self.seen.insert(word.to_string(), p);
        }
        Ok(&self.seen[word])
    }

    /// The quotes holding a word, or (when none does) a word one edit away, ascending.
    fn quotes_with(&mut self, word: &str) -> Result<Cow<'_, [QuoteId]>> {
        if !self.get(word)?.is_empty() {
            return Ok(Cow::Borrowed(self.seen[word].ids()));
        }
        let mut ids = Vec::new();
        for v in variants(word) {
            ids.extend(self.store.quotes_with_word(&v)?);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(Cow::Owned(ids))
    }

    /// Whether quote `id` holds the words `pw` in order without gaps.
    fn in_order(&mut self, id: QuoteId, pw: &[String]) -> Result<bool> {
        let Some(first) = pw.first() else {
            return Ok(false);
        };
        let starts = self.get(first)?.positions(id).to_vec();
        for p in starts {
            let mut all = true;
            for (i, w) in pw.iter().enumerate().skip(1) {
                if !self.get(w)?.positions(id).contains(&(p + i as u32)) {
                    all = false;
                    break;
                }
            }
            if all {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Which of the wanted words (bit i for word i, for the first 64) each quote missing
/// some holds, ascending by quote.
struct WordsFound(Vec<(QuoteId, u64)>);

impl WordsFound {
    /// The words quote `id` holds (none for a quote not listed).
    fn bits(&self, id: QuoteId) -> u64 {
        self.0
            .binary_search_by_key(&id, |f| f.0)
            .map_or(0, |i| self.0[i].1)
    }
}

/// A quote with its score and speaker.
type ScoredQuote = (QuoteId, f32, Option<EntityId>);

/// Which of the quotes missing a phrase word (`partial`) must be read and scored on
/// their text, and the others with the score they get unread.
///
/// Each one's score lies between bounds the index gives ([`partial_bounds`]). The
/// speakers with a quote certain to answer, ranked by their certain scores, give the
/// last one the limit shows; every one of those shown ranks at least as high once read.
/// A speaker that ranks below it even at its best possible score ([`speaker_order`])
/// cannot be shown, nor change how the ones shown rank; only the quotes of the other
/// speakers, and any whose bounds straddle MIN_SCORE, are read. The unread ones
/// keep their lower bound (at least MIN_SCORE), which counts their speaker in the total
/// and ranks it below every speaker shown, as its exact score would. With no limit, or
/// fewer speakers certain to be shown than the limit, every one is read.
fn partial_to_read(
    r: &Reader,
    pw: &[String],
    wanted: &[String],
    found: &WordsFound,
    full: &[ScoredQuote],
    partial: Vec<QuoteId>,
    opts: &AskOptions,
) -> Result<(Vec<QuoteId>, Vec<ScoredQuote>)> {
    if opts.limit == 0 || wanted.len() > 64 || partial.is_empty() {
        return Ok((partial, Vec::new()));
    }
    let speakers = r.store.quote_speakers(&partial)?;
    // Per speaker: the best certain score (of a quote sure to answer) and the best
    // possible one.
    let mut bounds: HashMap<Option<EntityId>, (Option<f32>, f32)> = HashMap::new();
    let mut note = |speaker: Option<EntityId>, lo: Option<f32>, hi: f32| {
        let b = bounds.entry(speaker).or_insert((None, f32::MIN));
        b.0 = match (b.0, lo) {
            (Some(a), Some(l)) => Some(a.max(l)),
            (a, l) => a.or(l),
        };
        b.1 = b.1.max(hi);
    };
    for &(_, score, speaker) in full {
        if score >= MIN_SCORE {
            note(speaker, Some(score), score);
        }
    }
    let mut quotes = Vec::with_capacity(partial.len());
    for (&id, &speaker) in partial.iter().zip(&speakers) {
        let (lo, hi) = partial_bounds(pw, wanted, found.bits(id));
        if hi >= MIN_SCORE {
            note(speaker, (lo >= MIN_SCORE).then_some(lo), hi);
        }
        quotes.push((id, speaker, lo, hi));
    }
    // The speakers certain to answer, as answers rank them (best first, a known speaker
    // first at equal score, then by id): the last one the limit shows sets the bar.
    let mut certain: Vec<(f32, Option<EntityId>)> = bounds
        .iter()
        .filter_map(|(&s, &(lo, _))| lo.map(|l| (l, s)))
        .collect();
    if certain.len() < opts.limit {
        return Ok((partial, Vec::new()));
    }
    certain.sort_by(speaker_order);
    let bar = certain[opts.limit - 1];
    let mut read = Vec::new();
    let mut unread = Vec::new();
    for (id, speaker, lo, hi) in quotes {
        // Whether the speaker, at its best possible score, would rank with those shown.
        let contender = bounds
            .get(&speaker)
            .is_some_and(|b| speaker_order(&(b.1, speaker), &bar).is_le());
        if contender || (lo < MIN_SCORE && hi >= MIN_SCORE) {
            read.push(id);
        } else if lo >= MIN_SCORE {
            unread.push((id, lo, speaker));
        }
    }
    Ok((read, unread))
}

/// Quotes missing a phrase word that are read rather than scored from the index when
/// there are fewer than this many: looking up a word's one-edit variants (a few hundred
/// index lookups) then costs more than reading them.
const SCORE_FROM_VARIANTS: usize = 200;

/// Which of the quotes missing a phrase word (`partial`) must still be read, and the
/// others scored from the index. A quote's score depends on whether it holds a word one
/// edit from each word it lacks ([`close`](crate::fuzzy::close)); the index answers that by looking up every
/// such edit ([`variants`]) of the lacking words, except in a quote holding a word that
/// is not ASCII ([`NON_ASCII_QUOTES`]), whose words may be edits no list enumerates:
/// those are read when it matters. The scores are the ones reading would give
/// ([`partial_score`]).
fn scored_from_index(
    r: &Reader,
    index: &mut WordPostings,
    pw: &[String],
    wanted: &[String],
    found: &WordsFound,
    partial: Vec<QuoteId>,
) -> Result<(Vec<QuoteId>, Vec<ScoredQuote>)> {
    if partial.len() < SCORE_FROM_VARIANTS || wanted.len() > 64 {
        return Ok((partial, Vec::new()));
    }
    let bits = |id: &QuoteId| found.bits(*id);
    let lacking = partial.iter().fold(0u64, |acc, id| acc | !bits(id));
    // For each lacking word of five letters or more (shorter ones match exactly only):
    // the quotes holding one of its edits, sorted.
    let mut near: HashMap<usize, Vec<QuoteId>> = HashMap::new();
    for (i, w) in wanted.iter().enumerate() {
        if lacking & (1 << i) == 0 || w.chars().count() < 5 {
            continue;
        }
        let mut ids = Vec::new();
        for v in variants(w) {
            ids.extend_from_slice(index.get(&v)?.ids());
        }
        ids.sort_unstable();
        ids.dedup();
        near.insert(i, ids);
    }
    let odd: Vec<QuoteId> = index.get(NON_ASCII_QUOTES)?.ids().to_vec();
    let mut read = Vec::new();
    let mut decided = Vec::new();
    for id in partial {
        let unsure = odd.binary_search(&id).is_ok();
        let score = partial_score(pw, wanted, bits(&id), |i| {
            let holds = near
                .get(&i)
                .is_some_and(|ids| ids.binary_search(&id).is_ok());
            (holds || !unsure).then_some(holds)
        });
        match score {
            Some(s) => decided.push((id, s)),
            None => read.push(id),
        }
    }
    let ids: Vec<QuoteId> = decided.iter().map(|d| d.0).collect();
    let speakers = r.store.quote_speakers(&ids)?;
    let decided = decided
        .into_iter()
        .zip(speakers)
        .map(|((id, score), speaker)| (id, score, speaker))
        .collect();
    Ok((read, decided))
}

/// How "who said" ranks speakers, by their best score: best first; a known speaker
/// before an unknown one at equal score; then by id.
fn speaker_order(a: &(f32, Option<EntityId>), b: &(f32, Option<EntityId>)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then(b.1.is_some().cmp(&a.1.is_some()))
        .then(a.1.cmp(&b.1))
}

/// The quotes of one speaker that match a phrase.
struct SpeakerGroup {
    best: f32,
    speaker: Option<EntityId>,
    quotes: Vec<(f32, QuoteId)>,
}

/// Adds one word's quotes (`ids`, ascending) to `hits` (ascending by quote: how many of
/// the words so far each quote holds, and which, as bits): one pass over both.
fn merge_hits(
    hits: Vec<(QuoteId, (usize, u64))>,
    ids: &[QuoteId],
    bit: u64,
) -> Vec<(QuoteId, (usize, u64))> {
    let mut out = Vec::with_capacity(hits.len() + ids.len());
    let mut ids = ids.iter().copied().peekable();
    for (id, (n, bits)) in hits {
        while let Some(new) = ids.next_if(|&new| new < id) {
            out.push((new, (1, bit)));
        }
        if ids.next_if_eq(&id).is_some() {
            out.push((id, (n + 1, bits | bit)));
        } else {
            out.push((id, (n, bits)));
        }
    }
    out.extend(ids.map(|new| (new, (1, bit))));
    out
}

fn who_said(r: &Reader, asked: &str, phrase: &str, opts: &AskOptions) -> Result<Answer> {
    let pw = words(phrase);
    let wanted = wanted_words(&pw);
    let mut index = WordPostings {
        store: r.store,
        seen: HashMap::new(),
    };
    // How many of the wanted words each quote holds, and which (bit i for wanted[i], for
    // the first 64), from the index alone: the quotes of each word, merged in id order.
    let mut hits: Vec<(QuoteId, (usize, u64))> = Vec::new();
    for (i, w) in wanted.iter().enumerate() {
        let bit = if i < 64 { 1 << i } else { 0 };
        hits = merge_hits(hits, &index.quotes_with(w)?, bit);
    }
    // A quote missing more than a third of the words cannot reach MIN_SCORE (0.9 × the
    // share found, plus 0.1 only when all are found).
    let need = (wanted.len() * 2).div_ceil(3);
    // (words held, quote, which words): in id order, as `hits` is.
    let mut candidates: Vec<(usize, QuoteId, u64)> = hits
        .into_iter()
        .filter(|&(_, (n, _))| n >= need.max(1))
        .map(|(id, (n, bits))| (n, id, bits))
        .collect();
    if candidates.len() > MAX_CANDIDATES {
        candidates
            .select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.truncate(MAX_CANDIDATES);
        candidates.sort_unstable_by_key(|c| c.1);
    }
    let found = WordsFound(
        candidates
            .iter()
            .filter(|c| c.0 < wanted.len())
            .map(|c| (c.1, c.2))
            .collect(),
    );

    // A quote holding every wanted word (or a close variant where no quote holds the
    // word itself) is scored from the index: its words' positions tell whether the
    // phrase is there in order. One missing a word may hold a close variant of it that
    // only its text shows, so those are read and scored on their words.
    let (full_ids, partial_ids): (Vec<QuoteId>, Vec<QuoteId>) = (
        candidates
            .iter()
            .filter(|c| c.0 == wanted.len())
            .map(|c| c.1)
            .collect(),
        candidates
            .iter()
            .filter(|c| c.0 < wanted.len())
            .map(|c| c.1)
            .collect(),
    );
    let mut scored: Vec<ScoredQuote> = Vec::new();
    for (id, speaker) in full_ids.iter().zip(r.store.quote_speakers(&full_ids)?) {
        let in_order = index.in_order(*id, &pw)?;
        scored.push((*id, all_found_score(&pw, in_order), speaker));
    }
    // Quotes missing a word are read only when they can change what the answer shows,
    // and the index cannot tell their score.
    let (partial_ids, unread) =
        partial_to_read(r, &pw, &wanted, &found, &scored, partial_ids, opts)?;
    scored.extend(unread);
    let (partial_ids, decided) =
        scored_from_index(r, &mut index, &pw, &wanted, &found, partial_ids)?;
    scored.extend(decided);
    // The same words are often quoted by many articles (wire copy): score each text once.
    let mut scores: HashMap<String, f32> = HashMap::new();
    for q in r.store.quotes_among(&partial_ids)? {
        let score = match scores.get(&q.text) {
            Some(&s) => s,
            None => {
                let s = phrase_words_score(&pw, &q.text);
                scores.insert(q.text.clone(), s);
                s
            }
        };
        scored.push((q.id, score, q.speaker));
    }
    scored.sort_by_key(|s| s.0);

    let mut groups: Vec<SpeakerGroup> = Vec::new();
    let mut group_of: HashMap<Option<EntityId>, usize> = HashMap::new();
    for (id, score, speaker) in scored {
        if score < MIN_SCORE {
            continue;
        }
        match group_of.get(&speaker) {
            Some(&i) => {
                let g = &mut groups[i];
                g.best = g.best.max(score);
                g.quotes.push((score, id));
            }
            None => {
                group_of.insert(speaker, groups.len());
                groups.push(SpeakerGroup {
                    best: score,
                    speaker,
                    quotes: vec![(score, id)],
                });
            }
        }
    }
    groups.sort_by(|a, b| speaker_order(&(a.best, a.speaker), &(b.best, b.speaker)));
    let total = groups.len();
    opts.cut(&mut groups);
    for g in &mut groups {
        // Stable sort: equal scores keep quote id order.
        g.quotes.sort_by(|a, b| b.0.total_cmp(&a.0));
        opts.cut(&mut g.quotes);
    }
    // Only the quotes shown are read, for their evidence.
    let shown: Vec<QuoteId> = groups
        .iter()
        .flat_map(|g| g.quotes.iter().map(|q| q.1))
        .collect();
    let prov: HashMap<QuoteId, annals_model::Provenance> = r
        .store
        .quotes_among(&shown)?
        .into_iter()
        .map(|q| (q.id, q.prov))
        .collect();
    let mut items = Vec::new();
    for g in groups {
        let entity = match g.speaker {
            Some(id) => r.entity(id)?.map(|e| EntityRef::from(&*e)),
            None => None,
        };
        items.push(AnswerItem {
            entity,
            event: None,
            role: None,
            score: g.best,
            evidence: g
                .quotes
                .iter()
                .filter_map(|(_, id)| prov.get(id))
                .map(|p| r.evidence(*p))
                .collect::<Result<_>>()?,
        });
    }
    Ok(Answer::items(asked, "who said PHRASE", total, items))
}

fn what_did_say(
    r: &Reader,
    asked: &str,
    name: &str,
    topic: Option<&str>,
    opts: &AskOptions,
) -> Result<Answer> {
    let entity = resolve_name(r.store, name)?;
    let mut quotes: Vec<(f32, annals_model::Provenance)> = Vec::new();
    for q in r.store.quotes_by(entity.id)? {
        let score = match topic {
            Some(t) => phrase_score(t, &q.text),
            None => 1.0,
        };
        if score >= MIN_TOPIC_SCORE {
            quotes.push((score, q.prov));
        }
    }
    quotes.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total = quotes.len();
    opts.cut(&mut quotes);
    let mut items = Vec::new();
    if let Some(best) = quotes.first().map(|q| q.0) {
        items.push(AnswerItem {
            entity: Some(EntityRef::from(&entity)),
            event: None,
            role: None,
            score: best,
            evidence: quotes
                .iter()
                .map(|(_, p)| r.evidence(*p))
                .collect::<Result<_>>()?,
        });
    }
    Ok(Answer::items(
        asked,
        "what did NAME say [about TOPIC]",
        total,
        items,
    ))
}

// ----------------------------------------------------------------- events

/// An event as answers show it.
pub(crate) fn event_ref(r: &Reader, e: &EventRecord) -> Result<EventRef> {
    Ok(EventRef {
        id: e.id.to_string(),
        cameo: e.cameo.clone(),
        label: e.label.clone(),
        date: e.date.clone(),
        modality: e.modality.as_str().to_string(),
        places: e.places.iter().map(|&p| r.name(p)).collect::<Result<_>>()?,
        actors: e
            .actors
            .iter()
            .map(|a| Ok(format!("{}={}", a.role, r.name(a.entity)?)))
            .collect::<Result<_>>()?,
        killed: e.killed,
        injured: e.injured,
    })
}

/// An event with its reports as evidence, dated reports first.
fn event_item(
    r: &Reader,
    e: &EventRecord,
    score: f32,
    who: Option<(EntityId, String)>,
    opts: &AskOptions,
) -> Result<AnswerItem> {
    let mut mentions: Vec<_> = e.mentions.iter().collect();
    mentions.sort_by_key(|m| (m.date.is_none(), m.prov.doc, m.prov.span.start()));
    opts.cut(&mut mentions);
    let (entity, role) = match who {
        Some((id, role)) => (Some(r.entity_ref(id)?), Some(role)),
        None => (None, None),
    };
    Ok(AnswerItem {
        entity,
        event: Some(event_ref(r, e)?),
        role,
        score,
        evidence: mentions
            .into_iter()
            .map(|m| r.evidence(m.prov))
            .collect::<Result<_>>()?,
    })
}

/// What event answers are ordered by: from an event's record or from its head (see
/// [`Store::event_heads`]), so thousands of matches rank without reading their records.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    score: f32,
    id: EventId,
    asserted: bool,
    dated: bool,
    placed: bool,
    reports: u32,
}

impl Ranked {
    fn of(score: f32, e: &StoredEvent) -> Ranked {
        Ranked {
            score,
            id: e.id,
            asserted: e.modality == Modality::Asserted,
            dated: e.date.is_some(),
            placed: !e.places.is_empty(),
            reports: e.reports,
        }
    }

    fn of_head(score: f32, h: &EventHead) -> Ranked {
        Ranked {
            score,
            id: h.id,
            asserted: h.modality == Modality::Asserted,
            dated: h.dated,
            placed: h.placed,
            reports: h.reports,
        }
    }
}

/// Orders event answers: best match, asserted before other modalities, dated before
/// undated, most reported, then by id.
fn rank<T>(items: &mut [T], key: impl Fn(&T) -> Ranked) {
    items.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        b.score
            .total_cmp(&a.score)
            .then(b.asserted.cmp(&a.asserted))
            .then(b.dated.cmp(&a.dated))
            .then(b.reports.cmp(&a.reports))
            .then(a.id.cmp(&b.id))
    });
}

/// Ranks scored events and turns them into an answer with their evidence ("where"
/// answers put the events with a place first): only the events shown are read, with
/// their reports. `known` holds records the caller has already read.
fn event_answer(
    r: &Reader,
    asked: &str,
    form: &'static str,
    mut scored: Vec<Ranked>,
    mut known: HashMap<EventId, StoredEvent>,
    opts: &AskOptions,
) -> Result<Answer> {
    rank(&mut scored, |x| *x);
    if form == "where was/did EVENT" {
        scored.sort_by_key(|x| !x.placed);
    }
    let total = scored.len();
    opts.cut(&mut scored);
    let missing: Vec<EventId> = scored
        .iter()
        .map(|x| x.id)
        .filter(|id| !known.contains_key(id))
        .collect();
    known.extend(
        r.store
            .stored_events_among(&missing)?
            .into_iter()
            .map(|e| (e.id, e)),
    );
    let items = scored
        .into_iter()
        .map(|x| {
            let e = known.remove(&x.id).ok_or_else(|| {
                QueryError::Store(annals_graph::StoreError::Corrupt {
                    tree: "events",
                    reason: format!("event {} is indexed but not stored", x.id.0),
                })
            })?;
            event_item(r, &r.store.with_reports(e)?, x.score, None, opts)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Answer::items(asked, form, total, items))
}

/// Scored events as [`event_answer`] takes them.
fn ranked_records(scored: Vec<(f32, StoredEvent)>) -> (Vec<Ranked>, HashMap<EventId, StoredEvent>) {
    let ranked = scored.iter().map(|(s, e)| Ranked::of(*s, e)).collect();
    let known = scored.into_iter().map(|(_, e)| (e.id, e)).collect();
    (ranked, known)
}

/// The events at the places called `name`, without their reports.
fn events_at_place(store: &Store, name: &str) -> Result<Vec<StoredEvent>> {
    let mut out: BTreeMap<EventId, StoredEvent> = BTreeMap::new();
    for p in lookup(store, name)? {
        for e in store.stored_events_at(p.id)? {
            out.insert(e.id, e);
        }
    }
    Ok(out.into_values().collect())
}

/// The events at a place and in a date range (either may be absent), in id order,
/// without their reports.
fn events_where_when(
    r: &Reader,
    place: Option<&str>,
    dates: Option<&DateRange>,
) -> Result<Vec<StoredEvent>> {
    let mut events = match (place, dates) {
        (Some(p), _) => events_at_place(r.store, p)?,
        (None, Some(d)) => r.store.stored_events_dated(&scan_from(d), &scan_to(d))?,
        (None, None) => r.store.stored_events()?,
    };
    if let Some(d) = dates {
        events.retain(|e| e.date.as_deref().is_some_and(|x| d.contains(x)));
    }
    events.sort_by_key(|e| e.id);
    Ok(events)
}

/// The events holding any of a phrase's wanted words, by stem (from the event stem
/// index), in id order with how many of the words each holds, and how many are wanted.
fn stem_hits(store: &Store, phrase: &str) -> Result<(Vec<(EventId, usize)>, usize)> {
    let wanted: BTreeSet<String> = wanted_words(&words(phrase))
        .iter()
        .map(|w| stem(w))
        .collect();
    // Each list is distinct ids: sorted together, an id's run is its count.
    let mut all: Vec<EventId> = Vec::new();
    for s in &wanted {
        all.extend(store.events_with_stem(s)?);
    }
    all.sort_unstable();
    let mut hits: Vec<(EventId, usize)> = Vec::new();
    for id in all {
        match hits.last_mut() {
            Some((last, n)) if *last == id => *n += 1,
            _ => hits.push((id, 1)),
        }
    }
    Ok((hits, wanted.len()))
}

/// How many of the wanted words event `id` holds, from [`stem_hits`].
fn hits_of(hits: &[(EventId, usize)], id: EventId) -> usize {
    hits.binary_search_by_key(&id, |h| h.0)
        .map_or(0, |i| hits[i].1)
}

/// The events of [`stem_hits`] holding enough of the words to answer: fewer than two
/// thirds of them cannot reach MIN_SCORE.
fn enough_hits(hits: &[(EventId, usize)], wanted: usize) -> Vec<(EventId, usize)> {
    let need = (wanted * 2).div_ceil(3).max(1);
    hits.iter().copied().filter(|&(_, n)| n >= need).collect()
}

/// An event's score: the better of its label's [`stem_score`] and 0.9 times the share of
/// the wanted stems its label and trigger words hold (`hits` of `wanted`).
fn event_score(label_score: f32, hits: usize, wanted: usize) -> f32 {
    label_score.max(0.9 * (hits as f32 / wanted.max(1) as f32))
}

/// Every candidate event for `phrase` with its score: the events at the place (in the
/// dates) when one is named, else those the stem index gives enough of the words to,
/// scored by [`event_score`], so no article needs reading.
fn scored_events(
    r: &Reader,
    phrase: &str,
    place: Option<&str>,
    dates: Option<&DateRange>,
) -> Result<Vec<(f32, StoredEvent)>> {
    let (hits, wanted) = stem_hits(r.store, phrase)?;
    let candidates = match place {
        Some(_) => events_where_when(r, place, dates)?,
        None => {
            let ids: Vec<EventId> = enough_hits(&hits, wanted)
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let mut out = r.store.stored_events_among(&ids)?;
            if let Some(d) = dates {
                out.retain(|e| e.date.as_deref().is_some_and(|x| d.contains(x)));
            }
            out
        }
    };
    // Labels repeat ("drone strike" thousands of times): score each once.
    let mut label_scores: HashMap<String, f32> = HashMap::new();
    Ok(candidates
        .into_iter()
        .map(|e| {
            let label = match label_scores.get(&e.label) {
                Some(&s) => s,
                None => {
                    let s = stem_score(phrase, &e.label);
                    label_scores.insert(e.label.clone(), s);
                    s
                }
            };
            (event_score(label, hits_of(&hits, e.id), wanted), e)
        })
        .collect())
}

/// The events whose label or triggers match `phrase`, at a place if one is named, with
/// the records read when a place is named (none otherwise: the stem index and the
/// events' heads decide).
fn events_matching(
    r: &Reader,
    phrase: &str,
    place: Option<&str>,
) -> Result<(Vec<Ranked>, HashMap<EventId, StoredEvent>)> {
    if place.is_some() {
        let mut scored = scored_events(r, phrase, place, None)?;
        scored.retain(|(s, _)| *s >= MIN_SCORE);
        return Ok(ranked_records(scored));
    }
    // As `scored_events`, from the heads.
    let (hits, wanted) = stem_hits(r.store, phrase)?;
    let candidates = enough_hits(&hits, wanted);
    let ids: Vec<EventId> = candidates.iter().map(|&(id, _)| id).collect();
    let heads = r.store.event_heads(&ids)?;
    let label_scores: Vec<f32> = heads.labels.iter().map(|l| stem_score(phrase, l)).collect();
    // The heads come in id order, one for each candidate.
    let ranked = heads
        .heads
        .iter()
        .zip(&candidates)
        .map(|(h, &(_, n))| Ranked::of_head(event_score(label_scores[h.label], n, wanted), h))
        .filter(|x| x.score >= MIN_SCORE)
        .collect();
    Ok((ranked, HashMap::new()))
}

fn what_did_do(
    r: &Reader,
    asked: &str,
    actor: &str,
    target: Option<&str>,
    opts: &AskOptions,
) -> Result<Answer> {
    use annals_model::Role;
    let actor = resolve_name(r.store, actor)?;
    let target = target.map(|t| resolve_name(r.store, t)).transpose()?;
    let mut events: Vec<StoredEvent> = r
        .store
        .stored_events_of(actor.id)?
        .into_iter()
        .filter(|e| {
            e.actors
                .iter()
                .any(|a| a.entity == actor.id && a.role == Role::Source)
        })
        .filter(|e| {
            target.as_ref().is_none_or(|t| {
                e.actors
                    .iter()
                    .any(|a| a.entity == t.id && a.role != Role::Source)
            })
        })
        .collect();
    sort_by_date(&mut events);
    let total = events.len();
    opts.cut(&mut events);
    let items = with_reports(r.store, events)?
        .iter()
        .map(|e| event_item(r, e, 1.0, Some((actor.id, "source".into())), opts))
        .collect::<Result<_>>()?;
    Ok(Answer::items(
        asked,
        "what did NAME do [to TARGET]",
        total,
        items,
    ))
}

/// The events with their reports, in the same order.
fn with_reports(store: &Store, events: Vec<StoredEvent>) -> Result<Vec<EventRecord>> {
    Ok(events
        .into_iter()
        .map(|e| store.with_reports(e))
        .collect::<std::result::Result<_, _>>()?)
}

/// The part an entity plays in an event: its role, or `place`.
pub(crate) fn role_of(actors: &[Actor], id: EntityId) -> String {
    actors
        .iter()
        .find(|a| a.entity == id)
        .map_or("place".to_string(), |a| a.role.as_str().to_string())
}

/// Dated events first, in date order, then undated ones; ties by id. The events are
/// sorted before their reports are read, so only the ones shown read them.
fn sort_by_date(events: &mut [StoredEvent]) {
    events.sort_by(|a, b| {
        a.date
            .is_none()
            .cmp(&b.date.is_none())
            .then(a.date.cmp(&b.date))
            .then(a.id.cmp(&b.id))
    });
}

/// Whether `what` asks about harm done to people ("killed", "injured").
fn asks_about_casualties(what: &str) -> bool {
    matches!(
        stem(what).as_str(),
        "kill" | "injur" | "wound" | "hurt" | "die" | "murder" | "slain"
    )
}

fn who_was(
    r: &Reader,
    asked: &str,
    what: &str,
    place: Option<&str>,
    dates: Option<&DateRange>,
    opts: &AskOptions,
) -> Result<Answer> {
    use annals_model::Role;
    let casualties = asks_about_casualties(what);
    let mut events = scored_events(r, what, place, dates)?;
    // Casualty questions also take strikes and attacks that killed or hurt someone.
    events.retain(|(s, e)| {
        *s >= MIN_SCORE
            || (casualties
                && (e.killed.is_some()
                    || e.injured.is_some()
                    || e.actors.iter().any(|a| a.role == Role::Victim)))
    });
    rank(&mut events, |(s, e)| Ranked::of(*s, e));
    let mut items = Vec::new();
    for (score, e) in &events {
        let harmed: Vec<_> = e
            .actors
            .iter()
            .filter(|a| match a.role {
                Role::Victim => true,
                Role::Target => !casualties,
                _ => false,
            })
            .collect();
        let harmed = if harmed.is_empty() && *score >= MIN_SCORE {
            // Its reports use the very word ("killed"): its targets are who suffered it.
            e.actors.iter().filter(|a| a.role == Role::Target).collect()
        } else {
            harmed
        };
        if harmed.is_empty() {
            if e.killed.is_some() || e.injured.is_some() || *score >= MIN_SCORE {
                // Unnamed casualties: the event itself answers, with its toll.
                items.push((*score, e, None));
            }
            continue;
        }
        for a in harmed {
            items.push((*score, e, Some((a.entity, a.role.as_str().to_string()))));
        }
    }
    let total = items.len();
    opts.cut(&mut items);
    // Only the events shown are read with their reports, each once.
    let mut full: HashMap<EventId, EventRecord> = HashMap::new();
    let mut shown = Vec::with_capacity(items.len());
    for (s, e, who) in items {
        let record = match full.entry(e.id) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(r.store.with_reports(e.clone())?)
            }
        };
        shown.push(event_item(r, record, s, who, opts)?);
    }
    let items = shown;
    Ok(Answer::items(
        asked,
        "who was killed|attacked|arrested|... [in PLACE] [DATES]",
        total,
        items,
    ))
}

fn timeline(
    r: &Reader,
    asked: &str,
    name: Option<&str>,
    dates: &Option<DateRange>,
    opts: &AskOptions,
) -> Result<Answer> {
    let form = "timeline [of NAME] [DATES]";
    let range = dates.unwrap_or(DateRange::ALL);
    let (events, total, who) = match name {
        Some(n) => {
            let e = resolve_name(r.store, n)?;
            let mut events = r.store.stored_events_involving(e.id)?;
            // A timeline holds dated events only; undated ones have no place on it.
            events.retain(|e| e.date.as_deref().is_some_and(|d| range.contains(d)));
            sort_by_date(&mut events);
            let total = events.len();
            opts.cut(&mut events);
            (events, total, Some(e.id))
        }
        None => {
            // Ranked by the date index alone (dates in order, each date's events in id
            // order): only the events shown are read.
            let mut ids: Vec<EventId> = Vec::new();
            for (date, listed) in r
                .store
                .dated_event_ids(&scan_from(&range), &scan_to(&range))?
            {
                if range.contains(&date) {
                    ids.extend(listed);
                }
            }
            let total = ids.len();
            opts.cut(&mut ids);
            let mut events = r.store.stored_events_among(&ids)?;
            sort_by_date(&mut events);
            (events, total, None)
        }
    };
    let mut items = Vec::new();
    for e in &with_reports(r.store, events)? {
        let who = who.map(|id| (id, role_of(&e.actors, id)));
        items.push(event_item(r, e, 1.0, who, opts)?);
    }
    Ok(Answer::items(asked, form, total, items))
}

// ---------------------------------------------------------------- profile

fn who_is(r: &Reader, asked: &str, name: &str, opts: &AskOptions) -> Result<Answer> {
    let e = resolve_name(r.store, name)?;
    let mut facts: Vec<Fact> = Vec::new();
    let mut seen = BTreeSet::new();
    for rel in r.store.relations_of(e.id)? {
        let inverse = rel.subject != e.id;
        let other = if inverse {
            Some(rel.subject)
        } else {
            rel.object
        };
        if !seen.insert((rel.relation.clone(), other, inverse)) {
            continue;
        }
        facts.push(Fact {
            relation: rel.relation.clone(),
            other: other.map(|o| r.entity_ref(o)).transpose()?,
            inverse,
            evidence: r.evidence(rel.prov)?,
        });
    }
    opts.cut(&mut facts);

    let mut per_doc: BTreeMap<annals_model::DocId, usize> = BTreeMap::new();
    for m in r.store.mentions_of(e.id)? {
        *per_doc.entry(m.prov.doc).or_default() += 1;
    }
    let mut docs: Vec<(annals_model::DocId, usize)> = per_doc.into_iter().collect();
    docs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let article_count = docs.len();
    opts.cut(&mut docs);
    let mut articles = Vec::new();
    for (doc, mentions) in docs {
        let d = r.doc(doc)?;
        let meta = d.0.as_ref();
        articles.push(ArticleRef {
            doc: doc.to_string(),
            source: meta.map(|m| m.meta.source.clone()).unwrap_or_default(),
            title: meta.and_then(|m| m.meta.title.clone()),
            published: meta.and_then(|m| m.published.clone()),
            mentions,
        });
    }

    let mut events = r.store.stored_events_involving(e.id)?;
    sort_by_date(&mut events);
    let event_count = events.len();
    opts.cut(&mut events);
    let events = with_reports(r.store, events)?
        .iter()
        .map(|ev| {
            event_item(
                r,
                ev,
                1.0,
                Some((e.id, role_of(&ev.actors, e.id))),
                &PROFILE_REPORTS,
            )
        })
        .collect::<Result<_>>()?;

    let profile = Profile {
        entity: EntityRef::from(&e),
        aliases: e.aliases.clone(),
        facts,
        articles,
        article_count,
        events,
        event_count,
        quote_count: r.store.quotes_by(e.id)?.len(),
    };
    Ok(Answer {
        total: 1,
        profile: Some(profile),
        ..Answer::items(asked, "who is NAME", 1, Vec::new())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Merging the words' ascending quote lists counts what a map of every quote
        /// would: how many of the words each quote holds, and which.
        #[test]
        fn merged_hits_count_as_a_map_would(
            lists in proptest::collection::vec(
                proptest::collection::btree_set(0u64..60, 0..30), 0..6),
        ) {
            let mut hits = Vec::new();
            let mut map: BTreeMap<QuoteId, (usize, u64)> = BTreeMap::new();
            for (i, list) in lists.iter().enumerate() {
                let ids: Vec<QuoteId> = list.iter().map(|&id| QuoteId(id)).collect();
                hits = merge_hits(hits, &ids, 1 << i);
                for id in &ids {
                    let h = map.entry(*id).or_default();
                    h.0 += 1;
                    h.1 |= 1 << i;
                }
            }
            prop_assert_eq!(hits, map.into_iter().collect::<Vec<_>>());
        }
    }
}
