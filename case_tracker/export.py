"""Writing registers in the import template's format (.xlsx with one sheet per kind, or CSV).

The same writer makes the empty template, ``sample --export`` and any other
export, so a written file is always one the importer reads back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from case_tracker.domain import load
from case_tracker.schema import KINDS, Column, Kind

MULTI_SEPARATOR = "、"


def cell_text(column: Column, value: object) -> object:
    """A stored value as a person types it: Chinese names, 是/否, YYYY-MM-DD, 、-joined lists."""
    domain = load()
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ""
    kind = column.base_type
    if kind == "date":
        day = value.date() if isinstance(value, datetime) else value
        return day.isoformat() if isinstance(day, date) else str(day)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "code":
        return domain.get(column.target, value).name if value else ""
    if kind == "codes":
        return MULTI_SEPARATOR.join(domain.get(column.target, v).name for v in value)
    if kind == "refs":
        return MULTI_SEPARATOR.join(value)
    if kind == "money":
        return float(value)
    if kind == "int":
        return int(value)
    return str(value)


def rows_of(kind: Kind, records: Iterable[Mapping]) -> list[list[object]]:
    return [[cell_text(c, record.get(c.key)) for c in kind.columns] for record in records]


def write_register(
    records_by_kind: Mapping[str, Iterable[Mapping]], target: Path, fmt: str = "xlsx"
) -> list[Path]:
    """Write one workbook (``fmt='xlsx'``, ``target`` a file) or one CSV per kind (a folder)."""
    written = []
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        workbook = Workbook()
        workbook.remove(workbook.active)
        for kind in KINDS:
            sheet = workbook.create_sheet(kind.sheet)
            sheet.append([c.header for c in kind.columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="FDE9D9")
            for row in rows_of(kind, records_by_kind.get(kind.key, ())):
                sheet.append(row)
            for index, column in enumerate(kind.columns, start=1):
                width = 28 if column.base_type == "text" else max(10, 2 * len(column.header) + 2)
                sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
            sheet.freeze_panes = "A2"
        target.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(target)
        written.append(target)
    elif fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            path = target / f"{kind.key}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([c.header for c in kind.columns])
                writer.writerows(rows_of(kind, records_by_kind.get(kind.key, ())))
            written.append(path)
    else:
        raise ValueError(f"unknown format {fmt!r}: xlsx or csv")
    return written


def dataset_records(dataset) -> dict[str, list[dict]]:
    """A :class:`~case_tracker.stats.dataset.Dataset` as records keyed by schema columns."""
    records = {}
    for kind in KINDS:
        frame = dataset.frame(kind.key)[[c.key for c in kind.columns]]
        records[kind.key] = frame.to_dict("records")
    return records
