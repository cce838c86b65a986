//! School-to-school partnerships: rounds, the board of needs, matching, visits, findings and
//! offers. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn create_partnership_round(&self, body: &CreatePartnershipRound) -> Result<PartnershipRound> {
        self.post("/partnership-rounds", body).await
    }

    pub async fn list_partnership_rounds(&self) -> Result<PartnershipRoundList> {
        self.get("/partnership-rounds").await
    }

    pub async fn get_partnership_round(&self, id: Uuid) -> Result<PartnershipRound> {
        self.get(&format!("/partnership-rounds/{id}")).await
    }

    pub async fn postpone_partnership_round(
        &self,
        id: Uuid,
        body: &PostponePartnershipRound,
    ) -> Result<PartnershipNotice> {
        self.post(&format!("/partnership-rounds/{id}/postpone"), body).await
    }

    pub async fn resume_partnership_round(&self, id: Uuid) -> Result<PartnershipNotice> {
        self.post_empty(&format!("/partnership-rounds/{id}/resume")).await
    }

    pub async fn circulate_partnership_round(&self, id: Uuid) -> Result<PartnershipNotice> {
        self.post_empty(&format!("/partnership-rounds/{id}/circulate")).await
    }

    pub async fn update_partnership_offer(
        &self,
        round: Uuid,
        person: Uuid,
        body: &PartnershipOffer,
    ) -> Result<PartnershipOffer> {
        self.put(&format!("/partnership-rounds/{round}/offers/{person}"), body).await
    }

    pub async fn create_partnership_need(&self, round: Uuid, body: &CreatePartnershipNeed) -> Result<PartnershipNeed> {
        self.post(&format!("/partnership-rounds/{round}/needs"), body).await
    }

    pub async fn list_partnership_needs(&self, round: Uuid) -> Result<PartnershipNeedList> {
        self.get(&format!("/partnership-rounds/{round}/needs")).await
    }

    pub async fn list_my_partnership_needs(&self) -> Result<PartnershipNeedList> {
        self.get("/me/partnership-needs").await
    }

    pub async fn get_partnership_need(&self, id: Uuid) -> Result<PartnershipNeed> {
        self.get(&format!("/partnership-needs/{id}")).await
    }

    pub async fn list_partnership_suggestions(&self, id: Uuid) -> Result<PartnershipSuggestionList> {
        self.get(&format!("/partnership-needs/{id}/suggestions")).await
    }

    pub async fn create_partnership_match(&self, id: Uuid, person: Uuid) -> Result<PartnershipNeed> {
        self.post(&format!("/partnership-needs/{id}/match"), &CreatePartnershipMatch { person_id: person }).await
    }

    pub async fn create_partnership_visit(&self, id: Uuid, body: &CreatePartnershipVisit) -> Result<PartnershipNeed> {
        self.post(&format!("/partnership-needs/{id}/visits"), body).await
    }

    pub async fn update_partnership_findings(
        &self,
        id: Uuid,
        body: &WritePartnershipFindings,
    ) -> Result<PartnershipNeed> {
        self.put(&format!("/partnership-needs/{id}/findings"), body).await
    }

    pub async fn acknowledge_partnership_findings(&self, id: Uuid) -> Result<PartnershipNeed> {
        self.post_empty(&format!("/partnership-needs/{id}/acknowledge")).await
    }
}
