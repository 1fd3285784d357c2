"""Odoo layer: the live source (server-side aggregation) gives the file source's answer.

The same register is imported into a fresh database over RPC and read back
from the file; the two statistics must be identical, key for key, for every
period kind, for scopes, across the category list change of December 2019,
and under a district user's record rules.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from case_tracker.export import dataset_records, write_register
from case_tracker.importer.client import send
from case_tracker.importer.register import read_register
from case_tracker.rpc import OdooRPCConnection
from case_tracker.stats.dataset import Dataset
from case_tracker.stats.engine import statistics
from case_tracker.stats.period import parse_period
from tests import odoo_harness as harness
from tests.test_stats import hand_checked_rows, person, problem

pytestmark = pytest.mark.odoo


def _leaves(value, path=""):
    """Every leaf of a JSON tree with its path: a failure names the values that differ."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, f"{path}[{index}]")
    else:
        yield path, value


def _differences(live: dict, expected: dict) -> list[str]:
    left, right = dict(_leaves(live)), dict(_leaves(expected))
    return [
        f"{path}: live {left.get(path)!r} != file {right.get(path)!r}"
        for path in sorted(set(left) | set(right))
        if left.get(path) != right.get(path)
    ]


def _plain(value):
    """What the statistics look like after a JSON round trip (as RPC returns them)."""
    return json.loads(json.dumps(value, default=str))


def _import(server: harness.OdooServer, db: str, paths: list[Path]) -> OdooRPCConnection:
    register = read_register(paths)
    assert not register.issues, register.issues[:5]
    login = harness.TEST_ADMIN_LOGIN
    connection = OdooRPCConnection(server.url, db, login, login)
    summary = send(connection, register)
    assert summary.rejected == 0, summary.issues[:5]
    return connection


@pytest.fixture(scope="module")
def hand_checked(odoo_server, odoo_template_db, session_tag, tmp_path_factory):
    """The hand-checked city of test_stats, plus a 2020 problem on the 2019 CCDI list."""
    rows = hand_checked_rows()
    rows["problems"].append(problem("W5", date(2020, 1, 10), "hl_gifts", unit="B"))
    rows["persons"].append(
        person("P7", ["W5"], ["party_serious_warning"], date(2020, 2, 1), name="赵六", unit="B")
    )
    folder = tmp_path_factory.mktemp("hand")
    paths = write_register(dataset_records(Dataset.from_rows(rows)), folder, "csv")
    db = f"{session_tag}_db_hand"
    harness.copy_db(odoo_template_db, db)
    try:
        connection = _import(odoo_server, db, paths)
        yield connection, Dataset.from_rows(read_register(paths).rows)
    finally:
        harness.drop_db(db)


@pytest.fixture(scope="module")
def sample_city(odoo_server, odoo_demo_template_db, session_tag, tmp_path_factory):
    """The bundled sample city, exported to the import template and imported over RPC.

    Into a database made the way ``odoo-bin -i`` makes one by default, with the
    add-on's demo data (whose units are units of the sample city).
    """
    from case_tracker.sample.generator import sample_dataset

    folder = tmp_path_factory.mktemp("sample")
    paths = write_register(dataset_records(sample_dataset()), folder, "csv")
    db = f"{session_tag}_db_sample"
    harness.copy_db(odoo_demo_template_db, db)
    try:
        connection = _import(odoo_server, db, paths)
        yield connection, Dataset.from_rows(read_register(paths).rows), db, paths
    finally:
        harness.drop_db(db)


def _live(connection, label: str, unit: str | None = None) -> dict:
    return connection.call("di.statistics", "compute_statistics", label, unit or False)


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("2018-H1", None),
        ("2018-07", None),
        ("2017-12", "A"),
        ("2018", "B"),
        ("2018-06-30..2018-07-01", None),
        ("2019-Q4", None),  # both CCDI lists are valid in this quarter
        ("2020", None),  # only the 2019 list
        ("2020-Q1", "B"),
    ],
)
def test_hand_checked_live_equals_file(hand_checked, label, unit):
    connection, dataset = hand_checked
    expected = _plain(statistics(dataset, parse_period(label), unit).to_dict())
    assert _live(connection, label, unit) == expected


def test_hand_checked_live_figures(hand_checked):
    connection, _dataset = hand_checked
    result = _live(connection, "2018-H1")["figures"]
    assert result == {
        "inspections": 2,
        "problems": 3,
        "persons_handled": 3,
        "eight_point_problems": 2,
        "eight_point_persons": 3,
        "eight_point_sanctioned": 2,
        "exposed_poor_handled": 1,
    }
    lists = {row["list"] for row in _live(connection, "2020")["breakdowns"]["categories"]}
    assert lists == {"ccdi2019", "local"}


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("2018-H1", None),
        ("2018-Q2", None),
        ("2018-06", None),
        ("2019-Q4", None),
        ("2018-H1", "NB-HS"),
        ("2018-03", "NB-HS"),
        ("2017", "NB-HS-GL"),
        ("2017-06-15..2018-02-10", "NB-YZ"),
    ],
)
def test_sample_live_equals_file(sample_city, label, unit):
    """Every leaf of the statistics, on a default (demo) database with the sample imported."""
    connection, dataset, _db, _paths = sample_city
    expected = _plain(statistics(dataset, parse_period(label), unit).to_dict())
    assert _differences(_live(connection, label, unit), expected) == []


def test_sample_live_counts_the_rectification_loop(sample_city):
    """Returns (a SUM), extensions and 整改不实, in total and per unit, as the file counts
    them; and each one's drill-down lists the records it counts."""
    connection, dataset, _db, _paths = sample_city
    expected = _plain(statistics(dataset, parse_period("2018-H1")).to_dict())["breakdowns"]
    live = _live(connection, "2018-H1")["breakdowns"]
    section = live["rectification"]
    for key in ("finished", "finished_on_time", "returns", "extended", "false_rectification"):
        assert section[key] == expected["rectification"][key], key
    assert section["returns"] > section["extended"] > section["false_rectification"] > 0
    assert live["rectification_units"] == expected["rectification_units"]

    def drill(key):
        action = connection.call(
            "di.statistics", "figure_action", key, "2018-01-01", "2018-06-30", False
        )
        fields = ["return_count", "extension_count", "recurrence_count", "recurrence_date"]
        return connection.call(action["res_model"], "search_read", action["domain"], fields)

    returned = drill("returns")
    assert sum(r["return_count"] for r in returned) == section["returns"]
    assert all(r["return_count"] > 0 for r in returned)
    extended = drill("extended")
    assert len(extended) == section["extended"]
    assert all(r["extension_count"] > 0 for r in extended)
    found = drill("false_rectification")
    assert len(found) == section["false_rectification"]
    assert all("2018-01-01" <= r["recurrence_date"] <= "2018-06-30" for r in found)


def test_the_import_stores_the_loop_as_the_register_has_it(sample_city):
    """Original deadline, counts and the day 整改不实 was found reach the add-on's fields."""
    connection, dataset, _db, _paths = sample_city
    frame = dataset.rectifications
    reopened = frame[frame["recurrence_count"] > 0].iloc[0]
    extended = frame[frame["extension_count"] > 0].iloc[0]
    for row in (reopened, extended):
        (record,) = connection.call(
            "di.rectification",
            "search_read",
            [("problem_id.ref", "=", row["problem_ref"])],
            [
                "deadline",
                "original_deadline",
                "return_count",
                "extension_count",
                "recurrence_count",
                "recurrence_date",
                "false_rectification",
                "on_time",
            ],
        )
        assert record["deadline"] == row["deadline"].date().isoformat()
        assert record["original_deadline"] == row["original_deadline"].date().isoformat()
        for key in ("return_count", "extension_count", "recurrence_count"):
            assert record[key] == row[key], key
        day = row["recurrence_date"]
        assert record["recurrence_date"] == (False if pd.isna(day) else day.date().isoformat())
        assert record["false_rectification"] == bool(row["false_rectification"])
        assert record["on_time"] == bool(row["on_time"])


def test_sample_live_gives_the_reference_figures(sample_city):
    from case_tracker.sample.generator import TARGETS

    connection, _dataset, _db, _paths = sample_city
    assert connection.call("di.statistics", "compute_figures", "2018-H1", False) == TARGETS


def test_a_district_user_counts_only_their_district(sample_city, odoo_server):
    """Record rules apply to the live figures: 海曙's inspector sees 海曙's numbers."""
    connection, dataset, db, _paths = sample_city
    Users = connection._odoo.env["res.users"]
    unit_id = connection._odoo.env["di.unit"].search([("code", "=", "NB-HS")])
    group = connection._odoo.env.ref("discipline_inspection.group_di_inspector")
    login = "t_hs_inspector"  # the demo data has its own hs_inspector
    if not Users.search([("login", "=", login)]):
        Users.create(
            {
                "name": "海曙检查员",
                "login": login,
                "password": login + "-pw",
                "groups_id": [(6, 0, [group.id, connection._odoo.env.ref("base.group_user").id])],
                "di_unit_ids": [(6, 0, unit_id)],
            }
        )
    district = OdooRPCConnection(odoo_server.url, db, login, login + "-pw")
    seen = district.call("di.statistics", "compute_figures", "2018-H1", False)
    expected = statistics(dataset, parse_period("2018-H1"), "NB-HS").figures
    assert seen == expected
    assert seen["problems"] < 1735
    with pytest.raises(Exception, match="NB-JB"):
        district.call("di.statistics", "compute_figures", "2018-H1", "NB-JB")


def _cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ODOO_PASSWORD": password or ""}
    command = [sys.executable, "-m", "case_tracker.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def test_cli_stats_and_bulletin_from_a_live_odoo(sample_city, odoo_server, tmp_path):
    _connection, _dataset, db, paths = sample_city
    login = harness.TEST_ADMIN_LOGIN
    live = ("--url", odoo_server.url, "--db", db, "--user", login)
    stats = _cli("stats", "--period", "2018-H1", "--json", *live, password=login)
    assert stats.returncode == 0, stats.stderr
    from_file = _cli("stats", "--period", "2018-H1", "--json", "--file", *map(str, paths))
    assert from_file.returncode == 0, from_file.stderr
    assert json.loads(stats.stdout) == json.loads(from_file.stdout)
    for period, unit in (("2018-Q2", ()), ("2018-H1", ("--unit", "NB-HS"))):
        live_json = _cli("stats", "--period", period, *unit, "--json", *live, password=login)
        sample_json = _cli("stats", "--period", period, *unit, "--json", "--sample")
        assert live_json.returncode == 0 == sample_json.returncode, live_json.stderr
        assert json.loads(live_json.stdout) == json.loads(sample_json.stdout)

    pdf = tmp_path / "live.pdf"
    made = _cli("bulletin", "--period", "2018-H1", *live, "-o", str(pdf), password=login)
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    refused = _cli("stats", "--period", "2018-H1", "--unit", "NOPE", *live, password=login)
    assert refused.returncode == 2 and "NOPE" in refused.stderr
    wrong = _cli("stats", "--period", "2018-H1", *live, password="not-the-password")
    assert wrong.returncode == 2 and "login failed" in wrong.stderr


def test_a_haishu_bulletin_from_the_wizard_is_the_haishu_commissions(sample_city):
    """The wizard's 海曙区 bulletin: the 海曙区 commission in masthead and signature."""
    from tests import pdf_check

    connection, _dataset, _db, _paths = sample_city
    unit = connection.call("di.unit", "search", [("code", "=", "NB-HS")])
    wizard = connection.call(
        "di.bulletin.wizard",
        "create",
        {"period_type": "half", "year": 2018, "half": "1", "unit_id": unit[0]},
    )
    action = connection.call("di.bulletin.wizard", "action_generate", [wizard])
    (record,) = connection.call("di.bulletin", "read", [action["res_id"]], ["pdf", "number"])
    assert record["number"].startswith("海纪通〔")  # proposed from the 海曙 document code
    pdf = base64.b64decode(record["pdf"])
    pages = pdf_check.read(pdf)
    bodies = ("中共宁波市海曙区纪律检查委员会", "宁波市海曙区监察委员会")
    masthead = "".join(g.text for g in pages[0].glyphs if g.size > 22)
    assert masthead == "".join(bodies)
    assert "中共宁波市纪律检查委员会" not in "".join(p.text for p in pages)  # not the city's
    last = pages[-1]
    rows: dict[int, str] = {}
    for g in sorted(last.glyphs, key=lambda g: g.x0):
        if g.size == 16:
            rows[round(g.top)] = rows.get(round(g.top), "") + g.text
    signature = [text for _top, text in sorted(rows.items()) if text in bodies]
    assert signature == list(bodies)  # 落款, over the 成文日期
    assert pdf_check.outside_core(pages) == []


def test_cli_notice_from_a_live_odoo(sample_city, odoo_server, tmp_path):
    from tests import pdf_check

    _connection, _dataset, db, _paths = sample_city
    login = harness.TEST_ADMIN_LOGIN
    live = ("--url", odoo_server.url, "--db", db, "--user", login)
    pdf = tmp_path / "notice.pdf"
    args = ("notice", "--inspection", "J2018-03619", *live, "--date", "2018-07-13")
    made = _cli(*args, "-o", str(pdf), password=login)
    assert made.returncode == 0, made.stderr
    text = "".join(page.text for page in pdf_check.read(pdf.read_bytes()))
    assert "宁波市交通运输局：" in text and "请于" in text
    missing = _cli("notice", "--inspection", "J1999-00001", *live, "-o", str(pdf), password=login)
    assert missing.returncode == 2 and "J1999-00001" in missing.stderr


TOGETHER_CHECK = r"""
import json
from odoo.addons.discipline_inspection.models import di_statistics

ran, original = [], di_statistics.LiveCounter._run_together


def noted(self, queries, connections):
    ran.append([len(queries), connections])
    return original(self, queries, connections)


di_statistics.LiveCounter._run_together = noted
Statistics = type(env["di.statistics"])
cases = [("2018-H1", False), ("2018-03", "NB-HS"), ("2017-06-15..2018-02-10", "NB-YZ")]
results = {}
for connections in (2, 1):
    Statistics._connections = lambda self, n=connections: n
    results[connections] = [env["di.statistics"].compute_statistics(*case) for case in cases]
print("CT_CHECK " + json.dumps({"ran": ran, "same": results[1] == results[2]}))
"""


def test_sample_statistics_on_two_connections_are_those_of_one(sample_city, odoo):
    """A whole bulletin's queries run on two connections sharing the transaction's snapshot
    (the default), or one after the other: the same statistics, for three scopes."""
    _connection, _dataset, db, _paths = sample_city
    done = subprocess.run(
        odoo.command("-d", db, "--no-http", "--log-level=warn", subcommand="shell"),
        input=TOGETHER_CHECK,
        text=True,
        capture_output=True,
        env=odoo.env,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("CT_CHECK ")]
    assert lines, done.stdout[-2000:] + done.stderr[-2000:]
    check = json.loads(lines[0].split(" ", 1)[1])
    assert check["same"] is True
    # the two-connection runs did run together (not one after the other for lack of a
    # snapshot to share), each with the queries of a whole bulletin
    assert len(check["ran"]) == 3
    assert all(connections == 2 and queries >= 8 for queries, connections in check["ran"])
