//! Coaches and coaching sessions. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn update_coach(&self, enrolment: Uuid, body: &AssignCoach) -> Result<Enrolment> {
        self.put(&format!("/enrolments/{enrolment}/coach"), body).await
    }

    pub async fn list_coaches(&self, cohort: Uuid) -> Result<CoachList> {
        self.get(&format!("/cohorts/{cohort}/coaches")).await
    }

    pub async fn list_coaching_sessions(&self, enrolment: Uuid) -> Result<CoachingSessionList> {
        self.get(&format!("/enrolments/{enrolment}/coaching-sessions")).await
    }

    pub async fn create_coaching_session(
        &self,
        enrolment: Uuid,
        body: &CreateCoachingSession,
    ) -> Result<CoachingSession> {
        self.post(&format!("/enrolments/{enrolment}/coaching-sessions"), body).await
    }
}
