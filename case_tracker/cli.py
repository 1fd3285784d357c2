"""The ``case-tracker`` command line: one entry point, one module per subcommand.

Each module in :data:`COMMANDS` defines ``register(subparsers)``, which adds
its parser and sets ``func`` (called with the parsed arguments; its return
value is the exit code).  Modules are imported only when listed, so a missing
optional dependency in one command cannot break the others, and a command line
that names its command imports that command's module alone: ``bulletin`` does
not pay for the importer's or the RPC client's imports.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from case_tracker import __version__
from case_tracker.errors import UserFacingError

#: Subcommand names and their modules, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "stats": "case_tracker.commands.stats",
    "bulletin": "case_tracker.commands.bulletin",
    "notice": "case_tracker.commands.notice",
    "sample": "case_tracker.commands.sample",
    "import": "case_tracker.commands.import_",
    "domain": "case_tracker.commands.domain",
    "verify": "case_tracker.commands.verify",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with ``command``'s alone (a known name)."""
    parser = argparse.ArgumentParser(
        prog="case-tracker",
        description="正风肃纪监督检查台账：统计通报、整改通知书、批量导入、通报核验 — "
        "discipline-inspection case tracking: bulletins, rectification notices, bulk import, "
        "bulletin verification",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(module).register(subparsers)
    return parser


def named_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, if it is one (the top level has options only before it)."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(named_command(argv))
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
