"""Odoo layer: the add-on installs into a fresh Odoo 18 and its own Odoo tests pass."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from case_tracker.domain import load
from tests import odoo_harness as harness

pytestmark = pytest.mark.odoo

_RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


@pytest.mark.parametrize("install", ["odoo_install_result", "odoo_demo_install_result"])
def test_addon_installs_and_its_odoo_tests_pass(install, request):
    """Both ways users create databases: --without-demo, and the default (demo data on)."""
    _db, result = request.getfixturevalue(install)
    assert "installed without demo data" not in result.log, "the demo data failed to load"
    summary = _RESULT.findall(result.log)
    assert result.returncode == 0, "\n".join(result.problems[:40]) or result.log[-3000:]
    assert not result.problems, "\n".join(result.problems[:40])
    assert summary, "the add-on's Odoo tests did not run"
    failed, errors, total = map(int, summary[-1])
    assert (failed, errors) == (0, 0)
    assert total >= 10, f"only {total} Odoo tests ran"


def test_live_server_has_the_domain_core_master_data(odoo_rpc):
    domain = load()
    assert odoo_rpc.version.startswith("18.0")
    Category = odoo_rpc.env["di.category"]
    codes = {r["code"] for r in Category.search_read([], ["code"])}
    assert codes == {c.code for c in domain.categories}
    Outcome = odoo_rpc.env["di.outcome"]
    forms = {r["code"]: r["form"] for r in Outcome.search_read([], ["code", "form"])}
    assert {code: int(form) for code, form in forms.items()} == {
        o.code: o.form for o in domain.outcomes
    }


def test_a_test_server_that_reloads_itself_comes_back(odoo, odoo_logs):
    """Odoo reloads itself (SIGHUP, or a request over its time limit) by running its Python
    again as "python": the harness's path must lead to Odoo's own, or the server is gone for
    every test after it (seen once, after the Ctrl-C test held two batches 167 s)."""
    server = harness.OdooServer(odoo, "ct_no_such_db", odoo_logs / "server-reload.log").start()
    try:
        cmdline = Path(f"/proc/{server.process.pid}/cmdline")
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        # re-executed: its first argument is now the bare name (or it is gone)
        while server.process.poll() is None and time.monotonic() < deadline:
            if cmdline.read_bytes().split(b"\0")[0] == b"python":
                break
            time.sleep(0.2)
        server.wait_ready(timeout=120)
    finally:
        server.stop()
