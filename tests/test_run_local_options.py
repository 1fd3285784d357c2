"""scripts/run_local.py without Odoo: its default database and port, and the logins it prints."""

from __future__ import annotations

import importlib.util
import re
import socket

import pytest

from tests.odoo_harness import REPO

spec = importlib.util.spec_from_file_location("run_local", REPO / "scripts" / "run_local.py")
run_local = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_local)


def test_the_default_database_is_this_checkouts_own():
    name = run_local.default_db()
    assert re.fullmatch(r"ct_demo_[a-z0-9_]+", name)
    assert name.endswith(re.sub(r"[^a-z0-9_]+", "_", REPO.name.lower()))


def test_a_taken_port_is_not_used():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not run_local.port_is_free(port)
        with pytest.raises(SystemExit, match=f"port {port} is taken"):
            run_local.choose_port(port)
    assert run_local.port_is_free(port)
    assert run_local.choose_port(port) == port


def test_by_default_8069_or_the_next_free_port():
    port = run_local.choose_port(None)
    assert run_local.port_is_free(port)
    taken = range(run_local.DEFAULT_PORT, port)
    assert all(not run_local.port_is_free(p) for p in taken)


def test_each_login_is_printed_with_its_role_and_units():
    table = run_local.login_table(
        [
            ["hs_inspector", "周明", "检查员 Inspector", "海曙区"],
            ["admin", "Mitchell Admin", "管理员 Administrator", ""],
            ["demo", "Marc Demo", "", ""],
        ]
    )
    lines = table.splitlines()
    assert re.search(r"hs_inspector +周明 +检查员 Inspector +海曙区$", lines[1])
    assert lines[2].endswith("every unit (administrator) / 全部单位")
    assert re.search(r"demo +Marc Demo +— +no access to the add-on", lines[3])
    # Columns line up on screen although Chinese characters are twice as wide.
    starts = {
        run_local._width(line[: line.index(role)])
        for line, role in zip(lines[1:], ("检查员", "管理员", "—"), strict=True)
    }
    assert len(starts) == 1, lines
