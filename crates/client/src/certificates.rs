//! Certificates, their credentials, and what anyone may read without signing in (the verify
//! page's data, shared evidence, status lists, the issuing keys). One method per operation.

use super::*;

impl Client {
    pub async fn issue_certificate(&self, enrolment: Uuid) -> Result<Certificate> {
        self.post_empty(&format!("/enrolments/{enrolment}/certificate")).await
    }

    pub async fn get_enrolment_certificate(&self, enrolment: Uuid) -> Result<Certificate> {
        self.get(&format!("/enrolments/{enrolment}/certificate")).await
    }

    pub async fn get_certificate(&self, certificate: Uuid) -> Result<Certificate> {
        self.get(&format!("/certificates/{certificate}")).await
    }

    pub async fn revoke_certificate(&self, certificate: Uuid, body: &RevokeCertificate) -> Result<Certificate> {
        self.post(&format!("/certificates/{certificate}/revoke"), body).await
    }

    pub async fn share_certificate_evidence(
        &self,
        certificate: Uuid,
        body: &ShareCertificateEvidence,
    ) -> Result<Certificate> {
        self.put(&format!("/certificates/{certificate}/evidence"), body).await
    }

    pub async fn get_certificate_credential(&self, certificate: Uuid) -> Result<CertificateCredential> {
        self.get(&format!("/certificates/{certificate}/credential")).await
    }

    /// No sign-in needed: the code is the holder's to share.
    pub async fn verify_certificate(&self, code: &str) -> Result<PublicCertificate> {
        self.get(&format!("/verify/{}", encode_segment(code))).await
    }

    pub async fn get_shared_evidence(&self, code: &str, entry: Uuid) -> Result<SharedEvidence> {
        self.get(&format!("/verify/{}/evidence/{entry}", encode_segment(code))).await
    }

    /// The issuer's status list as served: a compact JWS.
    pub async fn get_status_list(&self, issuer: Uuid) -> Result<String> {
        let (_, bytes) = self.fetch(self.call("GET", &format!("/credentials/status/{issuer}"))).await?;
        String::from_utf8(bytes).map_err(|e| ClientError::Decode(e.to_string()))
    }

    /// `/.well-known/jwks.json`, beside the API rather than under it.
    pub async fn get_jwks(&self) -> Result<JsonWebKeySet> {
        let call =
            Call { method: "GET", url: format!("{}/.well-known/jwks.json", self.base), body: None, if_match: None };
        self.send(call).await
    }
}

/// A code as one path segment: anything but letters, digits and `-` percent-encoded.
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
