#!/usr/bin/env python3
"""Run a local Odoo 18 with the case_tracker add-on and demo data, in Chinese.

    ODOO_PATH=/opt/odoo18 python scripts/run_local.py [--db NAME] [--port 8069] [--reset]

It uses the Odoo source at $ODOO_PATH (default /opt/odoo18) and its .venv, installs
case_tracker into that Python if missing, creates the database (zh_CN, demo data),
sets every demo user's password to $CT_DEMO_PASSWORD (or a random one it prints),
then serves on 127.0.0.1 and prints the URL and the logins.  It never contains
or downloads Odoo.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.odoo_harness import MODULE, ensure_case_tracker, find_odoo  # noqa: E402

SET_PASSWORDS = """
import os
users = env["res.users"].search(
    [("share", "=", False), ("login", "not in", ("__system__", "default"))]
)
users.write({"password": os.environ["CT_DEMO_PASSWORD"], "lang": "zh_CN"})
env.cr.commit()
print("\\n".join(f"LOGIN {u.login}\\t{u.name}" for u in users))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="case_tracker_demo")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()

    odoo, reason = find_odoo()
    if odoo is None:
        print(f"error: {reason}", file=sys.stderr)
        return 2
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
    logins = [line[6:] for line in shell.stdout.splitlines() if line.startswith("LOGIN ")]
    url = f"http://127.0.0.1:{args.port}/odoo?db={args.db}"
    print(f"\nOpen {url}\nPassword for every user below: {password}")
    for login in logins:
        print(f"  {login}")
    print("Ctrl-C stops the server.\n", flush=True)
    server = odoo.command(
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={args.port}",
    )
    try:
        return subprocess.call(server, env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
