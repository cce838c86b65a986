//! iCalendar (RFC 5545) subscription feeds at unguessable, revocable URLs, so Outlook, Google
//! and Apple calendars can subscribe without a bearer token.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web::Json, web::Path};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use trellis_domain::authz::Principal;
use trellis_wire::{CalendarFeed, CalendarFeedList, CreateCalendarFeed};
use uuid::Uuid;

use crate::auth::{self, Bearer, Caller};
use crate::db::allowed::{self, cohort};
use crate::db::calendar_feeds;
use crate::db::facts::{self, uuid};
use crate::db::sessions::SessionRow;
use crate::error::ApiError;
use crate::paging::new_id;
use crate::routes::{ReadErrors, State, WriteErrors};

fn user_of(caller: &Caller) -> Result<Uuid, ApiError> {
    match &caller.principal {
        Principal::User(u) => Ok(u.user_id.into()),
        Principal::Client(_) => Err(ApiError::bad_request("users_only", "calendar feeds belong to signed-in users")),
    }
}

/// Creates a feed and returns its URL (shown this once).
#[utoipa::path(operation_id = "create_calendar_feed", tag = "delivery", security(("bearer" = [])), responses((status = 201, body = CalendarFeed), WriteErrors))]
#[post("/calendar-feeds")]
pub async fn create_calendar_feed(
    state: State,
    caller: Bearer,
    req: HttpRequest,
    body: Json<CreateCalendarFeed>,
) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let cohort = body.cohort_id;
    let origin = state.net.public_origin(&req);
    let feed = state
        .db
        .tx_as(caller, move |conn, caller| {
            let user = user_of(&caller)?;
            if let Some(c) = cohort {
                let loaded = allowed::cohort::<cohort::Read>(conn, &caller, c.into()).map_err(|e| match e.code {
                    "not_found" => ApiError::field("unknown_cohort", "cohort_id", "no such cohort"),
                    _ => e,
                })?;
                // A feed lists every session of the cohort, whatever its audience: it is for those
                // taking part (who see them all in the app too).
                let who = crate::db::enrolments::involvement(conn, &caller.principal, &c.to_string(), &loaded.facts)?;
                if who != trellis_domain::delivery::Involvement::Member {
                    return Err(ApiError::field(
                        "not_a_member",
                        "cohort_id",
                        "a cohort's calendar feed is for those taking part in it",
                    ));
                }
            }
            let token = auth::random_token();
            let id = new_id();
            let now = clock.now();
            calendar_feeds::insert(conn, &id, user, &auth::token_hash(&token), cohort, now)?;
            Ok(CalendarFeed {
                id: uuid(&id)?,
                cohort_id: cohort,
                url: Some(format!("{origin}/calendar/{token}.ics")),
                created_at: now.and_utc(),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(feed))
}

/// The caller's feeds (without their URLs).
#[utoipa::path(operation_id = "list_calendar_feeds", tag = "delivery", security(("bearer" = [])), responses((status = 200, body = CalendarFeedList), ReadErrors))]
#[get("/calendar-feeds")]
pub async fn list_calendar_feeds(state: State, caller: Bearer) -> Result<Json<CalendarFeedList>, ApiError> {
    let out = state
        .db
        .run_as(caller, move |conn, caller| {
            let user = user_of(&caller)?;
            let rows = calendar_feeds::of_user(conn, user)?;
            let items = rows
                .into_iter()
                .map(|(id, cohort, at)| {
                    Ok(CalendarFeed {
                        id: uuid(&id)?,
                        cohort_id: facts::opt_uuid(cohort.as_deref())?,
                        url: None,
                        created_at: at.and_utc(),
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(CalendarFeedList { items })
        })
        .await?;
    Ok(Json(out))
}

/// Revokes a feed: its URL stops working at once.
#[utoipa::path(operation_id = "delete_calendar_feed", tag = "delivery", security(("bearer" = [])), params(("id" = Uuid, Path)), responses((status = 204, description = "Revoked"), ReadErrors))]
#[delete("/calendar-feeds/{id}")]
pub async fn delete_calendar_feed(state: State, caller: Bearer, id: Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let clock = state.clock;
    let id = id.into_inner();
    state
        .db
        .tx_as(caller, move |conn, caller| {
            let user = user_of(&caller)?;
            let revoked = calendar_feeds::revoke(conn, id, user, clock.now())?;
            if revoked { Ok(()) } else { Err(ApiError::not_found("calendar feed")) }
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// RFC 5545 TEXT may hold no control characters but tab; line breaks are escaped as `\n` by the
/// writer, so a bare CR (which calendar clients read as a line end, and so as a new property)
/// becomes one too. Text is refused with such characters at the API's edge; this holds for
/// anything stored before that rule.
fn ics_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

fn event(s: &SessionRow, cohort_name: &str, venue: Option<&str>) -> Event {
    let mut e = Event::new();
    e.uid(&format!("{}@trellis", s.id))
        .summary(&ics_text(&format!("{} ({cohort_name})", s.title)))
        .starts(s.starts_at.and_utc())
        .ends(s.ends_at.and_utc())
        .add_property("LAST-MODIFIED", s.updated_at.and_utc().format("%Y%m%dT%H%M%SZ").to_string());
    if let Some(v) = venue.or(s.venue_text.as_deref()) {
        e.location(&ics_text(v));
    }
    e.status(if s.cancelled_at.is_some() { EventStatus::Cancelled } else { EventStatus::Confirmed });
    e.done()
}

/// The feed itself: `text/calendar`. The token in the URL is the credential; a revoked or unknown
/// token is 404.
#[utoipa::path(
    operation_id = "get_calendar_feed",
    tag = "delivery",
    params(("token" = String, Path, description = "The feed's secret token")),
    responses((status = 200, description = "An RFC 5545 calendar", content_type = "text/calendar", body = String), (status = 404, body = trellis_wire::Problem, content_type = "application/problem+json"))
)]
#[get("/calendar/{token}.ics")]
pub async fn get_calendar_feed(state: State, token: Path<String>) -> Result<HttpResponse, ApiError> {
    let hash = auth::token_hash(&token.into_inner());
    let ics = state
        .db
        .run(move |conn| {
            let feed =
                calendar_feeds::by_token_hash(conn, &hash)?.ok_or_else(|| ApiError::not_found("calendar feed"))?;
            // A cohort feed shows that cohort; a personal feed, every cohort the person is on.
            let cohort_ids = match feed.cohort_id {
                Some(c) => vec![c],
                None => calendar_feeds::cohorts_of_person(conn, &feed.person_id.unwrap_or_default())?,
            };
            let rows = calendar_feeds::sessions_of(conn, &cohort_ids)?;
            let mut cal = Calendar::new();
            cal.name("Trellis").append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT1H"));
            for (s, cohort_name, venue) in &rows {
                cal.push(event(s, cohort_name, venue.as_deref()));
            }
            Ok(cal.done().to_string())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(ics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_text_cannot_start_a_new_property() {
        assert_eq!(ics_text("Day 1\rDTSTART:19700101T000000Z"), "Day 1\nDTSTART:19700101T000000Z");
        assert_eq!(ics_text("a\r\nb\u{0}c\u{1b}d\te"), "a\nbcd\te");
        let line = Event::new().summary(&ics_text("x\rATTACH:evil")).done().to_string();
        assert!(!line.contains("\r\nATTACH"), "{line:?}");
        assert!(line.contains("SUMMARY:x\\nATTACH:evil"), "{line:?}");
    }
}
