import logging

from odoo import api, fields, models

from case_tracker.domain import load, source_hash, source_path

_logger = logging.getLogger(__name__)


class DiMasterMixin(models.AbstractModel):
    """Coded master data synchronised from the domain core (case_tracker/domain/domain.toml).

    The domain file owns master data (README: "Master data has one owner"): the
    statistics, the importer, the bulletin wording and the constraints all read
    it, on the server and on every client, so Odoo holds a read-only copy.  At
    install and upgrade, entries are created or updated by code, and entries no
    longer in the file are retired (archived), never deleted, so history keeps its
    labels.  A deployment with lists of its own points ``CASE_TRACKER_DOMAIN_FILE``
    at its edited copy of the file and upgrades the add-on.
    """

    _name = "di.master.mixin"
    _description = "Discipline inspection master data"
    _order = "sequence, id"
    _rec_names_search = ["name", "code"]
    #: The attribute of case_tracker.domain.Domain that lists this model's entries.
    _domain_list = None

    code = fields.Char(required=True)  # indexed by its unique constraint
    name = fields.Char(required=True)
    name_en = fields.Char(string="English name")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    from_domain = fields.Boolean(
        string="Defined by the domain core",
        readonly=True,
        help="Maintained from the domain definition file at every upgrade.",
    )

    _sql_constraints = [("code_unique", "unique(code)", "The code must be unique.")]

    def _domain_values(self, entry, domain):
        """Field values for one domain-core entry (extended by each model)."""
        return {
            "code": entry.code,
            "name": entry.name,
            "name_en": entry.name_en,
            "sequence": getattr(entry, "sequence", 0) or 0,
            "from_domain": True,
            "active": True,
        }

    @api.model
    def _sync_from_domain(self):
        """Create or update every entry of the domain core; archive those that left it."""
        domain = load()
        entries = getattr(domain, self._domain_list)
        existing = {
            record.code: record
            for record in self.with_context(active_test=False).search(
                [("code", "in", [e.code for e in entries])]
            )
        }
        seen = set()
        for index, entry in enumerate(entries):
            values = self._domain_values(entry, domain)
            values.setdefault("sequence", index)
            record = existing.get(entry.code)
            if record:
                changed = {
                    key: value
                    for key, value in values.items()
                    if record._fields[key].convert_to_write(record[key], record) != value
                }
                if changed:
                    record.write(changed)
            else:
                existing[entry.code] = self.create(values)
            seen.add(entry.code)
        others = self.with_context(active_test=False).search([("code", "not in", list(seen))])
        retired = [r for r in others if r.active]
        for record in retired:
            record.active = False
        _logger.info(
            "%s: %d entries from the domain core, %d retired", self._name, len(seen), len(retired)
        )
        return True

    @api.model
    def _sync_all_from_domain(self):
        """Every master-data model from the domain definition in force, then remember which."""
        for model in SYNC_ORDER:
            self.env[model]._sync_from_domain()
        parameters = self.env["ir.config_parameter"].sudo()  # sudo: a system setting
        parameters.set_param(HASH_PARAMETER, source_hash())
        return True

    @api.model
    def _warn_if_domain_changed(self):
        """At start-up: say so when the domain file differs from the one last synchronised."""
        parameters = self.env["ir.config_parameter"].sudo()  # sudo: reading a system setting
        synced = parameters.get_param(HASH_PARAMETER)
        if synced and synced != source_hash():
            _logger.warning(
                "The domain definition (%s) changed since the add-on last synchronised its "
                "master data: upgrade the add-on (odoo-bin -u discipline_inspection) so that "
                "Odoo, the statistics and the importer use the same lists.",
                source_path() or "the bundled domain.toml",
            )


#: Parents before children: categories need their lists, outcomes nothing else.
SYNC_ORDER = ("di.category.list", "di.category", "di.rank", "di.grade", "di.followup", "di.outcome")
HASH_PARAMETER = "discipline_inspection.domain_hash"
