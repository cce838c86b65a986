//! Keyset paging shared by list endpoints. Ids are UUIDv7, whose text order is creation order,
//! so "after this id" is a stable cursor that no insert or update can make skip or repeat rows.

use base64::Engine;
use chrono::{Datelike, NaiveDateTime};
use trellis_wire::{DEFAULT_PAGE, ListParams, MAX_PAGE};
use uuid::Uuid;

use crate::error::ApiError;

const PREFIX: &str = "v1:";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub struct PageRequest {
    pub limit: usize,
    /// Only ids greater than this.
    pub after: Option<String>,
    pub updated_since: Option<NaiveDateTime>,
}

impl PageRequest {
    pub fn parse(p: &ListParams) -> Result<PageRequest, ApiError> {
        let limit = p.limit.unwrap_or(DEFAULT_PAGE);
        if limit == 0 || limit > MAX_PAGE {
            return Err(ApiError::bad_param(
                "invalid_limit",
                "limit",
                format!("limit must be between 1 and {MAX_PAGE}"),
            ));
        }
        let after = p.cursor.as_deref().filter(|c| !c.is_empty()).map(decode).transpose()?;
        // chrono reads instants tens of thousands of years away; the databases do not store them.
        let updated_since = p
            .updated_since
            .map(|t| {
                crate::dates::require_query("updated_since", t.year(), crate::dates::SINCE_YEARS)
                    .map(|()| t.naive_utc())
            })
            .transpose()?;
        Ok(PageRequest { limit: limit as usize, after, updated_since })
    }

    /// How many rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit as i64 + 1
    }

    /// Cuts the extra row off and says where the next page starts.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> &str) -> (Vec<T>, Option<String>) {
        if rows.len() <= self.limit {
            return (rows, None);
        }
        rows.truncate(self.limit);
        let next = rows.last().map(|r| encode(id(r)));
        (rows, next)
    }
}

fn encode(id: &str) -> String {
    B64.encode(format!("{PREFIX}{id}"))
}

fn decode(cursor: &str) -> Result<String, ApiError> {
    let bad = || ApiError::bad_param("invalid_cursor", "cursor", "the cursor is not one this API issued");
    let bytes = B64.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let id = text.strip_prefix(PREFIX).ok_or_else(bad)?;
    Uuid::parse_str(id).map_err(|_| bad())?;
    Ok(id.to_owned())
}

/// A new public id: UUIDv7, time-ordered so keyset paging follows creation order.
pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_refuses_forgeries() {
        let id = new_id();
        assert_eq!(decode(&encode(&id)).ok(), Some(id));
        assert!(decode("not-base64!").is_err());
        assert!(decode(&B64.encode("v1:1 OR 1=1")).is_err());
        assert!(decode(&B64.encode("0190a0a0-0000-7000-8000-000000000000")).is_err(), "needs the version prefix");
    }

    #[test]
    fn limit_bounds() {
        let p = |limit| ListParams { limit: Some(limit), ..Default::default() };
        assert!(PageRequest::parse(&p(0)).is_err());
        assert!(PageRequest::parse(&p(201)).is_err());
        assert_eq!(PageRequest::parse(&p(200)).map(|r| r.limit).ok(), Some(200));
    }

    #[test]
    fn updated_since_is_bounded() {
        let since = |s: &str| ListParams { updated_since: s.parse().ok(), ..Default::default() };
        assert!(PageRequest::parse(&since("1900-01-01T00:00:00Z")).is_ok());
        assert!(PageRequest::parse(&since("9999-12-31T23:59:59Z")).is_ok());
        for bad in ["1899-12-31T23:59:59Z", "-9999-01-01T00:00:00Z"] {
            assert!(since(bad).updated_since.is_some(), "{bad} parses");
            let err = PageRequest::parse(&since(bad)).err().map(|e| (e.code, e.errors[0].field.clone()));
            assert_eq!(err, Some(("invalid_query", "updated_since".to_owned())), "{bad}");
        }
    }
}
