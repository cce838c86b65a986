//! The key that signs certificates as verifiable credentials: Ed25519 (JOSE `EdDSA`), kept in the
//! data dir as PKCS#8 PEM files under `keys/`, one per key id, with `keys/current` naming the one
//! that signs. Every key in the folder is published at `/.well-known/jwks.json`, so a credential
//! signed before a rotation (`trellis rotate-signing-key`) still verifies afterwards.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header};

use crate::error::ApiError;

/// The PKCS#8 v1 prefix of an Ed25519 private key (RFC 8410): the seed's 32 bytes follow.
const PKCS8_ED25519_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
const PEM_LABEL: &str = "PRIVATE KEY";

pub struct Signer {
    kid: String,
    key: EncodingKey,
    /// The keys as they were at start, should the folder become unreadable.
    jwks: JwkSet,
    dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("signing key {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("signing key {0}: not an Ed25519 PKCS#8 PEM key")]
    Malformed(PathBuf),
}

fn keys_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> KeyError + '_ {
    move |e| KeyError::Io(path.to_owned(), e)
}

fn read_der(path: &Path) -> Result<Vec<u8>, KeyError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
    let der = STANDARD.decode(body).map_err(|_| KeyError::Malformed(path.to_owned()))?;
    if der.len() != 48 || der[..16] != PKCS8_ED25519_PREFIX {
        return Err(KeyError::Malformed(path.to_owned()));
    }
    Ok(der)
}

/// Writes a file readable by its owner only, flushed to disk, then renamed into place.
fn write_private(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(io(&tmp))?;
    file.write_all(contents).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    Ok(())
}

/// Makes a new key, writes it, and names it current. Returns its key id.
pub fn rotate(data_dir: &Path) -> Result<String, KeyError> {
    let dir = keys_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let mut seed = [0u8; 32];
    rand::fill(&mut seed);
    let mut der = PKCS8_ED25519_PREFIX.to_vec();
    der.extend_from_slice(&seed);
    let b64 = STANDARD.encode(&der);
    let pem = format!("-----BEGIN {PEM_LABEL}-----\n{b64}\n-----END {PEM_LABEL}-----\n");
    let mut tag = [0u8; 4];
    rand::fill(&mut tag);
    let kid = format!(
        "trellis-{}-{}",
        chrono::Utc::now().format("%Y%m%d"),
        tag.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    write_private(&dir.join(format!("{kid}.pem")), pem.as_bytes())?;
    write_private(&dir.join("current"), kid.as_bytes())?;
    Ok(kid)
}

/// The folder's keys as a JWKS (public halves), and the private key named `kid`.
fn scan(dir: &Path, kid: &str) -> Result<(JwkSet, Option<EncodingKey>), KeyError> {
    let mut keys = vec![];
    let mut signing = None;
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .collect();
    names.sort();
    for path in names {
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let der = read_der(&path)?;
        let key = EncodingKey::from_ed_der(&der);
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::EdDSA).map_err(|_| KeyError::Malformed(path.clone()))?;
        jwk.common.key_id = Some(id.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        jwk.common.key_algorithm = Some(KeyAlgorithm::EdDSA);
        keys.push(jwk);
        if id == kid {
            signing = Some(key);
        }
    }
    Ok((JwkSet { keys }, signing))
}

impl Signer {
    /// The data dir's keys, making the first one if there is none.
    pub fn open(data_dir: &Path) -> Result<Signer, KeyError> {
        let dir = keys_dir(data_dir);
        let current = dir.join("current");
        let kid = match std::fs::read_to_string(&current) {
            Ok(k) => k.trim().to_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => rotate(data_dir)?,
            Err(e) => return Err(KeyError::Io(current, e)),
        };
        let (jwks, signing) = scan(&dir, &kid)?;
        let key = signing.ok_or_else(|| KeyError::Malformed(dir.join(format!("{kid}.pem"))))?;
        Ok(Signer { kid, key, jwks, dir })
    }

    /// The id of the key that signs now.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Every public key in the folder now (the current one, those it replaced, and one another
    /// node made since this one started), read afresh so nodes sharing the data dir agree.
    pub fn jwks(&self) -> JwkSet {
        match scan(&self.dir, &self.kid) {
            Ok((set, _)) => set,
            Err(e) => {
                tracing::warn!(error = %e, "reading the signing keys; publishing those read at start");
                self.jwks.clone()
            }
        }
    }

    /// A compact JWS over `claims`, `typ: JWT` with the key id in the header (OB 3.0 §8.2.3).
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &self.key).map_err(ApiError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    #[test]
    fn a_rotated_key_signs_and_the_old_one_stays_published() {
        let dir = std::env::temp_dir().join(format!("trellis-keys-{}", uuid::Uuid::new_v4()));
        let first = Signer::open(&dir).unwrap();
        let token = first.sign(&serde_json::json!({"sub": "x", "nbf": 1})).unwrap();
        rotate(&dir).unwrap();
        // A node started before the rotation publishes the new key too (the folder is shared).
        assert_eq!(first.jwks().keys.len(), 2);
        let second = Signer::open(&dir).unwrap();
        assert_ne!(first.kid(), second.kid());
        let published = second.jwks();
        assert_eq!(published.keys.len(), 2);
        let old = published.find(first.kid()).expect("the old key is still published");
        let mut v = Validation::new(Algorithm::EdDSA);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        jsonwebtoken::decode::<serde_json::Value>(&token, &DecodingKey::from_jwk(old).unwrap(), &v).unwrap();
        let mode = std::fs::metadata(dir.join("keys").join(format!("{}.pem", second.kid()))).unwrap();
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
