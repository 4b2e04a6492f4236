#!/usr/bin/env python3
"""Turns the benchmark's raw measurements into the Markdown report (stdout).

Inputs, all written by tests/benchmark/run:
  --data   one line per measured run: case, tree, tool, run, wall s (microsecond clock), user s, sys s,
           peak RSS KiB, size bytes, status, GNU time's own wall s (%e), 1-minute load average before the run
  --cases  one line per case: case, tree, baseline tool, title, tools in run order (|-separated),
           the tools compared (|-separated, TOOL against the case's baseline or TOOL=>BASELINE against a
           baseline of its own; empty: all the others against the case's baseline)
  (--cases and --meta default to the --data path with .cases.tsv and .meta.tsv for .tsv, --data to
  results/latest.tsv beside this script)
  --meta   key, value lines (machine, versions, tree sizes, notes)

Statistics: median with min-max over the runs. Ratios are computed pair by pair, run i of a tool over
run i of the case's baseline (the two ran back to back), and the report gives the median of those ratios
with their min-max. Standard library only.
"""

import argparse
import os
import statistics
import sys
from collections import defaultdict

MB = 1_000_000  # report memory in MB = 10^6 bytes (GNU time gives KiB)

# Ratio targets: (case, tool, metric, limit, label, trees). The tool is the dotnet tool's label; its Native
# AOT row is the same label plus " (AOT)", judged against the same limit. Time targets compare wall-clock
# time; the ratio is against the tool's own baseline in that case (the case's baseline, or the one paired
# with it in the cases file). limit None: shown for information. trees None: every tree measured.
RATIO_TARGETS = [
    ("deb-gzip", "dkmspack mkdeb", "wall", 0.45, "mkdeb gzip time ≤ 0.45× `dpkg-deb -Zgzip`", ("x1",)),
    ("deb-gzip", "dkmspack mkdeb", "size", 1.05, "mkdeb gzip size ≤ 1.05× `dpkg-deb -Zgzip`", None),
    ("deb-zstd", "dkmspack mkdeb", "wall", 1.0, "mkdeb zstd time ≤ 1.0× `dpkg-deb -Zzstd`", None),
    ("deb-zstd", "dkmspack mkdeb", "size", 1.01, "mkdeb zstd size ≤ 1.01× `dpkg-deb -Zzstd`", None),
    ("rpm-zstd", "dkmspack mkrpm", "wall", 0.4, "mkrpm zstd time ≤ 0.4× `rpmbuild -bb` w3.zstdio", None),
    ("rpm-gzip", "dkmspack mkrpm", "wall", 0.3, "mkrpm gzip time ≤ 0.3× `rpmbuild -bb` w9.gzdio", None),
    ("deb-xz", "dkmspack mkdeb", "wall", 0.6, "mkdeb xz time ≤ 0.6× `dpkg-deb -Zxz`", None),
    ("deb-xz", "dkmspack mkdeb", "size", 1.02, "mkdeb xz size ≤ 1.02× `dpkg-deb -Zxz`", None),
    ("rpm-xz", "dkmspack mkrpm", "wall", None, "mkrpm xz time / `rpmbuild -bb` w6T0.xzdio (information)", None),
]
# Start-up: the small example end to end, median wall clock in seconds, per build.
STARTUP_LIMIT_S = {"": 0.08, " (AOT)": 0.02}
# The pass without compression: mkdeb -Z none over dpkg-deb -Znone plus md5sum of the staged files
# (dpkg-deb gets DEBIAN/md5sums ready-made; dkmspack computes them), medians.
NONE_LIMIT = 1.5
# build deb,rpm in one call over mkdeb then mkrpm: the brief names no limit; one reading of the tree should
# make the one call no slower than the two.
BUILD_LIMIT = 1.0
SIGN_LIMIT = 1.05  # signing adds at most 5% to the packaging time
RSS_LIMIT_MB = {"": 100.0, " (AOT)": 64.0}  # peak RSS on x1, per build
RSS_GROWTH_LIMIT = 1.10  # "not growing": doubled tree's peak RSS at most 10% above the tree's (noise)
BUILDS = (("", "tool"), (" (AOT)", "AOT"))
PACKAGING_CASES = ("deb-gzip", "deb-zstd", "deb-xz", "rpm-gzip", "rpm-zstd", "rpm-xz")
XZ_NOTE = ("at level 6 liblzma's multi-threaded encoder alone needs about 94 MiB per thread (one thread per "
           "processor), and dpkg-deb -Zxz itself peaks at about 250 MB")


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
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Renders the benchmark report from its TSV files.")
    parser.add_argument("--data", default=os.path.join(here, "results", "latest.tsv"),
                        help="the runs (default: results/latest.tsv beside this script)")
    parser.add_argument("--cases", help="default: the --data path with .cases.tsv for .tsv")
    parser.add_argument("--meta", help="default: the --data path with .meta.tsv for .tsv")
    args = parser.parse_args()
    stem = args.data.removesuffix(".tsv")
    args.cases = args.cases or stem + ".cases.tsv"
    args.meta = args.meta or stem + ".meta.tsv"

    meta = {}
    notes = []
    for key, value in read_tsv(args.meta):
        if key == "note":
            notes.append(value)
        else:
            meta[key] = value

    def parse_case(c):
        """A case line; its compared column lists TOOL (against the case's baseline) or TOOL=>BASELINE
        entries (a baseline of its own); empty: every other tool against the case's baseline."""
        tools = c[4].split("|")
        entries = c[5].split("|") if len(c) > 5 and c[5] else [t for t in tools if t != c[2]]
        pairs = {}
        for e in entries:
            tool, _, base = e.partition("=>")
            pairs[tool] = base or c[2]
        return {"case": c[0], "tree": c[1], "baseline": c[2], "title": c[3], "tools": tools,
                "pairs": pairs, "baselines": {c[2], *pairs.values()}}

    cases = [parse_case(c) for c in read_tsv(args.cases)]
    case_index = {(c["case"], c["tree"]): c for c in cases}
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

    def baseline_of(case, tree, tool):
        c = case_index.get((case, tree))
        return c["pairs"].get(tool) if c else None

    def med(case, tree, tool, metric):
        v = values(case, tree, tool, metric)
        return statistics.median(v) if v else None

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
    w("Judged for both builds: the dotnet tool (`dotnet dkmspack.dll`, framework-dependent and "
      "ReadyToRun-compiled as the tool's package is; \"JIT\" in the tables below) and the Native AOT "
      "binary. Ratios are medians of per-run ratios against the baseline run next to it, unless the "
      "target says medians.")
    w("")
    w("| Target | Tree | dkmspack (tool) | Result | dkmspack (AOT) | Result |")
    w("| --- | --- | ---: | --- | ---: | --- |")

    def verdict(value, limit):
        if limit is None:
            return "info"
        return "PASS" if value <= limit else "**MISS**"

    def target_row(label, tree, cells):
        w(f"| {label} | {tree} | {cells[0][0]} | {cells[0][1]} | {cells[1][0]} | {cells[1][1]} |")

    def ratio_cell(case, tree, tool, metric, limit):
        baseline = baseline_of(case, tree, tool)
        rs = ratios(case, tree, tool, baseline, metric) if baseline else []
        if rs:
            m = statistics.median(rs)
            return (f"{m:.{3 if metric == 'size' else 2}f}×", verdict(m, limit))
        if failure(case, tree, tool):
            return (failure(case, tree, tool), "**MISS**")
        if baseline and failure(case, tree, baseline):
            return (f"baseline {failure(case, tree, baseline)}", "—")
        if case.startswith("rpm") and meta.get("rpmrows") == "1" and meta.get("mkrpm") == "0":
            return ("no mkrpm yet", "—")
        return ("not measured", "—")

    def ratio_rows(case, tool, metric, limit, label, only_trees):
        measured = sorted({c["tree"] for c in cases if c["case"] == case})
        for tree in (only_trees or measured or trees or ["x1"]):
            target_row(label, tree, [ratio_cell(case, tree, tool + sfx, metric, limit) for sfx, _ in BUILDS])

    # 1. Start-up, and gzip on the tree.
    cells = []
    for sfx, _ in BUILDS:
        m = med("startup", "gmux", "dkmspack mkdeb" + sfx, "wall")
        bad = failure("startup", "gmux", "dkmspack mkdeb" + sfx)
        cells.append((f"{m:.3f} s", verdict(m, STARTUP_LIMIT_S[sfx])) if m is not None
                     else (bad, "**MISS**") if bad else ("not measured", "—"))
    target_row(f"start-up: the small example end to end, median wall ≤ {STARTUP_LIMIT_S['']:.2f} s (tool) / "
        f"{STARTUP_LIMIT_S[' (AOT)']:.2f} s (AOT)", "gmux", cells)
    for target in RATIO_TARGETS[:2]:
        ratio_rows(*target)
    # 2. zstd (and the earlier mkrpm gzip target).
    for target in RATIO_TARGETS[2:6]:
        ratio_rows(*target)
    # 3. The pass without compression.
    cells = []
    dpkg_none = med("breakdown", "x1", "dpkg-deb -Znone", "wall")
    md5_files = med("breakdown", "x1", "md5sum of the staged files", "wall")
    for sfx, _ in BUILDS:
        none = med("breakdown", "x1", "dkmspack mkdeb -Z none" + sfx, "wall")
        if none is not None and dpkg_none is not None and md5_files is not None:
            m = none / (dpkg_none + md5_files)
            cells.append((f"{m:.2f}×", verdict(m, NONE_LIMIT)))
        elif failure("breakdown", "x1", "dkmspack mkdeb -Z none" + sfx):
            cells.append((failure("breakdown", "x1", "dkmspack mkdeb -Z none" + sfx), "**MISS**"))
        else:
            cells.append(("not measured", "—"))
    target_row(f"mkdeb -Z none time ≤ {NONE_LIMIT}× (`dpkg-deb -Znone` + md5sum of the staged files), medians",
        "x1", cells)
    # 4. xz.
    for target in RATIO_TARGETS[6:]:
        ratio_rows(*target)

    # 5. Memory: every dkmspack command of every case, judged one by one; the worst in the Targets table.
    commands = []  # (case, tool label, build suffix)
    for c in cases:
        for tool in c["tools"]:
            if tool.startswith("dkmspack ") and (c["case"], tool) not in [(x[0], x[1]) for x in commands]:
                commands.append((c["case"], tool, " (AOT)" if tool.endswith(" (AOT)") else ""))

    def short(case, tool):
        name = tool.removeprefix("dkmspack ").removesuffix(" (AOT)")
        return f"{case}: {name}"

    def rss_worst(sfx, xz):
        worst = None
        for case, tool, s in commands:
            if s != sfx or ("xz" in case) != xz:
                continue
            v1 = values(case, "x1", tool, "rss")
            if v1 and (worst is None or max(v1) > worst[0]):
                worst = (max(v1), short(case, tool))
        if worst is None:
            return ("not measured", "—")
        return (f"{worst[0]:.1f} MB ({worst[1]})", verdict(worst[0], RSS_LIMIT_MB[sfx]))

    def growth(case, tool):
        m1, m2 = med(case, "x1", tool, "rss"), med(case, "x2", tool, "rss")
        return None if m1 is None or m2 is None else m2 / m1

    def growth_worst(sfx):
        worst = None
        for case, tool, s in commands:
            g = growth(case, tool) if s == sfx else None
            if g is not None and (worst is None or g > worst[0]):
                worst = (g, short(case, tool))
        if worst is None:
            return ("not measured (no x2)", "—") if quick else ("not measured", "—")
        return (f"{worst[0]:.2f}× ({worst[1]})", verdict(worst[0], RSS_GROWTH_LIMIT))

    limits = f"{RSS_LIMIT_MB['']:.0f} MB (tool) / {RSS_LIMIT_MB[' (AOT)']:.0f} MB (AOT)"
    target_row(f"peak RSS ≤ {limits}, worst run of any dkmspack command but xz", "x1",
        [rss_worst(sfx, False) for sfx, _ in BUILDS])
    target_row(f"peak RSS ≤ {limits}, worst run of the xz commands (see the note)", "x1",
        [rss_worst(sfx, True) for sfx, _ in BUILDS])
    target_row(f"peak RSS not growing with the tree: median x2 / median x1 ≤ {RSS_GROWTH_LIMIT:.2f}, worst command",
        "x2 vs x1", [growth_worst(sfx) for sfx, _ in BUILDS])

    # 6. build in one call, and signing's cost.
    ratio_rows("build", "dkmspack build deb,rpm", "wall", BUILD_LIMIT,
               f"build deb,rpm in one call ≤ {BUILD_LIMIT}× mkdeb then mkrpm (gzip 9)", None)
    for f in ("deb", "rpm"):
        ratio_rows("sign", f"dkmspack mk{f} --sign", "wall", SIGN_LIMIT,
                   f"signing adds ≤ {round((SIGN_LIMIT - 1) * 100)}% to mk{f} zstd 3 (signed / unsigned)", None)
    w("")
    xz_dpkg = med("deb-xz", "x1", "dpkg-deb", "rss")
    w(f"Memory of the xz commands: {XZ_NOTE[0].upper()}{XZ_NOTE[1:]}"
      f"{f' (here: {xz_dpkg:.0f} MB, median on x1)' if xz_dpkg is not None else ''}. "
      "Their absolute limit is reported apart from the other commands' rather than left out. "
      "Each command's memory is in [Peak memory by command](#peak-memory-by-command).")
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
                base = c["pairs"].get(tool)
                if base is None:
                    row += ["baseline" if tool in c["baselines"] else "", "", "", ""]
                else:
                    base_sizes = values(c["case"], c["tree"], base, "size")
                    for metric in ("wall", "cpu", "rss", "size"):
                        rs = ratios(c["case"], c["tree"], tool, base, metric)
                        if metric == "size" and (not sizes or not base_sizes or min(base_sizes) == 0):
                            rs = []
                        row.append(ratio_spread(rs, 3 if metric == "size" else 2))
                w("| " + " | ".join(row) + " |")
        w("")
        for c in selected:
            loads = [r.load for tool in c["tools"] for r in runs.get((c["case"], c["tree"], tool), [])
                     if r.load is not None]
            load = f"; 1-minute load average {min(loads):.2f}–{max(loads):.2f}" if loads else ""
            if len(set(c["pairs"].values())) > 1:
                against = "; ".join(f"{t} against {b}" for t, b in c["pairs"].items())
            else:
                against = f"baseline {c['baseline']}"
            w(f"- {c['case']} {c['tree']}: {c['title']}; {against}{load}.")
        w("")

    case_table([c for c in cases if c["case"] in PACKAGING_CASES], "Packaging the tree", "")
    case_table([c for c in cases if c["case"] == "build"], "build: deb and rpm in one call",
               "`dkmspack build --formats deb,rpm` (one reading of the tree, also writes SHA256SUMS) against "
               "`mkdeb` then `mkrpm` with the same options, one `bash -c` whose time is the two commands' sum; "
               "the AOT build against the AOT commands. Size: the .deb and the .rpm together.")
    case_table([c for c in cases if c["case"] == "sign"], "Signing's cost",
               "Each command with `--signing-key` (a throwaway RSA 3072 key made with gpg, not timed) against the "
               "same command unsigned, zstd level 3 so that the signing's share is visible.")
    case_table([c for c in cases if c["case"] == "startup"], "Start-up: the small example",
               "`examples/apple-gmux-0.1` end to end: JIT (`dotnet dkmspack.dll`), the Native AOT binary, "
               "and dpkg-deb on the staged tree. GNU time resolves 10 ms.")
    case_table([c for c in cases if c["case"] == "breakdown"], "Where the time goes (tree x1)",
               "dkmspack without compression (reading files, tar, MD5, writing, start-up), the bare "
               "start-up (`--version`), and single-threaded reference tools over the uncompressed "
               "data.tar that the packages hold: the floor for deflate, zstd and MD5 on this machine. "
               "`md5sum of the staged files` makes DEBIAN/md5sums as dh_md5sums does (`find usr -type f "
               "-print0 | xargs -0 md5sum` in the staged root), the work dpkg-deb gets done beforehand. "
               "`cp -a of the tree` is what rpmbuild's `%install` does, on the scratch filesystem.")

    # ------------------------------------------------------------------ derived breakdown
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
             f"{pair('breakdown', 'md5sum data.tar')}; md5sum of the staged files "
             f"{pair('breakdown', 'md5sum of the staged files')}"),
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

    # ------------------------------------------------------------------ memory by command
    if commands:
        w("## Peak memory by command")
        w("")
        w(f"Every dkmspack command of every case: peak RSS on x1 (median, and the worst run, judged against "
          f"{limits}) and its growth with the doubled tree (median x2 / median x1 ≤ {RSS_GROWTH_LIMIT:.2f}). "
          f"The xz rows are expected over the limit: {XZ_NOTE}.")
        w("")
        w("| Case | Command | Build | x1 median MB | x1 worst MB | ≤ limit | x2 median MB | x2 / x1 | ≤ 1.10 |")
        w("| --- | --- | --- | ---: | ---: | --- | ---: | ---: | --- |")
        for case, tool, sfx in commands:
            v1 = values(case, "x1", tool, "rss")
            m2 = med(case, "x2", tool, "rss")
            if not v1 and m2 is None:
                continue  # the start-up case's small example, not a tree
            g = growth(case, tool)
            build_name = dict(BUILDS)[sfx]
            cells = [case, tool.removesuffix(" (AOT)"), build_name,
                     f"{statistics.median(v1):.1f}" if v1 else "—",
                     f"{max(v1):.1f}" if v1 else "—",
                     (verdict(max(v1), RSS_LIMIT_MB[sfx]) + (" (xz)" if "xz" in case else "")) if v1 else "—",
                     f"{m2:.1f}" if m2 is not None else "—",
                     f"{g:.2f}×" if g is not None else "—",
                     verdict(g, RSS_GROWTH_LIMIT) if g is not None else "—"]
            w("| " + " | ".join(cells) + " |")
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
