# SPDX-License-Identifier: Apache-2.0
"""The report of bench/lambda_bench.py: its table on stdout, and the rows and the section
"Lambda start and memory" of docs/PERFORMANCE.md (scripts/bench.sh imports this module).
"""

def fmt(value, unit, digits=1):
    return "-" if value is None else ("%.*f %s" % (digits, value, unit))


def ratio(a, b):
    return None if not a or not b or a <= 0 or b <= 0 else b / a


def print_table(report):
    print("contestants: " + "; ".join("%s = %s" % kv for kv in report["contestants"].items()))
    for function, by in report["functions"].items():
        c, p = by.get("cartflow", {}), by.get("python", {})
        print("%s: start %s vs %s (x%s); per invocation %s vs %s; RSS %s vs %s (x%s)" % (
            function, fmt(c.get("start_ms"), "ms", 2), fmt(p.get("start_ms"), "ms", 1),
            fmt(ratio(c.get("start_ms"), p.get("start_ms")), "", 1).strip(),
            fmt(c.get("invoke_ms"), "ms", 2), fmt(p.get("invoke_ms"), "ms", 2),
            fmt((c.get("rss_kib") or 0) / 1024 or None, "MiB"), fmt((p.get("rss_kib") or 0) / 1024 or None, "MiB"),
            fmt(ratio(c.get("rss_kib"), p.get("rss_kib")), "", 1).strip()))
        for name, f in by.items():
            print("  %s: %d invocations, %d errors, %d with batchItemFailures, %d unanswered, %d starts failed; %s%s"
                  % (name, f.get("invocations", 0), f.get("errors", 0), f.get("batch_failures", 0),
                     f.get("no_answer", 0), f.get("starts_failed", 0), f.get("effect", ""),
                     ("; first error: " + f["first_error"]) if f.get("first_error") else ""))


START_TARGET, MEMORY_TARGET = 50, 5  # issue 9: start >= 50x faster, memory >= 5x lower


def _mib(kib):
    return None if not kib or kib < 0 else kib / 1024


def summary_rows(report):
    """(what, figure, peer / ratio, target) rows for the summary table."""
    rows = []
    for function, by in report["functions"].items():
        c, p = by.get("cartflow", {}), by.get("python", {})
        r = ratio(c.get("start_ms"), p.get("start_ms"))
        rows.append(("Lambda start, " + function,
                     "%s (Python %s)" % (fmt(c.get("start_ms"), "ms", 1), fmt(p.get("start_ms"), "ms", 0)),
                     "%s × faster than Python" % fmt(r, "", 0).strip(), "≥ %d ×" % START_TARGET))
        r = ratio(c.get("rss_kib"), p.get("rss_kib"))
        rows.append(("Lambda RSS after %d invocations, %s" % (report["invocations"], function),
                     "%s (Python %s)" % (fmt(_mib(c.get("rss_kib")), "MiB"), fmt(_mib(p.get("rss_kib")), "MiB")),
                     "%s × lower than Python" % fmt(r, "", 1).strip(), "≥ %d ×" % MEMORY_TARGET))
    return rows


def verdict(value, target):
    return "not measured" if value is None else ("met" if value >= target else "**not met**")


def markdown(report):
    """The lines of the section "Lambda start and memory" (without its title)."""
    kinds = report["contestants"]
    L = ["`bench/lambda_bench.py` starts DynamoDB Local and local-aws-sqs on 127.0.0.1, creates the",
         "table and the queue, and runs each contestant under a Runtime API stub of its own, with the",
         "template's environment (TABLE_NAME, UPDATE_CART_PRODUCT_SQS = the queue URL, Powertools",
         "settings, AWS_ENDPOINT_URL_DYNAMODB / _SQS of the peers) and the same events.",
         "",
         "- cartflow: " + kinds.get("cartflow", "not run"),
         "- Python: " + kinds.get("python", "not run") + ": the reference's two functions in plain",
         "  Python 3.11 + boto3 (`bench/peers/`, boto3 clients created at import), behind a",
         "  standard-library Runtime API loop, as a python3.11 custom runtime runs them.",
         "- start: spawn (before the vfork) → first `GET /invocation/next`, median of %d fresh" % report["starts"],
         "  processes (min–max); cartflow's through chroot(8), whose own start is counted too;",
         "- per invocation: the stub's answer to `/next` → the response POST, median of %d invocations" % report["timed"],
         "  on fresh inputs. process-cart-products: the order stream event of `tests/data/events` (one",
         "  SendMessageBatch); update-cart-status: batches of 5 messages of one 2-line order each (10",
         "  conditional UpdateItem on seeded PENDING cart items). cartflow updates the lines of a batch",
         "  on 4 threads, the Python peer one after another, as a plain function does;",
         "- RSS: VmRSS of the same process after %d invocations (after the timed ones: the same stream" % report["invocations"],
         "  event; the SQS messages redelivered one per event).",
         "",
         "| function | start cartflow | start Python | start ratio | per invocation cartflow | per invocation Python | RSS cartflow | RSS Python | RSS ratio |",
         "|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for function, by in report["functions"].items():
        c, p = by.get("cartflow", {}), by.get("python", {})
        rs, rm = ratio(c.get("start_ms"), p.get("start_ms")), ratio(c.get("rss_kib"), p.get("rss_kib"))

        def start(f):
            if f.get("start_ms") is None:
                return "-"
            return "%s (%.1f–%.1f)" % (fmt(f["start_ms"], "ms", 1), f["start_ms_min"], f["start_ms_max"])
        L.append("| %s | %s | %s | **%s** | %s | %s | %s | %s | **%s** |" % (
            function, start(c), start(p), fmt(rs, "×", 0), fmt(c.get("invoke_ms"), "ms", 2),
            fmt(p.get("invoke_ms"), "ms", 2), fmt(_mib(c.get("rss_kib")), "MiB"),
            fmt(_mib(p.get("rss_kib")), "MiB"), fmt(rm, "×", 1)))
        verdicts.append("%s: start %s (≥ %d ×), memory %s (≥ %d ×)" % (
            function, verdict(rs, START_TARGET), START_TARGET, verdict(rm, MEMORY_TARGET), MEMORY_TARGET))
    after_spawn = ["%s %s %s" % (function, name, fmt(f.get("start_after_spawn_ms"), "ms", 1))
                  for function, by in report["functions"].items() for name, f in by.items()]
    parts = ["%s %s %s at the first /next, %s after (anonymous %s, files %s)" % (
        function, name, fmt(_mib(f.get("rss_first_next_kib")), "MiB"), fmt(_mib(f.get("rss_kib")), "MiB"),
        fmt(_mib(f.get("rss_anon_kib")), "MiB"), fmt(_mib(f.get("rss_file_kib")), "MiB"))
        for function, by in report["functions"].items() for name, f in by.items()]
    L += ["", "RSS: " + "; ".join(parts) + "."]
    L += ["", "Start measured from the return of the spawn (the child's first exec done) instead of "
          "before it: " + ", ".join(after_spawn) + ".",
          "", "Targets: " + "; ".join(verdicts) + ".", "",
          "What each run did (a handler error or a listed batch item failure is counted, not hidden):", "",
          "| function | contestant | invocations | handler errors | answers with failures | no answer | starts failed | left in the peers |",
          "|---|---|---|---|---|---|---|---|"]
    for function, by in report["functions"].items():
        for name, f in by.items():
            L.append("| %s | %s | %d | %d | %d | %d | %d | %s |" % (
                function, name, f.get("invocations", 0), f.get("errors", 0), f.get("batch_failures", 0),
                f.get("no_answer", 0), f.get("starts_failed", 0), f.get("effect", "")))
    errors = [(fn, n, f["first_error"]) for fn, by in report["functions"].items()
              for n, f in by.items() if f.get("first_error")]
    for fn, n, text in errors:
        L.append("")
        L.append("First error answer, %s, %s: `%s`" % (fn, n, text.replace("`", "'").replace("|", "/")))
    silent = [fn for fn, by in report["functions"].items()
              if by.get("cartflow", {}).get("invocations") and not by["cartflow"].get("peer_writes")]
    if silent:
        L += ["", "**cartflow left nothing in DynamoDB Local or the queue** (%s): its `lambda` command did not"
              % ", ".join(silent),
              "use the AWS backend in this build (the embedded store in /tmp instead), so its time per",
              "invocation is not comparable with the peer's, which calls DynamoDB Local and SQS."]
    L.append("")
    L.append("The whole Lambda section took %s s; 1-minute load average %s at its start, %s at its end"
             % (report.get("seconds", "?"), fmt(report.get("load_start"), "", 1).strip(),
                fmt(report.get("load_end"), "", 1).strip())
             + (" (%d CPUs)." % report["nproc"] if report.get("nproc") else "."))
    return L
