#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Lambda start and memory, cartflow against the reference's functions as Python 3.11 + boto3.

In one run: starts DynamoDB Local (the jar of tests/peers) and local-aws-sqs (node) on 127.0.0.1,
creates the table and the queue, then for each function (process-cart-products,
update-cart-status) and each contestant (cartflow's packaged bootstrap in an empty root made
from build/lambda/cartflow-x86_64.zip, beside the build machine's own libraries in /lib64 and
/usr/lib64 and with Lambda's LD_LIBRARY_PATH, else build/release/cartflow with argv `lambda`; the
Python peer bench/peers/runtime_loop.py) measures, under a Runtime API stub of this script:
  - start: from just before the fork to the first GET /invocation/next, over --starts processes
    (median; each a fresh environment: the package's /tmp is emptied);
  - time per invocation: from the stub's answer to /next to the POST of the response, over
    --timed invocations on fresh inputs (median), in one process: process-cart-products gets
    the order stream event of tests/data/events (one order); update-cart-status gets batches of
    5 messages (the reference's batch size), each a distinct order of 2 lines whose PENDING
    cart items are seeded in the table first;
  - VmRSS of that process after --invocations invocations in all (after the timed ones: the
    same stream event; the timed SQS messages redelivered one per event).
Both contestants get the same environment (the template's variables, the peers' endpoints) and
the same events. A handler error (/error) or a non-empty batchItemFailures is counted and
reported, never hidden; so is what each contestant left in the table and the queue.
Writes --out (JSON) and prints a table. Standard library only: it orchestrates processes and
HTTP, and needs no build (the stub's overhead is the same for both contestants, and the start
clock starts before the fork, so the driver can only make a start look slower).
"""
import argparse
import glob
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

sys.dont_write_bytecode = True  # no __pycache__ in bench/ (before the imports of bench/)
from lambda_report import print_table  # noqa: E402
from lambda_services import (LINES_PER_ORDER, MESSAGES_PER_BATCH, ROOT, TABLE, Peers, count_ordered,
                             queue_depth, seed_cart_items, sqs_event, sqs_records,
                             stream_event)
from lambda_stub import Stub

PEERS = os.path.join(ROOT, "bench", "peers")
# Lambda's LD_LIBRARY_PATH on provided.al2023, and the build machine's libraries put in the
# package's root at /lib64, /usr/lib64 and /var/lang/lib (as an execution environment has them).
LAMBDA_LIBRARY_PATH = "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib"
SYSTEM_LIBRARIES = ("ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1",
                    "libssl.so.3", "libcrypto.so.3", "libsimdjson.so.14", "libsqlite3.so.0")
FUNCTIONS = ("process-cart-products", "update-cart-status")


class Cartflow:
    name = "cartflow"

    def __init__(self, workdir, package, binary):
        self.root = None
        if package and os.path.exists(package) and os.geteuid() == 0:
            self.root = os.path.join(workdir, "root")
            os.makedirs(os.path.join(self.root, "var", "task"))
            os.makedirs(os.path.join(self.root, "tmp"))
            os.makedirs(os.path.join(self.root, "etc", "pki", "tls", "certs"))
            with zipfile.ZipFile(package) as z:
                z.extractall(os.path.join(self.root, "var", "task"))
            for member in ("bootstrap",):
                os.chmod(os.path.join(self.root, "var", "task", member), 0o755)
            for lib in glob.glob(os.path.join(self.root, "var", "task", "lib", "*")):
                os.chmod(lib, 0o755)
            shutil.copy("/etc/ssl/certs/ca-certificates.crt",
                        os.path.join(self.root, "etc", "pki", "tls", "certs", "ca-bundle.crt"))
            # An execution environment's own libraries, which LD_LIBRARY_PATH names before
            # /var/task/lib: the package must start beside them (it loads none of them).
            for lib_dir in ("lib64", "usr/lib64", "var/lang/lib"):
                os.makedirs(os.path.join(self.root, lib_dir))
                for name in SYSTEM_LIBRARIES:
                    source = os.path.join("/lib/x86_64-linux-gnu", name)
                    if os.path.exists(source):
                        shutil.copy(source, os.path.join(self.root, lib_dir, name))
            self.argv = ["/var/task/bootstrap"]
            self.chroot = shutil.which("chroot") or "/usr/sbin/chroot"
            self.tmp = os.path.join(self.root, "tmp")
            self.kind = "the package `%s`, unpacked at /var/task of an empty root (chroot)" % os.path.relpath(package, ROOT)
        elif binary and os.path.exists(binary):
            self.argv = [binary, "lambda"]
            self.tmp = os.path.join(workdir, "cartflow-tmp")
            os.makedirs(self.tmp)
            self.kind = "`%s lambda` (no package: run `make lambda` to measure it)" % os.path.relpath(binary, ROOT)
        else:
            raise RuntimeError("neither the package %s nor the binary %s is there" % (package, binary))

    def fresh(self):
        for entry in os.listdir(self.tmp):
            path = os.path.join(self.tmp, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)

    def spawn(self, env, log):
        # chroot(8) rather than a preexec function: Popen then takes its vfork path, as for the
        # Python peer, and cartflow's clock also counts chroot(8)'s own start (about 1 ms).
        if self.root is not None:
            return subprocess.Popen([self.chroot, self.root] + self.argv, env=env, stdout=log, stderr=log)
        env = dict(env, CARTFLOW_LAMBDA_DB=os.path.join(self.tmp, "cartflow.db"))
        return subprocess.Popen(self.argv, env=env, stdout=log, stderr=log)


class PythonPeer:
    name = "python"

    def __init__(self):
        self.python = shutil.which("python3.11") or sys.executable
        versions = subprocess.run(
            [self.python, "-c", "import platform, boto3; print(platform.python_version(), boto3.__version__)"],
            capture_output=True, text=True, check=True).stdout.split()
        self.kind = "`python3.11 bench/peers/runtime_loop.py` (Python %s, boto3 %s)" % tuple(versions)

    def fresh(self):
        pass

    def spawn(self, env, log):
        # No .pyc written for the peer's modules: Lambda's /var/task is read-only (boto3's own
        # compiled files in site-packages are used, as in Lambda's Python runtime).
        env = dict(env, PYTHONDONTWRITEBYTECODE="1")
        return subprocess.Popen([self.python, os.path.join(PEERS, "runtime_loop.py")], env=env,
                                cwd=PEERS, stdout=log, stderr=log)


def lambda_env(stub, function, peers, queue_url):
    """What Lambda and the template set, with the endpoints of the local peers."""
    return {
        "AWS_LAMBDA_RUNTIME_API": stub.address(), "_HANDLER": function,
        "AWS_LAMBDA_FUNCTION_NAME": function, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "LAMBDA_TASK_ROOT": "/var/task", "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "LD_LIBRARY_PATH": LAMBDA_LIBRARY_PATH,
        "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin", "TZ": ":UTC", "LANG": "en_US.UTF-8",
        "TABLE_NAME": TABLE, "UPDATE_CART_PRODUCT_SQS": queue_url,
        "POWERTOOLS_SERVICE_NAME": "cartflow", "POWERTOOLS_METRICS_NAMESPACE": "cartflow",
        "LOG_LEVEL": "INFO", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL_DYNAMODB": peers.ddb_url, "AWS_ENDPOINT_URL_SQS": peers.sqs_url,
    }


def kill(process):
    if process.poll() is None:
        process.kill()
    process.wait()


def memory_kib(pid):
    """VmRSS and its parts RssAnon / RssFile of /proc/PID/status, in KiB (-1 when unreadable)."""
    figures = {"VmRSS": -1, "RssAnon": -1, "RssFile": -1}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in figures:
                    figures[name] = int(value.split()[0])
    except OSError:
        pass
    return figures


def median(values):
    return statistics.median(values) if values else None


def ended(process, timeout):
    status = process.poll()
    return "still running after %d s" % timeout if status is None else "exited with status %d" % status


def measure_starts(contestant, function, peers, queue_url, count, log):
    """A start that fails ends the series (the rest count as failed: a hang would cost 30 s each)."""
    spawn_ms, spawned_ms = [], []
    for _ in range(count):
        contestant.fresh()
        stub = Stub()
        env = lambda_env(stub, function, peers, queue_url)
        t0 = time.perf_counter()
        process = contestant.spawn(env, log)
        t_spawned = time.perf_counter()  # Popen returns once the child's first exec succeeded
        first = stub.wait_first_next(30, process)
        kill(process)
        stub.close()
        if first is None:
            break
        spawn_ms.append((first - t0) * 1e3)
        spawned_ms.append((first - t_spawned) * 1e3)
    return {"starts": count, "starts_failed": count - len(spawn_ms), "start_ms": median(spawn_ms),
            "start_ms_min": min(spawn_ms, default=None), "start_ms_max": max(spawn_ms, default=None),
            "start_after_spawn_ms": median(spawned_ms)}


def measure_invocations(contestant, function, peers, queue_url, events, tail, total, log):
    """Times the invocations of `events`, then sends `tail` events in turn until `total`
    invocations in all; RSS after."""
    contestant.fresh()
    stub = Stub()
    process = contestant.spawn(lambda_env(stub, function, peers, queue_url), log)
    result = {"invocations": 0, "errors": 0, "batch_failures": 0, "no_answer": 0, "timed": len(events)}
    try:
        if stub.wait_first_next(30, process) is None:
            result["no_answer"] = 1
            result["first_error"] = stub.init_error.decode(errors="replace")[:300] if stub.init_error \
                else "no /next: " + ended(process, 30)
            return result
        result["rss_first_next_kib"] = memory_kib(process.pid)["VmRSS"]
        times, first_error = [], None
        for i in range(total):
            event = events[i] if i < len(events) else tail[(i - len(events)) % len(tail)]
            outcome = stub.invoke(event, 60, process)
            if outcome is None:
                result["no_answer"] += 1
                first_error = first_error or "no answer: " + ended(process, 60)
                break
            is_error, body, seconds = outcome
            result["invocations"] += 1
            if i < len(events):
                times.append(seconds * 1e3)
            if is_error:
                result["errors"] += 1
                first_error = first_error or body.decode(errors="replace")[:300]
            elif b'"batchItemFailures":[]' not in body.replace(b" ", b""):
                result["batch_failures"] += 1
                first_error = first_error or body.decode(errors="replace")[:300]
        memory = memory_kib(process.pid)
        result.update(rss_kib=memory["VmRSS"], rss_anon_kib=memory["RssAnon"], rss_file_kib=memory["RssFile"])
        result["invoke_ms"] = median(times)
        result["invoke_ms_p90"] = sorted(times)[int(len(times) * 0.9)] if times else None
        if first_error:
            result["first_error"] = first_error
        return result
    finally:
        kill(process)
        stub.close()


def run(args):
    started = time.time()
    workdir = tempfile.mkdtemp(prefix="cartflow-lambda-bench-")
    peers = None
    try:
        contestants = [] if args.cartflow_only else [PythonPeer()]
        if not args.python_only:
            contestants.insert(0, Cartflow(workdir, args.package, args.binary))
        peers = Peers(workdir)
        queue_url = peers.create()
        report = {"contestants": {c.name: c.kind for c in contestants}, "starts": args.starts,
                  "timed": args.timed, "invocations": args.invocations, "functions": {},
                  "load_start": os.getloadavg()[0], "nproc": os.cpu_count()}
        batches = sqs_records(args.timed)
        # After the timed batches: redeliveries of their messages one by one (each line an
        # UpdateItem whose condition fails, then a GetItem), cheaper than whole batches.
        redeliveries = [sqs_event([record]) for batch in batches for record in batch]
        for function in FUNCTIONS:
            report["functions"][function] = {}
            for contestant in contestants:
                with open(os.path.join(workdir, "%s-%s.log" % (contestant.name, function)), "wb") as log:
                    figures = measure_starts(contestant, function, peers, queue_url, args.starts, log)
                    depth = queue_depth(peers.sqs_url, queue_url)
                    if function == "update-cart-status":
                        seed_cart_items(peers.ddb_url, args.timed * MESSAGES_PER_BATCH)
                        events, tail = [sqs_event(b) for b in batches], redeliveries
                    else:
                        events, tail = [stream_event()] * args.timed, [stream_event()]
                    figures.update(measure_invocations(contestant, function, peers, queue_url, events,
                                                       tail, args.invocations, log))
                # What the runtime did to the peers: nothing means it used another backend.
                if function == "update-cart-status":
                    figures["peer_writes"] = count_ordered(peers.ddb_url)
                    figures["effect"] = "%d of %d cart items ORDERED in DynamoDB" % (
                        figures["peer_writes"], args.timed * MESSAGES_PER_BATCH * LINES_PER_ORDER)
                else:
                    figures["peer_writes"] = queue_depth(peers.sqs_url, queue_url) - depth
                    figures["effect"] = "%d messages sent to the SQS queue in %d invocations" % (
                        figures["peer_writes"], figures["invocations"])
                report["functions"][function][contestant.name] = figures
                if args.out:  # what is done so far, should a `timeout` end the run
                    with open(args.out, "w") as f:
                        json.dump(report, f, indent=1)
                print("lambda_bench: %s %s: %s" % (function, contestant.name, json.dumps(figures)),
                      file=sys.stderr, flush=True)
        report["seconds"] = round(time.time() - started, 1)
        report["load_end"] = os.getloadavg()[0]
        return report
    finally:
        if peers:
            peers.close()
        if args.keep:
            print("lambda_bench: logs kept in " + workdir, file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", default=os.path.join(ROOT, "build", "lambda", "cartflow-x86_64.zip"))
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "release", "cartflow"))
    parser.add_argument("--starts", type=int, default=20)
    parser.add_argument("--timed", type=int, default=100, help="timed invocations on fresh inputs")
    parser.add_argument("--invocations", type=int, default=1000, help="invocations before the RSS reading")
    parser.add_argument("--out", help="JSON report")
    parser.add_argument("--python-only", action="store_true", help="only the peer (development)")
    parser.add_argument("--cartflow-only", action="store_true", help="only cartflow (package A/B)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = parser.parse_args()
    # `timeout` sends SIGTERM: unwind, so the peers and the contestants are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    report = run(args)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
    print_table(report)


if __name__ == "__main__":
    main()
