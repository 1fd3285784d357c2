"""Drop the indexes that repeated a unique constraint's.

Up to 18.0.1.3.0 the columns with a unique constraint (the references of problems,
persons and inspections, a rectification's problem, the codes of units and master data,
the identity keys, the bulletins' verification codes) were indexed twice: by
``index=True`` and by the constraint.  Every insert, and every update not made in place,
wrote both.  The ORM keeps an index a field no longer asks for, so they are dropped here.
"""

from odoo.tools.sql import drop_index

#: table -> the column its repeated index was on
REPEATED = {
    "di_problem": "ref",
    "di_person": "ref",
    "di_inspection": "ref",
    "di_rectification": "problem_id",
    "di_unit": "code",
    "di_category": "code",
    "di_category_list": "code",
    "di_followup": "code",
    "di_grade": "code",
    "di_outcome": "code",
    "di_rank": "code",
    "di_person_identity": "key",
    "di_bulletin": "verification_code",
}


def migrate(cr, version):
    for table, column in REPEATED.items():
        drop_index(cr, f"{table}__{column}_index", table)
