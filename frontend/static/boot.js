// Starts the SPA, and says what went wrong, and what to tell the school's IT, when it cannot start.
// A file rather than an inline script, so the page's Content-Security-Policy can forbid inline
// scripts altogether. tools/assets.py rewrites the two names below to their hashed files.
const APP_JS = "/trellis.js";
const APP_WASM = "/trellis_bg.wasm";

function show(title, paragraphs) {
  const splash = document.getElementById("boot");
  if (splash) splash.remove();
  const note = document.getElementById("boot-error");
  // The app has already reported its own stop: keep its words.
  if (!note || !note.hidden) return;
  const h = document.createElement("h1");
  h.textContent = title;
  note.replaceChildren(h, ...paragraphs.map((text) => {
    const p = document.createElement("p");
    p.textContent = text;
    return p;
  }));
  note.hidden = false;
}

const slow = setTimeout(() => {
  const text = document.getElementById("boot-text");
  if (text) text.textContent = "Still loading Trellis… on a slow connection the first visit can take a minute; later visits are quicker.";
}, 12000);

if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
  clearTimeout(slow);
  show("This browser cannot run Trellis", [
    "Trellis needs WebAssembly, which current versions of Edge, Chrome, Firefox and Safari all have.",
    "If this browser is managed by your school and WebAssembly has been switched off, tell your school's IT that Trellis needs it allowed for " + location.origin + ".",
  ]);
} else {
  import(APP_JS)
    .then((app) => app.default({ module_or_path: APP_WASM }))
    .then(() => clearTimeout(slow))
    .catch((error) => {
      clearTimeout(slow);
      console.error("Trellis could not start:", error);
      show("Trellis could not load", [
        "Your browser did not receive the app's files, or could not run them. Check your connection and reload the page.",
        "If it still does not load, a web filter or firewall may be blocking them. Tell your school's IT that Trellis needs " +
          location.origin + "/assets/ allowed, including WebAssembly (.wasm) files served as application/wasm, such as " +
          new URL(APP_WASM, location.href).href + ".",
      ]);
    });
}
