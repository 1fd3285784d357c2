#!/usr/bin/env python3
"""Import register files into Odoo from a scheduled job (cron, systemd timer).

The same code as ``case-tracker import`` — same arguments, same validation,
same idempotent upsert, same exit codes — without a terminal: the password or
API key comes only from the environment variable ``ODOO_PASSWORD`` (never the
command line, never a prompt), progress goes to stderr as plain lines, and an
error report is written where ``--report`` says.

Usage::

    ODOO_PASSWORD=... python3 scripts/import_register.py /srv/registers/*.xlsx \\
        --url https://odoo.example.org --db prod --user importer \\
        --report /var/log/case_tracker/import-errors.csv

A crontab line, the secret kept in a file only the job's user can read
(``chmod 600``; it contains ``ODOO_PASSWORD=...``)::

    15 2 * * * set -a; . /etc/case_tracker/import.env; set +a; \\
        /opt/case_tracker/.venv/bin/python /opt/case_tracker/scripts/import_register.py \\
        /srv/registers/*.xlsx --url https://odoo.example.org --db prod --user importer \\
        --report /var/log/case_tracker/import-errors.csv >> /var/log/case_tracker/import.log 2>&1

Exit codes: 0 everything went in (created, updated or unchanged); 1 some rows
were rejected (see the report); 2 usage, file or connection error; 3 refused by
``--strict``.  A run that is killed or loses its connection can simply be run
again: every batch is one transaction and rows are matched by business key, so
the second run completes the first and duplicates nothing.  Two runs at the
same time are safe too.
"""

from __future__ import annotations

import os
import sys

from case_tracker.cli import main
from case_tracker.rpc import PASSWORD_ENV


def run(argv: list[str]) -> int:
    offline = {"--dry-run", "--template", "-h", "--help"} & set(argv)
    if not offline and not os.environ.get(PASSWORD_ENV):
        print(
            f"error: 请设置环境变量 {PASSWORD_ENV} / set {PASSWORD_ENV} (no prompt in a job)",
            file=sys.stderr,
        )
        return 2
    return main(["import", *argv])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
