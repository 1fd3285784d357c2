"""Recompute the stored flags that earlier versions could leave stale or empty.

Before 18.0.1.1.0 a category stored its own copy of the eight-point flag, which
an install whose demo data was rolled back left NULL; problems, rectifications
and persons copied it on.  The heaviest outcome of a handled person was stored
empty, and so was an inspection's main unit (which decides who sees it).  Recompute
them all once, from the master data as it is now.
"""

from odoo import SUPERUSER_ID, api

STALE = {
    "di.inspection": ["unit_id"],
    "di.problem": ["eight_point"],
    "di.rectification": ["eight_point"],
    "di.person": ["eight_point", "heaviest_outcome_id", "form", "sanctioned"],
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for model, names in STALE.items():
        records = env[model].with_context(active_test=False).search([])
        for name in names:
            env.add_to_compute(env[model]._fields[name], records)
    env.flush_all()
