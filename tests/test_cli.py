"""The real command line on the real data: text, JSON, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import DATA, MINI, run

from cgtpaths.cli import app, data_app

COMMANDS = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
DATA_COMMANDS = [c.name or "" for c in data_app.registered_commands]


@pytest.mark.parametrize("args", [[c] for c in COMMANDS] + [["data", c] for c in DATA_COMMANDS] + [[]])
def test_every_command_has_help_with_an_example(args: list[str]) -> None:
    result = run(*args, "--help")
    assert result.code == 0
    assert "Example:" in result.out, f"`cgtpaths {' '.join(args)} --help` needs an example"
    assert "Usage: cgtpaths" in result.out


def test_version_and_python_dash_m() -> None:
    assert run("--version").out.strip() == "cgtpaths 0.1.0"
    done = subprocess.run([sys.executable, "-m", "cgtpaths", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "cgtpaths 0.1.0"


def test_no_arguments_shows_help_and_exits_2() -> None:
    result = run()
    assert result.code == 2
    assert "Commands" in result.out + result.err


def test_roles_json_is_one_versioned_object() -> None:
    result = run("roles", "--json")
    assert result.code == 0 and result.err == ""
    body = result.json()
    assert body["schema_version"] == 1
    assert body["dataset"]["source"] == "shipped"
    assert body["dataset"]["version"]
    assert len(body["roles"]) >= 17
    assert {"id", "title", "family", "skills", "sources", "verified"} <= set(body["roles"][0])


def test_a_role_page_has_what_an_adviser_needs() -> None:
    result = run("roles", "qualified-person")
    assert result.code == 0
    for words in ("How to get in", "Skills needed", "Requirements training alone cannot meet", "Salary", "Sources"):
        assert words in result.out
    assert "2 years" in result.out
    unknown_salary = run("roles", "manufacturing-technician")
    assert "Not known: no sourced UK figure" in unknown_salary.out


def test_an_unknown_id_suggests_the_closest() -> None:
    result = run("roles", "qc-analist")
    assert result.code == 1
    assert "unknown role id 'qc-analist'" in result.err
    assert "Did you mean: qc-analyst" in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_programme_filters() -> None:
    level3 = run("programmes", "--kind", "apprenticeship", "--level", "3", "--json").json()["programmes"]
    assert level3 and all(p["kind"] == "apprenticeship" and p["level"] == 3 for p in level3)
    scotland = {p["id"] for p in run("programmes", "--region", "scotland", "--json").json()["programmes"]}
    assert "scotland-ma-life-sciences-svq-laboratory-skills-scqf6" in scotland
    assert "st1406-science-manufacturing-technician" not in scotland  # England-only standard
    levy = run("programmes", "--funding", "levy", "--json").json()["programmes"]
    assert levy and all(any(f["kind"] == "levy" for f in p["funding"]) for p in levy)
    bad = run("programmes", "--region", "narnia")
    assert bad.code == 1 and "unknown region id 'narnia'" in bad.err
    bad_kind = run("programmes", "--kind", "wizardry")
    assert bad_kind.code == 1 and "Kinds in the data" in bad_kind.err


def test_search_ranks_titles_and_aliases() -> None:
    hits = run("search", "HAZOP", "--json").json()["hits"]
    assert hits[0]["id"] == "process-safety"
    hits = run("search", "quality control", "--json").json()["hits"]
    assert hits[0]["kind"] == "role"
    none = run("search", "zzzzqqq")
    assert none.code == 1 and "nothing matches" in none.err


def test_match_json_contract() -> None:
    body = run("match", "--from", "oil-and-gas-process-operator", "--json").json()
    assert body["schema_version"] == 1
    assert body["profile"]["skills"]["permit-to-work"] == 3
    assert body["profile"]["level"] == 3
    matches = body["matches"]
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    first = matches[0]
    assert {"role", "title", "score", "band", "transferable", "gaps"} <= set(first)
    assert all("skill" in t for t in first["transferable"])
    assert all({"skill", "essential", "programmes"} <= set(g) for g in first["gaps"])


def test_match_top_takes_any_number() -> None:
    everything = run("match", "--from", "life-sciences-graduate", "--top", "1000", "--json").json()["matches"]
    assert len(everything) == len(run("roles", "--json").json()["roles"])
    assert len(run("match", "--from", "life-sciences-graduate", "--top", "2", "--json").json()["matches"]) == 2


def test_match_needs_a_profile_and_says_which_flags() -> None:
    result = run("match")
    assert result.code == 2
    assert "--from" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["match", "--skill", "gmpp"], 1, "Did you mean: gmp"),
        (["match", "--skill", "gmp=5"], 2, "must be 1, 2 or 3"),
        (["match", "--from", "oil-rig"], 1, "unknown background id 'oil-rig'"),
        (["match", "--from", "school-leaver-gcse", "--level", "12"], 2, "12"),
        (["match", "--from", "school-leaver-gcse", "--top", "0"], 2, "0"),
        (["pathway", "--from", "school-leaver-gcse", "--to", "astronaut"], 1, "unknown role id 'astronaut'"),
        (["match", "--text", "/nonexistent/cv.txt"], 1, "cannot read"),
        (["match", "--from", "school-leaver-gcse", "--with", "nope"], 1, "unknown programme id 'nope'"),
        (["feeders", "nope"], 1, "unknown role id 'nope'"),
    ],
)
def test_bad_input_gets_one_clear_message(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.code == code, result
    assert message in result.err
    assert "Traceback" not in result.err


def test_skill_names_and_aliases_work_as_skill_arguments() -> None:
    body = run("match", "--skill", "cGMP=2", "--skill", "Aseptic technique", "--json").json()
    assert body["profile"]["skills"] == {"gmp": 2, "aseptic-technique": 2}


def test_with_shows_what_if(tmp_path: Path) -> None:
    before = {
        m["role"]: m["score"]
        for m in run("match", "--from", "brewing-and-distilling", "--top", "99", "--json").json()["matches"]
    }
    after = {
        m["role"]: m["score"]
        for m in run(
            "match",
            "--from",
            "brewing-and-distilling",
            "--with",
            "cgt-catapult-aseptic-course",
            "--top",
            "99",
            "--json",
        ).json()["matches"]
    }
    assert all(after[r] >= before[r] for r in before)
    assert after["manufacturing-technician"] > before["manufacturing-technician"]


def test_text_profile_with_explain(tmp_path: Path) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_text("Control room operator. Permit to work issuer, HAZOP participant, SCADA and DCS.\n")
    result = run("match", "--text", str(cv), "--explain")
    assert result.code == 0
    assert "'HAZOP' -> Process safety" in result.out
    body = run("match", "--text", str(cv), "--json").json()
    assert {m["skill"] for m in body["text_matches"]} >= {"permit-to-work", "process-safety", "process-automation"}


def test_profile_file(tmp_path: Path) -> None:
    prof = tmp_path / "me.yaml"
    prof.write_text("from: food-and-drink-qa-technician\nskills: {gmp: 2}\nregion: scotland\nage: 30\n")
    body = run("match", "--profile", str(prof), "--json").json()
    assert body["profile"]["skills"]["gmp"] == 2
    assert body["profile"]["region"] == "scotland"
    prof.write_text("skills: {gmp: 7}\n")
    bad = run("match", "--profile", str(prof))
    assert bad.code == 1 and "level 1, 2 or 3" in bad.err


def test_skills_check_against_a_role() -> None:
    body = run("skills", "--from", "armed-forces-technician", "--to", "facilities-engineer", "--json").json()
    statuses = {s["skill"]: s["status"] for s in body["skills"]}
    assert statuses["mechanical-maintenance"] in ("have", "partly")
    assert "missing" in statuses.values()
    text = run("skills", "--from", "armed-forces-technician", "--to", "facilities-engineer")
    assert "missing" in text.out and "have" in text.out
    vocab = run("skills", "--json").json()["skills"]
    assert len(vocab) >= 80
    mine = run("skills", "--from", "nhs-biomedical-scientist").out
    assert "CGT roles that need it" in mine


def test_pathway_json_contract() -> None:
    body = run("pathway", "--from", "oil-and-gas-process-operator", "--to", "qualified-person", "--json").json()
    assert body["schema_version"] == 1
    assert body["to"] == "qualified-person"
    assert body["from"]["from"] == ["oil-and-gas-process-operator"]
    assert body["steps"][-1] == {**body["steps"][-1], "kind": "role", "id": "qualified-person"}
    assert all(
        s["kind"] in ("programme", "role", "experience") and "title" in s and "months" in s for s in body["steps"]
    )
    assert body["total_months"] == round(sum(s["months"] for s in body["steps"]), 2)
    assert {"gaps_closed", "gaps_open", "gates", "sources"} <= set(body)
    assert any(g["kind"] == "experience" for g in body["gates"])
    assert all(s["url"].startswith("http") for s in body["sources"])


def test_feeders_rank_backgrounds() -> None:
    rows = run("feeders", "facilities-engineer", "--json").json()["feeders"]
    assert rows[0]["background"] in (
        "oil-and-gas-maintenance-technician",
        "armed-forces-technician",
        "engineering-technician-automotive-or-semiconductor",
    )
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    text = run("feeders", "facilities-engineer")
    assert "bridging" in text.out


def test_data_commands_on_the_shipped_data() -> None:
    assert run("data", "validate").code == 0
    stats = run("data", "stats", "--json").json()["stats"]
    assert stats["counts"]["roles"] >= 17
    audit = run("data", "audit")
    assert audit.code == 0 and "facts tagged inferred" in audit.out
    schema = json.loads(run("data", "schema", "roles").out)
    assert schema["additionalProperties"] is False
    assert run("data", "schema").code == 2


NASTY = "[bold]x[/] [/nope] :smile: <script>alert(1)</script> | * # \x1b[31mred\x1b]8;;http://e.vil\x07 \r\x07"


def test_data_strings_are_never_interpreted(tmp_path: Path) -> None:
    overlay = tmp_path / "o"
    overlay.mkdir()
    title = NASTY.replace("\\", "\\\\").replace('"', '\\"')
    title = title.encode("unicode_escape").decode("ascii").replace("\\\\", "\\")
    (overlay / "roles.yaml").write_text(
        "roles:\n  - id: technician\n"
        f'    title: "{title}"\n'
        "    family: manufacturing\n    summary: S\n    entry_level: 3\n    entry_level_confidence: verified\n"
        "    skills: [{skill: gmp, level: 2, essential: true}]\n"
        "    sources: [{url: 'https://example.org/t', title: T, seen: 2026-11-01}]\n    verified: 2026-11-01\n"
    )
    page = run("--data-dir", str(MINI), "--overlay", str(overlay), "roles", "technician")
    assert page.code == 0, page.err
    assert "[bold]x[/] [/nope] :smile: <script>alert(1)</script>" in page.out
    assert "\x1b" not in page.out and "\x07" not in page.out and "\r" not in page.out
    assert "\\x1b[31mred" in page.out
    listing = run("--data-dir", str(MINI), "--overlay", str(overlay), "roles")
    assert "\x1b" not in listing.out and "[bold]x[/]" in listing.out
    as_json = run("--data-dir", str(MINI), "--overlay", str(overlay), "roles", "technician", "--json")
    assert as_json.json()["role"]["title"] == NASTY


def test_no_colour_codes_when_piped() -> None:
    result = run("match", "--from", "pharma-manufacturing-operator")
    assert "\x1b[" not in result.out


def test_environment_variable_points_at_a_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CGTPATHS_DATA_DIR", str(MINI))
    assert {r["id"] for r in run("roles", "--json").json()["roles"]} == {"technician", "supervisor"}


def test_the_shipped_dataset_is_found_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("roles", "--json").code == 0
    assert DATA.is_dir()
