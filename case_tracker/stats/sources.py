"""Where statistics come from: the bundled sample, exported files, or a live Odoo.

Each source answers ``statistics(period, unit)`` with the same typed contract
(:class:`case_tracker.stats.contract.Statistics`), so the CLI, the bulletin and the
tests do not care which it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Protocol

from case_tracker.errors import UserFacingError
from case_tracker.rpc import (
    Connection,
    ConnectionError_,
    add_connection_arguments,
    connect,
    server_domain,
)
from case_tracker.stats.contract import Statistics
from case_tracker.stats.dataset import Dataset, UnknownUnitError
from case_tracker.stats.engine import statistics
from case_tracker.stats.period import Period, parse_period


class Source(Protocol):
    def statistics(self, period: Period, unit: str | None = None) -> Statistics: ...


class DatasetSource:
    """The file backend: figures computed with pandas on an in-memory register."""

    def __init__(self, dataset: Dataset, label: str) -> None:
        self.dataset = dataset
        self.label = label

    def statistics(self, period: Period, unit: str | None = None) -> Statistics:
        try:
            return statistics(self.dataset, period, unit)
        except UnknownUnitError as exc:
            message = f"{self.label}: 没有单位编码 {unit} / no unit with code {unit}"
            raise SourceError(message) from exc


class SourceError(UserFacingError):
    """The source cannot answer (bad connection, unknown unit, server refusal)."""


class OdooSource:
    """The live backend: one RPC call; the server aggregates with the caller's access rights."""

    def __init__(self, connection: Connection, label: str) -> None:
        self.connection = connection
        self.label = label

    def statistics(self, period: Period, unit: str | None = None) -> Statistics:
        try:
            answer = self.connection.call(
                "di.statistics", "compute_statistics", period.label, unit or False
            )
        except Exception as exc:  # odoorpc raises RPCError with the server's message
            raise SourceError(f"服务器拒绝 / the server refused: {exc}") from exc
        try:
            return Statistics.from_dict(answer)
        except ValueError as exc:
            raise SourceError(
                f"{self.label}: 服务器的统计结果无法读取 / unreadable: {exc}"
            ) from exc


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``stats`` and ``bulletin``."""
    parser.add_argument(
        "--period",
        required=True,
        type=_period_argument,
        help="2018-H1, 2018-Q3, 2018-06, 2018 or 2018-01-01..2018-03-31 / 统计期间",
    )
    parser.add_argument("--unit", help="unit code: the unit and its sub-units / 单位编码")
    add_data_arguments(parser)


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the registers come from: --sample, --file PATH..., or --url/--db/--user."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--sample", action="store_true", help="the bundled sample city / 示例数据")
    group.add_argument(
        "--file",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="exported register files (.xlsx or .csv, the import template's format) / 台账文件",
    )
    add_connection_arguments(parser, url_group=group)


def _period_argument(text: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as exc:  # argparse prints this message with the option's name
        raise argparse.ArgumentTypeError(str(exc)) from exc


def open_source(args: argparse.Namespace) -> Source:
    if args.sample:
        from case_tracker.sample.shipped import sample_dataset

        return DatasetSource(sample_dataset(), "sample")
    if args.file:
        return file_source(args.file)
    if not (args.db and args.user):
        raise SourceError("--url needs --db and --user / 连接Odoo需指定 --db 和 --user")
    try:
        connection = connect(args.url, args.db, args.user)
        server_domain(connection)
    except ConnectionError_ as exc:
        raise SourceError(str(exc)) from exc
    return OdooSource(connection, f"{args.url} {args.db}")


def file_source(paths: list[Path]) -> DatasetSource:
    """Statistics from register files, read by the importer's own reader (one parser)."""
    from case_tracker.importer.register import read_register

    register = read_register(paths)
    if register.file_errors:  # figures without one of the files would be silently wrong
        reasons = "; ".join(str(issue) for issue in register.file_errors)
        raise SourceError(f"台账文件无法读取 / cannot read a register file: {reasons}")
    if not register.count():
        reasons = "; ".join(str(issue) for issue in register.issues[:5])
        raise SourceError(f"没有可读的台账记录 / no readable register rows: {reasons}")
    for issue in register.issues[:20]:
        print(f"warning: {issue}", file=sys.stderr)
    if len(register.issues) > 20:
        print(f"warning: {len(register.issues) - 20} more rows rejected", file=sys.stderr)
    label = ", ".join(p.name for p in paths)
    return DatasetSource(Dataset.from_rows(register.rows), label)
