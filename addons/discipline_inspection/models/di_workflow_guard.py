import contextlib
import contextvars

from odoo import api, models
from odoo.exceptions import AccessError

#: Set while a workflow action (or the register import, which loads history) runs.  A
#: context variable and not an Odoo context key: an RPC caller can send any context key,
#: but cannot reach into the server's Python state.
_IN_WORKFLOW: contextvars.ContextVar[bool] = contextvars.ContextVar("di_workflow", default=False)


@contextlib.contextmanager
def workflow_step():
    """Let the code inside change workflow fields: actions and the import service only."""
    token = _IN_WORKFLOW.set(True)
    try:
        yield
    finally:
        _IN_WORKFLOW.reset(token)


class DiWorkflowGuard(models.AbstractModel):
    """Workflow fields change only through their actions, whatever the path.

    ``write``, ``create``, ``import_rows`` and ``load`` all reach the ORM here:
    outside an action, a workflow field may only keep its default on create and
    is never written.  Data files and code running as the superuser (demo data,
    migrations) are trusted.
    """

    _name = "di.workflow.guard"
    _description = "Workflow fields change only through their actions"

    #: The fields of the inheriting model that only its actions change.
    _workflow_fields: tuple[str, ...] = ()

    def _workflow_guarded(self) -> bool:
        return not (_IN_WORKFLOW.get() or self.env.su)

    def _refuse_workflow_fields(self, names):
        labels = ", ".join(
            self._fields[name].get_description(self.env)["string"] for name in sorted(names)
        )
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s change only through their buttons (actions).",
                fields=labels,
                model=self._description,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if self._workflow_guarded():
            defaults = self.default_get(list(self._workflow_fields))
            for vals in vals_list:
                forced = {
                    name
                    for name in self._workflow_fields
                    if name in vals and vals[name] and vals[name] != defaults.get(name)
                }
                if forced:
                    self._refuse_workflow_fields(forced)
        return super().create(vals_list)

    def write(self, vals):
        if self._workflow_guarded():
            forced = set(self._workflow_fields) & set(vals)
            if forced:
                self._refuse_workflow_fields(forced)
        return super().write(vals)
