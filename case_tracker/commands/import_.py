"""``case-tracker import``: load registers (.xlsx/.csv) into a running Odoo over RPC.

``--template OUT.xlsx`` writes the empty import template (one sheet per kind,
Chinese headers, a sheet explaining every column and accepted value).

Nothing is dropped without a word: every rejected row, every file that cannot be
read and every column that is not read (a header the importer does not know, a
repeated header, values under no header) is printed and written to --report.  An
ignored column is a warning: the rows go in without it, unless --strict.

Exit codes: 0 every row went in (created, updated or unchanged); 1 some rows
were rejected (see the report); 2 usage, file, connection or server error (a
file that cannot be read stops the command before it logs in; after a lost
connection, running the same command again resumes the import); 3 refused as a
whole by --strict because some rows are bad or some columns are not read
(nothing was written); 130 interrupted.  A dry run exits as the import would.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from case_tracker.importer.client import (
    DEFAULT_BATCH,
    DEFAULT_JOBS,
    ReadWhileSending,
    Summary,
    send,
    total_records,
)
from case_tracker.importer.register import (
    COLUMN,
    LEVELS,
    Issue,
    Register,
    build_register,
    read_files,
)
from case_tracker.importer.report import write_report
from case_tracker.rpc import (
    ConnectionError_,
    ConnectionLost,
    add_connection_arguments,
    connect,
    password_from_env_or_prompt,
    server_domain,
)

SHOWN = 30  # issues printed on the terminal; the report has them all


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="批量导入台账 / bulk-import registers into Odoo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=".xlsx or .csv files")
    parser.add_argument(
        "--template",
        type=Path,
        metavar="OUT.xlsx",
        help="write the empty import template and exit / 生成空白导入模板",
    )
    add_connection_arguments(parser)
    parser.add_argument("--dry-run", action="store_true", help="validate only / 只校验不导入")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="import nothing if any row is bad / 有错误行则全部不导入",
    )
    parser.add_argument("--report", type=Path, help="write the error report (.csv or .xlsx)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument(
        "--jobs",
        type=int,
        default=DEFAULT_JOBS,
        help=(
            f"batches sent at a time (default {DEFAULT_JOBS}; 1 sends one after the other)"
            " / 同时发送的批次数"
        ),
    )
    parser.set_defaults(func=run)


def _progress_bar(total: int):
    from tqdm import tqdm

    if sys.stderr.isatty():
        bar = tqdm(total=total, unit="行", desc="导入 import", file=sys.stderr)
        return lambda kind, n: bar.update(n), bar.close
    done = {"n": 0}

    def plain(kind: str, n: int) -> None:
        done["n"] += n
        print(f"{kind}: {done['n']}/{total}", file=sys.stderr, flush=True)

    return plain, lambda: None


def _show(issues: list[Issue]) -> None:
    for issue in issues[:SHOWN]:
        print(f"{LEVELS[COLUMN]}: {issue}" if issue.level == COLUMN else issue, file=sys.stderr)
    if len(issues) > SHOWN:
        print(f"... {len(issues) - SHOWN} more / 另有{len(issues) - SHOWN}条", file=sys.stderr)


def _ignored(count: int, zh: str) -> str:
    """The ignored-column part of a summary line (empty when every column was read)."""
    if not count:
        return ""
    return f"{zh}{count} 列未导入 column{'s' if count > 1 else ''} ignored"


#: When to run the command again, by why it stopped.
AGAIN = {
    "lost": ("待服务器恢复后", "Once the server is back, run"),
    "error": ("排除原因后", "Once the cause is fixed, run"),
    "interrupted": ("", "Run"),
}


def _resume_hint(done: int, total: int, why: str) -> str:
    """Where a stopped import stands, and that the same command resumes it."""
    zh, en = AGAIN[why]
    return (
        f"已发送 {done}/{total} 条，已提交的批次保留在服务器上；{zh}再次运行同一命令即可继续导入"
        "（按编号更新，不会重复）。\n"
        f"{done} of {total} records were sent and the batches committed stay on the server. "
        f"{en} the same command again to resume: rows are upserted by their business keys, "
        "nothing is duplicated."
    )


def run(args: argparse.Namespace) -> int:
    if args.template:
        from case_tracker.importer.template import write_template

        print(write_template(args.template))
        return 0
    if not args.paths:
        print("error: no files to import / 未指定导入文件", file=sys.stderr)
        return 2
    if not args.dry_run and not (args.url and args.db and args.user):
        print(
            "error: --url, --db and --user are needed to import (or --dry-run) / "
            "导入需指定服务器（或用 --dry-run 只校验）",
            file=sys.stderr,
        )
        return 2
    # Files first, before logging in: a file that cannot be read stops everything.
    tables, file_errors = read_files(args.paths)
    if file_errors:
        for issue in file_errors:
            print(f"error: {issue}", file=sys.stderr)
        if args.report:
            write_report(file_errors, args.report)
        print("文件无法读取，未导入任何数据 / nothing imported", file=sys.stderr)
        return 2
    connections = []
    if not args.dry_run:
        # The values are read with the server's own lists (a dry run validates offline,
        # with this machine's definition).
        try:
            password = password_from_env_or_prompt(args.user)
            connection = connect(args.url, args.db, args.user, password)
            # The jobs share one login: every call is an HTTP request of its own, and Odoo
            # checks a password with PBKDF2 at each login (0.4 s of the server's time here).
            connections = [connection] * max(args.jobs, 1)
            server_domain(connection)
        except ConnectionError_ as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if not (args.dry_run or args.strict):
        # Nothing to decide before sending: each kind goes while the next one is read.
        return _send(args, connections, ReadWhileSending(tables))
    register = build_register(tables)
    _validated(args, register)
    if args.strict and register.issues:
        print(
            "--strict: 存在错误行或未导入的列，整批拒绝，未导入任何数据 / "
            "bad rows or ignored columns: refused as a whole, nothing imported",
            file=sys.stderr,
        )
        return 3
    if args.dry_run:
        return 1 if register.errors else 0
    return _send(args, connections, register)


def _validated(args: argparse.Namespace, register: Register) -> None:
    """What reading the files found: its issues, the report, the count of valid rows."""
    _show(register.issues)
    if args.report:
        write_report(register.issues, args.report)
    ignored = len(register.ignored_columns)
    print(
        f"校验 validated: {register.count()} 行有效 valid, {register.rejected} 行有误 rejected"
        + _ignored(ignored, ", ")
    )


def _send(args: argparse.Namespace, connections: list, source: Register | ReadWhileSending) -> int:
    """Send a register, or one still being read (its rows count in the progress as they are
    checked, its issues are shown once it is whole)."""
    reading = source if isinstance(source, ReadWhileSending) else None
    register = reading.register if reading else source
    tables = reading.tables if reading else []
    total = sum(len(table.rows) for table in tables) if reading else total_records(register)
    update, close = _progress_bar(total)
    sent = [0]

    def progress(kind: str, n: int) -> None:
        sent[0] += n
        update(kind, n)

    def ready(kind: str) -> None:
        reading.ready(kind)
        rows = sum(len(table.rows) for table in reading.tables if table.kind.key == kind)
        if rows > len(register.records[kind]):  # rejected rows: done with, not sent
            update(kind, rows - len(register.records[kind]))

    try:
        summary: Summary = send(
            connections,
            register,
            batch_size=args.batch_size,
            progress=progress,
            ready=ready if reading else None,
            files=sorted({Path(table.file).name for table in tables}) if reading else None,
        )
    except ConnectionError_ as exc:  # lost, or the server answered with an error
        close()
        if reading:
            _validated(args, reading.whole())
        print(f"error: {exc}", file=sys.stderr)
        why = "lost" if isinstance(exc, ConnectionLost) else "error"
        print(_resume_hint(sent[0], total, why), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        close()
        print("interrupted / 已中断", file=sys.stderr)
        print(_resume_hint(sent[0], total, "interrupted"), file=sys.stderr)
        return 130
    close()
    if reading:
        _validated(args, reading.whole())
    if args.report:
        write_report(summary.issues, args.report)
    _show(summary.issues[len(register.issues) :])
    counts = summary.counts
    print(
        f"新建 created {counts['created']}，更新 updated {counts['updated']}，"
        f"未变 unchanged {counts['unchanged']}，拒绝 rejected {summary.rejected}"
        f"{_ignored(len(register.ignored_columns), '，')}；"
        f"{summary.rate():.0f} 条/秒 records/s"
    )
    return 1 if summary.rejected else 0
