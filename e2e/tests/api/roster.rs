//! Roster sync from a school MIS (OneRoster 1.2): the same roster twice changes nothing, leavers
//! are kept and their open enrolments flagged, a dry run writes nothing, bad rows are refused one
//! by one with their row numbers, CSV bundles read as the JSON does, and the OneRoster read shows
//! the caller's schools only.

use std::io::Write;

use trellis_client::Client;
use trellis_e2e::{Backend, TestServer, on_both_backends};
use trellis_wire::*;
use uuid::Uuid;

use crate::support::*;

on_both_backends!(
    the_same_roster_twice_changes_nothing_the_second_time,
    a_leaver_is_kept_with_their_history_and_their_open_enrolments_flagged,
    a_dry_run_says_what_would_happen_and_writes_nothing,
    bad_rows_are_refused_one_by_one_with_their_row_numbers,
    a_oneroster_csv_bundle_syncs_as_the_json_does,
    the_oneroster_read_shows_only_the_callers_schools_with_deltas,
    a_school_named_with_control_characters_is_unknown_not_a_server_error,
);

/// Oakfield Primary, the demo MIS client's one school.
pub(crate) const URN_A: &str = "140001";
/// Riverside Academy, which the demo MIS client does not reach.
const URN_B: &str = "140002";

pub(crate) fn org(urn: &str) -> RosterOrg {
    RosterOrg {
        sourced_id: format!("org-{urn}"),
        status: None,
        name: Some("School".into()),
        type_: Some("school".into()),
        identifier: Some(urn.into()),
    }
}

pub(crate) fn user(id: &str, given: &str, family: &str, role: &str, urn: &str) -> RosterUser {
    RosterUser {
        sourced_id: id.into(),
        status: Some("active".into()),
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        email: Some(format!("{}@oakfield.sch.uk", id.to_lowercase())),
        roles: vec![OneRosterRole {
            role_type: Some("primary".into()),
            role: role.into(),
            org: OneRosterRef { sourced_id: format!("org-{urn}"), href: None, type_: None },
        }],
        primary_org: None,
        metadata: None,
    }
}

fn leaver(id: &str) -> RosterUser {
    RosterUser {
        sourced_id: id.into(),
        status: Some("tobedeleted".into()),
        given_name: None,
        family_name: None,
        email: None,
        roles: vec![],
        primary_org: None,
        metadata: None,
    }
}

fn outcomes(r: &RosterSyncResult) -> Vec<(u32, String, RowOutcome)> {
    r.users.iter().map(|u| (u.row, u.sourced_id.clone(), u.outcome)).collect()
}

async fn people_of(c: &Client, school: Uuid) -> Vec<Person> {
    let mut out = vec![];
    let mut cursor = None;
    loop {
        let page = c.list_people(school, &ListParams { limit: Some(200), cursor, ..Default::default() }).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return out,
        }
    }
}

async fn the_same_roster_twice_changes_nothing_the_second_time(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let school = school_id(&mis).await;
    let mut ml = user("A-200", "Dev", "Patel", "teacher", URN_A);
    ml.metadata = Some(RosterMetadata { staff_role: Some("middle_leader".into()) });
    let roster = RosterSync {
        orgs: vec![org(URN_A)],
        users: vec![
            // Priya, already held: her email is new to Trellis.
            user("A-010", "Priya", "Anand", "teacher", URN_A),
            user("A-201", "Sam", "Okoro", "teacher", URN_A),
            user("A-202", "Jo", "Reid", "aide", URN_A),
            ml,
        ],
    };
    let first = mis.sync_roster(&roster, false).await.unwrap();
    assert!(!first.dry_run);
    assert_eq!(first.orgs.len(), 1);
    assert_eq!((first.orgs[0].outcome, first.orgs[0].school_id), (RowOutcome::Unchanged, Some(school)));
    assert_eq!(
        outcomes(&first),
        vec![
            (1, "A-010".into(), RowOutcome::Updated),
            (2, "A-201".into(), RowOutcome::Created),
            (3, "A-202".into(), RowOutcome::Created),
            (4, "A-200".into(), RowOutcome::Created),
        ]
    );
    // Priya was a middle leader; a plain `teacher` role says so, and her email is new.
    assert_eq!(first.users[0].changed, vec!["email".to_owned(), "role".to_owned()]);
    assert_eq!(
        first.summary,
        RosterSummary { created: 3, updated: 1, left: 0, unchanged: 0, refused: 0, flagged_enrolments: 0 }
    );

    let staff = people_of(&mis, school).await;
    let by_mis = |m: &str| staff.iter().find(|p| p.mis_id.as_deref() == Some(m)).cloned().unwrap();
    assert_eq!(by_mis("A-202").staff_role, StaffRole::TeachingAssistant);
    assert_eq!(by_mis("A-200").staff_role, StaffRole::MiddleLeader);
    assert_eq!(by_mis("A-201").email.as_deref(), Some("a-201@oakfield.sch.uk"));
    assert_eq!(Some(by_mis("A-201").id), first.users[1].person_id);
    let count = staff.len();

    let again = mis.sync_roster(&roster, false).await.unwrap();
    assert!(again.users.iter().all(|u| u.outcome == RowOutcome::Unchanged), "{:?}", outcomes(&again));
    assert_eq!(again.summary.unchanged, 4);
    assert_eq!(
        again.users.iter().map(|u| u.person_id).collect::<Vec<_>>(),
        first.users.iter().map(|u| u.person_id).collect::<Vec<_>>()
    );
    let after = people_of(&mis, school).await;
    assert_eq!(after.len(), count);
    assert_eq!(
        after.iter().map(|p| (p.id, p.updated_at)).collect::<Vec<_>>(),
        staff.iter().map(|p| (p.id, p.updated_at)).collect::<Vec<_>>(),
        "an unchanged row writes nothing"
    );

    // Someone added by hand with an email and no MIS id is adopted, not duplicated.
    let lead = s.login("head.a").await;
    let by_hand = lead
        .create_person(
            school,
            &CreatePerson {
                given_name: "Nia".into(),
                family_name: "Evans".into(),
                email: Some("a-203@oakfield.sch.uk".into()),
                staff_role: StaffRole::Teacher,
                mis_id: None,
            },
        )
        .await
        .unwrap();
    // Naming the school by its Trellis id needs no org row.
    let mut nia = user("A-203", "Nia", "Evans", "teacher", URN_A);
    nia.roles[0].org.sourced_id = school.to_string();
    let adopted = mis.sync_roster(&RosterSync { orgs: vec![], users: vec![nia] }, false).await.unwrap();
    let row = &adopted.users[0];
    assert_eq!(
        (row.outcome, row.person_id, row.changed.clone()),
        (RowOutcome::Updated, Some(by_hand.id), vec!["sourcedId".to_owned()])
    );
    assert_eq!(people_of(&mis, school).await.len(), count + 1, "adopted, not duplicated");
}

async fn a_leaver_is_kept_with_their_history_and_their_open_enrolments_flagged(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let (_, enrolment) = own_enrolment(&s, "participant.a").await;
    let facilitator = s.login("facilitator").await;
    assert_eq!(enrolment.left_school_on, None);

    let gone = mis.sync_roster(&RosterSync { orgs: vec![], users: vec![leaver("A-010")] }, false).await.unwrap();
    let row = &gone.users[0];
    assert_eq!(row.outcome, RowOutcome::Left, "{row:?}");
    assert_eq!(row.person_id, Some(enrolment.person_id));
    assert!(row.flagged_enrolments >= 1, "{row:?}");
    assert_eq!(gone.summary.left, 1);
    assert_eq!(gone.summary.flagged_enrolments, row.flagged_enrolments);

    // Kept, marked as left; the enrolment flagged for review, not withdrawn.
    let person = mis.get_person(enrolment.person_id).await.unwrap();
    assert!(person.left_on.is_some());
    let flagged = facilitator.get_enrolment(enrolment.id).await.unwrap();
    assert!(flagged.left_school_on.is_some());
    assert_eq!(flagged.status, enrolment.status);
    assert!(flagged.updated_at > enrolment.updated_at, "a delta sync sees the flag");
    let progress = facilitator.get_enrolment_progress(enrolment.id, &ProgressParams::default()).await;
    assert!(progress.is_ok(), "their history stays readable");

    // Leaving twice is nothing new.
    let twice = mis.sync_roster(&RosterSync { orgs: vec![], users: vec![leaver("A-010")] }, false).await.unwrap();
    assert_eq!((twice.users[0].outcome, twice.users[0].flagged_enrolments), (RowOutcome::Unchanged, 0));

    // Back on the roster: the mark and the flag are lifted.
    let mut back = user("A-010", "Priya", "Anand", "teacher", URN_A);
    back.email = None;
    back.metadata = Some(RosterMetadata { staff_role: Some("middle_leader".into()) });
    let returned = mis.sync_roster(&RosterSync { orgs: vec![org(URN_A)], users: vec![back] }, false).await.unwrap();
    assert_eq!(returned.users[0].outcome, RowOutcome::Updated);
    assert_eq!(returned.users[0].changed, vec!["status".to_owned()]);
    assert_eq!(mis.get_person(enrolment.person_id).await.unwrap().left_on, None);
    assert_eq!(facilitator.get_enrolment(enrolment.id).await.unwrap().left_school_on, None);

    // A leaver Trellis never had is nothing to do.
    let unknown = mis.sync_roster(&RosterSync { orgs: vec![], users: vec![leaver("A-999")] }, false).await.unwrap();
    assert_eq!(unknown.users[0].outcome, RowOutcome::Unchanged);
}

async fn a_dry_run_says_what_would_happen_and_writes_nothing(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let school = school_id(&mis).await;
    let (_, enrolment) = own_enrolment(&s, "participant.a").await;
    let before = people_of(&mis, school).await;
    let roster = RosterSync {
        orgs: vec![org(URN_A)],
        users: vec![
            user("A-300", "Lee", "Moss", "teacher", URN_A),
            leaver("A-010"),
            user("A-090", "Gwen", "Harris", "student", URN_A),
        ],
    };
    let dry = mis.sync_roster(&roster, true).await.unwrap();
    assert!(dry.dry_run);
    assert_eq!(
        outcomes(&dry),
        vec![
            (1, "A-300".into(), RowOutcome::Created),
            (2, "A-010".into(), RowOutcome::Left),
            (3, "A-090".into(), RowOutcome::Refused)
        ]
    );
    assert_eq!(dry.users[0].person_id, None, "nobody was created");
    assert!(dry.users[1].flagged_enrolments >= 1, "the dry run counts the flags it would raise");
    let after = people_of(&mis, school).await;
    assert_eq!(
        after.iter().map(|p| (p.id, p.updated_at, p.left_on)).collect::<Vec<_>>(),
        before.iter().map(|p| (p.id, p.updated_at, p.left_on)).collect::<Vec<_>>()
    );
    let facilitator = s.login("facilitator").await;
    assert_eq!(facilitator.get_enrolment(enrolment.id).await.unwrap().left_school_on, None);

    // The real run does what the dry run said.
    let real = mis.sync_roster(&roster, false).await.unwrap();
    assert_eq!(outcomes(&real), outcomes(&dry));
    assert_eq!(real.summary, dry.summary);
}

async fn bad_rows_are_refused_one_by_one_with_their_row_numbers(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let mut no_family = user("A-401", "Kim", "x", "teacher", URN_A);
    no_family.family_name = None;
    let mut bad_email = user("A-402", "Ola", "Nowak", "teacher", URN_A);
    bad_email.email = Some("ola at school".into());
    let mut no_school = user("A-406", "Ali", "Khan", "teacher", URN_A);
    no_school.roles.clear();
    let roster = RosterSync {
        orgs: vec![org(URN_A), org(URN_B), RosterOrg { type_: Some("district".into()), ..org("999999") }],
        users: vec![
            user("A-400", "Ana", "Silva", "teacher", URN_A),
            no_family,
            bad_email,
            user("A-403", "Tom", "Pupil", "student", URN_A),
            user("B-400", "Bea", "Long", "teacher", URN_B),
            user("A-400", "Ana", "Silva", "teacher", URN_A),
            user("A-405", "Eve", "Stone", "wizard", URN_A),
            no_school,
            user("A-407", "Max", "Ray", "principal", URN_A),
        ],
    };
    let r = mis.sync_roster(&roster, false).await.unwrap();
    let got: Vec<(u32, RowOutcome, Option<String>, Vec<String>)> = r
        .users
        .iter()
        .map(|u| (u.row, u.outcome, u.code.clone(), u.errors.iter().map(|e| e.field.clone()).collect()))
        .collect();
    let refused = |row, code: &str, fields: &[&str]| {
        (row, RowOutcome::Refused, Some(code.to_owned()), fields.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>())
    };
    assert_eq!(
        got,
        vec![
            (1, RowOutcome::Created, None, vec![]),
            refused(2, "required", &["familyName"]),
            refused(3, "invalid_email", &["email"]),
            refused(4, "not_staff", &["role"]),
            // Another school's staff: the client may not staff Riverside, and is not told it exists.
            refused(5, "unknown_org", &["roles.org.sourcedId"]),
            refused(6, "duplicate_row", &["sourcedId"]),
            refused(7, "unknown_role", &["role"]),
            refused(8, "required", &["roles"]),
            (9, RowOutcome::Created, None, vec![]),
        ]
    );
    assert_eq!(r.summary.refused, 7);
    assert_eq!(r.summary.created, 2);
    let orgs: Vec<(RowOutcome, Option<String>)> = r.orgs.iter().map(|o| (o.outcome, o.code.clone())).collect();
    assert_eq!(
        orgs,
        vec![
            (RowOutcome::Unchanged, None),
            (RowOutcome::Refused, Some("unknown_org".into())),
            (RowOutcome::Refused, Some("not_a_school".into()))
        ]
    );
    // Riverside's staff list is as it was.
    let lead_b = s.login("head.b").await;
    let b = school_id(&lead_b).await;
    assert!(people_of(&lead_b, b).await.iter().all(|p| p.mis_id.as_deref() != Some("B-400")));

    // A body that is not a roster at all is one problem, with nothing written.
    let token = mis.token().unwrap().to_owned();
    let (status, problem, _) =
        raw(&s, &token, "/roster/sync", "application/json", r#"{"users": [{"givenName": 3}]}"#.into()).await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_body")));
    let (status, problem, _) = raw(&s, &token, "/roster/sync", "text/csv", "sourcedId\nA-1\n".into()).await;
    assert_eq!((status, problem["code"].as_str()), (415, Some("unsupported_media_type")));
    // A participant may not sync their school's roster, even as a dry run.
    let priya = s.login("participant.a").await;
    assert_eq!(code(priya.sync_roster(&roster, true).await), (403, "forbidden".into()));
}

fn bundle(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in files {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const MANIFEST: &str = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\nfile.roles,bulk\nsource.systemName,Demo MIS\n";
const ORGS: &str = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-a,,,Oakfield Primary School,school,140001,\n";
const USERS: &str = "\u{feff}sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns,metadata.trellis.staffRole
A-500,,,true,rmensah,,Rosa,Mensah,,,rosa.mensah@oakfield.sch.uk,,,,,,,,,,,org-a,,
A-501,,,true,\"o'brien\",,Liam,\"O'Brien, Jr\",,,liam@oakfield.sch.uk,,,,,,,,,,,org-a,,senior_leader
A-502,,,true,kid,,Kai,Young,,,,,,,,,,,,,,org-a,,
";
const ROLES: &str =
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId
r1,,,A-500,primary,teacher,,,org-a,
r2,,,A-501,primary,teacher,,,org-a,
r3,,,A-502,primary,student,,,org-a,
";

async fn a_oneroster_csv_bundle_syncs_as_the_json_does(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let school = school_id(&mis).await;
    let zip = bundle(&[("manifest.csv", MANIFEST), ("orgs.csv", ORGS), ("users.csv", USERS), ("roles.csv", ROLES)]);
    let r = mis.sync_roster_bundle(&zip, false).await.unwrap();
    // Rows are numbered by their CSV line (the header is line 1).
    assert_eq!(
        outcomes(&r),
        vec![
            (2, "A-500".into(), RowOutcome::Created),
            (3, "A-501".into(), RowOutcome::Created),
            (4, "A-502".into(), RowOutcome::Refused)
        ]
    );
    assert_eq!(r.users[2].code.as_deref(), Some("not_staff"));
    assert_eq!((r.orgs[0].row, r.orgs[0].school_id), (2, Some(school)));
    let staff = people_of(&mis, school).await;
    let liam = staff.iter().find(|p| p.mis_id.as_deref() == Some("A-501")).unwrap();
    assert_eq!((liam.family_name.as_str(), liam.staff_role), ("O'Brien, Jr", StaffRole::SeniorLeader));

    let again = mis.sync_roster_bundle(&zip, false).await.unwrap();
    assert_eq!(
        again.users.iter().map(|u| u.outcome).collect::<Vec<_>>(),
        vec![RowOutcome::Unchanged, RowOutcome::Unchanged, RowOutcome::Refused]
    );

    // A delta: Rosa leaves (OneRoster 1.1's layout, role and orgs in users.csv, also reads).
    let delta = bundle(&[
        ("manifest.csv", "propertyName,value\noneroster.version,1.1\nfile.orgs,absent\nfile.users,delta\n"),
        (
            "users.csv",
            "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName\nA-500,tobedeleted,2026-12-01T00:00:00Z,false,140001,teacher,rmensah,Rosa,Mensah\n",
        ),
    ]);
    let left = mis.sync_roster_bundle(&delta, false).await.unwrap();
    assert_eq!(outcomes(&left), vec![(2, "A-500".into(), RowOutcome::Left)]);

    // What is not a bundle is one problem naming what is wrong.
    let refused = |r: Result<RosterSyncResult, trellis_client::ClientError>| {
        let p = problem(r);
        (p.status, p.code, p.errors.first().map(|e| e.field.clone()).unwrap_or_default())
    };
    assert_eq!(
        refused(mis.sync_roster_bundle(b"PK not really", false).await),
        (422, "invalid_bundle".into(), "bundle".into())
    );
    let no_users = bundle(&[("manifest.csv", MANIFEST), ("orgs.csv", ORGS)]);
    assert_eq!(
        refused(mis.sync_roster_bundle(&no_users, false).await),
        (422, "invalid_bundle".into(), "users.csv".into())
    );
    let no_column = bundle(&[("manifest.csv", MANIFEST), ("users.csv", "sourcedId,givenName\nA-1,Al\n")]);
    assert_eq!(
        refused(mis.sync_roster_bundle(&no_column, false).await),
        (422, "invalid_bundle".into(), "users.csv:familyName".into())
    );
    let old = bundle(&[("manifest.csv", "propertyName,value\noneroster.version,1.0\n"), ("users.csv", USERS)]);
    assert_eq!(
        refused(mis.sync_roster_bundle(&old, false).await),
        (422, "invalid_bundle".into(), "manifest.csv:oneroster.version".into())
    );
}

async fn oneroster_get(s: &TestServer, token: &str, path: &str) -> (u16, serde_json::Value, Option<u64>) {
    let res = reqwest::Client::new()
        .get(format!("{}/ims/oneroster/rostering/v1p2{path}", s.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let total = res.headers().get("x-total-count").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (res.status().as_u16(), res.json().await.unwrap(), total)
}

async fn the_oneroster_read_shows_only_the_callers_schools_with_deltas(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let school = school_id(&mis).await;
    let token = mis.token().unwrap().to_owned();
    let held = people_of(&mis, school).await;

    let (status, body, total) = oneroster_get(&s, &token, "/users?limit=2").await;
    assert_eq!(status, 200);
    assert_eq!(total, Some(held.len() as u64));
    let page: OneRosterUsers = serde_json::from_value(body).unwrap();
    assert_eq!(page.users.len(), 2);
    let all = mis.list_oneroster_users(&OneRosterParams { limit: Some(1000), ..Default::default() }).await.unwrap();
    assert_eq!(all.users.len(), held.len());
    assert!(all.users.iter().all(|u| u.primary_org.sourced_id == school.to_string()), "school A's staff only");
    let priya = all.users.iter().find(|u| u.user_ids.iter().any(|i| i.identifier == "A-010")).unwrap();
    assert_eq!((priya.status, priya.roles[0].role.as_str()), (RecordStatus::Active, "teacher"));
    assert_eq!(priya.metadata.staff_role.as_deref(), Some("middle_leader"));
    let next = mis
        .list_oneroster_users(&OneRosterParams { limit: Some(2), offset: Some(2), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(next.users, all.users[2..4.min(all.users.len())].to_vec());

    // A delta: only what changed since, and a leaver as `tobedeleted`.
    let mark = settle().await;
    mis.sync_roster(&RosterSync { orgs: vec![], users: vec![leaver("A-010")] }, false).await.unwrap();
    let since = mark.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let delta = mis
        .list_oneroster_users(&OneRosterParams {
            filter: Some(format!("dateLastModified>'{since}'")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(delta.users.len(), 1);
    assert_eq!((delta.users[0].sourced_id, delta.users[0].status), (priya.sourced_id, RecordStatus::ToBeDeleted));
    let leavers = mis
        .list_oneroster_users(&OneRosterParams { filter: Some("status='tobedeleted'".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(leavers.users.len(), 1);

    let orgs = mis.list_oneroster_orgs(&OneRosterParams::default()).await.unwrap();
    assert_eq!(
        orgs.orgs.iter().map(|o| (o.sourced_id, o.identifier.as_str())).collect::<Vec<_>>(),
        vec![(school, URN_A)]
    );
    // The trust's admin reads all four of its schools; a participant reads none.
    let trust = s.login("trust").await;
    assert_eq!(trust.list_oneroster_orgs(&OneRosterParams::default()).await.unwrap().orgs.len(), 4);
    let participant = s.login("participant.a").await;
    assert!(participant.list_oneroster_users(&OneRosterParams::default()).await.unwrap().users.is_empty());

    for bad in ["/users?filter=givenName%3D'Priya'", "/users?filter=dateLastModified>'yesterday'", "/users?limit=0"] {
        let (status, body, _) = oneroster_get(&s, &token, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}

/// The `trellis-sync` example, run as an integrator would run it (`cargo run --example`), on a
/// folder of CSV files: a dry run, the sync, and the exit status that says rows were refused.
#[tokio::test]
async fn the_trellis_sync_example_syncs_a_csv_folder_and_prints_every_row() {
    let s = TestServer::start(Backend::Sqlite);
    let dir = std::env::temp_dir().join(format!("trellis-sync-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("manifest.csv", MANIFEST), ("orgs.csv", ORGS), ("users.csv", USERS), ("roles.csv", ROLES)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let run = |args: &[&str]| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = std::process::Command::new(cargo)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .args(["run", "-q", "-p", "trellis-client", "--example", "trellis-sync", "--"])
            .args(args)
            .env("TRELLIS_URL", &s.base)
            .env("TRELLIS_CLIENT_ID", trellis_e2e::DEMO_CLIENT_ID)
            .env("TRELLIS_CLIENT_SECRET", trellis_e2e::DEMO_CLIENT_SECRET)
            .output()
            .expect("run the trellis-sync example");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let folder = dir.to_str().unwrap();
    let (status, dry, err) = run(&[folder, "--dry-run"]);
    // Kai Young is a student, not staff: refused, so the status is 2.
    assert_eq!(status, Some(2), "{dry}\n{err}");
    assert!(dry.contains("dry run (nothing written): 2 created, 0 updated, 0 left, 0 unchanged, 1 refused"), "{dry}");
    let lines: Vec<&str> = dry.lines().filter(|l| l.starts_with("users.csv")).collect();
    assert_eq!(lines.len(), 3, "{dry}");
    assert!(lines[0].contains("A-500") && lines[0].contains("created"), "{dry}");
    assert!(lines[2].contains("A-502") && lines[2].contains("refused"), "{dry}");
    let mis = s.mis().await;
    let people =
        mis.list_people(school_id(&mis).await, &ListParams { limit: Some(200), ..Default::default() }).await.unwrap();
    assert!(people.items.iter().all(|p| p.mis_id.as_deref() != Some("A-500")), "the dry run wrote nothing");

    let (status, done, _) = run(&[folder]);
    assert_eq!(status, Some(2));
    assert!(done.starts_with("orgs.csv") && done.contains("2 created, 0 updated"), "{done}");
    let (_, again, _) = run(&[folder]);
    assert!(again.contains("0 created, 0 updated, 0 left, 2 unchanged, 1 refused"), "{again}");
    // Bad use is told, with the usage.
    let (status, _, err) = run(&["/nonexistent-folder"]);
    assert_eq!(status, Some(1));
    assert!(err.contains("has no manifest.csv"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Found by the contract fuzzer: a NUL byte in the org a row names reached PostgreSQL, which
/// refuses such text (500). What is not a URN or an id names no school.
async fn a_school_named_with_control_characters_is_unknown_not_a_server_error(backend: Backend) {
    let s = TestServer::start(backend);
    let mis = s.mis().await;
    let mut named = user("A-500", "Nia", "Bell", "teacher", URN_A);
    named.roles.clear();
    named.primary_org = Some(OneRosterRef { sourced_id: "14\u{0}001".into(), href: None, type_: None });
    let odd_org = RosterOrg { sourced_id: "org-x".into(), identifier: Some("1400\u{0}1".into()), ..org(URN_A) };
    let r = mis.sync_roster(&RosterSync { orgs: vec![odd_org], users: vec![named] }, false).await.unwrap();
    assert_eq!((r.orgs[0].outcome, r.orgs[0].code.as_deref()), (RowOutcome::Refused, Some("unknown_org")));
    assert_eq!((r.users[0].outcome, r.users[0].code.as_deref()), (RowOutcome::Refused, Some("unknown_org")));
}
