//! Mail: the outbox of messages Trellis sends.

use super::*;

page!(OutboxPage, OutboxMessage);

trellis_domain::wire_enum! {
    /// Where a message stands.
    pub enum OutboxStatus {
        /// Waiting to go, or to be retried.
        Pending => "pending",
        Sent => "sent",
        /// Every retry failed; nothing more will be tried.
        Failed => "failed",
    }
}

/// One email, as the outbox page lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutboxMessage {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "invitation"))]
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// The plain-text body; withheld (null) for messages that carry a sign-in secret, such as
    /// password resets.
    pub text_body: Option<String>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}
