//! The 360 diagnostic: rounds, raters, the self-review and the report; and the rater's link,
//! which needs no sign-in. One method per operation.

use super::*;

impl Client {
    pub async fn list_enrolment_diagnostic_rounds(&self, enrolment: Uuid) -> Result<DiagnosticRoundList> {
        self.get(&format!("/enrolments/{enrolment}/diagnostic-rounds")).await
    }

    pub async fn create_diagnostic_round(
        &self,
        enrolment: Uuid,
        body: &CreateDiagnosticRound,
    ) -> Result<DiagnosticRoundSummary> {
        self.post(&format!("/enrolments/{enrolment}/diagnostic-rounds"), body).await
    }

    pub async fn get_diagnostic_round(&self, round: Uuid) -> Result<DiagnosticRoundSummary> {
        self.get(&format!("/diagnostic-rounds/{round}")).await
    }

    pub async fn update_diagnostic_round(
        &self,
        round: Uuid,
        body: &UpdateDiagnosticRound,
    ) -> Result<DiagnosticRoundSummary> {
        self.patch(&format!("/diagnostic-rounds/{round}"), body).await
    }

    pub async fn close_diagnostic_round(&self, round: Uuid) -> Result<DiagnosticRoundSummary> {
        self.post_empty(&format!("/diagnostic-rounds/{round}/close")).await
    }

    pub async fn create_diagnostic_raters(&self, round: Uuid, body: &NominateRaters) -> Result<DiagnosticRoundSummary> {
        self.post(&format!("/diagnostic-rounds/{round}/raters"), body).await
    }

    pub async fn delete_diagnostic_rater(&self, round: Uuid, rater: Uuid) -> Result<DiagnosticRoundSummary> {
        self.delete(&format!("/diagnostic-rounds/{round}/raters/{rater}")).await
    }

    pub async fn get_diagnostic_self_review(&self, round: Uuid) -> Result<SelfReview> {
        self.get(&format!("/diagnostic-rounds/{round}/self-review")).await
    }

    pub async fn update_diagnostic_self_review(&self, round: Uuid, body: &SaveSelfReview) -> Result<SelfReview> {
        self.put(&format!("/diagnostic-rounds/{round}/self-review"), body).await
    }

    pub async fn get_diagnostic_report(&self, enrolment: Uuid) -> Result<DiagnosticReport> {
        self.get(&format!("/enrolments/{enrolment}/diagnostic-report")).await
    }

    /// No sign-in: the link's secret is the authority.
    pub async fn open_rater_link(&self, body: &LinkToken) -> Result<RaterForm> {
        self.post("/rater-links/open", body).await
    }

    pub async fn save_rater_answers(&self, body: &RaterAnswers) -> Result<RaterForm> {
        self.post("/rater-links/save", body).await
    }

    pub async fn submit_rater_answers(&self, body: &RaterAnswers) -> Result<RaterForm> {
        self.post("/rater-links/submit", body).await
    }

    pub async fn decline_rater_request(&self, body: &DeclineRating) -> Result<RaterForm> {
        self.post("/rater-links/decline", body).await
    }
}
