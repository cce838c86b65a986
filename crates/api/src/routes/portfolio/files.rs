//! Evidence files: uploaded to a draft entry as multipart/form-data (one part named `file`),
//! kept by content hash, served only to those who may read the entry, always as a download.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web::Path};
use trellis_domain::ids::{EvidenceFileId, PortfolioEntryId};
use trellis_domain::portfolio::MAX_FILES;
use trellis_wire::EvidenceFile;

use crate::auth::{Bearer, Caller};
use crate::db::allowed::{self, Allowed, LoadedEntry, entry};
use crate::db::{DbConn, portfolio};
use crate::error::ApiError;
use crate::routes::{ReadErrors, State, WriteErrors};

/// The upload form: one part named `file`, holding the file's bytes and its name.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documentation only
pub struct UploadEvidenceFile {
    /// A PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), PNG, JPEG or MP4 file, told from its
    /// bytes; at most the configured size (25 MiB unless `TRELLIS_MAX_UPLOAD_BYTES` says otherwise).
    #[schema(content_media_type = "application/octet-stream")]
    file: Vec<u8>,
}

/// The draft (or returned) entry, for the participant, with room for another file.
fn open_for_files(
    conn: &mut DbConn,
    caller: &Caller,
    id: PortfolioEntryId,
) -> Result<Allowed<LoadedEntry, entry::Edit>, ApiError> {
    let e = allowed::entry::<entry::Edit>(conn, caller, id, true)?;
    let state = e.row.state()?;
    if !state.editable() {
        return Err(ApiError::conflict(
            "entry_locked",
            format!("this entry is {state}: withdraw it to change its files"),
        ));
    }
    if portfolio::count_files(conn, &e.row.id)? >= MAX_FILES {
        return Err(ApiError::conflict("too_many_files", format!("an entry holds at most {MAX_FILES} files")));
    }
    Ok(e)
}

/// Adds a file to a draft or returned entry (the participant). The type is told from the bytes and
/// must be one of the allowed kinds (415 `unsupported_file_type`); a file over the size limit is
/// refused as it crosses it (413 `file_too_large`). The bytes are on disk before the file is
/// listed, so an acknowledged upload is never lost.
#[utoipa::path(
    operation_id = "upload_evidence_file",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id")),
    request_body(content = inline(UploadEvidenceFile), content_type = "multipart/form-data"),
    responses((status = 201, body = EvidenceFile), WriteErrors)
)]
#[post("/portfolio-entries/{id}/files")]
pub async fn upload_evidence_file(
    state: State,
    caller: Bearer,
    id: Path<PortfolioEntryId>,
    req: HttpRequest,
    payload: actix_web::web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    // Who may add a file is known before the body is read: strangers cannot fill the disk.
    crate::files::check_upload(&req, state.files.max_bytes)?;
    let check = caller.clone();
    state.db.run_as(check, move |conn, caller| open_for_files(conn, &caller, id).map(|_| ())).await?;
    let crate::files::Upload { received, filename, kind } =
        crate::files::read_upload(&state.files, &req, payload).await?;
    let (sha, size) = (received.sha256.clone(), received.size);
    let clock = state.clock;
    let _guard = state.files.lock.lock().await;
    state.files.keep(received).map_err(ApiError::internal)?;
    let sha2 = sha.clone();
    let result = state
        .db
        .tx_as(caller, move |conn, caller| {
            let e = open_for_files(conn, &caller, id)?;
            let stored = portfolio::StoredFile { sha256: &sha2, size, kind, filename: &filename };
            portfolio::insert_file(conn, &e, caller.user_uuid()?, &stored, clock.now())?.to_wire()
        })
        .await;
    match result {
        Ok(file) => Ok(HttpResponse::Created().json(file)),
        Err(e) => {
            // Refused after the bytes were kept (the entry was submitted meanwhile): drop them
            // unless another entry holds the same bytes.
            let sha3 = sha.clone();
            if let Ok(false) = state.db.run(move |conn| portfolio::referenced(conn, &sha3)).await {
                state.files.remove(&sha);
            }
            Err(e)
        }
    }
}

/// A file's bytes, for those who may read the entry that holds it: always as a download
/// (`Content-Disposition: attachment`), with its type as told from its bytes, never rendered by
/// the browser as a page (`X-Content-Type-Options: nosniff`, a sandboxing `Content-Security-Policy`).
#[utoipa::path(
    operation_id = "get_evidence_file",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id"), ("file_id" = Uuid, Path, description = "Evidence file id")),
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
        (status = 403, body = trellis_wire::Problem, content_type = "application/problem+json", description = "The caller may see the entry is there (its enrolment) but not read its contents (`forbidden`)"),
        ReadErrors
    )
)]
#[get("/portfolio-entries/{id}/files/{file_id}")]
pub async fn get_evidence_file(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    path: Path<(PortfolioEntryId, EvidenceFileId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, file_id) = path.into_inner();
    let file = state
        .db
        .run_as(caller, move |conn, caller| {
            let (_, file) = allowed::evidence_file::<entry::Read>(conn, &caller, id, file_id, false)?;
            Ok(file)
        })
        .await?;
    crate::files::attachment(&state.files, &req, &file.sha256, &file.filename, file.kind()?).await
}

/// Removes a file from a draft or returned entry (the bytes stay while another entry holds them).
#[utoipa::path(
    operation_id = "delete_evidence_file",
    tag = "portfolio",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Portfolio entry id"), ("file_id" = Uuid, Path, description = "Evidence file id")),
    responses((status = 204), WriteErrors)
)]
#[delete("/portfolio-entries/{id}/files/{file_id}")]
pub async fn delete_evidence_file(
    state: State,
    caller: Bearer,
    path: Path<(PortfolioEntryId, EvidenceFileId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, file_id) = path.into_inner();
    let clock = state.clock;
    let _guard = state.files.lock.lock().await;
    let gone = state
        .db
        .tx_as(caller, move |conn, caller| {
            let (e, file) = allowed::evidence_file::<entry::Edit>(conn, &caller, id, file_id, true)?;
            let st = e.row.state()?;
            if !st.editable() {
                return Err(ApiError::conflict(
                    "entry_locked",
                    format!("this entry is {st}: withdraw it to change its files"),
                ));
            }
            portfolio::delete_file(conn, &e, &file, clock.now())
        })
        .await?;
    if let Some(sha) = gone {
        state.files.remove(&sha);
    }
    Ok(HttpResponse::NoContent().finish())
}
