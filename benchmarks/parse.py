"""Parse throughput: hotwash.parse_pack against the bare Markdown parsers.

Over the same in-memory corpus (benchmarks/corpus.py, 2,000 packs by default),
in interleaved rounds (order rotated each round):

    hotwash       hotwash.core.parse.parse_pack(text): front matter, pyromark events,
                  section reading and pydantic validation into a Review
    pyromark      list(pyromark.events_with_range(text, options=ENABLE_TABLES)):
                  the pull parser alone, every event materialised
    markdown-it   MarkdownIt("commonmark").enable("table").parse(text): the token
                  stream of the pure-Python parser (parser object built once)

Prints best and median seconds per pass, microseconds per document, the ratios
hotwash/pyromark and markdown-it/hotwash, peak memory, and a cProfile of one
hotwash pass (top 15 by cumulative time, then top 10 by own time).

    python benchmarks/parse.py [--n 2000] [--rounds 5] [--seed 0] [--max-bytes N]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # benchmarks/corpus.py, found through the line above


def make_runners() -> dict[str, Callable[[list[str]], None]]:
    import pyromark
    from markdown_it import MarkdownIt

    from hotwash.core.parse import parse_pack

    options = pyromark.Options.ENABLE_TABLES
    md = MarkdownIt("commonmark").enable("table")

    def run_hotwash(texts: list[str]) -> None:
        for text in texts:
            parse_pack(text)

    def run_pyromark(texts: list[str]) -> None:
        for text in texts:
            list(pyromark.events_with_range(text, options=options))

    def run_markdown_it(texts: list[str]) -> None:
        for text in texts:
            md.parse(text)

    return {"hotwash": run_hotwash, "pyromark": run_pyromark, "markdown-it": run_markdown_it}


def timed(fn: Callable[[list[str]], None], texts: list[str]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn(texts)
    return time.perf_counter() - t0


def peak_memory(fn: Callable[[list[str]], None], texts: list[str]) -> int:
    """Peak bytes allocated through Python's allocators during one pass (results dropped)."""
    gc.collect()
    tracemalloc.start()
    fn(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def retained_reviews(texts: list[str]) -> int:
    """Bytes still allocated while all parsed Reviews are held in a list."""
    from hotwash.core.parse import parse_pack

    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    reviews = [parse_pack(t) for t in texts]
    gc.collect()
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del reviews
    return after - before


def _where(key: tuple[str, int, str]) -> str:
    filename, line, func = key
    if filename == "~":  # a built-in
        return func
    for marker in ("site-packages/", "/src/", "/lib/python3."):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            if marker.startswith("/lib/"):
                filename = "stdlib/" + filename.split("/", 1)[1]
            break
    return f"{filename}:{line}({func})"


def print_profile(fn: Callable[[list[str]], None], texts: list[str]) -> None:
    prof = cProfile.Profile()
    gc.collect()
    t0 = time.perf_counter()
    prof.enable()
    fn(texts)
    prof.disable()
    total = time.perf_counter() - t0
    stats: dict[Any, Any] = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    here = os.path.abspath(__file__)
    rows = [
        (key, nc, tt, ct)
        for key, (_cc, nc, tt, ct, _callers) in stats.items()
        if key[0] != here and "_lsprof.Profiler" not in key[2]
    ]
    n = len(texts)

    def show(title: str, ordered: list[Any], count: int) -> None:
        print(title)
        print(
            f"  {'ncalls':>9} {'tottime':>8} {'cumtime':>8} {'cum %':>6} {'cum us/doc':>10}  "
            "function"
        )
        for key, nc, tt, ct in ordered[:count]:
            print(
                f"  {nc:>9} {tt:>8.3f} {ct:>8.3f} {100 * ct / total:>5.1f}% "
                f"{1e6 * ct / n:>10.1f}  {_where(key)}"
            )

    print(
        f"\ncProfile of one hotwash pass over {n} packs: {total:.2f} s under the profiler "
        "(cum % is of that)"
    )
    show("top 15 by cumulative time:", sorted(rows, key=lambda r: -r[3]), 15)
    show("top 10 by own time:", sorted(rows, key=lambda r: -r[2]), 10)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-bytes", type=int, default=None, help="cap pack size (see corpus.py)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    texts = corpus.generate(args.n, args.seed, max_bytes=args.max_bytes)
    sizes = [len(t.encode("utf-8")) for t in texts]
    megabytes = sum(sizes) / 1e6
    print(
        f"corpus: {args.n} packs (seed {args.seed}), made in {time.perf_counter() - t0:.1f} s; "
        f"{megabytes:.2f} MB, mean {statistics.mean(sizes) / 1024:.1f} KiB, "
        f"median {statistics.median(sizes) / 1024:.1f} KiB per pack"
    )

    runners = make_runners()
    names = list(runners)
    for fn in runners.values():  # warm-up: imports, caches, first-call costs
        fn(texts[:100])

    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(args.rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(timed(runners[name], texts))
    print(f"rounds: {args.rounds}, interleaved; times are one pass over all {args.n} packs\n")

    print(f"{'parser':<12} {'best s':>8} {'median s':>9} {'us/doc':>8} {'MB/s':>7}")
    best = {name: min(t) for name, t in times.items()}
    med = {name: statistics.median(t) for name, t in times.items()}
    for name in names:
        print(
            f"{name:<12} {best[name]:>8.3f} {med[name]:>9.3f} "
            f"{1e6 * med[name] / args.n:>8.1f} {megabytes / med[name]:>7.1f}"
        )
    print("(us/doc and MB/s from the median)\n")
    print(
        f"hotwash / pyromark alone:  {med['hotwash'] / med['pyromark']:6.1f}x (median), "
        f"{best['hotwash'] / best['pyromark']:.1f}x (best)"
    )
    print(
        f"markdown-it / hotwash:     {med['markdown-it'] / med['hotwash']:6.2f}x (median), "
        f"{best['markdown-it'] / best['hotwash']:.2f}x (best)"
    )

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"\nprocess peak RSS after the timed rounds (getrusage): {rss / 1024:.1f} MiB")
    print("peak memory (tracemalloc: Python allocations, one pass, results dropped):")
    for name in names:
        print(f"  {name:<12} {peak_memory(runners[name], texts) / 2**20:8.1f} MiB")
    held = retained_reviews(texts)
    print(
        f"  holding all {args.n} parsed Reviews: {held / 2**20:.1f} MiB "
        f"({held / args.n / 1024:.1f} KiB each)"
    )

    print_profile(runners["hotwash"], texts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
