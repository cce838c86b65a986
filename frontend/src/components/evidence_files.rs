//! An entry's evidence files: download (fetched with the caller's token and handed to the browser
//! as a file, never opened as a page), and, while the entry can change, upload and remove.

use leptos::prelude::*;
use leptos::task::spawn_local;
use trellis_domain::portfolio::FileKind;
use trellis_wire::EvidenceFile;
use uuid::Uuid;

use crate::api;
use wasm_bindgen::JsCast;

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{}.{} MB", b / (1024 * 1024), (b % (1024 * 1024)) * 10 / (1024 * 1024)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} bytes"),
    }
}

#[component]
pub fn EvidenceFiles(entry: Uuid, files: Vec<EvidenceFile>, editable: bool, changed: Callback<()>) -> impl IntoView {
    let auth = api::use_auth();
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let input_id = format!("file-{}", entry.simple());
    let download = move |f: EvidenceFile| {
        spawn_local(async move {
            let r = api::call(auth, |c| async move { c.get_evidence_file(entry, f.id).await }).await;
            match r {
                Ok(bytes) => {
                    if crate::ui::save_as(&bytes, &f.filename, &f.media_type).is_err() {
                        message.set(Some((false, "The browser would not save the file.".into())));
                    }
                }
                Err(e) => message.set(Some((false, api::describe(&e)))),
            }
        });
    };
    let remove = move |f: EvidenceFile| {
        spawn_local(async move {
            match api::call(auth, |c| async move { c.delete_evidence_file(entry, f.id).await }).await {
                Ok(()) => changed.run(()),
                Err(e) => message.set(Some((false, api::describe(&e)))),
            }
        });
    };
    let upload_id = input_id.clone();
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input: Option<web_sys::HtmlInputElement> = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&upload_id))
            .and_then(|e| e.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|l| l.get(0)) else {
            message.set(Some((false, "Choose a file first.".into())));
            return;
        };
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let name = file.name();
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    busy.set(false);
                    message.set(Some((false, "The file could not be read.".into())));
                    return;
                }
            };
            let r = api::call(auth, |c| {
                let (name, bytes) = (name.clone(), bytes.clone());
                async move { c.upload_evidence_file(entry, &name, &bytes).await }
            })
            .await;
            busy.set(false);
            match r {
                Ok(f) => {
                    message.set(Some((true, format!("{} uploaded.", f.filename))));
                    changed.run(());
                }
                Err(e) => message.set(Some((false, api::describe(&e)))),
            }
        });
    };
    let allowed = FileKind::ALL.iter().map(|k| k.as_str().to_uppercase()).collect::<Vec<_>>().join(", ");
    view! {
        <div class="files">
            <h4>"Files"</h4>
            {move || message.get().map(|(ok, m)| view! {
                <div class=if ok { "alert success" } else { "alert error" } role="status">{m}</div>
            })}
            {if files.is_empty() {
                view! { <p class="muted">"No files yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">{files.into_iter().map(|f| {
                        let (d, r) = (f.clone(), f.clone());
                        view! {
                            <li class="file-row">
                                <span>{f.filename.clone()}<span class="muted">{format!(" ({}, {})", f.kind.as_str().to_uppercase(), size(f.size_bytes))}</span></span>
                                <span class="row">
                                    <button class="button secondary small" type="button" on:click=move |_| download(d.clone())>
                                        "Download"<span class="visually-hidden">{format!(" {}", f.filename)}</span>
                                    </button>
                                    {editable.then(|| view! {
                                        <button class="button secondary small" type="button" on:click=move |_| remove(r.clone())>
                                            "Remove"<span class="visually-hidden">{format!(" {}", r.filename)}</span>
                                        </button>
                                    })}
                                </span>
                            </li>
                        }
                    }).collect_view()}</ul>
                }.into_any()
            }}
            {editable.then(|| view! {
                <form class="upload" on:submit=upload novalidate>
                    <label for=input_id.clone()>"Add a file"</label>
                    <p class="hint">{format!("{allowed}. A file over the size limit is refused with the limit named.")}</p>
                    <input id=input_id.clone() type="file" accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.mp4"/>
                    <button class="button secondary" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Uploading…" } else { "Upload" }}
                    </button>
                </form>
            })}
        </div>
    }
}
