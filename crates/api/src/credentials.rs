//! The certificate as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential 2.0)
//! and each issuer's W3C Bitstring Status List credential, as JSON ready for [`crate::signing`].
//! Every member is a term of the contexts the credential names, so a JSON-LD processor drops none.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::db::certificates::{CertRow, STATUS_LIST_BITS};
use crate::error::ApiError;

pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// How long a served status list stays valid: a verifier refuses an older copy, so a replayed
/// list cannot hide a revocation for longer than this.
pub const STATUS_LIST_VALID_HOURS: i64 = 24;

fn instant(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The issuer's identifier: its id as a URN (a trust or provider has no page of its own).
pub fn issuer_id(org: &str) -> String {
    format!("urn:uuid:{org}")
}

/// The address of an issuer's status list.
pub fn status_list_url(origin: &str, issuer: &str) -> String {
    format!("{origin}/api/v1/credentials/status/{issuer}")
}

/// One shared piece of evidence: its public address and what it is.
pub struct EvidenceLink {
    pub url: String,
    pub name: String,
    pub description: String,
}

/// What the credential says beyond the certificate row.
pub struct Achievement<'a> {
    pub programme_id: &'a str,
    pub description: &'a str,
    /// What had to be done, as the programme's requirements read.
    pub criteria: &'a str,
    pub holder_person_id: &'a str,
}

/// The unsigned credential: an `OpenBadgeCredential` with its achievement and criteria, the
/// holder named by an `IdentityObject`, the evidence the holder shares, and its entry in the
/// issuer's revocation list. The JWT registered claims (`iss`, `sub`, `jti`, `nbf`, `iat`) sit
/// beside the credential's members, as OB 3.0 §8.2 asks.
pub fn open_badge(cert: &CertRow, a: &Achievement<'_>, evidence: &[EvidenceLink], origin: &str) -> Value {
    let id = format!("{origin}/verify/{}", cert.code);
    let issuer = issuer_id(&cert.issuer_id);
    let subject = format!("urn:uuid:{}", a.holder_person_id);
    let list = status_list_url(origin, &cert.issuer_id);
    let valid_from = cert.created_at;
    let mut vc = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": cert.programme_name,
        "issuer": {"id": issuer, "type": ["Profile"], "name": cert.issuer_name},
        "validFrom": instant(valid_from),
        "credentialSubject": {
            "id": subject,
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "hashed": false,
                "identityHash": cert.holder_name,
                "identityType": "name",
            }],
            "achievement": {
                "id": format!("urn:uuid:{}", a.programme_id),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": cert.programme_name,
                "description": a.description,
                "criteria": {"narrative": a.criteria},
            },
        },
        "credentialStatus": {
            "id": format!("{list}#{}", cert.status_index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": cert.status_index.to_string(),
            "statusListCredential": list,
        },
    });
    if !evidence.is_empty() {
        vc["evidence"] = Value::Array(
            evidence
                .iter()
                .map(|e| json!({"id": e.url, "type": ["Evidence"], "name": e.name, "description": e.description}))
                .collect(),
        );
    }
    let nbf = valid_from.and_utc().timestamp();
    vc["iss"] = json!(issuer);
    vc["sub"] = json!(subject);
    vc["jti"] = json!(id);
    vc["nbf"] = json!(nbf);
    vc["iat"] = json!(nbf);
    vc
}

/// The `encodedList` of a status list: the multibase base64url (`u`, no padding) of the GZIP of
/// a [`STATUS_LIST_BITS`]-bit string, most significant bit first, with `set` on.
pub fn encode_list(set: &[i32]) -> Result<String, ApiError> {
    let mut bits = vec![0u8; STATUS_LIST_BITS / 8];
    for &i in set {
        let i = usize::try_from(i).map_err(ApiError::internal)?;
        if i >= STATUS_LIST_BITS {
            return Err(ApiError::internal(format!("status index {i} outside the list")));
        }
        bits[i / 8] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bits).map_err(ApiError::internal)?;
    let zipped = gz.finish().map_err(ApiError::internal)?;
    Ok(format!("u{}", URL_SAFE_NO_PAD.encode(zipped)))
}

/// An issuer's `BitstringStatusListCredential` (revocation), valid for a day from `now`.
pub fn status_list(origin: &str, issuer: &str, revoked: &[i32], now: DateTime<Utc>) -> Result<Value, ApiError> {
    let url = status_list_url(origin, issuer);
    let iss = issuer_id(issuer);
    let from = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let until = (now + chrono::Duration::hours(STATUS_LIST_VALID_HOURS)).to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(json!({
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": iss,
        "validFrom": from,
        "validUntil": until,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revoked)?,
        },
        "iss": iss,
        "jti": url,
        "nbf": now.timestamp(),
        "iat": now.timestamp(),
        "exp": (now + chrono::Duration::hours(STATUS_LIST_VALID_HOURS)).timestamp(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_list_sets_exactly_the_revoked_bits_most_significant_first() {
        let encoded = encode_list(&[0, 9, 131_071]).unwrap();
        let zipped = URL_SAFE_NO_PAD.decode(encoded.strip_prefix('u').unwrap()).unwrap();
        let mut bits = vec![];
        flate2::read::GzDecoder::new(&zipped[..]).read_to_end(&mut bits).unwrap();
        assert_eq!(bits.len(), 16_384);
        assert_eq!(bits[0], 0x80);
        assert_eq!(bits[1], 0x40);
        assert_eq!(bits[16_383], 0x01);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        assert!(encode_list(&[131_072]).is_err());
    }
}
