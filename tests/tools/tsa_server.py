"""A local RFC 3161 timestamp authority for the tests: `openssl ts -reply` behind a tiny HTTP
server on 127.0.0.1, in the folder tests/tools/pki.sh made. Prints its port, then serves.

    python3 tsa_server.py FOLDER [good|slow|garbage|other] [CERT.pem KEY.pem]

`slow` answers after 5 seconds; `garbage` answers with bytes that are no timestamp response;
`other` answers with a good token over other data than was asked for. With a certificate and
its key (files in FOLDER), it serves HTTPS with them instead of HTTP.
"""

import http.server
import os
import ssl
import subprocess
import sys
import tempfile
import time

FOLDER = sys.argv[1]
MODE = sys.argv[2] if len(sys.argv) > 2 else "good"
TLS = sys.argv[3:5]


def reply(query: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        q = os.path.join(tmp, "q.tsq")
        r = os.path.join(tmp, "r.tsr")
        if MODE == "other":
            data = os.path.join(tmp, "other")
            with open(data, "wb") as f:
                f.write(b"other data")
            subprocess.run(
                ["openssl", "ts", "-query", "-data", data, "-sha256", "-cert", "-out", q],
                check=True, capture_output=True,
            )
        else:
            with open(q, "wb") as f:
                f.write(query)
        subprocess.run(
            ["openssl", "ts", "-reply", "-config", "ts.cnf", "-queryfile", q, "-out", r],
            check=True, capture_output=True, cwd=FOLDER,
        )
        with open(r, "rb") as f:
            return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if MODE == "slow":
            time.sleep(5)
        body = b"<html>not a TSA</html>" if MODE == "garbage" else reply(query)
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if TLS:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(FOLDER, TLS[0]), os.path.join(FOLDER, TLS[1]))
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
