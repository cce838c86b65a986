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

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}
