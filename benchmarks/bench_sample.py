"""Benchmark: the sample bulletin and statistics against importing the libraries they use.

Run: ``python3 benchmarks/bench_sample.py [--repeat N] [--target RATIO]``

In one run, interleaved so that a busy machine slows every command alike, it times
(each as a fresh process, as a user runs it):

* the baseline: ``python3 -c "import pandas, reportlab, openpyxl"``;
* ``case-tracker bulletin --sample --period 2018-H1 -o FILE.pdf``;
* ``case-tracker stats --sample --period 2018-H1``;

and prints each command's best and median time and its ratio to the baseline (best to
best: other processes on a shared machine only ever add time).  It then times the phases of
the bulletin command in one process (imports, reading the shipped sample, statistics,
fonts, rendering) and, for reference, generating the sample anew instead of reading it.
Exits 1 when a command's ratio exceeds the target (2 by default).

Before timing, it compiles case_tracker's bytecode, which an installed package has (pip
compiles it at install, as it did pandas', ReportLab's and openpyxl's, which the baseline
imports from bytecode): a checkout run with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise
compile case_tracker's modules from source on every run (0.1-0.2 s on the 2-core machine),
a cost no user pays.  ``--without-bytecode`` times that case instead (it removes
case_tracker's ``__pycache__`` folders and runs the commands with
``PYTHONDONTWRITEBYTECODE=1``).  The untimed first run of each command warms the file
cache and, for the bulletin, the per-user font metrics cache, as a user's first run does.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PERIOD = "2018-H1"


def phases() -> None:
    """Time the bulletin command's phases in this process (run in a fresh one), with the
    garbage collector set as the command line sets it."""
    from case_tracker.cli import fewer_collections

    with fewer_collections():
        _phases()


def _phases() -> None:
    marks = [("start", time.perf_counter())]

    def mark(label: str) -> None:
        marks.append((label, time.perf_counter()))

    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import reportlab  # noqa: F401

    mark("import pandas, reportlab, openpyxl")
    from case_tracker.bulletin import render
    from case_tracker.bulletin.fonts import register
    from case_tracker.sample.shipped import sample_dataset
    from case_tracker.stats.bulletin import build_bulletin_data
    from case_tracker.stats.period import parse_period
    from case_tracker.stats.sources import DatasetSource

    mark("import case_tracker (statistics, PDF)")
    source = DatasetSource(sample_dataset(), "sample")
    mark("read the shipped sample")
    stats = source.statistics(parse_period(PERIOD), None)
    mark("statistics")
    data = build_bulletin_data(stats)
    fonts = register()
    mark("bulletin data and fonts")
    render(data, fonts=fonts)
    mark("render the PDF")
    from case_tracker.sample.generator import generate_rows

    generate_rows()
    mark("(generating the sample anew, for reference)")
    for (_, before), (label, after) in itertools.pairwise(marks):
        print(f"  {label:45} {after - before:6.3f} s")


def _time(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _package_dir() -> Path:
    import case_tracker

    return Path(case_tracker.__file__).resolve().parent


def prepare_bytecode(with_bytecode: bool) -> dict[str, str]:
    """Compile case_tracker's bytecode (or remove it); the environment to run commands in."""
    package = _package_dir()
    env = dict(os.environ)
    if with_bytecode:
        compileall.compile_dir(package, quiet=1)
    else:
        for folder in package.rglob("__pycache__"):
            shutil.rmtree(folder)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command")
    parser.add_argument("--target", type=float, default=2.0, help="ratio to the baseline")
    parser.add_argument(
        "--without-bytecode",
        action="store_true",
        help="time case_tracker compiled from source on every run (see above)",
    )
    parser.add_argument("--phases", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases:
        phases()
        return 0

    env = prepare_bytecode(not args.without_bytecode)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench_sample_") as folder:
        pdf = str(Path(folder) / "bulletin.pdf")
        commands = {
            "import pandas, reportlab, openpyxl": [
                python,
                "-c",
                "import pandas, reportlab, openpyxl",
            ],
            f"bulletin --sample --period {PERIOD}": [
                *(python, "-m", "case_tracker.cli", "bulletin", "--sample"),
                *("--period", PERIOD, "-o", pdf),
            ],
            f"stats --sample --period {PERIOD}": [
                *(python, "-m", "case_tracker.cli", "stats", "--sample", "--period", PERIOD),
            ],
        }
        for command in commands.values():  # warm the file cache: the first run reads from disk
            _time(command, env)
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.repeat):
            for label, command in commands.items():
                times[label].append(_time(command, env))

    baseline_label = next(iter(commands))
    baseline = min(times[baseline_label])
    bytecode = "from source" if args.without_bytecode else "from bytecode"
    print(
        f"{args.repeat} runs each, interleaved; best and median wall time of a fresh process "
        f"(case_tracker {bytecode})"
    )
    failed = []
    for label, values in times.items():
        ratio = min(values) / baseline
        note = "" if label == baseline_label else f"  {ratio:4.2f}× the baseline"
        median = statistics.median(values)
        print(f"  {label:45} {min(values):6.3f} s  (median {median:.3f} s){note}")
        if label != baseline_label and ratio > args.target:
            failed.append(label)

    print("\nphases of the bulletin command, in one process:")
    sys.stdout.flush()
    subprocess.run([python, __file__, "--phases"], check=True, env=env)

    if failed:
        print(f"\nFAIL: above {args.target}× the baseline: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"\nOK: every command within {args.target}× the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
