//! Webhooks: a machine client's subscriptions, the deliveries made to them and each attempt.
//! Messages are signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`), so receivers verify them with the off-the-shelf libraries.

use super::*;

pub use trellis_domain::webhook::EventType as WebhookEventType;

/// A new subscription: where to send which events.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookSubscription {
    /// An `https://` address on the public internet (plain `http://` and private addresses only
    /// where the server allows them, for local development).
    #[cfg_attr(feature = "validate", validate(length(min = 10, max = 2000)))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 10,
            max_length = 2000,
            pattern = r"^https?://[^\s]+$",
            example = "https://mis.example.org/trellis/webhooks"
        )
    )]
    pub url: String,
    /// At least one event type; each at most once.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 8)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 8))]
    pub events: Vec<WebhookEventType>,
    /// What it is for, shown beside it.
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    #[serde(default)]
    pub description: String,
}

/// A change to a subscription: any of its address, events and description, or switching it on or
/// off. Switching a subscription back on clears its failure count; deliveries that waited while
/// it was off go out.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookSubscription {
    #[cfg_attr(feature = "validate", validate(length(min = 10, max = 2000)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 2000, pattern = r"^https?://[^\s]+$"))]
    pub url: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 8)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 8))]
    pub events: Option<Vec<WebhookEventType>>,
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::line")))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$")
    )]
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

trellis_domain::wire_enum! {
    /// Whether a subscription is being sent to.
    pub enum WebhookSubscriptionStatus {
        Active => "active",
        /// Switched off by its client, or after repeated failure (see `disabled_reason`).
        Disabled => "disabled",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookSubscription {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEventType>,
    pub status: WebhookSubscriptionStatus,
    /// Why it is off, when it is.
    pub disabled_reason: Option<String>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    /// When the current run of failures began.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new subscription with its signing secret: store it now, it is not shown again.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookSubscriptionSecret {
    pub subscription: WebhookSubscription,
    /// `whsec_` and base64, as the Standard Webhooks libraries take it.
    pub secret: String,
}

page!(WebhookSubscriptionPage, WebhookSubscription);

trellis_domain::wire_enum! {
    /// Where a delivery stands.
    pub enum WebhookDeliveryStatus {
        /// Not yet accepted: waiting for its first attempt or a retry.
        Pending => "pending",
        /// The endpoint answered 2xx.
        Delivered => "delivered",
        /// Given up after the last retry (it can be replayed).
        Failed => "failed",
    }
}

/// One event sent (or to be sent) to one subscription.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookDelivery {
    pub id: Uuid,
    /// The `webhook-id` header: the same on every attempt and replay, so receivers can ignore a
    /// message they have already handled.
    #[cfg_attr(feature = "openapi", schema(example = "msg_0193a1b2c3d47e8f9a0b1c2d3e4f5a6b"))]
    pub event_id: String,
    pub event_type: WebhookEventType,
    pub status: WebhookDeliveryStatus,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The HTTP status of the last attempt, when the endpoint answered.
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
}

page!(WebhookDeliveryPage, WebhookDelivery);

/// One attempt to deliver.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookAttempt {
    pub at: DateTime<Utc>,
    pub delivered: bool,
    pub status_code: Option<i32>,
    /// The error, or the start of the endpoint's answer.
    pub detail: String,
    pub duration_ms: i32,
}

/// A delivery with the exact body sent and every attempt, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookDeliveryDetail {
    pub delivery: WebhookDelivery,
    /// The body as sent: `{"type", "timestamp", "data"}`.
    pub payload: serde_json::Value,
    pub attempts: Vec<WebhookAttempt>,
}
