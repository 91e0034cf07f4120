"""Shell completion of ids through typer's own machinery, as bash, zsh and fish call it: the
installed console script run with the completion environment variables set, as a TAB press does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import MINI

from cgtpaths.guide import complete_ids, completion_help
from cgtpaths.load import open_catalogue

CGTPATHS = str(Path(sys.executable).parent / "cgtpaths")


def complete(shell: str, line: str, **env: str) -> subprocess.CompletedProcess[str]:
    """What `line` + TAB offers in `shell` (a trailing space means a new, empty word)."""
    extra: dict[str, str] = {"_CGTPATHS_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split()
        extra["COMP_WORDS"] = line
        extra["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        extra["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            extra["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return subprocess.run(
        [CGTPATHS], env={**os.environ, **extra, **env}, capture_output=True, text=True, timeout=60, check=False
    )


def offered(shell: str, line: str, **env: str) -> list[str]:
    done = complete(shell, line, **env)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("cgtpaths match --from oil", ["oil-and-gas-maintenance-technician", "oil-and-gas-process-operator"]),
        ("cgtpaths pathway --to qc", ["qc-analyst", "qc-microbiologist", "qc-team-leader", "qc-technician"]),
        ("cgtpaths skills --from nhs-biomedical-scientist --to qualified", ["qualified-person"]),
        ("cgtpaths roles qualif", ["qualified-person"]),
        ("cgtpaths feeders manufacturing-t", ["manufacturing-technician"]),
        ("cgtpaths backgrounds school", ["school-leaver-gcse"]),
        ("cgtpaths programmes st1406", ["st1406-science-manufacturing-technician"]),
        ("cgtpaths match --region north", ["north-east", "north-west", "northern-ireland"]),
        ("cgtpaths programmes --region scot", ["scotland"]),
        ("cgtpaths match --skill aseptic-t", ["aseptic-technique"]),
        ("cgtpaths match --skill gmp=", ["gmp=1", "gmp=2", "gmp=3"]),
        ("cgtpaths match --from life-sciences-graduate --with cgt-catapult-a", ["cgt-catapult-aseptic-course"]),
        ("cgtpaths explore --interest pa", ["patients"]),
        ("cgtpaths explore --role viral", ["viral-vector-scientist"]),
    ],
)
def test_bash_completes_ids(line: str, expected: list[str]) -> None:
    assert offered("bash", line) == expected


def test_bash_offers_every_id_for_an_empty_word() -> None:
    cat = open_catalogue()[0]
    assert offered("bash", "cgtpaths roles ") == sorted(cat.roles)
    assert offered("bash", "cgtpaths explore --from ") == sorted(cat.backgrounds)


def test_zsh_and_fish_show_titles_beside_ids() -> None:
    assert offered("zsh", "cgtpaths pathway --to qualified") == [
        """_arguments '*: :(("qualified-person":"Qualified Person (QP)"))'"""
    ]
    assert offered("fish", "cgtpaths match --from oil-and-gas-p") == [
        "oil-and-gas-process-operator\tOil and gas process operator (offshore or onshore)"
    ]


def test_completion_follows_data_dir_and_overlay(tmp_path: Path) -> None:
    assert offered("bash", f"cgtpaths --data-dir {MINI} roles ") == ["supervisor", "technician"]
    assert offered("bash", "cgtpaths roles ", CGTPATHS_DATA_DIR=str(MINI)) == ["supervisor", "technician"]


def test_completion_never_prints_an_error(tmp_path: Path) -> None:
    for line in (f"cgtpaths --data-dir {tmp_path / 'missing'} roles ", f"cgtpaths --data-dir {tmp_path} match --from "):
        done = complete("bash", line)
        assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("skills", "roles", "programmes", "backgrounds"):
        (broken / f"{name}.yaml").write_text(f"{name}: [oops\n")
    done = complete("zsh", f"cgtpaths --data-dir {broken} roles ")
    assert done.returncode == 0 and done.stderr == "" and "oops" not in done.stdout


def test_titles_in_completion_hints_cannot_carry_markup_or_control_characters(tmp_path: Path) -> None:
    assert completion_help("[bold]x[/] :smile: \x1b[31mred\x07\tand\nmore") == "bold x / smile 31mred and more"
    overlay = tmp_path / "o"
    overlay.mkdir()
    (overlay / "roles.yaml").write_text(
        "roles:\n  - id: technician\n"
        '    title: "[bold]x[/nope] :smile: \\e[31mred\\tTab"\n'
        "    family: manufacturing\n    summary: S\n    entry_level: 3\n    entry_level_confidence: verified\n"
        "    skills: [{skill: gmp, level: 2, essential: true}]\n"
        "    sources: [{url: 'https://example.org/t', title: T, seen: 2026-11-01}]\n    verified: 2026-11-01\n"
    )
    lines = offered("fish", f"cgtpaths --data-dir {MINI} --overlay {overlay} roles tech")
    assert lines == ["technician\tbold x /nope smile 31mred Tab"]
    zsh = offered("zsh", f"cgtpaths --data-dir {MINI} --overlay {overlay} roles tech")
    assert zsh == ["""_arguments '*: :(("technician":"bold x /nope smile 31mred Tab"))'"""]


def test_complete_ids_directly() -> None:
    cat = open_catalogue()[0]
    assert complete_ids(cat, "regions", "sc") == [("scotland", "Scotland")]
    assert complete_ids(cat, "skills", "nosuch=") == []
    assert [i for i, _ in complete_ids(cat, "skills", "gmp=2")] == ["gmp=2"]
