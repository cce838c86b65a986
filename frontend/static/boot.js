// Starts the SPA. A file rather than an inline script, so the page's Content-Security-Policy
// can forbid inline scripts altogether.
import init from "/trellis.js";
init({ module_or_path: "/trellis_bg.wasm" });
