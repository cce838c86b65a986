//! Programme evaluation: a cohort's report, its narrative, its CSV, and interviews. One method per
//! operation, named as its operation id.

use super::*;

impl Client {
    pub async fn get_cohort_evaluation(&self, cohort: Uuid) -> Result<EvaluationReport> {
        self.get(&format!("/cohorts/{cohort}/evaluation")).await
    }

    pub async fn update_cohort_evaluation(&self, cohort: Uuid, body: &EvaluationNarrative) -> Result<EvaluationReport> {
        self.put(&format!("/cohorts/{cohort}/evaluation"), body).await
    }

    pub async fn create_evaluation_interview(
        &self,
        cohort: Uuid,
        body: &CreateEvaluationInterview,
    ) -> Result<EvaluationInterview> {
        self.post(&format!("/cohorts/{cohort}/evaluation/interviews"), body).await
    }

    pub async fn export_cohort_evaluation(&self, cohort: Uuid) -> Result<Vec<u8>> {
        self.get_bytes(&format!("/cohorts/{cohort}/evaluation/export")).await
    }
}
