"""Odoo layer: who may do what, over RPC, as real users of every group in two districts.

Table-driven: every model × read, create, write and delete × a record of the user's own
district and of the other one, as the inspectors, reviewers, leaders and rectification
liaisons of two districts,
an inspector of the city and an administrator.  Then each way around the rules that was
once possible, as a case of its own.  A cell either succeeds or is refused by the server
(an access error, a refused state change, a validation error): nothing in between.
"""

from __future__ import annotations

import itertools
import uuid

import pytest

from tests import odoo_harness as harness

pytestmark = pytest.mark.odoo

PASSWORD = "matrix-" + uuid.uuid4().hex[:12]  # a throw-away database's users
ROLES = ("inspector", "reviewer", "leader", "liaison")
OPERATIONS = ("read", "create", "write", "unlink")
#: The district users' rights on their own district's records; the other district: nothing.
OWN: dict[str, dict[str, set[str]]] = {
    "inspector": {
        "di.inspection": {"read", "create", "write", "unlink"},
        "di.problem": {"read", "create", "write", "unlink"},
        "di.rectification": {"read", "write"},
        "di.person": {"read", "create", "write", "unlink"},
        "di.bulletin": {"read"},
        "di.unit": {"read"},
    },
    "reviewer": {
        "di.inspection": {"read", "create", "write", "unlink"},
        "di.problem": {"read", "create", "write", "unlink"},
        "di.rectification": {"read", "write"},
        "di.person": {"read", "create", "write", "unlink"},
        "di.bulletin": {"read", "create", "write", "unlink"},
        "di.unit": {"read"},
    },
    "leader": {model: {"read"} for model in ("di.inspection", "di.problem", "di.rectification")}
    | {"di.person": {"read"}, "di.bulletin": {"read"}, "di.unit": {"read"}},
    # 整改联络员 of the inspected unit: its registered problems and rectifications, nothing
    # about persons, inspections or unpublished bulletins (the fixture's bulletins are drafts).
    "liaison": {
        "di.inspection": set(),
        "di.problem": {"read"},
        "di.rectification": {"read", "write"},
        "di.person": set(),
        "di.bulletin": set(),
        "di.unit": {"read"},
    },
}
#: Units are reference data: every user of the add-on reads them all; only administrators write.
UNITS_READ_BY_ALL = True
#: A harmless field to write on each model.
WRITABLE = {
    "di.inspection": ("topic", "matrix"),
    "di.problem": ("responsible", "matrix"),
    "di.rectification": ("measures", "matrix"),
    "di.person": ("post", "matrix"),
    "di.bulletin": ("number", None),  # a fresh number per write (it is unique)
    "di.unit": ("name", None),
}


class Matrix:
    """The fixture's world: a city, districts A and B, users, and records in each district."""

    def __init__(self, server: harness.OdooServer, db: str) -> None:
        import odoorpc

        self.server, self.db = server, db
        self.admin = odoorpc.ODOO("127.0.0.1", port=server.port, timeout=600)
        self.admin.login(db, harness.TEST_ADMIN_LOGIN, harness.TEST_ADMIN_LOGIN)
        env = self.admin.env
        Unit = env["di.unit"]
        self.city = Unit.create({"name": "矩阵市", "code": "MX", "kind": "city"})
        self.units = {
            name: Unit.create(
                {"name": f"矩阵{name}区", "code": f"MX-{name}", "kind": "district"}
                | {"parent_id": self.city}
            )
            for name in ("A", "B")
        }
        groups = {
            role: env.ref(f"discipline_inspection.group_di_{role}").id for role in (*ROLES, "admin")
        }
        user_group = env.ref("base.group_user").id
        self.logins: dict[str, str] = {}
        for (district, unit), role in itertools.product(self.units.items(), ROLES):
            self._user(f"mx_{role}_{district}", [user_group, groups[role]], [unit])
        self._user("mx_inspector_city", [user_group, groups["inspector"]], [self.city])
        self._user("mx_admin", [user_group, groups["admin"]], [])
        self.records = {name: self._records(unit) for name, unit in self.units.items()}
        self.problem_of = {
            unit: self.records[name]["di.problem"] for name, unit in self.units.items()
        }
        self.clients: dict[str, object] = {}

    def _user(self, login: str, group_ids: list[int], units: list[int]) -> None:
        self.admin.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": PASSWORD,
                "groups_id": [(6, 0, group_ids)],
                "di_unit_ids": [(6, 0, units)],
            }
        )
        self.logins[login] = login

    def _call(self, model: str, method: str, *args, **kwargs):
        return self.admin.execute_kw(model, method, list(args), kwargs)

    def _records(self, unit: int) -> dict[str, int]:
        """A confirmed record of each model in ``unit`` (and drafts to delete)."""
        category = self._call("di.category", "search", [("code", "=", "hl_gifts")])[0]
        rank = self._call("di.rank", "search", [("code", "=", "township")])[0]
        outcome = self._call("di.outcome", "search", [("code", "=", "criticism")])[0]
        inspection = self._call(
            "di.inspection", "create", {"date": "2024-03-01", "method": "open", "unit_ids": [unit]}
        )
        problem = self._call(
            "di.problem",
            "create",
            {
                "unit_id": unit,
                "category_id": category,
                "description": "matrix",
                "discovery_date": "2024-03-04",
                "inspection_id": inspection,
            },
        )
        self._call("di.problem", "action_confirm", [problem])
        rectification = self._call("di.problem", "read", [problem], ["rectification_id"])[0][
            "rectification_id"
        ][0]
        person = self._call(
            "di.person",
            "create",
            {
                "name": "矩阵人员",
                "unit_id": unit,
                "rank_id": rank,
                "party_member": True,
                "problem_ids": [(6, 0, [problem])],
                "outcome_ids": [(6, 0, [outcome])],
                "decision_date": "2024-03-20",
            },
        )
        self._call("di.person", "action_confirm", [person])
        bulletin = self._call(
            "di.bulletin",
            "create",
            {"period": "2024-03", "issuing_body": "矩阵", "unit_id": unit, "number": f"N{unit}"},
        )
        return {
            "di.inspection": inspection,
            "di.problem": problem,
            "di.rectification": rectification,
            "di.person": person,
            "di.bulletin": bulletin,
            "di.unit": unit,
        }

    def values_for_create(self, model: str, unit: int) -> dict | None:
        category = self._call("di.category", "search", [("code", "=", "hl_gifts")])[0]
        return {
            "di.inspection": {"date": "2024-03-02", "method": "open", "unit_ids": [unit]},
            "di.problem": {
                "unit_id": unit,
                "category_id": category,
                "description": "matrix new",
                "discovery_date": "2024-03-05",
            },
            "di.person": {
                "name": f"矩阵新人员{uuid.uuid4().hex[:6]}",
                "unit_id": unit,
                "rank_id": self._call("di.rank", "search", [("code", "=", "township")])[0],
                "party_member": True,
                "problem_ids": [(6, 0, [self.problem_of[unit]])],
                "outcome_ids": [
                    (6, 0, self._call("di.outcome", "search", [("code", "=", "criticism")]))
                ],
                "decision_date": "2024-03-21",
            },
            "di.bulletin": {"period": "2024-02", "issuing_body": "矩阵", "unit_id": unit},
            "di.unit": {"name": "矩阵新单位", "code": f"MX-N{uuid.uuid4().hex[:6]}"}
            | {"parent_id": unit},
            "di.rectification": None,  # made by confirming a problem, never created by hand
        }[model]

    def draft_to_delete(self, model: str, unit: int) -> int | None:
        values = self.values_for_create(model, unit)
        if values is None or model == "di.unit":
            return None
        return self._call(model, "create", values)

    def client(self, login: str):
        import odoorpc

        if login not in self.clients:
            odoo = odoorpc.ODOO("127.0.0.1", port=self.server.port, timeout=600)
            odoo.login(self.db, login, PASSWORD)
            self.clients[login] = odoo
        return self.clients[login]


@pytest.fixture(scope="module")
def matrix(odoo_server, odoo_template_db, session_tag):
    db = f"{session_tag}_db_matrix"
    harness.copy_db(odoo_template_db, db)
    try:
        yield Matrix(odoo_server, db)
    finally:
        harness.drop_db(db)


def _attempt(odoo, model: str, operation: str, record_id: int | None, values=None) -> bool:
    """Whether the server let ``operation`` through (any refusal is an RPC error)."""
    import odoorpc

    try:
        if operation == "read":
            found = odoo.execute_kw(model, "read", [[record_id]], {"fields": ["display_name"]})
            return bool(found)
        if operation == "write":
            field, value = WRITABLE[model]
            value = value or f"M{uuid.uuid4().hex[:8]}"
            odoo.execute_kw(model, "write", [[record_id], {field: value}], {})
            return True
        if operation == "create":
            return bool(odoo.execute_kw(model, "create", [values], {}))
        odoo.execute_kw(model, "unlink", [[record_id]], {})
        return True
    except odoorpc.error.RPCError:
        return False


def _cells():
    return itertools.product(ROLES, ("A", "B"), OWN["inspector"], OPERATIONS, ("own", "other"))


@pytest.mark.parametrize(
    ("role", "district", "model", "operation", "whose"),
    list(_cells()),
    ids=lambda value: str(value),
)
def test_the_matrix_of_district_users(matrix, role, district, model, operation, whose):
    other = "B" if district == "A" else "A"
    unit = matrix.units[district if whose == "own" else other]
    odoo = matrix.client(f"mx_{role}_{district}")
    expected = operation in OWN[role][model] and whose == "own"
    if model == "di.unit":
        expected = operation == "read"  # every user reads the unit tree; only admins change it
    if operation == "create":
        values = matrix.values_for_create(model, unit)
        if values is None:
            pytest.skip(f"{model} records are not created by hand")
        assert _attempt(odoo, model, "create", None, values) is expected
    elif operation == "unlink":
        draft = matrix.draft_to_delete(model, unit)
        record = draft or matrix.records[district if whose == "own" else other][model]
        assert _attempt(odoo, model, "unlink", record) is (expected and draft is not None)
    else:
        record = matrix.records[district if whose == "own" else other][model]
        assert _attempt(odoo, model, operation, record) is expected


@pytest.mark.parametrize("model", list(OWN["inspector"]))
def test_the_city_sees_and_the_administrator_does_all(matrix, model):
    city, admin = matrix.client("mx_inspector_city"), matrix.client("mx_admin")
    for district in ("A", "B"):
        record = matrix.records[district][model]
        assert _attempt(city, model, "read", record)
        assert _attempt(admin, model, "read", record)
        assert _attempt(admin, model, "write", record)


# ------------------------------------------------------------------ the bypasses, one by one
def _published_bulletin(matrix, district: str = "A") -> int:
    reviewer = matrix.client(f"mx_reviewer_{district}")
    bulletin = reviewer.execute_kw(
        "di.bulletin",
        "create",
        [{"period": "2024-01", "issuing_body": "矩阵", "unit_id": matrix.units[district]}],
        {},
    )
    reviewer.execute_kw("di.bulletin", "action_publish", [[bulletin]], {})
    return bulletin


@pytest.mark.parametrize(
    "values",
    [{"issuing_body": "伪造"}, {"problems": 777}, {"state": "draft"}],
    ids=["issuing_body", "a frozen figure", "state"],
)
@pytest.mark.parametrize("login", ["mx_reviewer_A", "mx_admin"])
def test_nobody_edits_a_published_bulletin(matrix, login, values):
    bulletin = _published_bulletin(matrix)
    import odoorpc

    with pytest.raises(odoorpc.error.RPCError):
        matrix.client(login).execute_kw("di.bulletin", "write", [[bulletin], values], {})


@pytest.mark.parametrize("login", ["mx_reviewer_A", "mx_admin"])
def test_there_is_no_way_back_to_draft(matrix, login):
    import odoorpc

    bulletin = _published_bulletin(matrix)
    with pytest.raises(odoorpc.error.RPCError):
        matrix.client(login).execute_kw("di.bulletin", "action_reset_draft", [[bulletin]], {})
    state = matrix.admin.execute_kw("di.bulletin", "read", [[bulletin], ["state"]], {})
    assert state[0]["state"] == "published"


def test_a_district_reviewer_cannot_publish_a_city_wide_bulletin(matrix):
    import odoorpc

    reviewer = matrix.client("mx_reviewer_A")
    for unit in (False, matrix.city, matrix.units["B"]):
        with pytest.raises(odoorpc.error.RPCError):
            reviewer.execute_kw(
                "di.bulletin",
                "create",
                [{"period": "2024-03", "issuing_body": "伪造", "unit_id": unit, "problems": 12345}],
                {},
            )
        with pytest.raises(odoorpc.error.RPCError):
            reviewer.execute_kw(
                "di.bulletin",
                "create",
                [{"period": "2024-03", "issuing_body": "伪造", "unit_id": unit}],
                {},
            )


@pytest.mark.parametrize("login", ["mx_reviewer_A", "mx_admin"])
def test_figures_cannot_be_typed_into_a_draft(matrix, login):
    import odoorpc

    draft = matrix.records["A"]["di.bulletin"]
    with pytest.raises(odoorpc.error.RPCError):
        matrix.client(login).execute_kw("di.bulletin", "write", [[draft], {"problems": 1}], {})


def test_an_inspector_cannot_close_a_rectification_by_write(matrix):
    import odoorpc

    inspector = matrix.client("mx_inspector_A")
    rectification = matrix.records["A"]["di.rectification"]
    with pytest.raises(odoorpc.error.RPCError):
        inspector.execute_kw(
            "di.rectification", "write", [[rectification], {"state": "closed"}], {}
        )


@pytest.mark.parametrize("login", ["mx_liaison_A", "mx_leader_A"])
def test_only_inspectors_import_registers(matrix, login):
    """A liaison may write measures in the form; a register would let them write the rest."""
    import odoorpc

    client = matrix.client(login)
    problem = matrix.records["A"]["di.problem"]
    ref = matrix._call("di.problem", "read", [problem], ["ref"])[0]["ref"]
    row = {"_row": 2, "problem_ref": ref, "deadline": "2030-01-01", "return_count": 0}
    refused = "Only inspectors import registers"
    with pytest.raises(odoorpc.error.RPCError, match=refused):
        client.execute_kw("di.import.service", "import_rows", ["rectifications", [row]], {})
    with pytest.raises(odoorpc.error.RPCError, match=refused):
        client.execute_kw("di.import.service", "start_log", [["register.xlsx"]], {})
    rectification = matrix.records["A"]["di.rectification"]
    (values,) = matrix._call("di.rectification", "read", [rectification], ["deadline"])
    assert values["deadline"] != "2030-01-01"


def test_a_district_cannot_inspect_another_on_its_own(matrix):
    import odoorpc

    for login in ("mx_inspector_A", "mx_reviewer_A"):
        with pytest.raises(odoorpc.error.RPCError):
            matrix.client(login).execute_kw(
                "di.inspection",
                "create",
                [{"date": "2024-03-02", "method": "open", "unit_ids": [matrix.units["B"]]}],
                {},
            )
