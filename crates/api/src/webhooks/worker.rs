//! The webhook worker: one thread per `trellis serve` process that sends the webhook outbox.
//!
//! Each round it claims due deliveries under a lease (so a second node, or a restarted one, never
//! sends a delivery another node is sending), POSTs each, signed, and records the attempt. A
//! failed attempt is retried with exponential backoff; after the last it is marked failed (and
//! can be replayed). A subscription that keeps failing is switched off and its client's owner is
//! emailed. Delivery is at least once, with the same `webhook-id` every time: a node that dies
//! between the endpoint's 2xx and recording it sends that delivery again after the lease.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use chrono::Duration;
use trellis_domain::webhook::is_public;

use super::{WebhookConfig, check_url, sign};
use crate::clock::Clock;
use crate::db::webhooks::{self, Attempt, Due};
use crate::db::{DbPool, write_transaction};

/// Longer than any one attempt (the endpoint has `timeout` to answer).
const LEASE_SECS: i64 = 120;
const BATCH: i64 = 20;
/// How much of an endpoint's answer the log keeps.
const DETAIL_CHARS: usize = 500;

/// The running worker; dropping it stops the thread after its current round.
pub struct WebhookWorker {
    stop: Arc<AtomicBool>,
}

impl Drop for WebhookWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Resolves names to public addresses only, so a name cannot point a delivery at a private
/// network after its subscription was checked (DNS rebinding).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Starts the worker.
pub fn start(pool: DbPool, config: &WebhookConfig, clock: Clock) -> Result<WebhookWorker, String> {
    // rustls is built without a default crypto provider (ring is already here for SMTP).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Trellis-Webhooks/", env!("CARGO_PKG_VERSION")));
    if !config.allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    let http = builder.build().map_err(|e| format!("cannot build the webhook HTTP client: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let node = format!("{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (flag, config) = (stop.clone(), config.clone());
    std::thread::Builder::new()
        .name("webhooks".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("webhook worker: no runtime: {e}");
                    return;
                }
            };
            while !flag.load(Ordering::Relaxed) {
                if let Err(e) = runtime.block_on(round(&pool, &http, &node, &config, clock)) {
                    tracing::warn!("webhook worker: {e}");
                }
                std::thread::sleep(config.poll);
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(WebhookWorker { stop })
}

/// Claims the due deliveries and tries each once.
async fn round(
    pool: &DbPool,
    http: &reqwest::Client,
    node: &str,
    config: &WebhookConfig,
    clock: Clock,
) -> Result<(), String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let lease = Duration::seconds(LEASE_SECS);
    let claimed = write_transaction(&mut conn, |c| webhooks::claim(c, node, clock.now(), lease, BATCH))
        .map_err(|e| e.to_string())?;
    for due in claimed {
        let held = write_transaction(&mut conn, |c| webhooks::renew(c, &due, node, clock.now(), lease))
            .map_err(|e| e.to_string())?;
        if !held {
            continue;
        }
        let started = Instant::now();
        let (status_code, delivered, detail) = match send(http, &due, config.allow_private).await {
            Ok((status, body)) => (Some(i32::from(status)), (200..300).contains(&status), body),
            Err(e) => (None, false, e),
        };
        let attempt = Attempt {
            status_code,
            delivered,
            detail: &truncate(&detail, DETAIL_CHARS),
            duration_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
        };
        if delivered {
            tracing::info!(id = %due.id, event = %due.event_id, "webhook delivered");
        } else {
            tracing::warn!(id = %due.id, attempt = due.attempts + 1, status = ?status_code, "webhook not delivered: {detail}");
        }
        let now = clock.now();
        write_transaction(&mut conn, |c| {
            let off = webhooks::record_attempt(c, &due, node, &attempt, &config.policy, now)?;
            if let Some(off) = off {
                tracing::warn!(subscription = %off.subscription_id, url = %off.url, "webhook subscription switched off");
                if let Some((to, client)) = webhooks::owner_email(c, &off.client_id)? {
                    crate::db::outbox::enqueue(
                        c,
                        &crate::mail::templates::webhook_disabled(&to, &client, &off.url, &off.reason),
                        now,
                    )?;
                }
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// POSTs one delivery: its status and the start of its answer, or why it could not be sent.
async fn send(http: &reqwest::Client, due: &Due, allow_private: bool) -> Result<(u16, String), String> {
    let url = check_url(&due.url, allow_private)?;
    // The signing time is the real time, whatever the business clock says: receivers check it
    // against their own clocks to refuse replays.
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default();
    let signature = sign(&due.secret, &due.event_id, timestamp, &due.payload)?;
    let mut response = http
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &due.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(due.payload.clone())
        .send()
        .await
        .map_err(describe)?;
    let status = response.status().as_u16();
    // Only the start of the answer is kept: an endpoint may answer with anything.
    let mut body = Vec::new();
    while body.len() < 4 * DETAIL_CHARS {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// An error with its causes, which say what actually went wrong (refused, timed out, TLS…).
fn describe(e: reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
