# SPDX-License-Identifier: Apache-2.0
"""A minimal Lambda Runtime API loop in Python's standard library: what a python3.11 custom
runtime does. Imports the handler module named by _HANDLER (process-cart-products or
update-cart-status; the module creates its boto3 clients at import), then loops:
GET /2018-06-01/runtime/invocation/next, call handler(event, context), POST .../response (or
.../error with the exception). An import failure is posted to /runtime/init/error.
Usage: AWS_LAMBDA_RUNTIME_API=host:port _HANDLER=update-cart-status python3 runtime_loop.py
"""
import http.client
import importlib
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
PREFIX = "/2018-06-01/runtime"


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self.deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")


def post(conn, path, payload, headers=None):
    conn.request("POST", PREFIX + path, json.dumps(payload).encode(),
                 {"Content-Type": "application/json", **(headers or {})})
    conn.getresponse().read()


def error_payload(error):
    return {"errorMessage": str(error), "errorType": type(error).__name__,
            "stackTrace": traceback.format_tb(error.__traceback__)}


def main():
    host, _, port = os.environ["AWS_LAMBDA_RUNTIME_API"].partition(":")
    conn = http.client.HTTPConnection(host, int(port or 80))
    name = os.environ.get("_HANDLER", "")
    try:
        module = importlib.import_module(name.replace("-", "_"))
        handler = module.handler
    except Exception as error:  # noqa: BLE001 -- reported to the Runtime API, then exit
        post(conn, "/init/error", error_payload(error),
             {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
        return 1
    while True:
        conn.request("GET", PREFIX + "/invocation/next")
        answer = conn.getresponse()
        body = answer.read()
        if answer.status != 200:
            return 1
        context = Context(answer.headers)
        request = f"/invocation/{context.aws_request_id}"
        try:
            result = handler(json.loads(body), context)
        except Exception as error:  # noqa: BLE001 -- a function error, not a runtime crash
            post(conn, request + "/error", error_payload(error),
                 {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        post(conn, request + "/response", result)


if __name__ == "__main__":
    sys.exit(main())
