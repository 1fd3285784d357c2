"""``case-tracker notice``: the 整改通知书 of one inspection, as a PDF.

The inspection comes from the bundled sample, from register files, or from a
live Odoo; an unknown reference or an inspection that found no problem is a
clear error (exit 2).  The PDF is written atomically, like the bulletin.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from case_tracker.commands.bulletin import _check_directory, _iso_date, _write_atomically
from case_tracker.stats.sources import add_data_arguments


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notice",
        help="生成整改通知书 PDF / render the rectification notice of an inspection",
        description="生成某次监督检查的整改通知书（PDF，公文格式，字体全部嵌入）— "
        "render the rectification notice (整改通知书) of one inspection.",
    )
    parser.add_argument(
        "--inspection", required=True, metavar="REF", help="inspection reference / 检查编号"
    )
    add_data_arguments(parser)
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.pdf", help="PDF to write"
    )
    parser.add_argument(
        "--number", default="", help="document number, e.g. 甬纪督〔2018〕3号 / 发文字号"
    )
    parser.add_argument(
        "--date", type=_iso_date, help="date of issue, YYYY-MM-DD (default: today) / 成文日期"
    )
    parser.add_argument(
        "--contact",
        default="",
        help="contact person and telephone (default: the team leader) / 联系人及电话",
    )
    parser.add_argument("--cc", default="", help="copied to (版记 抄送) / 抄送机关")
    parser.add_argument(
        "--issuer", default="", help="issuing body (default: the unit's commission) / 发文机关"
    )
    parser.set_defaults(func=run)


def inspection_record(args: argparse.Namespace) -> dict:
    """The inspection's record from the chosen source (see case_tracker.notice.data)."""
    from case_tracker.notice.data import NoticeError
    from case_tracker.notice.data import inspection_record as from_dataset
    from case_tracker.rpc import ConnectionError_, connect
    from case_tracker.stats.sources import SourceError, file_source

    if args.sample:
        from case_tracker.sample.shipped import sample_dataset

        return from_dataset(sample_dataset(), args.inspection)
    if args.file:
        return from_dataset(file_source(args.file).dataset, args.inspection)
    if not (args.db and args.user):
        raise SourceError("--url needs --db and --user / 连接Odoo需指定 --db 和 --user")
    try:
        connection = connect(args.url, args.db, args.user)
    except ConnectionError_ as exc:
        raise SourceError(str(exc)) from exc
    try:
        record = connection.call("di.inspection", "notice_record", args.inspection)
    except Exception as exc:  # odoorpc raises RPCError with the server's message
        raise SourceError(f"服务器拒绝 / the server refused: {exc}") from exc
    if not record:
        raise NoticeError(
            f"没有检查编号 {args.inspection} / no inspection with reference {args.inspection}"
        )
    return record


def run(args: argparse.Namespace) -> int:
    from case_tracker.bulletin.fonts import register
    from case_tracker.notice import build_notice, render
    from case_tracker.notice.data import warn

    _check_directory(args.output)  # fail before reading the register, not after
    record = inspection_record(args)
    data = build_notice(
        record,
        number=args.number,
        issue_date=args.date,
        contact=args.contact,
        cc=args.cc,
        issuing_body=args.issuer,
    )
    warn(data)
    fonts = register()  # a FontError is a user-facing error: the CLI says why, exit 2
    pdf = render(data, fonts=fonts)
    _write_atomically(args.output, pdf)
    print(f"{args.output}: {len(pdf) // 1024} KB — {data.title}（{len(data.problems)}个问题）")
    return 0
