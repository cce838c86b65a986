//! Portfolio entries, their moves and evidence files; the verification queue; a cohort's posters.
//! One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn list_portfolio_entries(&self, enrolment: Uuid) -> Result<PortfolioEntryList> {
        self.get(&format!("/enrolments/{enrolment}/portfolio-entries")).await
    }

    pub async fn create_portfolio_entry(&self, enrolment: Uuid, body: &CreatePortfolioEntry) -> Result<PortfolioEntry> {
        self.post(&format!("/enrolments/{enrolment}/portfolio-entries"), body).await
    }

    pub async fn get_portfolio_entry(&self, entry: Uuid) -> Result<PortfolioEntry> {
        self.get(&format!("/portfolio-entries/{entry}")).await
    }

    pub async fn update_portfolio_entry(&self, entry: Uuid, body: &UpdatePortfolioEntry) -> Result<PortfolioEntry> {
        self.put(&format!("/portfolio-entries/{entry}"), body).await
    }

    pub async fn delete_portfolio_entry(&self, entry: Uuid) -> Result<()> {
        self.delete(&format!("/portfolio-entries/{entry}")).await
    }

    pub async fn submit_portfolio_entry(&self, entry: Uuid) -> Result<PortfolioEntry> {
        self.post_empty(&format!("/portfolio-entries/{entry}/submit")).await
    }

    pub async fn withdraw_portfolio_entry(&self, entry: Uuid) -> Result<PortfolioEntry> {
        self.post_empty(&format!("/portfolio-entries/{entry}/withdraw")).await
    }

    pub async fn verify_portfolio_entry(&self, entry: Uuid, body: &VerifyPortfolioEntry) -> Result<PortfolioEntry> {
        self.post(&format!("/portfolio-entries/{entry}/verify"), body).await
    }

    pub async fn return_portfolio_entry(&self, entry: Uuid, body: &ReturnPortfolioEntry) -> Result<PortfolioEntry> {
        self.post(&format!("/portfolio-entries/{entry}/return"), body).await
    }

    /// Uploads a file into the entry (multipart/form-data, one part named `file`).
    pub async fn upload_evidence_file(&self, entry: Uuid, filename: &str, bytes: &[u8]) -> Result<EvidenceFile> {
        self.post_file(&format!("/portfolio-entries/{entry}/files"), filename, bytes).await
    }

    /// The file's bytes.
    pub async fn get_evidence_file(&self, entry: Uuid, file: Uuid) -> Result<Vec<u8>> {
        self.get_bytes(&format!("/portfolio-entries/{entry}/files/{file}")).await
    }

    pub async fn delete_evidence_file(&self, entry: Uuid, file: Uuid) -> Result<()> {
        self.delete(&format!("/portfolio-entries/{entry}/files/{file}")).await
    }

    pub async fn list_verification_queue(&self) -> Result<VerificationQueue> {
        self.get("/verification-queue").await
    }

    pub async fn list_cohort_posters(&self, cohort: Uuid) -> Result<PosterBoard> {
        self.get(&format!("/cohorts/{cohort}/posters")).await
    }
}
