#!/usr/bin/env python3
"""Run a local Odoo 18 with the case_tracker add-on and demo data, in Chinese.

    ODOO_PATH=/opt/odoo18 python3 scripts/run_local.py [--db NAME] [--port N] [--reset]

It uses the Odoo source at $ODOO_PATH (default /opt/odoo18) and its .venv, installs
case_tracker into that Python if missing, creates the database (zh_CN, demo data; a few
minutes the first time), sets every user's password to $CT_DEMO_PASSWORD (or a random one
it prints), then serves on 127.0.0.1 and prints the URL and each login with its role and
units.  It never contains or downloads Odoo.

Options:
  --db NAME   the database (default ct_demo_<user>_<checkout folder>: each checkout on a
              shared machine has its own); created when missing, reused otherwise
  --port N    the HTTP port (default 8069, or the next free one when 8069 is taken);
              an explicit port that is taken is an error
  --reset     drop the database and install it again
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import secrets
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.odoo_harness import MODULE, ensure_case_tracker, find_odoo  # noqa: E402

DEFAULT_PORT = 8069

#: Run in `odoo-bin shell`: every internal user gets the password and Chinese; then one line
#: per user: login, name, role in the add-on, units.
SET_PASSWORDS = """
import os
users = env["res.users"].search(
    [("share", "=", False), ("login", "not in", ("__system__", "default"))], order="id"
)
users.write({"password": os.environ["CT_DEMO_PASSWORD"], "lang": "zh_CN"})
env.cr.commit()
roles = [
    ("group_di_admin", "管理员 Administrator"),
    ("group_di_reviewer", "审核员 Reviewer"),
    ("group_di_inspector", "检查员 Inspector"),
    ("group_di_leader", "领导 Leader"),
    ("group_di_liaison", "整改联络员 Rectification liaison"),
]
for user in users:
    role = next(
        (label for group, label in roles if user.has_group("discipline_inspection." + group)),
        "",
    )
    units = "、".join(user.di_unit_ids.mapped("name"))
    print("\\t".join(["LOGIN", user.login, user.name, role, units]))
"""


def default_db() -> str:
    """One demo database per user and checkout, so that checkouts on one machine never share."""
    name = f"ct_demo_{getpass.getuser()}_{REPO.name}".lower()
    return re.sub(r"[^a-z0-9_]+", "_", name)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As Odoo's server binds: a port held only by closing connections is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(requested: int | None) -> int:
    """The requested port; by default 8069 or, when it is taken, the next free one."""
    if requested is not None:
        if not port_is_free(requested):
            raise SystemExit(
                f"error: port {requested} is taken; choose another --port or leave it out "
                "to get a free one"
            )
        return requested
    for port in range(DEFAULT_PORT, DEFAULT_PORT + 100):
        if port_is_free(port):
            return port
    with socket.socket() as sock:  # all taken: any free port
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def login_table(lines: list[list[str]]) -> str:
    """The logins, aligned, with a note for users outside the add-on's groups."""
    rows = [["login", "name / 姓名", "role / 角色", "units / 所属单位"]]
    for login, name, role, units in lines:
        if not role:
            role, units = "—", "no access to the add-on / 无本系统权限"
        elif not units:
            units = "every unit (administrator) / 全部单位" if "Administrator" in role else "—"
        rows.append([login, name, role, units])
    widths = [max(_width(row[i]) for row in rows) + 2 for i in range(3)]
    return "\n".join(
        "  " + "".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + row[3]
        for row in rows
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=default_db(), help="database (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, help=f"HTTP port (default {DEFAULT_PORT}, or a free one if taken)"
    )
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()

    odoo, reason = find_odoo()
    if odoo is None:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    port = choose_port(args.port)
    ensure_case_tracker(odoo)
    exists = (
        subprocess.run(
            ["psql", "-XtAc", f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "1"
    )
    if exists and args.reset:
        subprocess.run(["dropdb", "--if-exists", args.db], check=True)
        exists = False
    from_env = bool(os.environ.get("CT_DEMO_PASSWORD"))
    password = os.environ.get("CT_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    env = {**odoo.env, "CT_DEMO_PASSWORD": password}
    if not exists:
        print(f"Installing {MODULE} with demo data into {args.db} (takes a few minutes)...")
        subprocess.run(
            odoo.command("-d", args.db, "-i", MODULE, "--load-language=zh_CN", "--stop-after-init"),
            check=True,
            env=env,
        )
    shell = subprocess.run(
        odoo.command("-d", args.db, "--no-http", subcommand="shell"),
        input=SET_PASSWORDS,
        text=True,
        capture_output=True,
        env=env,
        check=True,
    )
    logins = [line.split("\t")[1:5] for line in shell.stdout.splitlines() if line[:6] == "LOGIN\t"]
    url = f"http://127.0.0.1:{port}/odoo?db={args.db}"
    note = "" if port == DEFAULT_PORT or args.port else f"  ({DEFAULT_PORT} is taken)"
    source = "$CT_DEMO_PASSWORD" if from_env else "random, set for this run"
    print(f"\nOpen {url}{note}")
    print(f"Password of every login below ({source}): {password}")
    print(login_table(logins))
    print("Ctrl-C stops the server.\n", flush=True)
    server = odoo.command(
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
    )
    try:
        return subprocess.call(server, env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
