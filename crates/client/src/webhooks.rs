//! Webhooks: the calling machine client's subscriptions, their delivery logs, tests and replays.
//! One method per operation, named as its operation id.

use super::*;

impl Client {
    pub async fn create_webhook_subscription(
        &self,
        body: &CreateWebhookSubscription,
    ) -> Result<WebhookSubscriptionSecret> {
        self.post("/webhooks", body).await
    }

    pub async fn list_webhook_subscriptions(&self, params: &ListParams) -> Result<WebhookSubscriptionPage> {
        self.get_query("/webhooks", params).await
    }

    pub async fn get_webhook_subscription(&self, id: Uuid) -> Result<WebhookSubscription> {
        self.get(&format!("/webhooks/{id}")).await
    }

    pub async fn update_webhook_subscription(
        &self,
        id: Uuid,
        body: &UpdateWebhookSubscription,
    ) -> Result<WebhookSubscription> {
        self.patch(&format!("/webhooks/{id}"), body).await
    }

    pub async fn delete_webhook_subscription(&self, id: Uuid) -> Result<()> {
        self.delete(&format!("/webhooks/{id}")).await
    }

    pub async fn create_webhook_test_event(&self, id: Uuid) -> Result<WebhookDelivery> {
        self.post_empty(&format!("/webhooks/{id}/test")).await
    }

    pub async fn list_webhook_deliveries(&self, id: Uuid, params: &ListParams) -> Result<WebhookDeliveryPage> {
        self.get_query(&format!("/webhooks/{id}/deliveries"), params).await
    }

    pub async fn get_webhook_delivery(&self, id: Uuid, delivery_id: Uuid) -> Result<WebhookDeliveryDetail> {
        self.get(&format!("/webhooks/{id}/deliveries/{delivery_id}")).await
    }

    pub async fn replay_webhook_delivery(&self, id: Uuid, delivery_id: Uuid) -> Result<WebhookDeliveryDetail> {
        self.post_empty(&format!("/webhooks/{id}/deliveries/{delivery_id}/replay")).await
    }
}
