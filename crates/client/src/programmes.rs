//! Programmes and presets. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn list_programmes(&self) -> Result<ProgrammePage> {
        self.get("/programmes").await
    }

    pub async fn get_programme(&self, id: Uuid) -> Result<Programme> {
        self.get(&format!("/programmes/{id}")).await
    }

    pub async fn create_programme(&self, body: &CreateProgramme) -> Result<Programme> {
        self.post("/programmes", body).await
    }

    pub async fn list_programme_presets(&self) -> Result<PresetList> {
        self.get("/programme-presets").await
    }
}
