"""The command line's dispatch: every command listed; a named command imports its module alone."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from case_tracker.cli import COMMANDS, GC_THRESHOLD, build_parser, main, named_command

ROOT = Path(__file__).resolve().parents[1]


def test_the_full_parser_lists_every_command():
    help_text = build_parser().format_help()
    for name in COMMANDS:
        assert name in help_text


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["bulletin", "--sample", "--period", "2018-H1", "-o", "b.pdf"], "bulletin"),
        (["stats", "--unit", "bulletin", "--sample"], "stats"),  # an option's value is not it
        (["--version"], None),
        (["--help", "import"], "import"),
        (["nonsense", "stats"], None),  # argparse reports the unknown command, listing all
        ([], None),
    ],
)
def test_the_named_command(argv, expected):
    assert named_command(argv) == expected


def test_an_unknown_command_is_refused_with_the_list_of_commands(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["nonsense"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "nonsense" in err and all(name in err for name in COMMANDS)


def test_a_named_command_imports_neither_the_others_nor_the_rpc_client(tmp_path):
    script = (
        "import json, sys\n"
        "from case_tracker.cli import build_parser\n"
        "build_parser('bulletin').parse_args(['bulletin', '--sample', '--period', '2018-H1',"
        " '-o', 'b.pdf'])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    modules = set(json.loads(done.stdout))
    assert "case_tracker.commands.bulletin" in modules
    others = {module for name, module in COMMANDS.items() if name != "bulletin"}
    assert not others & modules
    assert not {"case_tracker.importer.client", "http.client", "odoorpc"} & modules


@pytest.mark.parametrize("outcome", [0, KeyboardInterrupt], ids=["returns", "interrupted"])
def test_a_command_runs_with_fewer_collections_and_leaves_the_collector_as_it_was(
    monkeypatch, outcome
):
    before = gc.get_threshold()
    seen = []

    def run(args):
        seen.append((*gc.get_threshold(), gc.get_freeze_count() > 0))
        if outcome is KeyboardInterrupt:
            raise KeyboardInterrupt
        return outcome

    monkeypatch.setattr("case_tracker.commands.domain.run", run)
    assert main(["domain"]) == (130 if outcome is KeyboardInterrupt else 0)
    assert seen == [(max(before[0], GC_THRESHOLD), *before[1:], True)]  # imports frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with pytest.raises(SystemExit):
        main(["domain", "--help"])  # argparse leaves through the block too
    assert gc.get_threshold() == before


def _program(*args: str, before: str = "") -> subprocess.CompletedProcess:
    """``case-tracker ARGS`` as the installed script runs it (``cli.entry``)."""
    script = f"import sys\n{before}\nsys.argv = ['case-tracker', *{list(args)!r}]\n"
    script += "from case_tracker.cli import entry\nentry()\n"
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_the_program_ends_with_the_exit_code_every_line_and_the_exit_handlers(tmp_path):
    done = _program(
        "stats", "--sample", "--period", "2018-H1", "--json",
        before="import atexit; atexit.register(lambda: print('exit handler ran'))",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed, _, tail = done.stdout.rpartition("}")
    assert json.loads(printed + "}")["period"]["label"] == "2018-H1"  # all of it, flushed
    assert tail.strip() == "exit handler ran"
    missing = tmp_path / "missing" / "b.pdf"
    refused = _program("bulletin", "--sample", "--period", "2018-H1", "-o", str(missing))
    assert refused.returncode == 2 and "does not exist" in refused.stderr
    usage = _program("bulletin", "--period", "2018-H1")
    assert usage.returncode == 2 and "--sample" in usage.stderr
    assert _program("--version").stdout.startswith("case-tracker ")
