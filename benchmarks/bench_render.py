"""Benchmark: how long ``render(BulletinData) -> bytes`` takes for a full half-year bulletin.

Run: ``python3 benchmarks/bench_render.py [--repeat N] [--budget SECONDS]``

Prints the one-time font loading (parsing the CJK TrueType files, once per
process), the first render and the steady-state render (min and median of N),
using the realistic hand-made bulletin of :mod:`case_tracker.bulletin.example`
(all seven sections, 23-row category table, two charts, 7 pages).  Exits 1 when
the best steady-state render exceeds the budget (1 s by default): the minimum
is reported because other processes on a shared machine only ever add time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per render")
    args = parser.parse_args(argv)

    import reportlab

    from case_tracker.bulletin import render
    from case_tracker.bulletin.example import example
    from case_tracker.bulletin.fonts import register

    data = example()
    start = time.perf_counter()
    fonts = register()
    font_time = time.perf_counter() - start

    start = time.perf_counter()
    pdf = render(data, fonts=fonts)
    first = time.perf_counter() - start

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        render(data, fonts=fonts)
        times.append(time.perf_counter() - start)

    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    print(f"reportlab {reportlab.Version}; {fonts.body.describe()}; {fonts.heading.describe()}")
    print(f"bulletin: {pages} pages, {len(pdf) / 1024:.0f} KB")
    print(f"font loading (once per process): {font_time:.3f} s")
    print(f"first render:                    {first:.3f} s")
    print(
        f"render ({args.repeat} runs):              min {min(times):.3f} s, "
        f"median {statistics.median(times):.3f} s"
    )
    if min(times) > args.budget:
        print(f"FAIL: render takes more than {args.budget} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
