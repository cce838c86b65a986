//! Roster sync and the OneRoster read. One method per operation, named as its operation id.

use super::*;

impl Client {
    /// Syncs a OneRoster JSON roster; with `dry_run`, says what it would do and writes nothing.
    pub async fn sync_roster(&self, body: &RosterSync, dry_run: bool) -> Result<RosterSyncResult> {
        let call = Client::json(self.call("POST", &format!("/roster/sync?dry_run={dry_run}")), body)?;
        self.send(call).await
    }

    /// Syncs a OneRoster 1.2 CSV bundle (a zip of `manifest.csv`, `orgs.csv`, `users.csv`, …).
    pub async fn sync_roster_bundle(&self, zip: &[u8], dry_run: bool) -> Result<RosterSyncResult> {
        let mut call = self.call("POST", &format!("/roster/sync?dry_run={dry_run}"));
        call.body = Some(("application/zip".to_owned(), zip.to_vec()));
        self.send(call).await
    }

    #[allow(clippy::result_large_err)] // the same error type every call returns
    fn oneroster(&self, what: &str, params: &OneRosterParams) -> Result<Call> {
        let query = serde_urlencoded::to_string(params).map_err(|e| ClientError::Decode(e.to_string()))?;
        let url = format!("{}/ims/oneroster/rostering/v1p2/{what}?{query}", self.base);
        Ok(Call { method: "GET", url, body: None, if_match: None })
    }

    /// A page of staff as OneRoster users (beside the API, at `/ims/oneroster/rostering/v1p2`).
    pub async fn list_oneroster_users(&self, params: &OneRosterParams) -> Result<OneRosterUsers> {
        self.send(self.oneroster("users", params)?).await
    }

    /// A page of schools as OneRoster orgs.
    pub async fn list_oneroster_orgs(&self, params: &OneRosterParams) -> Result<OneRosterOrgs> {
        self.send(self.oneroster("orgs", params)?).await
    }
}
