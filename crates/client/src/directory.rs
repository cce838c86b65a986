//! The directory: organisations, hubs, schools, people. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn list_organisations(&self) -> Result<OrganisationPage> {
        self.get("/organisations").await
    }

    pub async fn create_organisation(&self, body: &CreateOrganisation) -> Result<Organisation> {
        self.post("/organisations", body).await
    }

    pub async fn list_schools(&self, params: &ListParams) -> Result<SchoolPage> {
        self.get_query("/schools", params).await
    }

    pub async fn get_school(&self, id: Uuid) -> Result<School> {
        self.get(&format!("/schools/{id}")).await
    }

    pub async fn create_school(&self, body: &CreateSchool) -> Result<School> {
        self.post("/schools", body).await
    }

    pub async fn list_people(&self, school: Uuid, params: &ListParams) -> Result<PersonPage> {
        self.get_query(&format!("/schools/{school}/people"), params).await
    }

    pub async fn get_person(&self, id: Uuid) -> Result<Person> {
        self.get(&format!("/people/{id}")).await
    }

    pub async fn create_person(&self, school: Uuid, body: &CreatePerson) -> Result<Person> {
        self.post(&format!("/schools/{school}/people"), body).await
    }

    pub async fn update_term_calendar(&self, organisation: Uuid, calendar: &TermCalendar) -> Result<Organisation> {
        self.put(&format!("/organisations/{organisation}/term-calendar"), calendar).await
    }

    pub async fn get_organisation(&self, id: Uuid) -> Result<Organisation> {
        self.get(&format!("/organisations/{id}")).await
    }

    pub async fn list_hubs(&self, params: &ListParams) -> Result<HubPage> {
        self.get_query("/hubs", params).await
    }

    pub async fn create_hub(&self, body: &CreateHub) -> Result<Hub> {
        self.post("/hubs", body).await
    }
}
