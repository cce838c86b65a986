//! Certificates: awarded when the programme's rules say an enrolment is certifiable, each with a
//! public code and page, and an Open Badges 3.0 credential signed as a VC-JWT.

use super::*;

pub use trellis_domain::assessment::CertificateStatus;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Certificate {
    pub id: Uuid,
    /// The public code, e.g. `TRL-7KQ4M-2XD9A`.
    pub code: String,
    pub enrolment_id: Uuid,
    pub holder_name: String,
    pub programme_name: String,
    /// The trust or provider that awarded it.
    pub issuer_id: Uuid,
    pub issuer_name: String,
    pub issued_on: NaiveDate,
    pub status: CertificateStatus,
    pub revoked_on: Option<NaiveDate>,
    pub revocation_reason: Option<String>,
    /// The public page anyone can check it on, signed out.
    pub verify_url: String,
    /// The portfolio entries the holder shares as the credential's evidence.
    pub shared_entry_ids: Vec<Uuid>,
    /// The caller may revoke it.
    pub revocable: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the public page shows: nothing but the holder's name, the programme, the issuer, the
/// date and the status.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicCertificate {
    pub code: String,
    pub holder_name: String,
    pub programme_name: String,
    pub issuer_name: String,
    pub issued_on: NaiveDate,
    pub status: CertificateStatus,
    pub revoked_on: Option<NaiveDate>,
}

/// A piece of evidence the holder chose to share with the credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SharedEvidence {
    pub code: String,
    pub kind: PortfolioEntryKind,
    pub title: String,
    pub body: String,
    pub verified_on: Option<NaiveDate>,
}

/// The Open Badges 3.0 `OpenBadgeCredential`, as signed (`jwt`, a compact JWS with `alg` EdDSA
/// and the key id in its header, verifiable against `/.well-known/jwks.json`) and decoded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CertificateCredential {
    pub jwt: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct RevokeCertificate {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2000), custom(function = "checks::multiline")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    pub reason: String,
}

/// The holder's choice of evidence: verified entries of their own portfolio.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct ShareCertificateEvidence {
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub entry_ids: Vec<Uuid>,
}

/// The issuing keys' public halves (RFC 7517).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct JsonWebKeySet {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub keys: Vec<serde_json::Value>,
}
