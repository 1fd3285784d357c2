"""``case-tracker bulletin``: the 通报 PDF for a period and scope, from any statistics source.

Same source and period options as ``stats`` (one definition, in
:mod:`case_tracker.stats.sources`), plus the output file and the masthead.
The PDF is written to a temporary file next to the target and renamed, so a
failed run never leaves half a PDF behind.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from datetime import date
from pathlib import Path

from case_tracker.errors import UserFacingError
from case_tracker.stats.sources import add_source_arguments, open_source


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--date: {text!r} is not a date like 2018-07-16 / 日期格式应为 2018-07-16"
        ) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bulletin",
        help="生成通报 PDF / render the bulletin PDF for a period",
        description="生成正风肃纪监督检查情况通报（PDF，A4，字体全部嵌入）— "
        "render the supervision-inspection bulletin as a PDF with every font embedded.",
    )
    add_source_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.pdf",
        help="PDF to write / 输出文件",
    )
    parser.add_argument(
        "--issuer",
        help="issuing body (红头 and 落款), e.g. 中共某市纪律检查委员会 某市监察委员会 "
        "(default: the commission of the scope) / 发文机关",
    )
    parser.add_argument(
        "--number", default="", help="document number, e.g. 甬纪通〔2018〕12号 / 发文字号"
    )
    parser.add_argument(
        "--date",
        type=_iso_date,
        help="date of issue, YYYY-MM-DD (default: today) / 成文日期",
    )
    parser.add_argument(
        "--template",
        type=Path,
        metavar="FILE.toml",
        help="the commission's wording: masthead, title, requirements "
        "(see reports/bulletin_template.toml) / 通报模板",
    )
    parser.add_argument(
        "--data-json",
        type=Path,
        metavar="OUT.json",
        help="also write the bulletin's figures as JSON (what the add-on freezes) / 同时输出数据",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from case_tracker.bulletin import render
    from case_tracker.bulletin.fonts import register
    from case_tracker.bulletin.template import load_template
    from case_tracker.stats.bulletin import build_bulletin_data

    for target in (args.output, args.data_json):
        if target is not None:
            _check_directory(target)  # fail before the (slow) statistics, not after
    template = load_template(args.template) if args.template else None
    source = open_source(args)
    stats = source.statistics(args.period, args.unit)
    options = {
        "number": args.number,
        "issue_date": args.date,
        "template": template,
        "issuer": issuer_of(source, args.unit),
    }
    if args.issuer:
        options["issuing_body"] = args.issuer
    label = getattr(source, "label", "")
    if label:
        options["source_note"] = f"数据来源：{label}"  # PDF metadata only, never printed
    data = build_bulletin_data(stats, **options)
    fonts = register()  # a FontError is a user-facing error: the CLI says why, exit 2
    pdf = render(data, fonts=fonts)
    _write_atomically(args.output, pdf)
    if args.data_json:
        text = json.dumps(data.to_dict(), ensure_ascii=False, indent=2) + "\n"
        _write_atomically(args.data_json, text.encode("utf-8"))
    print(
        f"{args.output}: {len(pdf) // 1024} KB — {data.title}\n  fonts / 字体: {fonts.describe()}"
    )
    return 0


def issuer_of(source, unit: str | None):
    """The commission of the scope, from the register's units or the live server."""
    from case_tracker.bulletin.issuer import Issuer, issuer_from_units
    from case_tracker.stats.sources import DatasetSource, OdooSource

    if isinstance(source, DatasetSource):
        return issuer_from_units(source.dataset.units, unit)
    if isinstance(source, OdooSource):
        found = source.connection.call("di.unit", "commission_for", unit or False)
        return Issuer(**found) if found else None
    return None


def _check_directory(path: Path) -> Path:
    directory = path.expanduser().parent
    if not directory.is_dir():
        raise UserFacingError(f"目录 {directory} 不存在 / directory {directory} does not exist")
    return directory


def _write_atomically(path: Path, content: bytes) -> None:
    directory = _check_directory(path)
    path = path.expanduser()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
