//! Portfolio entries, their history and their evidence files. Reached only through
//! [`crate::db::allowed::entry`] and its kin; an entry's contents leave this module only for a
//! caller `authorize(Read, PortfolioEntry)` admits.

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::London;
use diesel::prelude::*;
use trellis_domain::authz::{Action, Resource, permitted_entry_moves};
use trellis_domain::portfolio::{EntryMove, EntryState};
use trellis_domain::rules::definition::PortfolioEntryKind;
use trellis_domain::rules::progress::PortfolioFact;
use trellis_wire as wire;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::db::allowed::enrolment::OwnWork;
use crate::db::allowed::entry::Edit;
use crate::db::allowed::{Allowed, LoadedEnrolment, LoadedEntry};
use crate::db::facts::uuid;
use crate::db::schema::{
    cohort_facilitators, cohorts, enrolments, evidence_files, portfolio_entries, portfolio_events, programmes,
    sessions, users,
};
use crate::error::ApiError;
use crate::paging::new_id;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = portfolio_entries)]
pub struct EntryRow {
    pub id: String,
    pub enrolment_id: String,
    pub kind: String,
    pub state: String,
    pub title: String,
    pub body: String,
    pub words: i64,
    pub session_id: Option<String>,
    pub poster: Option<String>,
    pub shared: bool,
    pub submitted_at: Option<NaiveDateTime>,
    pub verified_at: Option<NaiveDateTime>,
    pub verified_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EntryRow {
    pub fn state(&self) -> Result<EntryState, ApiError> {
        self.state.parse().map_err(ApiError::internal)
    }

    pub fn kind(&self) -> Result<PortfolioEntryKind, ApiError> {
        self.kind.parse().map_err(ApiError::internal)
    }

    pub fn poster(&self) -> Result<Option<wire::Poster>, ApiError> {
        self.poster.as_deref().map(serde_json::from_str).transpose().map_err(ApiError::internal)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evidence_files)]
pub struct FileRow {
    pub id: String,
    pub entry_id: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub kind: String,
    pub filename: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

impl FileRow {
    pub fn kind(&self) -> Result<trellis_domain::portfolio::FileKind, ApiError> {
        self.kind.parse().map_err(ApiError::internal)
    }

    pub fn to_wire(&self) -> Result<wire::EvidenceFile, ApiError> {
        let kind = self.kind()?;
        Ok(wire::EvidenceFile {
            id: uuid(&self.id)?,
            entry_id: uuid(&self.entry_id)?,
            filename: self.filename.clone(),
            kind,
            media_type: kind.media_type().to_owned(),
            size_bytes: self.size_bytes.max(0) as u64,
            sha256: self.sha256.clone(),
            created_at: self.created_at.and_utc(),
        })
    }
}

pub(in crate::db) fn row(conn: &mut DbConn, id: Uuid) -> Result<Option<EntryRow>, ApiError> {
    Ok(portfolio_entries::table.find(id.to_string()).select(EntryRow::as_select()).first(conn).optional()?)
}

/// The entry, locked for the rest of the transaction on PostgreSQL (SQLite's writer holds the
/// database), so two moves on one entry cannot interleave.
pub(in crate::db) fn row_for_update(conn: &mut DbConn, id: Uuid) -> Result<Option<EntryRow>, ApiError> {
    let q = portfolio_entries::table.find(id.to_string());
    Ok(match conn {
        DbConn::Pg(pg) => q.select(EntryRow::as_select()).for_no_key_update().first(pg).optional()?,
        other => q.select(EntryRow::as_select()).first(other).optional()?,
    })
}

pub(in crate::db) fn rows_of_enrolment(conn: &mut DbConn, enrolment: &str) -> Result<Vec<EntryRow>, ApiError> {
    Ok(portfolio_entries::table
        .filter(portfolio_entries::enrolment_id.eq(enrolment))
        .order(portfolio_entries::id)
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// Entries waiting for verification that this person may verify: as the enrolment's coach, or as
/// a facilitator of its cohort (by name, or for the cohort's provider). A pre-filter in SQL;
/// [`crate::db::allowed::verification_queue`] decides each with `authorize`.
pub(in crate::db) fn queue_candidates(
    conn: &mut DbConn,
    person: Option<String>,
    provider: Option<String>,
) -> Result<Vec<EntryRow>, ApiError> {
    let facilitated: Vec<String> = match &person {
        Some(p) => cohort_facilitators::table
            .filter(cohort_facilitators::person_id.eq(p))
            .select(cohort_facilitators::cohort_id)
            .load(conn)?,
        None => vec![],
    };
    let provided: Vec<String> = match &provider {
        Some(o) => cohorts::table
            .inner_join(programmes::table)
            .filter(programmes::provider_id.eq(o))
            .select(cohorts::id)
            .load(conn)?,
        None => vec![],
    };
    let coach = person.unwrap_or_default();
    Ok(portfolio_entries::table
        .inner_join(enrolments::table)
        .filter(portfolio_entries::state.eq(EntryState::Submitted.as_str()))
        .filter(
            enrolments::coach_person_id
                .eq(coach)
                .or(enrolments::cohort_id.eq_any(facilitated))
                .or(enrolments::cohort_id.eq_any(provided)),
        )
        .order((portfolio_entries::submitted_at, portfolio_entries::id))
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// A cohort's handed-in impact posters.
pub(in crate::db) fn poster_rows(conn: &mut DbConn, cohort: &str) -> Result<Vec<EntryRow>, ApiError> {
    Ok(portfolio_entries::table
        .inner_join(enrolments::table)
        .filter(enrolments::cohort_id.eq(cohort))
        .filter(portfolio_entries::kind.eq(PortfolioEntryKind::ImpactPoster.as_str()))
        .filter(portfolio_entries::state.eq_any([EntryState::Submitted.as_str(), EntryState::Verified.as_str()]))
        .order(portfolio_entries::id)
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// An entry's contents as a request gives them, checked.
pub struct EntryFields<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub words: i64,
    pub session_id: Option<Uuid>,
    pub poster: Option<String>,
    pub shared: bool,
}

pub fn insert(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, OwnWork>,
    kind: PortfolioEntryKind,
    f: &EntryFields,
    now: NaiveDateTime,
) -> Result<Uuid, ApiError> {
    let row = EntryRow {
        id: new_id(),
        enrolment_id: target.id.to_string(),
        kind: kind.as_str().to_owned(),
        state: EntryState::Draft.as_str().to_owned(),
        title: f.title.to_owned(),
        body: f.body.to_owned(),
        words: f.words,
        session_id: f.session_id.map(|s| s.to_string()),
        poster: f.poster.clone(),
        shared: f.shared,
        submitted_at: None,
        verified_at: None,
        verified_by: None,
        created_at: now,
        updated_at: now,
    };
    insert_unchecked(conn, &row)?;
    uuid(&row.id)
}

/// [`insert`] without the check, in any state (the demo seed).
pub(crate) fn insert_unchecked(conn: &mut DbConn, row: &EntryRow) -> Result<(), ApiError> {
    diesel::insert_into(portfolio_entries::table)
        .values((
            portfolio_entries::id.eq(&row.id),
            portfolio_entries::enrolment_id.eq(&row.enrolment_id),
            portfolio_entries::kind.eq(&row.kind),
            portfolio_entries::state.eq(&row.state),
            portfolio_entries::title.eq(&row.title),
            portfolio_entries::body.eq(&row.body),
            portfolio_entries::words.eq(row.words),
            portfolio_entries::session_id.eq(&row.session_id),
            portfolio_entries::poster.eq(&row.poster),
            portfolio_entries::shared.eq(row.shared),
            portfolio_entries::submitted_at.eq(row.submitted_at),
            portfolio_entries::verified_at.eq(row.verified_at),
            portfolio_entries::verified_by.eq(&row.verified_by),
            portfolio_entries::created_at.eq(row.created_at),
            portfolio_entries::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn update(
    conn: &mut DbConn,
    e: &Allowed<LoadedEntry, Edit>,
    f: &EntryFields,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(portfolio_entries::table.find(&e.row.id))
        .set((
            portfolio_entries::title.eq(f.title),
            portfolio_entries::body.eq(f.body),
            portfolio_entries::words.eq(f.words),
            portfolio_entries::session_id.eq(f.session_id.map(|s| s.to_string())),
            portfolio_entries::poster.eq(&f.poster),
            portfolio_entries::shared.eq(f.shared),
            portfolio_entries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the entry and its files' rows; returns the SHA-256s that no longer have a row here, for
/// the store to remove once the transaction has committed.
pub fn delete(conn: &mut DbConn, e: &Allowed<LoadedEntry, Edit>) -> Result<Vec<String>, ApiError> {
    let shas: Vec<String> = evidence_files::table
        .filter(evidence_files::entry_id.eq(&e.row.id))
        .select(evidence_files::sha256)
        .load(conn)?;
    diesel::delete(evidence_files::table.filter(evidence_files::entry_id.eq(&e.row.id))).execute(conn)?;
    diesel::delete(portfolio_entries::table.find(&e.row.id)).execute(conn)?;
    unreferenced(conn, shas)
}

/// Of these SHA-256s, those no file row references (a portfolio's, a submission's, an expectations rating's).
pub fn unreferenced(conn: &mut DbConn, mut shas: Vec<String>) -> Result<Vec<String>, ApiError> {
    shas.sort();
    shas.dedup();
    let still: Vec<String> =
        evidence_files::table.filter(evidence_files::sha256.eq_any(&shas)).select(evidence_files::sha256).load(conn)?;
    // A submission keeps its own copy of each supporting document's row, and so its bytes.
    let held: Vec<String> = crate::db::schema::assessment_documents::table
        .filter(crate::db::schema::assessment_documents::sha256.eq_any(&shas))
        .select(crate::db::schema::assessment_documents::sha256)
        .load(conn)?;
    // Trust expectations' evidence files share the store.
    let rated = crate::db::expectations::holds(conn, &shas)?;
    Ok(shas.into_iter().filter(|s| !still.contains(s) && !held.contains(s) && !rated.contains(s)).collect())
}

/// Whether any file row references these bytes (a portfolio's, a submission's, an expectations rating's).
pub fn referenced(conn: &mut DbConn, sha: &str) -> Result<bool, ApiError> {
    use crate::db::schema::assessment_documents;
    let n: i64 = evidence_files::table.filter(evidence_files::sha256.eq(sha)).count().get_result(conn)?;
    // A submission keeps its own copy of each supporting document's row, and so its bytes.
    let held: i64 =
        assessment_documents::table.filter(assessment_documents::sha256.eq(sha)).count().get_result(conn)?;
    Ok(n > 0 || held > 0 || !crate::db::expectations::holds(conn, &[sha.to_owned()])?.is_empty())
}

/// Moves the entry from the state it was loaded in (a conditional update: a concurrent move makes
/// this one a 409) and records the move with its comment.
#[allow(clippy::too_many_arguments)]
pub fn apply_move<A>(
    conn: &mut DbConn,
    e: &Allowed<LoadedEntry, A>,
    action: EntryMove,
    to: EntryState,
    user: Uuid,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let target = portfolio_entries::table.find(&e.row.id).filter(portfolio_entries::state.eq(&e.row.state));
    let n = match action {
        EntryMove::Submit => diesel::update(target)
            .set((
                portfolio_entries::state.eq(to.as_str()),
                portfolio_entries::submitted_at.eq(Some(now)),
                portfolio_entries::updated_at.eq(now),
            ))
            .execute(conn)?,
        EntryMove::Verify => diesel::update(target)
            .set((
                portfolio_entries::state.eq(to.as_str()),
                portfolio_entries::verified_at.eq(Some(now)),
                portfolio_entries::verified_by.eq(Some(user.to_string())),
                portfolio_entries::updated_at.eq(now),
            ))
            .execute(conn)?,
        // Withdrawing (and returning) clears any verification.
        EntryMove::Withdraw | EntryMove::Return => diesel::update(target)
            .set((
                portfolio_entries::state.eq(to.as_str()),
                portfolio_entries::verified_at.eq(None::<NaiveDateTime>),
                portfolio_entries::verified_by.eq(None::<String>),
                portfolio_entries::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    if n != 1 {
        return Err(ApiError::conflict("entry_changed", "the entry changed while this was being done; reload it"));
    }
    record_event_unchecked(conn, &e.row.id, action, comment, &user.to_string(), now)?;
    diesel::update(enrolments::table.find(&e.row.enrolment_id)).set(enrolments::updated_at.eq(now)).execute(conn)?;
    Ok(())
}

/// Records a move in the entry's history.
pub(crate) fn record_event_unchecked(
    conn: &mut DbConn,
    entry: &str,
    action: EntryMove,
    comment: Option<&str>,
    user: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(portfolio_events::table)
        .values((
            portfolio_events::id.eq(new_id()),
            portfolio_events::entry_id.eq(entry),
            portfolio_events::action.eq(action.as_str()),
            portfolio_events::comment.eq(comment),
            portfolio_events::by_user_id.eq(user),
            portfolio_events::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The enrolment's status, its row locked on PostgreSQL for the rest of the transaction (a move
/// and a withdrawal of the enrolment cannot interleave).
pub fn enrolment_status_for_update<A>(
    conn: &mut DbConn,
    e: &Allowed<LoadedEntry, A>,
) -> Result<trellis_domain::EnrolmentStatus, ApiError> {
    let q = enrolments::table.find(&e.row.enrolment_id).select(enrolments::status);
    let status: String = match conn {
        DbConn::Pg(pg) => q.for_no_key_update().first(pg)?,
        other => q.first(other)?,
    };
    status.parse().map_err(ApiError::internal)
}

/// The session a reflection names, if it is one of the enrolment's cohort's sessions that the
/// participant attended (present or late) and that was not cancelled: (kind).
pub fn attended_session(
    conn: &mut DbConn,
    enrolment: &str,
    cohort: &str,
    session: Uuid,
) -> Result<Option<String>, ApiError> {
    use crate::db::schema::attendance;
    use trellis_domain::delivery::AttendanceStatus;
    Ok(sessions::table
        .inner_join(attendance::table)
        .filter(sessions::id.eq(session.to_string()))
        .filter(sessions::cohort_id.eq(cohort))
        .filter(sessions::cancelled_at.is_null())
        .filter(attendance::enrolment_id.eq(enrolment))
        .filter(attendance::status.eq_any([AttendanceStatus::Present.as_str(), AttendanceStatus::Late.as_str()]))
        .select(sessions::kind)
        .first(conn)
        .optional()?)
}

pub fn files_of(conn: &mut DbConn, entry_ids: &[&str]) -> Result<Vec<FileRow>, ApiError> {
    Ok(evidence_files::table
        .filter(evidence_files::entry_id.eq_any(entry_ids))
        .order(evidence_files::id)
        .select(FileRow::as_select())
        .load(conn)?)
}

pub(in crate::db) fn file_row(conn: &mut DbConn, entry: &str, id: Uuid) -> Result<Option<FileRow>, ApiError> {
    Ok(evidence_files::table
        .find(id.to_string())
        .filter(evidence_files::entry_id.eq(entry))
        .select(FileRow::as_select())
        .first(conn)
        .optional()?)
}

/// A stored file, as the store describes it.
pub struct StoredFile<'a> {
    pub sha256: &'a str,
    pub size: u64,
    pub kind: trellis_domain::portfolio::FileKind,
    pub filename: &'a str,
}

pub fn insert_file(
    conn: &mut DbConn,
    e: &Allowed<LoadedEntry, Edit>,
    user: Uuid,
    f: &StoredFile,
    now: NaiveDateTime,
) -> Result<FileRow, ApiError> {
    let row = FileRow {
        id: new_id(),
        entry_id: e.row.id.clone(),
        sha256: f.sha256.to_owned(),
        size_bytes: f.size.min(i64::MAX as u64) as i64,
        kind: f.kind.as_str().to_owned(),
        filename: f.filename.to_owned(),
        uploaded_by: user.to_string(),
        created_at: now,
    };
    diesel::insert_into(evidence_files::table)
        .values((
            evidence_files::id.eq(&row.id),
            evidence_files::entry_id.eq(&row.entry_id),
            evidence_files::sha256.eq(&row.sha256),
            evidence_files::size_bytes.eq(row.size_bytes),
            evidence_files::kind.eq(&row.kind),
            evidence_files::filename.eq(&row.filename),
            evidence_files::uploaded_by.eq(&row.uploaded_by),
            evidence_files::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(portfolio_entries::table.find(&e.row.id))
        .set(portfolio_entries::updated_at.eq(now))
        .execute(conn)?;
    Ok(row)
}

pub fn count_files(conn: &mut DbConn, entry: &str) -> Result<usize, ApiError> {
    let n: i64 = evidence_files::table.filter(evidence_files::entry_id.eq(entry)).count().get_result(conn)?;
    Ok(n as usize)
}

/// Removes one file from the entry; returns its SHA-256 if nothing else references the bytes.
pub fn delete_file(
    conn: &mut DbConn,
    e: &Allowed<LoadedEntry, Edit>,
    file: &FileRow,
    now: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    diesel::delete(evidence_files::table.find(&file.id).filter(evidence_files::entry_id.eq(&e.row.id)))
        .execute(conn)?;
    diesel::update(portfolio_entries::table.find(&e.row.id))
        .set(portfolio_entries::updated_at.eq(now))
        .execute(conn)?;
    Ok(unreferenced(conn, vec![file.sha256.clone()])?.pop())
}

/// The entry as the caller sees it: its contents only if they may read them, and the moves they
/// may make now.
pub fn view<A>(
    conn: &mut DbConn,
    caller: &Caller,
    e: &Allowed<LoadedEntry, A>,
) -> Result<wire::PortfolioEntry, ApiError> {
    let mut out = views(conn, caller, std::slice::from_ref(e))?;
    out.pop().ok_or_else(|| ApiError::internal("an entry vanished"))
}

/// Entries as the caller sees them, in a fixed number of queries however many.
pub fn views<A>(
    conn: &mut DbConn,
    caller: &Caller,
    entries: &[Allowed<LoadedEntry, A>],
) -> Result<Vec<wire::PortfolioEntry>, ApiError> {
    let readable: Vec<&Allowed<LoadedEntry, A>> = entries
        .iter()
        .filter(|e| {
            trellis_domain::authorize(&caller.principal, Action::Read, &Resource::PortfolioEntry(e.facts.clone()))
                .is_ok()
        })
        .collect();
    let ids: Vec<&str> = readable.iter().map(|e| e.row.id.as_str()).collect();
    let files = files_of(conn, &ids)?;
    let events: Vec<(String, String, Option<String>, String, NaiveDateTime)> = portfolio_events::table
        .inner_join(users::table)
        .filter(portfolio_events::entry_id.eq_any(&ids))
        .order((portfolio_events::at, portfolio_events::id))
        .select((
            portfolio_events::entry_id,
            portfolio_events::action,
            portfolio_events::comment,
            users::display_name,
            portfolio_events::at,
        ))
        .load(conn)?;
    let session_ids: Vec<String> = readable.iter().filter_map(|e| e.row.session_id.clone()).collect();
    let sessions: Vec<(String, String, String, NaiveDateTime, Option<String>)> = sessions::table
        .filter(sessions::id.eq_any(&session_ids))
        .select((sessions::id, sessions::title, sessions::kind, sessions::starts_at, sessions::led_by_enrolment_id))
        .load(conn)?;
    let mut out = vec![];
    for e in entries {
        let state = e.row.state()?;
        let content = if readable.iter().any(|r| r.row.id == e.row.id) {
            let session = match &e.row.session_id {
                Some(sid) => sessions
                    .iter()
                    .find(|s| &s.0 == sid)
                    .map(|s| {
                        Ok::<_, ApiError>(wire::ReflectedSession {
                            id: uuid(&s.0)?,
                            title: s.1.clone(),
                            kind: s.2.parse().map_err(ApiError::internal)?,
                            starts_at: s.3.and_utc(),
                            led_by_participant: s.4.as_deref() == Some(e.row.enrolment_id.as_str()),
                        })
                    })
                    .transpose()?,
                None => None,
            };
            Some(wire::EntryContent {
                title: e.row.title.clone(),
                body: e.row.body.clone(),
                words: e.row.words.clamp(0, u32::MAX as i64) as u32,
                session,
                poster: e.row.poster()?,
                shared: e.row.shared,
                files: files
                    .iter()
                    .filter(|f| f.entry_id == e.row.id)
                    .map(FileRow::to_wire)
                    .collect::<Result<_, _>>()?,
                history: events
                    .iter()
                    .filter(|x| x.0 == e.row.id)
                    .map(|x| {
                        Ok(wire::EntryEvent {
                            action: x.1.parse().map_err(ApiError::internal)?,
                            comment: x.2.clone(),
                            by: x.3.clone(),
                            at: x.4.and_utc(),
                        })
                    })
                    .collect::<Result<_, ApiError>>()?,
            })
        } else {
            None
        };
        let editable = state.editable()
            && trellis_domain::authorize(&caller.principal, Action::Update, &Resource::PortfolioEntry(e.facts.clone()))
                .is_ok();
        out.push(wire::PortfolioEntry {
            id: uuid(&e.row.id)?,
            enrolment_id: uuid(&e.row.enrolment_id)?,
            kind: e.row.kind()?,
            state,
            submitted_at: e.row.submitted_at.map(|t| t.and_utc()),
            verified_at: e.row.verified_at.map(|t| t.and_utc()),
            updated_at: e.row.updated_at.and_utc(),
            content,
            moves: permitted_entry_moves(&caller.principal, &e.facts),
            editable,
        });
    }
    Ok(out)
}

/// The rules engine's portfolio facts for these enrolments: their handed-in entries (submitted or
/// verified), a reflection with the kind of its session and whether the participant led it. One
/// query for any number of enrolments.
pub fn portfolio_facts(
    conn: &mut DbConn,
    enrolment_ids: &[String],
) -> Result<HashMap<String, Vec<PortfolioFact>>, ApiError> {
    let rows: Vec<(String, String, Option<String>, Option<String>)> = portfolio_entries::table
        .left_join(sessions::table)
        .filter(portfolio_entries::enrolment_id.eq_any(enrolment_ids))
        .filter(portfolio_entries::state.eq_any([EntryState::Submitted.as_str(), EntryState::Verified.as_str()]))
        .select((
            portfolio_entries::enrolment_id,
            portfolio_entries::kind,
            sessions::kind.nullable(),
            sessions::led_by_enrolment_id.nullable(),
        ))
        .load(conn)?;
    let mut out: HashMap<String, Vec<PortfolioFact>> = HashMap::new();
    for (enrolment, kind, session_kind, led_by) in rows {
        let fact = PortfolioFact {
            kind: kind.parse().map_err(ApiError::internal)?,
            on: session_kind.as_deref().map(str::parse).transpose().map_err(ApiError::internal)?,
            led_by_participant: led_by.as_deref() == Some(enrolment.as_str()),
        };
        out.entry(enrolment).or_default().push(fact);
    }
    Ok(out)
}

/// A reflected session's date in London, for messages.
pub fn london_date(t: NaiveDateTime) -> chrono::NaiveDate {
    London.from_utc_datetime(&t).date_naive()
}
