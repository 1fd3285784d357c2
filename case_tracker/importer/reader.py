"""Reading register files: .xlsx (one sheet per kind) or .csv (one file per kind).

Finds the header row below title rows and merged group headings, maps Chinese
(or English) headers to the schema's columns, and yields the data rows with the
row numbers a person sees in Excel.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from case_tracker.domain.text import normalise_text
from case_tracker.schema import DECORATIVE_HEADERS, KINDS, Column, Kind

HEADER_SEARCH_ROWS = 12
ENCODINGS = ("utf-8-sig", "gb18030")
INSTRUCTIONS_SHEET = "填写说明"
#: Sheets never read as data: the import template's explanations (or a user's own notes).
NON_DATA_SHEETS = frozenset({INSTRUCTIONS_SHEET, "说明", "instructions"})


@dataclass(frozen=True)
class IgnoredColumn:
    """A column of a sheet that is not read: its header is not one the importer knows."""

    index: int  # 0-based cell index
    header: str  # as written ("" when the column has values but no header)
    reason_zh: str
    reason_en: str

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class Table:
    """One sheet or CSV file of one record kind, headers mapped."""

    file: str
    sheet: str
    kind: Kind
    header_row: int  # 1-based, as Excel numbers rows
    columns: dict[int, Column]  # cell index -> schema column
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    ignored: list[IgnoredColumn] = field(default_factory=list)


class FileError(ValueError):
    """A file that cannot be read at all (missing, empty, damaged, no recognisable header)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def column_letter(index: int) -> str:
    """The column letter a spreadsheet shows for a 0-based cell index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
        raise FileError(
            "找不到与导入模板相符的表头行", "no header row matching the import template"
        )
    return kind, index, cells


_DECORATIVE = frozenset(normalise_text(h) for h in DECORATIVE_HEADERS)


def ignored_columns(
    kind: Kind, cells: list[object], columns: dict[int, Column], rows: list[list[object]]
) -> list[IgnoredColumn]:
    """Every column that holds something but is not read, and why.

    A header the importer does not know, a second column with a header already
    read, and values under no header at all are reported; blank columns (the
    trailing empty cells spreadsheets keep) and a running number (序号) are not.
    """
    ignored = []
    read_at = {c.key: i for i, c in columns.items()}
    owner = {n: c for c in kind.columns for n in _HEADERS[kind.key][c.key]}
    spellings = {h: c for c in kind.columns for h in (c.header, *c.aliases)}
    width = max([len(cells), *(len(row) for row in rows)], default=0)
    for index in range(width):
        if index in columns:
            continue
        header = cells[index] if index < len(cells) else None
        text = normalise_text(header)
        letter = column_letter(index)
        if text in _DECORATIVE:
            continue
        if not text:
            if any(index < len(row) and normalise_text(row[index]) for row in rows):
                zh = f"第{letter}列有数据但没有表头，未导入"
                en = f"column {letter} has values but no header; not imported"
                ignored.append(IgnoredColumn(index, "", zh, en))
            continue
        column = owner.get(text)
        if column is not None and column.key in read_at:
            first = column_letter(read_at[column.key])
            zh = f"第{letter}列与第{first}列都是“{column.header}”，只导入第{first}列"
            en = (
                f"column {letter} repeats {column.header_en} (column {first}); "
                f"only column {first} is imported"
            )
            ignored.append(IgnoredColumn(index, str(header), zh, en))
            continue
        close = difflib.get_close_matches(str(header).strip(), spellings, n=1, cutoff=0.6)
        guess = spellings[close[0]] if close else None
        zh = f"第{letter}列的表头无法识别，该列未导入"
        en = f"column {letter}: unrecognised header; the column is not imported"
        if guess is not None:
            zh += f"（是否应为“{guess.header}”？）"
            en += f" (did you mean {guess.header} / {guess.header_en}?)"
        ignored.append(IgnoredColumn(index, str(header), zh, en))
    return ignored


def _table(file: str, sheet: str, rows: list[list[object]], hint: Kind | None) -> Table:
    kind, index, cells = find_header(rows, hint)
    columns = match_headers(kind, cells)
    table = Table(file, sheet, kind, index + 1, columns)
    for offset, row in enumerate(rows[index + 1 :], start=index + 2):
        if any(normalise_text(cell) for cell in row):
            table.rows.append((offset, list(row)))
    table.ignored = ignored_columns(kind, list(cells), columns, [r for _n, r in table.rows])
    return table


def read_xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(path):
        raise FileError(
            "文件已损坏或不是Excel（.xlsx）文件", "damaged, or not an Excel (.xlsx) workbook"
        )
    tables = []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise FileError(f"无法打开Excel文件：{exc}", f"cannot open the workbook: {exc}") from exc
    try:
        for sheet in workbook.worksheets:
            if normalise_text(sheet.title) in NON_DATA_SHEETS:
                continue
            try:
                rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            except Exception as exc:  # a damaged sheet inside a readable archive
                raise FileError(
                    f"工作表 {sheet.title} 已损坏：{exc}", f"sheet {sheet.title} is damaged: {exc}"
                ) from exc
            if not any(any(normalise_text(c) for c in row) for row in rows):
                continue
            try:
                tables.append(_table(path.name, sheet.title, rows, _kind_hint(sheet.title)))
            except FileError as exc:
                raise FileError(
                    f"工作表 {sheet.title}：{exc.zh}", f"sheet {sheet.title}: {exc.en}"
                ) from exc
    finally:
        workbook.close()
    if not tables:
        raise FileError(
            "工作簿中没有可导入的工作表（表头与导入模板不符或全部为空）",
            "no sheet with a register header (all empty or not in the template's format)",
        )
    return tables


def decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:  # no text encoding a register is typed in has NUL bytes
        raise FileError("不是文本文件（CSV）", "not a text (CSV) file")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError("无法识别的文件编码（应为UTF-8或GBK）", "unknown encoding (use UTF-8 or GBK)")


def read_csv(path: Path) -> list[Table]:
    text = decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise FileError(f"CSV格式错误：{exc}", f"malformed CSV: {exc}") from exc
    return [_table(path.name, path.stem, rows, _kind_hint(path.stem))]


def read_tables(path: Path) -> list[Table]:
    """Every data sheet of one file; FileError when the file cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise FileError(
            f"不支持的文件类型“{suffix}”（应为 .xlsx 或 .csv）",
            f"unsupported file type {suffix!r} (use .xlsx or .csv)",
        )
    try:
        if not path.stat().st_size:
            raise FileError("文件为空", "the file is empty")
        if suffix in (".xlsx", ".xlsm"):
            return read_xlsx(path)
        return read_csv(path)
    except FileNotFoundError:
        raise FileError("文件不存在", "no such file") from None
    except IsADirectoryError:
        raise FileError("是文件夹而不是文件", "a folder, not a file") from None
    except PermissionError:
        raise FileError("没有读取权限", "permission denied") from None
    except OSError as exc:
        raise FileError(f"无法读取：{exc.strerror}", f"cannot read: {exc.strerror}") from exc
