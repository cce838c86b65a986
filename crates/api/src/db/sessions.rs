//! Session rows.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::London;
use diesel::prelude::*;
use trellis_domain::rules::definition::SessionKind;
use trellis_wire::Session;

use crate::error::ApiError;
use crate::facts::{opt_uuid, uuid};
use crate::schema::sessions;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionRow {
    pub id: String,
    pub cohort_id: String,
    pub kind: String,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub venue_school_id: Option<String>,
    pub venue_text: Option<String>,
    pub facilitator_person_id: Option<String>,
    pub led_by_enrolment_id: Option<String>,
    pub audience: String,
    pub group_id: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn london(t: NaiveDateTime) -> String {
    London.from_utc_datetime(&t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

impl SessionRow {
    pub fn to_wire(&self) -> Result<Session, ApiError> {
        Ok(Session {
            id: uuid(&self.id)?,
            cohort_id: uuid(&self.cohort_id)?,
            kind: self.kind.parse().map_err(ApiError::internal)?,
            title: self.title.clone(),
            starts_at: self.starts_at.and_utc(),
            ends_at: self.ends_at.and_utc(),
            starts_local: london(self.starts_at),
            ends_local: london(self.ends_at),
            venue_school_id: opt_uuid(self.venue_school_id.as_deref())?,
            venue_text: self.venue_text.clone(),
            facilitator_person_id: opt_uuid(self.facilitator_person_id.as_deref())?,
            led_by_enrolment_id: opt_uuid(self.led_by_enrolment_id.as_deref())?,
            audience: self.audience.parse().map_err(ApiError::internal)?,
            group_id: opt_uuid(self.group_id.as_deref())?,
            cancelled_at: self.cancelled_at.map(|t| t.and_utc()),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        })
    }

    pub fn kind(&self) -> Result<SessionKind, ApiError> {
        self.kind.parse().map_err(ApiError::internal)
    }
}
