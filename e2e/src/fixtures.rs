//! Fixture builders: what a test needs, made through the API as a user would make it, so feature
//! tests do not depend on the demo's names and numbers.

use chrono::NaiveDate;
use trellis_client::Client;
use trellis_domain::enrolment::TransitionKind;
use trellis_wire::{Cohort, CreateCohort, CreatePerson, CreateProgramme, Enrolment, Me, Programme, StaffRole};

use crate::TestServer;

/// A fresh programme and cohort run by the demo provider, with participants nominated by their
/// schools' leads and, if asked, approved and activated by the facilitator.
pub struct CohortBuilder<'a> {
    server: &'a TestServer,
    preset: &'static str,
    name: String,
    starts: NaiveDate,
    ends: NaiveDate,
    /// (the school lead who nominates, how many)
    participants: Vec<(&'static str, usize)>,
    activate: bool,
}

/// What [`CohortBuilder::build`] made, with the facilitator who runs it signed in.
pub struct BuiltCohort {
    pub facilitator: Client,
    pub programme: Programme,
    pub cohort: Cohort,
    /// In the order the participants were asked for.
    pub enrolments: Vec<Enrolment>,
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a fixture date")
}

impl<'a> CohortBuilder<'a> {
    pub fn new(server: &'a TestServer) -> CohortBuilder<'a> {
        CohortBuilder {
            server,
            preset: "npq-middle-leadership",
            name: format!("Fixture cohort {}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            starts: date("2026-09-15"),
            ends: date("2027-07-16"),
            participants: vec![],
            activate: false,
        }
    }

    /// The preset the programme is made from (default: NPQML).
    pub fn preset(mut self, key: &'static str) -> Self {
        self.preset = key;
        self
    }

    pub fn dates(mut self, starts: &str, ends: &str) -> Self {
        (self.starts, self.ends) = (date(starts), date(ends));
        self
    }

    /// `n` new members of staff at the school `lead` leads (a demo sign-in: `head.a`, `head.b`),
    /// nominated by them.
    pub fn participants_from(mut self, lead: &'static str, n: usize) -> Self {
        self.participants.push((lead, n));
        self
    }

    /// Approve and activate every enrolment (as the facilitator).
    pub fn active(mut self) -> Self {
        self.activate = true;
        self
    }

    pub async fn build(self) -> BuiltCohort {
        let facilitator = self.server.login("facilitator").await;
        let Me::User(me) = facilitator.get_me().await.expect("me") else { panic!("the facilitator is a user") };
        let provider = me.organisation_id.expect("a facilitator works for a provider");
        let programme = facilitator
            .create_programme(&CreateProgramme {
                name: format!("{} programme", self.name),
                provider_id: provider,
                preset: Some(self.preset.into()),
                definition: None,
            })
            .await
            .expect("create the fixture programme");
        let cohort = facilitator
            .create_cohort(&CreateCohort {
                programme_id: programme.id,
                name: self.name.clone(),
                induction_date: self.starts,
                start_date: self.starts,
                end_date: self.ends,
                hub_id: None,
                host_school_id: None,
                facilitator_ids: me.person_id.into_iter().collect(),
            })
            .await
            .expect("create the fixture cohort");
        let mut enrolments = vec![];
        for (lead, n) in &self.participants {
            let lead_client = self.server.login(lead).await;
            let Me::User(lead_me) = lead_client.get_me().await.expect("me") else { panic!("a lead is a user") };
            let school = lead_me.school_id.expect("a school lead has a school");
            for i in 0..*n {
                let person = lead_client
                    .create_person(
                        school,
                        &CreatePerson {
                            given_name: format!("Fixture{i}"),
                            family_name: format!("{lead} {}", &self.name[self.name.len() - 8..]),
                            email: None,
                            staff_role: StaffRole::MiddleLeader,
                            mis_id: None,
                        },
                    )
                    .await
                    .expect("create a fixture person");
                let mut e = lead_client.create_enrolment(cohort.id, person.id).await.expect("nominate");
                if self.activate {
                    for kind in [TransitionKind::Approve, TransitionKind::Activate] {
                        e = facilitator.transition(e.id, kind).await.expect("move the fixture enrolment");
                    }
                }
                enrolments.push(e);
            }
        }
        BuiltCohort { facilitator, programme, cohort, enrolments }
    }
}
