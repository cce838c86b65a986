//! Database rows and their mapping to wire types. Rows stay in the API crate; the wire types
//! are the public contract.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use trellis_wire as wire;

use crate::db::facts::{opt_uuid, uuid};
use crate::error::ApiError;

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    s.parse::<T>().map_err(ApiError::internal)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::organisations)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub term_calendar: Option<String>,
}

impl OrganisationRow {
    pub fn calendar(&self) -> Result<Option<wire::TermCalendar>, ApiError> {
        self.term_calendar.as_deref().map(|c| serde_json::from_str(c).map_err(ApiError::internal)).transpose()
    }

    pub fn to_wire(&self) -> Result<wire::Organisation, ApiError> {
        Ok(wire::Organisation {
            id: uuid(&self.id)?,
            name: self.name.clone(),
            kind: parse(&self.kind)?,
            term_calendar: self.calendar()?,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::hubs)]
pub struct HubRow {
    pub id: String,
    pub name: String,
    pub organisation_id: String,
    pub host_school_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl HubRow {
    pub fn to_wire(&self) -> Result<wire::Hub, ApiError> {
        Ok(wire::Hub {
            id: uuid(&self.id)?,
            name: self.name.clone(),
            organisation_id: uuid(&self.organisation_id)?,
            host_school_id: opt_uuid(self.host_school_id.as_deref())?,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::schools)]
pub struct SchoolRow {
    pub id: String,
    pub urn: String,
    pub name: String,
    pub phase: String,
    pub trust_id: Option<String>,
    pub hub_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl SchoolRow {
    pub fn to_wire(&self) -> Result<wire::School, ApiError> {
        Ok(wire::School {
            id: uuid(&self.id)?,
            urn: self.urn.clone(),
            name: self.name.clone(),
            phase: parse(&self.phase)?,
            trust_id: opt_uuid(self.trust_id.as_deref())?,
            hub_id: opt_uuid(self.hub_id.as_deref())?,
            latitude: self.latitude,
            longitude: self.longitude,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }

    pub fn facts(&self) -> Result<trellis_domain::authz::SchoolFacts, ApiError> {
        Ok(trellis_domain::authz::SchoolFacts { id: uuid(&self.id)?, trust_id: opt_uuid(self.trust_id.as_deref())? })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
// NULL, not DEFAULT, for a `None`: so a multi-row insert is one statement on SQLite too (which
// has no DEFAULT in VALUES, and diesel would otherwise insert row by row in a nested transaction).
#[diesel(table_name = crate::db::schema::people, treat_none_as_default_value = false)]
pub struct PersonRow {
    pub id: String,
    /// The school of a member of staff or a governor; `None` for a provider's person.
    pub school_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub staff_role: String,
    pub mis_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Set when a roster sync said they left (OneRoster `tobedeleted`); the row and its history stay.
    pub left_on: Option<NaiveDate>,
    /// The provider a coach, facilitator or assessor works for, when they belong to no school.
    pub organisation_id: Option<String>,
}

impl PersonRow {
    /// `school_fed`: whether a roster client feeds the person's school.
    pub fn to_wire(&self, has_account: bool, school_fed: bool) -> Result<wire::Person, ApiError> {
        Ok(wire::Person {
            has_account,
            mis_managed: school_fed && self.mis_id.is_some(),
            id: uuid(&self.id)?,
            // Only a school's people are read through the wire (school lists and people's pages).
            school_id: uuid(self.school_id.as_deref().ok_or_else(|| ApiError::internal("a provider's person"))?)?,
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            email: self.email.clone(),
            staff_role: parse(&self.staff_role)?,
            mis_id: self.mis_id.clone(),
            left_on: self.left_on,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::programmes)]
pub struct ProgrammeRow {
    pub id: String,
    pub name: String,
    pub provider_id: String,
    pub definition: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub preset_key: Option<String>,
}

impl ProgrammeRow {
    pub fn definition(&self) -> Result<wire::Definition, ApiError> {
        serde_json::from_str(&self.definition).map_err(ApiError::internal)
    }

    pub fn to_wire(&self) -> Result<wire::Programme, ApiError> {
        Ok(wire::Programme {
            id: uuid(&self.id)?,
            name: self.name.clone(),
            provider_id: uuid(&self.provider_id)?,
            preset_key: self.preset_key.clone(),
            definition: self.definition()?,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::cohorts)]
pub struct CohortRow {
    pub id: String,
    pub programme_id: String,
    pub name: String,
    pub induction_date: NaiveDate,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub hub_id: Option<String>,
    pub host_school_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl CohortRow {
    pub fn to_wire(&self, facilitator_ids: Vec<trellis_domain::ids::PersonId>) -> Result<wire::Cohort, ApiError> {
        let facilitator_ids = facilitator_ids.into_iter().map(Into::into).collect();
        Ok(wire::Cohort {
            id: uuid(&self.id)?,
            programme_id: uuid(&self.programme_id)?,
            name: self.name.clone(),
            induction_date: self.induction_date,
            start_date: self.start_date,
            end_date: self.end_date,
            hub_id: opt_uuid(self.hub_id.as_deref())?,
            host_school_id: opt_uuid(self.host_school_id.as_deref())?,
            facilitator_ids,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crate::db::schema::enrolments, treat_none_as_null = true)]
pub struct EnrolmentRow {
    pub id: String,
    pub cohort_id: String,
    pub person_id: String,
    pub status: String,
    pub deferred_from: Option<String>,
    pub withdrawal_reason: Option<String>,
    pub withdrawal_details: Option<String>,
    pub coach_person_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub coach_statement: Option<String>,
    /// Set when a roster sync said the participant left their school while this was open.
    pub left_school_on: Option<NaiveDate>,
}

impl EnrolmentRow {
    pub fn state(&self) -> Result<trellis_domain::enrolment::EnrolmentState, ApiError> {
        Ok(trellis_domain::enrolment::EnrolmentState {
            status: parse(&self.status)?,
            deferred_from: self.deferred_from.as_deref().map(parse).transpose()?,
        })
    }

    /// `person` is (given name, family name, school id, school name); `actions` the moves the
    /// caller may make (see [`trellis_domain::authz::permitted_transitions`]).
    pub fn to_wire(
        &self,
        person: &(String, String, String, String),
        actions: Vec<trellis_domain::enrolment::TransitionKind>,
    ) -> Result<wire::Enrolment, ApiError> {
        let state = self.state()?;
        let withdrawal_reason = match &self.withdrawal_reason {
            Some(kind) => Some(wire::WithdrawalReason { kind: parse(kind)?, details: self.withdrawal_details.clone() }),
            None => None,
        };
        Ok(wire::Enrolment {
            id: uuid(&self.id)?,
            cohort_id: uuid(&self.cohort_id)?,
            person_id: uuid(&self.person_id)?,
            person_name: format!("{} {}", person.0, person.1),
            school_id: uuid(&person.2)?,
            school_name: person.3.clone(),
            status: state.status,
            deferred_from: state.deferred_from,
            withdrawal_reason,
            coach_person_id: opt_uuid(self.coach_person_id.as_deref())?,
            coach_statement: self.coach_statement.clone(),
            left_school_on: self.left_school_on,
            allowed_transitions: state.offered(),
            actions,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }
}
