//! The 360 questions, as a rater and the participant answer them: each behaviour and learning
//! area rated 1–5 or "not observed" (native radio groups, so arrow keys move within one and Tab
//! between them), then strengths and areas to develop. Holds no state of its own: the answers
//! live in the signal the page gives it.

use leptos::prelude::*;
use trellis_wire::{Answers, DiagnosticItem, ItemKind, Rating};

const SCALE: [(u32, &str); 5] = [(1, "Rarely"), (2, "Sometimes"), (3, "Often"), (4, "Usually"), (5, "Consistently")];

/// The item's rating in `answers`: `None` unanswered, `Some(None)` not observed.
fn rated(a: &Answers, it: &DiagnosticItem) -> Option<Option<u32>> {
    a.ratings.iter().find(|r| r.kind == it.kind && r.item == it.name).map(|r| r.score)
}

fn set(answers: RwSignal<Answers>, it: &DiagnosticItem, score: Option<u32>) {
    answers.update(|a| {
        a.ratings.retain(|r| !(r.kind == it.kind && r.item == it.name));
        a.ratings.push(Rating { kind: it.kind, item: it.name.clone(), score });
    });
}

/// How many items are answered, of all.
pub fn answered(a: &Answers, items: &[DiagnosticItem]) -> usize {
    items.iter().filter(|it| rated(a, it).is_some()).count()
}

#[component]
pub fn RatingForm(
    items: Vec<DiagnosticItem>,
    answers: RwSignal<Answers>,
    /// Whose leadership is rated, as the questions name them ("Priya", "you").
    about: String,
    disabled: Signal<bool>,
) -> impl IntoView {
    let sections = [(ItemKind::Behaviour, "Leadership behaviours"), (ItemKind::Area, "Learning areas")];
    let total = items.len();
    let counted = items.clone();
    view! {
        <p class="hint" aria-live="polite">
            {move || format!("{} of {total} answered", answered(&answers.get(), &counted))}
        </p>
        {sections.into_iter().filter(|(k, _)| items.iter().any(|i| i.kind == *k)).map(|(kind, heading)| {
            let these: Vec<(usize, DiagnosticItem)> =
                items.iter().cloned().enumerate().filter(|(_, i)| i.kind == kind).collect();
            let about = about.clone();
            view! {
                <h3>{heading}</h3>
                {these.into_iter().map(|(n, it)| {
                    let name = format!("item-{n}");
                    let verb = if about == "you" { "do" } else { "does" };
                    let legend = format!("How often {verb} {about} show {}?", it.name.to_lowercase());
                    let none_it = it.clone();
                    view! {
                        <fieldset class="rating">
                            <legend>{legend}</legend>
                            <div class="scale">
                                {SCALE.iter().map(|(v, words)| {
                                    let (v, it2, it3) = (*v, it.clone(), it.clone());
                                    let id = format!("{name}-{v}");
                                    let target = id.clone();
                                    view! {
                                        <label for=target class="choice">
                                            <input type="radio" id=id name=name.clone() value=v.to_string()
                                                disabled=move || disabled.get()
                                                prop:checked=move || rated(&answers.get(), &it2) == Some(Some(v))
                                                on:change=move |_| set(answers, &it3, Some(v))/>
                                            <span>{format!("{v} {words}")}</span>
                                        </label>
                                    }
                                }).collect_view()}
                                {
                                    let id = format!("{name}-none");
                                    let target = id.clone();
                                    let it2 = none_it.clone();
                                    view! {
                                        <label for=target class="choice none">
                                            <input type="radio" id=id name=name.clone() value="not_observed"
                                                disabled=move || disabled.get()
                                                prop:checked=move || rated(&answers.get(), &it2) == Some(None)
                                                on:change=move |_| set(answers, &none_it, None)/>
                                            <span>"Not observed"</span>
                                        </label>
                                    }
                                }
                            </div>
                        </fieldset>
                    }
                }).collect_view()}
            }
        }).collect_view()}
        <div class="field">
            <label for="strengths">"Strengths you have seen"</label>
            <textarea id="strengths" rows="4" maxlength="4000" disabled=move || disabled.get()
                prop:value=move || answers.get().strengths
                on:input=move |ev| answers.update(|a| a.strengths = event_target_value(&ev))></textarea>
        </div>
        <div class="field">
            <label for="development">"Areas to develop"</label>
            <textarea id="development" rows="4" maxlength="4000" disabled=move || disabled.get()
                prop:value=move || answers.get().development
                on:input=move |ev| answers.update(|a| a.development = event_target_value(&ev))></textarea>
        </div>
    }
}
