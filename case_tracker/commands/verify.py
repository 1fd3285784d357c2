"""``case-tracker verify FILE.pdf``: is this PDF an unaltered published bulletin, and which one?

The file's SHA-256 and the 核验码 printed in its 版记 (read back from its
text) are sent to the server, which compares them with the digests sealed at
publication (``di.bulletin.verify_pdf``); the file itself is not sent.  One
changed byte makes the digest differ: the file is then reported as altered,
naming the bulletin whose code it carries.

Exit codes: 0 verified; 1 not verified (altered, not published, or unknown);
2 usage, file or connection error.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from case_tracker.commands.stats import _pad, _width
from case_tracker.errors import UserFacingError
from case_tracker.integrity import code_in_pdf, pdf_sha256
from case_tracker.rpc import ConnectionError_, add_connection_arguments, connect


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="核验通报 PDF / check that a PDF is an unaltered published bulletin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE.pdf", help="the PDF to check / 待核验文件")
    add_connection_arguments(parser)
    parser.add_argument(
        "--json", action="store_true", help="print the server's answer as JSON / 输出JSON"
    )
    parser.set_defaults(func=run)


#: The verdict's first lines, in Chinese and English ({name}: the bulletin, {code}: its code).
HEADLINES = {
    "verified": (
        "已核验：本文件是已发布的通报{name}，未经改动。",
        "VERIFIED: this file is the published bulletin {name}, unaltered.",
    ),
    "altered": (
        "未通过核验：文件已被改动。文件印有通报{name}的核验码{code}，但文件内容与发布时的文件不一致。",
        "NOT VERIFIED: altered. The file carries the verification code {code} of the published "
        "bulletin {name}, but its bytes differ from the published file.",
    ),
    "not_published": (
        "未通过核验：尚未发布。核验码{code}所属的通报尚未发布，不是正式文件。",
        "NOT VERIFIED: not published. The verification code {code} belongs to a bulletin that "
        "has not been published; it is not an official document.",
    ),
    "code_only": (
        "核验码{code}属于已发布的通报{name}；文件本身未核对。",
        "The verification code {code} belongs to the published bulletin {name}; "
        "the file itself was not checked.",
    ),
    "no_code": (
        "未通过核验：未知文件。本系统没有与此文件完全一致的已发布通报，文件中也未读到核验码。",
        "NOT VERIFIED: unknown. No published bulletin on this server is exactly this file, "
        "and no verification code could be read from it.",
    ),
    "invalid_code": (
        "未通过核验：未知文件。文件中的核验码{code}无效（有数字被改动），"
        "本系统也没有与此文件完全一致的已发布通报。",
        "NOT VERIFIED: unknown. The verification code {code} in the file is not valid (a digit "
        "was changed), and no published bulletin on this server is exactly this file.",
    ),
    "unknown_code": (
        "未通过核验：未知文件。本系统没有核验码为{code}的通报，也没有与此文件完全一致的已发布通报。",
        "NOT VERIFIED: unknown. No bulletin on this server has the verification code {code}, "
        "and no published bulletin is exactly this file.",
    ),
}

#: A bulletin's states in Chinese; a state this version does not know shows the server's label.
STATES = {"draft": "草稿", "published": "已发布"}

#: The bulletin's header: (key, label) in the order printed.
FIELDS = (
    ("number", "发文字号 / number"),
    ("title", "标题 / title"),
    ("issuing_body", "发文机关 / issuing body"),
    ("period", "期间 / period"),
    ("scope", "范围 / scope"),
    ("issue_date", "成文日期 / date of issue"),
    ("state", "状态 / status"),
    ("published", "发布 / published"),
    ("verification_code", "核验码 / code"),
)


def report(result: dict, path: Path, digest: str) -> list[str]:
    """The verdict as printed: two headline lines, the bulletin's header, the file."""
    header = result.get("bulletin") or {}
    name = header.get("number") or header.get("title") or ""
    key = result["verdict"] if result["verdict"] != "unknown" else result.get("reason")
    chinese, english = HEADLINES.get(key) or HEADLINES["no_code"]
    values = {"name": f"“{name}”" if name else "", "code": result.get("code") or ""}
    lines = [chinese.format(**values), english.format(**{**values, "name": name or "?"})]
    width = max(_width(label) for _key, label in FIELDS) + 2
    if header:
        period = header.get("period_title") or header.get("period") or ""
        if header.get("date_from"):
            period += f"（{header['date_from']} 至 {header['date_to']}）"
        scope = header.get("scope") or ""
        if header.get("scope_code"):
            scope += f"（{header['scope_code']}）"
        state = header.get("state") or ""
        published = header.get("published_on") or ""
        if published:
            published += " UTC"
        if header.get("published_by"):
            published += f"，{header['published_by']}"
        shown = {
            **header,
            "period": period,
            "scope": scope,
            "state": f"{STATES.get(state, header.get('state_label') or state)} / {state}",
            "published": published,
        }
        lines += [
            f"  {_pad(label + ':', width)}{shown[field]}"
            for field, label in FIELDS
            if shown.get(field)
        ]
        if not result.get("readable"):
            lines.append(
                "  （您无权查看该通报的记录，仅显示文件上印有的信息）"
                " / you may not read this bulletin's record: only what the document prints is shown"
            )
    lines.append(f"  {_pad('文件 / file:', width)}{path}")
    lines.append(f"  {_pad('SHA-256:', width)}{digest}")
    if result.get("record_intact") is False:
        lines += [
            "注意：服务器上该通报的存档与发布时封存的摘要不一致，请告知系统管理员。",
            "WARNING: the server's stored copy of this bulletin no longer matches its seal; "
            "tell the administrator.",
        ]
    return lines


def run(args: argparse.Namespace) -> int:
    path: Path = args.file.expanduser()
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UserFacingError(f"无法读取 {path} / cannot read {path}: {exc.strerror}") from exc
    if not content.startswith(b"%PDF-"):
        raise UserFacingError(f"{path} 不是PDF文件 / {path} is not a PDF file")
    if not (args.url and args.db and args.user):
        raise UserFacingError(
            "核验需连接Odoo：请指定 --url、--db 和 --user / verify needs --url, --db and --user"
        )
    digest, code = pdf_sha256(content), code_in_pdf(content)
    try:
        connection = connect(args.url, args.db, args.user)
    except ConnectionError_ as exc:
        raise UserFacingError(str(exc)) from exc
    try:
        result = connection.call("di.bulletin", "verify_pdf", digest, code or False)
    except Exception as exc:  # odoorpc raises RPCError with the server's message, or an OSError
        raise UserFacingError(f"服务器拒绝或无响应 / the server refused or failed: {exc}") from exc
    if args.json:
        answer = {"file": str(path), "sha256": digest, "code_in_file": code, **result}
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        print("\n".join(report(result, path, digest)))
    return 0 if result["verdict"] == "verified" else 1
