import re

from odoo import api, fields, models
from odoo.tools import SQL

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


class DiReferenceMixin(models.AbstractModel):
    """A yearly reference (J2018-00001, W2018-00001, P2018-00001) that is never one already taken.

    Imported registers bring their own references, often in the same pattern, so
    the sequence's next number may already be in use (a back-dated record after
    an import).  The next number is drawn from the sequence until it is free:
    numbers come only from the sequence, so two concurrent creates never draw the
    same one, and the unique constraint on the reference stays the final gate
    (against a reference created by a transaction not yet committed).
    """

    _name = "di.reference.mixin"
    _description = "Yearly reference"
    #: The ir.sequence code that numbers the model, and the date field that picks the year.
    _reference_sequence = None
    _reference_date_field = None

    def _assign_references(self, vals_list):
        """Give every record of ``vals_list`` without a reference (or "/") a free one."""
        here = {vals["ref"] for vals in vals_list if vals.get("ref", "/") != "/"}
        for vals in vals_list:
            if vals.get("ref", "/") != "/":
                continue
            day = fields.Date.to_date(vals.get(self._reference_date_field))
            vals["ref"] = self._free_reference(day or fields.Date.context_today(self), here)
            here.add(vals["ref"])
        return vals_list

    @api.model
    def _free_reference(self, day, here=frozenset()):
        """The sequence's next reference for ``day`` that no record uses (nor ``here``)."""
        Sequence = self.env["ir.sequence"]
        ref = Sequence.next_by_code(self._reference_sequence, sequence_date=day)
        if not ref or (ref not in here and not self._references_taken(ref, exact=True)):
            return ref
        # Taken (an import): every reference of the same pattern at once, then draw past them
        # from the year's range of the sequence next_by_code used (found once, not per draw).
        taken = self._references_taken(ref) | set(here)
        draw = self._drawer(day)
        for _attempt in range(len(taken) + 1):  # a free one is among these many draws
            if ref not in taken:
                break
            ref = draw()
        return ref

    def _drawer(self, day):
        """A function drawing the next reference for ``day``, as next_by_code does."""
        Sequence = self.env["ir.sequence"]
        sequence = Sequence.search(
            [
                ("code", "=", self._reference_sequence),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
        if not sequence.use_date_range:
            return lambda: Sequence.next_by_code(self._reference_sequence, sequence_date=day)
        period = sequence.date_range_ids.filtered(lambda r: r.date_from <= day <= r.date_to)[:1]
        numbered = period.with_context(ir_sequence_date_range=period.date_from)
        return numbered._next

    def _references_taken(self, ref, exact=False):
        """References in use: ``ref`` itself, or every one with its prefix (W2018-…).

        Read in SQL on purpose: the unique constraint covers every record, those the
        user's record rules hide (another unit's) included; only references are read.
        """
        self.flush_model(["ref"])
        match = _NUMBERED.match(ref)
        if exact or not match:
            condition = SQL("ref = %s", ref)
        else:
            prefix = re.sub(r"([\\%_])", r"\\\1", match.group(1))
            condition = SQL("ref LIKE %s", f"{prefix}%")
        self.env.cr.execute(
            SQL("SELECT ref FROM %s WHERE %s", SQL.identifier(self._table), condition)
        )
        return {row[0] for row in self.env.cr.fetchall()}
