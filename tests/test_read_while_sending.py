"""Reading a register kind by kind while the kinds before it are sent: the same register."""

from __future__ import annotations

import signal
import threading

import pytest

from case_tracker.domain import parse, source_text, use
from case_tracker.export import dataset_records, write_register
from case_tracker.importer import client
from case_tracker.importer.client import ReadWhileSending, send
from case_tracker.importer.register import build_kinds, read_files, read_register
from case_tracker.sample.generator import sample_dataset
from case_tracker.schema import CREATED, KINDS


@pytest.fixture(scope="module")
def register_files(tmp_path_factory):
    """The sample register with bad rows of several kinds, files in no particular order."""
    rows = dataset_records(sample_dataset())
    problems = rows["problems"]
    problems.append(dict(problems[0]))  # a duplicate key: rejected
    rows["rectifications"][1] = {**rows["rectifications"][1], "finish_date": "1999-01-01"}
    paths = write_register(rows, tmp_path_factory.mktemp("register"), "csv")
    paths = list(reversed(paths))  # persons first: reading order is by kind, not by file
    return paths, read_register(paths)


def test_kind_by_kind_is_the_whole_register(register_files):
    register_files, whole = register_files
    assert whole.issues and whole.rejected >= 2  # the bad rows are there
    tables, errors = read_files(register_files)
    seen = []
    for kind, register in build_kinds(tables, errors):
        seen.append(kind)
        # a kind yielded is final: what is sent is what the whole register holds
        assert register.records[kind] == whole.records[kind]
    assert seen == [kind.key for kind in KINDS]
    assert register.issues == whole.issues
    assert register.records == whole.records


def test_read_while_sending_gives_each_kind_when_ready(register_files):
    register_files, whole = register_files
    tables, _errors = read_files(register_files)
    reading = ReadWhileSending(tables)
    for kind in KINDS:
        reading.ready(kind.key)
        assert reading.register.records[kind.key] == whole.records[kind.key]
    register = reading.whole()
    assert register.issues == whole.issues
    assert register.unread_rows == whole.unread_rows


def test_a_reader_failure_reaches_the_sender(register_files, monkeypatch):
    def broken(*args, **kwargs):
        yield "units", None
        raise RuntimeError("disk gone")

    monkeypatch.setattr(client, "build_kinds", broken)
    tables, _errors = read_files(register_files[0])
    reading = ReadWhileSending(tables)
    with pytest.raises(RuntimeError, match="disk gone"):
        reading.ready("inspections")


def test_the_reader_thread_uses_the_domain_in_force(tmp_path):
    """The server's lists (made active here by ``server_domain``) reach the reading thread:
    a spelling only the server's domain file knows is read, not refused."""
    from tests.test_domain_file_live import NEW_CATEGORY

    header = ["问题编号", "责任单位编码", "问题类别", "问题描述", "发现日期"]
    path = tmp_path / "problems.csv"
    path.write_text(",".join(header) + "\nD1,A,占用公房,x,2018-04-02\n", encoding="utf-8-sig")
    tables, _errors = read_files([path])
    assert ReadWhileSending(tables).whole().issues  # the bundled lists do not know it
    with use(parse(source_text() + NEW_CATEGORY)):
        reading = ReadWhileSending(tables)
        reading.ready("problems")
        (record,) = reading.register.records["problems"]
    assert record.values["category"] == "loc_dormitory"
    assert reading.whole().issues == []


def _sigint_blocked() -> bool:
    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


class BlockingRecorder:
    """Takes every batch as created, noting in which thread, with SIGINT blocked or not."""

    def __init__(self) -> None:
        self.seen: list[tuple[bool, bool]] = []  # (main thread?, SIGINT blocked?)

    def call(self, model, method, *args, **kwargs):
        if method != "import_rows":
            return 1  # the import log's id
        main = threading.current_thread() is threading.main_thread()
        self.seen.append((main, _sigint_blocked()))
        return [{"status": CREATED} for _row in args[1]]


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_the_clients_threads_leave_ctrl_c_to_the_main_thread(register_files, monkeypatch):
    """The kernel gives Ctrl-C to any thread of the process that does not block it, and
    Python handles it in the main thread only: the threads that send batches and the one
    that reads the register block SIGINT, so it always wakes the main thread waiting for
    them (and the main thread keeps it)."""
    _paths, whole = register_files
    connection = BlockingRecorder()
    send([connection, connection], whole, batch_size=3)
    in_threads = [blocked for main, blocked in connection.seen if not main]
    assert in_threads and all(in_threads)  # the parallel batches
    assert not any(blocked for main, blocked in connection.seen if main)  # units, one by one
    assert not _sigint_blocked()

    reader_masks = []
    build_kinds_of = client.build_kinds

    def noting(*args, **kwargs):
        reader_masks.append(_sigint_blocked())
        yield from build_kinds_of(*args, **kwargs)

    monkeypatch.setattr(client, "build_kinds", noting)
    tables, _errors = read_files(register_files[0])
    ReadWhileSending(tables).whole()
    assert reader_masks == [True]
