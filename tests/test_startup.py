"""What keeps start-up cheap in cli.py does not change what the user sees."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from tests.conftest import run_full

from cgtpaths import cli

# runs that click answers without running a command: cli._app_for gives them the command listing only
LISTING_ONLY = [
    [],
    ["--help"],
    ["-h"],
    ["--debug", "--help"],
    ["--data-dir", "data", "-h"],
    ["--overlay=x", "--help"],
    ["--help", "match"],
    ["--help", "--bogus"],
    ["--version"],
    ["--version", "match", "--json"],
    ["--help", "--version"],
    ["bogus"],
    ["mtach", "--from", "x"],
    [""],
    ["--debug"],  # no command: "Missing command."
    ["--overlay", "--help"],  # --help is the folder's name here
]


@pytest.mark.parametrize("args", LISTING_ONLY)
def test_the_listing_answers_exactly_as_the_whole_app(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    listed = cli._app_for(args)
    assert listed is not cli.app and {c.callback.__name__ for c in listed.registered_commands if c.callback} == {
        "never_run"
    }
    fast = run_full(*args)  # typer itself (launch.py could answer help from what it kept)
    monkeypatch.setattr(cli, "_app_for", lambda _args: cli.app)
    assert run_full(*args) == fast


@pytest.mark.parametrize("args", [["--", "match"], ["--show-completion", "bash"], ["--bogus", "match"]])
def test_anything_else_gets_the_whole_app(args: list[str]) -> None:
    assert cli._app_for(args) is cli.app


def test_a_command_gets_only_itself() -> None:
    trimmed = cli._app_for(["--debug", "match", "--help"])
    assert [cli._command_name(c) for c in trimmed.registered_commands] == ["match"]
    assert not trimmed.registered_groups


def test_typer_reads_real_annotations_not_strings() -> None:
    """String annotations (`from __future__ import annotations`) cost typer two evaluations each per run."""
    callbacks = [c.callback for c in [*cli.app.registered_commands, *cli.data_app.registered_commands]]
    assert cli.app.registered_callback is not None
    for callback in [*callbacks, cli.app.registered_callback.callback]:
        assert callback is not None
        for param in inspect.signature(callback).parameters.values():
            assert not isinstance(param.annotation, str), f"{callback.__name__}({param.name})"


def test_writing_json_never_imports_the_json_package() -> None:
    code = (
        "import sys\n"
        "from cgtpaths.render.jsonout import envelope\n"
        "assert envelope({'source': 'x'}, n=[1.5, None]).startswith('{')\n"
        "assert 'json' not in sys.modules, 'json imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
