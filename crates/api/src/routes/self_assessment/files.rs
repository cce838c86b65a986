//! Evidence files behind a side's ratings: uploaded to its draft against a statement (multipart,
//! one part named `file`), kept by content hash in the store portfolios use, read by whoever reads
//! that side's ratings, always as a download, and removed while the side is a draft.

use actix_web::web::{Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, post};
use trellis_domain::expectations::{ExpectationError, MAX_FILES_PER_STATEMENT, Side, TermKey};
use trellis_domain::ids::SchoolId;
use trellis_wire::{ExpectationFile, ExpectationFileTarget};

use crate::auth::{Bearer, Caller};
use crate::db::DbConn;
use crate::db::allowed::Allowed;
use crate::db::allowed::expectations::{self as allowed, LoadedSchool, Rate};
use crate::db::expectations::{self as db, AssessmentRow, ExpectationFileRow};
use crate::db::facts::uuid;
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

use super::refused;

/// The upload form: one part named `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documentation only
pub struct UploadExpectationFile {
    /// A PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), PNG, JPEG or MP4 file, told from its
    /// bytes; at most the configured size (25 MiB unless `TRELLIS_MAX_UPLOAD_BYTES` says otherwise).
    #[schema(content_media_type = "application/octet-stream")]
    file: Vec<u8>,
}

pub(super) fn wire(row: &ExpectationFileRow, side: Side) -> Result<ExpectationFile, ApiError> {
    Ok(ExpectationFile {
        id: uuid(&row.id)?,
        statement_id: uuid(&row.statement_id)?,
        side,
        filename: row.filename.clone(),
        media_type: row.kind()?.media_type().to_owned(),
        size_bytes: u64::try_from(row.size_bytes).unwrap_or_default(),
        created_at: row.created_at.and_utc(),
    })
}

/// The caller's side's draft for the term, if it has room for a file against `statement`; with
/// `begin`, begun if it was not (without, nothing is written: the check before a body is read).
fn open_for_files(
    conn: &mut DbConn,
    caller: &Caller,
    (id, term, side): (SchoolId, TermKey, Side),
    statement: uuid::Uuid,
    now: chrono::NaiveDateTime,
    begin: bool,
) -> Result<Option<AssessmentRow>, ApiError> {
    let s: Allowed<LoadedSchool, Rate> = allowed::side(conn, caller, id, side)?;
    if term > TermKey::of(now.date()) {
        return Err(refused(ExpectationError::FutureTerm(term)));
    }
    if !s.framework.active().iter().any(|st| st.id == statement.to_string()) {
        return Err(ApiError::field(
            "unknown_statement",
            "statement_id",
            "this statement is not in the trust's framework",
        ));
    }
    let school = s.place.facts.id.to_string();
    let found = db::find_assessment(conn, &school, term, side)?;
    if let Some(row) = &found {
        if row.submitted_at.is_some() {
            return Err(refused(ExpectationError::Submitted));
        }
        if db::count_files(conn, &row.id, &statement.to_string())? >= MAX_FILES_PER_STATEMENT {
            return Err(ApiError::conflict(
                "too_many_files",
                format!("a statement holds at most {MAX_FILES_PER_STATEMENT} files on each side"),
            ));
        }
    }
    match (found, begin) {
        (_, false) => Ok(None),
        (Some(row), true) => Ok(Some(row)),
        (None, true) => Ok(Some(db::begin(conn, &school, term, side, &caller.actor(), now)?)),
    }
}

/// Adds an evidence file to the caller's side's draft for the term, against one statement of the
/// framework (at most five a statement). The type is told from the bytes (415
/// `unsupported_file_type`); a file over the size limit is refused as it crosses it (413). The
/// bytes are on disk before the file is listed.
#[utoipa::path(
    operation_id = "upload_expectation_file",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("term" = TermKey, Path), ("side" = trellis_wire::AssessmentSide, Path), ExpectationFileTarget),
    request_body(content = inline(UploadExpectationFile), content_type = "multipart/form-data"),
    responses((status = 201, body = ExpectationFile), WriteErrors)
)]
#[post("/schools/{id}/expectations/{term}/{side}/files")]
pub async fn upload_expectation_file(
    state: State,
    caller: Bearer,
    path: Path<(SchoolId, TermKey, Side)>,
    target: Query<ExpectationFileTarget>,
    req: HttpRequest,
    payload: actix_web::web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (key, statement) = (path.into_inner(), target.into_inner().statement_id);
    let clock = state.clock;
    // Who may add a file is known before the body is read: strangers cannot fill the disk.
    crate::files::check_upload(&req, state.files.max_bytes)?;
    state
        .db
        .run_as(caller.clone(), move |conn, caller| {
            open_for_files(conn, &caller, key, statement, clock.now(), false).map(|_| ())
        })
        .await?;
    let upload = crate::files::read_upload(&state.files, &req, payload).await?;
    let (sha, size, kind, filename) =
        (upload.received.sha256.clone(), upload.received.size, upload.kind, upload.filename.clone());
    let _guard = state.files.lock.lock().await;
    state.files.keep(upload.received).map_err(ApiError::internal)?;
    let sha2 = sha.clone();
    let result = state
        .db
        .tx_as(caller, move |conn, caller| {
            let now = clock.now();
            let assessment = open_for_files(conn, &caller, key, statement, now, true)?
                .ok_or_else(|| ApiError::internal("no assessment begun"))?;
            let row = ExpectationFileRow {
                id: new_id(),
                assessment_id: assessment.id.clone(),
                statement_id: statement.to_string(),
                sha256: sha2,
                size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
                kind: kind.as_str().into(),
                filename,
                uploaded_by: caller.actor(),
                created_at: now,
            };
            db::insert_file(conn, &row)?;
            wire(&row, key.2)
        })
        .await;
    match result {
        Ok(file) => Ok(HttpResponse::Created().json(file)),
        Err(e) => {
            // Refused after the bytes were kept (submitted meanwhile): drop them unless held elsewhere.
            let sha3 = sha.clone();
            if let Ok(false) = state.db.run(move |conn| crate::db::portfolio::referenced(conn, &sha3)).await {
                state.files.remove(&sha);
            }
            Err(e)
        }
    }
}

/// An evidence file's bytes, for whoever reads its side's ratings (the side's authors while it is
/// a draft; the school's leads and the trust's admins once submitted): always as a download.
#[utoipa::path(
    operation_id = "get_expectation_file",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Evidence file id")),
    responses(
        (status = 200, description = "The file's bytes", content(
            ("application/pdf"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            ("image/png"),
            ("image/jpeg"),
            ("video/mp4")
        )),
        ReadErrors
    )
)]
#[get("/expectation-files/{id}")]
pub async fn get_expectation_file(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    id: Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let file = state
        .db
        .run_as(caller, move |conn, caller| Ok(allowed::expectation_file(conn, &caller, id)?.row.clone()))
        .await?;
    crate::files::attachment(&state.files, &req, &file.sha256, &file.filename, file.kind()?).await
}

/// Removes an evidence file from the caller's side's draft (409 once submitted).
#[utoipa::path(
    operation_id = "delete_expectation_file",
    tag = "self_assessment",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Evidence file id")),
    responses((status = 204), WriteErrors)
)]
#[delete("/expectation-files/{id}")]
pub async fn delete_expectation_file(
    state: State,
    caller: Bearer,
    id: Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let _guard = state.files.lock.lock().await;
    let gone = state
        .db
        .tx_as(caller, move |conn, caller| {
            let f = allowed::removable_file(conn, &caller, id)?;
            db::delete_file(conn, &f.row.id)?;
            crate::db::portfolio::unreferenced(conn, vec![f.row.sha256.clone()])
        })
        .await?;
    for sha in gone {
        state.files.remove(&sha);
    }
    Ok(HttpResponse::NoContent().finish())
}
