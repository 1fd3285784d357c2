"""Test layers: everything runs without Odoo; tests marked ``odoo`` need a real Odoo 18.

The Odoo layer runs whenever an Odoo 18 source is found at ``$ODOO_PATH`` or
``/opt/odoo18`` and is otherwise skipped with one clear reason.  Its fixtures
install the add-on once per session into a fresh database (running the add-on's
own Odoo tests), keep that database as a pristine template, and hand each test
that writes a copy of it behind one shared loopback server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import odoo_harness as harness

ODOO, NO_ODOO_REASON = harness.find_odoo()
SKIP_REASON = f"Odoo layer skipped: {NO_ODOO_REASON}"


def pytest_report_header(config: pytest.Config) -> str:
    if ODOO is None:
        return SKIP_REASON
    return f"Odoo layer: {ODOO.root} (python {ODOO.python})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ODOO is not None:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if "odoo" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def odoo() -> harness.OdooInstall:
    if ODOO is None:
        pytest.skip(SKIP_REASON)
    harness.ensure_case_tracker(ODOO)
    return ODOO


@pytest.fixture(scope="session")
def odoo_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(os.environ.get("CT_ODOO_LOG_DIR") or tmp_path_factory.mktemp("odoo-logs"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def session_tag() -> str:
    return f"ct_{os.getpid()}_{uuid.uuid4().hex[:6]}"


#: The installs the Odoo layer copies its databases from: fixture -> (database suffix, demo?).
INSTALLS = {
    "odoo_install_result": ("tpl", False),
    "odoo_demo_install_result": ("demo_tpl", True),
}


def _installs_needed(items: list[pytest.Item]) -> list[str]:
    """The installs the selected tests use, directly or as a parameter's fixture name."""
    needed: set[str] = set()
    for item in items:
        needed.update(name for name in item.fixturenames if name in INSTALLS)
        params = getattr(getattr(item, "callspec", None), "params", {})
        needed.update(v for v in params.values() if isinstance(v, str) and v in INSTALLS)
    return [name for name in INSTALLS if name in needed]


class _Installs:
    """The session's installs, each started once; several may run at the same time."""

    def __init__(self, odoo: harness.OdooInstall, logs: Path, tag: str) -> None:
        self.odoo, self.logs, self.tag = odoo, logs, tag
        self.started: dict[str, tuple[str, harness.PendingInstall]] = {}

    def start(self, name: str) -> None:
        if name in self.started:
            return
        suffix, demo = INSTALLS[name]
        db = f"{self.tag}_{suffix}"
        harness.drop_db(db)
        log_file = self.logs / f"install-{suffix}.log"
        self.started[name] = (
            db,
            harness.start_install(self.odoo, db, with_tests=True, log_file=log_file, demo=demo),
        )

    def result(self, name: str) -> tuple[str, harness.InstallResult]:
        self.start(name)  # (a test that asks for an install the collection did not foresee)
        db, pending = self.started[name]
        return db, pending.wait()

    def close(self) -> None:
        for db, pending in self.started.values():
            pending.stop()
            harness.drop_db(db)


@pytest.fixture(scope="session")
def odoo_installs(
    odoo: harness.OdooInstall, odoo_logs: Path, session_tag: str, request: pytest.FixtureRequest
) -> Iterator[_Installs]:
    """Every install the session's tests need, started at once (the add-on's Odoo tests run
    in each). The two installs on two cores, twice each: 59 and 54 s together, 131 and 138 s
    one after the other (much of an install waits on the database, not on a core)."""
    installs = _Installs(odoo, odoo_logs, session_tag)
    try:
        for name in _installs_needed(request.session.items):
            installs.start(name)
        yield installs
    finally:
        installs.close()


@pytest.fixture(scope="session")
def odoo_install_result(odoo_installs: _Installs) -> tuple[str, harness.InstallResult]:
    """The add-on installed with --test-enable into a fresh database (its Odoo tests ran)."""
    return odoo_installs.result("odoo_install_result")


@pytest.fixture(scope="session")
def odoo_demo_install_result(odoo_installs: _Installs) -> tuple[str, harness.InstallResult]:
    """The same, the way ``odoo-bin -i`` creates a database by default: with demo data."""
    return odoo_installs.result("odoo_demo_install_result")


def _installed(install: tuple[str, harness.InstallResult]) -> str:
    db, result = install
    if "Modules loaded." not in result.log:
        pytest.fail(f"the add-on did not install:\n{result.log[-4000:]}")
    return db


@pytest.fixture(scope="session")
def odoo_template_db(odoo_install_result: tuple[str, harness.InstallResult]) -> str:
    """A pristine installed database (no demo data); never served, only copied."""
    return _installed(odoo_install_result)


@pytest.fixture(scope="session")
def odoo_demo_template_db(odoo_demo_install_result: tuple[str, harness.InstallResult]) -> str:
    """A pristine installed database with the add-on's demo data; never served, only copied."""
    return _installed(odoo_demo_install_result)


@pytest.fixture(scope="session")
def odoo_server(
    odoo: harness.OdooInstall, odoo_logs: Path, session_tag: str, odoo_template_db: str
) -> Iterator[harness.OdooServer]:
    """One loopback server for every test database of this session."""
    server = harness.OdooServer(odoo, f"{session_tag}_db_.*", odoo_logs / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def odoo_db_factory(odoo_template_db: str, session_tag: str) -> Iterator[Callable[[], str]]:
    """Make fresh databases (copies of the installed template); dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"{session_tag}_db_{uuid.uuid4().hex[:8]}"
        harness.copy_db(odoo_template_db, name)
        made.append(name)
        return name

    yield make
    for name in made:
        harness.drop_db(name)


@pytest.fixture
def odoo_db(odoo_db_factory: Callable[[], str], odoo_server: harness.OdooServer) -> str:
    """A fresh installed database, served by :func:`odoo_server`."""
    return odoo_db_factory()


@pytest.fixture
def odoo_rpc(odoo_server: harness.OdooServer, odoo_db: str):
    """An odoorpc client logged in as the admin of a fresh database."""
    import odoorpc

    client = odoorpc.ODOO("127.0.0.1", port=odoo_server.port, timeout=600)
    client.login(odoo_db, harness.TEST_ADMIN_LOGIN, harness.TEST_ADMIN_LOGIN)
    return client
