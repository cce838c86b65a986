//! The demo trust's expectations (seed 002): a framework built from the brochure's strategy and
//! implementation statements, grouped by what they are about (its "Strategy" and "Implementation"
//! are page headings, not themes); two terms of reviews of all four schools, by each school and
//! by the trust, with gaps the heatmap flags; and support allocated and reviewed termly.

use trellis_domain::expectations::{Side, SupportDecision, TermKey};

use super::Seeder;
use crate::db::DbConn;
use crate::db::expectations::{self as db, RatingRow, ReviewRow, SupportRow};
use crate::error::ApiError;
use crate::paging::new_id;

/// The themes and statements, from the brochure's page 30.
const FRAMEWORK: &[(&str, &[&str])] = &[
    (
        "Leadership and accountability",
        &[
            "School leaders are held to account for school and pupil performance.",
            "Leaders are accountable for their school, with guided professional autonomy: respect for context, innovation and sharing best practice.",
            "Roles and responsibilities are clear, with direction and outcomes, and aligned to pupil impact.",
            "Line leadership of staff is transparent and logical, with clear networks of communication.",
        ],
    ),
    (
        "School improvement and support",
        &[
            "The school's needs for evaluation, development and support are established and agreed, and provision is allocated with termly reviews.",
            "Guidance and support from the central team are relevant and have an impact.",
            "The head teacher's time is focused on school improvement, with specialist guidance from the central support team.",
        ],
    ),
    (
        "Teaching",
        &[
            "Teaching is evidence based, drawing on research such as the EEF's.",
            "Staff development and teaching are at the core of the school's work.",
            "Specialist roles and responsibilities are clear, so that pupils make effective progress.",
        ],
    ),
    (
        "Professional development",
        &[
            "Leadership development reaches all staff.",
            "CPD is learning focused, draws on colleagues across the trust and is focused on pupil learning.",
            "Aspiring leaders take up NPQs and the trust's own 'Leadership Live' course.",
        ],
    ),
    (
        "Wellbeing and safeguarding",
        &[
            "A named safeguarding and safety leader keeps the school's safeguarding effective.",
            "Staff wellbeing is weighed in decisions on workload, communication and change.",
            "Pupils' wellbeing is planned for and its effect on their learning reviewed.",
        ],
    ),
    (
        "Collaboration and outward focus",
        &[
            "The school seeks best practice from recognised educational, trust and business specialists.",
            "Leaders collaborate with other trusts and the local authority, and share what they learn.",
            "Communication networks ensure effective dialogue, and resource and facility investment is coordinated.",
        ],
    ),
];

const SCHOOL_EVIDENCE: [&str; 4] = [
    "Monitoring records and the school improvement plan.",
    "Staff survey and minutes of the senior team's reviews.",
    "Work scrutiny, learning walks and pupil voice.",
    "Governors' visit notes and the head's termly report.",
];
const TRUST_EVIDENCE: [&str; 4] = [
    "School improvement partner's visit notes.",
    "The trust's data review and a meeting with the head.",
    "Joint learning walk with the school's senior team.",
    "Central team records and the school's own evidence, checked on a visit.",
];

/// School (index), what, who, hours, first term, and its reviews (term, hours used, impact, decision).
type Allocation = (
    usize,
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static [(&'static str, f64, &'static str, SupportDecision)],
);

fn term(s: &str) -> Result<TermKey, ApiError> {
    s.parse().map_err(ApiError::internal)
}

/// School `k`'s own rating of statement `j` in the first (0) or second (1) term, and the trust's.
/// Riverside (1) rates two statements far above the trust; Meadowbank (3) rates one far below.
fn ratings(k: usize, j: usize, t: usize) -> (i32, i32) {
    let base = [3, 3, 2, 2][k] + i32::from((j + k).is_multiple_of(3));
    let own = (base + i32::from(t == 1 && j.is_multiple_of(4))).min(4);
    let trust = match (k, j) {
        (1, 2 | 8) => own - 2,
        (3, 14) => (own + 2).min(4),
        _ if (j + k + t).is_multiple_of(5) => (own - 1).max(1),
        _ => own,
    };
    (own, trust.max(1))
}

impl Seeder<'_> {
    pub(super) fn trust_expectations(
        &self,
        conn: &mut DbConn,
        trust: (&str, &str),
        schools: [&str; 4],
    ) -> Result<(), ApiError> {
        let edit: Vec<db::ThemeEdit> = FRAMEWORK
            .iter()
            .map(|(name, statements)| {
                (None, (*name).to_owned(), statements.iter().map(|s| (None, (*s).to_owned())).collect())
            })
            .collect();
        db::replace_framework(conn, trust.0, &db::Framework::default(), &edit, self.now)?;
        let framework = db::framework(conn, trust.0)?;
        let statements = framework.active();
        let by = format!("user:{}", trust.1);
        for (t, key) in ["2026-summer", "2026-autumn"].into_iter().enumerate() {
            let key = term(key)?;
            for (k, school) in schools.iter().enumerate() {
                for side in [Side::School, Side::Trust] {
                    // Meadowbank's autumn self-assessment is still a draft: the trust has not begun.
                    let (draft, skip) =
                        (k == 3 && t == 1 && side == Side::School, k == 3 && t == 1 && side == Side::Trust);
                    if skip {
                        continue;
                    }
                    let actor = if side == Side::Trust { by.as_str() } else { "seed" };
                    let row = db::begin(conn, school, key, side, actor, self.now)?;
                    let rows: Vec<RatingRow> = statements
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| !draft || j.is_multiple_of(2))
                        .map(|(j, st)| {
                            let (own, theirs) = ratings(k, j, t);
                            let (rating, evidence) = match side {
                                Side::School => (own, SCHOOL_EVIDENCE[(j + k) % 4]),
                                Side::Trust => (theirs, TRUST_EVIDENCE[(j + t) % 4]),
                            };
                            RatingRow {
                                assessment_id: row.id.clone(),
                                statement_id: st.id.clone(),
                                rating,
                                evidence: evidence.into(),
                            }
                        })
                        .collect();
                    db::save_ratings(conn, &row, &rows, actor, self.now)?;
                    if !draft {
                        db::submit(conn, &row.id, actor, self.now)?;
                    }
                }
            }
        }
        // Support: what, who, hours, the term it began, and its reviews.
        use SupportDecision as D;
        let support: [Allocation; 4] = [
            (
                0,
                "Maths subject-leader coaching",
                "Trust maths lead",
                12.0,
                "2026-summer",
                &[(
                    "2026-summer",
                    4.0,
                    "Mastery planning in Years 3 and 4 is consistent; lesson visits show it.",
                    D::Continue,
                )],
            ),
            (
                1,
                "Assessment and feedback review",
                "School improvement partner",
                18.0,
                "2026-summer",
                &[(
                    "2026-summer",
                    6.0,
                    "Departments agreed a feedback policy; books sampled in June show it in use.",
                    D::Continue,
                )],
            ),
            (
                2,
                "Safeguarding audit and training",
                "Trust safeguarding lead",
                6.0,
                "2026-summer",
                &[(
                    "2026-summer",
                    6.0,
                    "Audit actions closed; all staff trained in the new reporting route.",
                    D::Complete,
                )],
            ),
            (
                3,
                "Staff wellbeing and workload review",
                "Central HR and wellbeing team",
                10.0,
                "2026-spring",
                &[("2026-spring", 3.0, "Survey run and a workload group formed.", D::Continue)],
            ),
        ];
        for (k, what, who, hours, from, reviews) in support {
            let row = SupportRow {
                id: new_id(),
                school_id: schools[k].to_owned(),
                term: term(from)?.to_string(),
                what: what.into(),
                provided_by: who.into(),
                hours,
                created_by: by.clone(),
                created_at: self.now,
            };
            db::insert_support(conn, &row)?;
            for (t, used, impact, decision) in reviews {
                db::save_review(
                    conn,
                    &ReviewRow {
                        support_id: row.id.clone(),
                        term: term(t)?.to_string(),
                        hours_used: *used,
                        impact: (*impact).into(),
                        decision: decision.as_str().into(),
                        reviewed_by: by.clone(),
                        reviewed_at: self.now,
                    },
                )?;
            }
        }
        Ok(())
    }
}
