#!/usr/bin/env python3
"""End-to-end throughput of the release binary, its ceiling, and the Python peers, in one go.

    cargo build --release
    python3 benches/throughput.py [--binary target/release/actorgraph]
        [--corpus ../shared/corpus/ant-news-2018.jsonl.gz] [--slice-articles 8000]
        [--repeat 3] [--peers-python /tmp/peers/bin/python] [--big-gazetteer /tmp/actorgraph-1m.tsv]
        [--skip-full] [--side-input full|slice] [--work /tmp/actorgraph-bench]

What it runs, each measurement --repeat times (median reported; the machine is shared, and
its slow minutes are spread over what is compared):

  extract    `actorgraph extract INPUT -o OUT --threads T` as a child process, at 1 thread
             and at all cores, the two alternating, over the slice (the first
             --slice-articles articles), a 10 MB slice and the whole corpus (plain JSON
             Lines, decompressed beforehand). MB/s is megabytes (10^6 bytes) of the
             articles' `text` field (UTF-8, titles not counted though they are processed
             too) over the process's wall time: start, gazetteer compilation, reading and
             parsing JSON, the pipeline, writing every output. Each run writes into an
             empty OUT, the previous outputs removed and the disk synced before the clock
             starts; one more set of runs on the slice at 1 thread writes over its
             predecessor's outputs, as a rerun into the same OUT does, and the report
             gives its speed beside. Peak RSS is the child's maximum resident set, from
             GNU time (/usr/bin/time) where it is installed, else from wait4, which also
             counts this Python process's memory. Before and after these runs, two
             CPU-bound processes at once are timed against one alone, and the report
             gives the ratio (1.00 when the host's second core is free) beside the
             two-thread figures.
  rounds     side by side on --side-input (the whole corpus, which the floors name; or
             the slice), in --repeat rounds, each running once, back to
             back: extract at 1 thread; `actorgraph bench INPUT --repeat N` (one
             thread, in memory, each figure its own median of --repeat runs:
             folding, the aho-corasick crate alone on the folded text with the gazetteer
             dump's surfaces (the ceiling), the pipeline's matcher, the whole per-article
             pipeline, reading the input and writing the outputs alone, and all three
             together); and ../shared/bench-peers/peers.py with `actorgraph gazetteer
             dump`, --normalize --proclitics (pyahocorasick, flashtext, spaCy
             PhraseMatcher and EntityRuler), and pyahocorasick without them. The peers'
             MB/s counts the same bytes over matching time only (normalisation included,
             JSON reading and start-up excluded), which flatters them against the end-to-end
             figures. The floors against the peers and the ceiling take the median of
             the rounds' own ratios, each of two runs of the same minute. On the whole
             corpus, each round also runs extract and pyahocorasick on the slice, whose
             ratio the report gives beside: the slice is easier for pyahocorasick
             (about 55 MB/s against 51) and the fixed costs of a run (start, graph files,
             commit) weigh more on it.
  big        with --big-gazetteer (benches/gen_gazetteer.py writes one): its load and
             compile time, and extract over the slice at 1 thread with it, against the
             built-in gazetteers (batch MB/s from the summary line, compilation excluded).

Results go to WORK/results.jsonl (one JSON object per run) and a report to stdout.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUMMARY = re.compile(r"(\d+) articles, .*?; ([\d.]+) MB of text at ([\d.]+) MB/s")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run_child(argv, stdout=subprocess.DEVNULL):
    """Runs argv; returns (wall seconds, status, stderr text, stdout bytes or None)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    out, err = child.communicate()
    wall = time.perf_counter() - started
    return wall, child.returncode, err.decode("utf-8", "replace"), out


# The peak RSS that wait4 reports for a child of this process counts the memory of the
# Python process it was spawned from (Linux carries the old image's high-water mark across
# exec): about 13 MB here, more than actorgraph's own peak on a small input. GNU time forks
# the child from its own small image and reports the child's peak alone.
TIME = "/usr/bin/time"
RSS_MARK = "actorgraph-peak-rss-kb "


def run_rss(argv):
    """Runs argv with stdout discarded; returns (wall seconds, status, peak RSS MB, stderr).

    The wall time includes GNU time's own start (a millisecond) when it measures the RSS."""
    err_path = os.path.join(WORK, "stderr.txt")
    timed = os.access(TIME, os.X_OK)
    if timed:
        argv = [TIME, "-f", RSS_MARK + "%M"] + argv
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                           (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    rss = usage.ru_maxrss / 1024.0
    if timed:
        lines = stderr.splitlines(keepends=True)
        marks = [l for l in lines if l.startswith(RSS_MARK)]
        if marks:
            rss = int(marks[-1][len(RSS_MARK):]) / 1024.0
            stderr = "".join(l for l in lines if not l.startswith(RSS_MARK))
    return wall, os.waitstatus_to_exitcode(status), rss, stderr


def prepare(corpus, slice_articles):
    """Writes full.jsonl, slice.jsonl and slice10mb.jsonl; returns {name: (path, articles, text bytes)}."""
    paths = {name: os.path.join(WORK, name + ".jsonl") for name in ("full", "slice", "slice10mb")}
    files = {name: open(path, "w", encoding="utf-8") for name, path in paths.items()}
    stats = {name: [0, 0] for name in paths}
    opener = gzip.open if corpus.endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            size = len((json.loads(line).get("text") or "").encode("utf-8"))
            targets = ["full"]
            if stats["slice"][0] < slice_articles:
                targets.append("slice")
            if stats["slice10mb"][1] < 10_000_000:
                targets.append("slice10mb")
            for name in targets:
                files[name].write(line if line.endswith("\n") else line + "\n")
                stats[name][0] += 1
                stats[name][1] += size
    for f in files.values():
        f.close()
    return {name: (paths[name], stats[name][0], stats[name][1]) for name in paths}


def second_core():
    """How much longer two CPU-bound processes take at once than one alone, medians of 3:
    1.0 when the machine's second core is free, 2.0 when something else holds it. The
    host is shared, and a two-thread figure means little without this beside it."""
    argv = [sys.executable, "-c", "x = 0\nfor i in range(3_000_000): x += i * i"]

    def timed(n):
        started = time.perf_counter()
        children = [subprocess.Popen(argv) for _ in range(n)]
        for child in children:
            child.wait()
        return time.perf_counter() - started

    one = statistics.median(timed(1) for _ in range(3))
    two = statistics.median(timed(2) for _ in range(3))
    result = {"what": "second_core", "one_s": round(one, 3), "two_s": round(two, 3),
              "ratio": round(two / one, 2)}
    record(result)
    log(f"  second core: two spinners {two:.3f} s, one alone {one:.3f} s ({two / one:.2f}x)")
    return two / one


def record(result):
    with open(os.path.join(WORK, "results.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")


def extract_run(binary, name, inputs, threads, run, gazetteer=None, replacing=False):
    """Times one `actorgraph extract` on inputs[name]; returns its result.

    The run writes into an empty OUTDIR, its predecessor's outputs removed and the disk
    synced before the clock starts: otherwise its time would hold the unlinking of
    whatever the run before it left (the whole corpus's 115 MB before the first slice
    run). With `replacing`, it writes over the outputs already there, as a rerun into
    the same OUTDIR does, to show what that costs."""
    path, articles, text_bytes = inputs[name]
    out = os.path.join(WORK, "out")
    argv = [binary, "extract", path, "-o", out, "--threads", str(threads)]
    if gazetteer:
        argv += ["--gazetteer", gazetteer]
    if not replacing:
        shutil.rmtree(out, ignore_errors=True)
    os.sync()
    wall, status, rss, stderr = run_rss(argv)
    if status not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({status}):\n{stderr}")
    summary = SUMMARY.search(stderr)
    batch = float(summary.group(3)) if summary else None
    result = {"what": "extract", "input": name, "threads": threads, "run": run,
              "replacing": replacing,
              "gazetteer": gazetteer or "built-in", "articles": articles,
              "text_bytes": text_bytes, "wall_s": round(wall, 3),
              "mb_per_s": round(text_bytes / 1e6 / wall, 2),
              "articles_per_s": round(articles / wall, 1), "batch_mb_per_s": batch,
              "peak_rss_mb": round(rss, 1)}
    record(result)
    log(f"  extract {name} threads={threads} run {run}: {result['mb_per_s']} MB/s, "
        f"{result['articles_per_s']} articles/s, {result['peak_rss_mb']} MB RSS")
    return result


def medians(runs):
    """The median of each figure of extract runs."""
    return {
        "mb_per_s": statistics.median(r["mb_per_s"] for r in runs),
        "articles_per_s": statistics.median(r["articles_per_s"] for r in runs),
        "batch_mb_per_s": statistics.median(r["batch_mb_per_s"] or 0 for r in runs),
        "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
        "runs": [r["mb_per_s"] for r in runs],
    }


def extract(binary, name, inputs, threads, repeat, gazetteer=None, replacing=False):
    """Times `actorgraph extract` on inputs[name] `repeat` times in a row (see
    extract_run); with `replacing`, an untimed run first leaves outputs to replace."""
    if replacing:
        extract_run(binary, name, inputs, threads, 0, gazetteer)
    return medians([extract_run(binary, name, inputs, threads, i + 1, gazetteer, replacing)
                    for i in range(repeat)])


def bench(binary, path, repeat, gazetteer=None):
    argv = [binary, "bench", path, "--json", "--repeat", str(repeat)]
    if gazetteer:
        argv += ["--gazetteer", gazetteer]
    wall, status, stderr, out = run_child(argv, stdout=subprocess.PIPE)
    if status != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{stderr}")
    result = json.loads(out)
    result.update({"what": "bench", "gazetteer": gazetteer or "built-in", "wall_s": wall})
    record(result)
    return result


def peer_run(python, engine, gazetteer, corpus, run, folded=True):
    """Runs one peer once; returns its result, or None when it fails."""
    script = os.path.join(ROOT, "..", "shared", "bench-peers", "peers.py")
    argv = [python, script, "--engine", engine, "--gazetteer", gazetteer, "--corpus", corpus]
    if folded:
        argv += ["--normalize", "--proclitics"]
    _, status, stderr, out = run_child(argv, stdout=subprocess.PIPE)
    if status != 0:
        log(f"  {engine}: failed ({status}): {stderr.strip()[-300:]}")
        return None
    result = json.loads(out.decode().strip().splitlines()[-1])
    result.update({"what": "peer", "run": run, "folded": folded})
    record(result)
    log(f"  {engine}{'' if folded else ' (raw)'} run {run}: {result['mb_per_s']} MB/s, "
        f"{result['mentions']} mentions")
    return result


def peer_medians(runs):
    """The median speed of a peer's runs, or None when one failed."""
    if not runs or any(r is None for r in runs):
        return None
    return {"mb_per_s": statistics.median(r["mb_per_s"] for r in runs),
            "runs": [r["mb_per_s"] for r in runs],
            "mentions": runs[-1]["mentions"], "keys": runs[-1]["keys"],
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def bench_medians(results):
    """The median of each figure of `actorgraph bench` results."""
    merged = dict(results[-1])
    for key, value in results[-1].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[key] = statistics.median(r[key] for r in results)
    return merged


# The peers, as (key, engine, folded).
PEERS = [("pyahocorasick", "pyahocorasick", True), ("flashtext", "flashtext", True),
         ("spacy_phrase", "spacy_phrase", True), ("spacy_entityruler", "spacy_entityruler", True),
         ("pyahocorasick_raw", "pyahocorasick", False)]


def main():
    global WORK
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ap.add_argument("--binary", default=os.path.join(target, "release", "actorgraph"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus",
                                                     "ant-news-2018.jsonl.gz"))
    ap.add_argument("--slice-articles", type=int, default=8000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--peers-python", help="a Python with spacy, flashtext and pyahocorasick")
    ap.add_argument("--big-gazetteer", help="a generated gazetteer (benches/gen_gazetteer.py)")
    ap.add_argument("--skip-full", action="store_true", help="leave out the whole corpus")
    ap.add_argument("--side-input", choices=["full", "slice"], default="full",
                    help="the input of the side-by-side rounds (default: the whole corpus)")
    ap.add_argument("--work", default="/tmp/actorgraph-bench")
    args = ap.parse_args()
    if args.skip_full:
        args.side_input = "slice"
    WORK = args.work
    os.makedirs(WORK, exist_ok=True)
    binary = os.path.abspath(args.binary)
    if os.path.exists(os.path.join(WORK, "results.jsonl")):
        os.remove(os.path.join(WORK, "results.jsonl"))

    log("preparing the corpus ...")
    inputs = prepare(args.corpus, args.slice_articles)
    for name, (path, n, b) in inputs.items():
        log(f"  {name}: {n} articles, {b / 1e6:.1f} MB of text ({path})")
    gaz = os.path.join(WORK, "gazetteer-dump.tsv")
    with open(gaz, "wb") as f:
        subprocess.run([binary, "gazetteer", "dump"], stdout=f, check=True)

    threads = sorted({1, args.threads})
    e = {}
    log("extract ...")
    probes = [second_core()]
    # The thread counts alternate, so that the host's slow minutes fall on both.
    for name in ["slice", "slice10mb"] + ([] if args.skip_full else ["full"]):
        runs = {t: [] for t in threads}
        for i in range(args.repeat):
            for t in threads:
                runs[t].append(extract_run(binary, name, inputs, t, i + 1))
        for t in threads:
            e[(name, t)] = medians(runs[t])
    probes.append(second_core())
    replacing = extract(binary, "slice", inputs, 1, args.repeat, replacing=True)
    # Side by side in rounds: each round runs actorgraph at one thread, its ceiling and
    # every peer once, back to back, so that the ratios compare runs minutes apart at
    # most. Measured as sets, one after the other, actorgraph's slowest set of a session
    # (79-89 MB/s, where the others gave 88-98) met the peers' usual speeds.
    log(f"side by side on {args.side_input}: actorgraph, its ceiling (actorgraph bench) and "
        "the peers, in rounds ...")
    side_path = inputs[args.side_input][0]
    side, ceilings = [], []
    peer_runs = {key: [] for key, _, _ in PEERS}
    # On the whole corpus, actorgraph and pyahocorasick on the slice too, for comparison.
    slice_side, slice_peer = [], []
    for i in range(args.repeat):
        side.append(extract_run(binary, args.side_input, inputs, 1, i + 1))
        # Its own median of --repeat runs each time: a single in-memory run is colder
        # (the ceiling 211-259 MB/s against 233-269 for the median of three, interleaved),
        # and would flatter actorgraph's share of it.
        ceilings.append(bench(binary, side_path, args.repeat))
        if args.peers_python:
            for key, engine, folded in PEERS:
                peer_runs[key].append(peer_run(args.peers_python, engine, gaz,
                                               side_path, i + 1, folded))
            if args.side_input != "slice":
                slice_side.append(extract_run(binary, "slice", inputs, 1, i + 1))
                slice_peer.append(peer_run(args.peers_python, "pyahocorasick", gaz,
                                           inputs["slice"][0], i + 1))
    one_side = medians(side)
    ceiling = bench_medians(ceilings)
    p = {key: peer_medians(runs) for key, runs in peer_runs.items()} if args.peers_python else {}
    # Each round's ratios, actorgraph's run over the tool's run in the same round.
    paired = {"ceiling": [a["mb_per_s"] / c["aho_corasick_ceiling_mb_per_s"]
                          for a, c in zip(side, ceilings)]}
    for key, runs in peer_runs.items():
        if p.get(key):
            paired[key] = [a["mb_per_s"] / r["mb_per_s"] for a, r in zip(side, runs)]
    slice_paired = None
    if slice_peer and all(slice_peer):
        slice_paired = [a["mb_per_s"] / r["mb_per_s"] for a, r in zip(slice_side, slice_peer)]
    big = None
    if args.big_gazetteer:
        log("big gazetteer ...")
        big_bench = bench(binary, inputs["slice"][0], 1, args.big_gazetteer)
        big = {"bench": big_bench,
               "extract": extract(binary, "slice", inputs, 1, args.repeat, args.big_gazetteer)}

    report(args, inputs, threads, e, probes, replacing, one_side, ceiling, p, paired,
           slice_paired, big)


def report(args, inputs, threads, e, probes, replacing, one_side, ceiling, p, paired,
           slice_paired, big):
    n = max(threads)
    one = e[("slice", 1)]
    print(f"\n## actorgraph throughput (median of {args.repeat} runs; "
          f"slice = first {inputs['slice'][1]} articles, {inputs['slice'][2] / 1e6:.1f} MB of text)\n")
    print("| input | threads | MB/s (end to end) | articles/s | batch MB/s | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (name, t), r in e.items():
        print(f"| {name} ({inputs[name][1]} articles, {inputs[name][2] / 1e6:.1f} MB) | {t} | "
              f"{r['mb_per_s']:.1f} | {r['articles_per_s']:.0f} | {r['batch_mb_per_s']:.1f} | "
              f"{r['peak_rss_mb']:.0f} |")
    print(f"\nThe host's second core, probed before and after these runs (two CPU-bound "
          f"processes at once against one alone; 1.00 when it is free): "
          f"{probes[0]:.2f} and {probes[1]:.2f}.")
    print(f"\nEach run above writes into an empty OUTDIR. Over the outputs of a run before it "
          f"(a rerun into the same OUTDIR), the slice at 1 thread ran at "
          f"{replacing['mb_per_s']:.1f} MB/s (against {one['mb_per_s']:.1f}): replacing a file "
          f"unlinks the old one.")
    side_name = "the whole corpus" if args.side_input == "full" else "the slice"
    print(f"\n## One thread, in memory, on {side_name} (`actorgraph bench`, medians of the rounds)\n")
    print("| stage | MB/s |")
    print("| --- | --- |")
    for key, label in [("fold", "fold"), ("aho_corasick_ceiling", "aho-corasick alone (ceiling)"),
                       ("match", "pipeline's matcher"), ("pipeline", "whole pipeline"),
                       ("read", "reading the input"), ("write", "writing the outputs"),
                       ("all_stages", "all stages: read + pipeline + write")]:
        print(f"| {label} | {ceiling[key + '_mb_per_s']:.1f} |")
    # (label, MB/s, key of the rounds' own ratios, if it has them)
    rows = [("actorgraph extract, 1 thread, end to end (in the rounds)", one_side["mb_per_s"], None)]
    if n > 1:
        rows.append((f"actorgraph extract, {n} threads, end to end (the table above)",
                     e[(args.side_input, n)]["mb_per_s"], None))
    rows.append(("aho-corasick crate alone (ceiling, folded text)",
                 ceiling["aho_corasick_ceiling_mb_per_s"], "ceiling"))
    labels = {"pyahocorasick": "pyahocorasick + folding + proclitics",
              "flashtext": "flashtext + folding + proclitics",
              "spacy_phrase": "spaCy PhraseMatcher + folding + proclitics",
              "spacy_entityruler": "spaCy EntityRuler + folding + proclitics",
              "pyahocorasick_raw": "pyahocorasick, no folding, no proclitics"}
    for engine, r in p.items():
        if r:
            rows.append((labels[engine], r["mb_per_s"], engine))
    print(f"\n## Side by side on {side_name} ({args.repeat} rounds, each running actorgraph, "
          "its ceiling and every peer once)\n")
    print("| tool | MB/s, median of the rounds | actorgraph (1 thread) / tool, median of the "
          "rounds' own ratios |")
    print("| --- | --- | --- |")
    for label, mb, key in rows:
        ratio = statistics.median(paired[key]) if key in paired else one_side["mb_per_s"] / mb
        print(f"| {label} | {mb:.2f} | {ratio:.2f}× |")

    print("\nThe same, round by round (actorgraph's run over the tool's run in that round):\n")
    print("| tool | " + " | ".join(f"round {i + 1}" for i in range(args.repeat)) + " | median |")
    print("| --- |" + " --- |" * (args.repeat + 1))
    for key, ratios in paired.items():
        label = labels.get(key, "aho-corasick crate alone (ceiling), its share")
        shown = (lambda r: f"{r:.0%}") if key == "ceiling" else (lambda r: f"{r:.2f}×")
        cells = " | ".join(shown(r) for r in ratios)
        print(f"| {label} | {cells} | {shown(statistics.median(ratios))} |")
    if slice_paired:
        cells = " | ".join(f"{r:.2f}×" for r in slice_paired)
        print(f"| on the slice, for comparison: {labels['pyahocorasick']} | {cells} | "
              f"{statistics.median(slice_paired):.2f}× |")

    # The floors against the peers and the ceiling take the median of the rounds' own
    # ratios: each compares two runs of the same minute.
    print("\n## Floors\n")
    floors = []
    if "pyahocorasick" in paired:
        ratio = statistics.median(paired["pyahocorasick"])
        floors.append((f"1 thread ≥ 2× pyahocorasick (folding + proclitics) on {side_name}, "
                       "median of the rounds",
                       f"{ratio:.2f}×", ratio >= 2))
    if "spacy_phrase" in paired:
        ratio = statistics.median(paired["spacy_phrase"])
        floors.append((f"1 thread ≥ 40× spaCy PhraseMatcher on {side_name}, median of the rounds",
                       f"{ratio:.1f}×", ratio >= 40))
    share = statistics.median(paired["ceiling"])
    floors.append((f"1 thread ≥ 40% of the aho-corasick ceiling on {side_name}, median of the rounds",
                   f"{share:.0%}", share >= 0.4))
    if n > 1:
        for name in ["slice"] + ([] if args.skip_full else ["full"]):
            speedup = e[(name, n)]["mb_per_s"] / e[(name, 1)]["mb_per_s"]
            floors.append((f"{n} threads ≥ 1.7× 1 thread ({name})",
                           f"{speedup:.2f}× (second core probed at {probes[0]:.2f} and "
                           f"{probes[1]:.2f})", speedup >= 1.7))
    rss = max(r["peak_rss_mb"] for r in e.values())
    floors.append(("peak RSS ≤ 200 MB", f"{rss:.0f} MB", rss <= 200))
    if not args.skip_full:
        for t in threads:
            small, whole = e[("slice10mb", t)]["peak_rss_mb"], e[("full", t)]["peak_rss_mb"]
            floors.append((f"RSS within 20%, 10 MB slice vs whole corpus ({t} thread(s))",
                           f"{small:.0f} → {whole:.0f} MB ({whole / small - 1:+.0%})",
                           abs(whole / small - 1) <= 0.2))
    if big:
        b = big["bench"]
        load = b["gazetteer_load_s"] + b["gazetteer_compile_s"]
        floors.append((f"1,000,000-surface gazetteer loads and compiles in ≤ 3 s ({b['surfaces']} folded surfaces)",
                       f"{b['gazetteer_load_s']:.1f} s load + {b['gazetteer_compile_s']:.1f} s compile",
                       load <= 3))
        ratio = big["extract"]["batch_mb_per_s"] / one["batch_mb_per_s"]
        floors.append(("with it, the pipeline runs at ≥ 50% of its speed",
                       f"{big['extract']['batch_mb_per_s']:.1f} vs {one['batch_mb_per_s']:.1f} MB/s ({ratio:.0%})",
                       ratio >= 0.5))
    print("| floor | measured | holds |")
    print("| --- | --- | --- |")
    for label, measured, holds in floors:
        print(f"| {label} | {measured} | {'yes' if holds else 'NO'} |")


if __name__ == "__main__":
    main()
