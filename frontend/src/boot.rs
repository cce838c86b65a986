//! Starting the app in the page `index.html` drew: the page already says "Loading Trellis…" (and
//! `boot.js` explains if this file cannot load or run); once running, the app takes over that
//! message, fetches each route's code ahead of a click, and says so plainly if it ever stops.

use wasm_bindgen::JsCast;

/// The message `index.html` shows while the app downloads, handed over to the app.
pub fn take_over() {
    if let Some(splash) = document().and_then(|d| d.get_element_by_id("boot")) {
        splash.remove();
    }
}

/// Shows the panic in the page as well as the console: with `panic = "abort"` the app has
/// stopped, and a silent page would look like a hang. A route whose code could not be downloaded
/// (the connection dropped) ends here too.
pub fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = document() else { return };
        let Some(note) = doc.get_element_by_id("boot-error") else { return };
        note.set_inner_html(
            "<h1>Trellis stopped</h1>\
             <p>Part of Trellis could not be loaded or ran into an error. Check your connection, then \
             <a href=\"\" rel=\"external\">reload the page</a> to carry on; what you had saved is kept.</p>\
             <p>If this keeps happening, tell your school's IT that the Trellis app stopped in the \
             browser (the details are in the browser's developer console).</p>",
        );
        let _ = note.remove_attribute("hidden");
        if let Some(body) = doc.body() {
            let _ = body.prepend_with_node_1(&note);
        }
    }));
}

/// Starts fetching a route's code when a link to it is hovered or focused (keyboard users tab to
/// links), so that the click finds it downloaded.
pub fn prefetch_on_intent() {
    use leptos::prelude::window_event_listener;
    let intent = |target: Option<web_sys::EventTarget>| {
        let link = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(link) = link
            && link.origin() == web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
        {
            crate::routes::preload(&link.pathname());
        }
    };
    // The handles are dropped, not the listeners: they last as long as the page.
    let _ = window_event_listener(leptos::ev::mouseover, move |e| intent(e.target()));
    let _ = window_event_listener(leptos::ev::focusin, move |e| intent(e.target()));
}

/// Each page's document title is its heading ("Oakfield Primary School – Trellis"), and after a
/// navigation focus moves to the new page's heading, so a screen reader starts there and a
/// keyboard user's next Tab is in the page, not back at the top. Pages draw their heading when
/// their data arrives, so the heading is watched for a while after each navigation.
#[leptos::component]
pub fn FollowHeadings() -> impl leptos::IntoView {
    use leptos::prelude::*;
    use std::time::Duration;
    let location = leptos_router::hooks::use_location();
    let watch = StoredValue::new(None::<IntervalHandle>);
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let _path = location.pathname.get();
        let navigated = !first.get_value();
        first.set_value(false);
        if let Some(h) = watch.get_value() {
            h.clear();
        }
        let focused = StoredValue::new(!navigated);
        let ticks = StoredValue::new(0u32);
        let handle = set_interval_with_handle(
            move || {
                ticks.update_value(|t| *t += 1);
                let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
                let heading = doc.query_selector("main h1").ok().flatten();
                if let Some(h1) = &heading {
                    let text = h1.text_content().unwrap_or_default();
                    let text = text.trim();
                    if !text.is_empty() {
                        let title = format!("{text} – Trellis");
                        if doc.title() != title {
                            doc.set_title(&title);
                        }
                    }
                    let loading = doc
                        .query_selector("main [role=status]")
                        .ok()
                        .flatten()
                        .is_some_and(|e| e.text_content().is_some_and(|t| t.starts_with("Loading")));
                    if !focused.get_value() && !loading {
                        // Only when nothing in the page has taken focus meanwhile (a form's field).
                        let idle = doc.active_element().is_none_or(|a| {
                            a.tag_name() == "BODY" || a.closest("nav, header").ok().flatten().is_some()
                        });
                        if idle && let Ok(h1) = h1.clone().dyn_into::<web_sys::HtmlElement>() {
                            let _ = h1.set_attribute("tabindex", "-1");
                            let _ = h1.focus();
                        }
                        focused.set_value(true);
                    }
                }
                if ticks.get_value() > 100
                    && let Some(h) = watch.get_value()
                {
                    h.clear();
                }
            },
            Duration::from_millis(100),
        )
        .ok();
        watch.set_value(handle);
    });
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}
