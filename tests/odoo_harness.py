"""Running a real Odoo 18 for the tests: find it, install the add-on, serve it.

The Odoo layer of the test suite uses these helpers through the fixtures in
``conftest.py``.  Odoo is never part of this repository: it is found at
``$ODOO_PATH`` or ``/opt/odoo18`` and run by its own virtualenv's Python.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADDONS = REPO / "addons"
MODULE = "discipline_inspection"
#: The admin password of a freshly created test database (Odoo's default).
#: Only ever used against throw-away databases on loopback.
TEST_ADMIN_LOGIN = "admin"


@dataclass(frozen=True)
class OdooInstall:
    root: Path
    python: Path

    @property
    def odoo_bin(self) -> Path:
        return self.root / "odoo-bin"

    @property
    def addons_path(self) -> str:
        core = [p for p in (self.root / "addons", self.root / "odoo" / "addons") if p.is_dir()]
        return ",".join(str(p) for p in (*core, ADDONS))

    @property
    def env(self) -> dict[str, str]:
        """Odoo's environment: this checkout's case_tracker first on the path.

        Odoo's venv may hold case_tracker from another checkout (or none); the
        add-on under test must import the package of the same commit.
        """
        paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
        # Odoo reloads itself by running its Python again under the bare name "python",
        # which the path resolves (after a request over its time limit, for one): it must
        # find this Python, not the system's, which lacks Odoo's packages.
        path = [str(self.python.parent), *filter(None, [os.environ.get("PATH")])]
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(paths),
            "PATH": os.pathsep.join(path),
        }

    def command(self, *args: str, subcommand: str | None = None) -> list[str]:
        """odoo-bin with this project's addons path; a subcommand (shell) must come first."""
        return [
            str(self.python),
            str(self.odoo_bin),
            *([subcommand] if subcommand else []),
            f"--addons-path={self.addons_path}",
            "--db_host=",
            *(_db_args()),
            *args,
        ]


def _db_args() -> list[str]:
    """Database connection from the usual PG* variables; the local socket otherwise."""
    args = []
    if os.environ.get("PGUSER"):
        args.append(f"--db_user={os.environ['PGUSER']}")
    if os.environ.get("PGPORT"):
        args.append(f"--db_port={os.environ['PGPORT']}")
    return args


def find_odoo() -> tuple[OdooInstall | None, str]:
    """The Odoo 18 to test against, or None and the reason why there is none."""
    candidates = [os.environ["ODOO_PATH"]] if os.environ.get("ODOO_PATH") else ["/opt/odoo18"]
    for candidate in candidates:
        root = Path(candidate)
        if not (root / "odoo-bin").is_file():
            return None, f"no Odoo 18 source at {root} (set ODOO_PATH to an Odoo 18.0 checkout)"
        release = root / "odoo" / "release.py"
        if release.is_file() and "version_info = (18, 0" not in release.read_text():
            return None, f"{root} is not Odoo 18.0"
        venv_python = root / ".venv" / "bin" / "python"
        python = venv_python if venv_python.is_file() else Path(sys.executable)
        return OdooInstall(root, python), ""
    return None, "no Odoo found"


def ensure_case_tracker(odoo: OdooInstall) -> None:
    """Odoo's Python must import case_tracker (the add-on's external dependency)."""
    check = subprocess.run(
        [str(odoo.python), "-c", "import case_tracker, pandas, odoorpc"], capture_output=True
    )
    if check.returncode == 0:
        return
    # Its dependencies into Odoo's venv; the package itself comes from OdooInstall.env.
    subprocess.run([str(odoo.python), "-m", "pip", "install", "--quiet", str(REPO)], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str, dbname: str = "postgres") -> None:
    subprocess.run(["psql", "-X", "-q", "-d", dbname, "-c", sql], check=True, capture_output=True)


def drop_db(name: str) -> None:
    with contextlib.suppress(subprocess.CalledProcessError):
        psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        psql(f'DROP DATABASE IF EXISTS "{name}"')
    filestore = Path.home() / ".local" / "share" / "Odoo" / "filestore" / name
    shutil.rmtree(filestore, ignore_errors=True)


def copy_db(template: str, name: str) -> None:
    """A fresh database as a copy of an installed one: seconds instead of minutes."""
    drop_db(name)
    psql(  # a template must have no other session open
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{template}' AND pid <> pg_backend_pid()"
    )
    psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    source = Path.home() / ".local" / "share" / "Odoo" / "filestore" / template
    if source.is_dir():
        shutil.copytree(source, source.parent / name)


# Lines of an Odoo log that mean a test or the install went wrong.
_BAD_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
_MODULE_WARNING = re.compile(rf"^\S+ \S+ \d+ WARNING \S+ odoo\.addons\.{MODULE}\b")


@dataclass(frozen=True)
class InstallResult:
    returncode: int
    log: str

    @property
    def problems(self) -> list[str]:
        """ERROR/CRITICAL lines, and WARNING lines logged by the add-on itself."""
        return [
            line
            for line in self.log.splitlines()
            if _BAD_LINE.match(line) or _MODULE_WARNING.match(line)
        ]


def start_install(
    odoo: OdooInstall, db: str, *, with_tests: bool, log_file: Path, demo: bool = False
) -> PendingInstall:
    """Start installing the add-on into a fresh database (optionally running its Odoo
    tests); ``wait()`` on the result. Two installs started together share the cores."""
    args = ["-d", db, "-i", MODULE, "--stop-after-init", "--log-level=info"]
    # --test-enable serves HTTP for HttpCase: a free port, not 8069 (other runs may hold it).
    args.append(f"--http-port={free_port()}")
    if not demo:
        args.append("--without-demo=all")
    if with_tests:
        args += ["--test-enable", f"--test-tags=/{MODULE}"]
    with log_file.open("w") as log:
        proc = subprocess.Popen(
            odoo.command(*args),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=odoo.env,
            start_new_session=True,
        )
    return PendingInstall(proc, log_file)


@dataclass
class PendingInstall:
    """An install under way: its process and log."""

    process: subprocess.Popen
    log_file: Path

    def wait(self) -> InstallResult:
        returncode = self.process.wait()
        return InstallResult(returncode, self.log_file.read_text(errors="replace"))

    def stop(self) -> None:
        """End the install if it still runs (a session that no longer needs it)."""
        stop_group(self.process)


def install(
    odoo: OdooInstall, db: str, *, with_tests: bool, log_file: Path, demo: bool = False
) -> InstallResult:
    """Install the add-on into a fresh database, optionally running its Odoo tests."""
    return start_install(odoo, db, with_tests=with_tests, log_file=log_file, demo=demo).wait()


class OdooServer:
    """A loopback Odoo server for the databases a filter admits (threaded, or ``workers``
    prefork processes as a production server runs)."""

    def __init__(
        self,
        odoo: OdooInstall,
        db_filter: str,
        log_file: Path,
        env: dict | None = None,
        workers: int = 0,
    ) -> None:
        self.odoo, self.db_filter, self.log_file = odoo, db_filter, log_file
        self.env = env or odoo.env
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> OdooServer:
        log = self.log_file.open("w")
        self.process = subprocess.Popen(
            self.odoo.command(
                f"--db-filter=^{self.db_filter}$",
                "--http-interface=127.0.0.1",
                f"--http-port={self.port}",
                f"--workers={self.workers}",
                *((f"--gevent-port={free_port()}",) if self.workers else ()),
                "--max-cron-threads=0",
                "--log-level=warn",
                "--no-database-list",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=self.env,
        )
        return self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 180) -> OdooServer:
        """The server once it answers (stopped, and an error, if it exits or never does)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited early; see {self.log_file}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=30) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(1)
        self.stop()
        raise RuntimeError(f"Odoo did not answer within {timeout}s; see {self.log_file}")

    def stop(self) -> None:
        if self.process:
            stop_group(self.process)


def stop_group(process: subprocess.Popen) -> None:
    """End a process started in a session of its own, and its children: SIGTERM, then
    SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
