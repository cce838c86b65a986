//! Service health. One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn get_health(&self) -> Result<Health> {
        self.get("/health").await
    }
}
