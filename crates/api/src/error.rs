//! The one API error type, rendered as RFC 9457 `application/problem+json`.
//!
//! Every error carries a stable snake_case `code`. Internal causes are logged with a correlation
//! id and never sent to the client.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use std::fmt;
use trellis_wire::{FieldError, Problem};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    /// One extra response header: `Retry-After` on 429, `Allow` on 405. Boxed: errors travel
    /// in every `Result`, so they stay small.
    pub header: Option<Box<(&'static str, String)>>,
    /// Also render RFC 6749 `error`/`error_description` members (the token endpoint).
    pub oauth: bool,
    /// Logged, never rendered.
    source: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError { status, code, detail: Some(detail.into()), errors: vec![], header: None, oauth: false, source: None }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, detail)
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "you are not permitted to do this")
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no such {what}"))
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, detail)
    }

    /// A conflict caused by one field's value (a duplicate URN, a duplicate `mis_id`).
    pub fn conflict_on(code: &'static str, field: &str, detail: impl Into<String>) -> ApiError {
        let detail = detail.into();
        let mut e = ApiError::conflict(code, detail.clone());
        e.errors.push(FieldError { field: field.into(), code: code.into(), message: detail });
        e
    }

    /// 422 with the offending fields.
    pub fn invalid(code: &'static str, errors: Vec<FieldError>) -> ApiError {
        let detail = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            detail: Some(detail),
            errors,
            header: None,
            oauth: false,
            source: None,
        }
    }

    pub fn field(code: &'static str, field: &str, message: impl Into<String>) -> ApiError {
        ApiError::invalid(code, vec![FieldError { field: field.into(), code: code.into(), message: message.into() }])
    }

    /// 400 for a bad query or path parameter, naming it.
    pub fn bad_param(code: &'static str, field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let mut e = ApiError::bad_request(code, message.clone());
        e.errors.push(FieldError { field: field.into(), code: code.into(), message });
        e
    }

    pub fn internal(cause: impl fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal_error",
            detail: None,
            errors: vec![],
            header: None,
            oauth: false,
            source: Some(cause.to_string()),
        }
    }

    /// 405 for a path that exists with other methods; `Allow` lists them.
    pub fn method_not_allowed(allowed: &[actix_web::http::Method]) -> ApiError {
        let list = allowed.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ");
        let mut e = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("this path answers {list} only"),
        );
        e.header = Some(Box::new(("Allow", list)));
        e
    }

    pub fn too_many_attempts(retry_after: u64) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many failed attempts; try again in {retry_after} seconds"),
        );
        e.header = Some(Box::new(("Retry-After", retry_after.to_string())));
        e
    }

    /// Every database worker stayed busy for the whole queue timeout.
    pub fn busy() -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_busy",
            "the service is too busy to answer now; try again shortly",
        );
        e.header = Some(Box::new(("Retry-After", "1".into())));
        e
    }

    pub fn title(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("Error")
    }

    pub fn problem(&self, detail: Option<String>) -> Problem {
        let error_description = if self.oauth { detail.clone() } else { None };
        Problem {
            type_: format!("https://trellis.example/problems/{}", self.code),
            title: self.title().to_owned(),
            status: self.status.as_u16(),
            detail,
            code: self.code.to_owned(),
            errors: self.errors.clone(),
            error: self.oauth.then(|| self.code.to_owned()),
            error_description,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)?;
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let detail = match &self.source {
            Some(cause) => {
                let incident = uuid::Uuid::new_v4();
                tracing::error!(%incident, %cause, "internal error");
                Some(format!("an internal error occurred; incident {incident} has been logged"))
            }
            None => self.detail.clone(),
        };
        let mut res = HttpResponse::build(self.status);
        res.content_type("application/problem+json");
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header(("WWW-Authenticate", "Bearer realm=\"trellis\""));
        }
        if let Some(header) = &self.header {
            res.insert_header((header.0, header.1.as_str()));
        }
        res.json(self.problem(detail))
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::not_found("record"),
            // Checked in handlers first; this catches the race where two requests insert at once.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::conflict("conflict", "a record with these values already exists")
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_reference",
                "a referenced record does not exist",
            ),
            other => ApiError::internal(other),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errs: validator::ValidationErrors) -> ApiError {
        let mut fields: Vec<FieldError> = errs
            .field_errors()
            .into_iter()
            .flat_map(|(field, list)| {
                list.iter().map(move |e| FieldError {
                    field: field.to_string(),
                    code: e.code.to_string(),
                    message: e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| describe(e)),
                })
            })
            .collect();
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        ApiError::invalid("validation_failed", fields)
    }
}

fn describe(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            _ => "invalid length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (None, Some(max)) => format!("must be at most {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            _ => "out of range".into(),
        },
        "email" => "must be an email address".into(),
        other => format!("invalid ({other})"),
    }
}

/// Turns actix's own extractor failures (bad JSON, unknown fields, oversized bodies, bad query
/// strings and path ids) into problems with their own codes.
pub mod extractors {
    use super::ApiError;
    use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
    use actix_web::http::StatusCode;

    pub fn json(err: JsonPayloadError) -> ApiError {
        match err {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
            }
            JsonPayloadError::ContentType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ),
            JsonPayloadError::Deserialize(e) => serde_error(&e),
            other => ApiError::bad_request("malformed_json", other.to_string()),
        }
    }

    pub fn serde_error(e: &serde_json::Error) -> ApiError {
        use serde_json::error::Category;
        let msg = e.to_string();
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {msg}"))
            }
            Category::Data if msg.starts_with("unknown field") => {
                let field = msg.split('`').nth(1).unwrap_or_default().to_owned();
                let mut err = ApiError::bad_request("unknown_field", msg.clone());
                err.errors.push(trellis_wire::FieldError { field, code: "unknown_field".into(), message: msg });
                err
            }
            Category::Data => {
                let field = msg.strip_prefix("missing field `").and_then(|r| r.split('`').next());
                let mut err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", msg.clone());
                if let Some(f) = field {
                    err.errors.push(trellis_wire::FieldError {
                        field: f.into(),
                        code: "required".into(),
                        message: msg,
                    });
                }
                err
            }
        }
    }

    pub fn query(err: QueryPayloadError) -> ApiError {
        ApiError::bad_request("invalid_query", err.to_string())
    }

    pub fn form(err: UrlencodedError) -> ApiError {
        match err {
            UrlencodedError::Overflow { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
            }
            UrlencodedError::ContentType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/x-www-form-urlencoded",
            ),
            other => ApiError::bad_request("invalid_form", other.to_string()),
        }
    }

    pub fn path(_err: PathError) -> ApiError {
        ApiError::not_found("resource (the id in the path is not a valid id)")
    }
}
