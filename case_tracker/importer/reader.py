"""Reading register files: .xlsx (one sheet per kind) or .csv (one file per kind).

Finds the header row below title rows and merged group headings, maps Chinese
(or English) headers to the schema's columns, and yields the data rows with the
row numbers a person sees in Excel.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from case_tracker.domain.text import normalise_text
from case_tracker.schema import KINDS, Column, Kind

HEADER_SEARCH_ROWS = 12
ENCODINGS = ("utf-8-sig", "gb18030")
INSTRUCTIONS_SHEET = "填写说明"
#: Sheets never read as data: the import template's explanations (or a user's own notes).
NON_DATA_SHEETS = frozenset({INSTRUCTIONS_SHEET, "说明", "instructions"})


@dataclass
class Table:
    """One sheet or CSV file of one record kind, headers mapped."""

    file: str
    sheet: str
    kind: Kind
    header_row: int  # 1-based, as Excel numbers rows
    columns: dict[int, Column]  # cell index -> schema column
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)


class FileError(ValueError):
    """A file that cannot be read at all (format, encoding, no recognisable header)."""


def _header_names(column: Column) -> set[str]:
    names = {column.header, column.header_en, column.key, *column.aliases}
    return {normalise_text(n) for n in names if n}


_HEADERS = {kind.key: {c.key: _header_names(c) for c in kind.columns} for kind in KINDS}


def match_headers(kind: Kind, cells: list[object]) -> dict[int, Column]:
    """Cell index -> column, matching each column at most once (first exact header wins)."""
    found: dict[int, Column] = {}
    used: set[str] = set()
    names = _HEADERS[kind.key]
    normalised = [normalise_text(c) for c in cells]
    # Primary headers first, so an alias never steals another column's own header.
    for primary in (True, False):
        for index, text in enumerate(normalised):
            if not text or index in found:
                continue
            for column in kind.columns:
                if column.key in used:
                    continue
                own = {normalise_text(column.header), normalise_text(column.header_en)}
                if (text in own) if primary else (text in names[column.key]):
                    found[index] = column
                    used.add(column.key)
                    break
    return found


def _combine(upper: list[object], lower: list[object]) -> list[object]:
    """Two header rows of a merged heading: the lower cell, or the upper where it is blank."""
    width = max(len(upper), len(lower))
    upper = list(upper) + [None] * (width - len(upper))
    lower = list(lower) + [None] * (width - len(lower))
    return [lo if normalise_text(lo) else up for up, lo in zip(upper, lower, strict=True)]


def _kind_hint(name: str) -> Kind | None:
    text = normalise_text(name)
    for kind in KINDS:
        if text in {
            normalise_text(kind.key),
            normalise_text(kind.sheet),
            normalise_text(kind.sheet_en),
        }:
            return kind
    for kind in KINDS:
        if normalise_text(kind.sheet) in text or normalise_text(kind.key) in text:
            return kind
    return None


def find_header(rows: list[list[object]], hint: Kind | None) -> tuple[Kind, int, list[object]]:
    """The kind, header row index (0-based) and header cells that best match the schema."""
    best: tuple[float, Kind | None, int, list[object]] = (0, None, -1, [])
    kinds = [hint] if hint else list(KINDS)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidates = [row]
        if index > 0:
            candidates.append(_combine(rows[index - 1], row))
        for cells in candidates:
            for kind in kinds:
                matched = match_headers(kind, cells)
                required = sum(1 for c in matched.values() if c.required)
                score = len(matched) + 0.5 * required
                if score > best[0]:
                    best = (score, kind, index, cells)
    score, kind, index, cells = best
    if kind is None or score < 2:
        raise FileError("找不到表头行 / no header row matching the import template")
    return kind, index, cells


def _table(file: str, sheet: str, rows: list[list[object]], hint: Kind | None) -> Table:
    kind, index, cells = find_header(rows, hint)
    columns = match_headers(kind, cells)
    unknown = [str(c) for i, c in enumerate(cells) if normalise_text(c) and i not in columns]
    table = Table(file, sheet, kind, index + 1, columns, unknown_headers=unknown)
    for offset, row in enumerate(rows[index + 1 :], start=index + 2):
        if any(normalise_text(cell) for cell in row):
            table.rows.append((offset, list(row)))
    return table


def read_xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise FileError(f"无法打开Excel文件 / cannot open workbook: {exc}") from exc
    tables = []
    try:
        for sheet in workbook.worksheets:
            if normalise_text(sheet.title) in NON_DATA_SHEETS:
                continue
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            if not any(any(normalise_text(c) for c in row) for row in rows):
                continue
            try:
                tables.append(_table(path.name, sheet.title, rows, _kind_hint(sheet.title)))
            except FileError as exc:
                raise FileError(f"工作表 {sheet.title}：{exc}") from exc
    finally:
        workbook.close()
    return tables


def decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError("无法识别的文件编码（应为UTF-8或GBK）/ unknown encoding (use UTF-8 or GBK)")


def read_csv(path: Path) -> list[Table]:
    text = decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise FileError(f"CSV格式错误 / malformed CSV: {exc}") from exc
    return [_table(path.name, path.stem, rows, _kind_hint(path.stem))]


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    raise FileError(f"不支持的文件类型 {suffix} / unsupported file type (use .xlsx or .csv)")
