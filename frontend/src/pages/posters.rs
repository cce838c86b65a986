//! A cohort's impact posters, grouped by theme (seed 001, Annex A): each handed-in poster the
//! caller may read, under each theme it names.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use trellis_wire::PosterBoard;

use crate::api;
use crate::ui::labels::Label;
use crate::ui::poster::poster_view;
use crate::ui::{Load, failed, id_param, loading};

#[component]
pub fn PostersPage() -> impl IntoView {
    let auth = api::use_auth();
    let state = RwSignal::new(Load::<(String, PosterBoard)>::Loading);
    match id_param() {
        None => state.set(Load::Failed("This is not a valid cohort address.".into())),
        Some(id) => spawn_local(async move {
            let r = api::call(auth, |c| async move {
                let cohort = c.get_cohort(id).await?;
                Ok((cohort.name, c.list_cohort_posters(id).await?))
            })
            .await;
            state.set(r.into());
        }),
    }
    view! {
        {move || match state.get() {
            Load::Loading => loading(),
            Load::Failed(m) => view! { <h1>"Impact posters"</h1> {failed(m)} }.into_any(),
            Load::Ready((name, board)) => view! {
                <p class="breadcrumb"><A href=format!("/cohorts/{}", board.cohort_id)>{name}</A></p>
                <h1>"Impact posters"</h1>
                <p class="lead">"Posters handed in by the cohort, grouped by the impact themes they name."</p>
                {if board.groups.is_empty() {
                    view! { <p class="empty">"No posters handed in yet, or none you may read."</p> }.into_any()
                } else {
                    board.groups.into_iter().map(|g| view! {
                        <section class="poster-group">
                            <h2>{g.theme.label()}</h2>
                            <div class="poster-grid">
                                {g.posters.into_iter().map(|p| poster_view(p.title.clone(), format!("{}, {}", p.participant, p.school_name), &p.poster)).collect_view()}
                            </div>
                        </section>
                    }).collect_view().into_any()
                }}
            }.into_any(),
        }}
    }
}
