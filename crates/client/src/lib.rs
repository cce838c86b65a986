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
}

/// One request, independent of the HTTP stack that sends it.
struct Call {
    method: &'static str,
    url: String,
    /// Content type and body.
    body: Option<(&'static str, String)>,
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
        }
    }

    pub fn with_token(&self, token: impl Into<String>) -> Client {
        Client { token: Some(token.into()), ..self.clone() }
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
        call.body = Some(("application/json", json));
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
        if let Some((content_type, body)) = &call.body {
            headers.set("content-type", content_type).map_err(js)?;
            init.set_body(&wasm_bindgen::JsValue::from_str(body));
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

    // ---- auth ----

    pub async fn get_health(&self) -> Result<Health> {
        self.get("/health").await
    }

    pub async fn create_session(&self, email: &str, password: &str) -> Result<TokenPair> {
        self.post("/auth/login", &LoginRequest { email: email.into(), password: password.into() }).await
    }

    pub async fn refresh_session(&self, refresh_token: &str) -> Result<TokenPair> {
        self.post("/auth/refresh", &RefreshRequest { refresh_token: refresh_token.into() }).await
    }

    pub async fn delete_session(&self) -> Result<()> {
        self.post_empty("/auth/logout").await
    }

    /// OAuth2 client credentials, form-encoded as RFC 6749 asks.
    pub async fn create_client_token(&self, client_id: &str, secret: &str, scope: Option<&str>) -> Result<ClientToken> {
        let mut form = vec![("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)];
        if let Some(s) = scope {
            form.push(("scope", s));
        }
        let mut call = self.call("POST", "/auth/token");
        let body = serde_urlencoded::to_string(&form).map_err(|e| ClientError::Decode(e.to_string()))?;
        call.body = Some(("application/x-www-form-urlencoded", body));
        self.send(call).await
    }

    pub async fn get_me(&self) -> Result<Me> {
        self.get("/me").await
    }

    // ---- resources ----

    pub async fn list_organisations(&self) -> Result<OrganisationPage> {
        self.get("/organisations").await
    }

    pub async fn create_organisation(&self, body: &CreateOrganisation) -> Result<Organisation> {
        self.post("/organisations", body).await
    }

    pub async fn list_schools(&self, params: &ListParams) -> Result<SchoolPage> {
        self.get_query("/schools", params).await
    }

    pub async fn get_school(&self, id: Uuid) -> Result<School> {
        self.get(&format!("/schools/{id}")).await
    }

    pub async fn create_school(&self, body: &CreateSchool) -> Result<School> {
        self.post("/schools", body).await
    }

    pub async fn list_people(&self, school: Uuid, params: &ListParams) -> Result<PersonPage> {
        self.get_query(&format!("/schools/{school}/people"), params).await
    }

    pub async fn get_person(&self, id: Uuid) -> Result<Person> {
        self.get(&format!("/people/{id}")).await
    }

    pub async fn create_person(&self, school: Uuid, body: &CreatePerson) -> Result<Person> {
        self.post(&format!("/schools/{school}/people"), body).await
    }

    pub async fn list_programmes(&self) -> Result<ProgrammePage> {
        self.get("/programmes").await
    }

    pub async fn get_programme(&self, id: Uuid) -> Result<Programme> {
        self.get(&format!("/programmes/{id}")).await
    }

    pub async fn create_programme(&self, body: &CreateProgramme) -> Result<Programme> {
        self.post("/programmes", body).await
    }

    pub async fn list_programme_presets(&self) -> Result<PresetList> {
        self.get("/programme-presets").await
    }

    pub async fn get_enrolment_progress(&self, id: Uuid, params: &ProgressParams) -> Result<EnrolmentProgress> {
        self.get_query(&format!("/enrolments/{id}/progress"), params).await
    }

    pub async fn get_cohort_progress(&self, id: Uuid, params: &ProgressParams) -> Result<CohortProgress> {
        self.get_query(&format!("/cohorts/{id}/progress"), params).await
    }

    /// The caller's own enrolments with their cohorts' names, in one request.
    pub async fn list_my_enrolments(&self) -> Result<MyEnrolmentList> {
        self.get("/me/enrolments").await
    }

    pub async fn get_report_draft(&self, enrolment: Uuid) -> Result<ReportDraft> {
        self.get(&format!("/enrolments/{enrolment}/report-draft")).await
    }

    pub async fn update_report_draft(&self, enrolment: Uuid, text: &str) -> Result<ReportDraft> {
        Ok(self.update_report_draft_if(enrolment, text, None).await?.value)
    }

    /// The draft with its version.
    pub async fn get_report_draft_versioned(&self, enrolment: Uuid) -> Result<Versioned<ReportDraft>> {
        self.send_versioned(self.call("GET", &format!("/enrolments/{enrolment}/report-draft"))).await
    }

    /// Saves the draft if it is still at version `if_match` (412 `stale_write` otherwise).
    pub async fn update_report_draft_if(
        &self,
        enrolment: Uuid,
        text: &str,
        if_match: Option<&str>,
    ) -> Result<Versioned<ReportDraft>> {
        self.put_if(&format!("/enrolments/{enrolment}/report-draft"), &SaveReportDraft { text: text.into() }, if_match)
            .await
    }

    pub async fn list_sessions(&self, cohort: Uuid) -> Result<SessionPage> {
        self.get_query(&format!("/cohorts/{cohort}/sessions"), &ListParams { limit: Some(200), ..Default::default() })
            .await
    }

    pub async fn create_session_of_cohort(&self, cohort: Uuid, body: &CreateSession) -> Result<Session> {
        self.post(&format!("/cohorts/{cohort}/sessions"), body).await
    }

    pub async fn update_session(&self, id: Uuid, body: &UpdateSession) -> Result<Session> {
        self.patch(&format!("/sessions/{id}"), body).await
    }

    pub async fn cancel_session(&self, id: Uuid) -> Result<Session> {
        self.post_empty(&format!("/sessions/{id}/cancel")).await
    }

    pub async fn update_attendance(&self, session: Uuid, register: &Register) -> Result<AttendanceList> {
        Ok(self.update_attendance_if(session, register, None).await?.value)
    }

    /// Saves the register if it is still at version `if_match` (412 `stale_write` otherwise).
    pub async fn update_attendance_if(
        &self,
        session: Uuid,
        register: &Register,
        if_match: Option<&str>,
    ) -> Result<Versioned<AttendanceList>> {
        self.put_if(&format!("/sessions/{session}/attendance"), register, if_match).await
    }

    /// The register with its version.
    pub async fn get_attendance_versioned(&self, session: Uuid) -> Result<Versioned<AttendanceList>> {
        self.send_versioned(self.call("GET", &format!("/sessions/{session}/attendance"))).await
    }

    pub async fn get_attendance(&self, session: Uuid) -> Result<AttendanceList> {
        self.get(&format!("/sessions/{session}/attendance")).await
    }

    pub async fn get_session(&self, id: Uuid) -> Result<Session> {
        self.get(&format!("/sessions/{id}")).await
    }

    pub async fn list_attendance(&self, enrolment: Uuid) -> Result<AttendanceList> {
        self.get(&format!("/enrolments/{enrolment}/attendance")).await
    }

    pub async fn update_coach(&self, enrolment: Uuid, body: &AssignCoach) -> Result<Enrolment> {
        self.put(&format!("/enrolments/{enrolment}/coach"), body).await
    }

    pub async fn list_coaching_sessions(&self, enrolment: Uuid) -> Result<CoachingSessionList> {
        self.get(&format!("/enrolments/{enrolment}/coaching-sessions")).await
    }

    pub async fn create_coaching_session(
        &self,
        enrolment: Uuid,
        body: &CreateCoachingSession,
    ) -> Result<CoachingSession> {
        self.post(&format!("/enrolments/{enrolment}/coaching-sessions"), body).await
    }

    pub async fn create_calendar_feed(&self, cohort: Option<Uuid>) -> Result<CalendarFeed> {
        self.post("/calendar-feeds", &CreateCalendarFeed { cohort_id: cohort }).await
    }

    pub async fn delete_calendar_feed(&self, id: Uuid) -> Result<()> {
        self.delete(&format!("/calendar-feeds/{id}")).await
    }

    pub async fn list_groups(&self, cohort: Uuid) -> Result<LearningGroupList> {
        self.get(&format!("/cohorts/{cohort}/groups")).await
    }

    pub async fn create_group(&self, cohort: Uuid, body: &CreateLearningGroup) -> Result<LearningGroup> {
        self.post(&format!("/cohorts/{cohort}/groups"), body).await
    }

    pub async fn update_term_calendar(&self, organisation: Uuid, calendar: &TermCalendar) -> Result<Organisation> {
        self.put(&format!("/organisations/{organisation}/term-calendar"), calendar).await
    }

    pub async fn list_cohorts(&self, params: &ListParams) -> Result<CohortPage> {
        self.get_query("/cohorts", params).await
    }

    pub async fn get_cohort(&self, id: Uuid) -> Result<Cohort> {
        self.get(&format!("/cohorts/{id}")).await
    }

    pub async fn create_cohort(&self, body: &CreateCohort) -> Result<Cohort> {
        self.post("/cohorts", body).await
    }

    pub async fn list_enrolments(&self, cohort: Uuid, params: &ListParams) -> Result<EnrolmentPage> {
        self.get_query(&format!("/cohorts/{cohort}/enrolments"), params).await
    }

    pub async fn create_enrolment(&self, cohort: Uuid, person: Uuid) -> Result<Enrolment> {
        self.post(&format!("/cohorts/{cohort}/enrolments"), &CreateEnrolment { person_id: person }).await
    }

    pub async fn get_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.get(&format!("/enrolments/{id}")).await
    }

    /// Any move but `withdraw` (which needs a reason: see [`Client::withdraw_enrolment`]).
    pub async fn transition(&self, id: Uuid, kind: TransitionKind) -> Result<Enrolment> {
        self.post_empty(&format!("/enrolments/{id}/{kind}")).await
    }

    pub async fn withdraw_enrolment(
        &self,
        id: Uuid,
        reason: WithdrawalReasonKind,
        details: Option<&str>,
    ) -> Result<Enrolment> {
        self.post(
            &format!("/enrolments/{id}/withdraw"),
            &WithdrawRequest { reason, details: details.map(str::to_owned) },
        )
        .await
    }

    pub async fn get_organisation(&self, id: Uuid) -> Result<Organisation> {
        self.get(&format!("/organisations/{id}")).await
    }

    pub async fn list_hubs(&self, params: &ListParams) -> Result<HubPage> {
        self.get_query("/hubs", params).await
    }

    pub async fn create_hub(&self, body: &CreateHub) -> Result<Hub> {
        self.post("/hubs", body).await
    }

    pub async fn list_calendar_feeds(&self) -> Result<CalendarFeedList> {
        self.get("/calendar-feeds").await
    }

    /// The iCalendar text behind a feed's secret address (`url` from
    /// [`Client::create_calendar_feed`]); needs no token.
    pub async fn get_calendar_feed(&self, url: &str) -> Result<String> {
        let call = Call { method: "GET", url: url.to_owned(), body: None, if_match: None };
        let (_, bytes) = self.fetch(call).await?;
        String::from_utf8(bytes).map_err(|e| ClientError::Decode(e.to_string()))
    }

    pub async fn approve_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Approve).await
    }

    pub async fn activate_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Activate).await
    }

    pub async fn defer_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Defer).await
    }

    pub async fn resume_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Resume).await
    }

    pub async fn complete_enrolment(&self, id: Uuid) -> Result<Enrolment> {
        self.transition(id, TransitionKind::Complete).await
    }
}
