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
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from case_tracker.domain import load  # noqa: E402
from case_tracker.figures import COUNTED_IN_ODOO, FIGURES  # noqa: E402
from case_tracker.rpc import OdooRPCConnection  # noqa: E402
from case_tracker.schema import ERROR, KINDS_BY_KEY, person_identity  # noqa: E402
from case_tracker.stats.engine import evaluate_domain, measure  # noqa: E402
from tests import odoo_harness as harness  # noqa: E402

PERIOD = "2018-H1"
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
    copy(
        db,
        "di_person",
        pd.DataFrame(
            {
                "id": person_ids,
                "ref": [f"BP{i:08d}" for i in person_ids],
                "name": names,
                "identity_key": [
                    person_identity(None, name, unit_code[u])
                    for name, u in zip(names, person_units, strict=True)
                ],
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
    for table in ("di_problem", "di_inspection", "di_rectification", "di_person"):
        psql(db, f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")
    psql(db, "ANALYZE")


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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--problems", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database a --keep run left (no set-up)"
    )
    args = parser.parse_args()
    odoo, reason = harness.find_odoo()
    if odoo is None:
        print(f"benchmark needs Odoo: {reason}")
        return 2
    harness.ensure_case_tracker(odoo)
    db = f"bench_stats_{args.problems}"
    fresh = not (
        args.reuse and psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'")
    )
    if fresh:
        harness.drop_db(db)
        started = time.perf_counter()
        log = Path(f"/tmp/{db}-install.log")
        result = harness.install(odoo, db, with_tests=False, log_file=log)
        if result.returncode:
            print(result.log[-3000:])
            return 1
        print(f"set-up: add-on installed in {time.perf_counter() - started:.0f} s")
    server = harness.OdooServer(odoo, db, Path(f"/tmp/{db}-server.log")).start()
    try:
        login = harness.TEST_ADMIN_LOGIN
        connection = OdooRPCConnection(server.url, db, login, login)
        started = time.perf_counter()
        if fresh:
            make_units(connection)
            load_data(db, args.problems)
        counts = psql(
            db,
            "SELECT (SELECT COUNT(*) FROM di_problem), (SELECT COUNT(*) FROM di_person), "
            "(SELECT COUNT(*) FROM di_inspection), (SELECT COUNT(*) FROM di_rectification)",
        ).strip()
        print(
            f"set-up: problems|persons|inspections|rectifications = {counts}"
            + (
                f" loaded by COPY in {time.perf_counter() - started:.0f} s"
                if fresh
                else " (reused)"
            )
        )
        connection.call("di.statistics", "compute_figures", PERIOD, False)  # warm the caches
        rpc_time, figures = best_of(
            3, lambda: connection.call("di.statistics", "compute_figures", PERIOD, False)
        )
        stats_time, stats = best_of(
            3, lambda: connection.call("di.statistics", "compute_statistics", PERIOD, False)
        )
        pull_time, pulled = best_of(
            1, lambda: pulled_figures(connection, "2018-01-01", "2018-06-30")
        )
        if pulled != figures:
            print(f"MISMATCH: server {figures} vs pulled {pulled}")
            return 1
        from case_tracker.bulletin import render
        from case_tracker.bulletin.fonts import register
        from case_tracker.stats.bulletin import build_bulletin_data

        register()
        pdf_time, pdf = best_of(3, lambda: render(build_bulletin_data(stats)))
        print(f"figures ({PERIOD}): " + ", ".join(f"{f.key}={figures[f.key]}" for f in FIGURES))
        report = [
            ("headline figures over RPC (compute_figures)", f"{rpc_time:.2f} s", "<= 2 s"),
            ("whole bulletin statistics over RPC", f"{stats_time:.2f} s", ""),
            ("search_read of the period's rows + pandas", f"{pull_time:.2f} s", ""),
            ("speed-up of server-side aggregation", f"{pull_time / rpc_time:.0f} x", ">= 20 x"),
            (f"PDF render ({len(pdf) // 1024} KB)", f"{pdf_time:.2f} s", "<= 1 s"),
        ]
        for label, value, target in report:
            print(f"{label:<46}{value:>10}  {('target ' + target) if target else ''}")
    finally:
        server.stop()
        if not (args.keep or args.reuse):
            harness.drop_db(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
