import contextlib
import contextvars
import gc
import re
import threading
from datetime import date
from types import SimpleNamespace

from odoo import Command, api, fields, models
from odoo.models import BaseModel

#: While a batch is created: (env id, model, field names) -> (env, defaults) already asked.
_BATCH_DEFAULTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "di_batch_defaults", default=None
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Off: every stored computed field is left to the ORM's compute at flush (the tests compare
#: the values written before the insert with those).
BEFORE_INSERT: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "di_batch_before_insert", default=True
)


class DiBatchCreate(models.AbstractModel):
    """Register models created by the thousand (the import): less work per created record.

    Defaults: the ORM asks ``default_get`` once per record it creates, with the same
    field names for every record of a batch that sets the same fields, and each call
    evaluates every default again (the company, today in the user's time zone, the
    initial state of the domain core...) and looks up the user defaults.  While a batch
    is created, the answer to the same question in the same environment is given again
    instead: the value the ORM would find, because no default of these models depends
    on the record (none draws a number: references are drawn in ``create`` itself).

    Stored computed fields: the ORM inserts the rows, computes these fields for the batch
    at flush and writes them with an ``UPDATE`` of every new row (not HOT: every index is
    written twice).  A model gives in ``_values_before_insert`` the values it can know from
    the inserted values alone, for the whole batch at once; they go into the ``INSERT`` and
    are protected from recomputation on these records, as the ORM does for precomputed
    fields.  The values are the compute's own (the tests compare them with it); a field
    the hook does not give for a record is computed by the ORM as before.
    """

    _name = "di.batch.create"
    _description = "Defaults asked once per created batch"

    @api.model_create_multi
    def create(self, vals_list):
        if len(vals_list) < 2 or _BATCH_DEFAULTS.get() is not None:
            return super().create(vals_list)
        token = _BATCH_DEFAULTS.set({})
        try:
            with older_objects_frozen():
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

    @api.model
    def _add_missing_default_values(self, values):
        """The record's values completed with the defaults of the fields it does not give.

        The ORM works out, record by record, which of the model's fields are missing and
        converts their defaults to commands.  In a batch, records that give the same fields
        get the same defaults (see ``default_get``): that work is done once per set of names
        (a model without parents, whose defaults the given values cannot change).
        """
        memo = _BATCH_DEFAULTS.get()
        if memo is None or self._inherits:
            return super()._add_missing_default_values(values)
        key = (id(self.env), self._name, "missing", frozenset(values))
        if key not in memo:
            defaults = None  # a properties field completes its defaults from the values
            if all(field.type != "properties" for field in self._fields.values()):
                given = dict.fromkeys(values)
                completed = super()._add_missing_default_values(given)
                defaults = {k: v for k, v in completed.items() if k not in given}
            memo[key] = (self.env, defaults)
        defaults = memo[key][1]
        if defaults is None:
            return super()._add_missing_default_values(values)
        # lists (commands) copied: each record's own, as the ORM makes them
        completed = {k: list(v) if isinstance(v, list) else v for k, v in defaults.items()}
        completed.update(values)
        return completed

    # ------------------------------------------- stored computes in the insert
    def _create(self, data_list):
        self._parse_dates_once(data_list)
        if BEFORE_INSERT.get():
            rows = self._values_before_insert([data["stored"] for data in data_list])
            self._take_values_before_insert(data_list, rows)
        return super()._create(data_list)

    def _parse_dates_once(self, data_list):
        """Dates given as ISO text become dates before the ORM reads them.

        A register's dates arrive as text, which the ORM parses again each time it reads
        one (into the cache, into the insert, in the computes before insert), with the
        slow ``strptime``.  Exactly the text ``fields.Date.to_date`` accepts is converted
        here, once; any other value is left for the ORM to take or refuse as before.
        """
        names = [name for name, field in self._fields.items() if field.type == "date"]
        for data in data_list:
            stored = data["stored"]
            for name in names:
                value = stored.get(name)
                if isinstance(value, str) and _ISO_DATE.fullmatch(value[:10]):
                    # not a day (2024-02-30): left as given, the ORM says so
                    with contextlib.suppress(ValueError):
                        stored[name] = date.fromisoformat(value[:10])

    def _take_values_before_insert(self, data_list, rows):
        """Put each row's ``values`` into its insert and protect them, one compute group at
        once.

        A group (the fields one compute method assigns) is taken whole or not at all; one
        the record's own values already protect (an editable computed field given in the
        values) is left as given.  The groups a row's values complete are worked out once
        per set of names: the rows of a batch mostly give the same.
        """
        complete = {}  # the names a row gives -> the stored compute groups they complete
        for data, values in zip(data_list, rows, strict=True):
            names = tuple(values)
            groups = complete.get(names)
            if groups is None:
                groups = complete[names] = self._groups_completed(values)
            stored, protected = data["stored"], data["protected"]
            for group in groups:
                if protected.isdisjoint(group):
                    for member in group:
                        stored[member.name] = values[member.name]
                    protected.update(group)

    def _groups_completed(self, names):
        """The stored compute groups (each a tuple of fields) whose every member is named."""
        computed = self.pool.field_computed
        groups = {}
        for name in names:
            field = self._fields[name]
            members = computed.get(field, ()) if field.store else ()
            group = tuple(f for f in members if f.store)
            if group and all(f.name in names for f in group):
                groups[group] = None
        return list(groups)

    def _values_before_insert(self, stored_list):
        """Per row of the batch, {field: value} of stored computed fields known before insert.

        ``stored_list``: the stored values of each row as the ORM will insert them (defaults
        included), in the format of ``create``.  Values must be exactly what the field's
        compute gives on the created record.
        """
        return [{} for _stored in stored_list]

    # Helpers for the models' hooks.
    def _x2many_after_create(self, name, stored_list, fnames):
        """Per row, the records x2many ``name`` holds right after ``create``, in the order its
        computes then read them (the ORM's cache), archived ones left out as the ORM does; each
        as ``_existing`` reads it.  None for a row whose commands are other than set, clear
        and link, or name a missing record: the ORM's compute decides those.
        """
        field = self._fields[name]
        rows = [commanded_ids(stored.get(name)) for stored in stored_list]
        comodel = field.comodel_name
        active = self.env[comodel]._active_name
        if not active or not field.context.get(
            "active_test", self.env.context.get("active_test", True)
        ):
            active = None
        wanted = {i for ids in rows if ids for i in ids}
        existing = self._existing(comodel, wanted, [*fnames, *([active] if active else [])])
        result = []
        for ids in rows:
            if ids is None or any(i not in existing for i in ids):
                result.append(None)
                continue
            records = [existing[i] for i in ids]
            result.append([r for r in records if getattr(r, active)] if active else records)
        return result

    def _existing(self, model, ids, fnames):
        """The records of ``ids`` that exist, their ``fnames`` read at once as superuser:
        {id: namespace of the values, many2one as ids}.
        """
        # sudo: stored computes run as superuser (compute_sudo): they read what the user may
        # not, and so must the values given before insert; nothing of it reaches the user.
        # The search leaves out the ids that do not exist and fetches only ``fnames``: read()
        # would format every value once more, record by record.
        records = (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("id", "in", sorted({i for i in ids if i}))], fnames, order="id")
        )
        # x2many values leave archived records out as read() does
        columns = field_columns(self.env[model].sudo().browse(records._ids), fnames)
        return {
            record_id: SimpleNamespace(id=record_id, **{name: columns[name][k] for name in fnames})
            for k, record_id in enumerate(records._ids)
        }

    @staticmethod
    def _as_date(value):
        if type(value) is date:  # mostly: the dates were parsed once (not a datetime)
            return value
        return fields.Date.to_date(value) if value else False


_FROZEN_LOCK = threading.Lock()
#: [batches running, whether the first of them froze the objects]
_frozen = [0, False]


@contextlib.contextmanager
def older_objects_frozen():
    """Python's cycle collector leaves the objects that existed before the batch alone.

    A batch keeps thousands of new objects alive (the cache, the values), so the collector
    keeps running full collections, and each goes through every object of the process:
    the registry, the caches, a register being read.  That was 13 to 22% of a register's
    create.  Frozen (``gc.freeze``), the older objects are left out of the collections
    until the last batch running in the process ends (a batch of an import, its lookups
    and flush included); objects no longer referenced are still freed as ever, and the
    young ones are collected as before.  Objects someone else froze are left as they are.
    """
    with _FROZEN_LOCK:
        if not _frozen[0]:
            _frozen[1] = not gc.get_freeze_count()
            if _frozen[1]:
                gc.freeze()
        _frozen[0] += 1
    try:
        yield
    finally:
        with _FROZEN_LOCK:
            _frozen[0] -= 1
            if not _frozen[0] and _frozen[1]:
                gc.unfreeze()


def field_columns(records, names):
    """{name: the records' values of field ``name``, in the records' order}, read column by
    column: a scalar as ``record[name]`` gives it, a many2one as an id (False when empty), an
    x2many as the tuple of its ids.

    ``record.field`` record by record goes through the ORM's descriptor each time: most of a
    constraint's cost over a created batch of thousands.  Values missing from the cache are
    fetched (and pending computations done) for the whole recordset at once.
    """
    result = {}
    for name in names:
        field = records._fields[name]
        values = field.mapped(records)  # fetched or computed where missing
        if field.relational:
            values = list(records.env.cache.get_values(records, field))
            if len(values) != len(records):  # evicted meanwhile: record by record
                values = [record[name] for record in records]
                values = [v._ids if field.type != "many2one" else v.id for v in values]
            if field.type == "many2one":
                values = [value or False for value in values]
            else:
                values = [tuple(value) for value in values]
                comodel = records.env[field.comodel_name]
                active = comodel._active_name
                if active and field.context.get(
                    "active_test", records.env.context.get("active_test", True)
                ):  # archived ones left out, as record[name] does
                    linked = comodel.browse(sorted({i for value in values for i in value}))
                    kept = set(linked.filtered(active)._ids)
                    values = [tuple(i for i in value if i in kept) for value in values]
        result[name] = values
    return result


def by_id(records, name):
    """{id: value of field ``name``} of ``records`` (read at once): to look up a column's ids.

    Only that column is fetched: reading a field of a record not in the cache would fetch
    every column of the model for thousands of records.
    """
    records.fetch([name])
    return dict(zip(records._ids, records.mapped(name), strict=True))


def commanded_ids(value):
    """The ids create's x2many ``value`` links, in order (the ORM's relation is an ordered
    set); None for commands that create, update, delete or unlink records.
    """
    if value is None or value is False:
        return ()
    if isinstance(value, BaseModel):
        return tuple(value._ids)
    ids_only = isinstance(value, list) and value and not isinstance(value[0], list | tuple)
    if isinstance(value, tuple) or ids_only:
        value = [Command.set(value)]  # as the ORM's x2many write reads a plain list of ids
    if not isinstance(value, list):
        return None
    ids = {}
    for command in value:
        if not isinstance(command, list | tuple) or not command:
            continue
        if command[0] == Command.LINK and isinstance(command[1], int):
            ids[command[1]] = None
        elif command[0] == Command.SET and all(isinstance(i, int) for i in command[2]):
            ids = dict.fromkeys(command[2])
        elif command[0] == Command.CLEAR:
            ids = {}
        else:
            return None
    return tuple(ids)
