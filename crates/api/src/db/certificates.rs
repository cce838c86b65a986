//! Certificates: awarded with the enrolment's move to `certified` in one transaction, revoked by
//! their certifier, and read back for the public page, the credential and the status list.
//! Reached through [`crate::db::allowed::new_certificate`] and [`crate::db::allowed::certificate`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_domain::assessment::CertificateStatus;
use trellis_domain::enrolment::{EnrolmentState, TransitionKind};
use trellis_domain::webhook::EventType;
use trellis_wire as wire;

use crate::db::DbConn;
use crate::db::allowed::{Allowed, LoadedCertificate, LoadedEnrolment, certificate};
use crate::db::facts::uuid;
use crate::db::portfolio::EntryRow;
use crate::db::schema::{certificate_evidence, certificates, enrolments, portfolio_entries};
use crate::error::ApiError;
use crate::paging::new_id;

/// Bits in each issuer's revocation list: the Bitstring Status List minimum (16 KiB), so the
/// list's population hides in a large set.
pub const STATUS_LIST_BITS: usize = 131_072;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct CertRow {
    pub id: String,
    pub code: String,
    pub enrolment_id: String,
    pub holder_name: String,
    pub programme_name: String,
    pub issuer_id: String,
    pub issuer_name: String,
    pub issued_on: NaiveDate,
    pub issued_by: String,
    pub status_index: i32,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub revocation_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl CertRow {
    pub fn status(&self) -> CertificateStatus {
        if self.revoked_at.is_some() { CertificateStatus::Revoked } else { CertificateStatus::Valid }
    }

    pub fn public(&self) -> wire::PublicCertificate {
        wire::PublicCertificate {
            code: self.code.clone(),
            holder_name: self.holder_name.clone(),
            programme_name: self.programme_name.clone(),
            issuer_name: self.issuer_name.clone(),
            issued_on: self.issued_on,
            status: self.status(),
            revoked_on: self.revoked_at.map(|t| t.date()),
        }
    }
}

pub(in crate::db) fn row(conn: &mut DbConn, id: &str) -> Result<Option<CertRow>, ApiError> {
    Ok(certificates::table.find(id).select(CertRow::as_select()).first(conn).optional()?)
}

pub(in crate::db) fn of_enrolment(conn: &mut DbConn, enrolment: &str) -> Result<Option<CertRow>, ApiError> {
    Ok(certificates::table
        .filter(certificates::enrolment_id.eq(enrolment))
        .select(CertRow::as_select())
        .first(conn)
        .optional()?)
}

/// The certificate with this code: public, by design (the code is the holder's to share).
pub fn by_code(conn: &mut DbConn, code: &str) -> Result<Option<CertRow>, ApiError> {
    Ok(certificates::table.filter(certificates::code.eq(code)).select(CertRow::as_select()).first(conn).optional()?)
}

/// The entries a certificate shares, in the order they were chosen.
pub fn shared_ids(conn: &mut DbConn, cert: &str) -> Result<Vec<String>, ApiError> {
    Ok(certificate_evidence::table
        .filter(certificate_evidence::certificate_id.eq(cert))
        .order(certificate_evidence::entry_id)
        .select(certificate_evidence::entry_id)
        .load(conn)?)
}

/// A shared entry, while it is still shared and verified: public through the certificate's code.
pub fn shared_entry(conn: &mut DbConn, cert: &CertRow, entry: &str) -> Result<Option<EntryRow>, ApiError> {
    Ok(portfolio_entries::table
        .inner_join(
            certificate_evidence::table.on(certificate_evidence::entry_id
                .eq(portfolio_entries::id)
                .and(certificate_evidence::certificate_id.eq(&cert.id))),
        )
        .filter(portfolio_entries::id.eq(entry))
        .filter(portfolio_entries::enrolment_id.eq(&cert.enrolment_id))
        .filter(portfolio_entries::state.eq("verified"))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()?)
}

/// The verified entries, of those shared, with their titles (for the credential's evidence).
pub fn shared_entries(conn: &mut DbConn, cert: &CertRow) -> Result<Vec<EntryRow>, ApiError> {
    Ok(portfolio_entries::table
        .inner_join(
            certificate_evidence::table.on(certificate_evidence::entry_id
                .eq(portfolio_entries::id)
                .and(certificate_evidence::certificate_id.eq(&cert.id))),
        )
        .filter(portfolio_entries::enrolment_id.eq(&cert.enrolment_id))
        .filter(portfolio_entries::state.eq("verified"))
        .order(portfolio_entries::id)
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// Indices of an issuer's revoked certificates.
pub fn revoked_indices(conn: &mut DbConn, issuer: &str) -> Result<Vec<i32>, ApiError> {
    Ok(certificates::table
        .filter(certificates::issuer_id.eq(issuer))
        .filter(certificates::revoked_at.is_not_null())
        .select(certificates::status_index)
        .load(conn)?)
}

fn index_taken(conn: &mut DbConn, issuer: &str, index: i32) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        certificates::table.filter(certificates::issuer_id.eq(issuer)).filter(certificates::status_index.eq(index)),
    ))
    .get_result(conn)?)
}

fn code_taken(conn: &mut DbConn, code: &str) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(certificates::table.filter(certificates::code.eq(code)))).get_result(conn)?)
}

/// What a new certificate records: its names as they stand on the day it is awarded.
pub struct Award<'a> {
    pub holder_name: &'a str,
    pub programme_name: &'a str,
    pub issuer_id: &'a str,
    pub issuer_name: &'a str,
    pub issued_by: &'a str,
    pub actor: &'a str,
}

/// Moves the enrolment from `before` to certified (only while it still is `before`) and makes its
/// certificate, with a fresh code and a random free place in the issuer's status list. `None`
/// when another request moved the enrolment first.
pub fn award(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, certificate::Award>,
    before: &EnrolmentState,
    after: &EnrolmentState,
    a: &Award<'_>,
    now: NaiveDateTime,
) -> Result<Option<String>, ApiError> {
    let moved =
        diesel::update(enrolments::table.find(&target.row.id).filter(enrolments::status.eq(before.status.as_str())))
            .set((enrolments::status.eq(after.status.as_str()), enrolments::updated_at.eq(now)))
            .execute(conn)?;
    if moved != 1 {
        return Ok(None);
    }
    let event = crate::db::enrolments::MoveEvent {
        transition: TransitionKind::Certify,
        before,
        after,
        actor: a.actor,
        note: None,
    };
    crate::db::enrolments::record_event_unchecked(conn, &target.row.id, &event, now)?;
    award_unchecked(conn, &target.row.id, a, now.date(), now).map(Some)
}

/// The seed's twin of [`award`]: an active enrolment completed and certified (both moves
/// recorded), awarded on `issued_on`.
pub(crate) fn certify_unchecked(
    conn: &mut DbConn,
    enrolment: &str,
    a: &Award<'_>,
    issued_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    use trellis_domain::EnrolmentStatus as S;
    let state = |status| EnrolmentState { status, deferred_from: None };
    for (t, from, to) in
        [(TransitionKind::Complete, S::Active, S::Completed), (TransitionKind::Certify, S::Completed, S::Certified)]
    {
        let event = crate::db::enrolments::MoveEvent {
            transition: t,
            before: &state(from),
            after: &state(to),
            actor: a.actor,
            note: None,
        };
        crate::db::enrolments::record_event_unchecked(conn, enrolment, &event, now)?;
    }
    diesel::update(enrolments::table.find(enrolment))
        .set((enrolments::status.eq(S::Certified.as_str()), enrolments::updated_at.eq(now)))
        .execute(conn)?;
    award_unchecked(conn, enrolment, a, issued_on, now)
}

pub(crate) fn award_unchecked(
    conn: &mut DbConn,
    enrolment: &str,
    a: &Award<'_>,
    issued_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let code = loop {
        let code = trellis_domain::assessment::certificate_code(rand::random::<u64>());
        if !code_taken(conn, &code)? {
            break code;
        }
    };
    let index = loop {
        let index = rand::random_range(0..STATUS_LIST_BITS as i32);
        if !index_taken(conn, a.issuer_id, index)? {
            break index;
        }
    };
    let id = new_id();
    diesel::insert_into(certificates::table)
        .values((
            certificates::id.eq(&id),
            certificates::code.eq(&code),
            certificates::enrolment_id.eq(enrolment),
            certificates::holder_name.eq(a.holder_name),
            certificates::programme_name.eq(a.programme_name),
            certificates::issuer_id.eq(a.issuer_id),
            certificates::issuer_name.eq(a.issuer_name),
            certificates::issued_on.eq(issued_on),
            certificates::issued_by.eq(a.issued_by),
            certificates::status_index.eq(index),
            certificates::created_at.eq(now),
            certificates::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::db::webhooks::certificate_changed(conn, EventType::CertificateIssued, &id, enrolment, &code, now)?;
    Ok(id)
}

/// Revokes it, once: `false` when it already was.
pub fn revoke(
    conn: &mut DbConn,
    c: &Allowed<LoadedCertificate, certificate::Award>,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let n = diesel::update(certificates::table.find(&c.row.id).filter(certificates::revoked_at.is_null()))
        .set((
            certificates::revoked_at.eq(now),
            certificates::revoked_by.eq(by),
            certificates::revocation_reason.eq(reason),
            certificates::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        let (event, code) = (EventType::CertificateRevoked, &c.row.code);
        crate::db::webhooks::certificate_changed(conn, event, &c.row.id, &c.row.enrolment_id, code, now)?;
    }
    Ok(n == 1)
}

/// Replaces the shared entries with `ids` (already checked to be the holder's verified entries).
pub fn share(
    conn: &mut DbConn,
    c: &Allowed<LoadedCertificate, certificate::Share>,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    share_unchecked(conn, &c.row.id, ids, now)
}

pub(crate) fn share_unchecked(
    conn: &mut DbConn,
    cert: &str,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::delete(certificate_evidence::table.filter(certificate_evidence::certificate_id.eq(cert))).execute(conn)?;
    for e in ids {
        diesel::insert_into(certificate_evidence::table)
            .values((certificate_evidence::certificate_id.eq(cert), certificate_evidence::entry_id.eq(e)))
            .execute(conn)?;
    }
    diesel::update(certificates::table.find(cert)).set(certificates::updated_at.eq(now)).execute(conn)?;
    Ok(())
}

/// Of `ids`, those that are not verified entries of this enrolment.
pub fn not_verified_of(conn: &mut DbConn, enrolment: &str, ids: &[String]) -> Result<Vec<String>, ApiError> {
    let found: Vec<String> = portfolio_entries::table
        .filter(portfolio_entries::enrolment_id.eq(enrolment))
        .filter(portfolio_entries::state.eq("verified"))
        .filter(portfolio_entries::id.eq_any(ids))
        .select(portfolio_entries::id)
        .load(conn)?;
    Ok(ids.iter().filter(|i| !found.contains(i)).cloned().collect())
}

/// The wire form for a caller the loader admitted.
pub fn view<A>(
    conn: &mut DbConn,
    c: &Allowed<LoadedCertificate, A>,
    origin: &str,
    revocable: bool,
) -> Result<wire::Certificate, ApiError> {
    let r = &c.row;
    Ok(wire::Certificate {
        id: uuid(&r.id)?,
        code: r.code.clone(),
        enrolment_id: uuid(&r.enrolment_id)?,
        holder_name: r.holder_name.clone(),
        programme_name: r.programme_name.clone(),
        issuer_id: uuid(&r.issuer_id)?,
        issuer_name: r.issuer_name.clone(),
        issued_on: r.issued_on,
        status: r.status(),
        revoked_on: r.revoked_at.map(|t| t.date()),
        revocation_reason: r.revocation_reason.clone(),
        verify_url: format!("{origin}/verify/{}", r.code),
        shared_entry_ids: shared_ids(conn, &r.id)?.iter().map(|s| uuid(s)).collect::<Result<_, _>>()?,
        revocable: revocable && r.revoked_at.is_none(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// The organisation that awards this enrolment's certificate, with its name: the participant's
/// trust when the programme is certified by the trust (409 `no_trust` for a school outside any
/// trust), else the programme's provider.
pub fn issuer_of(
    conn: &mut DbConn,
    target: &Allowed<LoadedEnrolment, certificate::Award>,
    programme: &crate::db::models::ProgrammeRow,
) -> Result<(String, String), ApiError> {
    use crate::db::schema::organisations;
    use trellis_domain::rules::definition::Certifier;
    let id =
        match programme.definition()?.certification.by {
            Certifier::Trust => target.facts.school.trust_id.map(|t| t.to_string()).ok_or_else(|| {
                ApiError::conflict("no_trust", "the participant's school is in no trust to certify it")
            })?,
            Certifier::Provider => programme.provider_id.clone(),
        };
    let name: String = organisations::table.find(&id).select(organisations::name).first(conn)?;
    Ok((id, name))
}
