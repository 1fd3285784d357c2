"""The ``case-tracker`` command line: one entry point, one module per subcommand.

Each module in :data:`COMMANDS` defines ``register(subparsers)``, which adds
its parser and sets ``func`` (called with the parsed arguments; its return
value is the exit code).  Modules are imported only when listed, so a missing
optional dependency in one command cannot break the others.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from case_tracker import __version__
from case_tracker.errors import UserFacingError

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "case_tracker.commands.stats",
    "case_tracker.commands.bulletin",
    "case_tracker.commands.notice",
    "case_tracker.commands.sample",
    "case_tracker.commands.import_",
    "case_tracker.commands.domain",
    "case_tracker.commands.verify",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="case-tracker",
        description="正风肃纪监督检查台账：统计通报、整改通知书、批量导入、通报核验 — "
        "discipline-inspection case tracking: bulletins, rectification notices, bulk import, "
        "bulletin verification",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted / 已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
