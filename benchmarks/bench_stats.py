"""Benchmark: a half-year's bulletin figures on 1,000,000 problems in a live Odoo.

    python3 benchmarks/bench_stats.py [--problems 1000000] [--keep]

Needs an Odoo 18 at $ODOO_PATH or /opt/odoo18 (as the test layer does).  It
installs the add-on into a fresh database, loads N problems with their
inspections, rectifications and handled persons by SQL COPY (set-up only),
starts a server and prints:

* the half-year's headline figures over RPC (``di.statistics.compute_figures``,
  the product's path: the CLI's ``--url`` source and the bulletin wizard),
  and everything a bulletin needs (``compute_statistics``);
* the same figures by pulling the period's rows with ``search_read`` into
  pandas (what a client without server-side aggregation must do);
* the PDF render time of the bulletin.

Targets: figures <= 2 s, >= 20x faster than pulling the rows, PDF <= 1 s.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from case_tracker.domain import load  # noqa: E402
from case_tracker.figures import COUNTED_IN_ODOO, FIGURES, TILES  # noqa: E402
from case_tracker.rpc import OdooRPCConnection  # noqa: E402
from case_tracker.schema import ERROR, KINDS_BY_KEY, person_identity  # noqa: E402
from case_tracker.stats.contract import Statistics  # noqa: E402
from case_tracker.stats.engine import evaluate_domain, measure  # noqa: E402
from tests import odoo_harness as harness  # noqa: E402

PERIOD = "2018-H1"
#: The add-on's system parameter: how many connections one bulletin's statistics use.
CONNECTIONS_PARAMETER = "discipline_inspection.statistics_connections"
START, END = date(2017, 1, 1), date(2018, 12, 31)
DISTRICTS = ["海曙", "江北", "镇海", "北仑", "鄞州", "奉化", "余姚", "慈溪", "宁海", "象山"]


def psql(db: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", "-X", "-q", "-At", "-d", db, "-c", sql], capture_output=True, text=True, check=True
    )
    return done.stdout


def copy(db: str, table: str, frame: pd.DataFrame) -> None:
    """COPY a DataFrame into a table (set-up only: the figures go through the product)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
    columns = ", ".join(frame.columns)
    subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-d",
            db,
            "-c",
            f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')",
        ],
        input=buffer.getvalue(),
        text=True,
        check=True,
    )


def ids(db: str, table: str, key: str = "code") -> dict[str, int]:
    rows = psql(db, f"SELECT {key}, id FROM {table}").split()
    return {row.split("|")[0]: int(row.split("|")[1]) for row in rows}


def make_units(connection: OdooRPCConnection) -> None:
    rows = [{"_row": 0, "code": "BC", "name": "基准市", "parent_code": "", "kind": "city"}]
    for d, name in enumerate(DISTRICTS, start=1):
        code = f"BC-{d:02d}"
        rows.append(
            {
                "_row": len(rows),
                "code": code,
                "name": f"{name}区",
                "parent_code": "BC",
                "kind": "district",
            }
        )
        for s in range(1, 7):
            rows.append(
                {
                    "_row": len(rows),
                    "code": f"{code}-{s}",
                    "name": f"{name}区第{s}单位",
                    "parent_code": code,
                    "kind": "subdistrict",
                }
            )
    results = connection.call("di.import.service", "import_rows", "units", rows)
    bad = [r for r in results if r.get("status") == ERROR]
    if bad:
        raise SystemExit(f"units refused: {bad[:3]}")


def load_data(db: str, problems: int, seed: int = 2018) -> None:
    """N problems, N inspections, N rectifications and ~0.7 N persons, by COPY."""
    rng = np.random.default_rng(seed)
    domain = load()
    units = ids(db, "di_unit")
    leaf_units = np.array([i for code, i in units.items() if code.count("-") == 2])
    unit_code = {i: code for code, i in units.items()}
    categories = ids(db, "di_category")
    day_count = (END - START).days + 1
    days = np.array(
        [START + timedelta(days=int(d)) for d in range(day_count)], dtype="datetime64[D]"
    )

    def pick_days(n: int) -> np.ndarray:
        return days[rng.integers(0, day_count, n)]

    # Problems: categories valid on their date (the 2013 list until 2019; local throughout).
    leaves = [
        c
        for c in domain.categories
        if not domain.children(c.code)
        and c.parent
        and domain.category_valid_on(c.code, date(2018, 6, 1))
    ]
    leaf_ids = np.array([categories[c.code] for c in leaves])
    leaf_eight = np.array([domain.is_eight_point(c.code) for c in leaves])
    first_problem = int(psql(db, "SELECT COALESCE(MAX(id), 0) FROM di_problem") or 0) + 1
    problem_ids = np.arange(first_problem, first_problem + problems)
    # About 4% of problems fall under the Eight-point Regulation, as in real bulletins.
    weights = np.where(
        leaf_eight, 0.04 / max(leaf_eight.sum(), 1), 0.96 / max((~leaf_eight).sum(), 1)
    )
    which = rng.choice(len(leaves), problems, p=weights / weights.sum())
    problem_units = leaf_units[rng.integers(0, len(leaf_units), problems)]
    discovered = pick_days(problems)
    exposed = rng.random(problems) < 0.05
    frame = pd.DataFrame(
        {
            "id": problem_ids,
            "ref": [f"BW{i:08d}" for i in problem_ids],
            "unit_id": problem_units,
            "category_id": leaf_ids[which],
            "eight_point": leaf_eight[which],
            "source": "inspection",
            "description": "基准测试问题",
            "discovery_date": discovered,
            "exposed": exposed,
            "typical": rng.random(problems) < 0.00002,
            "state": "confirmed",
            "company_id": 1,
        }
    )
    copy(db, "di_problem", frame)

    inspections = pd.DataFrame(
        {
            "id": np.arange(1, problems + 1)
            + int(psql(db, "SELECT COALESCE(MAX(id), 0) FROM di_inspection") or 0),
            "date": pick_days(problems),
            "method": "open",
            "state": "done",
            "company_id": 1,
        }
    )
    inspections["ref"] = [f"BJ{i:08d}" for i in inspections["id"]]
    inspections["unit_id"] = leaf_units[rng.integers(0, len(leaf_units), problems)]
    copy(db, "di_inspection", inspections)
    copy(
        db,
        "di_inspection_di_unit_rel",
        pd.DataFrame({"di_inspection_id": inspections["id"], "di_unit_id": inspections["unit_id"]}),
    )

    grades = ids(db, "di_grade")
    grade_codes = [
        g.code for g in domain.grades if g.scale == domain.settings.get("default_grade_scale")
    ]
    grade_codes = grade_codes or [g.code for g in domain.grades][:5]
    weights = np.array([0.45, 0.3, 0.15, 0.06, 0.04])[: len(grade_codes)]
    graded = rng.choice(len(grade_codes), problems, p=weights / weights.sum())
    poor = np.array([domain.grade(grade_codes[g]).poor for g in graded])
    deadline = discovered + np.timedelta64(30, "D")
    finished = discovered + rng.integers(5, 45, problems).astype("timedelta64[D]")
    evaluated = finished + np.timedelta64(5, "D")
    handled = poor & (rng.random(problems) < 0.8)
    rect_ids = np.arange(1, problems + 1) + int(
        psql(db, "SELECT COALESCE(MAX(id), 0) FROM di_rectification") or 0
    )
    copy(
        db,
        "di_rectification",
        pd.DataFrame(
            {
                "id": rect_ids,
                "problem_id": problem_ids,
                "unit_id": problem_units,
                "problem_unit_id": problem_units,
                "problem_state": "confirmed",
                "state": "closed",
                "deadline": deadline,
                "finish_date": finished,
                "evaluation_date": evaluated,
                "grade_id": [grades[grade_codes[g]] for g in graded],
                "poor": poor,
                "exposed": exposed,
                "eight_point": leaf_eight[which],
                "handled": handled,
                "on_time": finished <= deadline,
                "company_id": 1,
            }
        ),
    )
    followup = ids(db, "di_followup")["serious_notice"]
    copy(
        db,
        "di_followup_di_rectification_rel",
        pd.DataFrame({"di_rectification_id": rect_ids[handled], "di_followup_id": followup}),
    )

    # Persons: ~70% of problems handle one person; names repeat within a unit (same person).
    handled_problems = rng.random(problems) < 0.7
    person_problem = problem_ids[handled_problems]
    n_persons = len(person_problem)
    person_units = problem_units[handled_problems]
    names = np.array([f"人员{i:05d}" for i in rng.integers(0, 40000, n_persons)])
    outcomes = ids(db, "di_outcome")
    outcome_codes = [
        "criticism",
        "talk_reminder",
        "party_warning",
        "gov_warning",
        "gov_demerit",
        "org_removal",
        "party_expulsion",
    ]
    outcome_weights = np.array([0.5, 0.2, 0.12, 0.08, 0.05, 0.03, 0.02])
    chosen = rng.choice(len(outcome_codes), n_persons, p=outcome_weights)
    chosen_outcomes = [domain.outcome(outcome_codes[c]) for c in chosen]
    decided = discovered[handled_problems] + rng.integers(3, 60, n_persons).astype("timedelta64[D]")
    first_person = int(psql(db, "SELECT COALESCE(MAX(id), 0) FROM di_person") or 0) + 1
    person_ids = np.arange(first_person, first_person + n_persons)
    ranks = ids(db, "di_rank")
    rank_codes = [r.code for r in domain.ranks if not r.report_as][:4]
    keys = [
        person_identity(None, name, unit_code[u])
        for name, u in zip(names, person_units, strict=True)
    ]
    # The identity keys' integers (di.person.identity), as the ORM would register them.
    first_identity = int(psql(db, "SELECT COALESCE(MAX(id), 0) FROM di_person_identity") or 0)
    number = {key: first_identity + n for n, key in enumerate(sorted(set(keys)), start=1)}
    copy(
        db,
        "di_person_identity",
        pd.DataFrame({"id": list(number.values()), "key": list(number)}),
    )
    copy(
        db,
        "di_person",
        pd.DataFrame(
            {
                "id": person_ids,
                "ref": [f"BP{i:08d}" for i in person_ids],
                "name": names,
                "identity_key": keys,
                "identity_id": [number[key] for key in keys],
                "unit_id": person_units,
                "rank_id": [
                    ranks[rank_codes[r]] for r in rng.integers(0, len(rank_codes), n_persons)
                ],
                "party_member": True,
                "decision_date": decided,
                "state": "confirmed",
                "form": [str(o.form) for o in chosen_outcomes],
                "heaviest_outcome_id": [outcomes[o.code] for o in chosen_outcomes],
                "sanctioned": [o.sanction for o in chosen_outcomes],
                "eight_point": leaf_eight[which][handled_problems],
                "company_id": 1,
            }
        ),
    )
    copy(
        db,
        "di_person_problem_rel",
        pd.DataFrame({"person_id": person_ids, "problem_id": person_problem}),
    )
    copy(
        db,
        "di_outcome_di_person_rel",
        pd.DataFrame(
            {
                "di_person_id": person_ids,
                "di_outcome_id": [outcomes[o.code] for o in chosen_outcomes],
            }
        ),
    )
    # The problems' stored computes from their rectification, as the ORM would have set them.
    psql(
        db,
        "UPDATE di_problem p SET rectification_state = r.state, deadline = r.deadline, "
        "grade_id = r.grade_id FROM di_rectification r WHERE r.problem_id = p.id",
    )
    tables = ("di_problem", "di_inspection", "di_rectification", "di_person", "di_person_identity")
    for table in tables:
        psql(db, f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")
    # Years of records, as autovacuum leaves them in a live database (the local test cluster
    # runs without it): vacuumed, so the first timed reads do not write hint bits.
    psql(db, "VACUUM (ANALYZE)")


def pulled_figures(connection: OdooRPCConnection, start: str, end: str) -> dict[str, int]:
    """The naive client: every row of the period over search_read, counted with pandas.

    Same figure definitions and counting as the file backend (case_tracker.figures,
    stats.engine); only where the rows come from differs.
    """
    results = {}
    pulled: dict[tuple[str, str], pd.DataFrame] = {}
    for figure in FIGURES:
        key = (figure.subject, figure.date_field)
        if key not in pulled:  # one pull per subject and date, shared by its figures
            needed = {"identity_key"} if figure.subject == "persons" else set()
            needed |= {
                f
                for other in FIGURES
                if (other.subject, other.date_field) == key
                for f, _op, _value in other.domain
            }
            domain = [
                (figure.date_field, ">=", start),
                (figure.date_field, "<=", end),
                *COUNTED_IN_ODOO[figure.subject],
            ]
            rows = connection.call(
                KINDS_BY_KEY[figure.subject].model, "search_read", domain, sorted(needed) or ["id"]
            )
            pulled[key] = pd.DataFrame(rows, columns=["id", *sorted(needed)])
        frame = pulled[key]
        results[figure.key] = measure(frame[evaluate_domain(frame, figure.domain)], figure)
    return results


def best_of(runs: int, function):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


@dataclass(frozen=True)
class CodeInstall(harness.OdooInstall):
    """The same Odoo running the add-on and package of another checkout (the baseline)."""

    code: Path = ROOT

    @property
    def addons_path(self) -> str:
        return super().addons_path.replace(str(harness.ADDONS), str(self.code / "addons"))

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "PYTHONPATH": str(self.code)}


def checkout(ref: str, folder: Path) -> Path:
    """The add-on and package of a git ref, extracted into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "addons", "case_tracker"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def list_spec(connection: OdooRPCConnection, model: str, view: str) -> dict:
    """The specification the web client sends for a view: its fields shown by default."""
    views = connection.call(model, "get_views", [[False, view]])
    arch = ET.fromstring(views["views"][view]["arch"])
    fields = views["models"][model]["fields"]
    spec = {}
    for node in arch.iter("field"):
        name = node.get("name")
        if node.get("optional") == "hide" or name not in fields:
            continue
        kind = fields[name]["type"]
        spec[name] = {"fields": {"display_name": {}}} if kind == "many2one" else {}
        if kind in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
    return spec


def ui_calls(connection: OdooRPCConnection, connect) -> list[tuple[str, float]]:
    """The web client's calls on big data, as it makes them (one RPC each, best of 3)."""
    context = {"tz": "Asia/Shanghai", "bin_size": True}
    pivot_connections = [connection, *(connect() for _ in range(3))]
    list_fields = list_spec(connection, "di.problem", "list")
    kanban_fields = list_spec(connection, "di.problem", "kanban")

    def problem_list():
        return connection.call(
            "di.problem",
            "web_search_read",
            [],
            list_fields,
            offset=0,
            limit=80,
            count_limit=10001,
            context=context,
        )

    def kanban():
        groups = connection.call(
            "di.problem",
            "web_read_group",
            [],
            ["rectification_state"],
            ["rectification_state"],
            limit=80,
            lazy=True,
            context=context,
        )
        first = groups["groups"][0]
        return connection.call(
            "di.problem",
            "web_search_read",
            first["__domain"],
            kanban_fields,
            limit=40,
            context=context,
        )

    def pivot():
        # The pivot's four read_groups (total, rows, columns, cells), sent at once as the
        # web client sends them (Promise.all), each on its own connection.
        groupbys = ([], ["unit_id"], ["category_id"], ["unit_id", "category_id"])

        def read_group(index):
            return pivot_connections[index].call(
                "di.problem",
                "read_group",
                [],
                ["__count"],
                groupbys[index],
                lazy=False,
                context=context,
            )

        with ThreadPoolExecutor(max_workers=len(groupbys)) as pool:
            return list(pool.map(read_group, range(len(groupbys))))

    def dashboard():
        action = connection.call("di.dashboard", "action_open_dashboard", context=context)
        # the tiles this server's dashboard has (a baseline may predate some)
        known = connection.call("di.dashboard", "fields_get", [], ["type"])
        names = [tile.key for tile in TILES if tile.key in known]
        return connection.call(
            "di.dashboard",
            "web_read",
            [action["res_id"]],
            {name: {} for name in names},
            context=context,
        )

    timed = []
    for label, function in (
        ("problem list (web_search_read, 80 rows, default order)", problem_list),
        ("kanban by rectification state (web_read_group + first column)", kanban),
        ("pivot unit x category (4 read_group at once)", pivot),
        ("dashboard (action + web_read of the tiles)", dashboard),
    ):
        function()  # warm
        seconds, _result = best_of(3, function)
        timed.append((label, seconds))
    return timed


def wizard_generation(connection: OdooRPCConnection) -> float:
    """生成通报 as a reviewer clicks it: figures, PDF and workbook of 2018-H1, city-wide."""
    values = {"period_type": "half", "year": 2018, "half": "1", "unit_id": False}
    wizard = connection.call("di.bulletin.wizard", "create", values)
    wizard = wizard[0] if isinstance(wizard, list) else wizard
    started = time.perf_counter()
    connection.call("di.bulletin.wizard", "action_generate", [wizard])
    return time.perf_counter() - started


PLAN_SCRIPT = r"""
import os, time
from odoo.addons.discipline_inspection.models import di_statistics
from odoo.tools import SQL
plans, original = [], di_statistics._fetch
def explained(cr, sql):  # each query's own plan: on one connection, one after the other
    with di_statistics._planner(cr, sql):  # as the query runs (its planner settings)
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", sql))
        plans.append((sql.code, [row[0] for row in cr.fetchall()]))
    return original(cr, sql)
di_statistics._fetch = explained
type(env["di.statistics"])._connections = lambda self: 1
env["di.statistics"]._statistics(os.environ["CT_PERIOD"])
with open(os.environ["CT_PLANS"], "w") as out:
    for number, (code, plan) in enumerate(plans, 1):
        out.write(f"-- query {number}\n{code}\n" + "\n".join(plan) + "\n\n")
print("CT_PLANS " + " | ".join(p[-1].strip() for _c, p in plans))
"""


def explain_statistics(odoo: harness.OdooInstall, db: str, plans: Path) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of every query of the bulletin statistics, into ``plans``."""
    env = {**odoo.env, "CT_PERIOD": PERIOD, "CT_PLANS": str(plans)}
    done = subprocess.run(
        odoo.command("-d", db, "--no-http", "--log-level=warn", subcommand="shell"),
        input=PLAN_SCRIPT,
        text=True,
        capture_output=True,
        env=env,
    )
    for line in done.stdout.splitlines():
        if line.startswith("CT_PLANS "):
            return line.split(" ", 1)[1].split(" | ")
    raise RuntimeError(f"odoo shell failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def measure_server(odoo, db: str, label: str, *, pull: bool, work: Path) -> dict:
    """Everything timed on one server (this code or the baseline's)."""
    server = harness.OdooServer(odoo, db, work / f"{db}-{label}-server.log").start()
    try:
        login = harness.TEST_ADMIN_LOGIN
        connection = OdooRPCConnection(server.url, db, login, login)
        connection.call("di.statistics", "compute_figures", PERIOD, False)  # warm the caches
        out = {"connection": connection}
        out["figures_time"], out["figures"] = best_of(
            3, lambda: connection.call("di.statistics", "compute_figures", PERIOD, False)
        )
        out["stats_time"], out["stats"] = best_of(
            3, lambda: connection.call("di.statistics", "compute_statistics", PERIOD, False)
        )
        out["wizard_time"] = min(wizard_generation(connection) for _ in range(2))
        if pull:  # this code: also on one connection, the queries one after the other
            set_param = ("ir.config_parameter", "set_param", CONNECTIONS_PARAMETER)
            connection.call(*set_param, "1")
            try:
                out["stats_one_time"], out["stats_one"] = best_of(
                    3, lambda: connection.call("di.statistics", "compute_statistics", PERIOD, False)
                )
            finally:
                connection.call(*set_param, False)  # back to the default
        print(
            f"  {label}: figures {out['figures_time']:.2f} s, "
            f"statistics {out['stats_time']:.2f} s, wizard {out['wizard_time']:.2f} s "
            f"(load {os.getloadavg()[0]:.2f})",
            flush=True,
        )
        out["ui"] = ui_calls(connection, lambda: OdooRPCConnection(server.url, db, login, login))
        if pull:
            out["pull_time"], out["pulled"] = best_of(
                1, lambda: pulled_figures(connection, "2018-01-01", "2018-06-30")
            )
        return out
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--problems", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--db", help="database name (default bench_stats_N)")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database a --keep run left (no set-up)"
    )
    parser.add_argument(
        "--baseline", metavar="REF", help="also time the statistics of this git ref (e.g. main)"
    )
    parser.add_argument(
        "--plans", type=Path, help="write the statistics' query plans here (EXPLAIN ANALYZE)"
    )
    args = parser.parse_args()
    odoo, reason = harness.find_odoo()
    if odoo is None:
        print(f"benchmark needs Odoo: {reason}")
        return 2
    harness.ensure_case_tracker(odoo)
    db = args.db or f"bench_stats_{args.problems}"
    work = Path(tempfile.mkdtemp(prefix="ct-bench-stats-"))
    fresh = not (
        args.reuse and psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'")
    )
    if fresh:
        harness.drop_db(db)
        started = time.perf_counter()
        log = work / f"{db}-install.log"
        result = harness.install(odoo, db, with_tests=False, log_file=log)
        if result.returncode:
            print(result.log[-3000:])
            return 1
        print(f"set-up: add-on installed in {time.perf_counter() - started:.0f} s")
        server = harness.OdooServer(odoo, db, work / f"{db}-setup-server.log").start()
        try:
            login = harness.TEST_ADMIN_LOGIN
            make_units(OdooRPCConnection(server.url, db, login, login))
        finally:
            server.stop()
        started = time.perf_counter()
        load_data(db, args.problems)
        print(f"set-up: loaded by COPY in {time.perf_counter() - started:.0f} s")
    else:  # the add-on of this checkout on the kept data (new columns and indexes)
        subprocess.run(
            odoo.command("-d", db, "-u", harness.MODULE, "--stop-after-init", "--no-http"),
            env=odoo.env,
            capture_output=True,
            check=True,
        )
    counts = psql(
        db,
        "SELECT (SELECT COUNT(*) FROM di_problem), (SELECT COUNT(*) FROM di_person), "
        "(SELECT COUNT(*) FROM di_inspection), (SELECT COUNT(*) FROM di_rectification)",
    ).strip()
    print(f"data: problems|persons|inspections|rectifications = {counts}")
    try:
        runs = {}
        if args.baseline:
            code = checkout(args.baseline, work / "baseline")
            baseline = CodeInstall(odoo.root, odoo.python, code)
            runs["before"] = measure_server(baseline, db, "before", pull=False, work=work)
        runs["after"] = measure_server(odoo, db, "after", pull=True, work=work)
        after = runs["after"]
        figures = after["figures"]
        if after["pulled"] != figures:
            print(f"MISMATCH: server {figures} vs pulled {after['pulled']}")
            return 1
        if after["stats_one"] != after["stats"]:
            print("MISMATCH: the statistics differ on one connection and on several")
            return 1
        if "before" in runs and runs["before"]["stats"]["figures"] != after["stats"]["figures"]:
            print("MISMATCH: the baseline's statistics differ")
            return 1
        from case_tracker.bulletin import render
        from case_tracker.bulletin.fonts import register
        from case_tracker.stats.bulletin import build_bulletin_data

        register()
        typed = Statistics.from_dict(after["stats"])
        pdf_time, pdf = best_of(3, lambda: render(build_bulletin_data(typed)))
        print(f"figures ({PERIOD}): " + ", ".join(f"{f.key}={figures[f.key]}" for f in FIGURES))
        print(f"load: {os.getloadavg()[0]:.2f} (1-minute average, 2 cores)")
        columns = [name for name in ("before", "after") if name in runs]
        print(f"{'':<64}" + "".join(f"{name:>10}" for name in columns) + "  target")
        rows = [
            ("headline figures over RPC (compute_figures)", "figures_time", "<= 2 s"),
            ("everything a bulletin needs over RPC (compute_statistics)", "stats_time", "<= 3 s"),
            ("wizard: figures, PDF and workbook (action_generate)", "wizard_time", "<= 5 s"),
        ]
        for label, key, target in rows:
            values = "".join(f"{runs[name][key]:>8.2f} s" for name in columns)
            print(f"{label:<64}{values}  {target}")
            if key == "stats_time":
                label = "  the same on one connection (its queries one after the other)"
                print(f"{label:<64}{after['stats_one_time']:>{10 * len(columns) - 2}.2f} s")
        for index, (label, _seconds) in enumerate(after["ui"]):
            values = "".join(f"{runs[name]['ui'][index][1]:>8.2f} s" for name in columns)
            print(f"UI: {label:<60}{values}  <= 1 s")
        pull = after["pull_time"]
        print(f"{'search_read of the period rows + pandas':<64}{pull:>18.2f} s")
        print(f"{'speed-up of server-side aggregation':<64}{pull / after['figures_time']:>16.0f} x")
        print(f"{'PDF render (' + str(len(pdf) // 1024) + ' KB)':<64}{pdf_time:>18.2f} s  <= 1 s")
        if args.plans:
            lines = explain_statistics(odoo, db, args.plans)
            print(f"query plans of the statistics ({len(lines)} queries) in {args.plans}:")
            for number, line in enumerate(lines, 1):
                print(f"  query {number}: {line}")
    finally:
        if not (args.keep or args.reuse):
            harness.drop_db(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
