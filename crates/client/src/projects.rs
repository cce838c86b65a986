//! Projects, their stages, action log, impact measures and presentations. One method per
//! operation, named as its operation id.

use super::*;

impl Client {
    pub async fn list_projects(&self, cohort: Uuid) -> Result<ProjectList> {
        self.get(&format!("/cohorts/{cohort}/projects")).await
    }

    pub async fn create_project(&self, cohort: Uuid, body: &CreateProject) -> Result<Project> {
        self.post(&format!("/cohorts/{cohort}/projects"), body).await
    }

    pub async fn get_project(&self, project: Uuid) -> Result<Project> {
        self.get(&format!("/projects/{project}")).await
    }

    pub async fn get_enrolment_project(&self, enrolment: Uuid) -> Result<Project> {
        self.get(&format!("/enrolments/{enrolment}/project")).await
    }

    pub async fn update_project(&self, project: Uuid, body: &UpdateProject) -> Result<Project> {
        self.put(&format!("/projects/{project}"), body).await
    }

    pub async fn record_project_stage(&self, project: Uuid, body: &RecordProjectStage) -> Result<Project> {
        self.post(&format!("/projects/{project}/stages"), body).await
    }

    pub async fn create_project_action(&self, project: Uuid, body: &CreateProjectAction) -> Result<Project> {
        self.post(&format!("/projects/{project}/actions"), body).await
    }

    pub async fn create_impact_measure(&self, project: Uuid, body: &CreateImpactMeasure) -> Result<Project> {
        self.post(&format!("/projects/{project}/measures"), body).await
    }

    pub async fn record_impact_reading(&self, measure: Uuid, body: &RecordImpactReading) -> Result<Project> {
        self.post(&format!("/impact-measures/{measure}/readings"), body).await
    }

    pub async fn create_project_presentation(
        &self,
        project: Uuid,
        body: &CreateProjectPresentation,
    ) -> Result<Project> {
        self.post(&format!("/projects/{project}/presentations"), body).await
    }
}
