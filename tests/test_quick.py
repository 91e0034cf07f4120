"""The quick path (quick.py) answers `match` exactly as the full command line does, or leaves it to it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import DATA, MINI, Result, invoke, run, run_full

from cgtpaths import quick

BG = "oil-and-gas-process-operator"


def both(args: list[str]) -> tuple[Result, Result]:
    """(the real entry point, the full command line alone) on the same arguments."""
    return run(*args), run_full(*args)


def taken(args: list[str]) -> bool:
    return quick.read(args, os.environ) is not None


# ---- what the quick path takes, and what it leaves ----------------------------------------------

TAKEN = [
    ["match", "--from", BG, "--json"],
    ["match", "--from", BG],
    ["match", f"--from={BG}", "--top=3", "--json"],
    ["match", "--json", "--skill", "gmp=3", "--skill", "aseptic-technique", "--level", "3", "--top", "10"],
    ["--data-dir", str(DATA), "match", "--from", BG, "--region", "north-east", "--age", "17", "--json"],
    [f"--data-dir={MINI}", "match", "--from", "operator", "--json", "--json"],
    ["--overlay", str(MINI), "--overlay", str(MINI), "match", "--from", BG, "--family", "quality-control"],
    ["match", "--from", BG, "--with", "cgt-catapult-aseptic-course", "--level", "08", "--top", "0003"],
    ["match", "--from", "no-such-background", "--json"],  # read as typer reads it; the error comes later
    ["match", "--from", "", "--json"],
]

LEFT = [
    [],
    ["match"],  # no --from or --skill: the full command line's usage message
    ["match", "--json"],
    ["--help"],
    ["match", "--help"],
    ["match", "-h", "--from", BG],
    ["--version", "match", "--from", BG],
    ["--debug", "match", "--from", BG],
    ["match", "--from", BG, "--explain"],
    ["match", "--from", BG, "--format", "json"],
    ["match", "--from", BG, "-o", "x.json"],
    ["match", "--from", BG, "--text", "cv.txt"],
    ["match", "--from", BG, "--profile", "me.yaml"],
    ["match", "--from", BG, "--json=1"],
    ["match", "--from", BG, "--top", "0"],
    ["match", "--from", BG, "--top", "-1"],
    ["match", "--from", BG, "--top", "+3"],
    ["match", "--from", BG, "--top", " 3"],
    ["match", "--from", BG, "--top", "1_0"],
    ["match", "--from", BG, "--top", "٣"],  # an Arabic-Indic digit: int() reads it, so must typer's message
    ["match", "--from", BG, "--level", "9"],
    ["match", "--from", BG, "--age", "-4"],
    ["match", "--from", "--json"],  # typer reads "--json" as the background's id
    ["match", "--from=-x"],
    ["match", "--from", BG, "--region", "a", "--region", "b"],
    ["match", "--from", BG, "--top"],
    ["match", "--from", BG, "--", "--json"],
    ["match", "--from", BG, "extra"],
    ["match", "--from", BG, "--bogus"],
    ["--data-dir", str(DATA), "--data-dir", str(DATA), "match", "--from", BG],
    ["--data-dir", str(DATA / "roles.yaml"), "match", "--from", BG],  # typer: "Directory ... is a file."
    ["--bogus", "match", "--from", BG],
    ["roles", "--json"],
    ["mtach", "--from", BG],
]


@pytest.mark.parametrize("args", TAKEN)
def test_the_quick_path_takes_plain_match_command_lines(args: list[str]) -> None:
    assert taken(args)


@pytest.mark.parametrize("args", LEFT)
def test_the_quick_path_leaves_everything_else_to_the_full_command_line(args: list[str]) -> None:
    assert not taken(args)


@pytest.mark.parametrize("args", TAKEN + LEFT)
def test_both_paths_print_the_same(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # `-o x.json` writes there, never in the checkout
    fast, full = both(args)
    assert fast == full


def test_shell_completion_is_always_typer_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CGTPATHS_COMPLETE", "complete_bash")
    assert not taken(["match", "--from", BG])


def test_the_data_folder_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    args = ["match", "--from", "operator", "--json"]
    monkeypatch.setenv("CGTPATHS_DATA_DIR", str(MINI))
    request = quick.read(args, os.environ)
    assert request is not None and request.data_dir == MINI
    fast, full = both(args)
    assert fast == full and fast.code == 0
    monkeypatch.setenv("CGTPATHS_DATA_DIR", "")  # typer reads an empty variable as unset
    request = quick.read(["match", "--from", BG], os.environ)
    assert request is not None and request.data_dir is None
    monkeypatch.setenv("CGTPATHS_DATA_DIR", str(DATA / "roles.yaml"))  # a file: typer's message
    assert not taken(args)
    assert both(args)[0] == both(args)[1]
    monkeypatch.setenv("CGTPATHS_DATA_DIR", str(tmp_path / "missing"))  # the loader's message, on both
    fast, full = both(args)
    assert fast == full and fast.code != 0 and "missing" in fast.err


def test_an_error_is_reported_once_in_the_full_command_line_s_words(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in MINI.iterdir():
        (broken / path.name).write_text(path.read_text())
    (broken / "roles.yaml").write_text("roles: [\n")
    for args in (
        ["--data-dir", str(broken), "match", "--from", "operator", "--json"],
        ["match", "--from", "no-such-background", "--json"],
        ["match", "--skill", "gmp=7", "--json"],
        ["match", "--from", BG, "--family", "astronauts"],
        ["match", "--from", BG, "--with", "no-such-programme"],
        ["match", "--from", BG, "--region", "atlantis", "--json"],
    ):
        assert taken(args)
        fast, full = both(args)
        assert fast == full
        assert fast.code != 0 and fast.out == "" and fast.err.count("cgtpaths: error:") == 1, fast.err


# ---- generated command lines ---------------------------------------------------------------------

VALUES = {
    "--from": [BG, "chemical-process-operator", "nhs-biomedical-scientist", "nope", ""],
    "--skill": ["gmp", "gmp=3", "gmp=0", "aseptic-technique=1", "Good manufacturing practice", "x"],
    "--with": ["cgt-catapult-aseptic-course", "st1406-science-manufacturing-technician", "nope"],
    "--level": ["0", "3", "6", "8", "9", "03", "-1", "x"],
    "--region": ["north-east", "scotland", "uk", "atlantis"],
    "--age": ["16", "19", "25", "60", "-3", "1e3"],
    "--family": ["quality-control", "manufacturing", "nope"],
    "--top": ["1", "3", "50", "0", "x"],
}


@st.composite
def option(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(sorted(VALUES)))
    value = draw(st.sampled_from(VALUES[name]))
    return [f"{name}={value}"] if draw(st.booleans()) else [name, value]


@st.composite
def command_line(draw: st.DrawFn) -> list[str]:
    root = draw(st.sampled_from([[], ["--data-dir", str(DATA)], [f"--data-dir={DATA}"], ["--overlay", str(MINI)]]))
    options = [token for chosen in draw(st.lists(option(), max_size=5)) for token in chosen]
    extras = draw(
        st.lists(st.sampled_from(["--json", "--json", "--explain", "--help", "--", "-x", "extra"]), max_size=2)
    )
    for extra in extras:
        options.insert(draw(st.integers(0, len(options))), extra)
    return [*root, "match", *options]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command_line())
def test_generated_match_command_lines_print_the_same_on_both_paths(args: list[str]) -> None:
    fast, full = both(args)
    assert fast == full, args


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(option(), min_size=1, max_size=4), st.booleans())
def test_well_formed_requests_are_answered_on_the_quick_path(chosen: list[list[str]], json_: bool) -> None:
    args = ["match", "--from", BG, *(token for pair in chosen for token in pair), *(["--json"] if json_ else [])]
    names = [pair[0].partition("=")[0] for pair in chosen]
    values = [pair[-1].partition("=")[2] if len(pair) == 1 else pair[1] for pair in chosen]
    single_twice = any(names.count(n) > 1 for n in quick.SINGLES)
    odd = any(
        v.startswith("-") or (n in ("--level", "--age", "--top") and not v.isdigit())
        for n, v in zip(names, values, strict=True)
    )
    out_of_range = any(
        (n == "--level" and v.isdigit() and int(v) > 8) or (n == "--top" and v.isdigit() and int(v) < 1)
        for n, v in zip(names, values, strict=True)
    )
    assert taken(args) == (not (single_twice or odd or out_of_range))


# ---- help, kept from typer's last answer ----------------------------------------------------------


def test_the_quick_path_knows_every_command_typer_has() -> None:
    from cgtpaths import cli

    names = {cli._command_name(c) for c in cli.app.registered_commands} | {g.name for g in cli.app.registered_groups}
    assert set(quick.COMMANDS) == names


@given(st.one_of(st.none(), st.sampled_from(["", "0", "-5", "abc", " 90", "120", "40", "1", "99999"])))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_terminal_width_is_the_one_click_would_use(columns: str | None) -> None:
    import shutil

    environ = dict(os.environ)
    environ.pop("COLUMNS", None)
    if columns is not None:
        environ["COLUMNS"] = columns
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(environ)
    try:
        assert quick.terminal_columns(environ) == shutil.get_terminal_size().columns
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.parametrize(
    ("args", "command"),
    [(["--help"], ""), (["-h"], ""), (["match", "--help"], "match"), (["data", "-h"], "data")],
)
def test_plain_help_requests_are_recognised(args: list[str], command: str) -> None:
    request = quick.help_request(args, {"COLUMNS": "100"})
    assert request == (command, 78)


@pytest.mark.parametrize(
    "args", [[], ["--help", "match"], ["match", "--help", "--json"], ["data", "validate", "--help"], ["bogus", "-h"]]
)
def test_other_command_lines_are_not_help_requests(args: list[str]) -> None:
    assert quick.help_request(args, {}) is None


@pytest.mark.parametrize("command", ["", *quick.COMMANDS])
@pytest.mark.parametrize("columns", ["44", "100"])
def test_help_is_typer_s_text_first_and_every_time_after(
    command: str, columns: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cgtpaths import cli

    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", columns)
    args = [command, "--help"] if command else ["--help"]
    _, typer_s = both(args)  # the full command line alone, as typer prints it
    assert typer_s.code == 0 and typer_s.out.startswith("Usage: cgtpaths")
    first = both(args)[0]  # kept this time...
    assert first == typer_s and list(tmp_path.glob("help-*.store"))

    def no_typer(argv: list[str] | None = None) -> None:
        raise AssertionError("typer ran for help it had already given")

    monkeypatch.setattr(cli, "main", no_typer)
    out, err = io.StringIO(), io.StringIO()
    assert invoke(args, out, err) == 0  # ... and given back from then on
    assert (out.getvalue(), err.getvalue()) == (typer_s.out, typer_s.err)


def test_help_kept_for_other_code_or_a_damaged_file_is_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cgtpaths import cache

    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(tmp_path))
    request = ("match", 78)
    assert cache.write_help(request, "old words\n")
    assert cache.read_help(request) == "old words\n"
    key = cache._help_key(request)
    assert any(str(part[0]).endswith("cli.py") for part in key[-1])  # cli.py's stat is in the key
    monkeypatch.setattr(cache, "_help_key", lambda r: (*key[:-1], ()))  # as if cli.py had changed
    assert cache.read_help(request) is None
    monkeypatch.undo()
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(tmp_path))
    [kept] = tmp_path.glob("help-match-78.store")
    kept.write_bytes(kept.read_bytes()[:-3])  # truncated
    assert cache.read_help(request) is None
    monkeypatch.setenv("COLUMNS", "80")
    fast, full = both(["match", "--help"])
    assert fast == full and cache.read_help(request) == full.out  # typer's text, kept again


def test_help_from_the_cache_imports_no_typer(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys\nfrom cgtpaths.launch import main\n"
        "try:\n    main(['match', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('typer' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "CGTPATHS_CACHE_DIR": str(tmp_path), "COLUMNS": "90"}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
        for _ in range(2)
    ]
    assert [r.stderr.strip() for r in runs] == ["True", "False"]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.startswith("Usage: cgtpaths match")
