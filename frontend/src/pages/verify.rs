//! The public page a certificate's code or link opens: whether it is genuine and valid, for
//! anyone, signed in or not. It shows only what the certificate says publicly — the holder, the
//! programme, the issuer, the date and the status.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use trellis_wire::{CertificateStatus, PublicCertificate};

use crate::api;
use crate::ui::{Load, date, failed, loading};

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let state = RwSignal::new(Load::<PublicCertificate>::Loading);
    let code = params.get_untracked().get("code").unwrap_or_default();
    let shown = code.clone();
    spawn_local(async move {
        let r = api::base().verify_certificate(&code).await;
        state.set(match r {
            Err(e) if e.status() == Some(404) => {
                Load::Failed("No certificate has this code. Check it against the certificate, letter by letter.".into())
            }
            r => r.into(),
        });
    });
    view! {
        <div class="signin verify">
            <div class="card signin-card">
                <p class="brand big">"Trellis"</p>
                <h1>"Certificate check"</h1>
                <p class="muted small">{format!("Code {shown}")}</p>
                {move || match state.get() {
                    Load::Loading => loading(),
                    Load::Failed(m) => failed(m),
                    Load::Ready(c) => {
                        let valid = c.status == CertificateStatus::Valid;
                        view! {
                            {if valid {
                                view! { <p class="alert success" role="status"><strong>"Valid."</strong>" This certificate was issued through Trellis and has not been revoked."</p> }.into_any()
                            } else {
                                let on = c.revoked_on.map(|d| format!(" on {}", date(d))).unwrap_or_default();
                                view! { <p class="alert error" role="status"><strong>"Revoked."</strong>{format!(" The issuer revoked this certificate{on}: it is no longer valid.")}</p> }.into_any()
                            }}
                            <dl class="facts stacked">
                                <div><dt>"Awarded to"</dt><dd>{c.holder_name.clone()}</dd></div>
                                <div><dt>"Programme"</dt><dd>{c.programme_name.clone()}</dd></div>
                                <div><dt>"Issued by"</dt><dd>{c.issuer_name.clone()}</dd></div>
                                <div><dt>"Date"</dt><dd>{date(c.issued_on)}</dd></div>
                            </dl>
                            <p class="hint">"The holder's signed credential (Open Badges 3.0) can be checked independently against this site's published keys at /.well-known/jwks.json."</p>
                        }.into_any()
                    }
                }}
            </div>
        </div>
    }
}
