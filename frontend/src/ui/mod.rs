//! The smallest pieces every screen uses: load states, dates and times as people read them,
//! and labels ([`labels::Label`]). Nothing here knows a screen or calls the API.

use chrono::{DateTime, FixedOffset};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use trellis_wire::Session;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use trellis_client::ClientError;

pub mod chart;
pub mod forms;
pub mod labels;
pub mod poster;

/// Hands `bytes` to the browser as a download named `name`.
pub fn save_as(bytes: &[u8], name: &str, media_type: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into::<web_sys::HtmlAnchorElement>()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)
}

/// What a screen shows while it loads.
#[derive(Clone)]
pub enum Load<T> {
    Loading,
    Failed(String),
    Ready(T),
}

/// A finished call: ready with its value, or failed with the error in words.
impl<T> From<Result<T, ClientError>> for Load<T> {
    fn from(r: Result<T, ClientError>) -> Load<T> {
        match r {
            Ok(v) => Load::Ready(v),
            Err(e) => Load::Failed(describe(&e)),
        }
    }
}

/// A page's data drawn from its resource (a `LocalResource` that reruns when what its loader
/// reads changes: route parameters, a refresh counter) inside a `<Transition>`: "Loading…" the
/// first time, the page as it was while it reloads, the error in words if the call failed. A
/// later answer replaces an earlier one, never the other way round.
pub fn transition<T: Clone + 'static>(
    data: LocalResource<Result<T, ClientError>>,
    draw: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> AnyView {
    view! {
        <Transition fallback=loading>
            {move || {
                let draw = draw.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => draw(value),
                        Err(e) => failed(describe(&e)),
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

pub fn loading() -> AnyView {
    view! { <p class="muted" role="status">"Loading…"</p> }.into_any()
}

pub fn failed(message: String) -> AnyView {
    view! { <div class="alert error" role="alert">{message}</div> }.into_any()
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

// Dates are formatted by hand rather than with chrono's `format`: its strftime machinery is
// some 10 KB of the SPA's bundle for three patterns.

/// "3 Nov 2026".
pub fn date(d: impl chrono::Datelike) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "3 Nov".
pub fn day_month(d: impl chrono::Datelike) -> String {
    format!("{} {}", d.day(), MONTHS[d.month0() as usize])
}

/// "Tue 3 Nov 2026".
pub fn day_and_date(d: impl chrono::Datelike) -> String {
    format!("{} {}", WEEKDAYS[d.weekday().num_days_from_monday() as usize], date(d))
}

/// "09:05".
pub fn clock(t: impl chrono::Timelike) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

pub fn human(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// "a", "a or b", "a, b or c".
pub fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// `2026-09-15` (what a date input gives) as a date, without chrono's format parser (kilobytes
/// of the bundle for one pattern).
/// Today's date where the browser is.
pub fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date()).unwrap_or_default()
}

pub fn iso_date(s: &str) -> Option<chrono::NaiveDate> {
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

pub fn id_param() -> Option<Uuid> {
    use_params_map().read_untracked().get("id").and_then(|s| Uuid::parse_str(&s).ok())
}

/// The route's `:id`, tracked: a resource that reads it loads again when it changes.
pub fn route_id() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok()))
}

/// An error the app makes itself, in the API's own shape, so that [`describe`] words it like the
/// API's.
pub fn problem(status: u16, title: &str, code: &str, detail: &str) -> ClientError {
    ClientError::Api(trellis_wire::Problem {
        type_: "about:blank".into(),
        title: title.into(),
        status,
        detail: Some(detail.into()),
        code: code.into(),
        errors: vec![],
        error: None,
        error_description: None,
    })
}

/// What a page's resource answers for an address whose id is not one: as a missing thing.
pub fn not_an_address() -> ClientError {
    problem(404, "Not Found", "not_found", "This is not a valid address.")
}

pub fn local(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// "Tue 3 Nov 2026, 09:00–16:00" in Europe/London time, as the API gives it.
pub fn when(s: &Session) -> String {
    match (local(&s.starts_local), local(&s.ends_local)) {
        (Some(a), Some(b)) => format!("{}, {}–{}", day_and_date(a), clock(a), clock(b)),
        _ => s.starts_local.clone(),
    }
}

pub fn kind_label(s: &Session) -> String {
    let k = s.kind.as_str().replace('_', " ");
    let mut c = k.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or(k)
}

/// A human sentence for an API error.
pub fn describe(e: &ClientError) -> String {
    match e {
        ClientError::Api(p) => match p.code.as_str() {
            "not_found" => "This could not be found, or you do not have access to it.".into(),
            "forbidden" => "You do not have permission to do that.".into(),
            "stale_write" => "Someone saved a newer version since you opened this page, so your changes here were not \
                              saved. Keep a copy of them, reload the page, then make them again."
                .into(),
            _ => p.detail.clone().unwrap_or_else(|| p.title.clone()),
        },
        ClientError::Transport(_) => "Trellis could not be reached. Check your connection and try again.".into(),
        ClientError::Decode(m) => format!("Unexpected response from the server ({m})."),
    }
}

/// The term today, and the five before it: what the term picker offers.
pub fn recent_terms() -> Vec<trellis_domain::expectations::TermKey> {
    let now = trellis_domain::expectations::TermKey::of(today());
    let mut out = vec![now];
    for _ in 0..5 {
        let before = out.last().copied().unwrap_or(now).previous();
        out.push(before);
    }
    out
}

pub fn status_label(s: trellis_wire::AssessmentStatus) -> &'static str {
    match s {
        trellis_wire::AssessmentStatus::NotStarted => "Not started",
        trellis_wire::AssessmentStatus::Draft => "In progress",
        trellis_wire::AssessmentStatus::Submitted => "Submitted",
    }
}
