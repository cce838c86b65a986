//! An enrolment's certificate: for the holder, the code, the public link to share, the signed
//! credential to download and the evidence it shares; for the certifier, awarding it (once the
//! enrolment is completed and certifiable) and revoking it with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_wire::{
    Certificate, CertificateStatus, Enrolment, EnrolmentStatus, EntryState, PortfolioEntry, RevokeCertificate,
    ShareCertificateEvidence,
};
use uuid::Uuid;

use crate::api::{self, describe};
use crate::ui::date;
use crate::ui::labels::Label;

#[component]
pub fn CertificatePanel(enrolment: Enrolment, mine: bool, certifiable: Signal<bool>) -> impl IntoView {
    let auth = api::use_auth();
    let id = enrolment.id;
    let cert = RwSignal::new(None::<Certificate>);
    let loaded = RwSignal::new(false);
    let entries = RwSignal::new(Vec::<PortfolioEntry>::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    spawn_local(async move {
        let r = api::call(auth, |c| async move { c.get_enrolment_certificate(id).await }).await;
        match r {
            Ok(c) => cert.set(Some(c)),
            Err(e) if e.status() == Some(404) => {}
            Err(e) => message.set(Some((false, describe(&e)))),
        }
        loaded.set(true);
        if mine && let Ok(list) = api::call(auth, |c| async move { c.list_portfolio_entries(id).await }).await {
            entries.set(list.items.into_iter().filter(|e| e.state == EntryState::Verified).collect());
        }
    });
    let completed = enrolment.status == EnrolmentStatus::Completed;
    let award = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::call(auth, |c| async move { c.issue_certificate(id).await }).await {
                Ok(c) => {
                    message.set(Some((true, format!("Certificate {} awarded.", c.code))));
                    cert.set(Some(c));
                }
                Err(e) => message.set(Some((false, describe(&e)))),
            }
            busy.set(false);
        });
    };
    let download = move |_| {
        let Some(c) = cert.get_untracked() else { return };
        spawn_local(async move {
            match api::call(auth, |cl| async move { cl.get_certificate_credential(c.id).await }).await {
                Ok(cred) => {
                    let name = format!("certificate-{}.jwt", c.code);
                    if crate::ui::save_as(cred.jwt.as_bytes(), &name, "application/vc+jwt").is_err() {
                        message.set(Some((false, "The browser did not accept the download.".into())));
                    }
                }
                Err(e) => message.set(Some((false, describe(&e)))),
            }
        });
    };
    let toggle_share = move |entry: Uuid, on: bool| {
        let Some(c) = cert.get_untracked() else { return };
        let mut ids: Vec<Uuid> = c.shared_entry_ids.iter().copied().filter(|e| *e != entry).collect();
        if on {
            ids.push(entry);
        }
        spawn_local(async move {
            let body = ShareCertificateEvidence { entry_ids: ids };
            match api::call(auth, |cl| {
                let body = body.clone();
                async move { cl.share_certificate_evidence(c.id, &body).await }
            })
            .await
            {
                Ok(c) => cert.set(Some(c)),
                Err(e) => message.set(Some((false, describe(&e)))),
            }
        });
    };
    let revoke = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = cert.get_untracked() else { return };
        let text = reason.get_untracked();
        if text.trim().is_empty() {
            message.set(Some((false, "Give the reason for revoking it.".into())));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let body = RevokeCertificate { reason: text };
            match api::call(auth, |cl| {
                let body = body.clone();
                async move { cl.revoke_certificate(c.id, &body).await }
            })
            .await
            {
                Ok(c) => {
                    message.set(Some((true, "The certificate is revoked.".into())));
                    cert.set(Some(c));
                }
                Err(e) => message.set(Some((false, describe(&e)))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card panel certificate-panel" aria-labelledby="certificate-title">
            <h2 id="certificate-title">"Certificate"</h2>
            {move || message.get().map(|(ok, m)| view! {
                <div class=if ok { "alert success" } else { "alert error" } role=if ok { "status" } else { "alert" }>{m}</div>
            })}
            {move || match (loaded.get(), cert.get()) {
                (false, _) => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                (true, None) => view! {
                    <p class="muted">{if completed && certifiable.get() {
                        "Every requirement is met and the enrolment is completed: the certificate can be awarded."
                    } else if completed {
                        "Completed, but not every requirement is met: the programme's rules do not allow a certificate yet."
                    } else {
                        "A certificate follows completion, once every requirement is met."
                    }}</p>
                    {(!mine && completed).then(|| view! {
                        <button class="button" type="button" disabled=move || busy.get() || !certifiable.get() on:click=award>"Award the certificate"</button>
                    })}
                }.into_any(),
                (true, Some(c)) => {
                    let valid = c.status == CertificateStatus::Valid;
                    let url = c.verify_url.clone();
                    view! {
                        <p><span class=if valid { "badge badge-certified" } else { "badge badge-withdrawn" }>{if valid { "Valid" } else { "Revoked" }}</span>
                            {format!(" {} · issued by {} on {}", c.code, c.issuer_name, date(c.issued_on))}</p>
                        {c.revocation_reason.clone().map(|r| view! { <p class="muted">{format!("Revoked: {r}")}</p> })}
                        <div class="field">
                            <label for="verify-link">"Public link (anyone can check it, signed out)"</label>
                            <input id="verify-link" type="text" readonly prop:value=url.clone()/>
                        </div>
                        <p class="row">
                            <a class="button secondary" href=format!("/verify/{}", c.code)>"Open the public page"</a>
                            <button class="button secondary" type="button" on:click=download>"Download the signed credential"</button>
                        </p>
                        {mine.then(|| view! {
                            <fieldset class="field">
                                <legend>"Evidence the credential shares"</legend>
                                <p class="hint">"Verified entries of your portfolio. Shared ones can be read by whoever holds the credential."</p>
                                {move || {
                                    let shared = cert.get().map(|c| c.shared_entry_ids).unwrap_or_default();
                                    let list = entries.get();
                                    if list.is_empty() {
                                        return view! { <p class="empty">"No verified entries yet."</p> }.into_any();
                                    }
                                    list.into_iter().map(|e| {
                                        let on = shared.contains(&e.id);
                                        let title = e.content.as_ref().map(|x| x.title.clone()).unwrap_or_else(|| e.kind.label().to_owned());
                                        let input_id = format!("share-{}", e.id);
                                        let entry = e.id;
                                        view! {
                                            <div class="check">
                                                <input type="checkbox" id=input_id.clone() prop:checked=on
                                                    on:change=move |ev| toggle_share(entry, event_target_checked(&ev))/>
                                                <label for=input_id>{title}</label>
                                            </div>
                                        }
                                    }).collect_view().into_any()
                                }}
                            </fieldset>
                        })}
                        {c.revocable.then(|| view! {
                            <form on:submit=revoke class="revoke">
                                <div class="field">
                                    <label for="revoke-reason">"Reason for revoking"</label>
                                    <input id="revoke-reason" type="text" maxlength="2000" prop:value=move || reason.get()
                                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                                </div>
                                <button class="button danger" type="submit" disabled=move || busy.get()>"Revoke the certificate"</button>
                            </form>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}
