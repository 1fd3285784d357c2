"""``case-tracker verify`` without a server: what it sends, what it prints, its exit codes.

The verdicts themselves come from the server and are tested against a live Odoo in
tests/test_live_verify.py; here a stand-in connection answers as the server does.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from case_tracker.bulletin.example import example
from case_tracker.bulletin.pdf import render
from case_tracker.cli import main
from case_tracker.commands import verify
from case_tracker.integrity import verification_code

CODE = verification_code(3, "1" * 64)
HEADER = {
    "number": "甬纪通〔2018〕12号",
    "title": "关于2018年上半年正风肃纪监督检查情况的通报",
    "issuing_body": "中共宁波市纪律检查委员会 宁波市监察委员会",
    "period": "2018-H1",
    "period_title": "2018年上半年",
    "date_from": "2018-01-01",
    "date_to": "2018-06-30",
    "scope": "宁波市",
    "scope_code": "NB",
    "issue_date": "2018-07-16",
    "state": "published",
    "state_label": "Published",
    "verification_code": CODE,
    "published_on": "2018-07-16 02:00:00",
}


@pytest.fixture(scope="module")
def sealed_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("verify") / "bulletin.pdf"
    path.write_bytes(render(replace(example(), verification_code=CODE)))
    return path


class Server:
    """Answers verify_pdf as given and records what was asked."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def call(self, model, method, *args):
        self.calls.append((model, method, *args))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def run(monkeypatch, path, answer, *extra):
    server = Server(answer)
    monkeypatch.setattr(verify, "connect", lambda url, db, login: server)
    live = ("--url", "http://127.0.0.1:1", "--db", "db", "--user", "u")
    return main(["verify", str(path), *live, *extra]), server


def answer(verdict, reason=False, bulletin=HEADER, readable=True, intact=True):
    if bulletin and readable:
        bulletin = {**bulletin, "id": 3, "published_by": "海曙审核员"}
    return {
        "verdict": verdict,
        "reason": reason,
        "code": CODE,
        "bulletin": bulletin,
        "readable": readable,
        "record_intact": intact,
    }


def test_it_sends_the_digest_and_the_printed_code_and_exits_0_when_verified(
    monkeypatch, capsys, sealed_pdf
):
    code, server = run(monkeypatch, sealed_pdf, answer("verified"))
    digest = hashlib.sha256(sealed_pdf.read_bytes()).hexdigest()
    assert code == 0
    assert server.calls == [("di.bulletin", "verify_pdf", digest, CODE)]
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "已核验：本文件是已发布的通报“甬纪通〔2018〕12号”，未经改动。"
    assert out[1] == "VERIFIED: this file is the published bulletin 甬纪通〔2018〕12号, unaltered."
    text = "\n".join(out)
    for shown in ("2018年上半年（2018-01-01 至 2018-06-30）", "宁波市（NB）", "已发布 / published"):
        assert shown in text
    assert "2018-07-16 02:00:00 UTC，海曙审核员" in text and digest in text


@pytest.mark.parametrize(
    ("verdict", "reason", "first"),
    [
        ("altered", False, "未通过核验：文件已被改动。文件印有通报“甬纪通〔2018〕12号”的核验码"),
        ("not_published", False, "未通过核验：尚未发布。"),
        ("unknown", "no_code", "未通过核验：未知文件。本系统没有与此文件完全一致的已发布通报"),
        ("unknown", "invalid_code", f"未通过核验：未知文件。文件中的核验码{CODE}无效"),
        ("unknown", "unknown_code", f"未通过核验：未知文件。本系统没有核验码为{CODE}的通报"),
    ],
)
def test_every_other_verdict_exits_1(monkeypatch, capsys, sealed_pdf, verdict, reason, first):
    header = HEADER if verdict in ("altered", "not_published") else False
    code, _server = run(monkeypatch, sealed_pdf, answer(verdict, reason, header))
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(first), out
    assert out.splitlines()[1].startswith("NOT VERIFIED: ")


def test_what_a_user_who_may_not_read_the_record_sees(monkeypatch, capsys, sealed_pdf):
    code, _server = run(monkeypatch, sealed_pdf, answer("verified", readable=False, intact=False))
    out = capsys.readouterr().out
    assert code == 0
    assert "only what the document prints is shown" in out and "海曙审核员" not in out
    assert "WARNING: the server's stored copy of this bulletin no longer matches its seal" in out


def test_json_output(monkeypatch, capsys, sealed_pdf):
    import json

    code, _server = run(monkeypatch, sealed_pdf, answer("altered"), "--json")
    printed = json.loads(capsys.readouterr().out)
    assert code == 1
    assert printed["verdict"] == "altered" and printed["code_in_file"] == CODE
    assert printed["sha256"] == hashlib.sha256(sealed_pdf.read_bytes()).hexdigest()


def test_usage_file_and_server_errors_exit_2(monkeypatch, capsys, sealed_pdf, tmp_path):
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF")
    assert run(monkeypatch, text, answer("verified"))[0] == 2
    assert "is not a PDF file" in capsys.readouterr().err
    assert run(monkeypatch, tmp_path / "missing.pdf", answer("verified"))[0] == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["verify", str(sealed_pdf)]) == 2  # no server given
    assert "verify needs --url, --db and --user" in capsys.readouterr().err
    refused = run(monkeypatch, sealed_pdf, RuntimeError("Access Denied"))[0]
    assert refused == 2 and "Access Denied" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["verify"])
    assert usage.value.code == 2
