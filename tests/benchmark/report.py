#!/usr/bin/env python3
"""Turns the benchmark's raw measurements into the Markdown report (stdout).

Inputs, all written by tests/benchmark/run:
  --data   one line per measured run: case, tree, tool, run, wall s (microsecond clock), user s, sys s,
           peak RSS KiB, size bytes, status, GNU time's own wall s (%e), 1-minute load average before the run
  --cases  one line per case: case, tree, baseline tool, title, tools in run order (|-separated),
           the tools compared with the baseline (|-separated; empty: all the others)
  --meta   key, value lines (machine, versions, tree sizes, notes)

Statistics: median with min-max over the runs. Ratios are computed pair by pair, run i of a tool over
run i of the case's baseline (the two ran back to back), and the report gives the median of those ratios
with their min-max. Standard library only.
"""

import argparse
import statistics
import sys
from collections import defaultdict

MB = 1_000_000  # report memory in MB = 10^6 bytes (GNU time gives KiB)

# Targets: (case, tool, metric, limit, label). Time targets compare wall-clock time.
RATIO_TARGETS = [
    ("deb-gzip", "dkmspack mkdeb", "wall", 0.5, "mkdeb gzip time ≤ 0.5× `dpkg-deb -Zgzip`"),
    ("deb-gzip", "dkmspack mkdeb", "size", 1.05, "mkdeb gzip size ≤ 1.05× `dpkg-deb -Zgzip`"),
    ("deb-zstd", "dkmspack mkdeb", "wall", 1.0, "mkdeb zstd time ≤ 1.0× `dpkg-deb -Zzstd`"),
    ("rpm-gzip", "dkmspack mkrpm", "wall", 0.3, "mkrpm gzip time ≤ 0.3× `rpmbuild -bb` gzip"),
    ("deb-xz", "dkmspack mkdeb", "wall", 0.6, "mkdeb xz time ≤ 0.6× `dpkg-deb -Zxz`"),
    ("deb-xz", "dkmspack mkdeb", "size", 1.02, "mkdeb xz size ≤ 1.02× `dpkg-deb -Zxz`"),
]
RSS_LIMIT_MB = 100.0
RSS_GROWTH_LIMIT = 1.10  # "not growing": doubled tree's peak RSS at most 10% above the tree's (noise)
PACKAGING_CASES = ("deb-gzip", "deb-zstd", "deb-xz", "rpm-gzip", "rpm-zstd", "rpm-xz")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


class Run:
    def __init__(self, fields):
        self.case, self.tree, self.tool, run = fields[:4]
        self.run = int(run)
        self.status = fields[9]
        self.ok = self.status == "ok"
        self.load = float(fields[11]) if fields[11] else None
        if self.ok:
            self.wall = float(fields[4])
            self.cpu = float(fields[5]) + float(fields[6])
            self.rss = int(fields[7]) * 1024 / MB
            self.size = int(fields[8])

    def metric(self, name):
        return getattr(self, name)


def fmt_num(value, metric):
    if metric == "size":
        return f"{value:,.0f}"
    if metric == "rss":
        return f"{value:.1f}"
    if metric == "wall":
        return f"{value:.3f}"
    return f"{value:.2f}"


def spread(values, metric):
    """'median (min–max)', or the one value."""
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1 or min(values) == max(values):
        return fmt_num(med, metric)
    return f"{fmt_num(med, metric)} ({fmt_num(min(values), metric)}–{fmt_num(max(values), metric)})"


def ratio_spread(ratios, digits=2):
    if not ratios:
        return "—"
    med = statistics.median(ratios)
    if len(ratios) == 1 or min(ratios) == max(ratios):
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(ratios):.{digits}f}–{max(ratios):.{digits}f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--cases", required=True)
    parser.add_argument("--meta", required=True)
    args = parser.parse_args()

    meta = {}
    notes = []
    for key, value in read_tsv(args.meta):
        if key == "note":
            notes.append(value)
        else:
            meta[key] = value

    cases = [
        {"case": c[0], "tree": c[1], "baseline": c[2], "title": c[3], "tools": c[4].split("|"),
         "compared": [t for t in (c[5].split("|") if len(c) > 5 and c[5] else c[4].split("|")) if t != c[2]]}
        for c in read_tsv(args.cases)
    ]
    runs = defaultdict(list)  # (case, tree, tool) -> [Run]
    for fields in read_tsv(args.data):
        fields += [""] * (12 - len(fields))
        r = Run(fields)
        runs[(r.case, r.tree, r.tool)].append(r)

    def ok_runs(case, tree, tool):
        return [r for r in runs.get((case, tree, tool), []) if r.ok]

    def values(case, tree, tool, metric):
        return [r.metric(metric) for r in ok_runs(case, tree, tool)]

    def failure(case, tree, tool):
        bad = [r.status for r in runs.get((case, tree, tool), []) if not r.ok]
        return bad[0] if bad else None

    def ratios(case, tree, tool, baseline, metric):
        base = {r.run: r.metric(metric) for r in ok_runs(case, tree, baseline)}
        return [r.metric(metric) / base[r.run] for r in ok_runs(case, tree, tool) if base.get(r.run)]

    n_runs = int(meta.get("runs", "1"))
    quick = meta.get("quick") == "1"
    trees = sorted({c["tree"] for c in cases if c["case"] in PACKAGING_CASES})
    out = []
    w = out.append

    w("# dkmspack benchmark results")
    w("")
    w(f"{meta.get('date', '?')} · `{meta.get('command', 'tests/benchmark/run')}` · "
      f"{n_runs} measured run{'s' if n_runs != 1 else ''} per command"
      f"{'' if quick else ' after one warm-up run of each'}, competitors run in alternation (A B A B …).")
    w("Times are GNU time's wall clock and user+sys CPU of the whole process (children included); "
      "peak RSS is its maximum resident set (of the largest single process when a tool forks). "
      "Values are median (min–max); ratios are medians of per-run ratios against the baseline run "
      "next to it. MB = 10⁶ bytes.")
    w("")
    w("## Machine")
    w("")
    w(f"- CPU: {meta.get('cpu', '?')}, nproc {meta.get('nproc', '?')}; RAM {meta.get('ram', '?')}")
    w(f"- {meta.get('os', '?')}, kernel {meta.get('kernel', '?')}; scratch on {meta.get('fs', '?')}")
    w(f"- dpkg-deb {meta.get('dpkg', '?')}, rpm {meta.get('rpm', '?')}, .NET {meta.get('dotnet', '?')}")
    w(f"- {meta.get('gzip', '?')}; {meta.get('zstd', '?')}")
    w(f"- dkmspack: {meta.get('commit', '?')}")
    w(f"- load average (1, 5, 15 min) before measuring: {meta.get('loadavg.start', '?')}; "
      f"at the end: {meta.get('loadavg.end', '?')}")
    w("")
    w("## Trees")
    w("")
    w(f"The module tree is `{meta.get('headers', '?')}` plus a minimal dkms.conf (x1), and the same tree "
      "twice side by side (x2); counts are of the packaged `/usr/src/bench-headers-1.0`. gmux is "
      "`examples/apple-gmux-0.1`.")
    w("")
    w("| Tree | Files | Directories | Symlinks | File bytes |")
    w("| --- | ---: | ---: | ---: | ---: |")
    for t in [*trees, "gmux"]:
        if f"tree.{t}.files" in meta:
            w(f"| {t} | {int(meta[f'tree.{t}.files']):,} | {int(meta[f'tree.{t}.dirs']):,} | "
              f"{int(meta[f'tree.{t}.symlinks']):,} | {int(meta[f'tree.{t}.bytes']):,} |")
    w("")

    # ------------------------------------------------------------------ targets
    w("## Targets")
    w("")
    w("Judged on the JIT build (`dotnet dkmspack.dll`, as the dotnet tool runs); the Native AOT binary "
      "is shown beside it.")
    w("")
    w("| Target | Tree | dkmspack (JIT) | Result | dkmspack (AOT) | Result |")
    w("| --- | --- | ---: | --- | ---: | --- |")

    def verdict(value, limit):
        return "PASS" if value <= limit else "**MISS**"

    case_baselines = {(c["case"], c["tree"]): c["baseline"] for c in cases}
    for case, tool, metric, limit, label in RATIO_TARGETS:
        for tree in trees:
            baseline = case_baselines.get((case, tree))
            cells = []
            for t in (tool, f"{tool} (AOT)"):
                rs = ratios(case, tree, t, baseline, metric) if baseline else []
                if rs:
                    med = statistics.median(rs)
                    cells += [f"{med:.{3 if metric == 'size' else 2}f}×", verdict(med, limit)]
                elif baseline and failure(case, tree, t):
                    cells += [failure(case, tree, t), "**MISS**"]
                else:
                    cells += ["not measured", "—"]
            if case.startswith("rpm") and cells[0] == "not measured" and meta.get("rpmrows") == "1":
                cells[0] = "no mkrpm yet"
            w(f"| {label} | {tree} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")

    def rss_rows(suffix):
        """Worst peak RSS on x1 and worst x2/x1 growth over the packaging commands of one build."""
        worst = None
        growth = None
        for case in PACKAGING_CASES:
            base_tool = "dkmspack mkdeb" if case.startswith("deb") else "dkmspack mkrpm"
            tool = base_tool + suffix
            v1 = values(case, "x1", tool, "rss")
            if v1:
                m = max(v1)
                if worst is None or m > worst[0]:
                    worst = (m, case)
            v2 = values(case, "x2", tool, "rss")
            if v1 and v2:
                g = statistics.median(v2) / statistics.median(v1)
                if growth is None or g > growth[0]:
                    growth = (g, case)
        return worst, growth

    jit_rss, jit_growth = rss_rows("")
    aot_rss, aot_growth = rss_rows(" (AOT)")

    def rss_cell(x):
        return ("not measured", "—") if x is None else (f"{x[0]:.1f} MB ({x[1]})", verdict(x[0], RSS_LIMIT_MB))

    def growth_cell(x):
        if x is None:
            return ("not measured (no x2)", "—") if quick else ("not measured", "—")
        return (f"{x[0]:.2f}× ({x[1]})", verdict(x[0], RSS_GROWTH_LIMIT))

    a, b = rss_cell(jit_rss), rss_cell(aot_rss)
    w(f"| peak RSS ≤ {RSS_LIMIT_MB:.0f} MB, worst run of any dkmspack command | x1 | {a[0]} | {a[1]} | {b[0]} | {b[1]} |")
    a, b = growth_cell(jit_growth), growth_cell(aot_growth)
    w(f"| peak RSS not growing with the tree: median x2 / median x1 ≤ {RSS_GROWTH_LIMIT:.2f}, worst command "
      f"| x2 vs x1 | {a[0]} | {a[1]} | {b[0]} | {b[1]} |")
    w("")

    # ------------------------------------------------------------------ tables
    def case_table(selected, heading, intro):
        if not selected:
            return
        w(f"## {heading}")
        w("")
        if intro:
            w(intro)
            w("")
        w("| Case | Tree | Tool | Wall s | CPU s | Peak RSS MB | Size bytes | Wall × | CPU × | RSS × | Size × |")
        w("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for c in selected:
            for tool in c["tools"]:
                bad = failure(c["case"], c["tree"], tool)
                if not ok_runs(c["case"], c["tree"], tool):
                    w(f"| {c['case']} | {c['tree']} | {tool} | {bad or 'no data'} | | | | | | | |")
                    continue
                sizes = [s for s in values(c["case"], c["tree"], tool, "size") if s > 0]
                row = [
                    c["case"], c["tree"], tool + (f" ({bad} in some runs)" if bad else ""),
                    spread(values(c["case"], c["tree"], tool, "wall"), "wall"),
                    spread(values(c["case"], c["tree"], tool, "cpu"), "cpu"),
                    spread(values(c["case"], c["tree"], tool, "rss"), "rss"),
                    spread(sizes, "size") if sizes else "—",
                ]
                if tool == c["baseline"]:
                    row += ["baseline", "", "", ""]
                elif tool not in c["compared"]:
                    row += ["", "", "", ""]
                else:
                    for metric in ("wall", "cpu", "rss", "size"):
                        rs = ratios(c["case"], c["tree"], tool, c["baseline"], metric)
                        if metric == "size" and (not sizes or not values(c["case"], c["tree"], c["baseline"], "size")
                                                 or min(values(c["case"], c["tree"], c["baseline"], "size")) == 0):
                            rs = []
                        row.append(ratio_spread(rs, 3 if metric == "size" else 2))
                w("| " + " | ".join(row) + " |")
        w("")
        for c in selected:
            loads = [r.load for tool in c["tools"] for r in runs.get((c["case"], c["tree"], tool), [])
                     if r.load is not None]
            load = f"; 1-minute load average {min(loads):.2f}–{max(loads):.2f}" if loads else ""
            w(f"- {c['case']} {c['tree']}: {c['title']}; baseline {c['baseline']}{load}.")
        w("")

    case_table([c for c in cases if c["case"] in PACKAGING_CASES], "Packaging the tree", "")
    case_table([c for c in cases if c["case"] == "startup"], "Start-up: the small example",
               "`examples/apple-gmux-0.1` end to end: JIT (`dotnet dkmspack.dll`), the Native AOT binary, "
               "and dpkg-deb on the staged tree. GNU time resolves 10 ms.")
    case_table([c for c in cases if c["case"] == "breakdown"], "Where the time goes (tree x1)",
               "dkmspack without compression (reading files, tar, MD5, writing, start-up), the bare "
               "start-up (`--version`), and single-threaded reference tools over the uncompressed "
               "data.tar that the packages hold: the floor for deflate, zstd and MD5 on this machine. "
               "`cp -a of the tree` is what rpmbuild's `%install` does, on the scratch filesystem.")

    # ------------------------------------------------------------------ derived breakdown
    def med(case, tree, tool, metric):
        v = values(case, tree, tool, metric)
        return statistics.median(v) if v else None

    def diff(a, b):
        return None if a is None or b is None else a - b

    def pair(case_a, tool_a, case_b=None, tool_b=None):
        """'wall s / CPU s' of A, or of A minus B (differences of medians)."""
        cells = []
        for metric in ("wall", "cpu"):
            a = med(case_a, "x1", tool_a, metric)
            v = a if case_b is None else diff(a, med(case_b, "x1", tool_b, metric))
            cells.append("?" if v is None else f"{v:.2f}")
        return " / ".join(cells) if "?" not in cells else "—"

    if any(c["case"] == "breakdown" for c in cases):
        w("Split of dkmspack's time on tree x1, from differences of the medians above "
          "(wall s / CPU s; estimates, not a profile):")
        w("")
        w("| Step | dkmspack (JIT) | dkmspack (AOT) | Reference (wall s / CPU s) |")
        w("| --- | ---: | ---: | --- |")
        rows = [
            ("start-up (`--version`)", ("breakdown", "dkmspack --version"), None, "—"),
            ("read files, tar, MD5, write (`-Z none` minus start-up)",
             ("breakdown", "dkmspack mkdeb -Z none"), ("breakdown", "dkmspack --version"),
             f"dpkg-deb -Znone {pair('breakdown', 'dpkg-deb -Znone')}; md5sum of data.tar "
             f"{pair('breakdown', 'md5sum data.tar')}"),
            ("deflate level 9 (gzip minus `-Z none`)",
             ("deb-gzip", "dkmspack mkdeb"), ("breakdown", "dkmspack mkdeb -Z none"),
             f"gzip -9 of data.tar {pair('breakdown', 'gzip -9 data.tar')}"),
            ("zstd level 3 (zstd minus `-Z none`)",
             ("deb-zstd", "dkmspack mkdeb"), ("breakdown", "dkmspack mkdeb -Z none"),
             f"zstd -3 -T1 of data.tar {pair('breakdown', 'zstd -3 -T1 data.tar')}"),
        ]
        for label, a, b, ref in rows:
            cells = []
            for sfx in ("", " (AOT)"):
                if b is None:
                    cells.append(pair(a[0], a[1] + sfx))
                else:
                    cells.append(pair(a[0], a[1] + sfx, b[0], b[1] + sfx))
            w(f"| {label} | {cells[0]} | {cells[1]} | {ref} |")
        w("")

    if notes:
        w("## Notes")
        w("")
        for n in notes:
            w(f"- {n}")
        w("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
