"""Drop the indexes that led another index's columns.

Up to 18.0.1.4.0 a problem's unit had an index of its own, and so had a bulletin's
company. The problem's (unit, category, company) index made by ``init()`` and the
bulletin's unique (company, number) constraint now lead with those columns and serve the
same lookups; every insert, and every update not made in place, wrote both. The ORM keeps
an index a field no longer asks for, so they are dropped here.
"""

from odoo.tools.sql import drop_index

#: table -> the column its index, now led by a wider one, was on
LEADING = {
    "di_problem": "unit_id",
    "di_bulletin": "company_id",
}


def migrate(cr, version):
    for table, column in LEADING.items():
        drop_index(cr, f"{table}__{column}_index", table)
