"""Fill the rectification's stored copy of its problem's state in one statement.

18.0.1.3.0 stores ``di.rectification.problem_state`` (the statistics count a
rectification only when its problem is registered).  Left to the ORM, a new stored
related field is computed record by record in batches: minutes on a province's
million rectifications.  The column made and filled here is one UPDATE, and the
ORM, finding the column, does not compute it again.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


def migrate(cr, version):
    if not version or column_exists(cr, "di_rectification", "problem_state"):
        return
    create_column(cr, "di_rectification", "problem_state", "varchar")
    cr.execute(
        SQL(
            "UPDATE di_rectification r SET problem_state = p.state "
            "FROM di_problem p WHERE p.id = r.problem_id"
        )
    )
