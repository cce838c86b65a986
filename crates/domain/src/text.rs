//! What free text Trellis stores: ordinary Unicode is welcome; control characters (NUL, bare CR,
//! escape sequences…), bidirectional overrides and isolates (which make a title read differently
//! from what it is) and names made only of invisible characters are not. One place decides; the
//! API refuses such text with 422, and the OpenAPI document carries the same rule as a pattern.

/// Single-line text: a name, a title, a venue.
pub const LINE_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$";

/// A required single-line name: as [`LINE_PATTERN`], with at least one visible character.
pub const NAME_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$";

/// Multi-line text (notes, statements, a report): as [`LINE_PATTERN`], but tab, line feed and
/// carriage return are allowed.
pub const MULTILINE_PATTERN: &str =
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$";

/// The OpenAPI schema of a required single-line name (documentation only: a field holding a
/// `String` points its schema here with `value_type`).
#[cfg(feature = "openapi")]
pub struct NameSchema;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for NameSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(200))
            .pattern(Some(NAME_PATTERN))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for NameSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "Name".into()
    }
}

/// Why a piece of text was refused; `code()` is the API's field error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not contain control characters")]
    ControlCharacter,
    #[error("must not contain line breaks")]
    LineBreak,
    #[error("must not contain bidirectional override or isolate characters")]
    BidiControl,
    #[error("must contain at least one visible character")]
    Blank,
}

impl TextError {
    pub fn code(self) -> &'static str {
        match self {
            TextError::ControlCharacter => "control_character",
            TextError::LineBreak => "line_break",
            TextError::BidiControl => "bidi_control",
            TextError::Blank => "blank",
        }
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that draw nothing: whitespace and the invisible formatting characters.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
        || is_bidi_control(c)
}

fn check(s: &str, multiline: bool) -> Result<(), TextError> {
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' if multiline => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => return Err(TextError::LineBreak),
            c if c.is_control() => return Err(TextError::ControlCharacter),
            c if is_bidi_control(c) => return Err(TextError::BidiControl),
            _ => {}
        }
    }
    Ok(())
}

/// Single-line text (may be empty).
pub fn line(s: &str) -> Result<(), TextError> {
    check(s, false)
}

/// Multi-line text (may be empty).
pub fn multiline(s: &str) -> Result<(), TextError> {
    check(s, true)
}

/// A required single-line name: at least one visible character.
pub fn name(s: &str) -> Result<(), TextError> {
    check(s, false)?;
    if s.chars().all(is_invisible) {
        return Err(TextError::Blank);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_unicode_names_are_welcome() {
        for ok in
            ["Siân O'Connor-Ní Bhriain", "Zoë", "محمد", "王小明", "Ngũgĩ wa Thiong'o", "Year 6 — maths", "👩‍🏫 Leads"]
        {
            assert_eq!(name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn control_bidi_and_invisible_text_is_refused() {
        assert_eq!(name("a\u{0}b"), Err(TextError::ControlCharacter));
        assert_eq!(line("Title\rDTSTART:2020"), Err(TextError::LineBreak));
        assert_eq!(line("a\nb"), Err(TextError::LineBreak));
        assert_eq!(line("\u{1b}[31mred"), Err(TextError::ControlCharacter));
        assert_eq!(line("abc\u{202e}fdp.exe"), Err(TextError::BidiControl));
        assert_eq!(line("x\u{2067}y"), Err(TextError::BidiControl));
        assert_eq!(name("   "), Err(TextError::Blank));
        assert_eq!(name("\u{200b}\u{feff}\u{2060}"), Err(TextError::Blank));
        assert_eq!(name(""), Err(TextError::Blank));
        assert_eq!(line(""), Ok(()));
    }

    #[test]
    fn multiline_text_keeps_its_line_breaks_and_tabs() {
        assert_eq!(multiline("First.\r\n\tSecond.\nThird."), Ok(()));
        assert_eq!(multiline("a\u{0}"), Err(TextError::ControlCharacter));
        assert_eq!(multiline("a\u{202d}"), Err(TextError::BidiControl));
    }
}

#[cfg(test)]
mod pattern_agreement {
    //! The OpenAPI patterns and the functions must decide alike, or a generated client would send
    //! text the server refuses (or the reverse).
    use super::*;
    use proptest::prelude::*;

    const INTERESTING: &[char] = &[
        'a', 'Z', '7', ' ', '\t', '\n', '\r', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', '\u{ad}', 'é', '中',
        '\u{1680}', '\u{180e}', '\u{2003}', '\u{200b}', '\u{200d}', '\u{200f}', '\u{2028}', '\u{202a}', '\u{202e}',
        '\u{202f}', '\u{205f}', '\u{2060}', '\u{2066}', '\u{2069}', '\u{3000}', '\u{feff}', '🙂',
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(INTERESTING), 0..6).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn patterns_match_the_functions(s in text()) {
            let re = |p: &str| regex::Regex::new(p).unwrap();
            prop_assert_eq!(re(LINE_PATTERN).is_match(&s), line(&s).is_ok(), "line {:?}", s);
            prop_assert_eq!(re(NAME_PATTERN).is_match(&s), name(&s).is_ok(), "name {:?}", s);
            prop_assert_eq!(re(MULTILINE_PATTERN).is_match(&s), multiline(&s).is_ok(), "multiline {:?}", s);
        }
    }
}
