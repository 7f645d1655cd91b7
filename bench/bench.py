"""Helpers of bench/run: read the measurements, check the clients' CSVs agree, write the report."""
import csv
import glob
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import datetime, timedelta, timezone

CLIENTS = ["product", "baseline", "sdk"]
LABELS = {"product": "warp-sentinel (Camel)", "baseline": "plain Java baseline", "sdk": "Cloudflare TypeScript SDK"}
MATRIX = [("product-17", "Java 17, no class cache (WARP_SENTINEL_CDS=off)"),
          ("product", "Java 17 + AppCDS archive (the launcher's default)"),
          ("product-25", "Java 25, no class cache (WARP_SENTINEL_CDS=off)"),
          ("product-25-aot", "Java 25 + AOT cache (the launcher's default)"),
          ("product-nodevices", "Java 17 + AppCDS archive, device details off (`SENTINEL_DEVICES_ENRICH=false`)")]
LATENCY = [("product-p1", "warp-sentinel, `sentinel.parallel-accounts=1` (one account after another)"),
           ("product-p4", "warp-sentinel, `sentinel.parallel-accounts=4` (the default)"),
           ("sdk-seq", "Cloudflare TypeScript SDK, one account after another")]
TRANSFER_CLIENTS = {"node-fetch": "Node.js fetch (the SDK's transport)", "node-sdk": "the SDK's paginated list",
                    "java-httpclient": "java.net.http (the baseline's client)"}
SERVERS = {"java-nagle": "Java, Nagle on (the server before)", "java": "Java (`BenchApi`)", "node": "Node.js (`api.mjs`)"}
STALL_MS = 30
# the reasons only warp-sentinel judges: their registrations are left out of the CSV comparison
OURS_ONLY = ("superseded", "never-used")


def scan_start(report_dir):
    reports = glob.glob(os.path.join(report_dir, "*.json"))
    if not reports:
        sys.exit(f"warp-sentinel wrote no report in {report_dir}: see {os.path.dirname(report_dir)}/out.log")
    print(json.load(open(reports[0]))["scan_started_at"])


def time_v(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    status = int(re.search(r"Exit status: (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text).group(1)) for kind in ("User", "System"))
    return seconds, rss, status, cpu


def java_peak_heap_mb(gc_log):
    """The largest heap before a collection, or in use at exit (young and old generations)."""
    peak, at_exit = 0.0, 0.0
    for line in open(gc_log):
        for before in re.findall(r"(\d+)M->\d+M\(\d+M\)", line):
            peak = max(peak, float(before))
        used = re.search(r"(generation|garbage-first heap|PSYoungGen|ParOldGen)\s+total \d+K, used (\d+)K", line)
        if used and "exit" in line:
            at_exit += int(used.group(2)) / 1024
    return max(peak, at_exit)


def scan_seconds(log):
    """The scan as the product logs it: an account's "in N s", or for several accounts the time
    from "Scan started" to the last account's line."""
    started, last, accounts = None, None, []
    for line in open(log, encoding="utf-8", errors="replace"):
        stamp = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})", line)
        if not stamp:
            continue
        at = datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S.%f")
        if "Scan started" in line and started is None:
            started = at
        account = re.search(r"Account \S+: .* in ([\d.]+) s\s*$", line)
        if account:
            accounts.append(float(account.group(1)))
            last = at
    if len(accounts) == 1:
        return accounts[0]
    if accounts and started:
        return (last - started).total_seconds()
    return None


STALE_AFTER = timedelta(days=30)


def instant(text):
    """An RFC 3339 timestamp as an aware datetime (the reports' and the API's shapes); the epoch if unreadable."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.fromtimestamp(0, timezone.utc)


def report_file(run_dir, suffix):
    return glob.glob(os.path.join(run_dir, "reports", f"*.{suffix}"))[0]


def scan_instant(run_dir):
    """The instant a warp-sentinel run judged against: its scan's start."""
    return instant(json.load(open(report_file(run_dir, "json")))["scan_started_at"])


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def first_difference(a, b):
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def runs(out, group):
    """{client: [run dir, ...]} of a group, the runs in order."""
    found = {}
    for path in sorted(glob.glob(os.path.join(out, group, "*-[0-9]*")), key=lambda p: int(p.rsplit("-", 1)[1])):
        found.setdefault(os.path.basename(path).rsplit("-", 1)[0], []).append(path)
    return found


def measure(client, dirs):
    walls, rsss, heaps, scans, cpus = [], [], [], [], []
    for d in dirs:
        wall, rss, status, cpu = time_v(os.path.join(d, "time.txt"))
        if status != 0:
            sys.exit(f"{client} exited {status}: see {d}/out.log")
        walls.append(wall)
        cpus.append(cpu)
        rsss.append(rss / 1024)
        if client.startswith("sdk"):
            heaps.append(json.load(open(os.path.join(d, "stats.json")))["peakHeapBytes"] / 1048576)
        else:
            heaps.append(java_peak_heap_mb(os.path.join(d, "gc.log")))
        if client.startswith("product"):
            scans.append(scan_seconds(os.path.join(d, "out.log")))
    entry = {"client": client, "runs": len(dirs), "wall_s": statistics.median(walls), "wall_min": min(walls),
             "wall_max": max(walls), "rss_mb": max(rsss), "heap_mb": max(heaps), "cpu_s": statistics.median(cpus)}
    if scans and None not in scans:
        entry.update(scan_s=statistics.median(scans), scan_min=min(scans), scan_max=max(scans))
    return entry


def append(out, entry):
    with open(os.path.join(out, "results.jsonl"), "a") as f:
        f.write(json.dumps(entry) + "\n")


def record(out, group, size, per_page, repeat, xmx=""):
    size, repeat = int(size), int(repeat)
    found = runs(out, group)
    for rep in range(repeat):
        product_dir = found["product"][rep]
        product_rows = rows(report_file(product_dir, "csv"))
        reason = product_rows[0].index("reason")
        # superseded and never-used are judged by warp-sentinel alone (the other two know stale, revoked
        # and invalid): those registrations are left out of the comparison, and counted
        ours_only = {row[0] for row in product_rows[1:] if row[reason] in OURS_ONLY}
        for other in ("baseline", "sdk"):
            other_rows = rows(os.path.join(found[other][rep], "findings.csv"))
            # change and finding_since come from warp-sentinel's finding state, which the other
            # two do not keep: compare the columns all three write. In any order: warp-sentinel
            # writes the findings it can judge only once the listing is complete (docs/reports.md)
            # after the others
            mine = [other_rows[0]] + sorted(row[:len(other_rows[0])] for row in product_rows[1:] if row[0] not in ours_only)
            other_rows = [other_rows[0]] + sorted(row for row in other_rows[1:] if row[0] not in ours_only)
            if other_rows != mine:
                at = first_difference(mine, other_rows)
                sys.exit(f"{other} CSV differs from warp-sentinel's at row {at} of {group} (run {rep + 1}): "
                         f"{mine[at] if at < len(mine) else None} vs {other_rows[at] if at < len(other_rows) else None}")
        # the matrix's runs judged against other instants: the same registrations, the same reasons, but
        # for those last seen between the two runs' stale cutoffs (stale in the later run only)
        last_seen = product_rows[0].index("last_seen_at")
        mine = {r[0]: (r[reason], r[last_seen]) for r in product_rows[1:]}
        for variant in (c for c in found if c.startswith("product-")):
            theirs = {r[0]: (r[reason], r[last_seen]) for r in rows(report_file(found[variant][rep], "csv"))[1:]}
            cutoffs = sorted(scan_instant(d) - STALE_AFTER for d in (product_dir, found[variant][rep]))
            for rid in set(mine) | set(theirs):
                a, b = mine.get(rid), theirs.get(rid)
                if (a and a[0]) != (b and b[0]) and not cutoffs[0] <= instant((a or b)[1]) <= cutoffs[1]:
                    sys.exit(f"{variant} CSV differs from warp-sentinel's for {rid} of {group} (run {rep + 1}): {a} vs {b}")
    report = json.load(open(report_file(found["product"][0], "json")))
    history = [json.loads(l) for l in open(os.path.join(found["product"][0], "reports", "history.jsonl"))]
    server = group.rsplit("-", 1)[1]
    minimum = max(1, math.ceil(size / int(per_page)))
    for client in found:
        entry = measure(client, found[client])
        entry.update(kind="fleet", group=group, server=server, size=size, xmx=xmx, per_s=size / entry["wall_s"],
                     findings=report["summary"]["findings"], ours_only=len(ours_only))
        if client == "product":
            entry.update(requests=history[-1]["requests"], minimum_requests=minimum, scanned=report["summary"]["scanned"])
        append(out, entry)
    print(f"{size}: the CSVs agree in all {repeat} runs ({report['summary']['findings']} findings, "
          f"{len(ours_only)} of them superseded or never-used, which only warp-sentinel judges); "
          f"warp-sentinel made {history[-1]['requests']} requests (minimum {minimum})")


def record_transfer(out):
    for path in sorted(glob.glob(os.path.join(out, "transfer", "*.jsonl"))):
        label = os.path.basename(path)[:-len(".jsonl")]
        groups = {}
        for line in open(path):
            r = json.loads(line)
            groups.setdefault((r["server"], r["client"], r["per_page"]), []).append(r)
        for (server, client, per_page), rounds in groups.items():
            pages = sorted(p for r in rounds for p in r["page_ms"])
            totals = [r["total_ms"] / 1000 for r in rounds]
            append(out, {"kind": "transfer", "label": label, "server": server, "client": client, "per_page": per_page,
                         "rounds": len(rounds), "pages": len(pages) // len(rounds),
                         "total_s": statistics.median(totals), "total_min": min(totals), "total_max": max(totals),
                         "page_median": statistics.median(pages), "page_p90": pages[int(len(pages) * 0.9)],
                         "page_p99": pages[int(len(pages) * 0.99)], "page_max": pages[-1],
                         "stalls": sum(p >= STALL_MS for p in pages) / len(rounds)})


def record_latency(out, accounts, size, per_page, delay_ms, repeat):
    found = runs(out, "latency")
    for d in found["product-p1"] + found["product-p4"]:
        reported = len(glob.glob(os.path.join(d, "reports", "*.csv")))
        if reported != int(accounts):
            sys.exit(f"warp-sentinel reported {reported} accounts of {accounts} in {d}: see {d}/out.log")
    pages = int(accounts) * math.ceil(int(size) / int(per_page))
    for client in found:
        entry = measure(client, found[client])
        entry.update(kind="latency", accounts=int(accounts), size=int(size), pages=pages, delay_ms=int(delay_ms))
        append(out, entry)
    print(f"latency: {accounts} accounts reported by each run")


def svg_chart(results, path):
    sizes = sorted({r["size"] for r in results})
    width, height, left, top, plot_w, plot_h = 900, 380, 70, 40, 330, 260
    colors = {"product": "#0969da", "baseline": "#1a7f37", "sdk": "#bc4c00"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>']

    def panel(x0, metric, title, unit):
        top_value = max(r[metric] for r in results) * 1.1 or 1
        lo, hi = math.log10(min(sizes)), math.log10(max(sizes))
        span = (hi - lo) or 1
        parts.append(f'<text x="{x0 + plot_w / 2}" y="22" text-anchor="middle" font-weight="bold">{title}</text>')
        parts.append(f'<line x1="{x0}" y1="{top + plot_h}" x2="{x0 + plot_w}" y2="{top + plot_h}" stroke="#555"/>')
        parts.append(f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{top + plot_h}" stroke="#555"/>')
        for i in range(5):
            value = top_value * i / 4
            y = top + plot_h - plot_h * i / 4
            parts.append(f'<text x="{x0 - 6}" y="{y + 4}" text-anchor="end">{value:.0f}</text>')
            parts.append(f'<line x1="{x0}" y1="{y}" x2="{x0 + plot_w}" y2="{y}" stroke="#eee"/>')
        parts.append(f'<text x="{x0 - 50}" y="{top + plot_h / 2}" transform="rotate(-90 {x0 - 50} {top + plot_h / 2})" text-anchor="middle">{unit}</text>')
        for s in sizes:
            x = x0 + plot_w * (math.log10(s) - lo) / span
            parts.append(f'<text x="{x}" y="{top + plot_h + 16}" text-anchor="middle">{s // 1000}k</text>')
        for client in CLIENTS:
            points = [(x0 + plot_w * (math.log10(r["size"]) - lo) / span, top + plot_h - plot_h * r[metric] / top_value)
                      for r in sorted((r for r in results if r["client"] == client), key=lambda r: r["size"])]
            parts.append(f'<polyline fill="none" stroke="{colors[client]}" stroke-width="2" points="' +
                         " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
            for x, y in points:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colors[client]}"/>')

    panel(left, "wall_s", "Wall time of the whole process", "seconds")
    panel(left + plot_w + 110, "rss_mb", "Peak resident memory", "MiB")
    for i, client in enumerate(CLIENTS):
        x = left + i * 260
        parts.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" fill="{colors[client]}"/>')
        parts.append(f'<text x="{x + 18}" y="{height - 12}">{LABELS[client]}</text>')
    parts.append(f'<text x="{left + plot_w + 20}" y="{height - 40}" text-anchor="middle" fill="#555">fleet size (log scale)</text>')
    parts.append("</svg>")
    open(path, "w").write("\n".join(parts) + "\n")


def spread(r, key="wall", digits=2):
    return f"{r[key + '_s']:.{digits}f} ({r[key + '_min']:.{digits}f}–{r[key + '_max']:.{digits}f})"


def scan_cell(r):
    return spread(r, "scan", 1) if "scan_s" in r else "–"


def heap_label(xmx):
    return f"-Xmx{xmx}" if xmx else "-Xmx256m (the launcher's default)"


def java_version(home):
    if not home:
        return None
    return subprocess.run([os.path.join(home, "bin", "java"), "-version"], capture_output=True, text=True).stderr.splitlines()[0]


def targets(results, api):
    """(target, measured, met) for each of the issue's targets that this run measured."""
    fleet = {(r["size"], r["client"]): r for r in results if r["kind"] == "fleet" and r["server"] == api}
    out = []
    for size, label, wall, cpu, rss in ((10000, "10k", 1.5, 2.0, None), (200000, "200k", 1.0, 1.5, 1.5), (1000000, "1M", 0.8, None, 1.5)):
        p, s = fleet.get((size, "product")), fleet.get((size, "sdk"))
        out.append((f"{label}, wall time ≤ {wall}× the SDK's", p and s and f"{p['wall_s']:.2f} s against {s['wall_s']:.2f} s: "
                    f"{p['wall_s'] / s['wall_s']:.2f}×", p and s and p["wall_s"] <= wall * s["wall_s"]))
        if cpu:
            out.append((f"{label}, CPU time ≤ {cpu}× the SDK's", p and s and "cpu_s" in p and f"{p['cpu_s']:.2f} s against "
                        f"{s['cpu_s']:.2f} s: {p['cpu_s'] / s['cpu_s']:.2f}×", p and s and "cpu_s" in p and p["cpu_s"] <= cpu * s["cpu_s"]))
        if rss:
            out.append((f"{label}, peak RSS ≤ {rss}× the SDK's", p and s and f"{p['rss_mb']:.0f} MiB against {s['rss_mb']:.0f} MiB: "
                        f"{p['rss_mb'] / s['rss_mb']:.2f}×", p and s and p["rss_mb"] <= rss * s["rss_mb"]))
    p = fleet.get((1000000, "product"))
    out.append(("1M with device details on (the default), within -Xmx128m", p and f"{heap_label(p['xmx'])}, peak heap "
                f"{p['heap_mb']:.0f} MiB, peak RSS {p['rss_mb']:.0f} MiB", p and p["xmx"] == "128m"))
    lat = {r["client"]: r for r in results if r["kind"] == "latency"}
    p = lat.get("product-p4")
    out.append(("Six accounts behind 400 ms per page (30 pages, 12 s one after another) ≤ 7.2 s (0.6× of 12 s)",
                p and f"{p['wall_s']:.2f} s" + (" (at {} ms per page)".format(p["delay_ms"]) if p["delay_ms"] != 400 else ""),
                None if not p or p["delay_ms"] != 400 else p["wall_s"] <= 7.2))
    return out


def render(out, md_path, svg_path, api, per_page, repeat, large_xmx, java17_home, java25_home):
    results = [json.loads(l) for l in open(os.path.join(out, "results.jsonl"))]
    fleet = [r for r in results if r["kind"] == "fleet" and r["server"] == api]
    main = [r for r in fleet if r["client"] in CLIENTS]
    svg_chart(main, svg_path)
    sizes = sorted({r["size"] for r in fleet})
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1048576
    other = "node" if api == "java" else "java"
    lines = ["# Benchmarks", "",
             "Produced by `bench/run` (the tables, the chart and this text are written by it; do not edit by hand).", "",
             "## Targets", "", "| target | measured | |", "|---|---|---|"]
    for target, measured, met in targets(results, api):
        lines.append(f"| {target} | {measured or 'not measured in this run'} | "
                     f"{'–' if measured is None or met is None else '**met**' if met else '**not met**'} |")
    lines += ["", "Wall times are medians of the runs; \"the whole run-once process\" is `bin/warp-sentinel` from start to exit "
              "(JVM start, Camel start, scan, CSV + JSON + HTML reports, run history).", "",
              "## What is measured", "",
              f"Each fleet is served over loopback by a simulated Cloudflare API ({SERVERS[api]}; every page rendered once "
              "before the clients start, so all read the same bytes, each answer with a Content-Length, its body in one write, "
              f"on a socket with TCP_NODELAY). The clients list the whole fleet with `status=all` and {per_page} registrations per "
              "page, classify it with the same rule (stale after P30D, judged against the same instant) and write the same CSV "
              "(warp-sentinel adds its finding state's `change` and `finding_since` columns and others, left out of the comparison; "
              "the registrations it finds superseded or never-used, reasons the other two do not know, are left out too); the "
              "benchmark stops if the CSVs differ in any row (compared in any order: warp-sentinel writes the findings it can "
              "judge only once the listing is complete after the others). warp-sentinel starts each run with an empty finding state, as on "
              "its first scan of an account: every finding is new and is written to the embedded store.", "",
              "- **warp-sentinel**: `bin/warp-sentinel` as the README runs it (the launcher's JVM defaults: serial GC, "
              f"-Xmx256m, or -Xmx{large_xmx} given from 1M registrations on; its class cache, an AppCDS archive on Java 17, made "
              "by a first untimed run), `SENTINEL_ONCE=true`, the API, the account and the page size in the environment, "
              "request pacing lifted (a budget above the scan's requests).",
              "- **plain Java baseline** (`io.warpsentinel.bench.PlainJavaScan`, the launcher's JVM options without its class "
              "cache): `java.net.http` fetching the pages one after the other, the product's streaming page parser and "
              "classification rule, the same CSV writer; no Camel, no JSON/HTML report, no retries, no pacing.",
              f"- **Cloudflare TypeScript SDK** (`cloudflare` 7.3.0 on Node.js {node}, `bench/node/scan.mjs`): its "
              "auto-paginating `zeroTrust.devices.registrations.list`, the same rule, the same CSV.", "",
              "Wall time, CPU time (user and system, all threads) and peak RSS come from `/usr/bin/time -v` around each whole "
              "process (for warp-sentinel, the launcher script included); peak heap from the JVM's GC log (largest heap before a collection, or in use at exit) and, for "
              "Node.js, `process.memoryUsage().heapUsed` sampled every 50 ms; the scan time is what warp-sentinel logs "
              "(\"... in N s\" of the account, or from \"Scan started\" to the last account's line). "
              f"Each client runs {repeat} times per fleet, the clients interleaved; the tables give the median with the "
              "fastest and slowest run, and the largest memory figures of the runs. This 2-core machine is noisy: the same "
              "process has been seen to vary by a third from one run to the next.", "",
              "## Machine", "",
              f"- {cpu}, {os.cpu_count()} cores, {mem} GiB memory",
              f"- {java_version(java17_home)}" + (f"; {java_version(java25_home)}" if java25_home else "") + f"; Node.js {node}", "",
              "## Command", "", "```sh", f"REPEAT={repeat} bench/run    # fleets of {', '.join(f'{s:,}' for s in sizes)}", "```", "",
              "## Results", "", "![time and memory against fleet size](benchmarks.svg)", ""]
    for size in sizes:
        rs = {r["client"]: r for r in fleet if r["size"] == size}
        p = rs["product"]
        lines += [f"### {size:,} registrations", "",
                  f"{p['findings']:,} findings ({p.get('ours_only', 0):,} superseded or never-used: warp-sentinel's alone, left out "
                  f"of the CSV comparison); warp-sentinel made {p['requests']} requests (the listing's minimum for {per_page} per "
                  f"page is {p['minimum_requests']}; the device details page the account's devices too); {heap_label(p['xmx'])}.", "",
                  "| client | wall time (s), median (min–max) | CPU time (s) | scan in-process (s) | registrations/s | peak heap (MiB) | peak RSS (MiB) | time vs SDK | CPU vs SDK | time vs baseline |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for client in CLIENTS:
            r = rs[client]
            lines.append(f"| {LABELS[client]} | {spread(r)} | {r['cpu_s']:.2f} | {scan_cell(r)} | {r['per_s']:,.0f} | {r['heap_mb']:.0f} | "
                         f"{r['rss_mb']:.0f} | {r['wall_s'] / rs['sdk']['wall_s']:.2f}x | {r['cpu_s'] / rs['sdk']['cpu_s']:.2f}x | "
                         f"{r['wall_s'] / rs['baseline']['wall_s']:.2f}x |")
        lines.append("")

    matrix_sizes = [s for s in sizes if any(r["size"] == s and r["client"] in ("product-17", "product-nodevices") for r in fleet)]
    if matrix_sizes:
        lines += ["## warp-sentinel on Java 17 and 25, with and without the launcher's class cache, with device details", "",
                  "The same `bin/warp-sentinel` run with `JAVA_HOME` pointing at each JDK; the class cache (an AppCDS archive on "
                  "Java 17, an AOT cache on Java 25) made by a first untimed run of the same command, or turned off with "
                  "`WARP_SENTINEL_CDS=off`. Device details are on in every run but the one that says otherwise: warp-sentinel "
                  "also pages the account's physical devices for the findings' OS, model and serial (docs/reports.md), which "
                  "the other two clients do not.", ""]
        for size in matrix_sizes:
            rs = {r["client"]: r for r in fleet if r["size"] == size}
            lines += [f"### {size:,} registrations", "",
                      "| configuration | wall time (s), median (min–max) | CPU time (s) | scan in-process (s) | peak heap (MiB) | peak RSS (MiB) | time vs SDK |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for client, label in MATRIX:
                if client in rs:
                    r = rs[client]
                    lines.append(f"| {label} | {spread(r)} | {r['cpu_s']:.2f} | {scan_cell(r)} | {r['heap_mb']:.0f} | {r['rss_mb']:.0f} | "
                                 f"{r['wall_s'] / rs['sdk']['wall_s']:.2f}x |")
            lines.append("")

    lines += ["## The simulated API", "",
              "Two servers, written apart: `io.warpsentinel.bench.BenchApi` (the JDK's `com.sun.net.httpserver`, pages rendered "
              "by the demo API of `src/main`) and `bench/node/api.mjs` (Node.js `http`, a port of the demo's fleet generator). "
              "Before the timed runs, `bench/node/compare-apis.mjs` fetched every page from both, following each one's cursors, "
              "and a few requests both must refuse:", ""]
    same = os.path.join(out, "same-bytes.txt")
    lines += [f"- {l.strip()}" for l in open(same)] if os.path.exists(same) else ["- (not checked in this run)"]
    transfer = [r for r in results if r["kind"] == "transfer"]
    for label, title in (("full", "whole pages"), ("small", "pages of 20 (the API's default page size)")):
        rs = [r for r in transfer if r["label"] == label]
        if not rs:
            continue
        r0 = rs[0]
        lines += ["", f"### Bare transfer: {title}", "",
                  f"Every page of the fleet fetched one after the other ({r0['pages']} pages of {r0['per_page']}), the body read "
                  f"and dropped, {r0['rounds']} rounds per client; \"stalls\" are pages that took {STALL_MS} ms or more, per round. "
                  "\"Java, Nagle on\" is `BenchApi` with `-Dsun.net.httpserver.nodelay=false`: the JDK server's default, and how "
                  "the benchmark's server answered before.", "",
                  "| server | client | whole fleet (s), median (min–max) | per page, median (ms) | p90 | p99 | max | stalls per round |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for server in SERVERS:
            for client in TRANSFER_CLIENTS:
                r = next((r for r in rs if r["server"] == server and r["client"] == client), None)
                if r:
                    lines.append(f"| {SERVERS[server]} | {TRANSFER_CLIENTS[client]} | {spread(r, 'total')} | {r['page_median']:.1f} | "
                                 f"{r['page_p90']:.1f} | {r['page_p99']:.1f} | {r['page_max']:.0f} | {r['stalls']:.1f} |")
    both = [r for r in results if r["kind"] == "fleet" and r["server"] == other and r["client"] in CLIENTS]
    if both:
        size = both[0]["size"]
        rs = {(r["server"], r["client"]): r for r in results if r["kind"] == "fleet" and r["size"] == size}
        lines += ["", f"### The three clients on both servers, {size:,} registrations", "",
                  f"| client | on {SERVERS[api]}: wall (s) | on {SERVERS[other]}: wall (s) | scan in-process (s), {api} / {other} | peak RSS (MiB), {api} / {other} |",
                  "|---|---:|---:|---:|---:|"]
        for client in CLIENTS:
            a, b = rs.get((api, client)), rs.get((other, client))
            if a and b:
                scans = f"{a['scan_s']:.1f} / {b['scan_s']:.1f}" if "scan_s" in a and "scan_s" in b else "–"
                lines.append(f"| {LABELS[client]} | {spread(a)} | {spread(b)} | {scans} | {a['rss_mb']:.0f} / {b['rss_mb']:.0f} |")
        lines.append("")

    lat = {r["client"]: r for r in results if r["kind"] == "latency"}
    if lat:
        r0 = next(iter(lat.values()))
        serial = r0["pages"] * r0["delay_ms"] / 1000
        lines += ["## A slow API", "",
                  f"{r0['accounts']} accounts of {r0['size']:,} registrations, {r0['pages']} pages in all, each page answered after "
                  f"{r0['delay_ms']} ms ({serial:.0f} s of waiting one page after another); {SERVERS[api]} server.", "",
                  "| client | wall time (s), median (min–max) | scan in-process (s) | peak RSS (MiB) | vs pages one after another |",
                  "|---|---:|---:|---:|---:|"]
        for client, label in LATENCY:
            if client in lat:
                r = lat[client]
                lines.append(f"| {label} | {spread(r)} | {scan_cell(r)} | {r['rss_mb']:.0f} | {r['wall_s'] / serial:.2f}x |")
        lines.append("")

    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "benchmarks-notes.md")
    if os.path.exists(notes):
        lines += ["", open(notes).read().rstrip()]
    open(md_path, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"scan-start": scan_start, "record": record, "record-transfer": record_transfer, "record-latency": record_latency,
     "render": render}[command](*args)
