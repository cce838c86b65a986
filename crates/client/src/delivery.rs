//! Sessions, registers, calendar feeds, learning groups. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn list_sessions(&self, cohort: Uuid) -> Result<SessionPage> {
        self.get_query(&format!("/cohorts/{cohort}/sessions"), &ListParams { limit: Some(200), ..Default::default() })
            .await
    }

    pub async fn create_session_of_cohort(&self, cohort: Uuid, body: &CreateSession) -> Result<Session> {
        self.post(&format!("/cohorts/{cohort}/sessions"), body).await
    }

    pub async fn update_session(&self, id: Uuid, body: &UpdateSession) -> Result<Session> {
        self.patch(&format!("/sessions/{id}"), body).await
    }

    pub async fn cancel_session(&self, id: Uuid) -> Result<Session> {
        self.post_empty(&format!("/sessions/{id}/cancel")).await
    }

    pub async fn update_attendance(&self, session: Uuid, register: &Register) -> Result<AttendanceList> {
        Ok(self.update_attendance_if(session, register, None).await?.value)
    }

    /// Saves the register if it is still at version `if_match` (412 `stale_write` otherwise).
    pub async fn update_attendance_if(
        &self,
        session: Uuid,
        register: &Register,
        if_match: Option<&str>,
    ) -> Result<Versioned<AttendanceList>> {
        self.put_if(&format!("/sessions/{session}/attendance"), register, if_match).await
    }

    /// The register with its version.
    pub async fn get_attendance_versioned(&self, session: Uuid) -> Result<Versioned<AttendanceList>> {
        self.send_versioned(self.call("GET", &format!("/sessions/{session}/attendance"))).await
    }

    pub async fn get_attendance(&self, session: Uuid) -> Result<AttendanceList> {
        self.get(&format!("/sessions/{session}/attendance")).await
    }

    pub async fn get_session(&self, id: Uuid) -> Result<Session> {
        self.get(&format!("/sessions/{id}")).await
    }

    pub async fn list_attendance(&self, enrolment: Uuid) -> Result<AttendanceList> {
        self.get(&format!("/enrolments/{enrolment}/attendance")).await
    }

    pub async fn create_calendar_feed(&self, cohort: Option<Uuid>) -> Result<CalendarFeed> {
        self.post("/calendar-feeds", &CreateCalendarFeed { cohort_id: cohort }).await
    }

    pub async fn delete_calendar_feed(&self, id: Uuid) -> Result<()> {
        self.delete(&format!("/calendar-feeds/{id}")).await
    }

    pub async fn list_groups(&self, cohort: Uuid) -> Result<LearningGroupList> {
        self.get(&format!("/cohorts/{cohort}/groups")).await
    }

    pub async fn create_group(&self, cohort: Uuid, body: &CreateLearningGroup) -> Result<LearningGroup> {
        self.post(&format!("/cohorts/{cohort}/groups"), body).await
    }

    pub async fn list_calendar_feeds(&self) -> Result<CalendarFeedList> {
        self.get("/calendar-feeds").await
    }

    /// The iCalendar text behind a feed's secret address (`url` from
    /// [`Client::create_calendar_feed`]); needs no token.
    pub async fn get_calendar_feed(&self, url: &str) -> Result<String> {
        let call = Call { method: "GET", url: url.to_owned(), body: None, if_match: None };
        let (_, bytes) = self.fetch(call).await?;
        String::from_utf8(bytes).map_err(|e| ClientError::Decode(e.to_string()))
    }
}
