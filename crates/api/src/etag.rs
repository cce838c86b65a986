//! Versions for objects that people edit in place (a session's register, a report draft): a read
//! answers an `ETag`, a write may send it back in `If-Match`, and a write based on an older version
//! is refused with 412 `stale_write` rather than silently replacing someone else's save.

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use chrono::NaiveDateTime;

use crate::error::ApiError;

/// The entity tag of a version stamped `at` (`None`: never saved).
pub fn of(at: Option<NaiveDateTime>) -> String {
    format!("\"{}\"", at.map_or(0, |t| t.and_utc().timestamp_micros()))
}

/// The request's `If-Match` tags, if it sent any. A write without `If-Match` is applied as before
/// (last write wins); one with it applies only to the version it names.
#[derive(Debug, Default)]
pub struct IfMatch(Option<Vec<String>>);

impl IfMatch {
    /// Refuses the write unless `current` is among the tags (or the request sent `*`, or none).
    pub fn check(&self, current: &str) -> Result<(), ApiError> {
        match &self.0 {
            Some(tags) if !tags.iter().any(|t| t == "*" || t == current) => {
                let mut e = ApiError::new(
                    StatusCode::PRECONDITION_FAILED,
                    "stale_write",
                    "this was changed by someone else since you loaded it: reload it, then make your change again",
                );
                e.header = Some(Box::new(("ETag", current.to_owned())));
                Err(e)
            }
            _ => Ok(()),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let tags: Vec<String> = req
            .headers()
            .get_all(actix_web::http::header::IF_MATCH)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        std::future::ready(Ok(IfMatch(if tags.is_empty() { None } else { Some(tags) })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_current_version_or_a_wildcard_passes() {
        let at = chrono::DateTime::from_timestamp_micros(1_764_590_400_123_456).unwrap().naive_utc();
        let current = of(Some(at));
        assert_eq!(current, "\"1764590400123456\"");
        assert_eq!(of(None), "\"0\"");
        assert!(IfMatch(None).check(&current).is_ok());
        assert!(IfMatch(Some(vec![current.clone()])).check(&current).is_ok());
        assert!(IfMatch(Some(vec!["\"1\"".into(), "*".into()])).check(&current).is_ok());
        let stale = IfMatch(Some(vec!["\"1\"".into()])).check(&current).unwrap_err();
        assert_eq!((stale.status.as_u16(), stale.code), (412, "stale_write"));
        assert!(IfMatch(Some(vec![format!("W/{current}")])).check(&current).is_err(), "weak tags never match");
    }
}
