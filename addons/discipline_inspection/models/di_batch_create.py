import contextvars

from odoo import api, models

#: While a batch is created: (env id, model, field names) -> (env, defaults) already asked.
_BATCH_DEFAULTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "di_batch_defaults", default=None
)


class DiBatchCreate(models.AbstractModel):
    """Register models created by the thousand (the import): defaults asked once per batch.

    The ORM asks ``default_get`` once per record it creates, with the same field names
    for every record of a batch that sets the same fields, and each call evaluates every
    default again (the company, today in the user's time zone, the initial state of the
    domain core...) and looks up the user defaults.  While a batch is created, the
    answer to the same question in the same environment is given again instead: the
    value the ORM would find, because no default of these models depends on the record
    (none draws a number: references are drawn in ``create`` itself).
    """

    _name = "di.batch.create"
    _description = "Defaults asked once per created batch"

    @api.model_create_multi
    def create(self, vals_list):
        if len(vals_list) < 2 or _BATCH_DEFAULTS.get() is not None:
            return super().create(vals_list)
        token = _BATCH_DEFAULTS.set({})
        try:
            return super().create(vals_list)
        finally:
            _BATCH_DEFAULTS.reset(token)

    @api.model
    def default_get(self, fields_list):
        memo = _BATCH_DEFAULTS.get()
        if memo is None:
            return super().default_get(fields_list)
        key = (id(self.env), self._name, tuple(fields_list))
        if key not in memo:
            memo[key] = (self.env, super().default_get(fields_list))
        return dict(memo[key][1])  # a copy: the ORM completes it with the record's values
