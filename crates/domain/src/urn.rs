//! The UK school Unique Reference Number.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A school's URN as published by Get Information About Schools: exactly six ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Urn(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrnError {
    #[error("a URN has exactly 6 digits; this one has {0} characters")]
    WrongLength(usize),
    #[error("a URN contains digits only")]
    NotDigits,
}

impl Urn {
    /// Parses a URN. Surrounding whitespace is not accepted: callers trim deliberately or not at all.
    pub fn parse(s: &str) -> Result<Self, UrnError> {
        let len = s.chars().count();
        if len != 6 {
            return Err(UrnError::WrongLength(len));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UrnError::NotDigits);
        }
        Ok(Urn(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Urn {
    type Error = UrnError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Urn::parse(&s)
    }
}

impl From<Urn> for String {
    fn from(u: Urn) -> String {
        u.0
    }
}

impl fmt::Display for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_six_digits() {
        assert_eq!(Urn::parse("100000").map(|u| u.to_string()), Ok("100000".into()));
        assert!(Urn::parse("012345").is_ok(), "leading zeros are digits too");
    }

    #[test]
    fn refuses_wrong_lengths_and_non_digits() {
        assert_eq!(Urn::parse("1234567"), Err(UrnError::WrongLength(7)));
        assert_eq!(Urn::parse("12345"), Err(UrnError::WrongLength(5)));
        assert_eq!(Urn::parse(""), Err(UrnError::WrongLength(0)));
        assert_eq!(Urn::parse("12a456"), Err(UrnError::NotDigits));
        assert_eq!(Urn::parse(" 12345"), Err(UrnError::NotDigits));
        // Six characters but not six ASCII digits: Arabic-Indic digits are refused.
        assert_eq!(Urn::parse("١٢٣٤٥٦"), Err(UrnError::NotDigits));
    }

    #[test]
    fn serde_round_trip_refuses_bad_urns() {
        let ok: Urn = serde_json::from_str("\"654321\"").unwrap();
        assert_eq!(ok.as_str(), "654321");
        assert!(serde_json::from_str::<Urn>("\"65432\"").is_err());
    }
}
