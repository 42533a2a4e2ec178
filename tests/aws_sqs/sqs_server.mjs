// SPDX-License-Identifier: Apache-2.0
// Starts local-aws-sqs (pinned in tests/peers) on 127.0.0.1:PORT for the SQS client tests and
// prints "ready" once it listens. Usage: node sqs_server.mjs PORT. Exits on SIGTERM.
import { createRequire } from "node:module";

const require = createRequire(new URL("../peers/package.json", import.meta.url));
const { createSqsServer } = require("local-aws-sqs");

const port = Number(process.argv[2]);
const server = await createSqsServer({ port, hostname: "127.0.0.1", emulateQueueCreationLifecycle: false });
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  server.close();
  process.exit(0);
});
