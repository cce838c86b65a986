//! Mail: the outbox. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn list_outbox(&self, params: &ListParams) -> Result<OutboxPage> {
        self.get_query("/outbox", params).await
    }
}
