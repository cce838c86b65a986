//! A typed client for the Trellis API. The SPA uses it in the browser (over the page's `fetch`),
//! and the end-to-end tests use it natively (over reqwest), so both speak to the API through the
//! same calls.

use serde::Serialize;
use serde::de::DeserializeOwned;
use trellis_wire::*;
use uuid::Uuid;

/// What can go wrong with a call.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The API answered with a problem document.
    #[error("{} {}: {}", .0.status, .0.code, .0.detail.clone().unwrap_or_default())]
    Api(Problem),
    /// The request never got an answer.
    #[error("network error: {0}")]
    Transport(String),
    /// The answer was not what the API promises.
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api(p) => Some(p.status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api(p) => Some(&p.code),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, ClientError>;

#[derive(Debug, Clone)]
pub struct Client {
    #[cfg(not(target_arch = "wasm32"))]
    http: reqwest::Client,
    base: String,
    token: Option<String>,
    /// Sent as `Idempotency-Key` on POSTs (see [`Client::with_idempotency_key`]).
    idempotency_key: Option<String>,
}

/// One request, independent of the HTTP stack that sends it.
struct Call {
    method: &'static str,
    url: String,
    /// Content type and body.
    body: Option<(String, Vec<u8>)>,
    /// The version a write is based on (`If-Match`).
    if_match: Option<String>,
}

/// A response with the version the server gave it (`ETag`), to send back as `If-Match` on the
/// next write so that a save based on an older version is refused (412 `stale_write`) instead of
/// silently replacing someone else's.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub etag: Option<String>,
}

/// A response as it came: status, `ETag`, body.
type Raw = (u16, Option<String>, Vec<u8>);

/// A success body; 204 and other empty successes decode as `()` from `null`.
#[allow(clippy::result_large_err)] // the same error type every call returns
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let body: &[u8] = if bytes.is_empty() { b"null" } else { bytes };
    serde_json::from_slice(body).map_err(|e| ClientError::Decode(e.to_string()))
}

impl Client {
    /// `base` is the server's origin, e.g. `http://127.0.0.1:8080`.
    pub fn new(base: impl Into<String>) -> Client {
        Client {
            #[cfg(not(target_arch = "wasm32"))]
            http: reqwest::Client::new(),
            base: base.into().trim_end_matches('/').to_owned(),
            token: None,
            idempotency_key: None,
        }
    }

    pub fn with_token(&self, token: impl Into<String>) -> Client {
        Client { token: Some(token.into()), ..self.clone() }
    }

    /// This client with an `Idempotency-Key` for its POSTs: a retry of a call with the same key and
    /// the same request gets the first answer, and the work is done once (keys last 24 hours).
    pub fn with_idempotency_key(&self, key: impl Into<String>) -> Client {
        Client { idempotency_key: Some(key.into()), ..self.clone() }
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.base, path)
    }

    fn call(&self, method: &'static str, path: &str) -> Call {
        Call { method, url: self.url(path), body: None, if_match: None }
    }

    #[allow(clippy::result_large_err)] // the same error type every call returns
    fn json<B: Serialize>(mut call: Call, body: &B) -> Result<Call> {
        let json = serde_json::to_string(body).map_err(|e| ClientError::Decode(e.to_string()))?;
        call.body = Some(("application/json".to_owned(), json.into_bytes()));
        Ok(call)
    }

    async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let (_, bytes) = self.fetch(call).await?;
        decode(&bytes)
    }

    async fn send_versioned<T: DeserializeOwned>(&self, call: Call) -> Result<Versioned<T>> {
        let (etag, bytes) = self.fetch(call).await?;
        Ok(Versioned { value: decode(&bytes)?, etag })
    }

    /// The call's `ETag` and body, or its problem. Not generic, so that it is compiled once rather
    /// than once per response type (it matters in the browser bundle).
    async fn fetch(&self, call: Call) -> Result<(Option<String>, Vec<u8>)> {
        let (status, etag, bytes) = self.execute(call).await?;
        if !(200..300).contains(&status) {
            return Err(match serde_json::from_slice::<Problem>(&bytes) {
                Ok(p) => ClientError::Api(p),
                Err(_) => ClientError::Decode(format!("HTTP {status} without a problem document")),
            });
        }
        Ok((etag, bytes))
    }

    /// Natively: reqwest.
    #[cfg(not(target_arch = "wasm32"))]
    async fn execute(&self, call: Call) -> Result<Raw> {
        let method =
            reqwest::Method::from_bytes(call.method.as_bytes()).map_err(|e| ClientError::Transport(e.to_string()))?;
        let mut req = self.http.request(method, &call.url);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(tag) = call.if_match {
            req = req.header("if-match", tag);
        }
        if let (Some(key), "POST") = (&self.idempotency_key, call.method) {
            req = req.header("idempotency-key", key);
        }
        if let Some((content_type, body)) = call.body {
            req = req.header("content-type", content_type).body(body);
        }
        let res = req.send().await.map_err(|e| ClientError::Transport(e.to_string()))?;
        let status = res.status().as_u16();
        let etag = res.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = res.bytes().await.map_err(|e| ClientError::Transport(e.to_string()))?;
        Ok((status, etag, bytes.to_vec()))
    }

    /// In the browser: the page's own `fetch`, which keeps the SPA free of an HTTP stack of its own.
    #[cfg(target_arch = "wasm32")]
    async fn execute(&self, call: Call) -> Result<Raw> {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let js = |e: wasm_bindgen::JsValue| ClientError::Transport(format!("{e:?}"));
        let headers = web_sys::Headers::new().map_err(js)?;
        headers.set("accept", "application/json").map_err(js)?;
        if let Some(t) = &self.token {
            headers.set("authorization", &format!("Bearer {t}")).map_err(js)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(call.method);
        if let Some(tag) = &call.if_match {
            headers.set("if-match", tag).map_err(js)?;
        }
        if let (Some(key), "POST") = (&self.idempotency_key, call.method) {
            headers.set("idempotency-key", key).map_err(js)?;
        }
        if let Some((content_type, body)) = &call.body {
            headers.set("content-type", content_type).map_err(js)?;
            init.set_body(&js_sys::Uint8Array::from(body.as_slice()));
        }
        init.set_headers(&headers);
        let request = web_sys::Request::new_with_str_and_init(&call.url, &init).map_err(js)?;
        let window = web_sys::window().ok_or_else(|| ClientError::Transport("no window".into()))?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_request(&request)).await.map_err(js)?.dyn_into().map_err(js)?;
        let etag = response.headers().get("etag").map_err(js)?;
        let buffer = JsFuture::from(response.array_buffer().map_err(js)?).await.map_err(js)?;
        Ok((response.status(), etag, js_sys::Uint8Array::new(&buffer).to_vec()))
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send(self.call("GET", path)).await
    }

    pub async fn get_query<T: DeserializeOwned, Q: Serialize>(&self, path: &str, query: &Q) -> Result<T> {
        let query = serde_urlencoded::to_string(query).map_err(|e| ClientError::Decode(e.to_string()))?;
        let path = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
        self.send(self.call("GET", &path)).await
    }

    pub async fn post<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T> {
        self.send(Client::json(self.call("POST", path), body)?).await
    }

    pub async fn put<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T> {
        self.send(Client::json(self.call("PUT", path), body)?).await
    }

    /// A PUT based on the version `if_match` (sent as `If-Match`), answered with the new version.
    pub async fn put_if<T: DeserializeOwned, B: Serialize>(
        &self,
        path: &str,
        body: &B,
        if_match: Option<&str>,
    ) -> Result<Versioned<T>> {
        let mut call = Client::json(self.call("PUT", path), body)?;
        call.if_match = if_match.map(str::to_owned);
        self.send_versioned(call).await
    }

    pub async fn patch<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T> {
        self.send(Client::json(self.call("PATCH", path), body)?).await
    }

    /// A POST with no body (lifecycle moves, cancellations, signing out).
    pub async fn post_empty<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send(self.call("POST", path)).await
    }

    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send(self.call("DELETE", path)).await
    }

    /// A file's bytes (a download).
    pub async fn get_bytes(&self, path: &str) -> Result<Vec<u8>> {
        Ok(self.fetch(self.call("GET", path)).await?.1)
    }

    /// A multipart/form-data POST of one file in a part named `file`.
    pub async fn post_file<T: DeserializeOwned>(&self, path: &str, filename: &str, bytes: &[u8]) -> Result<T> {
        let boundary = format!("trellis-{:016x}", fnv(bytes));
        let name: String = filename.chars().filter(|c| !matches!(c, '"' | '\\' | '\r' | '\n')).collect();
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut call = self.call("POST", path);
        call.body = Some((format!("multipart/form-data; boundary={boundary}"), body));
        self.send(call).await
    }
}

/// A boundary that the file's own bytes are unlikely to hold: a hash of them.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3))
}

mod accounts;
#[cfg(not(target_arch = "wasm32"))]
mod bundle;
#[cfg(not(target_arch = "wasm32"))]
pub use bundle::{BUNDLE_FILES, bundle_folder};
mod assessment;
mod certificates;
mod coaching;
mod cohorts;
mod dashboards;
mod delivery;
mod diagnostics;
mod directory;
mod evaluation;
mod identity;
mod mail;
mod partnerships;
mod portfolio;
mod programmes;
mod projects;
mod roster;
mod self_assessment;
mod service;
mod webhooks;
