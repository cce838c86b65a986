//! The final assessment: submissions, the coach's verification, assessors, marks, moderation,
//! release, the assessor's queue and DfE-shaped outcomes. One method per operation.

use super::*;

impl Client {
    pub async fn list_enrolment_submissions(&self, enrolment: Uuid) -> Result<SubmissionList> {
        self.get(&format!("/enrolments/{enrolment}/submissions")).await
    }

    pub async fn create_submission(&self, enrolment: Uuid, body: &CreateSubmission) -> Result<Submission> {
        self.post(&format!("/enrolments/{enrolment}/submissions"), body).await
    }

    pub async fn get_submission(&self, submission: Uuid) -> Result<Submission> {
        self.get(&format!("/submissions/{submission}")).await
    }

    pub async fn withdraw_submission(&self, submission: Uuid, body: &WithdrawSubmission) -> Result<Submission> {
        self.post(&format!("/submissions/{submission}/withdraw"), body).await
    }

    pub async fn verify_submission(&self, submission: Uuid, body: &VerifySubmission) -> Result<Submission> {
        self.post(&format!("/submissions/{submission}/verify"), body).await
    }

    /// A supporting document's bytes (numbered from 1).
    pub async fn get_submission_document(&self, submission: Uuid, position: u32) -> Result<Vec<u8>> {
        self.get_bytes(&format!("/submissions/{submission}/documents/{position}")).await
    }

    pub async fn list_enrolment_outcomes(&self, enrolment: Uuid) -> Result<OutcomeList> {
        self.get(&format!("/enrolments/{enrolment}/outcomes")).await
    }

    pub async fn assign_assessors(&self, submission: Uuid, body: &AssignAssessors) -> Result<Submission> {
        self.put(&format!("/submissions/{submission}/assessors"), body).await
    }

    pub async fn record_submission_mark(&self, submission: Uuid, body: &RecordMark) -> Result<Submission> {
        self.post(&format!("/submissions/{submission}/marks"), body).await
    }

    pub async fn record_submission_moderation(&self, submission: Uuid, body: &RecordModeration) -> Result<Submission> {
        self.post(&format!("/submissions/{submission}/moderation"), body).await
    }

    pub async fn release_submission(&self, submission: Uuid) -> Result<Submission> {
        self.post_empty(&format!("/submissions/{submission}/release")).await
    }

    pub async fn list_assessor_queue(&self) -> Result<SubmissionList> {
        self.get("/assessor-queue").await
    }
}
