"""A real webhook receiver for the end-to-end tests: an HTTP server that verifies each POST with
PyPI's `standardwebhooks` (the Standard Webhooks reference library) and saves what it got as JSON.

    python webhook_receiver.py PORT SECRET OUT_DIR [FAIL_FIRST]

It answers 500 to the first FAIL_FIRST requests (to test retries), then 204 to every message
whose signature verifies and 401 to any that does not.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET, OUT = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
FAIL_FIRST = int(sys.argv[4]) if len(sys.argv) > 4 else 0
OUT.mkdir(parents=True, exist_ok=True)
LOCK = threading.Lock()
SEEN = [0]
WEBHOOK = Webhook(SECRET)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            WEBHOOK.verify(body, headers)
            verified, error = True, None
        except WebhookVerificationError as e:
            verified, error = False, str(e)
        with LOCK:
            SEEN[0] += 1
            n = SEEN[0]
        status = 500 if n <= FAIL_FIRST else (204 if verified else 401)
        record = {
            "n": n,
            "path": self.path,
            "headers": {k: v for k, v in headers.items() if k.startswith("webhook-") or k in ("content-type", "user-agent")},
            "body": body.decode("utf-8", "replace"),
            "verified": verified,
            "error": error,
            "answered": status,
        }
        tmp = OUT / f"{n:06d}.tmp"
        tmp.write_text(json.dumps(record))
        tmp.rename(OUT / f"{n:06d}.json")
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
