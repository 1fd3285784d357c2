from collections import defaultdict

from odoo import fields
from odoo.tools import SQL

from .di_batch_create import commanded_ids


class BatchMany2many(fields.Many2many):
    """A many2many whose links, on records just created, are written for the whole batch.

    The ORM's ``write_real`` works out the old and new relation of every created record
    through its descriptor, one by one, and sends each pair to PostgreSQL as a tuple of its
    own: a quarter of the persons' create in a 20,000-problem register.  On records just
    created (nothing linked yet), when every value only sets or links ids (the register's,
    and the forms'), the same work is done here for the batch: the cache, one ``INSERT`` of
    all pairs, the inverse fields' cache and the recomputation they trigger.  Any other
    command, and every later write, goes through the ORM as before.
    """

    def write_real(self, records_commands_list, create=False):
        links = self._links_of_created(records_commands_list) if create else None
        if links is None:
            return super().write_real(records_commands_list, create)
        records, linked = links
        model = records.browse()
        comodel = model.env[self.comodel_name].with_context(**self.context)
        comodel = self._check_sudo_commands(comodel)
        cache = model.env.cache
        cache.update(records, self, linked)
        pairs = [(x, y) for x, ys in zip(records._ids, linked, strict=True) for y in ys]
        if not pairs:
            return
        if self.store:
            model.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int4[], %s::int4[]) "
                    "ON CONFLICT DO NOTHING",
                    SQL.identifier(self.relation),
                    SQL.identifier(self.column1),
                    SQL.identifier(self.column2),
                    [x for x, _y in pairs],
                    [y for _x, y in pairs],
                )
            )
        y_to_xs = defaultdict(set)
        for x, y in pairs:
            y_to_xs[y].add(x)
        inverses = model.pool.field_inverses[self]
        for inverse in inverses:  # as the ORM: only where the inverse is already cached
            valid = set(records.filtered_domain(inverse.get_domain_list(comodel))._ids)
            if not valid:
                continue
            for y, xs in y_to_xs.items():
                corecord = comodel.browse(y)
                try:
                    ids0 = cache.get(corecord, inverse)
                except KeyError:
                    continue
                cache.set(corecord, inverse, tuple(set(ids0) | (xs & valid)))
        names = [inverse.name for inverse in inverses if inverse.model_name == self.comodel_name]
        if names:  # what depends on the inverse fields of the corecords now linked
            comodel.browse(tuple(y_to_xs)).modified(names)

    def _links_of_created(self, records_commands_list):
        """(records, ids each links) when every record is new to the relation (its cache says
        nothing is linked, as ``_create`` leaves it) and its commands only set or link ids;
        else None: the ORM's own path.
        """
        records, linked = [], []
        for recs, commands in records_commands_list:
            ids = commanded_ids(commands)
            if ids is None or len(recs) != 1:
                return None
            records.append(recs.id)
            linked.append(ids)
        model = records_commands_list[0][0].browse(records)
        if len(set(records)) != len(records):
            return None
        cache = model.env.cache
        if any(cache.get(record, self, None) != () for record in model):
            return None
        return model, linked
