// SPDX-License-Identifier: Apache-2.0
// The cartflow runtime under @vercel/fun, a third-party implementation of the Lambda Runtime
// API (runtime name `provided`): each handler as a function whose bootstrap is the cartflow
// program, invoked through fn.invoke() as the Lambda Invoke API would.
// Usage: node fun_invoke.mjs CARTFLOW_BINARY. Exit 0 on success, 1 on a failed check, 77 when
// the pinned peers are not installed (scripts/install-deps.sh).
import { createRequire } from "node:module";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, "../..");
const peers = path.join(source, "tests/peers");
if (!existsSync(path.join(peers, "node_modules/@vercel/fun"))) {
  console.error("fun_invoke: tests/peers/node_modules/@vercel/fun missing (run scripts/install-deps.sh)");
  process.exit(77);
}
const { createFunction } = createRequire(path.join(peers, "package.json"))("@vercel/fun");

const binary = process.argv[2];
const work = mkdtempSync(path.join(tmpdir(), "cartflow-fun-"));
copyFileSync(binary, path.join(work, "bootstrap"));  // the program itself is the bootstrap

const apiEvent = (method, p, body) => JSON.stringify({
  resource: p, path: p, httpMethod: method, headers: { "Content-Type": "application/json" },
  multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
  pathParameters: null, stageVariables: null,
  requestContext: { resourcePath: p, httpMethod: method, stage: "Dev", requestId: "fun-1",
                    identity: { sourceIp: "127.0.0.1" } },
  body, isBase64Encoded: false,
});
const event = (name) => readFileSync(path.join(source, "tests/data/events", name), "utf8");

const cases = [
  { handler: "api", payload: apiEvent("GET", "/products", null), expect: '"statusCode":200' },
  { handler: "api", payload: apiEvent("GET", "/no-such-route", null), expect: '"statusCode":404' },
  { handler: "process-cart-products", payload: event("order_stream_event.json"),
    expect: '"batchItemFailures":[]' },
  { handler: "update-cart-status", payload: event("order_sqs_event.json"),
    expect: '"batchItemFailures":[]' },
];

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAIL"} - ${what}`);
  if (!ok) failures++;
};

try {
  for (const handler of ["api", "process-cart-products", "update-cart-status"]) {
    const fn = await createFunction({
      FunctionName: `cartflow-${handler}`,
      Code: { Directory: work },
      Handler: handler,
      Runtime: "provided",
      MemorySize: 256,
      Timeout: 30,
      Environment: { Variables: { TABLE_NAME: "EcommerceAppTable", CARTFLOW_BACKEND: "embedded",
                                  CARTFLOW_LAMBDA_DB: path.join(work, `${handler}.db`) } },
    });
    try {
      for (const c of cases.filter((c) => c.handler === handler)) {
        // Twice: the second invocation reuses the warm process and its connection.
        for (let round = 1; round <= 2; round++) {
          const result = await fn.invoke({ InvocationType: "RequestResponse", Payload: c.payload });
          const payload = String(result.Payload);
          check(result.StatusCode === 200 && !result.FunctionError && payload.includes(c.expect),
                `${handler} round ${round}: ${c.expect} in ${payload.slice(0, 160)}`);
        }
      }
    } finally {
      await fn.destroy();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
