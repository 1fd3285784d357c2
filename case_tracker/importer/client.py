"""Sending a validated register to Odoo: batches in kind order, one server call each.

Each batch is one transaction on the server (all or nothing), and an upsert by
business key, so a run killed at any moment and started again ends in the same
state as a clean run, and two runs never duplicate a record.
"""

from __future__ import annotations

import contextvars
import queue
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from case_tracker.importer.reader import Table
from case_tracker.importer.register import ROW, Issue, Record, Register, build_kinds
from case_tracker.rpc import Connection
from case_tracker.schema import CREATED, ERROR, KINDS, KINDS_BY_KEY, UNCHANGED, UPDATED

SERVICE = "di.import.service"
DEFAULT_BATCH = 2000
#: Batches sent at a time: while the server stores one, the next is on its way. Two beat one
#: against a threaded Odoo too (ORM / importer 1.15-1.24 against 1.19-1.45 on 20,000
#: problems, 2026-12-02), and with two worker processes they fill a 2-core machine.
DEFAULT_JOBS = 2


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    seconds: float = 0.0
    #: Rows of sheets the reader could not read (a required column missing).
    unread_rows: int = 0

    @property
    def rejected(self) -> int:
        """Rows not imported: refused by the reader or the server (ignored columns are not)."""
        return len({(i.file, i.sheet, i.row) for i in self.issues if i.level == ROW}) + (
            self.unread_rows
        )

    def rate(self) -> float:
        done = sum(self.counts[k] for k in (CREATED, UPDATED, UNCHANGED))
        return done / self.seconds if self.seconds else 0.0


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def payload(record: Record, index: int) -> dict:
    row = {key: _jsonable(value) for key, value in record.values.items()}
    row["_row"] = index
    return row


def batches(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def send(
    connection: Connection | Sequence[Connection],
    register: Register,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[str, int], None] | None = None,
    ready: Callable[[str], None] | None = None,
    files: list[str] | None = None,
) -> Summary:
    """Upsert every valid record; server-side refusals become issues of their rows.

    Kinds go in order (units, inspections, problems, rectifications, persons).
    Given several connections (or one connection several times: its calls are requests
    of their own), the batches of one kind are sent in parallel, one per connection: a
    multi-worker Odoo then creates them on several cores.
    Batches of one kind never refer to each other (units excepted: a unit may
    name a parent in another batch, so units always go one batch at a time).
    ``ready(kind)`` returns once that kind of ``register`` is read and checked
    (:class:`ReadWhileSending`); without it, the register is whole already.
    ``files``: the file names the import log records (default: those of the records).
    """
    connections = [connection] if not isinstance(connection, Sequence) else list(connection)
    summary = Summary()
    started = time.perf_counter()
    idle: queue.Queue[Connection] = queue.Queue()
    for each in connections:
        idle.put(each)

    # The server keeps tracking off while it loads a register: one import log record per
    # run, and one summary message per batch on it (who, when, which file, counts).
    log_id = connections[0].call(
        SERVICE, "start_log", files if files is not None else source_files(register)
    )

    def call(kind: str, chunk: list[Record]) -> list[dict]:
        lent = idle.get()
        try:
            rows = [payload(record, index) for index, record in enumerate(chunk)]
            source = ", ".join(sorted({Path(r.location.file).name for r in chunk}))
            return lent.call(SERVICE, "import_rows", kind, rows, log_id=log_id, source=source)
        finally:
            idle.put(lent)

    pool = ThreadPoolExecutor(max_workers=len(connections), initializer=signals_to_main_thread)
    try:
        for kind in KINDS:
            if ready:
                ready(kind.key)
            chunks = list(batches(register.records[kind.key], batch_size))
            if kind.key == "units" or len(connections) == 1:
                done = ((chunk, call(kind.key, chunk)) for chunk in chunks)
            else:
                futures = {pool.submit(call, kind.key, chunk): chunk for chunk in chunks}
                done = ((futures[f], f.result()) for f in as_completed(futures))
            for chunk, results in done:
                _count(summary, chunk, results)
                if progress:
                    progress(kind.key, len(chunk))
    except BaseException:
        # Ctrl-C or a lost server: say so now, not once the batches in flight come back
        # (the server finishes or drops each; running the command again resumes either way).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    # Parallel batches finish in any order: the server's refusals in file order, after the reader's.
    refused = sorted(summary.issues, key=lambda i: (i.file, i.sheet, i.row or 0))
    summary.issues = [*register.issues, *refused]
    summary.unread_rows = register.unread_rows
    summary.seconds = time.perf_counter() - started
    summary.counts["rejected"] = summary.rejected
    return summary


def _count(summary: Summary, chunk: list[Record], results: list[dict]) -> None:
    for result in results:
        status = result["status"]
        summary.counts[status if status != ERROR else "rejected"] += 1
        if status == ERROR:
            loc = chunk[result["_row"]].location
            summary.issues.append(
                Issue(
                    loc.file,
                    loc.sheet,
                    loc.row,
                    "",
                    "",
                    f"服务器拒绝：{result['reason']}",
                    f"refused by the server: {result['reason']}",
                )
            )


def source_files(register: Register) -> list[str]:
    """The names of the files a register was read from (what the import log records)."""
    return sorted(
        {
            Path(record.location.file).name
            for kind in KINDS
            for record in register.records.get(kind.key, ())
        }
    )


class ReadWhileSending:
    """A register read and checked kind by kind on a thread, while the kinds before are sent.

    Reading and checking a large register takes seconds of the client's time; the server
    would wait for it before the first batch.  Each kind's checks need only the kinds
    before it, so units go to the server while inspections are read, and so on.
    ``register`` fills as the kinds come; :meth:`ready` waits for one.
    """

    def __init__(self, tables: Iterable[Table]) -> None:
        self.tables = list(tables)
        self.register = Register()
        self._built = {kind.key: threading.Event() for kind in KINDS}
        self._error: BaseException | None = None
        # The reader matches values with the domain in force here (the server's lists, set
        # by ``rpc.server_domain`` in this context): a new thread starts without it.
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._read, self.tables), daemon=True
        )
        self._thread.start()

    def _read(self, tables: list[Table]) -> None:
        signals_to_main_thread()
        try:
            for kind, _register in build_kinds(tables, register=self.register):
                self._built[kind].set()
        except BaseException as exc:  # handed to the sending thread, which raises it
            self._error = exc
        finally:
            for event in self._built.values():
                event.set()

    def ready(self, kind: str) -> None:
        self._built[kind].wait()
        if self._error is not None:
            raise self._error

    def whole(self) -> Register:
        """The register once every kind is read (what was read so far after an error)."""
        self._thread.join()
        return self.register


def signals_to_main_thread() -> None:
    """Run first in each of the client's threads: Ctrl-C (SIGINT) is left to the main thread.

    The kernel gives a signal sent to the process to any thread that does not block it, and
    Python runs its handler in the main thread only. A main thread waiting for a batch's
    result is woken by a signal given to it, not by one given to the thread that waits on the
    server: the command then waited for that batch before it could stop (seen once in CI,
    with the server held up on purpose by the Ctrl-C test).
    """
    if hasattr(signal, "pthread_sigmask"):  # (not on Windows, where signals reach the main thread)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def total_records(register: Register) -> int:
    return sum(len(register.records[k.key]) for k in KINDS if k.key in KINDS_BY_KEY)
