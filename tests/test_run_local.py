"""Odoo layer: scripts/run_local.py — the one command an evaluator uses to see the UI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid

import pytest

from tests import odoo_harness as harness

pytestmark = pytest.mark.odoo


def test_run_local_installs_demo_in_chinese_and_serves_it(odoo, tmp_path):
    db = f"ct_local_{uuid.uuid4().hex[:8]}"
    port = harness.free_port()
    env = {**os.environ, "ODOO_PATH": str(odoo.root), "CT_DEMO_PASSWORD": "local-demo-pw"}
    log = (tmp_path / "run_local.log").open("w+")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(harness.REPO / "scripts" / "run_local.py"),
            "--db",
            db,
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while "Ctrl-C stops the server." not in (tmp_path / "run_local.log").read_text():
            assert proc.poll() is None, (tmp_path / "run_local.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "run_local.py did not get ready"
            time.sleep(2)
        output = (tmp_path / "run_local.log").read_text()
        assert f"http://127.0.0.1:{port}/odoo?db={db}" in output
        assert "local-demo-pw" in output
        # Each login with its role and units.
        assert re.search(r"hs_inspector +周明 +检查员 Inspector +海曙区\n", output)
        assert re.search(r"city_admin +陈静 +管理员 Administrator +宁波市\n", output)

        import odoorpc

        for _attempt in range(60):  # the server starts after the message
            try:
                client = odoorpc.ODOO("127.0.0.1", port=port, timeout=120)
                client.login(db, "hs_inspector", "local-demo-pw")
                break
            except Exception:
                time.sleep(2)
        else:
            pytest.fail("could not log in as hs_inspector")
        user = client.env.user
        assert user.lang == "zh_CN"
        assert client.env["di.problem"].search_count([]) > 0  # demo data, seen through the rules
        menu = client.env.ref("discipline_inspection.menu_di_problem")
        assert menu.with_context(lang="zh_CN").name == "发现问题"

        # The demo chatter is Chinese: no message names a model in English ("Problem 创建").
        client.login(db, "admin", "local-demo-pw")
        models = client.execute_kw(
            "ir.model",
            "search_read",
            [[("model", "=like", "di.%"), ("is_mail_thread", "=", True)]],
            {"fields": ["model", "name"], "context": {"lang": "en_US"}},
        )
        assert len(models) >= 5
        Message = client.env["mail.message"]
        assert Message.search_count([("model", "=like", "di.%")]) > 0
        for model in models:
            english = Message.search_count(
                [("model", "=", model["model"]), ("body", "ilike", model["name"])]
            )
            assert english == 0, f"{english} messages on {model['model']} say {model['name']!r}"
    finally:
        harness.stop_group(proc)
        harness.drop_db(db)
