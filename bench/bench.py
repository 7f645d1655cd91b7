"""Helpers of bench/run: read the measurements, check the three CSVs agree, write the report."""
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

CLIENTS = ["product", "baseline", "sdk"]
LABELS = {"product": "warp-sentinel (Camel)", "baseline": "plain Java baseline", "sdk": "Cloudflare TypeScript SDK"}


def scan_start(report_dir):
    report = json.load(open(glob.glob(os.path.join(report_dir, "*.json"))[0]))
    print(report["scan_started_at"])


def time_v(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    status = int(re.search(r"Exit status: (\d+)", text).group(1))
    return seconds, rss, status


def java_peak_heap_mb(gc_log):
    peak = 0.0
    for line in open(gc_log):
        for before in re.findall(r"(\d+)M->\d+M\(\d+M\)", line):
            peak = max(peak, float(before))
        used = re.search(r"used (\d+)K", line)
        if used and "heap" in line:
            peak = max(peak, int(used.group(1)) / 1024)
    return peak


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def record(out, size, per_page, repeat):
    size, repeat = int(size), int(repeat)
    for rep in range(1, repeat + 1):
        product_rows = rows(glob.glob(os.path.join(out, f"product-{size}-{rep}", "*.csv"))[0])
        for other in ("baseline", "sdk"):
            other_rows = rows(os.path.join(out, f"{other}-{size}-{rep}.csv"))
            # change and finding_since come from warp-sentinel's finding state, which the other
            # two do not keep: compare the columns all three write
            product_rows = [row[:len(other_rows[0])] for row in product_rows]
            if other_rows != product_rows:
                mismatch = next((i for i, (a, b) in enumerate(zip(product_rows, other_rows)) if a != b), min(len(product_rows), len(other_rows)))
                sys.exit(f"{other} CSV differs from warp-sentinel's at row {mismatch} of {size} (run {rep}): "
                         f"{product_rows[mismatch] if mismatch < len(product_rows) else None} vs "
                         f"{other_rows[mismatch] if mismatch < len(other_rows) else None}")
    report = json.load(open(glob.glob(os.path.join(out, f"product-{size}-1", "*.json"))[0]))
    history = [json.loads(l) for l in open(os.path.join(out, f"product-{size}-1", "history.jsonl"))]
    requests = history[-1]["requests"]
    minimum = max(1, math.ceil(size / int(per_page)))
    for client in CLIENTS:
        walls, rsss, heaps = [], [], []
        for rep in range(1, repeat + 1):
            wall, rss, status = time_v(os.path.join(out, f"{client}-{size}-{rep}.time"))
            if status != 0:
                sys.exit(f"{client} exited {status} at {size}: see {out}/{client}-{size}-{rep}.log")
            walls.append(wall)
            rsss.append(rss / 1024)
            if client == "sdk":
                heaps.append(json.load(open(os.path.join(out, f"sdk-{size}-{rep}.stats.json")))["peakHeapBytes"] / 1048576)
            else:
                heaps.append(java_peak_heap_mb(os.path.join(out, f"{client}-{size}-{rep}.gc")))
        wall = statistics.median(walls)
        entry = {"size": size, "client": client, "wall_s": wall, "wall_min": min(walls), "wall_max": max(walls), "runs": repeat,
                 "rss_mb": max(rsss), "heap_mb": max(heaps), "per_s": size / wall, "pages_per_s": minimum / wall,
                 "findings": report["summary"]["findings"]}
        if client == "product":
            entry.update(requests=requests, minimum_requests=minimum, scanned=report["summary"]["scanned"])
        with open(os.path.join(out, "results.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")
    print(f"{size}: the three CSVs agree in all {repeat} runs ({report['summary']['findings']} findings); "
          f"warp-sentinel made {requests} requests (minimum {minimum})")


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


def render(out, per_page, xmx, repeat, md_path, svg_path):
    results = [json.loads(l) for l in open(os.path.join(out, "results.jsonl"))]
    svg_chart(results, svg_path)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1048576
    lines = ["# Benchmarks", "",
             "Produced by `bench/run` (the tables, the chart and this text are written by it; do not edit by hand).", "",
             "## What is measured", "",
             "Each fleet is served over loopback by the demo's simulated Cloudflare API (`io.warpsentinel.bench.BenchApi`, its own "
             "JVM, every page rendered once before the clients start, so all three read the same bytes). Three clients then list the "
             f"whole fleet with `status=all` and {per_page} registrations per page, classify it with the same rule (stale after "
             "P30D, judged against the same instant) and write the same CSV (warp-sentinel adds its finding state's `change` and "
             "`finding_since` columns, left out of the comparison); the benchmark stops if the three CSVs differ in any row. "
             "warp-sentinel starts each run with an empty finding state, as on its first scan of an account: every finding is new "
             "and is written to the embedded store.", "",
             f"- **warp-sentinel**: `java -Xmx{xmx} -Dsentinel.once=true ... -jar target/warp-sentinel.jar`, the whole run-once process "
             "(JVM start, Camel start, scan, CSV + JSON + HTML reports, history), with request pacing lifted "
             "(`cloudflare.rate-limit.requests=1000000`).",
             f"- **plain Java baseline** (`io.warpsentinel.bench.PlainJavaScan`, `-Xmx{xmx}`): `java.net.http` fetching the pages one "
             "after the other, the product's streaming page parser and classification rule, the same CSV writer; no Camel, no JSON/HTML "
             "report, no retries, no pacing.",
             f"- **Cloudflare TypeScript SDK** (`cloudflare` 7.3.0 on Node.js {node}, `bench/node/scan.mjs`): its auto-paginating "
             "`zeroTrust.devices.registrations.list`, the same rule, the same CSV.", "",
             "Wall time and peak RSS come from `/usr/bin/time -v` around each whole process; peak heap from the JVM's GC log (largest "
             "heap before a collection, or in use at exit) and, for Node.js, `process.memoryUsage().heapUsed` sampled every 50 ms. "
             f"Each client runs {repeat} times per fleet, the three interleaved; the tables give the median wall time with the "
             "fastest and slowest run, and the largest memory figures of the runs. This 2-core machine is noisy: the same "
             "process has been seen to vary by a third from one run to the next.", "",
             "## Machine", "",
             f"- {cpu}, {os.cpu_count()} cores, {mem} GiB memory", f"- {java}; Node.js {node}", "",
             "## Command", "", "```sh", f"REPEAT={repeat} bench/run    # 10k, 100k, 200k and 1M registrations", "```", "",
             "## Results", "", "![time and memory against fleet size](benchmarks.svg)", ""]
    for size in sorted({r["size"] for r in results}):
        rs = {r["client"]: r for r in results if r["size"] == size}
        p = rs["product"]
        lines += [f"### {size:,} registrations", "",
                  f"{p['findings']:,} findings; warp-sentinel made {p['requests']} requests (the minimum for {per_page} per page "
                  f"is {p['minimum_requests']}).", "",
                  "| client | wall time (s), median (min–max) | registrations/s | pages/s | peak heap (MiB) | peak RSS (MiB) | time vs baseline |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for client in CLIENTS:
            r = rs[client]
            lines.append(f"| {LABELS[client]} | {r['wall_s']:.2f} ({r['wall_min']:.2f}–{r['wall_max']:.2f}) | {r['per_s']:,.0f} | {r['pages_per_s']:,.1f} | "
                         f"{r['heap_mb']:.0f} | {r['rss_mb']:.0f} | {r['wall_s'] / rs['baseline']['wall_s']:.2f}x |")
        lines.append("")
    lines += ["## Each fleet against the baseline and the SDK", ""]
    for size in sorted({r["size"] for r in results}):
        rs = {r["client"]: r for r in results if r["size"] == size}
        ratio = rs["product"]["wall_s"] / rs["baseline"]["wall_s"]
        lines.append(f"- {size:,}: warp-sentinel takes {ratio:.2f}x the baseline's time; "
                     f"{'faster' if rs['product']['wall_s'] < rs['sdk']['wall_s'] else 'slower'} than the SDK "
                     f"({rs['product']['wall_s']:.1f} s vs {rs['sdk']['wall_s']:.1f} s); peak heap {rs['product']['heap_mb']:.0f} MiB "
                     f"under -Xmx{xmx}.")
    notes = os.path.join(os.path.dirname(md_path), "benchmarks-notes.md")
    if os.path.exists(notes):
        lines += ["", open(notes).read().rstrip()]
    open(md_path, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"scan-start": scan_start, "record": record, "render": render}[command](*args)
