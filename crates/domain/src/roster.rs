//! Roster sync: the staff records a school's MIS sends (OneRoster 1.2 users), checked one by one
//! and compared with what Trellis holds, so the same roster twice changes nothing.
//!
//! A record is matched by its `sourcedId` (Trellis's `mis_id`) within its school. A record whose
//! `status` is `tobedeleted` is a leaver: the person is marked as having left, never deleted. The
//! caller does the I/O; these functions decide.

use crate::cohort::FieldFault;
use crate::person::StaffRole;
use crate::text;

/// Longest `sourcedId` kept (OneRoster leaves it open; MIS ids are short).
pub const MAX_SOURCED_ID: usize = 100;
/// Longest given or family name.
pub const MAX_NAME: usize = 100;
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 320;

crate::wire_enum! {
    /// A OneRoster record's status (`tobedeleted`: the MIS no longer has them).
    pub enum RecordStatus {
        Active => "active",
        ToBeDeleted => "tobedeleted",
    }
}

crate::wire_enum! {
    /// What a sync did, or would do in a dry run, with one row.
    pub enum RowOutcome {
        Created => "created",
        Updated => "updated",
        /// A leaver marked as left (their open enrolments flagged for review).
        Left => "left",
        Unchanged => "unchanged",
        Refused => "refused",
    }
}

/// One user row as sent, before checking: OneRoster's fields, already trimmed of nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserRow<'a> {
    pub sourced_id: &'a str,
    /// `status`; blank means active (OneRoster bulk files leave it empty).
    pub status: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub email: &'a str,
    /// The OneRoster role at the school (`teacher`, `aide`, `principal`, …; blank when none given).
    pub role: &'a str,
    /// The `metadata.trellis.staffRole` extension: one of Trellis's own staff roles, which OneRoster's
    /// vocabulary cannot tell apart (middle and senior leaders, governors).
    pub staff_role: &'a str,
}

/// A staff member as a roster gives them, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    pub mis_id: String,
    pub given_name: String,
    pub family_name: String,
    /// Lower-cased.
    pub email: Option<String>,
    pub staff_role: StaffRole,
}

/// A checked row: someone on the staff, or a leaver (only their id is needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Staff(StaffRecord),
    Leaver { mis_id: String },
}

impl Incoming {
    pub fn mis_id(&self) -> &str {
        match self {
            Incoming::Staff(s) => &s.mis_id,
            Incoming::Leaver { mis_id } => mis_id,
        }
    }
}

/// What Trellis holds for the person a row matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub mis_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub staff_role: StaffRole,
    pub left: bool,
}

impl From<&StaffRecord> for Held {
    fn from(s: &StaffRecord) -> Held {
        Held {
            mis_id: Some(s.mis_id.clone()),
            given_name: s.given_name.clone(),
            family_name: s.family_name.clone(),
            email: s.email.clone(),
            staff_role: s.staff_role,
            left: false,
        }
    }
}

/// What to do with a matched (or unmatched) row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    /// These fields differ (their OneRoster names; `status` when a leaver is back).
    Update {
        fields: Vec<&'static str>,
    },
    Leave,
    Unchanged,
}

impl Change {
    pub fn outcome(&self) -> RowOutcome {
        match self {
            Change::Create => RowOutcome::Created,
            Change::Update { .. } => RowOutcome::Updated,
            Change::Leave => RowOutcome::Left,
            Change::Unchanged => RowOutcome::Unchanged,
        }
    }
}

/// Trellis's staff role for a OneRoster role, or why the row is not staff: `not_staff` (students,
/// parents, guardians, relatives) or `unknown_role`. The extension, when given, decides.
pub fn staff_role(role: &str, extension: &str) -> Result<StaffRole, FieldFault> {
    if !extension.is_empty() {
        return extension.parse().map_err(|_| {
            let known: Vec<&str> = StaffRole::ALL.iter().map(|r| r.as_str()).collect();
            FieldFault::new(
                "metadata.trellis.staffRole",
                "unknown_role",
                format!("{extension:?} is not a staff role; use one of {}", known.join(", ")),
            )
        });
    }
    match role {
        "teacher" => Ok(StaffRole::Teacher),
        "aide" => Ok(StaffRole::TeachingAssistant),
        "principal" => Ok(StaffRole::Head),
        // A staff roster with no role column: staff, kind unknown.
        ""
        | "administrator"
        | "siteAdministrator"
        | "districtAdministrator"
        | "systemAdministrator"
        | "counselor"
        | "proctor" => Ok(StaffRole::Other),
        "student" | "parent" | "guardian" | "relative" => Err(FieldFault::new(
            "role",
            "not_staff",
            format!("a {role} is not a member of staff; Trellis holds staff and governors only"),
        )),
        other => Err(FieldFault::new(
            "role",
            "unknown_role",
            format!("{other:?} is not a OneRoster 1.2 role (teacher, aide, principal, administrator, …)"),
        )),
    }
}

/// The OneRoster role for a Trellis staff role (the finer one goes in `metadata.trellis.staffRole`).
pub fn oneroster_role(role: StaffRole) -> &'static str {
    match role {
        StaffRole::Teacher | StaffRole::MiddleLeader | StaffRole::SeniorLeader => "teacher",
        StaffRole::TeachingAssistant | StaffRole::LearningSupportAssistant => "aide",
        StaffRole::Head => "principal",
        StaffRole::Governor | StaffRole::Other => "administrator",
    }
}

/// A plausible email address: one `@`, a local part, a dotted domain, no spaces or control
/// characters. (Whether it reaches anyone is the mail server's to say.)
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && s.len() <= MAX_EMAIL
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
}

/// Checks one row, collecting every fault (field names as OneRoster spells them).
pub fn check_user(row: &UserRow) -> Result<Incoming, Vec<FieldFault>> {
    let mut faults = Vec::new();
    let mis_id = row.sourced_id.trim();
    if mis_id.is_empty() {
        faults.push(FieldFault::new("sourcedId", "required", "every user needs a sourcedId"));
    } else if mis_id.chars().count() > MAX_SOURCED_ID {
        faults.push(FieldFault::new("sourcedId", "too_long", format!("at most {MAX_SOURCED_ID} characters")));
    } else if let Err(e) = text::line(mis_id) {
        faults.push(FieldFault::new("sourcedId", e.code(), e.to_string()));
    }
    let status = match row.status.trim() {
        "" => Some(RecordStatus::Active),
        s => s.parse::<RecordStatus>().ok(),
    };
    let Some(status) = status else {
        faults.push(FieldFault::new(
            "status",
            "unknown_status",
            format!("{:?} is not a OneRoster status (active or tobedeleted)", row.status),
        ));
        return Err(faults);
    };
    if status == RecordStatus::ToBeDeleted {
        return if faults.is_empty() { Ok(Incoming::Leaver { mis_id: mis_id.to_owned() }) } else { Err(faults) };
    }
    let mut name = |field: &'static str, value: &str| -> String {
        let value = value.trim();
        if value.is_empty() {
            faults.push(FieldFault::new(field, "required", format!("{field} is required for active staff")));
        } else if value.chars().count() > MAX_NAME {
            faults.push(FieldFault::new(field, "too_long", format!("at most {MAX_NAME} characters")));
        } else if let Err(e) = text::name(value) {
            faults.push(FieldFault::new(field, e.code(), e.to_string()));
        }
        value.to_owned()
    };
    let given_name = name("givenName", row.given_name);
    let family_name = name("familyName", row.family_name);
    let email = match row.email.trim() {
        "" => None,
        e if is_email(e) => Some(e.to_lowercase()),
        _ => {
            faults.push(FieldFault::new("email", "invalid_email", "not an email address"));
            None
        }
    };
    let staff_role = staff_role(row.role.trim(), row.staff_role.trim()).map_err(|f| faults.push(f)).ok();
    match staff_role {
        Some(staff_role) if faults.is_empty() => {
            Ok(Incoming::Staff(StaffRecord { mis_id: mis_id.to_owned(), given_name, family_name, email, staff_role }))
        }
        _ => Err(faults),
    }
}

/// What a checked row changes, given the person it matched (if any).
pub fn compare(held: Option<&Held>, incoming: &Incoming) -> Change {
    match (held, incoming) {
        (None, Incoming::Staff(_)) => Change::Create,
        // A leaver Trellis never had: nothing to do.
        (None, Incoming::Leaver { .. }) => Change::Unchanged,
        (Some(h), Incoming::Leaver { .. }) => {
            if h.left {
                Change::Unchanged
            } else {
                Change::Leave
            }
        }
        (Some(h), Incoming::Staff(s)) => {
            let mut fields = Vec::new();
            if h.left {
                fields.push("status");
            }
            if h.mis_id.as_deref() != Some(s.mis_id.as_str()) {
                fields.push("sourcedId");
            }
            if h.given_name != s.given_name {
                fields.push("givenName");
            }
            if h.family_name != s.family_name {
                fields.push("familyName");
            }
            if h.email != s.email {
                fields.push("email");
            }
            if h.staff_role != s.staff_role {
                fields.push("role");
            }
            if fields.is_empty() { Change::Unchanged } else { Change::Update { fields } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row<'a>(id: &'a str, given: &'a str, family: &'a str) -> UserRow<'a> {
        UserRow { sourced_id: id, given_name: given, family_name: family, role: "teacher", ..UserRow::default() }
    }

    #[test]
    fn a_teacher_row_becomes_a_staff_record() {
        let got = check_user(&UserRow { email: " Amira.Khan@Example.org ", ..row(" T-001 ", "Amira", "Khan") });
        assert_eq!(
            got,
            Ok(Incoming::Staff(StaffRecord {
                mis_id: "T-001".into(),
                given_name: "Amira".into(),
                family_name: "Khan".into(),
                email: Some("amira.khan@example.org".into()),
                staff_role: StaffRole::Teacher,
            }))
        );
    }

    #[test]
    fn every_fault_of_a_row_is_reported_with_its_oneroster_field() {
        let bad = UserRow { email: "not-an-email", role: "teacher", ..row("", " ", "K\u{202e}han") };
        let faults = check_user(&bad).expect_err("refused");
        let got: Vec<(&str, &str)> = faults.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            vec![
                ("sourcedId", "required"),
                ("givenName", "required"),
                ("familyName", "bidi_control"),
                ("email", "invalid_email")
            ]
        );
    }

    #[test]
    fn pupils_and_parents_are_not_staff_and_unknown_roles_are_named() {
        for role in ["student", "parent", "guardian", "relative"] {
            let f = check_user(&UserRow { role, ..row("S1", "Sam", "Lee") }).expect_err(role);
            assert_eq!(f[0].code, "not_staff");
        }
        let f = check_user(&UserRow { role: "wizard", ..row("S1", "Sam", "Lee") }).expect_err("unknown");
        assert_eq!((f[0].field.as_str(), f[0].code), ("role", "unknown_role"));
        assert_eq!(staff_role("principal", ""), Ok(StaffRole::Head));
        assert_eq!(staff_role("aide", ""), Ok(StaffRole::TeachingAssistant));
        assert_eq!(staff_role("", ""), Ok(StaffRole::Other));
        // The extension tells what OneRoster's vocabulary cannot.
        assert_eq!(staff_role("teacher", "middle_leader"), Ok(StaffRole::MiddleLeader));
        assert_eq!(staff_role("student", "governor"), Ok(StaffRole::Governor));
        assert_eq!(staff_role("teacher", "boss").map_err(|f| f.code), Err("unknown_role"));
    }

    #[test]
    fn a_leaver_needs_only_their_id() {
        let r = UserRow { sourced_id: "T-9", status: "tobedeleted", ..UserRow::default() };
        assert_eq!(check_user(&r), Ok(Incoming::Leaver { mis_id: "T-9".into() }));
        let bad = UserRow { status: "gone", ..row("T-9", "A", "B") };
        assert_eq!(check_user(&bad).map_err(|f| f[0].code), Err("unknown_status"));
    }

    #[test]
    fn leavers_leave_once_and_come_back_as_an_update() {
        let Ok(Incoming::Staff(s)) = check_user(&row("T-1", "Amira", "Khan")) else { panic!("staff") };
        let held = Held::from(&s);
        let leaver = Incoming::Leaver { mis_id: "T-1".into() };
        assert_eq!(compare(Some(&held), &leaver), Change::Leave);
        let gone = Held { left: true, ..held.clone() };
        assert_eq!(compare(Some(&gone), &leaver), Change::Unchanged);
        assert_eq!(compare(Some(&gone), &Incoming::Staff(s.clone())), Change::Update { fields: vec!["status"] });
        assert_eq!(compare(None, &leaver), Change::Unchanged);
        assert_eq!(compare(None, &Incoming::Staff(s.clone())), Change::Create);
        // A person added by hand, matched by email, is adopted: their MIS id is recorded.
        let by_hand = Held { mis_id: None, ..held };
        assert_eq!(compare(Some(&by_hand), &Incoming::Staff(s)), Change::Update { fields: vec!["sourcedId"] });
    }

    #[test]
    fn emails_are_plausible_or_refused() {
        for ok in ["a@b.co", "amira.khan+cpd@school.sch.uk"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "@b.co", "a@b", "a@b..co", "a@.b.co", "a b@c.co", "a@b@c.co", "a@b.co."] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    proptest! {
        /// The same roster twice changes nothing: a record compared with what it wrote is unchanged,
        /// and a leaver compared with what leaving wrote is unchanged.
        #[test]
        fn a_row_applied_then_sent_again_is_unchanged(
            id in "[A-Za-z0-9-]{1,20}",
            given in "[A-Za-z' -]{0,12}[A-Za-z]",
            family in "[A-Za-z' -]{0,12}[A-Za-z]",
            email in proptest::option::of("[a-z]{1,8}@[a-z]{1,8}\\.org"),
            role in proptest::sample::select(vec!["teacher", "aide", "principal", "administrator", ""]),
        ) {
            let email = email.unwrap_or_default();
            let r = UserRow { sourced_id: &id, given_name: &given, family_name: &family, email: &email, role, ..UserRow::default() };
            let Ok(Incoming::Staff(s)) = check_user(&r) else { panic!("a valid row") };
            let held = Held::from(&s);
            prop_assert_eq!(compare(Some(&held), &Incoming::Staff(s.clone())), Change::Unchanged);
            let gone = Held { left: true, ..held };
            prop_assert_eq!(compare(Some(&gone), &Incoming::Leaver { mis_id: s.mis_id.clone() }), Change::Unchanged);
        }
    }
}
