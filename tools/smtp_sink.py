"""A real SMTP server for the test suite: aiosmtpd, saving each message it accepts as JSON.

Started by the e2e harness (`trellis_e2e::SmtpSink`) as
    python -m aiosmtpd -n -l 127.0.0.1:<port> -c smtp_sink.JsonSink <directory>
with this folder on PYTHONPATH. Each message is parsed with the standard library's email
package (MIME parts, transfer encodings) and written to <directory>/<n>.json, via a temporary
file and a rename, so a reader never sees half a message.
"""

import email
import email.policy
import itertools
import json
import os


class JsonSink:
    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("JsonSink takes one argument: the directory to save messages in")
        return cls(args[0])

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        plain = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "content_type": msg.get_content_type(),
            "text": plain.get_content() if plain is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        n = next(self.counter)
        path = os.path.join(self.directory, f"{n:06d}.json")
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, path)
        return "250 OK"
