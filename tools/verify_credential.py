"""Verifies a Trellis certificate credential with libraries Trellis does not use.

Reads a VC-JWT on stdin; fetches the issuer keys (JWKS) and the status list over HTTP from the
server under test. Checks, independently of Trellis's own code:

1. the signature, with PyJWT, against the JWKS key the header's `kid` names (EdDSA only);
2. the Open Badges 3.0 credential with openbadgeslib's OB3Verifier (required claims, types,
   `iss`/`sub`/`jti` bound to the credential, validity window), including its revocation status
   through the Bitstring Status List (the list's own signature too, with the same key);
3. that every member of the credential is defined by its `@context` (openbadgeslib's JSON-LD form
   check, offline, with the contexts it ships).

Prints a JSON summary. Exit 0 when the credential is as `--expect` says (`valid` or `revoked`),
1 otherwise.

    tools/venv/bin/python tools/verify_credential.py --jwks http://…/.well-known/jwks.json --expect valid < token
"""

import argparse
import json
import sys
import urllib.request

import jwt
from cryptography.hazmat.primitives import serialization
from openbadgeslib.ob3 import ldp
from openbadgeslib.ob3.contexts import document_loader
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier

JWT_CLAIMS = ("iss", "sub", "jti", "nbf", "iat", "exp")


def http_get(url: str) -> bytes:
    # The server under test listens on plain HTTP on the loopback: the library's own fetcher
    # insists on HTTPS, so the harness hands it this one (size-capped like the library's).
    if not url.startswith("http://127.0.0.1:") and not url.startswith("http://localhost:"):
        raise ValueError(f"refusing to fetch {url} outside the test server")
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read(5 * 1024 * 1024)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jwks", required=True)
    ap.add_argument("--expect", choices=["valid", "revoked"], required=True)
    args = ap.parse_args()
    token = sys.stdin.read().strip()
    summary: dict = {}

    header = jwt.get_unverified_header(token)
    summary["alg"] = header.get("alg")
    summary["kid"] = header.get("kid")
    keys = json.loads(http_get(args.jwks))["keys"]
    match = [k for k in keys if k.get("kid") == header.get("kid")]
    if len(match) != 1 or header.get("alg") != "EdDSA":
        print(json.dumps({"error": "no single EdDSA key for the header's kid", **summary}))
        return 1
    public = jwt.PyJWK(match[0]).key
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    # 1. The signature alone, with PyJWT.
    claims = jwt.decode(token, pem, algorithms=["EdDSA"], options={"verify_aud": False})
    summary["signature"] = "ok"

    # 3. Every member defined by the credential's @context.
    document = {k: v for k, v in claims.items() if k not in JWT_CLAIMS}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": document.get("validFrom"),
        "verificationMethod": args.jwks + "#" + str(header.get("kid")),
        "proofPurpose": "assertionMethod",
    }
    try:
        ldp._check_json_ld_form(document, proof, document_loader())
        summary["json_ld"] = "every member is defined by the context"
    except OB3VerificationError as e:
        print(json.dumps({"error": f"JSON-LD: {e}", **summary}))
        return 1

    # 2. Open Badges 3.0, with its status.
    verifier = OB3Verifier(pem)
    credential = verifier.verify(token)
    summary["achievement"] = credential.achievement.name
    summary["issuer"] = credential.issuer.name
    summary["criteria"] = credential.achievement.criteria_narrative
    summary["evidence"] = [e.id for e in credential.evidence]
    summary["subject"] = credential.recipient_id
    try:
        verifier.check_status(credential, verify_list=True, download=http_get)
        summary["status"] = "valid"
    except OB3VerificationError as e:
        if "status 'revocation' is set" not in str(e):
            print(json.dumps({"error": f"status: {e}", **summary}))
            return 1
        summary["status"] = "revoked"
    print(json.dumps(summary))
    return 0 if summary["status"] == args.expect else 1


if __name__ == "__main__":
    sys.exit(main())
