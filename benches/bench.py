#!/usr/bin/env python3
"""pactum benchmarks: whole-process render and batch throughput, each against a baseline run in
the same invocation. Results are printed; copy them into BENCHMARKS.md with the command.

    python3 benches/bench.py render     # pactum render vs the PyPI `typst` package, English
                                        # and trilingual examples (issues 3 and 14)
    python3 benches/bench.py batch      # batch vs a process per file, vs a PyPI typst loop;
                                        # peak memory for 1,000 vs 10 agreements (issue 5)
    python3 benches/bench.py watch      # pactum watch: save → PDF on disk, against a warm PyPI
                                        # typst Compiler recompiling the same filled document
                                        # (issue 17)
    python3 benches/bench.py versus BIN # this build against another pactum binary (say, the
                                        # commit before the document model): render, batch
                                        # and diff, alternating runs (issue 13)

Needs: `cargo build --release` (done here), `pip install typst` (done here if missing).
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# `PACTUM_BIN=path` measures another build (say, `cargo build --profile profiling`) instead.
PACTUM = os.environ.get("PACTUM_BIN") or os.path.join(ROOT, "target", "release", "pactum")
EXAMPLE = os.path.join(ROOT, "agreements", "malmo-kaohsiung", "round-3.yaml")
TRILINGUAL = os.path.join(ROOT, "agreements", "lund-tainan", "round-2.yaml")
FONTS = os.path.join(ROOT, "fonts")
# The peer gets pactum's own fonts folder too (the Chinese subset), so that it can typeset the
# trilingual document on a machine without a CJK font; it also scans the system's fonts, as the
# typst CLI does.
PEER = [sys.executable, "-c",
        f"import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[{FONTS!r}])"]
# The same, told not to scan the machine's fonts: a stricter comparison than the issue's, shown
# beside it.
PEER_EMBEDDED = [sys.executable, "-c",
                 f"import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[{FONTS!r}], "
                 "ignore_system_fonts=True)"]


def setup():
    if not os.environ.get("PACTUM_BIN"):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    try:
        import typst  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "typst"], check=True)


def wall(cmd, runs):
    """Median and mean wall time of `runs` runs of a whole process."""
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), statistics.mean(samples)


def wall_alternating(cmds, runs):
    """Median and mean wall time of each command, run in turn `runs` times: the machine's
    drift over the minute a benchmark takes falls on every command alike."""
    samples = [[] for _ in cmds]
    for _ in range(runs):
        for cmd, out in zip(cmds, samples):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out.append(time.perf_counter() - t)
    return [(statistics.median(s), statistics.mean(s)) for s in samples]


def peak_rss_kb(cmd):
    """Peak resident memory (kB) of a command, measured in a fresh child."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def bench_render(example, target, runs=20):
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "p.pdf")
        subprocess.run([PACTUM, "render", example, "-o", pdf, "--emit", "typ"], check=True, stdout=subprocess.DEVNULL)
        typ = os.path.join(tmp, "p.typ")
        ours, peer, strict, python = wall_alternating([
            [PACTUM, "render", example, "-o", pdf],
            [*PEER, typ, os.path.join(tmp, "t.pdf")],
            [*PEER_EMBEDDED, typ, os.path.join(tmp, "t.pdf")],
            [sys.executable, "-c", "import typst"],
        ], runs)
        ours_rss = peak_rss_kb([PACTUM, "render", example, "-o", pdf])
        peer_rss = peak_rss_kb([*PEER, typ, os.path.join(tmp, "t.pdf")])
        pages = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        pages = next((l.split()[-1] for l in pages.splitlines() if l.startswith("Pages:")), "?")
    print(f"render {os.path.relpath(example, ROOT)} ({pages} pages), whole process, median of {runs} "
          "(the commands run in turn):")
    print(f"  pactum render (check + fill + compile + PDF): {ours[0]*1e3:7.1f} ms (mean {ours[1]*1e3:.1f})")
    print(f"  PyPI typst compiling the --emit typ output:   {peer[0]*1e3:7.1f} ms (mean {peer[1]*1e3:.1f})")
    print(f"  ratio pactum / peer: {ours[0]/peer[0]:.2f} (target <= {target})")
    print(f"  peak RSS: pactum {ours_rss/1024:.1f} MB, peer {peer_rss/1024:.1f} MB")
    print(f"  PyPI typst with ignore_system_fonts=True:     {strict[0]*1e3:7.1f} ms (mean {strict[1]*1e3:.1f}); "
          f"ratio pactum / that: {ours[0]/strict[0]:.2f}")
    print(f"  (of which Python start-up + `import typst`:   {python[0]*1e3:7.1f} ms)")


# Every shipped round: both templates, English and trilingual (sv / zh-TW / en) documents.
MIXED = [os.path.join(ROOT, "agreements", *p) for p in (
    ("malmo-kaohsiung", "round-1.yaml"), ("malmo-kaohsiung", "round-2.yaml"),
    ("malmo-kaohsiung", "round-3.yaml"), ("lund-tainan", "round-1.yaml"), ("lund-tainan", "round-2.yaml"))]


def generate(dir, n, sources=(EXAMPLE,)):
    """`n` agreements with distinct party names, cycling through `sources`."""
    texts = [open(s, encoding="utf-8").read() for s in sources]
    paths = []
    for i in range(n):
        folder = os.path.join(dir, f"agreement-{i:04}")
        os.makedirs(folder)
        path = os.path.join(folder, "round-1.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(texts[i % len(texts)].replace("City of Malmö", f"Municipality of Ystad {i}")
                    .replace("Kaohsiung City Government", f"Hualien County Government {i}")
                    .replace("City of Lund", f"City of Lund {i}")
                    .replace("Tainan City Government", f"Tainan City Government {i}"))
        paths.append(path)
    return paths


# pactum batch's default number of workers: one more than the cores.
DEFAULT_JOBS = (os.cpu_count() or 2) + 1


def bench_batch(n=100, jobs=DEFAULT_JOBS, sources=(EXAMPLE,), what="copies of the largest example, 5-6 pages each"):
    with tempfile.TemporaryDirectory() as tmp:
        agreements = os.path.join(tmp, "agreements")
        files = generate(agreements, n, sources)
        out = os.path.join(tmp, "out")
        t = time.perf_counter()
        subprocess.run([PACTUM, "batch", agreements, "-o", out, "-j", str(jobs), "--force"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        batch = time.perf_counter() - t
        typs = []
        t = time.perf_counter()
        for i, f in enumerate(files):
            subprocess.run([PACTUM, "render", f, "-o", os.path.join(tmp, "loop", f"{i}.pdf")], check=True,
                           stdout=subprocess.DEVNULL)
        loop = time.perf_counter() - t
        for i, f in enumerate(files):
            subprocess.run([PACTUM, "render", f, "-o", os.path.join(tmp, "typ", f"{i}.pdf"), "--emit", "typ"],
                           check=True, stdout=subprocess.DEVNULL)
            typs.append(os.path.join(tmp, "typ", f"{i}.typ"))
        t = time.perf_counter()
        for i, typ in enumerate(typs):
            subprocess.run([*PEER, typ, os.path.join(tmp, "typ", f"peer-{i}.pdf")], check=True)
        peer = time.perf_counter() - t
    print(f"batch of {n} agreements ({what}), {jobs} workers, {os.cpu_count()} cores:")
    print(f"  pactum batch -j {jobs}:                         {batch:6.2f} s ({n/batch:6.1f} docs/s)")
    print(f"  pactum render, one process per file:          {loop:6.2f} s ({n/loop:6.1f} docs/s)")
    print(f"  PyPI typst, one process per filled file:      {peer:6.2f} s ({n/peer:6.1f} docs/s)")
    print(f"  batch speed-up vs process-per-file: {loop/batch:.1f}x; vs PyPI typst loop: {peer/batch:.1f}x (target >= 10x)")


def bench_memory(small=10, large=1000, jobs=DEFAULT_JOBS, sources=(EXAMPLE,)):
    rss = {}
    for n in (small, large):
        with tempfile.TemporaryDirectory() as tmp:
            agreements = os.path.join(tmp, "agreements")
            generate(agreements, n, sources)
            t = time.perf_counter()
            rss[n] = peak_rss_kb([PACTUM, "batch", agreements, "-o", os.path.join(tmp, "out"), "-j", str(jobs)])
            print(f"  batch of {n:5} agreements: peak RSS {rss[n]/1024:6.1f} MB, {time.perf_counter()-t:6.1f} s")
    print(f"  peak memory ratio {large}/{small}: {rss[large]/rss[small]:.2f} (target <= 1.5)")


def bench_versus(before, runs=15):
    """This build and `before`, alternating in one invocation: render (English, trilingual),
    a mixed batch of 40, and diff (terminal and PDF) of the two latest rounds of each example."""
    def alternate(make_cmd):
        times = {PACTUM: [], before: []}
        for _ in range(runs):
            for binary in (before, PACTUM):
                t = time.perf_counter()
                subprocess.run(make_cmd(binary), check=False, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                times[binary].append(time.perf_counter() - t)
        return statistics.median(times[before]), statistics.median(times[PACTUM])

    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "p.pdf")
        agreements = os.path.join(tmp, "agreements")
        generate(agreements, 40, MIXED)
        cases = [
            ("render English example", lambda b: [b, "render", EXAMPLE, "-o", pdf]),
            ("render trilingual example", lambda b: [b, "render", TRILINGUAL, "-o", pdf]),
            ("render trilingual --final", lambda b: [b, "render", TRILINGUAL, "--final", "--layout",
                                                      "consecutive", "-o", pdf]),
            ("batch of 40 mixed, -j 2", lambda b: [b, "batch", agreements, "-o", os.path.join(tmp, "out"),
                                                  "-j", "2", "--force"]),
            ("diff malmo-kaohsiung (terminal)", lambda b: [b, "diff", os.path.dirname(EXAMPLE)]),
            ("diff lund-tainan (terminal)", lambda b: [b, "diff", os.path.dirname(TRILINGUAL)]),
            ("diff malmo-kaohsiung --format pdf", lambda b: [b, "diff", os.path.dirname(EXAMPLE),
                                                            "--format", "pdf", "-o", pdf]),
            ("diff lund-tainan --format pdf", lambda b: [b, "diff", os.path.dirname(TRILINGUAL),
                                                        "--format", "pdf", "-o", pdf]),
        ]
        print(f"before = {before}, after = this build; median of {runs}, runs alternating:")
        for name, make in cases:
            b, a = alternate(make)
            print(f"  {name:36} before {b*1e3:8.1f} ms   after {a*1e3:8.1f} ms   after/before {a/b:5.2f}")


def bench_forms(runs=40):
    """The precompiled handlebars forms against parsing the templates' text on every render
    (`PACTUM_MEASURE_NO_FORMS=1`), alternating in one invocation, same binary."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "p.pdf")
        for name, example in (("English", EXAMPLE), ("trilingual", TRILINGUAL)):
            times = {"forms": [], "parse": []}
            for _ in range(runs):
                for mode in times:
                    env = dict(os.environ)
                    if mode == "parse":
                        env["PACTUM_MEASURE_NO_FORMS"] = "1"
                    t = time.perf_counter()
                    subprocess.run([PACTUM, "render", example, "-o", pdf], check=True, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    times[mode].append(time.perf_counter() - t)
            f, p = statistics.median(times["forms"]), statistics.median(times["parse"])
            print(f"  render {name:10} forms {f*1e3:6.1f} ms   parsing {p*1e3:6.1f} ms   "
                  f"forms/parsing {f/p:5.3f} (keep the forms if <= 0.98)")


def bench_watch(example, saves=40):
    """Latency of `pactum watch` from a save to the new PDF in place (its inode changes: the
    write is atomic), over `saves` saves that each change the title; the first render too.
    The peer: one PyPI typst Compiler, kept warm, recompiling the filled document after the
    same change (its model JSON rewritten), timed around `compile` alone."""
    with tempfile.TemporaryDirectory() as tmp:
        text = open(example, encoding="utf-8").read()
        lines = text.splitlines()
        at = next(i for i, l in enumerate(lines) if l.startswith("title:"))
        # The title's line, or with a title per language, its first language's line.
        title = lines[at] if lines[at].strip() != "title:" else lines[at + 1]
        variant = lambda i: text.replace(title, f"{title} (draft {i})", 1)
        terms = os.path.join(tmp, os.path.basename(example))
        with open(terms, "w", encoding="utf-8") as f:
            f.write(variant(0))
        pdf = os.path.join(tmp, "out", "watched.pdf")
        started = time.perf_counter()
        proc = subprocess.Popen([PACTUM, "watch", terms, "-o", pdf],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not os.path.exists(pdf):
                if time.perf_counter() - started > 30:
                    raise SystemExit("pactum watch did not render within 30 s")
                time.sleep(0.0005)
            first = time.perf_counter() - started
            time.sleep(0.3)
            samples = []
            for i in range(1, saves + 1):
                inode = os.stat(pdf).st_ino
                t = time.perf_counter()
                with open(terms, "w", encoding="utf-8") as f:
                    f.write(variant(i))
                while True:
                    try:
                        if os.stat(pdf).st_ino != inode:
                            break
                    except FileNotFoundError:
                        pass
                    if time.perf_counter() - t > 10:
                        raise SystemExit("pactum watch did not render a save within 10 s")
                    time.sleep(0.0005)
                samples.append(time.perf_counter() - t)
                time.sleep(0.05)
        finally:
            proc.send_signal(2)
            proc.wait(timeout=10)
        # The peer: the same filled documents, emitted once each, recompiled by one warm Compiler
        # (each a new title, as for pactum: a document seen before would be a memo-cache hit).
        import typst
        models = []
        for i in range(saves + 1):
            src = os.path.join(tmp, f"v{i}.yaml")
            with open(src, "w", encoding="utf-8") as f:
                f.write(variant(i))
            out = os.path.join(tmp, f"peer{i}", "doc.pdf")
            subprocess.run([PACTUM, "render", src, "-o", out, "--emit", "typ"], check=True,
                           stdout=subprocess.DEVNULL)
            models.append(open(os.path.join(tmp, f"peer{i}", "doc.json"), "rb").read())
        typ = os.path.join(tmp, "peer0", "doc.typ")
        model = os.path.join(tmp, "peer0", "doc.json")
        compiler = typst.Compiler(typ, font_paths=[FONTS])
        compiler.compile(output=os.path.join(tmp, "peer.pdf"))
        peer = []
        for i in range(1, saves + 1):
            with open(model, "wb") as f:
                f.write(models[i])
            t = time.perf_counter()
            compiler.compile(output=os.path.join(tmp, "peer.pdf"))
            peer.append(time.perf_counter() - t)
    med, p95 = statistics.median(samples), sorted(samples)[int(len(samples) * 0.95) - 1]
    pmed = statistics.median(peer)
    print(f"watch {os.path.relpath(example, ROOT)}: {saves} saves, each changing the title")
    print(f"  first render (process start → PDF): {first*1e3:7.1f} ms")
    print(f"  save → new PDF in place: median {med*1e3:6.1f} ms, p95 {p95*1e3:6.1f} ms, max {max(samples)*1e3:6.1f} ms (target <= 200)")
    print(f"  peer, warm PyPI typst Compiler recompiling the same change: median {pmed*1e3:6.1f} ms")
    print(f"  ratio pactum / peer: {med/pmed:.2f}")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    setup()
    if what == "versus":
        bench_versus(os.path.abspath(sys.argv[2]))
        sys.exit(0)
    if what == "forms":
        bench_forms()
        sys.exit(0)
    if what == "watch":
        bench_watch(EXAMPLE)
        bench_watch(TRILINGUAL)
        sys.exit(0)
    if what in ("render", "all"):
        bench_render(EXAMPLE, 0.4)
        bench_render(TRILINGUAL, 0.5)
    if what in ("batch", "all"):
        bench_batch()
        bench_batch(sources=MIXED, what="every shipped round in turn: both templates, English and trilingual")
        print("peak memory, copies of the largest example:")
        bench_memory()
        print("peak memory, every shipped round in turn (English and trilingual):")
        bench_memory(sources=MIXED)
