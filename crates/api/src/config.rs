//! Configuration from the environment, with defaults that work out of the box.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// What time it is: the system clock (tests may fix it).
    pub clock: crate::clock::Clock,
    /// `sqlite://…`, a file path, or `postgres://…`.
    pub database_url: String,
    pub bind: String,
    pub data_dir: PathBuf,
    /// HS256 key for access tokens.
    pub jwt_secret: Vec<u8>,
    /// Where the built SPA lives (`index.html` and its assets); `None` serves no SPA.
    pub static_dir: Option<PathBuf>,
    pub demo_password: String,
    /// The public origin (e.g. `https://trellis.example.org`) for links Trellis hands out, such as
    /// calendar feed URLs; when unset, the request's own scheme and host are used.
    pub public_url: Option<String>,
    /// Reverse proxies (`TRELLIS_TRUSTED_PROXIES`, comma-separated addresses) whose
    /// `X-Forwarded-For`/`-Proto`/`-Host` headers are believed; nobody else's are.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Email: `TRELLIS_SMTP_URL` and `TRELLIS_MAIL_FROM` (see [`crate::mail::MailConfig`]).
    pub mail: crate::mail::MailConfig,
    /// Largest evidence file accepted, in bytes (`TRELLIS_MAX_UPLOAD_BYTES`; default 25 MiB).
    pub max_upload_bytes: u64,
    /// Webhooks: `TRELLIS_WEBHOOKS_ALLOW_PRIVATE` (see [`crate::webhooks::WebhookConfig`]).
    pub webhooks: crate::webhooks::WebhookConfig,
    /// Requests per minute a machine client may make unless it has its own limit
    /// (`TRELLIS_CLIENT_RATE_LIMIT`; default 600).
    pub client_rate_limit: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot create data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("cannot read or write the JWT secret at {0}: {1}")]
    Secret(PathBuf, std::io::Error),
    #[error("TRELLIS_JWT_SECRET must be at least 32 bytes")]
    WeakSecret,
    #[error("TRELLIS_TRUSTED_PROXIES must list IP addresses; {0:?} is not one")]
    Proxy(String),
    #[error("TRELLIS_PUBLIC_URL must be an http:// or https:// origin, such as https://trellis.example.org")]
    PublicUrl,
    #[error("TRELLIS_SMTP_URL must start smtp:// or smtps://, such as smtp://127.0.0.1:1025")]
    SmtpUrl,
    #[error("TRELLIS_MAX_UPLOAD_BYTES must be a whole number of bytes from 1024 to 4294967296")]
    MaxUpload,
    #[error("TRELLIS_WEBHOOKS_ALLOW_PRIVATE must be true or false")]
    WebhooksAllowPrivate,
    #[error("TRELLIS_CLIENT_RATE_LIMIT must be a whole number of requests per minute from 1 to 10000000")]
    RateLimit,
}

/// Requests per minute a machine client may make by default.
pub const DEFAULT_CLIENT_RATE_LIMIT: u32 = 600;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Reads `DATABASE_URL`, `TRELLIS_BIND`, `TRELLIS_DATA_DIR`, `TRELLIS_JWT_SECRET`,
    /// `TRELLIS_STATIC_DIR`, `TRELLIS_DEMO_PASSWORD`, `TRELLIS_PUBLIC_URL`,
    /// `TRELLIS_TRUSTED_PROXIES`, `TRELLIS_SMTP_URL`, `TRELLIS_MAIL_FROM`, `TRELLIS_MAX_UPLOAD_BYTES`,
    /// `TRELLIS_WEBHOOKS_ALLOW_PRIVATE` and `TRELLIS_CLIENT_RATE_LIMIT`.
    pub fn from_env() -> Result<Config, ConfigError> {
        let data_dir = PathBuf::from(var("TRELLIS_DATA_DIR").unwrap_or_else(|| "./data".into()));
        std::fs::create_dir_all(&data_dir).map_err(|e| ConfigError::DataDir(data_dir.clone(), e))?;
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| data_dir.join("trellis.sqlite3").to_string_lossy().into_owned());
        let jwt_secret = match var("TRELLIS_JWT_SECRET") {
            Some(s) if s.len() < 32 => return Err(ConfigError::WeakSecret),
            Some(s) => s.into_bytes(),
            None => persistent_secret(&data_dir)?,
        };
        let static_dir = match var("TRELLIS_STATIC_DIR") {
            Some(d) => Some(PathBuf::from(d)),
            None => Some(PathBuf::from("frontend/dist")).filter(|d| d.join("index.html").is_file()),
        };
        Ok(Config {
            clock: crate::clock::Clock::system(),
            database_url,
            bind: var("TRELLIS_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            jwt_secret,
            static_dir,
            demo_password: var("TRELLIS_DEMO_PASSWORD").unwrap_or_else(|| "trellis-demo".into()),
            public_url: match var("TRELLIS_PUBLIC_URL") {
                Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                    Some(u.trim_end_matches('/').to_owned())
                }
                Some(_) => return Err(ConfigError::PublicUrl),
                None => None,
            },
            trusted_proxies: crate::net::parse_proxies(&var("TRELLIS_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(ConfigError::Proxy)?,
            mail: crate::mail::MailConfig {
                smtp_url: match var("TRELLIS_SMTP_URL") {
                    Some(u) if u.starts_with("smtp://") || u.starts_with("smtps://") => Some(u),
                    Some(_) => return Err(ConfigError::SmtpUrl),
                    None => None,
                },
                from: var("TRELLIS_MAIL_FROM").unwrap_or_else(|| crate::mail::MailConfig::default().from),
                ..Default::default()
            },
            max_upload_bytes: match var("TRELLIS_MAX_UPLOAD_BYTES") {
                Some(v) => {
                    v.trim().parse().ok().filter(|n| (1024..=1u64 << 32).contains(n)).ok_or(ConfigError::MaxUpload)?
                }
                None => crate::files::DEFAULT_MAX_BYTES,
            },
            webhooks: crate::webhooks::WebhookConfig {
                allow_private: match var("TRELLIS_WEBHOOKS_ALLOW_PRIVATE").as_deref().map(str::trim) {
                    None | Some("0" | "false" | "no") => false,
                    Some("1" | "true" | "yes") => true,
                    Some(_) => return Err(ConfigError::WebhooksAllowPrivate),
                },
                ..Default::default()
            },
            client_rate_limit: match var("TRELLIS_CLIENT_RATE_LIMIT") {
                Some(v) => {
                    v.trim().parse().ok().filter(|n| (1..=10_000_000).contains(n)).ok_or(ConfigError::RateLimit)?
                }
                None => DEFAULT_CLIENT_RATE_LIMIT,
            },
        })
    }
}

/// A signing key generated on first start and kept in the data dir, so tokens survive restarts
/// without anyone having to configure a secret.
fn persistent_secret(data_dir: &std::path::Path) -> Result<Vec<u8>, ConfigError> {
    let path = data_dir.join("jwt-secret");
    let err = |e| ConfigError::Secret(path.clone(), e);
    match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 32 => return Ok(s.trim().as_bytes().to_vec()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    let secret = crate::auth::random_token();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(err)?;
    std::io::Write::write_all(&mut file, secret.as_bytes()).map_err(err)?;
    Ok(secret.into_bytes())
}
