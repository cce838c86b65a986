//! The committed OpenAPI document is exactly what the code generates (`make spec` rewrites it).

#[test]
fn committed_openapi_matches_generated() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec/openapi.json");
    let committed = std::fs::read_to_string(path).expect("api-spec/openapi.json exists");
    let generated = trellis_api::startup::openapi_json();
    assert!(committed == generated, "api-spec/openapi.json is stale: run `make spec` and commit the result");
}

#[test]
fn every_operation_has_a_verb_resource_id_and_documents_errors() {
    let spec: serde_json::Value = serde_json::from_str(&trellis_api::startup::openapi_json()).unwrap();
    let verbs = [
        "get",
        "list",
        "create",
        "update",
        "cancel",
        "refresh",
        "delete",
        "approve",
        "activate",
        "defer",
        "resume",
        "withdraw",
        "complete",
        "switch",
        "preview",
        "accept",
        "deactivate",
        "reactivate",
        "rotate",
        "record",
        "submit",
        "verify",
        "return",
        "upload",
        "issue",
        "revoke",
        "share",
        "assign",
        "release",
        "open",
        "save",
        "decline",
        "close",
        "sync",
        "export",
        "replay",
        "postpone",
        "circulate",
        "acknowledge",
        "leave",
        "move",
    ];
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            let verb = id.split('_').next().unwrap();
            assert!(
                verbs.contains(&verb) && id.contains('_'),
                "{method} {path}: operation id {id} is not <verb>_<resource>"
            );
            let responses = op["responses"].as_object().unwrap();
            // Health and the public keys answer every well-formed request.
            if path != "/api/v1/health" && path != "/.well-known/jwks.json" {
                assert!(responses.keys().any(|k| k.starts_with('4')), "{method} {path} documents no error response");
            }
            let public = [
                "/api/v1/health",
                "/api/v1/auth/login",
                "/api/v1/auth/refresh",
                "/api/v1/auth/token",
                "/api/v1/invitation-links/preview",
                "/api/v1/invitation-links/accept",
                "/api/v1/password-resets",
                "/api/v1/password-resets/complete",
                "/calendar/{token}.ics",
                "/api/v1/verify/{code}",
                "/api/v1/verify/{code}/evidence/{entry_id}",
                "/api/v1/credentials/status/{issuer_id}",
                "/.well-known/jwks.json",
                "/api/v1/rater-links/open",
                "/api/v1/rater-links/save",
                "/api/v1/rater-links/submit",
                "/api/v1/rater-links/decline",
            ];
            if !public.contains(&path.as_str()) {
                assert!(op["security"].is_array(), "{method} {path} documents no security");
            }
        }
    }
    assert!(count >= 32, "only {count} operations documented");
}

/// The document's text patterns are the domain's own (`trellis_domain::text`), so a generated
/// client refuses what the server refuses; and every enumeration is spelt as the API spells it.
#[test]
fn text_patterns_come_from_the_domain_and_enums_are_snake_case() {
    use trellis_domain::text::{LINE_PATTERN, MULTILINE_PATTERN, NAME_PATTERN};
    let spec: serde_json::Value = serde_json::from_str(&trellis_api::startup::openapi_json()).unwrap();
    let mut text_fields = 0;
    fn walk(v: &serde_json::Value, at: &str, f: &mut dyn FnMut(&str, &serde_json::Value)) {
        f(at, v);
        match v {
            serde_json::Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, &format!("{at}/{k}"), f)),
            serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{at}/{i}"), f)),
            _ => {}
        }
    }
    walk(&spec, "", &mut |at, v| {
        if let Some(p) = v.get("pattern").and_then(|p| p.as_str())
            && p.contains(r"\u202a")
        {
            assert!(
                [LINE_PATTERN, NAME_PATTERN, MULTILINE_PATTERN].contains(&p),
                "{at}: a text pattern not from the domain"
            );
            text_fields += 1;
        }
        if let Some(values) = v.get("enum").and_then(|e| e.as_array()) {
            for value in values.iter().filter_map(|e| e.as_str()) {
                assert!(
                    // Dotted only for webhook event types (`enrolment.status_changed`), as Standard Webhooks does.
                    value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-:.".contains(c)),
                    "{at}: enum value {value:?} is not spelt as the API sends it"
                );
            }
        }
    });
    assert!(text_fields >= 15, "only {text_fields} text fields carry the text rule");
}
