//! The fast path of the parse: a record written in plain YAML, deserialized straight from the
//! events of serde-saphyr's own parser (granit-parser).
//!
//! Without it, parsing is 46 % of a build, and serde-saphyr's serde layer nearly half of that:
//! it records every key's events to check duplicates, resolves tags, merges and aliases, and
//! keeps what its messages need, which a record almost never uses. So a file is first read
//! here, accepting only a narrow, unambiguous subset of YAML: no anchors, aliases, tags, merge
//! keys, directives or repeated keys, and plain scalars only where their meaning cannot depend
//! on the YAML schema (`yes` goes to serde-saphyr; `true`, `8.5` and `full` are read here).
//! Anything else, and any error at all, returns `None`: the caller parses the file again with
//! serde-saphyr, which alone reports problems. This path therefore never decides what a file
//! means: whatever it accepts it must read as serde-saphyr does. The text of every scalar comes
//! from the same parser; the tests in `tests.rs` hold the two to the same result on every form
//! of value; and the two are compared on every file this path takes in a debug build (so in
//! every test: `load::parse_yaml`) and on every input of the fuzz target
//! (`load::fast_path_agrees`).
//!
//! Measured on 2026-11-30 (callgrind, 1,000 generated records, 2 cores), it takes a record's
//! parse from 1.65 to 1.05 million instructions, a `build` from 3.62 to 3.02 billion (16.5 %
//! fewer) and a `check` from 3.36 to 2.76 billion (17.8 % fewer).

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle, StrInput};
use std::borrow::Cow;
use std::fmt;

/// `text` as a `T`, read exactly as serde-saphyr would read it, when it is plain YAML that fits
/// `T`; otherwise `None`, for serde-saphyr to parse and to explain.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut events = Events::new(text);
    let stream_start = matches!(events.next().ok()?, Event::StreamStart);
    let document_start = matches!(events.next().ok()?, Event::DocumentStart(_, None));
    if !(stream_start && document_start) {
        return None;
    }
    let value = T::deserialize(&mut events).ok()?;
    let document_end = matches!(events.next().ok()?, Event::DocumentEnd);
    let stream_end = matches!(events.next().ok()?, Event::StreamEnd);
    (document_end && stream_end).then_some(value)
}

/// Not plain YAML, or not the expected shape: serde-saphyr takes over. It carries no message
/// because nobody reads it.
#[derive(Debug)]
pub struct NotPlain;

impl fmt::Display for NotPlain {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("not plain YAML")
    }
}

impl std::error::Error for NotPlain {}

impl de::Error for NotPlain {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotPlain
    }
}

type Result<T> = std::result::Result<T, NotPlain>;

/// The parser's events, one looked ahead, counted against the same limits serde-saphyr sets.
struct Events<'a> {
    parser: Parser<'a, StrInput<'a>>,
    peeked: Option<Event<'a>>,
    nodes: usize,
    max_nodes: usize,
}

impl<'a> Events<'a> {
    fn new(text: &'a str) -> Self {
        // The parser limits serde-saphyr sets from its default budget, so that what one rejects
        // the other does not accept.
        let budget = serde_saphyr::Budget::default();
        let options = granit_parser::options! {
            simple_key_max_lookahead: budget.simple_key_max_lookahead,
            flow_nesting_limit: budget.flow_nesting_limit,
            block_nesting_limit: granit_parser::Options::default()
                .block_nesting_limit
                .max(budget.max_depth.saturating_add(1)),
            emit_comments: false,
        };
        Events {
            parser: Parser::new_from_str_with_options(text, options),
            peeked: None,
            nodes: 0,
            max_nodes: budget.max_nodes,
        }
    }

    fn next(&mut self) -> Result<Event<'a>> {
        if let Some(event) = self.peeked.take() {
            return Ok(event);
        }
        let (event, _span) = self
            .parser
            .next_event()
            .ok_or(NotPlain)?
            .map_err(|_| NotPlain)?;
        if matches!(
            event,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
        ) {
            self.nodes += 1;
            if self.nodes > self.max_nodes {
                return Err(NotPlain);
            }
        }
        Ok(event)
    }

    fn peek(&mut self) -> Result<&Event<'a>> {
        if self.peeked.is_none() {
            self.peeked = Some(self.next()?);
        }
        self.peeked.as_ref().ok_or(NotPlain)
    }

    /// The next event as a scalar without anchor or tag: its text and style.
    fn scalar(&mut self) -> Result<(Cow<'a, str>, ScalarStyle)> {
        match self.next()? {
            Event::Scalar(text, style, 0, None) => Ok((text, style)),
            _ => Err(NotPlain),
        }
    }

    /// The next scalar as text: quoted or block text as written, plain text unless YAML reads it
    /// as null.
    fn text(&mut self) -> Result<Cow<'a, str>> {
        let (text, style) = self.scalar()?;
        if style == ScalarStyle::Plain && is_null(&text) {
            return Err(NotPlain);
        }
        Ok(text)
    }

    /// The next scalar as a plain word that no YAML schema reads as anything but a string.
    fn word(&mut self) -> Result<Cow<'a, str>> {
        match self.scalar()? {
            (text, ScalarStyle::Plain) if is_word(&text) => Ok(text),
            _ => Err(NotPlain),
        }
    }

    /// The next scalar as a plain number written in decimal digits, with an optional sign and
    /// fraction: the forms every YAML schema reads alike.
    fn number(&mut self) -> Result<Cow<'a, str>> {
        match self.scalar()? {
            (text, ScalarStyle::Plain) if is_decimal(&text) => Ok(text),
            _ => Err(NotPlain),
        }
    }
}

/// The most keys a mapping read here may have.
const MAX_KEYS: usize = 64;

/// Plain scalars YAML reads as null.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain scalar that starts with a letter and is not a boolean of YAML 1.1 or 1.2 (nor null):
/// a string under every schema.
fn is_word(text: &str) -> bool {
    let starts_with_letter = text.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    let lower = text.to_ascii_lowercase();
    let reserved = matches!(
        lower.as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    starts_with_letter && !reserved
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`
fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && (whole == "0" || !whole.starts_with('0')) && fraction.is_none_or(digits)
}

/// A decimal as YAML's core schema reads it: a whole number as an integer, else a float.
fn visit_number<'de, V: Visitor<'de>>(visitor: V, text: &str) -> Result<V::Value> {
    if text.contains('.') {
        return visitor.visit_f64(text.parse().map_err(|_| NotPlain)?);
    }
    match text.parse::<i64>() {
        Ok(whole) if whole < 0 => visitor.visit_i64(whole),
        Ok(whole) => visitor.visit_u64(whole as u64),
        Err(_) => Err(NotPlain),
    }
}

fn visit_text<'de, V: Visitor<'de>>(visitor: V, text: Cow<'de, str>) -> Result<V::Value> {
    match text {
        Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
        Cow::Owned(text) => visitor.visit_string(text),
    }
}

impl<'de> de::Deserializer<'de> for &mut Events<'de> {
    type Error = NotPlain;

    /// Only what a record's self-describing values need: a word (`price: custom`), a plain
    /// number (`amount: 8`), a mapping or a sequence.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek()? {
            Event::MappingStart(_, 0, None) => self.deserialize_map(visitor),
            Event::SequenceStart(_, 0, None) => self.deserialize_seq(visitor),
            Event::Scalar(text, ScalarStyle::Plain, 0, None) if is_decimal(text) => {
                visit_number(visitor, &self.number()?)
            }
            _ => visit_text(visitor, self.word()?),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.scalar()? {
            (text, ScalarStyle::Plain) if text == "true" => visitor.visit_bool(true),
            (text, ScalarStyle::Plain) if text == "false" => visitor.visit_bool(false),
            _ => Err(NotPlain),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.number()?;
        visitor.visit_u64(text.parse().map_err(|_| NotPlain)?)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.number()?;
        visitor.visit_i64(text.parse().map_err(|_| NotPlain)?)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.number()?;
        visitor.visit_f64(text.parse().map_err(|_| NotPlain)?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_text(visitor, self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek()? {
            Event::Scalar(text, ScalarStyle::Plain, 0, None) if is_null(text) => {
                self.next()?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if !matches!(self.next()?, Event::SequenceStart(_, 0, None)) {
            return Err(NotPlain);
        }
        let mut items = Items {
            events: self,
            ended: false,
        };
        let value = visitor.visit_seq(&mut items)?;
        // A visitor that stopped early would leave the stream out of step.
        items.ended.then_some(value).ok_or(NotPlain)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(NotPlain)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if !matches!(self.next()?, Event::MappingStart(_, 0, None)) {
            return Err(NotPlain);
        }
        let mut entries = Entries {
            events: self,
            keys: Vec::new(),
            ended: false,
        };
        let value = visitor.visit_map(&mut entries)?;
        entries.ended.then_some(value).ok_or(NotPlain)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    /// Unit variants only (`scim: full`), written as plain words.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.word()? {
            Cow::Borrowed(word) => {
                visitor.visit_enum(BorrowedStrDeserializer::<NotPlain>::new(word))
            }
            Cow::Owned(word) => {
                let word: StringDeserializer<NotPlain> = word.into_deserializer();
                visitor.visit_enum(word)
            }
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(NotPlain)
    }
}

/// The items of a sequence.
struct Items<'e, 'de> {
    events: &'e mut Events<'de>,
    ended: bool,
}

impl<'de> de::SeqAccess<'de> for &mut Items<'_, 'de> {
    type Error = NotPlain;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if matches!(self.events.peek()?, Event::SequenceEnd) {
            self.events.next()?;
            self.ended = true;
            return Ok(None);
        }
        seed.deserialize(&mut *self.events).map(Some)
    }
}

/// The entries of a mapping, whose keys must be plain words, each once.
struct Entries<'e, 'de> {
    events: &'e mut Events<'de>,
    keys: Vec<Cow<'de, str>>,
    ended: bool,
}

impl<'de> de::MapAccess<'de> for &mut Entries<'_, 'de> {
    type Error = NotPlain;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if matches!(self.events.peek()?, Event::MappingEnd) {
            self.events.next()?;
            self.ended = true;
            return Ok(None);
        }
        // Rules out `<<` (a merge) and keys a schema could read as numbers or booleans.
        let key = self.events.word()?;
        // Record mappings have a few keys each; a mapping of hundreds is left to serde-saphyr
        // rather than checked for repeats one by one against all before it.
        if self.keys.len() >= MAX_KEYS || self.keys.contains(&key) {
            return Err(NotPlain);
        }
        self.keys.push(key.clone());
        let key = match key {
            Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)),
        };
        key.map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.events)
    }
}

#[cfg(test)]
mod tests;
