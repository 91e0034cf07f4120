"""Shared test helpers: run the real CLI in-process on the real data, with a pinned environment."""

from __future__ import annotations

import io
import json
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture(autouse=True)
def pinned_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Width, colour and data location never follow the developer's machine or CI."""
    for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "CGTPATHS_DATA_DIR", "TERMINAL_WIDTH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


def _untracked() -> set[str] | None:
    """Files in the checkout that git neither tracks nor ignores; None outside a git checkout."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return {line[3:] for line in done.stdout.splitlines() if line.startswith("??")}


@pytest.fixture(scope="session", autouse=True)
def checkout_left_clean() -> Any:
    """No test leaves a file in the checkout (a command's -o, a cache): they write to tmp_path."""
    before = _untracked()
    yield
    after = _untracked()
    if before is not None and after is not None:
        assert after <= before, f"tests left files in the checkout: {sorted(after - before)}"


@pytest.fixture(scope="session")
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cgtpaths-cache")


@pytest.fixture(autouse=True)
def isolated_cache(monkeypatch: pytest.MonkeyPatch, session_cache_dir: Path) -> Path:
    """The catalogue cache (cache.py) lives in a temporary folder, never the user's ~/.cache.
    Shared by the session: each dataset location has its own entry, so tests don't see each other's."""
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(session_cache_dir))
    return session_cache_dir


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run(*args: str) -> Result:
    """Run `cgtpaths ARGS` through the real entry point and capture what a user would see."""
    out, err = io.StringIO(), io.StringIO()
    code = invoke(args, out, err)
    return Result(code, out.getvalue(), err.getvalue())


def run_full(*args: str) -> Result:
    """Run `cgtpaths ARGS` through the full command line (cli.py: typer) alone, never the quick path
    or the help kept from typer's last answer (launch.py), which are checked against this."""
    from cgtpaths.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = invoke(args, out, err, main)
    return Result(code, out.getvalue(), err.getvalue())


def invoke(args: tuple[str, ...] | list[str], out: Any, err: Any, entry: Any = None) -> int:
    """Run the real entry point (or `entry`) with stdout and stderr sent to these streams; return the
    exit code."""
    if entry is None:
        from cgtpaths.launch import main as entry

    with redirect_stdout(out), redirect_stderr(err):
        try:
            entry(list(args))
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture dataset, for breaking on purpose."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("schema"))
    return target


sys.setrecursionlimit(max(sys.getrecursionlimit(), 3000))
