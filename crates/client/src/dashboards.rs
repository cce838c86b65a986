//! Pull feeds: trust progress, its summary, CPD records, their CSV exports, and the DfE-shaped
//! participants and outcomes. One method per operation, named as its operation id.

use super::*;

impl Client {
    #[allow(clippy::result_large_err)] // the same error type every call returns
    fn query_path<Q: Serialize>(path: &str, query: &Q) -> Result<String> {
        let query = serde_urlencoded::to_string(query).map_err(|e| ClientError::Decode(e.to_string()))?;
        Ok(if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") })
    }

    /// A page of progress per enrolment across every cohort in the caller's scope.
    pub async fn list_progress(&self, params: &ProgressFeedParams) -> Result<ProgressFeed> {
        self.get_query("/progress", params).await
    }

    /// Schools × programmes, tallied, for the trust dashboard.
    pub async fn get_progress_summary(&self, params: &ProgressFeedParams) -> Result<ProgressSummary> {
        self.get_query("/progress/summary", params).await
    }

    /// Every matching enrolment's progress as CSV (UTF-8 bytes).
    pub async fn export_progress(&self, params: &ProgressFeedParams) -> Result<Vec<u8>> {
        self.get_bytes(&Client::query_path("/progress/export", params)?).await
    }

    /// The summary grid as CSV (UTF-8 bytes).
    pub async fn export_progress_summary(&self, params: &ProgressFeedParams) -> Result<Vec<u8>> {
        self.get_bytes(&Client::query_path("/progress/summary/export", params)?).await
    }

    /// A page of CPD records.
    pub async fn list_cpd_records(&self, params: &PeopleFeedParams) -> Result<CpdFeed> {
        self.get_query("/cpd-records", params).await
    }

    /// One person's CPD record.
    pub async fn get_cpd_record(&self, person: Uuid) -> Result<CpdRecord> {
        self.get(&format!("/people/{person}/cpd-record")).await
    }

    /// A page of participants, DfE Lead Provider API-shaped.
    pub async fn list_participants(&self, params: &PeopleFeedParams) -> Result<ParticipantFeed> {
        self.get_query("/participants", params).await
    }

    /// One participant, DfE-shaped.
    pub async fn get_participant(&self, person: Uuid) -> Result<Participant> {
        self.get(&format!("/participants/{person}")).await
    }

    /// A page of final-assessment outcomes, DfE-shaped, in the order they were recorded.
    pub async fn list_participant_outcomes(&self, params: &PeopleFeedParams) -> Result<ParticipantOutcomeFeed> {
        self.get_query("/participants/outcomes", params).await
    }
}
