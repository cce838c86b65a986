//! A school lead nominating members of their staff for a cohort.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{Enrolment, ListParams, Person};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::labels::Label;

#[component]
pub fn Nominate(
    cohort: Uuid,
    school: Uuid,
    /// People already enrolled in the cohort (not offered again).
    enrolled: Vec<Uuid>,
    notice: RwSignal<Option<(bool, String)>>,
    on_done: impl Fn(Enrolment) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let auth = api::use_auth();
    let staff = RwSignal::new(Vec::<Person>::new());
    let chosen = RwSignal::new(None::<Uuid>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        let params = ListParams { limit: Some(200), ..Default::default() };
        if let Ok(page) = api::call(auth, |c| {
            let params = params.clone();
            async move { c.list_people(school, &params).await }
        })
        .await
        {
            let mut people: Vec<Person> = page
                .items
                .into_iter()
                .filter(|p| !enrolled.contains(&p.id) && p.staff_role != trellis_domain::StaffRole::Governor)
                .collect();
            people.sort_by(|a, b| (&a.family_name, &a.given_name).cmp(&(&b.family_name, &b.given_name)));
            staff.set(people);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(person) = chosen.get_untracked() else {
            notice.set(Some((false, "Choose a member of staff to nominate.".into())));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.create_enrolment(cohort, person).await }).await;
            busy.set(false);
            match r {
                Ok(e) => {
                    notice.set(Some((
                        true,
                        format!("{} nominated: approve the place when you are ready.", e.person_name),
                    )));
                    staff.update(|s| s.retain(|p| p.id != person));
                    chosen.set(None);
                    on_done(e);
                }
                Err(e) => notice.set(Some((false, describe(&e)))),
            }
        });
    };
    view! {
        <details class="card">
            <summary>"Nominate staff"</summary>
            <form on:submit=submit class="row">
                <div class="field">
                    <label for="nominee">"Member of staff"</label>
                    <select id="nominee" on:change=move |ev| chosen.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="">"Choose someone"</option>
                        {move || staff.get().into_iter().map(|p| view! {
                            <option value=p.id.to_string() selected=move || chosen.get() == Some(p.id)>
                                {format!("{} {} ({})", p.given_name, p.family_name, p.staff_role.label())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <button class="button" type="submit" disabled=move || busy.get()>"Nominate"</button>
            </form>
        </details>
    }
}
