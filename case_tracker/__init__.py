"""case_tracker: discipline-inspection case tracking (正风肃纪监督检查台账).

Domain rules, statistics, bulletin rendering, bulk import and the CLI.  This
package never imports Odoo: the add-on imports it, not the other way round.
"""

__version__ = "0.1.0"
