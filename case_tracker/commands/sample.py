"""``case-tracker sample``: the bundled sample city, written as import files."""

from __future__ import annotations

import argparse
from pathlib import Path

from case_tracker.export import dataset_records, write_register


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sample", help="导出示例数据 / write the bundled sample as import files"
    )
    parser.add_argument("--export", required=True, type=Path, metavar="DIR", help="output folder")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from case_tracker.sample.shipped import sample_dataset

    records = dataset_records(sample_dataset())
    target = args.export / "sample_register.xlsx" if args.format == "xlsx" else args.export
    for path in write_register(records, target, args.format):
        print(path)
    return 0
