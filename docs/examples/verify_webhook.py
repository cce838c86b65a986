"""Verify a Trellis webhook with the Standard Webhooks library: pip install standardwebhooks.

In your endpoint, pass the raw body (bytes, before any JSON parsing) and the request's headers:

    event = Webhook(secret).verify(body, headers)   # raises WebhookVerificationError

As a script: the body on stdin; WEBHOOK_SECRET (whsec_...), WEBHOOK_ID, WEBHOOK_TIMESTAMP and
WEBHOOK_SIGNATURE in the environment. Prints "verified <type> <id>" or exits 1.
"""

import os
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def main() -> int:
    body = sys.stdin.buffer.read()
    headers = {
        "webhook-id": os.environ["WEBHOOK_ID"],
        "webhook-timestamp": os.environ["WEBHOOK_TIMESTAMP"],
        "webhook-signature": os.environ["WEBHOOK_SIGNATURE"],
    }
    try:
        event = Webhook(os.environ["WEBHOOK_SECRET"]).verify(body, headers)
    except WebhookVerificationError as e:
        print(f"not verified: {e}", file=sys.stderr)
        return 1
    # The same webhook-id arrives again on a retry or a replay: handle each id once.
    print("verified", event["type"], headers["webhook-id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
