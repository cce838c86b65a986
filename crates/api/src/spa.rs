//! Serves the built SPA: `index.html` for every page address (the SPA routes in the browser), and
//! `/assets/<name>.<hash>.<ext>` with the precompressed copy the browser accepts (brotli, then
//! gzip, made at build time by `tools/assets.py`). Hashed assets never change under one name, so
//! they are cached for a year; `index.html` is revalidated every time, so a new build is picked
//! up at once.

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use std::path::{Path, PathBuf};

use crate::error::ApiError;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// Fixed names a browser asks for by itself (`/favicon.ico`): a day, then asked again.
const DAILY: &str = "public, max-age=86400";

/// Whether `Accept-Encoding` accepts `coding` (by name or `*`; a weight of 0 refuses it).
fn accepts(req: &HttpRequest, coding: &str) -> bool {
    req.headers().get_all(header::ACCEPT_ENCODING).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let weight = parts
                .filter_map(|p| p.replace(' ', "").strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .next()
                .unwrap_or(1.0);
            (name.eq_ignore_ascii_case(coding) || name == "*") && weight > 0.0
        },
    )
}

/// `path` (or its precompressed copy) with the right type, encoding and caching.
async fn serve(req: &HttpRequest, path: &Path, cache: &'static str) -> Result<HttpResponse, ApiError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let mime = actix_files::file_extension_to_mime(ext);
    let variants = [("br", ContentEncoding::Brotli), ("gzip", ContentEncoding::Gzip)];
    let mut chosen = None;
    for (coding, encoding) in variants {
        let suffix = if coding == "br" { "br" } else { "gz" };
        let candidate = PathBuf::from(format!("{}.{suffix}", path.display()));
        if accepts(req, coding) && candidate.is_file() {
            chosen = Some((candidate, encoding));
            break;
        }
    }
    let file = match chosen {
        Some((p, encoding)) => NamedFile::open_async(p).await.map(|f| f.set_content_encoding(encoding)),
        None => NamedFile::open_async(path).await,
    }
    .map_err(|_| ApiError::not_found("file"))?;
    let mut res = file
        .set_content_type(mime)
        .disable_content_disposition()
        .use_etag(true)
        .use_last_modified(false)
        .into_response(req);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Ok(res)
}

/// `GET /assets/{name}`: only plain file names, never a path.
pub async fn asset(req: &HttpRequest, dir: &Path, name: &str) -> Result<HttpResponse, ApiError> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !plain || name.ends_with(".br") || name.ends_with(".gz") {
        return Err(ApiError::not_found("file"));
    }
    serve(req, &dir.join("assets").join(name), IMMUTABLE).await
}

/// `GET /favicon.ico`, which browsers and bookmark tools ask for whatever the page links: the
/// icon itself, never the SPA's page.
pub async fn favicon(req: &HttpRequest, dir: &Path) -> Result<HttpResponse, ApiError> {
    serve(req, &dir.join("favicon.ico"), DAILY).await
}

/// The SPA's page, for `/` and any deep link.
pub async fn index(req: &HttpRequest, dir: &Path) -> Result<HttpResponse, ApiError> {
    serve(req, &dir.join("index.html"), REVALIDATE).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn accept_encoding_weights_are_read() {
        let req = |v: &str| TestRequest::default().insert_header((header::ACCEPT_ENCODING, v)).to_http_request();
        assert!(accepts(&req("gzip, deflate, br"), "br"));
        assert!(!accepts(&req("gzip, br;q=0"), "br"));
        assert!(!accepts(&req("br;q=0.0, gzip"), "br"));
        assert!(accepts(&req("br;q=0.5"), "br"));
        assert!(accepts(&req("*"), "gzip"));
        assert!(!accepts(&req("identity"), "gzip"));
    }
}
