"""Odoo layer: a deployment's own lists, added the supported way, reach every path.

Master data has one owner, the domain file.  A commission that needs a category
of its own copies ``domain.toml``, adds it with its validity dates, points
``CASE_TRACKER_DOMAIN_FILE`` at the copy and upgrades the add-on.  Then a
register row using the new category imports (the client reads the register
with the server's lists) and the bulletin shows it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from case_tracker.domain import parse, source_text, use
from case_tracker.export import dataset_records, write_register
from case_tracker.stats.dataset import Dataset
from tests import odoo_harness as harness
from tests.test_stats import UNITS, person, problem

pytestmark = pytest.mark.odoo

NEW_CATEGORY = """
[[categories]]
code = "loc_dormitory"
list = "local"
parent = "loc"
name = "违规占用公有住房"
name_en = "Improper use of public housing"
aliases = ["占用公房"]
sequence = 90
valid_from = "2018-03-01"
"""


@pytest.fixture(scope="module")
def own_lists(odoo, odoo_template_db, session_tag, tmp_path_factory, odoo_logs):
    """A database upgraded with a domain file that has one more category, and its server."""
    folder = tmp_path_factory.mktemp("own-lists")
    domain_file = folder / "domain.toml"
    domain_file.write_text(source_text() + NEW_CATEGORY, encoding="utf-8")
    db = f"{session_tag}_own_lists"
    harness.copy_db(odoo_template_db, db)
    env = {**odoo.env, "CASE_TRACKER_DOMAIN_FILE": str(domain_file)}
    upgrade = subprocess.run(
        odoo.command("-d", db, "-u", harness.MODULE, "--stop-after-init", "--http-port=0"),
        env=env,
        capture_output=True,
        text=True,
    )
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    server = harness.OdooServer(odoo, db, odoo_logs / "own-lists.log", env=env).start()
    try:
        yield server, db, domain_file
    finally:
        server.stop()
        harness.drop_db(db)


def _cli(*args: str, password: str = "") -> subprocess.CompletedProcess:
    # The client machine has no domain file of its own: it must take the server's.
    env = {k: v for k, v in os.environ.items() if k != "CASE_TRACKER_DOMAIN_FILE"}
    env["ODOO_PASSWORD"] = password
    command = [sys.executable, "-m", "case_tracker.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def test_a_category_added_to_the_domain_file_imports_and_shows_in_the_bulletin(
    own_lists, tmp_path: Path
):
    server, db, domain_file = own_lists
    custom = parse(domain_file.read_text(encoding="utf-8"))
    rows = {
        "units": UNITS,
        "problems": [
            problem("D1", date(2018, 4, 2), "loc_dormitory", unit="A1"),
            problem("D2", date(2018, 4, 3), "e8_dining", unit="B"),
        ],
        "persons": [person("H1", ["D1"], ["criticism"], date(2018, 5, 2))],
    }
    with use(custom):
        records = dataset_records(Dataset.from_rows(rows))
        paths = write_register(records, tmp_path / "register", "csv")
    problems_csv = next(p for p in paths if p.name == "problems.csv")
    text = problems_csv.read_text(encoding="utf-8-sig")
    assert "违规占用公有住房" in text
    # As a clerk writes it: the alias the deployment's file accepts.
    problems_csv.write_text(text.replace("违规占用公有住房", "占用公房"), encoding="utf-8-sig")
    login = harness.TEST_ADMIN_LOGIN
    live = ("--url", server.url, "--db", db, "--user", login)

    imported = _cli("import", *map(str, paths), *live, password=login)
    assert imported.returncode == 0, imported.stdout + imported.stderr

    stats = _cli("stats", "--period", "2018", "--json", *live, password=login)
    assert stats.returncode == 0, stats.stderr
    rows_by_code = {r["code"]: r for r in json.loads(stats.stdout)["breakdowns"]["categories"]}
    assert rows_by_code["loc_dormitory"]["problems"] == 1
    assert rows_by_code["loc_dormitory"]["persons"] == 1
    assert rows_by_code["loc_dormitory"]["label"] == "违规占用公有住房"

    pdf = tmp_path / "bulletin.pdf"
    made = _cli("bulletin", "--period", "2018", *live, "-o", str(pdf), password=login)
    assert made.returncode == 0, made.stderr
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "违规占用公有住房" in text.replace("\n", "")

    # Before its validity began, the server refuses the category with the rule's message.
    early = {**records["problems"][0], "ref": "D3", "discovery_date": date(2018, 2, 1)}
    with use(custom):
        written = write_register({"problems": [early]}, tmp_path / "early", "csv")
    (early_file,) = (p for p in written if p.name == "problems.csv")
    refused = _cli("import", str(early_file), *live, password=login)
    assert refused.returncode == 1
    assert "not in use" in refused.stdout + refused.stderr
