// SPDX-License-Identifier: Apache-2.0
// Signs request descriptions (JSON lines on stdin) with @smithy/signature-v4, the AWS SDK for
// JavaScript v3's signer, and prints one JSON line per request: the Authorization header (header
// form) or the X-Amz-SignedHeaders and X-Amz-Signature parameters (query form).
import { createRequire } from "node:module";
import readline from "node:readline";

const require = createRequire(new URL("../peers/package.json", import.meta.url));
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const d = JSON.parse(line);
  const credentials = { accessKeyId: d.ak, secretAccessKey: d.sk };
  if (d.token) credentials.sessionToken = d.token;
  const signer = new SignatureV4({
    credentials, region: d.region, service: d.service, sha256: Sha256,
    uriEscapePath: true, applyChecksum: false,
  });
  const request = {
    method: d.method, protocol: "https:", hostname: "example.amazonaws.com", path: d.path,
    query: d.query, headers: d.headers, body: d.body,
  };
  const signingDate = new Date(d.time * 1000);
  if (d.presign) {
    const signed = await signer.presign(request, { signingDate, expiresIn: d.expires });
    process.stdout.write(JSON.stringify({
      signed_headers: signed.query["X-Amz-SignedHeaders"], signature: signed.query["X-Amz-Signature"],
    }) + "\n");
  } else {
    const signed = await signer.sign(request, { signingDate });
    process.stdout.write(JSON.stringify({ authorization: signed.headers["authorization"] }) + "\n");
  }
}
