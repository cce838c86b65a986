//! Evidence files on disk: content-addressed by SHA-256 under `<data dir>/files`, written to a
//! temporary file, flushed to disk and renamed into place, so a crash never leaves half a file
//! under a real name. The database says which entry holds which bytes; the same bytes uploaded
//! twice are stored once.
//!
//! Order of writes: bytes are renamed into place *before* the row that names them commits, so an
//! acknowledged upload always has its file; a crash in between leaves at most an unreferenced
//! file, which [`Store::sweep`] removes at a later start-up. Removing bytes (no row left) and adding a
//! row for the same bytes are serialised by one lock per process.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use trellis_domain::portfolio::FileKind;

use crate::error::ApiError;

/// Default largest upload: 25 MiB (`TRELLIS_MAX_UPLOAD_BYTES`).
pub const DEFAULT_MAX_BYTES: u64 = 25 * 1024 * 1024;
/// How much of the start of a file is kept to tell its type.
const SNIFF_BYTES: usize = 64 * 1024;

pub struct Store {
    root: PathBuf,
    tmp: PathBuf,
    pub max_bytes: u64,
    /// Held while bytes are renamed in and their row written, and while unreferenced bytes are removed.
    pub lock: tokio::sync::Mutex<()>,
}

/// Bytes received into a temporary file, not yet in the store.
pub struct Received {
    pub sha256: String,
    pub size: u64,
    /// The allowed kind the bytes are, if they are one.
    pub kind: Option<FileKind>,
    /// What the bytes look like otherwise (a media type), for the refusal.
    pub seen: Option<String>,
    temp: Option<PathBuf>,
}

impl Drop for Received {
    fn drop(&mut self) {
        if let Some(t) = self.temp.take() {
            let _ = std::fs::remove_file(t);
        }
    }
}

/// What went wrong receiving a file.
#[derive(Debug)]
pub enum ReceiveError {
    TooLarge {
        limit: u64,
    },
    Io(std::io::Error),
    /// The body stopped before the file ended (the client went away, or sent a broken part).
    Body(String),
}

impl From<std::io::Error> for ReceiveError {
    fn from(e: std::io::Error) -> Self {
        ReceiveError::Io(e)
    }
}

/// The allowed kind these bytes are, told from the bytes alone.
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    let t = infer::get(head)?;
    FileKind::from_media_type(t.mime_type())
}

/// A temporary file being written: removed on drop unless kept.
struct Temp {
    path: PathBuf,
    file: std::fs::File,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    limit: u64,
}

impl Temp {
    fn write(&mut self, chunk: &[u8]) -> Result<(), ReceiveError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(ReceiveError::TooLarge { limit: self.limit });
        }
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk)?;
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Store {
    /// Opens (creating) the store under `data_dir`, and removes temporary files a crash left.
    pub fn open(data_dir: &Path, max_bytes: u64) -> std::io::Result<Store> {
        let root = data_dir.join("files");
        let tmp = root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        for entry in std::fs::read_dir(&tmp)? {
            let _ = std::fs::remove_file(entry?.path());
        }
        Ok(Store { root, tmp, max_bytes, lock: tokio::sync::Mutex::new(()) })
    }

    /// Where the bytes with this SHA-256 live (two levels of fan-out by its first four hex digits).
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let (a, rest) = sha256.split_at(2.min(sha256.len()));
        let (b, _) = rest.split_at(2.min(rest.len()));
        self.root.join(a).join(b).join(sha256)
    }

    /// Receives a file from a stream of chunks into a temporary file, hashing as it goes and
    /// stopping at the size limit. Nothing is in the store until [`Store::keep`].
    pub async fn receive<S, E>(&self, mut chunks: S) -> Result<Received, ReceiveError>
    where
        S: futures_util::Stream<Item = Result<actix_web::web::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures_util::StreamExt;
        let path = self.tmp.join(format!("{}.part", uuid::Uuid::new_v4()));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
        let mut temp = Temp { path, file, hasher: Sha256::new(), size: 0, head: vec![], limit: self.max_bytes };
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| ReceiveError::Body(e.to_string()))?;
            temp.write(&chunk)?;
        }
        temp.file.sync_all()?;
        let sha256 = hex(&temp.hasher.clone().finalize());
        let kind = sniff(&temp.head);
        let seen = infer::get(&temp.head).map(|t| t.mime_type().to_owned());
        let path = std::mem::take(&mut temp.path);
        Ok(Received { sha256, size: temp.size, kind, seen, temp: Some(path) })
    }

    /// Renames the received bytes into place (if the same bytes are there already, the copy is
    /// dropped), then flushes the directory so the name survives a crash.
    pub fn keep(&self, mut received: Received) -> std::io::Result<()> {
        let Some(temp) = received.temp.take() else { return Ok(()) };
        self.keep_path(&temp, &received.sha256)
    }

    fn keep_path(&self, temp: &Path, sha256: &str) -> std::io::Result<()> {
        let dest = self.path_of(sha256);
        let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&dir)?;
        if dest.is_file() {
            std::fs::remove_file(temp)?;
            return Ok(());
        }
        std::fs::rename(temp, &dest)?;
        std::fs::File::open(&dir)?.sync_all()
    }

    /// Removes bytes no row references any more (the caller checked, holding [`Store::lock`]).
    pub fn remove(&self, sha256: &str) {
        if let Err(e) = std::fs::remove_file(self.path_of(sha256))
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(sha256, error = %e, "could not remove an unreferenced evidence file");
        }
    }

    /// Removes stored bytes no row references, among those older than an hour (younger ones may be
    /// an upload on another node between its rename and its commit). Run at start-up.
    pub fn sweep(&self, referenced: impl Fn(&str) -> bool) -> usize {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let mut removed = 0;
        for sha in self.stored() {
            let old = std::fs::metadata(self.path_of(&sha)).and_then(|m| m.modified()).is_ok_and(|t| t < hour_ago);
            if old && !referenced(&sha) {
                self.remove(&sha);
                removed += 1;
            }
        }
        removed
    }

    /// The stored files' SHA-256s (for a sweep of bytes left without a row).
    pub fn stored(&self) -> Vec<String> {
        let mut out = vec![];
        let Ok(level1) = std::fs::read_dir(&self.root) else { return out };
        for a in level1.flatten().filter(|a| a.file_name() != "tmp") {
            for b in std::fs::read_dir(a.path()).into_iter().flatten().flatten() {
                for f in std::fs::read_dir(b.path()).into_iter().flatten().flatten() {
                    out.push(f.file_name().to_string_lossy().into_owned());
                }
            }
        }
        out
    }
}

/// A received file's kind, or 415 `unsupported_file_type` naming what is allowed.
pub fn require_allowed(received: &Received) -> Result<FileKind, ApiError> {
    if let Some(kind) = received.kind {
        return Ok(kind);
    }
    let seen = received.seen.clone().unwrap_or_else(|| "of a kind not recognised".into());
    let allowed = FileKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ");
    Err(ApiError::new(
        actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_file_type",
        format!("the file is {seen}; evidence files must be one of: {allowed} (told from the file's contents)"),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl From<ReceiveError> for ApiError {
    fn from(e: ReceiveError) -> ApiError {
        match e {
            ReceiveError::TooLarge { limit } => ApiError::new(
                actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                format!("the file is larger than the limit of {limit} bytes ({} MiB)", limit / (1024 * 1024)),
            ),
            ReceiveError::Body(m) => ApiError::bad_request("invalid_multipart", format!("the upload broke off: {m}")),
            ReceiveError::Io(e) => ApiError::internal(e),
        }
    }
}

/// Stored bytes as a download: `Content-Disposition: attachment` with the name (ASCII and UTF-8),
/// the kind's media type, `nosniff` (actix-files sets it), a sandboxing CSP, and never cached.
pub async fn attachment(
    store: &Store,
    req: &actix_web::HttpRequest,
    sha256: &str,
    filename: &str,
    kind: FileKind,
) -> Result<actix_web::HttpResponse, ApiError> {
    use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
    let named = actix_files::NamedFile::open_async(store.path_of(sha256)).await.map_err(ApiError::internal)?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(filename.chars().filter(|c| c.is_ascii() && !c.is_ascii_control()).collect()),
            DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: filename.as_bytes().to_vec(),
            }),
        ],
    };
    let mime: actix_web::mime::Mime = kind.media_type().parse().map_err(ApiError::internal)?;
    let mut res =
        named.set_content_type(mime).set_content_disposition(disposition).use_last_modified(false).into_response(req);
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(res)
}

/// Refuses an upload announced as larger than a file and its envelope can be (413), before a
/// byte of it is read.
pub fn check_upload(req: &actix_web::HttpRequest, limit: u64) -> Result<(), ApiError> {
    let announced = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit + 64 * 1024) {
        return Err(ReceiveError::TooLarge { limit }.into());
    }
    Ok(())
}

/// An uploaded file, received, of an allowed kind and not empty, not yet kept.
pub struct Upload {
    pub received: Received,
    pub filename: String,
    pub kind: FileKind,
}

/// Reads an upload form's one part, named `file`, into a temporary file: 415 for a body that is
/// not `multipart/form-data` or a kind that is not allowed, 422 `file_empty` for no bytes, 400 `invalid_multipart` for any other form.
pub async fn read_upload(
    store: &Store,
    req: &actix_web::HttpRequest,
    payload: actix_web::web::Payload,
) -> Result<Upload, ApiError> {
    use futures_util::StreamExt;
    let is_multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::new(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as multipart/form-data, in a part named `file`",
        ));
    }
    let mut form = actix_multipart::Multipart::new(req.headers(), payload);
    let mut received = None;
    while let Some(field) = form.next().await {
        let field = field.map_err(|e| ApiError::bad_request("invalid_multipart", e.to_string()))?;
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" || received.is_some() {
            return Err(ApiError::bad_param("invalid_multipart", &name, "the form has one part, named `file`"));
        }
        let filename = trellis_domain::portfolio::clean_file_name(
            field.content_disposition().and_then(|d| d.get_filename()).unwrap_or(""),
        );
        received = Some((store.receive(field).await?, filename));
    }
    let Some((received, filename)) = received else {
        return Err(ApiError::bad_param("invalid_multipart", "file", "the form has no part named `file`"));
    };
    let kind = require_allowed(&received)?;
    if received.size == 0 {
        return Err(ApiError::field("file_empty", "file", "the file is empty"));
    }
    Ok(Upload { received, filename, kind })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::web::Bytes;
    use futures_util::stream;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    fn store(max: u64) -> (tempdir::Dir, Store) {
        let dir = tempdir::Dir::new();
        let s = Store::open(&dir.0, max).unwrap();
        (dir, s)
    }

    /// A throwaway directory (no dependency for one test).
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                let p = std::env::temp_dir().join(format!("trellis-files-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&p).unwrap();
                Dir(p)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn temp_files(s: &Store) -> usize {
        std::fs::read_dir(&s.tmp).unwrap().count()
    }

    #[actix_web::test]
    async fn a_file_is_stored_once_under_its_hash() {
        let (_d, s) = store(1024);
        let chunks = stream::iter(vec![
            Ok::<_, std::io::Error>(Bytes::from_static(&PNG[..10])),
            Ok(Bytes::from_static(&PNG[10..])),
        ]);
        let r = s.receive(chunks).await.unwrap();
        assert_eq!(require_allowed(&r).unwrap(), FileKind::Png);
        assert_eq!(r.size, PNG.len() as u64);
        assert_eq!(r.sha256, hex(&Sha256::digest(PNG)));
        let sha = r.sha256.clone();
        s.keep(r).unwrap();
        assert_eq!(std::fs::read(s.path_of(&sha)).unwrap(), PNG);
        // The same bytes again: one copy, no temporary file left.
        let r = s.receive(stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(PNG))])).await.unwrap();
        s.keep(r).unwrap();
        assert_eq!(s.stored(), vec![sha]);
        assert_eq!(temp_files(&s), 0);
    }

    #[actix_web::test]
    async fn a_failure_midway_leaves_no_file_at_all() {
        let (_d, s) = store(1024);
        // The body breaks off after the first chunk, as when a client's connection drops.
        let chunks = stream::iter(vec![Ok(Bytes::from_static(&PNG[..10])), Err("connection reset")]);
        let Err(ReceiveError::Body(_)) = s.receive(chunks).await else { panic!("a broken body must fail") };
        assert_eq!(temp_files(&s), 0, "the partial temporary file is removed");
        assert!(s.stored().is_empty(), "nothing reaches a real name");
        // Over the limit: refused as it crosses it, nothing kept.
        let big = vec![0u8; 700];
        let chunks = stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from(big.clone())), Ok(Bytes::from(big))]);
        let Err(ReceiveError::TooLarge { limit: 1024 }) = s.receive(chunks).await else { panic!("over the limit") };
        assert_eq!(temp_files(&s), 0);
        // Received but never kept (the request was refused after): dropped with its temporary file.
        let r = s.receive(stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(PNG))])).await.unwrap();
        drop(r);
        assert_eq!(temp_files(&s), 0);
        assert!(s.stored().is_empty());
    }

    #[actix_web::test]
    async fn a_crash_before_the_rename_leaves_only_a_temporary_file_which_start_up_removes() {
        let dir = tempdir::Dir::new();
        let s = Store::open(&dir.0, 1024).unwrap();
        let mut r = s.receive(stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(PNG))])).await.unwrap();
        // Simulate the process dying here: the temporary file is never renamed or removed.
        let temp = r.temp.take().unwrap();
        std::mem::forget(r);
        assert!(temp.is_file() && s.stored().is_empty());
        let reopened = Store::open(&dir.0, 1024).unwrap();
        assert!(!temp.exists(), "start-up clears what a crash left");
        assert!(reopened.stored().is_empty());
    }

    #[test]
    fn only_allowed_kinds_are_recognised() {
        assert_eq!(sniff(PNG), Some(FileKind::Png));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None, "a Windows executable");
        assert_eq!(sniff(b"GIF89a"), None, "a real image type, but not on the list");
    }
}
