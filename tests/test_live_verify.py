"""Odoo layer: ``case-tracker verify`` against a live server, with a bulletin published over RPC.

A district reviewer generates and publishes a bulletin through the wizard's
RPC methods; the PDF downloaded from the record is verified by the real
command line (exit 0), the same file with one byte changed is caught (exit 1,
naming the bulletin it claims to be), a draft's PDF is not published (exit 1),
a file with no code is unknown (exit 1), and the other district's inspector,
who may not read the bulletin, still learns that the file is genuine.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from case_tracker.integrity import code_in_pdf
from case_tracker.rpc import OdooRPCConnection
from tests import odoo_harness as harness

pytestmark = pytest.mark.odoo

NUMBER = "海纪通〔2024〕1号"


def _cli(*args: str, password: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ODOO_PASSWORD": password}
    command = [sys.executable, "-m", "case_tracker.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def _user(admin: OdooRPCConnection, login: str, name: str, group: str, unit: int) -> str:
    groups = [
        admin._odoo.env.ref(xmlid).id
        for xmlid in ("base.group_user", f"discipline_inspection.group_di_{group}")
    ]
    password = f"{login}-pw"
    admin.call(
        "res.users",
        "create",
        {
            "name": name,
            "login": login,
            "password": password,
            "groups_id": [(6, 0, groups)],
            "di_unit_ids": [(6, 0, [unit])],
        },
    )
    return password


def _bulletin(reviewer: OdooRPCConnection, unit: int, number: str, publish: bool) -> dict:
    wizard = reviewer.call(
        "di.bulletin.wizard",
        "create",
        {"period_type": "month", "year": 2024, "month": "3", "unit_id": unit, "number": number},
    )
    bulletin = reviewer.call("di.bulletin.wizard", "action_generate", [wizard])["res_id"]
    if publish:
        reviewer.call("di.bulletin", "action_publish", [bulletin])
    fields = ["pdf", "name", "state", "verification_code", "pdf_sha256"]
    (record,) = reviewer.call("di.bulletin", "read", [bulletin], fields)
    return record


@pytest.fixture(scope="module")
def live_db(odoo_server, odoo_template_db, session_tag):
    """One database for the module: the tests only read what the fixture publishes."""
    db = f"{session_tag}_db_verify"
    harness.copy_db(odoo_template_db, db)
    try:
        yield db
    finally:
        harness.drop_db(db)


@pytest.fixture(scope="module")
def published(odoo_server, live_db, tmp_path_factory):
    odoo_db, tmp_path = live_db, tmp_path_factory.mktemp("verify")
    login = harness.TEST_ADMIN_LOGIN
    admin = OdooRPCConnection(odoo_server.url, odoo_db, login, login)
    city = admin.call("di.unit", "create", {"name": "宁波市", "code": "V-NB", "kind": "city"})
    units = {
        code: admin.call(
            "di.unit", "create", {"name": name, "code": code, "kind": "district", "parent_id": city}
        )
        for code, name in (("V-HS", "海曙区"), ("V-JB", "江北区"))
    }
    logins = {
        "reviewer": (
            "v_hs_reviewer",
            _user(admin, "v_hs_reviewer", "海曙审核员", "reviewer", units["V-HS"]),
        ),
        "other": (
            "v_jb_inspector",
            _user(admin, "v_jb_inspector", "江北检查员", "inspector", units["V-JB"]),
        ),
    }
    reviewer = OdooRPCConnection(odoo_server.url, odoo_db, *logins["reviewer"])
    record = _bulletin(reviewer, units["V-HS"], NUMBER, publish=True)
    draft = _bulletin(reviewer, units["V-HS"], "海纪通〔2024〕2号", publish=False)
    files = {}
    for name, source in (("published", record), ("draft", draft)):
        files[name] = tmp_path / f"{name}.pdf"
        files[name].write_bytes(base64.b64decode(source["pdf"]))

    def verify(path, who="reviewer", *extra):
        login, password = logins[who]
        live = ("--url", odoo_server.url, "--db", odoo_db, "--user", login)
        return _cli("verify", str(path), *live, *extra, password=password)

    return record, draft, files, verify


def test_a_published_bulletin_is_verified_and_one_changed_byte_is_caught(published, tmp_path):
    record, _draft, files, verify = published
    assert record["state"] == "published" and record["pdf_sha256"]
    pdf = files["published"].read_bytes()
    assert code_in_pdf(pdf) == record["verification_code"]

    genuine = verify(files["published"])
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    out = genuine.stdout
    assert out.startswith("已核验") and "VERIFIED: this file is the published bulletin" in out
    for shown in (NUMBER, record["name"], record["verification_code"], "海曙区", "海曙审核员"):
        assert shown in out, shown
    assert "2024-03-01 至 2024-03-31" in out and record["pdf_sha256"] in out

    at = pdf.index(b"ReportLab") + 8  # in the metadata: every page still reads
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :])
    altered = verify(changed)
    assert altered.returncode == 1, altered.stdout + altered.stderr
    assert altered.stdout.startswith("未通过核验：文件已被改动")
    assert "NOT VERIFIED: altered" in altered.stdout
    assert (
        f"verification code {record['verification_code']} of the published bulletin {NUMBER}"
        in (altered.stdout)
    )

    middle = len(pdf) // 2  # wherever it lands (often inside a compressed stream)
    changed.write_bytes(pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :])
    anywhere = verify(changed)
    assert anywhere.returncode == 1 and "NOT VERIFIED" in anywhere.stdout, anywhere.stdout


def test_a_draft_an_unknown_file_and_errors(published, tmp_path):
    _record, draft, files, verify = published
    result = verify(files["draft"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "NOT VERIFIED: not published" in result.stdout and draft["verification_code"] in (
        result.stdout
    )

    plain = tmp_path / "from-files.pdf"  # the command line's bulletin: no code, no record
    made = _cli("bulletin", "--sample", "--period", "2018-06", "-o", str(plain), password="")
    assert made.returncode == 0, made.stderr
    unknown = verify(plain)
    assert unknown.returncode == 1 and "NOT VERIFIED: unknown" in unknown.stdout
    assert "no verification code could be read" in unknown.stdout

    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("not a PDF")
    assert verify(not_pdf).returncode == 2
    missing = verify(tmp_path / "missing.pdf")
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_a_user_who_may_not_read_the_bulletin_learns_only_that_it_is_genuine(published):
    record, _draft, files, verify = published
    result = verify(files["published"], "other")
    assert result.returncode == 0, result.stdout + result.stderr
    assert NUMBER in result.stdout and record["name"] in result.stdout
    assert "only what the document prints is shown" in result.stdout
    assert "海曙审核员" not in result.stdout  # who published it: for readers of the record only
    as_json = verify(files["published"], "other", "--json")
    assert as_json.returncode == 0 and '"readable": false' in as_json.stdout
    assert '"pdf_sha256"' not in as_json.stdout


def test_a_wrong_password_is_a_connection_error(published, odoo_server, live_db):
    _record, _draft, files, _verify = published
    live = ("--url", odoo_server.url, "--db", live_db, "--user", "v_hs_reviewer")
    result = _cli("verify", str(files["published"]), *live, password="wrong")
    assert result.returncode == 2 and "login failed" in result.stderr
