import logging

import psycopg2
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from psycopg2 import errorcodes

from case_tracker.schema import KINDS

_logger = logging.getLogger(__name__)

#: Record kind of the register -> (model, business key field of that model).
KEY_FIELDS = {"rectifications": "problem_id"}  # a rectification is keyed by its problem
TARGETS = {kind.key: (kind.model, KEY_FIELDS.get(kind.key, kind.business_key)) for kind in KINDS}
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
    def import_rows(self, kind, rows):
        """Upsert ``rows`` of one register kind; one result per row, in the rows' order."""
        if kind not in TARGETS:
            raise UserError(self.env._("Unknown record kind %(kind)s.", kind=kind))
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
                results.append(_result(row, "error", reason=str(exc)))
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
                    results.append(_result(row, "unchanged", record.id))
        results += self._create(Model, to_create)
        results += self._update(to_update)
        order = {id(row): index for index, row in enumerate(rows)}
        results.sort(key=lambda r: order.get(r.pop("_order"), 0))
        return results

    # ----------------------------------------------------------- writing
    def _create(self, Model, items):
        if not items:
            return []
        try:
            with self.env.cr.savepoint():
                records = Model.create([vals for _row, vals in items])
                records.flush_recordset()
                self.env.flush_all()
            return [
                _result(row, "created", rec.id)
                for (row, _v), rec in zip(items, records, strict=True)
            ]
        except (ValidationError, AccessError, UserError, psycopg2.IntegrityError, ValueError):
            pass  # find the bad rows one by one
        results = []
        for row, vals in items:
            try:
                with self.env.cr.savepoint():
                    record = Model.create(vals)
                    self.env.flush_all()
                results.append(_result(row, "created", record.id))
            except psycopg2.IntegrityError as exc:
                self._raise_if_race(exc)
                results.append(_result(row, "error", reason=_integrity_reason(exc)))
            except (ValidationError, AccessError, UserError, ValueError) as exc:
                results.append(_result(row, "error", reason=_reason(exc)))
        return results

    def _update(self, items):
        results = []
        for row, record, changed in items:
            try:
                with self.env.cr.savepoint():
                    record.with_context(tracking_disable=True).write(changed)
                    self.env.flush_all()
                results.append(_result(row, "updated", record.id))
            except psycopg2.IntegrityError as exc:
                self._raise_if_race(exc)
                results.append(_result(row, "error", reason=_integrity_reason(exc)))
            except (ValidationError, AccessError, UserError, ValueError) as exc:
                results.append(_result(row, "error", reason=_reason(exc)))
        return results

    def _raise_if_race(self, exc):
        """A key taken by a concurrent, already committed import: retry the whole call."""
        if exc.pgcode == errorcodes.UNIQUE_VIOLATION:
            _logger.info("import: business key taken concurrently, retrying the batch")
            raise KeyTakenConcurrently(str(exc)) from exc

    # ---------------------------------------------------------- values
    def _values(self, kind, row, lookups):
        get = lookups.get
        if kind == "units":
            return {
                "code": row["code"],
                "name": row["name"],
                "parent_id": get("units", row.get("parent_code")),
                "kind": row.get("kind") or "other",
                # only when given: a register without these columns keeps what is set in Odoo
                **{
                    field: row[column]
                    for column, field in (
                        ("commission", "commission_name"),
                        ("commission_code", "commission_code"),
                    )
                    if row.get(column)
                },
            }
        if kind == "inspections":
            return {
                "ref": row["ref"],
                "date": row["date"],
                "end_date": row.get("end_date") or False,
                "method": row["method"],
                "topic": row.get("topic") or False,
                "team": row.get("team") or False,
                "leader_name": row.get("leader") or False,
                "unit_ids": [fields.Command.set(get("units", row["unit_codes"], many=True))],
                "findings": row.get("findings") or False,
                "state": "done",
            }
        if kind == "problems":
            inspection = get("inspections", row.get("inspection_ref"))
            return {
                "ref": row["ref"],
                "inspection_id": inspection,
                "source": _source(row.get("source"), inspection),
                "unit_id": get("units", row["unit_code"]),
                "responsible": row.get("responsible") or False,
                "category_id": get("categories", row["category"]),
                "description": row["description"],
                "amount": float(row.get("amount") or 0.0),
                "discovery_date": row["discovery_date"],
                "exposed": bool(row.get("exposed")),
                "exposure_channel": row.get("exposure_channel") or False,
                "exposure_date": row.get("exposure_date") or False,
                "exposure_link": row.get("exposure_link") or False,
                "typical": bool(row.get("typical")),
                "state": "confirmed",
            }
        if kind == "rectifications":
            return {
                "problem_id": get("problems", row["problem_ref"]),
                "measures": row.get("measures") or False,
                "deadline": row["deadline"],
                "unit_id": get("units", row.get("unit_code")),
                "responsible": row.get("responsible") or False,
                "state": row["state"],
                "finish_date": row.get("finish_date") or False,
                "grade_id": get("grades", row.get("grade")),
                "evaluation_date": row.get("evaluation_date") or False,
                "followup_ids": [
                    fields.Command.set(get("followups", row.get("followups") or [], many=True))
                ],
                "followup_note": row.get("followup_note") or False,
            }
        if kind == "persons":
            return {
                "ref": row["ref"],
                "name": row["name"],
                "identity": row.get("identity") or False,
                "unit_id": get("units", row["unit_code"]),
                "post": row.get("post") or False,
                "rank_id": get("ranks", row["rank"]),
                "party_member": bool(row.get("party_member")),
                "problem_ids": [
                    fields.Command.set(get("problems", row["problem_refs"], many=True))
                ],
                "outcome_ids": [fields.Command.set(get("outcomes", row["outcomes"], many=True))],
                "decision_date": row["decision_date"],
                "document_no": row.get("document_no") or False,
                "state": "confirmed",
            }
        raise ValueError(kind)


class _Lookups:
    """Business keys and codes of a batch resolved to ids with one query per kind."""

    MODELS = {
        "units": ("di.unit", "code"),
        "inspections": ("di.inspection", "ref"),
        "problems": ("di.problem", "ref"),
        "categories": ("di.category", "code"),
        "grades": ("di.grade", "code"),
        "followups": ("di.followup", "code"),
        "ranks": ("di.rank", "code"),
        "outcomes": ("di.outcome", "code"),
    }
    #: Which row columns hold keys of which look-up.
    COLUMNS = {
        "parent_code": "units",
        "unit_codes": "units",
        "unit_code": "units",
        "inspection_ref": "inspections",
        "problem_ref": "problems",
        "problem_refs": "problems",
        "category": "categories",
        "grade": "grades",
        "followups": "followups",
        "rank": "ranks",
        "outcomes": "outcomes",
    }

    def __init__(self, env, kind, rows):
        self.env = env
        self.kind = kind
        wanted = {}
        for row in rows:
            for column, target in self.COLUMNS.items():
                value = row.get(column)
                if value:
                    values = value if isinstance(value, list | tuple) else [value]
                    wanted.setdefault(target, set()).update(values)
        self.ids = {}
        for target, keys in wanted.items():
            model, field = self.MODELS[target]
            records = (
                env[model]
                .with_context(active_test=False)
                .search_read([(field, "in", list(keys))], [field])
            )
            self.ids[target] = {r[field]: r["id"] for r in records}

    def get(self, target, value, many=False):
        if many:
            return [self._one(target, v) for v in value or []]
        return self._one(target, value) if value else False

    def _one(self, target, key):
        found = self.ids.get(target, {}).get(key)
        if not found:
            raise ValueError(f"{self.MODELS[target][0]} {key!r} not found / 未找到 {key}")
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


def _integrity_reason(exc):
    return f"duplicate or missing value: {exc.diag.message_primary or exc} / 数据重复或缺失"
