"""Odoo layer: ``case-tracker import`` against a live server.

Idempotence (twice = once), updates of changed rows, per-row reasons for rows
only the server's constraints refuse, --dry-run and --strict writing nothing,
a run killed with SIGKILL and started again ending where a clean run ends, a
server killed in the middle of an import (exit 2, a clear message, no traceback)
and a run interrupted with Ctrl-C (exit 130), each resumed by the same command,
and two concurrent imports of overlapping files creating nothing twice.  The state
of a database is compared through its business keys, never its ids.
"""

from __future__ import annotations

import csv
import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from case_tracker.cli import main
from case_tracker.export import dataset_records, write_register
from case_tracker.importer.client import send
from case_tracker.importer.register import read_register
from case_tracker.rpc import PASSWORD_ENV, OdooRPCConnection
from case_tracker.schema import KINDS
from tests import odoo_harness as harness

pytestmark = pytest.mark.odoo

LOGIN = harness.TEST_ADMIN_LOGIN
MODELS = tuple(kind.model for kind in KINDS)
#: How a record of each related model is named in a snapshot (never by id).
KEYS = {
    "di.unit": "code",
    "di.inspection": "ref",
    "di.problem": "ref",
    "di.person": "ref",
    "di.category": "code",
    "di.grade": "code",
    "di.followup": "code",
    "di.rank": "code",
    "di.outcome": "code",
    "res.users": "login",
    "res.company": "name",
}
NOT_COMPARED = {"id", "parent_path", "create_uid", "create_date", "write_uid", "write_date"}
SUMMARY = re.compile(r"created (\d+).*updated (\d+).*unchanged (\d+).*rejected (\d+)")


# ----------------------------------------------------------------- helpers
def subset(first: int = 0, last: int | None = None) -> dict[str, list[dict]]:
    """Problems [first:last] of the sample city with their inspections, rectifications, persons."""
    from case_tracker.sample.generator import sample_dataset

    base = dataset_records(sample_dataset())
    problems = base["problems"][first:last]
    refs = {p["ref"] for p in problems}
    inspections = {p["inspection_ref"] for p in problems if p["inspection_ref"]}
    return {
        "units": base["units"],
        "inspections": [i for i in base["inspections"] if i["ref"] in inspections],
        "problems": problems,
        "rectifications": [r for r in base["rectifications"] if r["problem_ref"] in refs],
        "persons": [p for p in base["persons"] if set(p["problem_refs"]) <= refs],
    }


def total(records: dict[str, list[dict]]) -> int:
    return sum(len(v) for v in records.values())


def client(server: harness.OdooServer, db: str):
    import odoorpc

    odoo = odoorpc.ODOO("127.0.0.1", port=server.port, timeout=600)
    odoo.login(db, LOGIN, LOGIN)
    return odoo


def snapshot(odoo, *, with_write_date: bool = False) -> dict[str, dict]:
    """Every di.* record's stored fields, relations named by business key, keyed by its own."""
    names: dict[str, dict[int, object]] = {}

    def name(model: str, record_id: int) -> object:
        if model not in names:
            if model == "di.rectification":
                rows = odoo.execute_kw(model, "search_read", [[]], {"fields": ["problem_id"]})
                names[model] = {r["id"]: r["problem_id"][1] for r in rows}
            elif model in KEYS:
                rows = odoo.execute_kw(
                    model,
                    "search_read",
                    [[]],
                    {"fields": [KEYS[model]], "context": {"active_test": False}},
                )
                names[model] = {r["id"]: r[KEYS[model]] for r in rows}
            else:
                names[model] = {}
        return names[model].get(record_id, f"{model}#other")

    state = {}
    for model in MODELS:
        fields = odoo.execute_kw(
            model, "fields_get", [], {"attributes": ["type", "store", "relation"]}
        )
        wanted = {
            f: a
            for f, a in fields.items()
            if a.get("store")
            and a["type"] != "one2many"
            and f not in NOT_COMPARED
            and not f.startswith(("message_", "activity_"))
        }
        if with_write_date:
            wanted["write_date"] = {"type": "datetime"}
        rows = odoo.execute_kw(
            model,
            "search_read",
            [[]],
            {"fields": list(wanted), "context": {"active_test": False}},
        )
        records = {}
        for row in rows:
            values = {}
            for field, attrs in wanted.items():
                value = row[field]
                if attrs["type"] == "many2one":
                    value = name(attrs["relation"], value[0]) if value else False
                elif attrs["type"] == "many2many":
                    value = sorted(str(name(attrs["relation"], v)) for v in value)
                values[field] = value
            key = name(model, row["id"])
            assert key not in records, f"duplicate {model} {key}"
            records[key] = values
        state[model] = records
    return state


def counts(odoo) -> dict[str, int]:
    return {m: odoo.execute_kw(m, "search_count", [[]]) for m in MODELS}


def cli(server: harness.OdooServer, db: str, *args: object) -> list[str]:
    return [
        "import",
        *map(str, args),
        "--url",
        server.url,
        "--db",
        db,
        "--user",
        LOGIN,
    ]


def run_cli(capsys, server, db, *args) -> tuple[int, dict[str, int]]:
    """The import command in process: exit code and the summary's counts."""
    code = main(cli(server, db, *args))
    out = capsys.readouterr().out
    match = SUMMARY.search(out)
    if not match:
        return code, {}
    return code, dict(
        zip(("created", "updated", "unchanged", "rejected"), map(int, match.groups()), strict=True)
    )


def subprocess_env() -> dict[str, str]:
    return {**os.environ, PASSWORD_ENV: LOGIN, "PYTHONUNBUFFERED": "1"}


def popen(server, db, *args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "case_tracker.cli", *cli(server, db, *args)],
        env=subprocess_env(),
        text=True,
        **kwargs,
    )


def clean_run(server, db: str, paths: list[Path]) -> dict:
    """The reference: the same files imported once into a fresh database."""
    register = read_register(paths)
    summary = send(OdooRPCConnection(server.url, db, LOGIN, LOGIN), register)
    assert summary.rejected == 0, summary.issues[:5]
    return snapshot(client(server, db))


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, LOGIN)


class ProblemsWait:
    """Makes the server wait, inside the first problems batch, until released.

    A psql session holds FOR UPDATE on every category: inserting a problem (its
    foreign key takes FOR KEY SHARE on its category) waits, while units and
    inspections, which refer to no category, go in.  No timing is involved.
    """

    def __init__(self, db: str) -> None:
        self.proc = subprocess.Popen(
            ["psql", "-X", "-q", "-d", db],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.proc.stdin.write(
            "BEGIN;\nSELECT count(*) FROM (SELECT id FROM di_category FOR UPDATE) AS locked;\n"
            "\\echo holding\n"
        )
        self.proc.stdin.flush()
        while self.proc.stdout.readline().strip() != "holding":
            pass

    def release(self) -> None:
        self.proc.communicate("ROLLBACK;\n", timeout=120)


def until_problems_are_sent(proc: subprocess.Popen, records: dict) -> str:
    """Plain progress lines until every inspection is in: the client then sends problems."""
    done = len(records["units"]) + len(records["inspections"])
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith(f"inspections: {done}/"):
            return "".join(lines)
    raise AssertionError(f"the import ended before its problems: {''.join(lines)[-2000:]}")


def assert_resumed(capsys, server, db, paths, records, in_flight: bool = False) -> None:
    """The same command again: everything not yet in is created, the rest found unchanged.

    ``in_flight``: a batch the server was given may commit during this run (then its
    rows are found unchanged), so fewer rows may be created than were missing.
    """
    before = counts(client(server, db))
    code, summary = run_cli(capsys, server, db, *paths)
    assert code == 0
    missing = total(records) - sum(before.values())
    assert summary["created"] <= missing if in_flight else summary["created"] == missing
    assert summary["created"] + summary["unchanged"] == total(records)
    assert summary["updated"] == summary["rejected"] == 0
    assert counts(client(server, db)) == dict(
        zip(MODELS, (len(records[k]) for k in records), strict=True)
    )


# ------------------------------------------------------------------- tests
def test_twice_is_once_then_a_changed_row_is_an_update(
    odoo_server, odoo_db, password, capsys, tmp_path
):
    records = subset(0, 300)
    (path,) = write_register(records, tmp_path / "register.xlsx", "xlsx")
    code, first = run_cli(capsys, odoo_server, odoo_db, path)
    assert code == 0
    assert first == {"created": total(records), "updated": 0, "unchanged": 0, "rejected": 0}
    odoo = client(odoo_server, odoo_db)
    once = snapshot(odoo, with_write_date=True)
    assert {m: len(r) for m, r in once.items()} == dict(
        zip(MODELS, (len(records[k]) for k in records), strict=True)
    )

    code, second = run_cli(capsys, odoo_server, odoo_db, path)
    assert code == 0
    assert second == {"created": 0, "updated": 0, "unchanged": total(records), "rejected": 0}
    assert snapshot(odoo, with_write_date=True) == once  # not even rewritten

    # One changed cell is one update; nothing is created or duplicated.
    problem = records["problems"][7]
    problem["description"] = "改过的问题描述。"
    person = next(p for p in records["persons"] if "admonition" not in p["outcomes"])
    (path,) = write_register(records, tmp_path / "changed.xlsx", "xlsx")
    code, third = run_cli(capsys, odoo_server, odoo_db, path)
    assert code == 0
    assert third == {"created": 0, "updated": 1, "unchanged": total(records) - 1, "rejected": 0}
    after = snapshot(odoo)
    assert after["di.problem"][problem["ref"]]["description"] == "改过的问题描述。"
    assert {m: len(r) for m, r in after.items()} == {m: len(r) for m, r in once.items()}

    # A many2many change (the outcomes) too, and the stored figures follow it.
    person["outcomes"] = (*person["outcomes"], "admonition")
    (path,) = write_register(records, tmp_path / "changed2.xlsx", "xlsx")
    code, fourth = run_cli(capsys, odoo_server, odoo_db, path)
    assert (code, fourth["updated"], fourth["created"]) == (0, 1, 0)
    row = snapshot(odoo)["di.person"][person["ref"]]
    assert "admonition" in row["outcome_ids"]


def test_rows_only_the_server_refuses_are_reported_and_the_rest_goes_in(
    odoo_server, odoo_db, password, capsys, tmp_path
):
    records = subset(0, 200)
    # Discovered the day before its inspection began, an inspection imported by an earlier
    # run: the file validator cannot know its date, the server's constraint refuses the row.
    index, bad = max(
        ((i, p) for i, p in enumerate(records["problems"]) if p["inspection_ref"]),
        key=lambda ip: ip[1]["discovery_date"],
    )
    inspection = next(i for i in records["inspections"] if i["ref"] == bad["inspection_ref"])
    bad["discovery_date"] = inspection["date"] - timedelta(days=1)
    paths = write_register(records, tmp_path / "bad", "csv")
    earlier = [p for p in paths if p.name in ("units.csv", "inspections.csv")]
    paths = [p for p in paths if p not in earlier]
    assert run_cli(capsys, odoo_server, odoo_db, *earlier)[0] == 0
    register = read_register(paths)
    assert not register.issues  # the validator lets it through
    report = tmp_path / "report.csv"
    code, summary = run_cli(capsys, odoo_server, odoo_db, *paths, "--report", report)
    assert code == 1
    issues = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    by_file = {(i["文件 file"], int(i["行号 row"])): i["reason"] for i in issues}
    assert "before its inspection began" in by_file[("problems.csv", index + 2)]
    # Its rectification and persons cannot go in without it; each says why.
    dependants = [r for r in records["rectifications"] if r["problem_ref"] == bad["ref"]]
    dependants += [p for p in records["persons"] if bad["ref"] in p["problem_refs"]]
    assert summary["rejected"] == 1 + len(dependants) == len(issues)
    assert all("not found" in reason for (f, _r), reason in by_file.items() if f != "problems.csv")
    odoo = client(odoo_server, odoo_db)
    assert counts(odoo)["di.problem"] == len(records["problems"]) - 1
    earlier_rows = len(records["units"]) + len(records["inspections"])
    assert summary["created"] == total(records) - earlier_rows - summary["rejected"]

    # The same person handled again for the same problem, in a later file: refused by the
    # server's duplicate rule (across runs), while a new person in that file goes in.
    known = records["persons"][0]
    twin = {**known, "ref": "P-TWIN", "document_no": "另一文号"}
    other = {**known, "ref": "P-NEW", "identity": "NEW-ID-1", "name": "新人员"}
    paths = write_register({"persons": [twin, other]}, tmp_path / "later", "csv")
    persons_csv = next(p for p in paths if p.name == "persons.csv")
    assert not read_register([persons_csv]).issues
    code, summary = run_cli(capsys, odoo_server, odoo_db, persons_csv, "--report", report)
    assert code == 1
    assert (summary["created"], summary["rejected"]) == (1, 1)
    (issue,) = csv.DictReader(report.open(encoding="utf-8-sig"))
    assert (issue["文件 file"], issue["行号 row"]) == ("persons.csv", "2")
    assert "handled twice" in issue["reason"]


def test_dry_run_and_strict_write_nothing(odoo_server, odoo_db, password, capsys, tmp_path):
    records = subset(0, 50)
    paths = write_register(records, tmp_path / "good", "csv")
    code, _ = run_cli(capsys, odoo_server, odoo_db, *paths, "--dry-run")
    assert code == 0
    odoo = client(odoo_server, odoo_db)
    assert set(counts(odoo).values()) == {0}

    records["problems"][3]["description"] = ""  # a required cell left empty
    paths = write_register(records, tmp_path / "bad", "csv")
    code, _ = run_cli(capsys, odoo_server, odoo_db, *paths, "--dry-run")
    assert code == 1
    code, _ = run_cli(capsys, odoo_server, odoo_db, *paths, "--strict")
    assert code == 3
    assert set(counts(odoo).values()) == {0}
    code, _ = run_cli(capsys, odoo_server, odoo_db, *paths)  # without --strict
    assert code == 1
    assert counts(odoo)["di.problem"] == len(records["problems"]) - 1


def test_killed_with_sigkill_then_run_again_ends_like_a_clean_run(
    odoo_server, odoo_db_factory: Callable[[], str], password, capsys, tmp_path
):
    # A fifth of the sample city in batches of 100: as many batches in flight as the whole
    # city in batches of 500, in a fifth of the time.
    records = subset(0, 1300)
    paths = write_register(records, tmp_path / "sample", "csv")
    killed, clean = odoo_db_factory(), odoo_db_factory()
    proc = popen(
        odoo_server,
        killed,
        *paths,
        "--batch-size",
        "100",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines = []
    try:
        # Plain progress lines (stderr is no terminal): wait until problems are going in.
        for line in proc.stderr:
            lines.append(line)
            if line.startswith("problems:"):
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert any(line.startswith("inspections:") for line in lines), lines[-5:]
    odoo = client(odoo_server, killed)
    partial = counts(odoo)
    assert partial["di.inspection"] == len(records["inspections"])
    assert 0 < partial["di.problem"] < len(records["problems"])
    assert partial["di.person"] == 0

    code, summary = run_cli(capsys, odoo_server, killed, *paths)
    assert code == 0
    # The batch in flight when the client died may still commit on the server, before or
    # during this run (then its rows are found unchanged): nothing is done twice.
    assert summary["created"] <= total(records) - sum(partial.values())
    assert summary["created"] + summary["unchanged"] == total(records)
    assert summary["updated"] == summary["rejected"] == 0
    assert snapshot(odoo) == clean_run(odoo_server, clean, paths)


def test_two_concurrent_imports_of_overlapping_files(
    odoo_server, odoo_db_factory: Callable[[], str], tmp_path
):
    first = write_register(subset(0, 400), tmp_path / "first", "csv")
    second = write_register(subset(200, 600), tmp_path / "second", "csv")
    union = subset(0, 600)
    db, clean = odoo_db_factory(), odoo_db_factory()
    procs = [
        popen(odoo_server, db, *paths, "--batch-size", "100", stdout=subprocess.PIPE)
        for paths in (first, second)
    ]
    outputs = [proc.communicate(timeout=900)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    created = [int(SUMMARY.search(out).group(1)) for out in outputs]
    assert sum(created) == total(union)  # every record created exactly once
    odoo = client(odoo_server, db)
    state = snapshot(odoo)  # raises on a duplicate business key
    assert counts(odoo) == dict(zip(MODELS, (len(union[k]) for k in union), strict=True))
    paths = write_register(union, tmp_path / "union", "csv")
    assert state == clean_run(odoo_server, clean, paths)


def test_parallel_batches_end_like_a_sequential_run(
    odoo_server, odoo_db_factory: Callable[[], str], tmp_path
):
    """--jobs 3: batches of one kind in parallel, on three connections; same final state."""
    records = subset(0, 600)
    paths = write_register(records, tmp_path / "register", "csv")
    db, clean = odoo_db_factory(), odoo_db_factory()
    proc = popen(
        odoo_server, db, *paths, "--batch-size", "50", "--jobs", "3", stdout=subprocess.PIPE
    )
    output = proc.communicate(timeout=900)[0]
    assert proc.returncode == 0, output
    assert int(SUMMARY.search(output).group(1)) == total(records)
    assert snapshot(client(odoo_server, db)) == clean_run(odoo_server, clean, paths)


def test_progress_bar_on_a_terminal(odoo_server, odoo_db, tmp_path):
    paths = write_register(subset(0, 20), tmp_path / "small", "csv")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = popen(odoo_server, odoo_db, *paths, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:  # read the terminal while the process writes to it
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal is closed once the process is gone
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out = proc.communicate(timeout=300)[0]
    reader.join(timeout=60)
    os.close(leader)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, out
    assert "100%" in terminal and "\r" in terminal  # a tqdm bar, redrawn in place
    assert not re.search(r"^problems: \d+/\d+", terminal, re.M)  # no plain lines


def test_plain_progress_lines_without_a_terminal(odoo_server, odoo_db, tmp_path):
    records = subset(0, 20)
    paths = write_register(records, tmp_path / "small", "csv")
    proc = popen(odoo_server, odoo_db, *paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "\r" not in err
    assert f"persons: {total(records)}/{total(records)}" in err.splitlines()[-1]
    assert "created" in out


def test_template_round_trip(odoo_server, odoo_db, password, capsys, tmp_path):
    """The empty template reads back with no error; filled in, it imports."""
    from openpyxl import load_workbook

    template = tmp_path / "template.xlsx"
    assert main(["import", "--template", str(template)]) == 0
    workbook = load_workbook(template)
    sheet = workbook["发现问题"]
    sheet.append(
        ["W-T1", "", "信访举报", "NB", "", "违规公款吃喝", "公款吃喝", 1200, date(2018, 3, 1)]
    )
    workbook["单位"].append(["NB", "宁波市"])
    workbook.save(template)
    code, summary = run_cli(capsys, odoo_server, odoo_db, template)
    assert (code, summary["created"]) == (0, 2)
    problem = snapshot(client(odoo_server, odoo_db))["di.problem"]["W-T1"]
    assert problem["source"] == "letter" and problem["amount"] == 1200.0


def test_a_server_killed_mid_import_exits_2_with_a_clear_message_and_the_command_resumes(
    odoo, odoo_server, odoo_db_factory: Callable[[], str], odoo_logs, password, capsys, tmp_path
):
    records = subset(0, 60)
    paths = write_register(records, tmp_path / "register", "csv")
    db = odoo_db_factory()
    doomed = harness.OdooServer(odoo, db, odoo_logs / "server-killed.log").start()
    wait = ProblemsWait(db)
    try:
        proc = popen(
            doomed, db, *paths, "--batch-size", "20", stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        before = until_problems_are_sent(proc, records)
        os.killpg(doomed.process.pid, signal.SIGKILL)  # the server dies mid-call
        doomed.process.wait()
        out, after = proc.communicate(timeout=300)
    finally:
        doomed.stop()
        wait.release()
    err = before + after
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "Traceback" not in out
    assert f"与服务器 {doomed.url} 的连接中断 / lost the connection to the server" in err
    sent = len(records["units"]) + len(records["inspections"])
    assert f"已发送 {sent}/{total(records)} 条" in err
    assert "待服务器恢复后再次运行同一命令即可继续导入" in err
    assert "Once the server is back, run the same command again to resume" in err
    partial = counts(client(odoo_server, db))
    assert partial["di.inspection"] == len(records["inspections"])
    assert partial["di.problem"] == 0  # the batch in flight died with the server
    assert_resumed(capsys, odoo_server, db, paths, records)


def test_ctrl_c_mid_import_exits_130_and_the_command_resumes(
    odoo_server, odoo_db, password, capsys, tmp_path
):
    records = subset(0, 60)
    paths = write_register(records, tmp_path / "register", "csv")
    wait = ProblemsWait(odoo_db)
    try:
        proc = popen(
            odoo_server,
            odoo_db,
            *paths,
            "--batch-size",
            "20",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        before = until_problems_are_sent(proc, records)
        proc.send_signal(signal.SIGINT)
        out, after = proc.communicate(timeout=300)
    finally:
        wait.release()  # the server goes on with the batch it was given: it may commit
    err = before + after
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Traceback" not in out
    assert "interrupted / 已中断" in err
    assert "Run the same command again to resume" in err
    assert_resumed(capsys, odoo_server, odoo_db, paths, records, in_flight=True)


def test_an_unknown_column_is_reported_strict_refuses_and_a_plain_import_goes_in(
    odoo_server, odoo_db, password, capsys, tmp_path
):
    from openpyxl import load_workbook

    records = subset(0, 5)
    (path,) = write_register(records, tmp_path / "register.xlsx", "xlsx")
    workbook = load_workbook(path)
    sheet = workbook["发现问题"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "是否曝光")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column, "是")
    workbook.save(path)
    report = tmp_path / "errors.csv"

    assert main(cli(odoo_server, odoo_db, path, "--strict", "--report", report)) == 3
    out, err = capsys.readouterr()
    assert "0 行有误 rejected, 1 列未导入 column ignored" in out and "--strict" in err
    odoo = client(odoo_server, odoo_db)
    assert set(counts(odoo).values()) == {0}

    assert main(cli(odoo_server, odoo_db, path, "--report", report)) == 0
    out = capsys.readouterr().out
    assert f"新建 created {total(records)}" in out and "，1 列未导入 column ignored；" in out
    (issue,) = csv.DictReader(report.open(encoding="utf-8-sig"))
    assert (issue["工作表 sheet"], issue["列 column"], issue["级别 level"]) == (
        "发现问题",
        "是否曝光",
        "警告 warning",
    )
    assert counts(odoo)["di.problem"] == len(records["problems"])
