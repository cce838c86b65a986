//! Whole numbers from JSON. JSON Schema counts `3.0` as an integer, so a client generated from
//! the OpenAPI document may send one; it is accepted as 3. Fractions, negatives and values that
//! do not fit are refused.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct WholeU32;

impl Visitor<'_> for WholeU32 {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a whole number from 0 to {}", u32::MAX)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
        if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) {
            Ok(v as u32)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// `#[serde(deserialize_with = "whole::u32")]`
pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    d.deserialize_any(WholeU32)
}

struct OptionWhole;

impl<'de> Visitor<'de> for OptionWhole {
    type Value = Option<u32>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "null or a whole number from 0 to {}", u32::MAX)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<u32>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u32>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<u32>, D::Error> {
        u32(d).map(Some)
    }
}

/// `#[serde(default, deserialize_with = "whole::option_u32")]`
pub fn option_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    d.deserialize_option(OptionWhole)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(deserialize_with = "super::u32")]
        n: u32,
        #[serde(default, deserialize_with = "super::option_u32")]
        m: Option<u32>,
    }

    #[test]
    fn whole_numbers_in_either_spelling() {
        let t = |s: &str| serde_json::from_str::<T>(s).map_err(|e| e.to_string());
        assert_eq!(t(r#"{"n": 3}"#), Ok(T { n: 3, m: None }));
        assert_eq!(t(r#"{"n": 3.0, "m": 7.0}"#), Ok(T { n: 3, m: Some(7) }));
        assert_eq!(t(r#"{"n": 1, "m": null}"#), Ok(T { n: 1, m: None }));
        assert!(t(r#"{"n": 2.5}"#).is_err());
        assert!(t(r#"{"n": -1}"#).is_err());
        assert!(t(r#"{"n": 1e300}"#).is_err());
        assert!(t(r#"{"n": "3"}"#).is_err());
    }
}
