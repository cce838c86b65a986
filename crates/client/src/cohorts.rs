//! Cohorts, enrolments and their lifecycle, progress, report drafts. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn get_enrolment_progress(&self, id: Uuid, params: &ProgressParams) -> Result<EnrolmentProgress> {
        self.get_query(&format!("/enrolments/{id}/progress"), params).await
    }

    pub async fn get_cohort_progress(&self, id: Uuid, params: &ProgressParams) -> Result<CohortProgress> {
        self.get_query(&format!("/cohorts/{id}/progress"), params).await
    }

    /// The caller's own enrolments with their cohorts' names, in one request.
    pub async fn list_my_enrolments(&self) -> Result<MyEnrolmentList> {
        self.get("/me/enrolments").await
    }

    pub async fn get_report_draft(&self, enrolment: Uuid) -> Result<ReportDraft> {
        self.get(&format!("/enrolments/{enrolment}/report-draft")).await
    }

    pub async fn update_report_draft(&self, enrolment: Uuid, text: &str) -> Result<ReportDraft> {
        Ok(self.update_report_draft_if(enrolment, text, None).await?.value)
    }

    /// The draft with its version.
    pub async fn get_report_draft_versioned(&self, enrolment: Uuid) -> Result<Versioned<ReportDraft>> {
        self.send_versioned(self.call("GET", &format!("/enrolments/{enrolment}/report-draft"))).await
    }

    /// Saves the draft if it is still at version `if_match` (412 `stale_write` otherwise).
    pub async fn update_report_draft_if(
        &self,
        enrolment: Uuid,
        text: &str,
        if_match: Option<&str>,
    ) -> Result<Versioned<ReportDraft>> {
        self.put_if(&format!("/enrolments/{enrolment}/report-draft"), &SaveReportDraft { text: text.into() }, if_match)
            .await
    }

    pub async fn list_cohorts(&self, params: &ListParams) -> Result<CohortPage> {
        self.get_query("/cohorts", params).await
    }

    pub async fn get_cohort(&self, id: Uuid) -> Result<Cohort> {
        self.get(&format!("/cohorts/{id}")).await
    }

    pub async fn create_cohort(&self, body: &CreateCohort) -> Result<Cohort> {
        self.post("/cohorts", body).await
    }

    pub async fn list_enrolments(&self, cohort: Uuid, params: &ListParams) -> Result<EnrolmentPage> {
        self.get_query(&format!("/cohorts/{cohort}/enrolments"), params).await
    }

    pub async fn create_enrolment(&self, cohort: Uuid, person: Uuid) -> Result<Enrolment> {
        self.post(&format!("/cohorts/{cohort}/enrolments"), &CreateEnrolment { person_id: person }).await
    }

    pub async fn get_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.get(&format!("/enrolments/{id}")).await
    }

    /// Any move but `withdraw` (which needs a reason: see [`Client::withdraw_enrolment`]).
    pub async fn transition(&self, id: Uuid, kind: TransitionKind) -> Result<Enrolment> {
        self.post_empty(&format!("/enrolments/{id}/{kind}")).await
    }

    pub async fn withdraw_enrolment(
        &self,
        id: Uuid,
        reason: WithdrawalReasonKind,
        details: Option<&str>,
    ) -> Result<Enrolment> {
        self.post(
            &format!("/enrolments/{id}/withdraw"),
            &WithdrawRequest { reason, details: details.map(str::to_owned) },
        )
        .await
    }

    pub async fn approve_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Approve).await
    }

    pub async fn activate_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Activate).await
    }

    pub async fn defer_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Defer).await
    }

    pub async fn resume_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Resume).await
    }

    /// Completes an enrolment; with `override_reason`, even though requirements are not met.
    pub async fn complete_enrolment(&self, id: Uuid, override_reason: Option<&str>) -> Result<Enrolment> {
        match override_reason {
            None => self.transition(id, TransitionKind::Complete).await,
            Some(r) => {
                let body = CompleteEnrolment { override_reason: Some(r.into()) };
                self.post(&format!("/enrolments/{id}/complete"), &body).await
            }
        }
    }
}
