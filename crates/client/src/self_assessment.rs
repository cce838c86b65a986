//! Trust expectations: the framework, a school's termly reviews and history, the heatmap, and
//! support with its reviews. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn get_expectation_framework(&self, trust: Uuid) -> Result<ExpectationFramework> {
        self.get(&format!("/organisations/{trust}/expectations")).await
    }

    pub async fn update_expectation_framework(
        &self,
        trust: Uuid,
        body: &UpdateExpectationFramework,
    ) -> Result<ExpectationFramework> {
        self.put(&format!("/organisations/{trust}/expectations"), body).await
    }

    pub async fn get_expectation_heatmap(&self, trust: Uuid, term: Option<TermKey>) -> Result<ExpectationHeatmap> {
        self.get_query(&format!("/organisations/{trust}/expectations/heatmap"), &TermQuery { term }).await
    }

    pub async fn get_school_expectation_history(&self, school: Uuid) -> Result<ExpectationHistory> {
        self.get(&format!("/schools/{school}/expectations")).await
    }

    pub async fn get_school_expectations(&self, school: Uuid, term: TermKey) -> Result<SchoolExpectations> {
        self.get(&format!("/schools/{school}/expectations/{term}")).await
    }

    pub async fn update_school_expectation_ratings(
        &self,
        school: Uuid,
        term: TermKey,
        side: AssessmentSide,
        body: &SaveExpectationRatings,
    ) -> Result<SchoolExpectations> {
        self.put(&format!("/schools/{school}/expectations/{term}/{side}"), body).await
    }

    pub async fn submit_school_expectations(
        &self,
        school: Uuid,
        term: TermKey,
        side: AssessmentSide,
    ) -> Result<SchoolExpectations> {
        self.post_empty(&format!("/schools/{school}/expectations/{term}/{side}/submit")).await
    }

    pub async fn list_school_support(&self, school: Uuid) -> Result<SupportList> {
        self.get(&format!("/schools/{school}/support")).await
    }

    pub async fn create_school_support(&self, school: Uuid, body: &CreateSupport) -> Result<Support> {
        self.post(&format!("/schools/{school}/support"), body).await
    }

    pub async fn update_support_review(&self, id: Uuid, term: TermKey, body: &ReviewSupport) -> Result<Support> {
        self.put(&format!("/support-allocations/{id}/reviews/{term}"), body).await
    }

    pub async fn upload_expectation_file(
        &self,
        school: Uuid,
        term: TermKey,
        side: AssessmentSide,
        statement: Uuid,
        filename: &str,
        bytes: &[u8],
    ) -> Result<ExpectationFile> {
        let path = format!("/schools/{school}/expectations/{term}/{side}/files?statement_id={statement}");
        self.post_file(&path, filename, bytes).await
    }

    /// The file's bytes.
    pub async fn get_expectation_file(&self, id: Uuid) -> Result<Vec<u8>> {
        self.get_bytes(&format!("/expectation-files/{id}")).await
    }

    pub async fn delete_expectation_file(&self, id: Uuid) -> Result<()> {
        self.delete(&format!("/expectation-files/{id}")).await
    }
}
