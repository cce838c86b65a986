//! An impact poster as a poster (seed 001): the title and who made it across the top, five panels,
//! the themes as tags. The same view previews the editor, fills the cohort's board and prints on
//! one A4 page.

use leptos::prelude::*;
use trellis_wire::Poster;

use super::labels::Label;

pub fn poster_view(title: String, byline: String, p: &Poster) -> impl IntoView + use<> {
    let panels = [
        ("Focus", p.focus.clone()),
        ("Issues", p.issues.clone()),
        ("Actions", p.actions.clone()),
        ("Impact", p.impact.clone()),
        ("Desired outcomes", p.desired_outcomes.clone()),
    ];
    view! {
        <article class="poster">
            <header class="poster-head">
                <h3 class="poster-title">{if title.trim().is_empty() { "Untitled poster".to_owned() } else { title }}</h3>
                <p class="poster-by">{byline}</p>
            </header>
            <div class="poster-panels">
                {panels.into_iter().map(|(name, text)| view! {
                    <section class="poster-panel">
                        <h4>{name}</h4>
                        <p>{if text.trim().is_empty() { "—".to_owned() } else { text }}</p>
                    </section>
                }).collect_view()}
            </div>
            <ul class="poster-themes" aria-label="Themes">
                {p.themes.iter().map(|t| view! { <li>{t.label()}</li> }).collect_view()}
            </ul>
        </article>
    }
}
