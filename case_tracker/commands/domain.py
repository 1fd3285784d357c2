"""``case-tracker domain``: print the domain core's lists, as the add-on loads them.

Each list is followed by its spellings that are refused as ambiguous (e.g. 开除:
开除党籍 or 政务开除); ``case-tracker domain ambiguous`` lists them all.
"""

from __future__ import annotations

import argparse
import json

from case_tracker.domain import Domain, load

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
#: Not a list of entries: the spellings refused as ambiguous, of every list.
AMBIGUOUS = "ambiguous"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "domain",
        help="列出分类、级别、评价等次、处理结果等基础数据 / print the domain core's lists",
    )
    parser.add_argument("kind", choices=(*LISTS, AMBIGUOUS), nargs="?", default="outcomes")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def ambiguous_lines(domain: Domain, kind: str | None = None) -> list[str]:
    """One line per spelling refused as ambiguous: the spelling and what it may mean."""
    return [
        f"{a.spelling} → "
        + " | ".join(f"{domain.get(a.kind, c).name} ({c})" for c in a.candidates)
        + ("" if kind else f"  [{a.kind}]")
        for a in (domain.ambiguous_spellings(kind) if kind else domain.ambiguous)
    ]


def run(args: argparse.Namespace) -> int:
    domain = load()
    if args.kind == AMBIGUOUS:
        if args.json:
            rows = [
                {"list": a.kind, "spelling": a.spelling, "candidates": list(a.candidates)}
                for a in domain.ambiguous
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            print("\n".join(ambiguous_lines(domain)))
        return 0
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
    refused = ambiguous_lines(domain, args.kind)
    if refused:
        print(f"\n{AMBIGUOUS_TITLE}")
        for line in refused:
            print(f"  {line}")
    return 0


AMBIGUOUS_TITLE = (
    "有多种含义、不予导入的写法（请写全称）/ refused as ambiguous (write the full name):"
)
