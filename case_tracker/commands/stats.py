"""``case-tracker stats``: the bulletin figures for a period and scope, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from case_tracker.figures import FIGURES
from case_tracker.stats.sources import add_source_arguments, open_source


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats", help="统计数据 / compute the bulletin figures for a period"
    )
    add_source_arguments(parser)
    parser.add_argument("--json", action="store_true", help="JSON with stable keys")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = open_source(args).statistics(args.period, args.unit)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    comparisons = result["comparisons"]
    scope = result["scope"]["name"] or "全部单位"
    print(
        f"{result['period']['title']}（{result['period']['start']}—{result['period']['end']}）{scope}"
    )
    header = f"{'指标 / figure':<36}{'本期':>8}{'上期':>8}{'去年同期':>10}{'本年累计':>10}"
    print(header)
    for figure in FIGURES:
        values = [
            result["figures"][figure.key],
            comparisons["previous"][figure.key],
            comparisons["last_year"][figure.key],
            comparisons["year_to_date"][figure.key],
        ]
        label = f"{figure.label}（{figure.unit}）"
        print(f"{label:<36}{values[0]:>8}{values[1]:>8}{values[2]:>10}{values[3]:>10}")
    return 0
