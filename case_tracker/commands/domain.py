"""``case-tracker domain``: print the domain core's lists, as the add-on loads them."""

from __future__ import annotations

import argparse
import json

from case_tracker.domain import load

LISTS = (
    "category_lists",
    "categories",
    "ranks",
    "grades",
    "followups",
    "outcomes",
    "inspection_methods",
    "rectification_states",
    "exposure_channels",
    "unit_kinds",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "domain",
        help="列出分类、级别、评价等次、处理结果等基础数据 / print the domain core's lists",
    )
    parser.add_argument("kind", choices=LISTS, nargs="?", default="outcomes")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    domain = load()
    entries = getattr(domain, args.kind)
    if args.json:
        rows = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(e).items()}
            for e in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=list))
        return 0
    for entry in entries:
        extra = ""
        if args.kind == "outcomes":
            extra = f"  第{entry.form}种形态" + ("  党纪政务处分" if entry.sanction else "")
        elif args.kind == "grades" and entry.poor:
            extra = "  （差评）"
        print(f"{entry.code:24} {entry.name}{extra}")
    return 0
