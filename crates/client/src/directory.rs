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

    /// The person with their version, for [`Client::update_person_if`].
    pub async fn get_person_versioned(&self, id: Uuid) -> Result<Versioned<Person>> {
        self.send_versioned(self.call("GET", &format!("/people/{id}"))).await
    }

    pub async fn update_person(&self, id: Uuid, body: &CreatePerson) -> Result<Person> {
        Ok(self.update_person_if(id, body, None).await?.value)
    }

    /// Corrects the person if they are still at version `if_match` (412 `stale_write` otherwise).
    pub async fn update_person_if(
        &self,
        id: Uuid,
        body: &CreatePerson,
        if_match: Option<&str>,
    ) -> Result<Versioned<Person>> {
        self.put_if(&format!("/people/{id}"), body, if_match).await
    }

    pub async fn leave_person(&self, id: Uuid, body: &LeavePerson) -> Result<Person> {
        self.post(&format!("/people/{id}/leave"), body).await
    }

    pub async fn move_person(&self, id: Uuid, body: &MovePerson) -> Result<Person> {
        self.post(&format!("/people/{id}/move"), body).await
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
