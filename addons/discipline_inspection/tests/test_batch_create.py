import copy
import gc
from datetime import date
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import ValidationError

from ..models import di_batch_create
from ..models.di_batch_fields import BatchMany2many
from .common import DiCase


class BatchCase(DiCase):
    """Five problems to create rectifications and persons for, and master data by code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archived_unit = cls.env["di.unit"].create(
            {"name": "Old office", "code": "T-OLD", "kind": "district", "active": False}
        )
        cls.problems = cls.env["di.problem"].create(
            [
                cls._problem_vals("BC-P1", "hl_dining_public", date(2024, 3, 1)),
                cls._problem_vals("BC-P2", "loc_inaction", date(2024, 3, 2)),
                cls._problem_vals("BC-P3", "hl_gifts", date(2024, 3, 3)),
                cls._problem_vals("BC-P4", "loc_inaction", date(2024, 3, 4)),
                cls._problem_vals("BC-P5", "hl_dining_public", date(2024, 3, 5)),
            ]
        )

    @classmethod
    def _problem_vals(cls, ref, category, day, **values):
        return {
            "ref": ref,
            "unit_id": cls.hs.id,
            "category_id": cls.code("di.category", category).id,
            "description": "batch",
            "discovery_date": day,
            **values,
        }

    def _ids(self, model, *codes):
        records = self.env[model].with_context(active_test=False).search([("code", "in", codes)])
        by_code = {record.code: record.id for record in records}
        return [by_code[code] for code in codes]


class TestValuesBeforeInsert(BatchCase):
    """Stored computed values written in the insert are the ORM's computes' own.

    Each batch is created twice: once as the ORM does it without them (every stored
    computed field computed at flush), rolled back, then with them; both give the same
    values, and a recompute of every such field on the created records changes none.
    """

    def _snapshot(self, records):
        """The stored computed values of ``records``, comparable across a rollback."""
        names = [name for name, field in records._fields.items() if field.store and field.compute]
        snapshot = []
        for record in records:
            row = {}
            for name in names:
                value = record[name]
                if name == "identity_id":  # numbered anew after the rollback: its key
                    value = value.key
                elif hasattr(value, "_name"):
                    value = (value._name, value.ids)
                row[name] = value
            snapshot.append(row)
        return snapshot

    def _assert_as_computed(self, model, vals_list):
        """Create ``vals_list`` both ways; return the records created with values before insert."""
        Model = self.env[model]
        self.env.flush_all()  # the test's own changes (archived records) outlive the rollback
        token = di_batch_create.BEFORE_INSERT.set(False)
        try:
            with self.env.cr.savepoint(flush=False) as savepoint:
                records = Model.create(copy.deepcopy(vals_list))
                self.env.flush_all()
                computed = self._snapshot(records)
                savepoint.rollback()
        finally:
            di_batch_create.BEFORE_INSERT.reset(token)
        self.env.invalidate_all(flush=False)
        queries = []
        execute = self.env.cr.execute

        def logged(query, params=None, log_exceptions=True):
            queries.append(str(getattr(query, "code", query)))
            return execute(query, params, log_exceptions)

        with patch.object(self.env.cr, "execute", logged):
            records = Model.create(copy.deepcopy(vals_list))
            self.env.flush_all()
        given = self._snapshot(records)
        self.assertEqual(given, computed)
        # and the new rows were written once: no UPDATE of them after their INSERT
        update = f'UPDATE "{Model._table}"'
        self.assertFalse([q for q in queries if q.strip().startswith(update)])
        for field in records._fields.values():
            # an editable computed value given in the values (the original deadline) is the
            # user's, not the compute's: the ORM protects it at create, and so does this path
            if field.store and field.compute and field.readonly:
                self.env.add_to_compute(field, records)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(records), computed)
        return records

    def test_problems(self):
        problems = self._assert_as_computed(
            "di.problem",
            [
                self._problem_vals("BC-Q1", "hl_dining_public", date(2024, 3, 1)),
                # a read-only computed value in the values: the compute's wins, as before
                self._problem_vals("BC-Q2", "loc_inaction", date(2024, 3, 2), eight_point=True),
                self._problem_vals("BC-Q3", "hl_gifts", date(2024, 3, 3), rectification_ids=[]),
            ],
        )
        self.assertEqual(problems.mapped("eight_point"), [True, False, True])
        self.assertEqual(set(problems.mapped("rectification_state")), {"pending"})

    def test_rectifications(self):
        p1, p2, p3, p4, p5 = self.problems
        serious, revisit = self._ids("di.followup", "serious_notice", "revisit")
        poor, good = self._ids("di.grade", "poor", "good")
        self.env["di.followup"].browse(revisit).active = False
        rectifications = self._assert_as_computed(
            "di.rectification",
            [
                {"problem_id": p1.id, "deadline": "2024-04-01"},
                {
                    "problem_id": p2.id,
                    "state": "closed",
                    "deadline": "2024-04-02",
                    "finish_date": "2024-04-02",
                    "grade_id": poor,
                    "evaluation_date": "2024-04-05",
                    "followup_ids": [Command.set([serious])],
                },
                {
                    "problem_id": p3.id,
                    "state": "to_accept",
                    "deadline": date(2024, 4, 3),
                    "original_deadline": date(2024, 5, 1),
                    "finish_date": date(2024, 4, 20),
                },
                {
                    "problem_id": p4.id,
                    "state": "closed",
                    "deadline": "2024-04-04",
                    "finish_date": "2024-04-10",
                    "grade_id": good,
                    "evaluation_date": "2024-04-11",
                    "followup_ids": [Command.link(serious)],
                    "recurrence_count": 1,
                    "recurrence_date": "2024-04-20",
                },
                {
                    "problem_id": p5.id,
                    "state": "closed",
                    "deadline": "2024-04-05",
                    "finish_date": "2024-04-05",
                    "grade_id": good,
                    "evaluation_date": "2024-04-06",
                    "followup_ids": [Command.set([revisit])],  # archived: not counted
                },
            ],
        )
        self.assertEqual(rectifications.mapped("on_time"), [False, True, True, False, True])
        self.assertEqual(rectifications.mapped("handled"), [False, True, False, True, False])
        self.assertEqual(rectifications.mapped("poor"), [False, True, False, False, False])
        self.assertEqual(
            rectifications.mapped("false_rectification"), [False, False, False, True, False]
        )
        self.assertEqual(rectifications[0].original_deadline, date(2024, 4, 1))
        self.assertEqual(rectifications[2].original_deadline, date(2024, 5, 1))
        self.assertEqual(rectifications.problem_unit_id, self.hs)
        # the problems' own rectification fields follow, as before
        self.assertEqual(p2.rectification_state, "closed")
        self.assertEqual(p2.grade_id.id, poor)

    def test_persons(self):
        p1, p2, p3 = self.problems[:3]
        criticism, acc_admonition, party_warning = self._ids(
            "di.outcome", "criticism", "acc_admonition", "party_warning"
        )
        self.env["di.outcome"].browse(party_warning).active = False
        persons = self._assert_as_computed(
            "di.person",
            [
                self._person_vals("ID-1", [p1.id, p2.id], [criticism, acc_admonition]),
                self._person_vals(False, [p2.id], [acc_admonition, criticism], name=" Li Si "),
                self._person_vals("", [p2.id], [Command.link(criticism)]),
                # the heavier outcome is archived: the compute leaves it out
                self._person_vals("ID-2", [p3.id], [criticism, party_warning]),
            ],
        )
        self.assertEqual(
            persons.mapped("identity_key"), ["ID-1", "Li Si@T-HS", "Zhang@T-HS", "ID-2"]
        )
        self.assertTrue(all(persons.mapped("identity_id")))
        self.assertEqual(persons.mapped("eight_point"), [True, False, False, True])
        self.assertEqual(persons.mapped("heaviest_outcome_id").ids, [acc_admonition, criticism])

    def _person_vals(self, identity, problem_ids, outcomes, name="Zhang"):
        if outcomes and isinstance(outcomes[0], int):
            outcomes = [Command.set(outcomes)]
        return {
            "name": name,
            "identity": identity,
            "unit_id": self.hs.id,
            "rank_id": self.code("di.rank", "township").id,
            "party_member": True,
            "problem_ids": [Command.set(problem_ids)],
            "outcome_ids": outcomes,
            "decision_date": date(2024, 4, 1),
        }

    def test_inspections(self):
        inspections = self._assert_as_computed(
            "di.inspection",
            [
                {"date": date(2024, 3, 1), "unit_ids": [Command.set([self.jb.id, self.hs.id])]},
                {
                    "date": date(2024, 3, 1),
                    "unit_ids": [Command.set([self.archived_unit.id, self.hs.id])],
                },
                {"date": date(2024, 3, 1), "unit_ids": [Command.link(self.hs_street.id)]},
            ],
        )
        self.assertEqual(inspections.unit_id.ids, [self.jb.id, self.hs.id, self.hs_street.id])

    # ------------------------------------------------ constraints in a batch
    def test_a_rule_on_a_value_given_before_insert_still_fires(self):
        """The original deadline, written in the insert, is checked as the compute's was."""
        with self.assertRaises(ValidationError) as caught:
            self.env["di.rectification"].create(
                [
                    {"problem_id": self.problems[0].id, "deadline": "2024-04-01"},
                    {"problem_id": self.problems[1].id, "deadline": "2024-01-01"},
                ]
            )
        self.assertIn("BC-P2", str(caught.exception))

    def test_constraints_fire_in_a_batch(self):
        with self.assertRaises(ValidationError):
            self.env["di.inspection"].create(
                [
                    {"date": date(2024, 3, 1), "unit_ids": [Command.set(self.hs.ids)]},
                    {
                        "date": date(2024, 3, 1),
                        "end_date": date(2024, 2, 1),
                        "unit_ids": [Command.set(self.hs.ids)],
                    },
                ]
            )
        with self.assertRaises(ValidationError):
            self.env["di.problem"].create(
                [
                    self._problem_vals("BC-X1", "hl_dining_public", date(2024, 3, 1)),
                    self._problem_vals("BC-X2", "hl_dining_public", date(2024, 3, 1), amount=-1),
                ]
            )
        criticism = self._ids("di.outcome", "criticism")
        with self.assertRaises(ValidationError):  # the same person handled twice for P1
            self.env["di.person"].create(
                [
                    self._person_vals("ID-9", [self.problems[0].id], criticism),
                    self._person_vals("ID-9", [self.problems[0].id], criticism),
                ]
            )
        with self.assertRaises(ValidationError):  # closed without a grade
            self.env["di.rectification"].create(
                [
                    {"problem_id": self.problems[0].id, "deadline": "2024-04-01"},
                    {
                        "problem_id": self.problems[1].id,
                        "state": "closed",
                        "deadline": "2024-04-01",
                        "finish_date": "2024-04-01",
                    },
                ]
            )

    def test_dates_given_as_text(self):
        """ISO text is read as the ORM reads it; text that is no day is refused as before."""
        rectification = self.env["di.rectification"].create(
            [
                {"problem_id": self.problems[0].id, "deadline": "2024-04-01 00:00:00"},
                {"problem_id": self.problems[1].id, "deadline": date(2024, 4, 2)},
            ]
        )[0]
        self.assertEqual(rectification.deadline, date(2024, 4, 1))
        self.assertEqual(rectification.original_deadline, date(2024, 4, 1))
        with self.assertRaises(ValueError):
            self.env["di.rectification"].create(
                [
                    {"problem_id": self.problems[2].id, "deadline": "2024-02-30"},
                    {"problem_id": self.problems[3].id, "deadline": "2024-04-02"},
                ]
            )


class TestFieldColumns(BatchCase):
    """Constraints and computes over a batch read their fields column by column: the same
    values as ``record[name]`` record by record, archived links left out as the ORM does.
    """

    def _per_record(self, records, name):
        values = [record[name] for record in records]
        if records._fields[name].type == "many2one":
            return [value.id for value in values]
        if records._fields[name].relational:
            return [value._ids for value in values]
        return values

    def test_columns_are_the_records_values(self):
        p1, p2, p3 = self.problems[:3]
        serious, revisit = self._ids("di.followup", "serious_notice", "revisit")
        good = self._ids("di.grade", "good")[0]
        rectifications = self.env["di.rectification"].create(
            [
                {"problem_id": p1.id, "deadline": "2024-04-01"},
                {
                    "problem_id": p2.id,
                    "state": "closed",
                    "deadline": "2024-04-02",
                    "finish_date": "2024-04-02",
                    "grade_id": good,
                    "evaluation_date": "2024-04-05",
                    "followup_ids": [Command.set([revisit, serious])],
                },
                {"problem_id": p3.id, "deadline": "2024-04-03"},
            ]
        )
        self.env["di.followup"].browse(revisit).active = False
        names = ["state", "deadline", "finish_date", "grade_id", "followup_ids", "problem_id"]
        for evicted in (False, True):
            if evicted:  # fetched from the database, for the whole recordset at once
                self.env.invalidate_all()
            columns = di_batch_create.field_columns(rectifications, names)
            for name in names:
                self.assertEqual(columns[name], self._per_record(rectifications, name), name)
        self.assertEqual(columns["followup_ids"], [(), (serious,), ()])
        self.assertEqual(columns["grade_id"], [False, good, False])

    def test_problems_follow_their_rectifications_in_one_batch(self):
        """Each problem gets its own rectification's state, deadline and grade, however
        many problems share a value.
        """
        poor, good = self._ids("di.grade", "poor", "good")
        serious = self._ids("di.followup", "serious_notice")
        states = ["pending", "closed", "closed", "closed", "pending"]
        grades = [False, poor, good, good, False]
        deadlines = [date(2024, 4, 1), date(2024, 4, 2), date(2024, 4, 1), date(2024, 4, 9)]
        deadlines.append(date(2024, 4, 9))
        self.env["di.rectification"].create(
            [
                {
                    "problem_id": problem.id,
                    "state": state,
                    "deadline": deadline,
                    "finish_date": state == "closed" and date(2024, 4, 1),
                    "grade_id": grade,
                    "evaluation_date": grade and date(2024, 4, 3),
                    "followup_ids": [Command.set(serious if grade == poor else [])],
                }
                for problem, state, grade, deadline in zip(
                    self.problems, states, grades, deadlines, strict=True
                )
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self.problems.mapped("rectification_state"), states)
        self.assertEqual(self.problems.mapped("deadline"), deadlines)
        self.assertEqual([p.grade_id.id for p in self.problems], grades)


class TestBatchMany2many(BatchCase):
    """Links of a created batch written at once are the ORM's own: the relation's rows, the
    records' cache, the inverse field's cache on the linked records and what depends on it.
    """

    def _create(self, vals_list):
        """Create persons; what the ORM then holds, with persons as their index in the batch."""
        problems = self.problems
        # read before the create: the ORM keeps these in the cache up to date
        problems.mapped("person_ids")
        problems.mapped("person_count")
        persons = self.env["di.person"].create(copy.deepcopy(vals_list))
        index = {person_id: i for i, person_id in enumerate(persons.ids)}

        def held():
            return {
                "problem_ids": [person.problem_ids.ids for person in persons],
                "outcome_ids": [person.outcome_ids.ids for person in persons],
                "inverse": [
                    sorted(index[i] for i in problem.person_ids.ids if i in index)
                    for problem in problems
                ],
                "person_count": problems.mapped("person_count"),
            }

        cached = held()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT person_id, problem_id FROM di_person_problem_rel WHERE person_id IN %s "
            "UNION ALL SELECT di_person_id, -di_outcome_id FROM di_outcome_di_person_rel "
            "WHERE di_person_id IN %s",
            [tuple(persons.ids)] * 2,
        )
        rows = sorted((index[person], linked) for person, linked in self.env.cr.fetchall())
        self.env.invalidate_all()
        return {"cached": cached, "stored": held(), "rows": rows}

    def _both_ways(self, vals_list):
        """(the ORM's write of the links, this field's), from the same state."""
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False) as savepoint:
            with patch.object(BatchMany2many, "_links_of_created", return_value=None):
                orm = self._create(vals_list)
            savepoint.rollback()
        self.env.invalidate_all(flush=False)
        calls = []
        write_real = fields.Many2many.write_real

        def spied(field, records_commands_list, create=False):
            calls.append(field.name)
            return write_real(field, records_commands_list, create)

        with patch.object(fields.Many2many, "write_real", spied):
            batch = self._create(vals_list)
        return orm, batch, calls

    def test_set_and_link_are_written_for_the_batch(self):
        p1, p2, p3 = self.problems[:3]
        criticism, admonition = self._ids("di.outcome", "criticism", "acc_admonition")
        vals_list = [
            self._person_vals("ID-1", [p1.id, p2.id], [criticism, admonition]),
            self._person_vals("ID-2", [p2.id], [Command.link(criticism)]),
            self._person_vals("ID-3", [p3.id, p1.id], [Command.set([admonition, criticism])]),
        ]
        orm, batch, calls = self._both_ways(vals_list)
        self.assertEqual(batch, orm)
        self.assertFalse(calls, "the ORM's write_real is not called on the batch path")
        self.assertEqual(batch["cached"]["problem_ids"], [[p1.id, p2.id], [p2.id], [p3.id, p1.id]])
        self.assertEqual(batch["cached"]["inverse"][:3], [[0, 2], [0, 1], [2]])
        self.assertEqual(batch["cached"]["person_count"][:3], [2, 2, 1])

    def test_other_commands_take_the_orms_path(self):
        p1, p2 = self.problems[:2]
        criticism, admonition = self._ids("di.outcome", "criticism", "acc_admonition")
        vals = self._person_vals("ID-1", [p1.id], [criticism])
        vals["problem_ids"] = [Command.set([p1.id, p2.id]), Command.unlink(p1.id)]
        orm, batch, calls = self._both_ways(
            [vals, self._person_vals("ID-2", [p1.id], [admonition])]
        )
        self.assertEqual(batch, orm)
        self.assertEqual(calls, ["problem_ids"])
        self.assertEqual(batch["stored"]["problem_ids"], [[p2.id], [p1.id]])

    _person_vals = TestValuesBeforeInsert._person_vals


class TestBatchDefaults(BatchCase):
    """In a batch, a record's defaults are those the ORM gives it alone."""

    def test_the_defaults_of_a_batch_are_each_records_own(self):
        p1, p2, p3 = self.problems[:3]
        for model, vals_list in [
            (
                "di.rectification",
                [
                    {"problem_id": p1.id, "deadline": date(2024, 6, 1)},
                    {"problem_id": p2.id, "deadline": date(2024, 6, 1), "state": "in_progress"},
                    {"problem_id": p3.id, "deadline": date(2024, 7, 1)},
                ],
            ),
            (
                "di.inspection",
                [
                    {"date": date(2024, 3, 1), "unit_ids": [Command.set([self.hs.id])]},
                    {"date": date(2024, 3, 2), "leader_id": self.env.uid, "method": "covert"},
                    {"date": date(2024, 3, 3), "unit_ids": [Command.link(self.jb.id)]},
                ],
            ),
        ]:
            Model = self.env[model]
            alone = [Model._add_missing_default_values(dict(vals)) for vals in vals_list]
            token = di_batch_create._BATCH_DEFAULTS.set({})
            try:
                batch = [Model._add_missing_default_values(dict(vals)) for vals in vals_list]
            finally:
                di_batch_create._BATCH_DEFAULTS.reset(token)
            # the same values, in the same order
            self.assertEqual(
                [list(values.items()) for values in batch],
                [list(values.items()) for values in alone],
            )
            given = "state" if model == "di.rectification" else "method"
            self.assertEqual(batch[1][given], vals_list[1][given])
            self.assertNotEqual(batch[0][given], vals_list[1][given])


class TestFrozenObjects(BatchCase):
    """During a batch the cycle collector leaves older objects alone, and only then."""

    def _create_batch(self, suffix):
        """Create two problems; the objects frozen while their values were worked out."""
        seen = []
        Problem = type(self.env["di.problem"])
        values_before_insert = Problem._values_before_insert

        def spied(model, stored_list):
            seen.append(gc.get_freeze_count())
            return values_before_insert(model, stored_list)

        with patch.object(Problem, "_values_before_insert", spied):
            self.env["di.problem"].create(
                [
                    self._problem_vals(f"FZ-{suffix}1", "loc_inaction", date(2024, 3, 1)),
                    self._problem_vals(f"FZ-{suffix}2", "loc_inaction", date(2024, 3, 2)),
                ]
            )
        return seen

    def test_older_objects_are_frozen_during_a_batch_only(self):
        self.assertEqual(gc.get_freeze_count(), 0)
        (frozen,) = self._create_batch("A")
        self.assertGreater(frozen, 0)
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_objects_someone_else_froze_stay_frozen(self):
        gc.freeze()
        try:
            (frozen,) = self._create_batch("B")
            self.assertGreater(frozen, 0)
            self.assertGreater(gc.get_freeze_count(), 0, "the batch did not unfreeze them")
        finally:
            gc.unfreeze()
