"""The people-side records (roles, backgrounds, skills, regions, qualifications) on the shipped data:
SOC 2020 codes, core skills, the source policy (data/README.md) and the counts issue 13 asks for.
Each failure names the file, the record and how to fix the data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.conftest import run

from cgtpaths.load import KINDS, Loaded, load
from cgtpaths.provenance import is_official, refusal

# The files this suite owns; programmes.yaml and funding.yaml are cleaned on the data-prog branch.
PEOPLE_KINDS = ("roles", "backgrounds", "skills", "regions", "qualifications")
# Issue 13, "All four nations and the NHS": the roles and backgrounds the dataset must hold.
NAMED_ROLES = {
    "qc-technician",
    "process-support-operator",
    "atmp-pharmacist",
    "clinical-scientist",
    "apheresis-nurse",
    "computer-system-validation-specialist",
    "automation-engineer",
    "research-scientist",
}
NAMED_BACKGROUNDS = {
    "year-11-student",
    "chemistry-graduate",
    "engineering-graduate",
    "pharmacy-technician",
    "registered-nurse",
    "logistics-warehouse-operative",
    "non-science-career-changer",
}
FIX = "replace it with the official page (or the provider's own page) for the same fact, or drop the fact"


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load()


@pytest.fixture(scope="module")
def data(loaded: Loaded) -> dict[str, list[dict[str, Any]]]:
    return loaded.data


def citations(rec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every page a record cites, with the field that cites it."""
    for i, src in enumerate(rec.get("sources") or []):
        yield f"sources[{i}].url", src["url"]
    for i, note in enumerate(rec.get("notes") or []):
        if note.get("source"):
            yield f"notes[{i}].source", note["source"]
    if rec.get("salary"):
        yield "salary.source.url", rec["salary"]["source"]["url"]
    if rec.get("soc2020_source"):
        yield "soc2020_source", rec["soc2020_source"]


def refused_citations(data: dict[str, list[dict[str, Any]]], kinds: tuple[str, ...]) -> list[str]:
    return [
        f"data/{kind}.yaml, {kind} {rec['id']}, {field}: {url} is {why}; {FIX}"
        for kind in kinds
        for rec in data[kind]
        for field, url in citations(rec)
        if (why := refusal(url))
    ]


def test_the_people_files_cite_no_refused_page(data: dict[str, list[dict[str, Any]]]) -> None:
    problems = refused_citations(data, PEOPLE_KINDS)
    assert not problems, "\n".join(problems)


def test_no_data_file_cites_a_refused_page(loaded: Loaded) -> None:
    problems = refused_citations(loaded.data, KINDS)
    for i, src in enumerate(loaded.dataset.get("sources") or []):
        if why := refusal(src["url"]):
            problems.append(f"data/dataset.yaml, sources[{i}].url: {src['url']} is {why}; {FIX}")
    assert not problems, "\n".join(problems)


def test_the_policy_refuses_the_hosts_the_recheck_found() -> None:
    # hosts found cited before the 2026-12-04 re-check (issue 13, "Sources"); a page for people is allowed
    for url in (
        "https://admin.abpi.org.uk/careers/working-in-the-industry",
        "https://pp-findapprenticeshiptraining.apprenticeships.education.gov.uk/courses/371",
        "https://birminghambrc.uhbdev.co.uk/news",
        "https://studylib.net/doc/1",
        "https://www.torchora.com/job-specification/cell-therapy-associate",
        "https://masterymind.co.uk/subjects/x",
    ):
        assert refusal(url), url
    assert refusal("https://www.abpi.org.uk/careers/working-in-the-industry") is None


def test_official_is_claimed_only_for_official_hosts(loaded: Loaded) -> None:
    problems = [
        f"data/{kind}.yaml, {kind} {rec['id']}: {src['url']} is marked kind: official but its host is not on the "
        "official list (src/cgtpaths/provenance.py); mark it provider (its own course or service) or secondary"
        for kind in PEOPLE_KINDS
        for rec in loaded.data[kind]
        for src in rec["sources"] + ([rec["salary"]["source"]] if rec.get("salary") else [])
        if src["kind"] == "official" and not is_official(src["url"])
    ]
    problems += [
        f"data/dataset.yaml: {src['url']} is marked official but its host is not on the official list"
        for src in loaded.dataset.get("sources") or []
        if src["kind"] == "official" and not is_official(src["url"])
    ]
    assert not problems, "\n".join(problems)


def test_a_verified_fact_rests_on_a_page_that_was_read(data: dict[str, list[dict[str, Any]]]) -> None:
    # a page not re-read says `via` (where the fact came from instead): it cannot make a fact verified
    problems = []
    for kind in PEOPLE_KINDS:
        for rec in data[kind]:
            unread = {s["url"] for s in rec["sources"] if s.get("via")}
            for i, note in enumerate(rec.get("notes") or []):
                if note["confidence"] == "verified" and note.get("source") in unread:
                    problems.append(
                        f"data/{kind}.yaml, {kind} {rec['id']}, notes[{i}]: tagged verified but its page was not "
                        "re-read (the source says via); re-read it and date it, or tag the note secondary"
                    )
            for src in rec["sources"]:
                if src.get("via"):  # a page read on the day it says needs no `via`
                    assert src["seen"] < dt.date.today().isoformat(), (
                        f"data/{kind}.yaml, {kind} {rec['id']}: {src['url']}"
                    )
    assert not problems, "\n".join(problems)


def test_no_date_is_in_the_future(data: dict[str, list[dict[str, Any]]]) -> None:
    today = dt.date.today().isoformat()
    for kind in PEOPLE_KINDS:
        for rec in data[kind]:
            assert rec["verified"] <= today, f"data/{kind}.yaml, {kind} {rec['id']}: verified is after today"
            for src in rec["sources"]:
                assert src["seen"] <= today, f"data/{kind}.yaml, {kind} {rec['id']}: {src['url']} seen after today"


def test_every_role_has_a_soc2020_code_with_its_source_and_a_note(data: dict[str, list[dict[str, Any]]]) -> None:
    for role in data["roles"]:
        where = f"data/roles.yaml, role {role['id']}"
        assert role.get("soc2020"), f"{where}: add soc2020, the 4-digit SOC 2020 unit group"
        assert re.fullmatch(r"\d{4}", role["soc2020"]), f"{where}: soc2020 '{role['soc2020']}' is not 4 digits"
        url = role.get("soc2020_source")
        assert url, f"{where}: add soc2020_source, the page that backs the code"
        assert not refusal(url), f"{where}: soc2020_source {url} is {refusal(url)}; {FIX}"
        notes = [n for n in role["notes"] if n["text"].startswith(f"SOC 2020 {role['soc2020']}")]
        assert notes, f"{where}: add a note 'SOC 2020 {role['soc2020']} ...' saying where the code comes from"
        assert notes[0].get("source") == url, f"{where}: the SOC 2020 note should cite {url}"
        github_copy = "github.com" in url
        assert not (github_copy and notes[0]["confidence"] == "verified"), (
            f"{where}: a GitHub copy of the ONS list is not an ONS page; tag the mapping inferred or cite an "
            "occupational map that gives the code"
        )


def test_occupational_backgrounds_carry_soc2020_and_students_do_not(data: dict[str, list[dict[str, Any]]]) -> None:
    for bg in data["backgrounds"]:
        where = f"data/backgrounds.yaml, background {bg['id']}"
        if bg["situation"] in ("school", "college", "university"):
            assert not bg.get("soc2020"), f"{where}: a student has no occupation, so no SOC 2020 code"
        if bg.get("soc2020"):
            url = bg.get("soc2020_source")
            assert url and not refusal(url), f"{where}: give soc2020_source, a page we may cite"
            assert any(n.get("source") == url and n["text"].startswith("SOC 2020") for n in bg["notes"]), (
                f"{where}: add a 'SOC 2020 ...' note citing {url}, with its confidence"
            )
    coded = [b for b in data["backgrounds"] if b.get("soc2020")]
    assert len(coded) >= 12, "most working backgrounds should carry a SOC 2020 code"


def test_every_role_has_three_to_six_core_skills_and_none_is_a_generic_behaviour(
    data: dict[str, list[dict[str, Any]]],
) -> None:
    behavioural = {s["id"] for s in data["skills"] if s["category"] == "behavioural"}
    assert {"teamwork", "communication", "attention-to-detail"} <= behavioural
    for role in data["roles"]:
        where = f"data/roles.yaml, role {role['id']}"
        core = [s["skill"] for s in role["skills"] if s["core"]]
        assert 3 <= len(core) <= 6, f"{where}: mark its 3-6 defining skills core: true (has {len(core)})"
        generic = sorted(set(core) & behavioural)
        assert not generic, f"{where}: {generic} are general behaviours; they count but are never core"
        assert all(s["essential"] for s in role["skills"] if s["core"]), f"{where}: a core skill must be essential"
        assert any(re.search(r"\bcore\b", n["text"], re.I) for n in role["notes"]), (
            f"{where}: add a note saying where the core set comes from (the standard's duties or the ATSTN job page)"
        )


def test_the_dataset_holds_the_roles_and_backgrounds_issue_13_names(data: dict[str, list[dict[str, Any]]]) -> None:
    roles = {r["id"] for r in data["roles"]}
    backgrounds = {b["id"] for b in data["backgrounds"]}
    assert len(roles) >= 32, f"data/roles.yaml has {len(roles)} roles; issue 13 asks for at least 32"
    assert len(backgrounds) >= 22, f"data/backgrounds.yaml has {len(backgrounds)}; issue 13 asks for at least 22"
    assert not NAMED_ROLES - roles, f"add to data/roles.yaml: {sorted(NAMED_ROLES - roles)}"
    assert not NAMED_BACKGROUNDS - backgrounds, (
        f"add to data/backgrounds.yaml: {sorted(NAMED_BACKGROUNDS - backgrounds)}"
    )


def test_each_alias_credits_one_skill_after_apheresis_got_its_own(data: dict[str, list[dict[str, Any]]]) -> None:
    owners = {a.casefold(): s["id"] for s in data["skills"] for a in s["aliases"]}
    assert owners["apheresis collection"] == "apheresis-collection"
    assert owners["stem cell collection"] == "apheresis-collection"
    apheresis = next(r for r in data["roles"] if r["id"] == "apheresis-nurse")
    assert any(s["skill"] == "apheresis-collection" and s["core"] for s in apheresis["skills"])


def test_the_cli_shows_a_new_role_with_its_soc_code() -> None:
    result = run("roles", "qc-technician", "--json")
    assert result.code == 0, result.err
    assert "3111" in result.out and "qc-technician" in result.out


def test_a_school_leaver_is_told_plainly_there_is_no_route_to_apheresis_nursing_in_the_data() -> None:
    # the role needs NMC registration (a nursing degree); no programme in the data awards it
    result = run("pathway", "--from", "school-leaver-gcse", "--to", "apheresis-nurse")
    assert result.code == 1
    assert "no pathway to 'apheresis-nurse'" in result.err and "Traceback" not in result.err
