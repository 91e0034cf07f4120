"""The strict loader: every problem reported, each at the right file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import MINI, run

from cgtpaths.errors import DataError
from cgtpaths.load import load


def problems(data_dir: Path, overlays: tuple[Path, ...] = ()) -> list[tuple[str, int, int, str]]:
    with pytest.raises(DataError) as info:
        load(data_dir, overlays)
    return [(Path(p.file).name, p.line, p.column, p.message) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_the_mini_fixture_loads() -> None:
    loaded = load(MINI)
    assert [r["id"] for r in loaded.data["roles"]] == ["supervisor", "technician"]
    assert loaded.dataset["version"] == "2026.11.25"


def test_every_problem_is_reported_together_with_exact_positions(mini_copy: Path) -> None:
    edit(mini_copy / "roles.yaml", "{skill: gmp, level: 2, essential: true}", "{skill: gmp, level: 4, essential: true}")
    edit(mini_copy / "roles.yaml", "    summary: Makes product.", "    summary: Makes product.\n    colour: blue")
    edit(mini_copy / "backgrounds.yaml", "situation: working", "situation: NO")
    edit(mini_copy / "programmes.yaml", "leads_to: [technician]", "leads_to: [technican]")
    found = problems(mini_copy)
    assert found == [
        ("roles.yaml", 11, 29, "technician: skills[0].level: Input should be less than or equal to 3"),
        (
            "roles.yaml",
            7,
            5,
            "unknown field 'colour'; allowed: id, sources, verified, notes, title, also_called, family, "
            "summary, entry_level, entry_level_confidence, usual_level, skills, gates, progression, entry_routes, "
            "experience_months, salary, soc2020, soc2020_source",
        ),
        (
            "backgrounds.yaml",
            6,
            16,
            "operator: situation: Input should be 'school', 'college', 'university', 'working' "
            "or 'armed-forces' (YAML read this as true/false (yes/no/on/off are booleans in YAML); put it in quotes)",
        ),
        ("programmes.yaml", 16, 16, "aseptic-course: unknown role id 'technican'; did you mean 'technician'?"),
    ]


def test_a_misspelt_field_gets_a_did_you_mean(mini_copy: Path) -> None:
    edit(mini_copy / "roles.yaml", "    summary: Leads technicians.", "    sumary: Leads technicians.")
    found = problems(mini_copy)
    assert ("roles.yaml", 20, 5, "unknown field 'sumary'; did you mean 'summary'?") in found
    assert ("roles.yaml", 17, 5, "missing required field 'summary'") in found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: supervisor\n",
            "  - id: technician\n",
            ("roles.yaml", 17, 9, "duplicate role id 'technician' (first defined at line 3)"),
        ),
        (
            "progression: [supervisor]",
            "progression: [technician]",
            ("roles.yaml", 13, 19, "technician: a role cannot list itself in its progression"),
        ),
        (
            "    title: Supervisor\n",
            "    title: Supervisor\n    title: Boss\n",
            ("roles.yaml", 19, 5, "duplicate key 'title' in the same mapping"),
        ),
        (
            "    progression: [supervisor]",
            "    progression: &p [supervisor]",
            ("roles.yaml", 13, 18, "YAML anchors (&name) are not allowed in data files; write each value out in full"),
        ),
        (
            "      - {skill: gmp, level: 3, essential: true}",
            "    - {skill: gmp, level: 3, essential: true\n",
            ("roles.yaml", 27, 10, "YAML syntax error: did not find expected ',' or '}'"),
        ),
        (
            "    entry_level: 4",
            "    entry_level: four",
            (
                "roles.yaml",
                21,
                18,
                "supervisor: entry_level: Input should be a valid integer, unable to parse string as an integer",
            ),
        ),
        (
            "    entry_level: 4",
            "    entry_level: 9",
            ("roles.yaml", 21, 18, "supervisor: entry_level: Input should be less than or equal to 8"),
        ),
        (
            "  - id: supervisor",
            "  - id: Super Visor",
            ("roles.yaml", 17, 9, "Super Visor: id: String should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'"),
        ),
    ],
)
def test_single_faults_are_pinned(mini_copy: Path, old: str, new: str, expected: tuple[str, int, int, str]) -> None:
    edit(mini_copy / "roles.yaml", old, new)
    assert expected in problems(mini_copy)


def test_an_alias_is_rejected_before_it_can_expand(mini_copy: Path) -> None:
    edit(mini_copy / "roles.yaml", "    progression: [supervisor]", "    progression: *p")
    [(name, line, col, message)] = problems(mini_copy)
    assert (name, line, col) == ("roles.yaml", 13, 18)
    assert "aliases" in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty; it must be a mapping with one key, 'roles:', holding a list of records"),
        (b"- id: x\n", "file is a list; it must be a mapping with one key, 'roles:', holding a list of records"),
        (b"roles: 3\n", "'roles:' must hold a list of records (each starting with '- id:')"),
        (b"roles:\n  - 3\n", "expected a record (a mapping of fields), found a int"),
        (b"roles: []\nextra: 1\n", "unexpected top-level key 'extra'; only 'roles:' is allowed"),
        (b"roles:\n\t- id: x\n", "YAML syntax error: found character that cannot start any token"),
        (b"roles: [\xff]\n", "file is not valid UTF-8 text; save it as UTF-8"),
        (b"\x00\x01binary", "file contains NUL bytes: it is binary, not YAML"),
        (b"roles: []\n---\nroles: []\n", "a data file holds one YAML document; remove the extra '---'"),
        (b"roles:\n  - <<: {id: x}\n", "keys must be plain names (no merge keys or complex keys)"),
        (b"roles:\n  - ? [a, b]\n    : 1\n", "keys must be plain names (no merge keys or complex keys)"),
        (
            b"roles: !!python/object:os.system []\n",
            "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in data files; remove it",
        ),
    ],
)
def test_broken_files_give_one_clear_message(mini_copy: Path, content: bytes, message: str) -> None:
    (mini_copy / "roles.yaml").write_bytes(content)
    found = problems(mini_copy)
    assert any(p[0] == "roles.yaml" and p[3] == message for p in found), found


def test_bom_and_crlf_are_accepted(mini_copy: Path) -> None:
    path = mini_copy / "roles.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert len(load(mini_copy).data["roles"]) == 2


def test_a_missing_required_file_is_named(mini_copy: Path) -> None:
    (mini_copy / "skills.yaml").unlink()
    found = problems(mini_copy)
    assert found[0] == ("skills.yaml", 0, 0, "missing data file: every dataset needs skills.yaml")
    # references into the missing file are not repeated once per reference
    assert not any("unknown skill id" in p[3] for p in found)


def test_overlays_add_and_replace_records(tmp_path: Path) -> None:
    overlay = tmp_path / "college"
    overlay.mkdir()
    (overlay / "programmes.yaml").write_text(
        "programmes:\n"
        "  - id: aseptic-course\n    title: Replaced course\n    kind: short-course\n    provider: College\n"
        "    entry_level: 2\n    mode: in-person\n    access: [open]\n    regions: [north]\n    confidence: secondary\n"
        "    sources: [{url: 'https://example.org/c', title: C, seen: 2026-11-01}]\n    verified: 2026-11-01\n"
        "  - id: new-course\n    title: New course\n    kind: short-course\n    provider: College\n"
        "    entry_level: 2\n    mode: in-person\n    access: [open]\n    regions: [north]\n"
        "    leads_to: [technician]\n"
        "    confidence: secondary\n"
        "    sources: [{url: 'https://example.org/n', title: N, seen: 2026-11-01}]\n    verified: 2026-11-01\n"
    )
    loaded = load(MINI, (overlay,))
    titles = {p["id"]: p["title"] for p in loaded.data["programmes"]}
    assert titles == {"aseptic-course": "Replaced course", "new-course": "New course"}
    [report] = loaded.overlays
    assert report.added == {"programmes": ["new-course"]}
    assert report.replaced == {"programmes": ["aseptic-course"]}
    result = run("--data-dir", str(MINI), "--overlay", str(overlay), "data", "validate")
    assert result.code == 0
    assert "added 1 programmes: new-course" in result.out
    assert "replaced 1 programmes: aseptic-course" in result.out


def test_an_overlay_reference_to_a_missing_record_is_reported_in_the_overlay(tmp_path: Path) -> None:
    overlay = tmp_path / "college"
    overlay.mkdir()
    (overlay / "roles.yaml").write_text(
        "roles:\n  - id: technician\n    title: T\n    family: manufacturing\n    summary: S\n"
        "    entry_level: 3\n    entry_level_confidence: verified\n"
        "    skills: [{skill: gmpp, level: 2, essential: true}]\n"
        "    sources: [{url: 'https://example.org/t', title: T, seen: 2026-11-01}]\n    verified: 2026-11-01\n"
    )
    found = problems(MINI, (overlay,))
    assert found == [("roles.yaml", 8, 22, "technician: unknown skill id 'gmpp'; did you mean 'gmp'?")]


def test_validate_cli_reports_problems_as_text_and_json(mini_copy: Path) -> None:
    edit(mini_copy / "roles.yaml", "entry_level: 4", "entry_level: 9")
    text = run("--data-dir", str(mini_copy), "data", "validate")
    assert text.code == 1
    assert "roles.yaml:21:18: supervisor: entry_level: Input should be less than or equal to 8" in text.err
    assert "   21 |     entry_level: 9" in text.err
    assert "Traceback" not in text.err
    as_json = run("--data-dir", str(mini_copy), "data", "validate", "--json")
    assert as_json.code == 1
    body = as_json.json()
    assert body["ok"] is False
    assert body["errors"] == [
        {
            "file": body["errors"][0]["file"],
            "line": 21,
            "column": 18,
            "message": "supervisor: entry_level: Input should be less than or equal to 8",
        }
    ]
    assert body["errors"][0]["file"].endswith("roles.yaml")


def test_a_missing_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "nope"), "roles")
    assert result.code in (1, 2)
    assert "does not exist" in result.err
    assert "Traceback" not in result.err
