"""``case-tracker stats``: the bulletin figures for a period and scope, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from case_tracker.errors import UserFacingError
from case_tracker.figures import FIGURES
from case_tracker.stats.sources import add_source_arguments, open_source


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats", help="统计数据 / compute the bulletin figures for a period"
    )
    add_source_arguments(parser)
    parser.add_argument("--json", action="store_true", help="JSON with stable keys")
    parser.add_argument(
        "--xlsx",
        type=Path,
        metavar="OUT.xlsx",
        help="also write the tables as an Excel workbook / 同时输出统计表",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = open_source(args).statistics(args.period, args.unit)
    if args.xlsx:
        from case_tracker.stats.workbook import write_workbook

        try:
            args.xlsx.write_bytes(write_workbook(result))
        except OSError as exc:
            raise UserFacingError(f"{args.xlsx}: 无法写入 / cannot write: {exc}") from exc
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    comparisons = result.comparisons
    period, scope = result.period, result.scope.name or "全部单位"
    until = "" if period.ended else f"，截至{period.as_of.isoformat()}"
    print(f"{period.title}（{period.start.isoformat()}—{period.end.isoformat()}{until}）{scope}")
    label_width = max(_width(f.table_label) for f in FIGURES) + 2
    columns = ("本期", "上期", "去年同期", "本年累计")
    print(_pad("指标 / figure", label_width) + "".join(_pad(c, 10, right=True) for c in columns))
    for figure in FIGURES:
        values = [
            result.figures[figure.key],
            comparisons["previous"][figure.key],
            comparisons["last_year"][figure.key],
            comparisons["year_to_date"][figure.key],
        ]
        print(
            _pad(figure.table_label, label_width)
            + "".join(_pad(str(v), 10, right=True) for v in values)
        )
    return 0


def _width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - _width(text), 0)
    return fill + text if right else text + fill
