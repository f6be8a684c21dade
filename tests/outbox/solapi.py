"""A local HTTP server that speaks SOLAPI's send API (`POST /messages/v4/send`), for tests.

It checks the HMAC-SHA256 signature as SOLAPI does, keeps every message it took, and answers
as told: `ok`, `error` (5xx), `refuse` (400 with SOLAPI's error body), `refuse_alimtalk`
(400 for 알림톡 only: an unapproved template) or `slow` (answers after the client gave up).
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY, SECRET, SENDER, PF_ID = "NCSTESTKEY", "test-secret", "0622200000", "KA01PF-test"


class Solapi:
    def __init__(self, *, mode: str = "ok", delay: float = 3.0):
        self.mode, self.delay = mode, delay
        self.received: list[dict] = []
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                server.requests += 1
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != "/messages/v4/send" or not server.signed(self.headers):
                    return self.answer(401, {"errorCode": "Unauthorized", "errorMessage": "auth"})
                message = body["message"]
                if server.mode == "slow":
                    time.sleep(server.delay)
                if server.mode == "error":
                    return self.answer(500, {"errorCode": "InternalError", "errorMessage": "down"})
                if server.mode == "refuse" or (
                    server.mode == "refuse_alimtalk" and message["type"] == "ATA"
                ):
                    return self.answer(
                        400, {"errorCode": "ValidationError", "errorMessage": "bad template"}
                    )
                server.received.append(message)
                return self.answer(
                    200,
                    {
                        "groupId": "G4V2024",
                        "messageId": f"M4V{len(server.received)}",
                        "statusCode": "2000",
                        "statusMessage": "정상 접수(이통사로 접수 예정) ",
                        "to": message["to"],
                        "from": message["from"],
                        "type": message["type"],
                    },
                )

            def answer(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]

    def signed(self, headers) -> bool:
        scheme, _, fields = headers.get("Authorization", "").partition(" ")
        values = dict(part.strip().split("=", 1) for part in fields.split(","))
        expected = hmac.new(
            SECRET.encode(), (values["date"] + values["salt"]).encode(), hashlib.sha256
        ).hexdigest()
        return (
            scheme == "HMAC-SHA256" and values["apiKey"] == KEY and values["signature"] == expected
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
