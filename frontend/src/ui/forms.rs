//! Form errors, the GOV.UK way: a summary at the top ("There is a problem", each fault a link to
//! its field) and each message again beside its field. Fields' element ids are the API's field
//! names, so a server's `errors[].field` finds its input.

use leptos::prelude::*;
use trellis_client::ClientError;

/// The faults a form shows: `(field, message)`, or one general message (`field` empty).
#[derive(Clone, Copy)]
pub struct FormErrors(RwSignal<Vec<(String, String)>>);

impl FormErrors {
    pub fn new() -> FormErrors {
        FormErrors(RwSignal::new(vec![]))
    }

    pub fn clear(&self) {
        self.0.set(vec![]);
    }

    /// A fault found before sending (the same domain rule the server runs).
    pub fn local(&self, field: &str, message: impl Into<String>) {
        self.0.set(vec![(field.to_owned(), message.into())]);
    }

    /// The server's answer: each field's fault, or the problem in words.
    pub fn show_error(&self, e: &ClientError) {
        let list = match e {
            ClientError::Api(p) if !p.errors.is_empty() => {
                p.errors.iter().map(|f| (f.field.clone(), f.message.clone())).collect()
            }
            _ => vec![(String::new(), super::describe(e))],
        };
        self.0.set(list);
    }

    pub fn any(&self) -> bool {
        self.0.with(|l| !l.is_empty())
    }

    /// The message for `field`, if it has one.
    pub fn of(&self, field: &'static str) -> Option<String> {
        self.0.with(|l| l.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()))
    }
}

impl Default for FormErrors {
    fn default() -> FormErrors {
        FormErrors::new()
    }
}

/// The summary above a form: shown (and announced) when there are faults, and given focus, so a
/// keyboard or screen-reader user starts from the list of what to fix (each a link to its field).
#[component]
pub fn ErrorSummary(errors: FormErrors) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if errors.0.with(|l| !l.is_empty())
            && let Some(el) = summary.get()
        {
            let _ = el.focus();
        }
    });
    move || {
        errors.any().then(|| {
            let items = errors.0.get();
            view! {
                <div class="error-summary" role="alert" tabindex="-1" node_ref=summary>
                    <h2>"There is a problem"</h2>
                    <ul>
                        {items.into_iter().map(|(field, message)| if field.is_empty() {
                            view! { <li>{message}</li> }.into_any()
                        } else {
                            view! { <li><a href=format!("#{field}")>{message}</a></li> }.into_any()
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// A field's message beside it (its id `<field>-error`, for `aria-describedby`).
#[component]
pub fn FieldError(errors: FormErrors, field: &'static str) -> impl IntoView {
    move || errors.of(field).map(|m| view! { <p class="field-error" id=format!("{field}-error")>{m}</p> })
}
