"""A register read from files: typed rows per kind, and every reason a row was rejected.

Validation happens here, before anything is written: a bad row is reported
(file, sheet, row, column, value, reason in Chinese and English) and left out;
the good rows go on.  The add-on's constraints remain the final gate.

Nothing is dropped without a word.  Each :class:`Issue` says what it stops:

* ``FILE``: the file cannot be read at all (missing, empty, damaged, no header);
* ``SHEET``: a sheet lacks a required column, so none of its rows is read;
* ``ROW``: one row is rejected;
* ``COLUMN``: a column is not read (a header the importer does not know, a
  repeated header, values under no header).  The rows still go in without it:
  a warning, which ``import --strict`` turns into a refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from case_tracker.domain import load, rules
from case_tracker.importer.reader import FileError, Table, column_letter, read_tables
from case_tracker.importer.values import CellError, convert, is_blank
from case_tracker.schema import KINDS, KINDS_BY_KEY, Column, person_identity


@dataclass(frozen=True)
class Location:
    file: str
    sheet: str
    row: int


FILE, SHEET, ROW, COLUMN = "file", "sheet", "row", "column"
#: How each level is named in the error report and on the terminal.
LEVELS = {
    FILE: "文件错误 file error",
    SHEET: "工作表错误 sheet error",
    ROW: "错误 error",
    COLUMN: "警告 warning",
}


@dataclass(frozen=True)
class Issue:
    """One reason a row was rejected, or a file, sheet or column was not read (see ``level``)."""

    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    reason_zh: str
    reason_en: str
    level: str = ROW

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row:
            where += f" 第{self.row}行"
        column = f" {self.column}" if self.column else ""
        value = f"“{self.value}”" if self.value else ""
        return f"{where}{column}{value}：{self.reason_zh} / {self.reason_en}"


@dataclass
class Record:
    kind: str
    values: dict
    location: Location

    def key(self) -> str:
        return self.values[KINDS_BY_KEY[self.kind].business_key]


@dataclass
class Register:
    records: dict[str, list[Record]] = field(default_factory=lambda: {k.key: [] for k in KINDS})
    issues: list[Issue] = field(default_factory=list)
    #: Data rows of sheets that could not be read (a required column is missing).
    unread_rows: int = 0

    @property
    def rows(self) -> dict[str, list[dict]]:
        """Typed rows per kind (the offline statistics load them)."""
        return {kind: [r.values for r in records] for kind, records in self.records.items()}

    @property
    def rejected_rows(self) -> set[tuple[str, str, int]]:
        return {(i.file, i.sheet, i.row) for i in self.issues if i.level == ROW and i.row}

    @property
    def rejected(self) -> int:
        """Data rows not taken: rejected one by one, or in a sheet that could not be read."""
        return len(self.rejected_rows) + self.unread_rows

    @property
    def file_errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == FILE]

    @property
    def ignored_columns(self) -> list[Issue]:
        return [i for i in self.issues if i.level == COLUMN]

    @property
    def errors(self) -> list[Issue]:
        """Every issue that keeps data out, i.e. all but the ignored-column warnings."""
        return [i for i in self.issues if i.level != COLUMN]

    def count(self) -> int:
        return sum(len(v) for v in self.records.values())


def _issue(loc: Location, column: Column | None, value: object, zh: str, en: str) -> Issue:
    return Issue(
        loc.file,
        loc.sheet,
        loc.row,
        column.header if column else "",
        "" if value is None else str(value),
        zh,
        en,
    )


def _date_column(kind_key: str) -> str | None:
    """The date that picks the category list valid for a row."""
    return {"problems": "discovery_date"}.get(kind_key)


def _row_plan(table: Table) -> tuple[list[tuple[int, Column]], str]:
    """A sheet's columns in reading order (dates first: the category list depends on the
    row's discovery date) and the key of that date: the same for every row of the sheet.
    """
    by_key = {column.key: (index, column) for index, column in table.columns.items()}
    order = sorted(by_key.values(), key=lambda ic: ic[1].base_type != "date")
    return order, _date_column(table.kind.key) or ""


def _read_row(
    table: Table, number: int, cells: list[object], plan: tuple | None = None
) -> tuple[dict, list[Issue]]:
    loc = Location(table.file, table.sheet, number)
    values: dict = {}
    issues: list[Issue] = []
    order, date_key = plan or _row_plan(table)
    for index, column in order:
        raw = cells[index] if index < len(cells) else None
        if is_blank(raw):
            continue
        on = values.get(date_key)
        try:
            values[column.key] = convert(column, raw, on=on if isinstance(on, date) else None)
        except CellError as exc:
            issues.append(_issue(loc, column, raw, exc.zh, exc.en))
    for column in table.kind.columns:
        if (
            column.required
            and column.key not in values
            and not any(i.column == column.header for i in issues)
        ):
            issues.append(
                _issue(
                    loc,
                    column,
                    None,
                    f"必填项“{column.header}”为空",
                    f"{column.header_en} is required",
                )
            )
    return values, issues


def read_files(paths: Iterable[Path | str]) -> tuple[list[Table], list[Issue]]:
    """The sheets of every file, headers mapped (no value read yet), and the unreadable files.

    Needs no domain definition: ``import`` reads the files before it logs in, so a
    missing or damaged file is refused before anything else happens.
    """
    tables: list[Table] = []
    errors: list[Issue] = []
    for path in map(Path, paths):
        try:
            tables += read_tables(path)
        except FileError as exc:
            errors.append(Issue(str(path), "", None, "", "", exc.zh, exc.en, FILE))
    return tables, errors


def _read_table(register: Register, table: Table, issues: list[Issue]) -> None:
    """One mapped sheet's rows into ``register``; its column, sheet and row issues to ``issues``."""
    for ignored in table.ignored:
        issues.append(
            Issue(
                table.file,
                table.sheet,
                table.header_row,
                ignored.header or f"（第{column_letter(ignored.index)}列 column）",
                "",
                ignored.reason_zh,
                ignored.reason_en,
                COLUMN,
            )
        )
    missing = [c for c in table.kind.columns if c.required and c not in table.columns.values()]
    for column in missing:
        issues.append(
            Issue(
                table.file,
                table.sheet,
                table.header_row,
                column.header,
                "",
                f"缺少必需的列“{column.header}”，本表{len(table.rows)}行均未导入",
                f"missing required column {column.header_en}; "
                f"none of the sheet's {len(table.rows)} rows is imported",
                SHEET,
            )
        )
    if missing:
        register.unread_rows += len(table.rows)
        return
    plan = _row_plan(table)
    for number, cells in table.rows:
        values, row_issues = _read_row(table, number, cells, plan)
        issues.extend(row_issues)
        if not row_issues:
            record = Record(table.kind.key, values, Location(table.file, table.sheet, number))
            register.records[table.kind.key].append(record)


def build_kinds(
    tables: Iterable[Table], file_errors: Iterable[Issue] = (), register: Register | None = None
) -> Iterator[tuple[str, Register]]:
    """The register kind by kind (units, inspections, problems...): each kind is yielded
    once its rows are read and checked, so that it can be sent while the next is read (the
    checks of a kind need only the kinds before it).

    The issues come in the order of a reading at once: the files' errors, each sheet's
    issues in the order the files were given, then the cross-row checks kind by kind.
    ``register``: an empty one to fill (read on another thread), else a new one.
    """
    tables = list(tables)
    file_errors = list(file_errors)
    register = register if register is not None else Register()
    register.issues = list(file_errors)
    sheet_issues: list[list[Issue]] = [[] for _table in tables]
    checked: list[Issue] = []
    earlier: dict[str, dict[str, dict]] = {}
    for kind in KINDS:
        for table, issues in zip(tables, sheet_issues, strict=True):
            if table.kind.key == kind.key:
                _read_table(register, table, issues)
        checked += _validate_kind(register, kind.key, earlier)
        register.issues = [*file_errors, *chain.from_iterable(sheet_issues), *checked]
        yield kind.key, register


def build_register(tables: Iterable[Table], file_errors: Iterable[Issue] = ()) -> Register:
    """Typed, validated records from mapped sheets (values matched with the domain in force)."""
    register = Register()
    for _kind_read in build_kinds(tables, file_errors, register):
        pass
    return register


def read_register(paths: Iterable[Path | str]) -> Register:
    """Read and validate register files; never raises for bad content, reports it instead."""
    return build_register(*read_files(paths))


def validate(register: Register) -> None:
    """Cross-row and cross-field checks (docs/domain.md §5); failing records are moved to issues."""
    earlier: dict[str, dict[str, dict]] = {}
    for kind in KINDS:
        register.issues += _validate_kind(register, kind.key, earlier)


def _validate_kind(
    register: Register, kind_key: str, earlier: dict[str, dict[str, dict]]
) -> list[Issue]:
    """The checks of one kind's records; failing records are taken out, their issues returned.

    ``earlier``: every record's values of the kinds already checked, by business key, the
    rejected ones included (a rectification is checked against its problem's row as read);
    this kind's are added to it.
    """
    domain = load()
    items = register.records[kind_key]
    kind = KINDS_BY_KEY[kind_key]
    bad: dict[int, list[tuple[str, str, str, object]]] = {}

    def reject(record: Record, column: str, value: object, zh: str, en: str) -> None:
        bad.setdefault(id(record), []).append((column, zh, en, value))

    # Duplicate business keys within the files.
    seen: dict[str, Record] = {}
    header = kind.column(kind.business_key).header
    for record in items:
        key = record.key()
        if key in seen:
            first = seen[key].location
            reject(
                record,
                header,
                key,
                f"编号重复（已见于{first.file}第{first.row}行）",
                f"duplicate key (first at {first.file} row {first.row})",
            )
        else:
            seen[key] = record
    earlier[kind_key] = {r.values[kind.business_key]: r.values for r in items}
    problems = earlier.get("problems", {})
    inspections = earlier.get("inspections", {})

    def apply_rules(record: Record, values: dict) -> None:
        for violation in rules.check(kind_key, values, domain):
            header = kind.column(violation.column).header
            reject(record, header, violation.value, violation.zh, violation.en)

    if kind_key == "problems":
        for record in items:
            v = record.values
            inspection = inspections.get(v.get("inspection_ref") or "")
            facts = {"inspection_date": inspection["date"] if inspection else None}
            apply_rules(record, {**v, **facts})
    elif kind_key == "rectifications":
        for record in items:
            v = record.values
            problem = problems.get(v["problem_ref"])
            facts = {"discovery_date": problem["discovery_date"] if problem else None}
            apply_rules(record, {**v, **facts})
    elif kind_key == "persons":
        handled: dict[tuple[str, str], Location] = {}
        for record in items:
            v = record.values
            refs = v.get("problem_refs", ())
            found = tuple((ref, (problems.get(ref) or {}).get("discovery_date")) for ref in refs)
            apply_rules(record, {**v, "problems": found})
            identity = person_identity(v.get("identity"), v["name"], v["unit_code"])
            for ref in refs:
                key = (identity, ref)
                if key in handled:
                    twice = rules.handled_twice(ref)
                    first = handled[key]
                    reject(
                        record,
                        kind.column(twice.column).header,
                        ref,
                        f"{twice.zh}（见第{first.row}行）",
                        f"{twice.en} (see row {first.row})",
                    )
                else:
                    handled[key] = record.location
    issues = []
    kept = []
    for record in items:
        for column, zh, en, value in bad.get(id(record), ()):
            loc = record.location
            issues.append(
                Issue(
                    loc.file,
                    loc.sheet,
                    loc.row,
                    column,
                    "" if value is None else str(value),
                    zh,
                    en,
                )
            )
        if id(record) not in bad:
            kept.append(record)
    register.records[kind_key] = kept
    return issues
