"""Invariants of the shipped dataset. Each failure message says how to fix the data."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from tests.conftest import DATA

from cgtpaths.catalogue import Catalogue
from cgtpaths.load import KINDS, load
from cgtpaths.schema import schemas

REQUIRED_ROLES = {
    "manufacturing-technician",
    "qc-analyst",
    "qa-specialist",
    "qualified-person",
    "process-development-scientist",
    "analytical-development-scientist",
    "viral-vector-scientist",
    "validation-engineer",
    "bioprocess-engineer",
    "facilities-engineer",
    "supply-chain-specialist",
    "regulatory-affairs-specialist",
    "clinical-trials-coordinator",
    "bioinformatician",
    "ehs-advisor",
    "laboratory-technician",
    "cell-processing-scientist",
}
REQUIRED_BACKGROUNDS = {
    "oil-and-gas-process-operator",
    "oil-and-gas-maintenance-technician",
    "chemical-process-operator",
    "pharma-manufacturing-operator",
    "food-and-drink-qa-technician",
    "brewing-and-distilling",
    "nhs-biomedical-scientist",
    "academic-research-technician",
    "life-sciences-graduate",
    "computing-graduate",
    "armed-forces-technician",
    "school-leaver-gcse",
    "a-level-or-t-level-student",
}
# From the domain brief's UNVERIFIED list: codes seen only in third-party lists must not ship as codes.
# ST0480 (Senior leader) was read on the official standard page on 2026-12-04, so it has left this list.
UNVERIFIED_CODES = {"ST0597", "ST0250", "ST0384", "ST0118", "ST0695", "ST0457", "ST0586", "ST0258"}


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, Any]]]:
    return load().data


@pytest.fixture(scope="module")
def cat(data: dict[str, list[dict[str, Any]]]) -> Catalogue:
    return Catalogue(data, {})


def test_required_ids_and_counts(data: dict[str, list[dict[str, Any]]]) -> None:
    roles = {r["id"] for r in data["roles"]}
    backgrounds = {b["id"] for b in data["backgrounds"]}
    assert not REQUIRED_ROLES - roles, f"add these roles to data/roles.yaml: {sorted(REQUIRED_ROLES - roles)}"
    assert not REQUIRED_BACKGROUNDS - backgrounds, (
        f"add to data/backgrounds.yaml: {sorted(REQUIRED_BACKGROUNDS - backgrounds)}"
    )
    assert len(roles) >= 17
    assert len(data["programmes"]) >= 40, "the dataset promises at least 40 programmes"
    assert len(data["skills"]) >= 80, "the dataset promises at least 80 skills"
    assert {r["id"] for r in data["regions"]} >= {"uk", "england", "scotland", "wales", "northern-ireland"}


def test_progression_ladders_have_senior_rungs(cat: Catalogue) -> None:
    senior = [
        rid
        for rid, r in cat.roles.items()
        if r["experience_months"] or any(g["kind"] == "experience" for g in r["gates"])
    ]
    assert len(senior) >= 4, "add senior and supervisory rungs (experience_months) so ladders have steps"
    for rid in senior:
        # a registered profession's experience (nursing before apheresis) is gained outside the catalogue
        # and met by that profession's background, so such a role needs no earlier rung
        registered = any(g["kind"] == "registration" for g in cat.roles[rid]["gates"])
        assert cat.progressed_from.get(rid) or registered, f"role {rid} needs experience but no role progresses into it"


@pytest.mark.parametrize("kind", KINDS)
def test_every_record_is_sourced_and_dated(data: dict[str, list[dict[str, Any]]], kind: str) -> None:
    today = dt.date.today()  # a record may not claim a check that has not happened yet
    for rec in data[kind]:
        assert rec["sources"], f"{kind} {rec['id']}: add at least one source (url, title, seen)"
        assert dt.date.fromisoformat(rec["verified"]) <= today + dt.timedelta(days=1), (
            f"{kind} {rec['id']}: verified date {rec['verified']} is in the future"
        )
        for src in rec["sources"]:
            assert re.match(r"https?://", src["url"]), f"{kind} {rec['id']}: source url must be http(s)"
            assert dt.date.fromisoformat(src["seen"]) <= today + dt.timedelta(days=1)


def test_ids_are_unique_across_each_file() -> None:
    # the loader rejects duplicates; this guards the YAML text itself against merge accidents
    for kind in KINDS:
        ids = re.findall(r"^\s*- id: (\S+)$", (DATA / f"{kind}.yaml").read_text(), flags=re.M)
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        assert not dupes, f"data/{kind}.yaml repeats ids {dupes}: give each record its own id"


def test_aliases_are_distinct_and_long_enough(cat: Catalogue) -> None:
    owner: dict[str, str] = {}
    for sid, skill in cat.skills.items():
        for alias in [skill["name"], *skill["aliases"]]:
            key = alias.casefold()
            assert len(key) >= 3, f"skill {sid}: alias '{alias}' is too short to match text safely"
            assert owner.setdefault(key, sid) == sid, (
                f"alias '{alias}' belongs to both {owner[key]} and {sid}: keep it on one skill"
            )


def test_salaries_are_sourced_and_scoped(cat: Catalogue) -> None:
    for rid, role in cat.roles.items():
        salary = role.get("salary")
        if salary:
            assert salary["source"]["url"].startswith("http"), f"role {rid}: a salary needs its own source"
            assert salary["scope"], f"role {rid}: say what the salary figure covers"


def test_unverified_codes_are_not_shipped_as_standard_codes(cat: Catalogue) -> None:
    for pid, prog in cat.programmes.items():
        assert prog["standard"] not in UNVERIFIED_CODES, (
            f"programme {pid}: {prog['standard']} was never seen on an official page; move it to a secondary note"
        )
        if prog["standard"]:
            assert prog["confidence"] in ("verified", "secondary"), pid


def test_level7_apprenticeships_carry_the_2026_age_limit(data: dict[str, list[dict[str, Any]]]) -> None:
    rules = {r["id"]: r for r in data["funding"]}
    l7 = [
        p
        for p in data["programmes"]
        if p["level"] == 7 and p["kind"] in ("apprenticeship", "degree-apprenticeship") and "england" in p["regions"]
    ]
    assert l7, "expected Level 7 apprenticeships in the data"
    for prog in l7:
        named = [rules[r] for r in prog["funding_rules"] if r in rules]
        assert any(r["level_min"] == 7 and r["age_max"] == 21 for r in named), (
            f"programme {prog['id']}: Level 7 funding is limited to ages 16-21 from January 2026; add "
            "england-level-7-age-limit-2026 to its funding_rules"
        )


def test_every_yaml_file_starts_with_its_schema_modeline() -> None:
    for path in sorted(DATA.glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{path.stem}.schema.json", (
            f"{path.name}: make the first line '# yaml-language-server: $schema=schema/{path.stem}.schema.json'"
        )


def test_committed_schemas_are_current() -> None:
    current = schemas()
    committed = {p.name: p.read_text() for p in (DATA / "schema").glob("*.json")}
    assert committed.keys() == current.keys()
    for name, text in current.items():
        assert committed[name] == text, f"data/schema/{name} is stale: run `cgtpaths data schema --write data/schema`"
        json.loads(text)


def test_audit_finds_no_stale_or_unsourced_record(cat: Catalogue) -> None:
    from cgtpaths.audit import audit

    result = audit(cat, dt.date(2026, 11, 25))
    groups = result.by_check()
    assert not groups.get("stale"), groups.get("stale")
    assert not groups.get("unreachable-background"), groups.get("unreachable-background")
    # every role has a way in: a programme, an earlier rung, or (for a registered profession such as
    # nursing) the profession itself, met through its background and the role's registration gate
    registered = {rid for rid, r in cat.roles.items() if any(g["kind"] == "registration" for g in r["gates"])}
    no_route = {f.id for f in groups.get("no-entry-route", [])} - registered
    assert not no_route, sorted(no_route)
