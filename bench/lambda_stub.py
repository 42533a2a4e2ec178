# SPDX-License-Identifier: Apache-2.0
"""A Lambda Runtime API stub for bench/lambda_bench.py: one per runtime process, on 127.0.0.1
(an ephemeral port). /invocation/next hands out queued events one at a time and records when
the first /next arrived; the stub records when it answered each /next and when the response or
error of that invocation was posted (perf_counter). Standard library only.
"""
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NEXT = "/2018-06-01/runtime/invocation/next"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a killed runtime resets its connection: expected


class Stub:
    """One Runtime API for one process: /next hands out queued events one at a time."""

    def __init__(self):
        self.events = queue.Queue()
        self.lock = threading.Condition()
        self.first_next = None
        self.dispatched = {}   # request id -> perf_counter when /next answered
        self.outcomes = {}     # request id -> (is_error, body, perf_counter at the POST)
        self.init_error = None
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
            # the runtime's delayed ACK add about 40 ms to every answer.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != NEXT:
                    return self.reply(404, b"{}")
                with stub.lock:
                    if stub.first_next is None:
                        stub.first_next = time.perf_counter()
                        stub.lock.notify_all()
                item = stub.events.get()
                if item is None:  # the stub closes: the runtime sees its connection end
                    self.close_connection = True
                    return
                request_id, body = item
                self.send_response(200)
                for name, value in (
                        ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                        ("Lambda-Runtime-Aws-Request-Id", request_id),
                        ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 300000)),
                        ("Lambda-Runtime-Invoked-Function-Arn",
                         "arn:aws:lambda:us-east-1:123456789012:function:bench"),
                        ("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")):
                    self.send_header(name, value)
                self.end_headers()
                with stub.lock:
                    stub.dispatched[request_id] = time.perf_counter()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.perf_counter()
                parts = self.path.split("/")
                with stub.lock:
                    if self.path.endswith("/init/error"):
                        stub.init_error = body
                    elif len(parts) == 6 and parts[3] == "invocation":
                        stub.outcomes[parts[4]] = (parts[5] == "error", body, now)
                    stub.lock.notify_all()
                self.reply(202, b"{}")

            def reply(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.counter = 0

    def address(self):
        return "127.0.0.1:%d" % self.server.server_address[1]

    def wait_first_next(self, timeout, process):
        """perf_counter of the first /next; None on timeout, exit or init error."""
        until = time.perf_counter() + timeout
        with self.lock:
            while self.first_next is None and self.init_error is None:
                if process.poll() is not None or time.perf_counter() > until:
                    return None
                self.lock.wait(0.05)
            return self.first_next

    def invoke(self, event, timeout, process):
        """(is_error, body, seconds); None when the process died or did not answer in time."""
        self.counter += 1
        request_id = "req-%08d" % self.counter
        self.events.put((request_id, event))
        until = time.perf_counter() + timeout
        with self.lock:
            while request_id not in self.outcomes:
                if process.poll() is not None or time.perf_counter() > until:
                    return None
                self.lock.wait(0.05)
            is_error, body, done = self.outcomes.pop(request_id)
            return is_error, body, done - self.dispatched.pop(request_id)

    def close(self):
        for _ in range(4):
            self.events.put(None)
        self.server.shutdown()
        self.server.server_close()
