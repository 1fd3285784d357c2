"""The sample register as shipped with the package: the generator's output, stored once.

Generating the sample city takes about a second of pure Python; reading it back from
``sample_city.json.gz`` takes a few hundredths, so ``stats --sample`` and
``bulletin --sample`` start at once.  The file holds, for each kind of the register, one
list per schema column (dates as ISO strings, multi-valued columns as lists), gzip'd
without a timestamp so that the same rows always give the same bytes.

The file must equal what :func:`case_tracker.sample.generator.generate_rows` produces
(``tests/test_sample_data.py`` checks it).  After changing the generator, regenerate it:

    python3 -m case_tracker.sample
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from case_tracker.schema import KINDS
from case_tracker.stats.dataset import Dataset, derive

DATA_FILE = Path(__file__).with_name("sample_city.json.gz")
#: Bump when the layout below changes; a file of another version is refused.
FORMAT = 1
REGENERATE = "python3 -m case_tracker.sample"


def _encode_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return list(value)
    return value


def payload(rows: dict[str, list[dict]]) -> dict:
    """The JSON document for ``rows``: for each kind, one list per schema column, in order."""
    kinds = {}
    for kind in KINDS:
        records = rows.get(kind.key, [])
        kinds[kind.key] = {
            column.key: [_encode_value(record.get(column.key)) for record in records]
            for column in kind.columns
        }
    return {"format": FORMAT, "kinds": kinds}


def encode(rows: dict[str, list[dict]]) -> bytes:
    """The file's bytes for ``rows`` (deterministic: no timestamp in the gzip header)."""
    text = json.dumps(payload(rows), ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def read_payload(path: Path = DATA_FILE) -> dict:
    document = json.loads(gzip.decompress(path.read_bytes()))
    if document.get("format") != FORMAT:
        raise ValueError(
            f"{path}: sample data format {document.get('format')!r}, expected {FORMAT}; "
            f"regenerate it with `{REGENERATE}`"
        )
    return document


def load_dataset(path: Path = DATA_FILE) -> Dataset:
    """The shipped register as a :class:`Dataset`, equal to ``Dataset.from_rows`` of the
    generator's rows (tested), built column by column: half the time of going through rows."""
    kinds = read_payload(path)["kinds"]
    frames = {}
    for kind in KINDS:
        columns = kinds.get(kind.key, {})
        missing = [column.key for column in kind.columns if column.key not in columns]
        if missing:
            raise ValueError(
                f"{path}: {kind.key} lacks the columns {', '.join(missing)}; "
                f"regenerate it with `{REGENERATE}`"
            )
        data = {}
        for column in kind.columns:
            values = columns[column.key]
            if column.base_type == "date":
                # The types Dataset.from_rows gives datetime.date values: datetime64[s], NaT.
                # numpy parses ISO dates (None: NaT) in C, ten times faster than to_datetime.
                values = np.array(values, dtype="datetime64[s]")
            elif column.base_type == "bool":
                values = pd.Series(values, dtype=object).fillna(False).astype(bool)
            elif column.base_type == "int":
                values = pd.to_numeric(pd.Series(values, dtype=object)).fillna(0).astype(int)
            elif column.is_multi:
                values = [tuple(value or ()) for value in values]
            data[column.key] = values
        frames[kind.key] = pd.DataFrame(data, columns=[column.key for column in kind.columns])
    return derive(Dataset(**frames))


@cache
def _cached() -> Dataset:
    return load_dataset()


def sample_dataset() -> Dataset:
    """The sample register, read from the shipped data (a fresh copy: callers may add columns).

    It equals ``Dataset.from_rows(generate_rows())`` (tested) and loads in a fraction of the
    time generating takes.  It lives here, not in the generator, so that reading the sample
    does not import (nor, without bytecode, compile) the generator."""
    data = _cached()
    return Dataset(
        **{
            k: getattr(data, k).copy()
            for k in ("units", "inspections", "problems", "rectifications", "persons")
        }
    )


def write(path: Path = DATA_FILE) -> Path:
    """Generate the sample anew and store it (the regeneration command)."""
    from case_tracker.sample.generator import generate_rows

    path.write_bytes(encode(generate_rows()))
    return path
