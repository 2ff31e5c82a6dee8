//! Rules for every string of a file at once: no control characters (a NUL or a terminal escape
//! written as `"\0"` or `"\e"` is invisible in an editor and garbles pages, feeds and
//! terminals; tabs and line breaks are fine), no Unicode non-characters, and names and titles
//! of a sane length.
//!
//! The strings are found by serializing the value into [`StringWalker`], a serializer that
//! keeps nothing but the path it is at: the checks see a record as serde does, so no field can
//! be forgotten, and no tree of the record is built to walk it (that tree cost 8 % of a build).

use serde::Serialize;
use serde::ser;
use std::borrow::Cow;
use std::fmt;

use super::Problem;

/// The longest a name or title may be, in characters: a name of thousands of characters is a
/// paste gone wrong, and would swamp every page that lists it.
pub const MAX_NAME_CHARS: usize = 200;

/// Checks every string `value` serializes, and adds a problem for each one that breaks a rule.
pub fn check_text(value: &impl Serialize, problems: &mut Vec<Problem>) {
    let mut walker = StringWalker {
        steps: Vec::new(),
        problems,
    };
    // The walker itself never fails; a value whose own `Serialize` fails has no text to check.
    let _ = value.serialize(&mut walker);
}

/// One step of a field path, kept as a field name or an index so that the path is written out
/// only for a field with a problem: every string of every record passes through here.
enum Step {
    Key(Cow<'static, str>),
    Index(usize),
}

/// The field path as validation speaks it (`tiers[1].name`).
fn field_path(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Index(i) => crate::field_path::push_index(&mut path, *i),
        }
    }
    path
}

fn check_string(text: &str, steps: &[Step], problems: &mut Vec<Problem>) {
    // Most text is printable ASCII, which one byte scan clears without decoding characters.
    let plain = text
        .bytes()
        .all(|b| (b' '..0x7F).contains(&b) || b == b'\n' || b == b'\t');
    if !plain {
        check_characters(text, steps, problems);
    }
    let is_name = matches!(
        steps.last(),
        Some(Step::Key(key)) if matches!(key.as_ref(), "name" | "title" | "now_known_as" | "category")
    );
    // Blank text is told "is empty" where a name is required; this is for the rest.
    if is_name && !plain && !text.trim().is_empty() && !text.chars().any(is_visible) {
        problems.push(Problem::error(
            field_path(steps),
            format!(
                "has no visible character (only {}): a link or heading made of it would be \
                 invisible; expected the name as people read it",
                describe_invisible(text)
            ),
        ));
    }
    // Counting characters is needed only when the bytes could be too many.
    if is_name && text.len() > MAX_NAME_CHARS {
        let chars = text.chars().count();
        if chars > MAX_NAME_CHARS {
            problems.push(Problem::error(
                field_path(steps),
                format!("is {chars} characters long: a name or title has at most {MAX_NAME_CHARS}"),
            ));
        }
    }
}

fn check_characters(text: &str, steps: &[Step], problems: &mut Vec<Problem>) {
    if let Some(bad) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        problems.push(Problem::error(
            field_path(steps),
            format!(
                "contains the control character U+{:04X}: remove it (tabs and line breaks are \
                 the only ones allowed)",
                u32::from(bad)
            ),
        ));
    } else if let Some(bad) = text.chars().find(|c| is_noncharacter(*c)) {
        // Never text, and not allowed in XML: a feed or sitemap holding one would not parse.
        problems.push(Problem::error(
            field_path(steps),
            format!(
                "contains U+{:04X}, which Unicode reserves as a non-character: remove it",
                u32::from(bad)
            ),
        ));
    }
}

/// Whether `c` shows: not white space and not one of Unicode's default-ignorable code points
/// (zero-width spaces and joiners, direction marks, variation selectors, fillers...), nor the
/// blank braille pattern or an interlinear annotation mark, which draw nothing either.
fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && !c.is_control()
        && !is_default_ignorable(c)
        && !matches!(c, '\u{2800}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Unicode's `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt, Unicode 16).
fn is_default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// The code points of an invisible text, for the message: `U+200B U+200B`.
fn describe_invisible(text: &str) -> String {
    let shown: Vec<String> = text
        .chars()
        .take(5)
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    let more = if text.chars().count() > 5 { " ..." } else { "" };
    format!("{}{more}", shown.join(" "))
}

/// U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE...).
fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// A serializer that checks each string it is given against the path it was reached by, and
/// ignores everything else.
struct StringWalker<'p> {
    steps: Vec<Step>,
    problems: &'p mut Vec<Problem>,
}

impl StringWalker<'_> {
    fn within<T: Serialize + ?Sized>(&mut self, step: Step, value: &T) -> Result<(), fmt::Error> {
        self.steps.push(step);
        let walked = value.serialize(&mut *self);
        self.steps.pop();
        walked
    }

    /// Opens a sequence: its elements are numbered from 0 in a step of their own.
    fn open_sequence(&mut self) {
        self.steps.push(Step::Index(0));
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        value.serialize(&mut *self)?;
        if let Some(Step::Index(i)) = self.steps.last_mut() {
            *i += 1;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), fmt::Error> {
        self.steps.pop();
        Ok(())
    }
}

/// Values that are not text: nothing to check.
macro_rules! ignore_values {
    ($($method:ident($type:ty)),*) => {$(
        fn $method(self, _: $type) -> Result<(), fmt::Error> {
            Ok(())
        }
    )*};
}

impl<'w, 'p> ser::Serializer for &'w mut StringWalker<'p> {
    type Ok = ();
    type Error = fmt::Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_str(self, text: &str) -> Result<(), fmt::Error> {
        check_string(text, &self.steps, self.problems);
        Ok(())
    }

    fn serialize_char(self, c: char) -> Result<(), fmt::Error> {
        self.serialize_str(c.encode_utf8(&mut [0; 4]))
    }

    ignore_values! {
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8])
    }

    fn serialize_none(self) -> Result<(), fmt::Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), fmt::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), fmt::Error> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), fmt::Error> {
        Ok(())
    }

    /// A unit variant is one of our own names (`full`, `positive`), never text of the record.
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), fmt::Error> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), fmt::Error> {
        value.serialize(self)
    }

    /// A variant with data is walked as its data alone: a record writes a priced tier's
    /// figures directly under `price`, not under the name of the `Price` variant.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), fmt::Error> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, fmt::Error> {
        self.open_sequence();
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, fmt::Error> {
        self.open_sequence();
        Ok(self)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, fmt::Error> {
        self.open_sequence();
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, fmt::Error> {
        self.open_sequence();
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, fmt::Error> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, fmt::Error> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, fmt::Error> {
        Ok(self)
    }
}

/// The four kinds of sequence serde has are one to the walker: numbered elements.
macro_rules! walk_elements {
    ($($kind:ident :: $element:ident),*) => {$(
        impl ser::$kind for &mut StringWalker<'_> {
            type Ok = ();
            type Error = fmt::Error;

            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), fmt::Error> {
                self.close()
            }
        }
    )*};
}

walk_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut StringWalker<'_> {
    type Ok = ();
    type Error = fmt::Error;

    /// A key is remembered for the value that follows. Keys are ids (of IdPs), checked by the
    /// rules that know which ids exist; they are few, so the copy costs nothing.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), fmt::Error> {
        let name = match serde_json::to_value(key) {
            Ok(serde_json::Value::String(name)) => name,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        };
        self.steps.push(Step::Key(Cow::Owned(name)));
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        let walked = value.serialize(&mut **self);
        self.steps.pop();
        walked
    }

    fn end(self) -> Result<(), fmt::Error> {
        Ok(())
    }
}

/// A struct's fields, plain or in a variant, are steps named by the field.
macro_rules! walk_fields {
    ($($kind:ident),*) => {$(
        impl ser::$kind for &mut StringWalker<'_> {
            type Ok = ();
            type Error = fmt::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), fmt::Error> {
                self.within(Step::Key(Cow::Borrowed(name)), value)
            }

            fn end(self) -> Result<(), fmt::Error> {
                Ok(())
            }
        }
    )*};
}

walk_fields!(SerializeStruct, SerializeStructVariant);
