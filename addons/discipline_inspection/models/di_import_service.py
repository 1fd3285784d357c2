import functools
import logging
from collections import Counter

import psycopg2
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from psycopg2 import errorcodes

from case_tracker.schema import (
    CREATED,
    ERROR,
    KINDS,
    KINDS_BY_KEY,
    UNCHANGED,
    UPDATED,
    lookup,
)

from .di_batch_create import older_objects_frozen
from .di_workflow_guard import workflow_step

_logger = logging.getLogger(__name__)

#: Record kind of the register -> (model, the field that identifies a record).
TARGETS = {kind.key: (kind.model, kind.odoo_key) for kind in KINDS}
IMPORTER_GROUP = "discipline_inspection.group_di_inspector"
SOURCE_WORDS = (("信访", "letter"), ("举报", "letter"), ("媒体", "media"), ("曝光", "media"))


class KeyTakenConcurrently(psycopg2.errors.SerializationFailure):
    """A serialization failure raised here, not by PostgreSQL: Odoo's RPC layer retries it.

    It carries the SQLSTATE a real one has, because the retry loop logs ``exc.pgcode``.
    """

    pgcode = errorcodes.SERIALIZATION_FAILURE


class DiImportService(models.AbstractModel):
    """Bulk upsert of register rows by business key: one call = one batch = one transaction.

    Runs as the calling user: access rights, record rules and every constraint
    apply exactly as in the UI.  A batch is created in one ORM call; when that
    fails, rows are retried one by one in savepoints so that each bad row gets
    its own reason and the good rows still go in.  A business key taken by a
    concurrent import (unique violation not visible in this transaction) makes
    the whole call fail with a serialization error, which Odoo's RPC layer
    retries in a fresh transaction, where the row is then an update.
    """

    _name = "di.import.service"
    _description = "Register import"

    @api.model
    def _check_importer(self):
        """Loading a register is the commission's work: its inspectors (and those above them).

        The import is a workflow step (it stores history as it stands), so the field checks a
        liaison meets in the form do not apply inside it: a liaison, who may write measures on
        a rectification, must not reach them through a register instead.
        """
        if not self.env.su and not self.env.user.has_group(IMPORTER_GROUP):
            raise AccessError(self.env._("Only inspectors import registers."))

    @api.model
    def start_log(self, files):
        """A new import log for one run of the importer, naming its files; returns its id.

        Tracking is off while a register loads (one chatter line per field per record
        would cost more than the records): the run's batches leave their summaries here.
        """
        self._check_importer()
        names = ", ".join(str(name) for name in files or ()) or "-"
        # sudo: users may only read import logs; the service alone creates and writes them.
        log = (
            self.env["di.import.log"]
            .sudo()
            .create({"name": names, "user_id": self.env.uid, "company_id": self.env.company.id})
        )
        return log.id

    @api.model
    def import_rows(self, kind, rows, log_id=None, source=None):
        """Upsert ``rows`` of one register kind; one result per row, in the rows' order.

        A register is history: its records are stored registered, with the states
        and grades it records (the import is the one workflow step that may set
        them, as the calling user: only reviewers may store a grade).  With
        ``log_id`` (``start_log``), the batch's counts are posted on that log,
        with ``source``, the file the rows come from.
        """
        self._check_importer()
        if kind not in TARGETS:
            raise UserError(self.env._("Unknown record kind %(kind)s.", kind=kind))
        log = self._own_log(log_id) if log_id else None
        with workflow_step(), older_objects_frozen():
            results = self._import_kind(kind, rows)
        if log:
            self._log_batch(log, kind, source, results)
        return results

    def _own_log(self, log_id):
        # sudo: the log is read and written by the service only; it must be the caller's own.
        log = self.env["di.import.log"].sudo().browse(int(log_id)).exists()
        if not log or log.user_id.id != self.env.uid:
            raise UserError(
                self.env._("Import log %(log)s is not one of your imports.", log=log_id)
            )
        return log

    def _log_batch(self, log, kind, source, results):
        """One message per batch: what the rows of this batch came to (tracking is off)."""
        counts = Counter(result["status"] for result in results)
        model_name = self.env["ir.model"]._get(TARGETS[kind][0]).name
        log._message_log(
            body=self.env._(
                "%(kind)s from %(file)s: %(rows)s rows, %(created)s created, "
                "%(updated)s updated, %(unchanged)s unchanged, %(refused)s refused.",
                kind=model_name,
                file=source or "-",
                rows=len(results),
                created=counts[CREATED],
                updated=counts[UPDATED],
                unchanged=counts[UNCHANGED],
                refused=counts[ERROR],
            )
        )

    def _import_kind(self, kind, rows):
        if kind == "units":
            # A unit may name a parent that comes in the same batch: parents first.
            results = []
            for layer in _unit_layers(rows):
                results += self._import_rows(kind, layer)
            order = {row.get("_row"): index for index, row in enumerate(rows)}
            return sorted(results, key=lambda r: order.get(r["_row"], 0))
        return self._import_rows(kind, rows)

    def _import_rows(self, kind, rows):
        model_name, key_field = TARGETS[kind]
        Model = self.env[model_name].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        lookups = _Lookups(self.env, kind, rows)
        results, to_create, to_update = [], [], []
        existing = lookups.existing(Model, key_field, [row.get(key_field) for row in rows])
        for row in rows:
            try:
                vals = self._values(kind, row, lookups)
            except (ValueError, KeyError) as exc:
                results.append(_result(row, ERROR, reason=str(exc)))
                continue
            key = vals[key_field]
            record = existing.get(key)
            if record is None:
                to_create.append((row, vals))
            else:
                changed = _changes(record, vals)
                if changed:
                    to_update.append((row, record, changed))
                else:
                    results.append(_result(row, UNCHANGED, record.id))
        results += self._import_create(Model, to_create)
        results += self._import_update(to_update)
        order = {id(row): index for index, row in enumerate(rows)}
        results.sort(key=lambda r: order.get(r.pop("_order"), 0))
        return results

    # ----------------------------------------------------------- writing
    # (Not named _create/_update: BaseModel._create is the ORM's own low-level insert.)
    def _import_create(self, Model, items):
        """Create the new rows in one ORM call; if that fails, row by row to find the bad ones."""
        if not items:
            return []
        try:
            with self.env.cr.savepoint():
                records = Model.create([vals for _row, vals in items])
                records.flush_recordset()
                self.env.flush_all()
            return [
                _result(row, CREATED, rec.id) for (row, _v), rec in zip(items, records, strict=True)
            ]
        except (
            ValidationError,
            AccessError,
            UserError,
            psycopg2.IntegrityError,
            ValueError,
        ) as exc:
            _logger.info(
                "import: a batch of %d %s failed as a whole (%s: %s); retrying row by row",
                len(items),
                Model._name,
                type(exc).__name__,
                _first_line(exc),
            )
        results = []
        for row, vals in items:
            try:
                with self.env.cr.savepoint():
                    record = Model.create(vals)
                    self.env.flush_all()
                results.append(_result(row, CREATED, record.id))
            except psycopg2.IntegrityError as exc:
                self._raise_if_race(exc)
                results.append(_result(row, ERROR, reason=_integrity_reason(exc)))
            except (ValidationError, AccessError, UserError, ValueError) as exc:
                results.append(_result(row, ERROR, reason=_reason(exc)))
        return results

    def _import_update(self, items):
        """Write the changed rows one by one, each in its savepoint."""
        results = []
        for row, record, changed in items:
            try:
                with self.env.cr.savepoint():
                    record.with_context(tracking_disable=True).write(changed)
                    self.env.flush_all()
                results.append(_result(row, UPDATED, record.id))
            except psycopg2.IntegrityError as exc:
                self._raise_if_race(exc)
                results.append(_result(row, ERROR, reason=_integrity_reason(exc)))
            except (ValidationError, AccessError, UserError, ValueError) as exc:
                results.append(_result(row, ERROR, reason=_reason(exc)))
        return results

    def _raise_if_race(self, exc):
        """A key taken by a concurrent, already committed import: retry the whole call."""
        if exc.pgcode == errorcodes.UNIQUE_VIOLATION:
            _logger.info("import: business key taken concurrently, retrying the batch")
            raise KeyTakenConcurrently(str(exc)) from exc

    # ---------------------------------------------------------- values
    def _values(self, kind, row, lookups):
        """A row's field values, column by column, as ``case_tracker.schema`` maps them."""
        vals = {}
        for key, name, kept_when_blank, default, target, is_multi, base_type in _plan(kind):
            value = row.get(key)
            if value in (None, "", [], ()):
                if kept_when_blank:
                    continue  # a register without it keeps what is set in Odoo
                value = default
            if target:
                if is_multi:
                    value = [fields.Command.set(lookups.get(target, value or [], many=True))]
                else:
                    value = lookups.get(target, value)
            elif base_type == "money":
                value = float(value or 0.0)
            elif base_type == "bool":
                value = bool(value)
            elif base_type == "int":
                value = int(value or 0)
            elif value is None:
                value = False
            vals[name] = value
        vals.update(KINDS_BY_KEY[kind].fixed)
        if kind == "problems":
            vals["source"] = _source(row.get("source"), vals["inspection_id"])
        return vals


@functools.cache
def _plan(kind):
    """How ``_values`` reads each column of a kind, worked out once, not for every row:
    (key, field, kept when blank, default, record/master target or None, many, base type).
    """
    return tuple(
        (
            column.key,
            column.odoo_field,
            column.kept_when_blank,
            column.default,
            column.target if column.target and lookup(column.target) else None,
            column.is_multi,
            column.base_type,
        )
        for column in KINDS_BY_KEY[kind].columns
    )


class _Lookups:
    """Business keys and codes of a batch resolved to ids with one query per kind.

    What each column refers to comes from ``case_tracker.schema`` (its ``ref:``/``code:``
    type): records of another kind by business key, master data by code.
    """

    def __init__(self, env, kind, rows):
        self.env = env
        self.kind = kind
        wanted = {}
        for column in KINDS_BY_KEY[kind].columns:
            if not (column.target and lookup(column.target)):
                continue
            for row in rows:
                value = row.get(column.key)
                if value:
                    values = value if isinstance(value, list | tuple) else [value]
                    wanted.setdefault(column.target, set()).update(values)
        self.ids = {}
        for target, keys in wanted.items():
            model, field = lookup(target)
            records = (
                env[model]
                .with_context(active_test=False)
                .search_fetch([(field, "in", list(keys))], [field])
            )
            self.ids[target] = dict(zip(records.mapped(field), records._ids, strict=True))

    def get(self, target, value, many=False):
        if many:
            return [self._one(target, v) for v in value or []]
        return self._one(target, value) if value else False

    def _one(self, target, key):
        found = self.ids.get(target, {}).get(key)
        if not found:
            raise ValueError(f"{lookup(target)[0]} {key!r} not found / 未找到 {key}")
        return found

    def existing(self, Model, key_field, keys):
        """Records of the batch's business keys that already exist (visible to the user)."""
        if key_field == "problem_id":
            keys = list(self.ids.get("problems", {}).values())
        keys = [k for k in keys if k]
        records = Model.search([(key_field, "in", keys)]) if keys else Model.browse()
        if key_field == "problem_id":
            return {r.problem_id.id: r for r in records}
        return {r[key_field]: r for r in records}


def _changes(record, vals):
    """The subset of ``vals`` that differs from the record (for unchanged detection)."""
    changed = {}
    for name, value in vals.items():
        field = record._fields[name]
        current = record[name]
        if field.type in ("many2many", "one2many"):
            wanted = set(value[0][2]) if value else set()
            if set(current.ids) != wanted:
                changed[name] = value
        elif field.type == "many2one":
            if current.id != (value or False) and (current.id or False) != (value or False):
                changed[name] = value
        elif field.type == "date":
            if (current or False) != (fields.Date.to_date(value) if value else False):
                changed[name] = value
        elif field.type == "float":
            if round(current or 0.0, 2) != round(value or 0.0, 2):
                changed[name] = value
        elif field.type == "html":
            if (current or "") != (value or "") and str(current or "") != f"<p>{value}</p>":
                changed[name] = value
        elif (current or False) != (value or False):
            changed[name] = value
    return changed


def _unit_layers(rows):
    """Rows split by depth within the batch, so each layer's parents already exist."""
    by_code = {row.get("code"): row for row in rows}
    depth = {}

    def depth_of(row, seen=()):
        code = row.get("code")
        if code in depth:
            return depth[code]
        parent = by_code.get(row.get("parent_code"))
        level = 0 if parent is None or code in seen else depth_of(parent, (*seen, code)) + 1
        depth[code] = level
        return level

    layers = {}
    for row in rows:
        layers.setdefault(depth_of(row), []).append(row)
    return [layers[level] for level in sorted(layers)]


def _source(text, inspection):
    if inspection:
        return "inspection"
    for word, code in SOURCE_WORDS:
        if text and word in text:
            return code
    return "other"


def _result(row, status, record_id=False, reason=""):
    return {
        "_row": row.get("_row"),
        "_order": id(row),
        "status": status,
        "id": record_id,
        "reason": reason,
    }


def _reason(exc):
    return getattr(exc, "args", [str(exc)])[0] if exc.args else str(exc)


def _first_line(exc):
    text = str(_reason(exc)).strip()
    return text.splitlines()[0] if text else ""


def _integrity_reason(exc):
    return f"duplicate or missing value: {exc.diag.message_primary or exc} / 数据重复或缺失"
