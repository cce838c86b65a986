//! Webhooks: signing the Standard Webhooks way, which endpoints may be sent to, and the worker
//! that sends the webhook outbox ([`worker`]). Events are written by the transactions that cause
//! them ([`crate::db::webhooks::emit`]), so an event goes if and only if its change was committed.

pub mod worker;

use std::time::Duration as StdDuration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use trellis_domain::webhook::{RetryPolicy, is_public};

pub use worker::WebhookWorker;

/// How webhooks are sent.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Allow `http://` and loopback or private addresses (`TRELLIS_WEBHOOKS_ALLOW_PRIVATE`): for
    /// local development and tests only, since it lets a client aim Trellis at its own network.
    pub allow_private: bool,
    /// How often the worker looks for due deliveries.
    pub poll: StdDuration,
    /// How long an endpoint has to answer.
    pub timeout: StdDuration,
    pub policy: RetryPolicy,
}

impl Default for WebhookConfig {
    fn default() -> WebhookConfig {
        WebhookConfig {
            allow_private: false,
            poll: StdDuration::from_secs(2),
            timeout: StdDuration::from_secs(15),
            policy: RetryPolicy::default(),
        }
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    format!("whsec_{}", STANDARD.encode(rand::random::<[u8; 32]>()))
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256, keyed with the secret's
/// bytes, of `{id}.{timestamp}.{body}`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|e| format!("the signing secret is not base64: {e}"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The endpoint, if a delivery may go there: `https://` on a public host; with `allow_private`,
/// `http://` and private hosts too. Names are checked again when a delivery resolves them.
pub fn check_url(url: &str, allow_private: bool) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err("use an https:// address".into()),
        _ => return Err("use an https:// address".into()),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("put no user name or password in the address; verify the signature instead".into());
    }
    let Some(host) = parsed.host() else { return Err("the address has no host".into()) };
    if !allow_private {
        let private = match host {
            url::Host::Ipv4(ip) => !is_public(ip.into()),
            url::Host::Ipv6(ip) => !is_public(ip.into()),
            url::Host::Domain(name) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local") || !name.contains('.')
            }
        };
        if private {
            return Err("the address is not on the public internet".into());
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks specification's own example.
    #[test]
    fn signs_the_specifications_example() {
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn private_and_plain_addresses_are_refused_unless_allowed() {
        for bad in [
            "http://mis.example.org/hook",
            "https://127.0.0.1/hook",
            "https://10.0.0.5/hook",
            "https://[::1]/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/hook",
            "https://intranet/hook",
            "https://user:pw@mis.example.org/hook",
            "ftp://mis.example.org/hook",
            "not a url",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad} accepted");
        }
        assert!(check_url("https://mis.example.org/trellis", false).is_ok());
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check_url("ftp://127.0.0.1/hook", true).is_err());
    }
}
