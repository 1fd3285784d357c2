from odoo import api, fields, models
from odoo.tools import SQL


class DiPersonIdentity(models.Model):
    """The identity key of a handled person (``schema.person_identity``) as an integer.

    处理人数 counts each person once: the statistics count distinct identities over
    hundreds of thousands of decisions, which PostgreSQL hashes and sorts several
    times faster as integers than as the text keys.  One row per key ever used, never
    changed nor deleted (a person whose name or unit changes gets the id of the new
    key), so the same key always has the same number.
    """

    _name = "di.person.identity"
    _description = "Handled person identity"
    _log_access = False
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True)  # indexed by its unique constraint

    _sql_constraints = [("key_unique", "unique(key)", "An identity key is registered once.")]

    @api.model
    def _ids_for(self, keys) -> dict[str, int]:
        """The number of each key, registering the new ones (one statement each way).

        Plain SQL on purpose: the rows carry nothing but the key, are written by this
        method only, and a key taken by a concurrent transaction makes this one retry
        (a serialization failure, which Odoo's RPC layer retries).
        """
        keys = sorted({key for key in keys if key})
        if not keys:
            return {}
        self.env.cr.execute(
            SQL(
                "INSERT INTO di_person_identity (key) SELECT UNNEST(%s::varchar[]) "
                "ON CONFLICT (key) DO NOTHING",
                keys,
            )
        )
        self.env.cr.execute(
            SQL("SELECT key, id FROM di_person_identity WHERE key = ANY(%s::varchar[])", keys)
        )
        return dict(self.env.cr.fetchall())
