import re

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.query import Query

#: One term of a read_group order: a field name and an optional direction.
_ORDER_TERM = re.compile(r"^\s*(?P<name>[a-z_][a-z0-9_]*)\s*(?P<direction>asc|desc)?\s*$", re.I)


class DiGroupedRead(models.AbstractModel):
    """Register models grouped by their links (unit, category...) on large tables.

    When the web client groups by a many2one (the pivot by unit and category, a grouped
    list, a graph), Odoo orders the groups by the linked model's order: it joins the linked
    table to every grouped row and also groups by its order columns (a unit's full name).
    On a million problems most of the pivot's time went into that join, for a few hundred
    groups.  Here the rows are grouped by the linked ids alone and the few groups are then
    put in the order the ORM's own SQL gives them: the same groups, the same counts, in the
    same order (groups without a link included).

    Only the order Odoo derives from the groupby itself is taken over, without offset or
    limit; any other order (a measure, a limit on the groups) is left to the ORM.
    """

    _name = "di.grouped.read"
    _description = "Grouping by links without joining every row"

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        directions = self._link_order_directions(groupby, order, offset, limit)
        if directions is None:
            return super()._read_group(
                domain, groupby, aggregates, having, offset=offset, limit=limit, order=order
            )
        # Without an order, the ORM orders the groups by their raw values (no join).
        rows = super()._read_group(domain, groupby, aggregates, having)
        places = [
            self._link_places(spec, descending, {row[position].id for row in rows})
            for position, (spec, descending) in enumerate(zip(groupby, directions, strict=True))
        ]
        return sorted(
            rows,
            key=lambda row: [
                place[row[position].id or None] for position, place in enumerate(places)
            ],
        )

    @api.model
    def _link_order_directions(self, groupby, order, offset, limit):
        """Descending per group term when ``order`` is the groupby's own, by links; else None."""
        if not order or offset or limit or not groupby:
            return None
        terms = [_ORDER_TERM.match(part) for part in order.split(",")]
        if len(terms) != len(groupby) or not all(terms):
            return None
        directions = []
        for term, spec in zip(terms, groupby, strict=True):
            field = self._fields.get(spec)
            if term["name"] != spec or not field or field.type != "many2one" or not field.store:
                return None
            if self.env[field.comodel_name]._order == "id":
                return None  # the ORM does not join for these: nothing to gain
            directions.append((term["direction"] or "asc").lower() == "desc")
        return directions

    @api.model
    def _link_places(self, spec, descending, ids):
        """Each linked id's place (None: no link) as the ORM's join would order the groups.

        The ORM's own ordering SQL for the field (its join of the linked table and the linked
        model's order), over the groups' ids instead of every row; equal sort keys share a place.
        """
        values = sorted(filter(None, ids))
        table = SQL("(SELECT unnest(%s::int[]) AS %s)", [*values, None], SQL.identifier(spec))
        query = Query(self.env, self._table, table)
        direction = SQL("DESC") if descending else SQL("ASC")
        order = self._order_field_to_sql(self._table, spec, direction, SQL(), query)
        self.env.cr.execute(
            SQL(
                "SELECT %s, dense_rank() OVER (ORDER BY %s) FROM %s",
                SQL.identifier(self._table, spec),
                order,
                query.from_clause,
            )
        )
        return dict(self.env.cr.fetchall())
