#!/bin/sh
# Verify a Trellis webhook with openssl: the body on stdin, exactly as received; WEBHOOK_SECRET
# (whsec_...), WEBHOOK_ID, WEBHOOK_TIMESTAMP and WEBHOOK_SIGNATURE in the environment.
# Prints "verified" or exits 1. (A shell compares strings in variable time; in a server, use a
# constant-time comparison, as the standardwebhooks libraries do.)
set -eu

# Refuse messages more than five minutes from now: an old signed message replayed by someone else.
age=$(( $(date +%s) - WEBHOOK_TIMESTAMP ))
if [ "${age#-}" -gt 300 ]; then
  echo "timestamp is more than five minutes away" >&2
  exit 1
fi

# The key is the base64 after "whsec_"; the signed content is "<id>.<timestamp>.<body>".
key=$(printf '%s' "${WEBHOOK_SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
expected=$({ printf '%s.%s.' "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP"; cat; } \
  | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)

# The header holds one or more space-separated "v1,<base64>" signatures (several while a secret
# is being rotated); any one matching is enough.
for signature in $WEBHOOK_SIGNATURE; do
  if [ "$signature" = "v1,$expected" ]; then
    echo verified
    exit 0
  fi
done
echo "no matching signature" >&2
exit 1
