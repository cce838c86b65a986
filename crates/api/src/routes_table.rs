//! The documented routes as a lookup table, built once from the OpenAPI document, so a request
//! that matches no handler can be told precisely why: 405 with `Allow` when the path exists
//! with other methods, 404 otherwise — both as problem+json.

use actix_web::http::Method;

pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

enum Segment {
    Literal(String),
    /// `{id}`, possibly with a fixed suffix as in `{token}.ics`.
    Param {
        suffix: String,
    },
}

impl RouteTable {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> RouteTable {
        use utoipa::openapi::HttpMethod;
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_start_matches('/')
                    .split('/')
                    .map(|s| match s.strip_prefix('{').and_then(|r| r.split_once('}')) {
                        Some((_, suffix)) => Segment::Param { suffix: suffix.to_owned() },
                        None => Segment::Literal(s.to_owned()),
                    })
                    .collect();
                let methods = [
                    (HttpMethod::Get, &item.get, Method::GET),
                    (HttpMethod::Post, &item.post, Method::POST),
                    (HttpMethod::Put, &item.put, Method::PUT),
                    (HttpMethod::Patch, &item.patch, Method::PATCH),
                    (HttpMethod::Delete, &item.delete, Method::DELETE),
                ]
                .into_iter()
                .filter(|(_, op, _)| op.is_some())
                .map(|(_, _, m)| m)
                .collect();
                (segments, methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods documented for `path`, in a stable order (empty for an unknown path).
    pub fn allowed(&self, path: &str) -> Vec<Method> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        // A template whose segment is literal beats one with a parameter there
        // (`/invitation-links/accept` over `/invitations/{id}`): only the most literal matches count.
        let mut best: Option<usize> = None;
        let mut out: Vec<Method> = vec![];
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Literal(l) => l == p,
                    Segment::Param { suffix } => p.len() > suffix.len() && p.ends_with(suffix.as_str()),
                });
            if !matches {
                continue;
            }
            let literal = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
            if best.is_some_and(|b| literal < b) {
                continue;
            }
            if best.is_some_and(|b| literal > b) {
                out.clear();
            }
            best = Some(literal);
            out.extend(methods.iter().filter(|m| !out.contains(m)).cloned().collect::<Vec<_>>());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_templates_and_list_their_methods() {
        let table = RouteTable::from_openapi(&crate::startup::openapi());
        let m = |p: &str| table.allowed(p).iter().map(|m| m.as_str().to_owned()).collect::<Vec<_>>().join(", ");
        assert_eq!(m("/api/v1/cohorts"), "GET, POST");
        assert_eq!(m("/api/v1/enrolments/0190a0a0-0000-7000-8000-000000000000"), "GET");
        assert_eq!(m("/calendar/abc.ics"), "GET");
        assert_eq!(m("/api/v1/invitation-links/accept"), "POST");
        assert_eq!(m("/api/v1/cohorts/0190a0a0-0000-7000-8000-000000000000/enrolments"), "GET, POST");
        assert_eq!(m("/api/v1/invitations/0190a0a0-0000-7000-8000-000000000000"), "DELETE");
        assert_eq!(m("/calendar/abc.txt"), "");
        assert_eq!(m("/api/v1/nothing-here"), "");
        assert_eq!(m("/api/v1/cohorts/x/y/z"), "");
    }
}
