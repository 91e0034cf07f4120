"""The shipped programmes and funding rules keep the promises in data/README.md ("Sources", "Funding rules").

Each failure names the record and says how to fix it, so a curator can act on it without reading this file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from tests.conftest import DATA

from cgtpaths.load import load
from cgtpaths.provenance import is_official, refusal

Records = dict[str, list[dict[str, Any]]]
URL = re.compile(r"https?://[^\s'\"\]\),]+")
APPRENTICESHIPS = ("apprenticeship", "degree-apprenticeship")


@pytest.fixture(scope="module")
def data() -> Records:
    return load().data


def nation_of(region_id: str, regions: dict[str, dict[str, Any]]) -> str:
    region = regions[region_id]
    while region["kind"] == "region" and region.get("parent"):
        region = regions[region["parent"]]
    return str(region["id"])


def in_nation(data: Records, nation: str) -> list[str]:
    """Programmes whose regions name the nation or one of its regions ('uk' alone does not count)."""
    regions = {r["id"]: r for r in data["regions"]}
    return [p["id"] for p in data["programmes"] if any(nation_of(r, regions) == nation for r in p["regions"])]


# ---- who may start a programme ------------------------------------------------------------------------


def test_every_programme_says_who_may_start_it(data: Records) -> None:
    for prog in data["programmes"]:
        assert prog["access"], f"programme {prog['id']}: add access (open, employed, in-sector, nhs-staff, ...)"


def test_every_apprenticeship_needs_a_job(data: Records) -> None:
    for prog in data["programmes"]:
        if prog["kind"] not in APPRENTICESHIPS:
            continue
        # Scotland's Foundation Apprenticeships are taken by pupils at school, not in a job (SQA, SDS)
        if prog["access"] == ["school-pupil"]:
            continue
        assert "employed" in prog["access"], (
            f"programme {prog['id']}: an apprenticeship is a job with training; add 'employed' to its access "
            "(or, for a school-based Foundation Apprenticeship, set access to [school-pupil])"
        )


def test_assessments_teach_nothing(data: Records) -> None:
    for prog in data["programmes"]:
        if prog["kind"] == "assessment":
            assert not prog["teaches"], (
                f"programme {prog['id']}: an assessment awards evidence and teaches nothing; empty its teaches list "
                "and put the teaching on the course that prepares for it"
            )


# ---- funding -------------------------------------------------------------------------------------------


def test_programmes_yaml_has_no_percentages() -> None:
    lines = (DATA / "programmes.yaml").read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, 1) if "%" in line]
    assert not found, (
        f"data/programmes.yaml lines {found[:10]} contain '%': funding shares belong in data/funding.yaml (name the "
        "rule in funding_rules); give off-the-job time in hours or days; decode %2F in URLs to '/'"
    )


def test_every_funding_rule_is_dated_and_officially_sourced(data: Records) -> None:
    assert data["funding"], "data/funding.yaml has no rules"
    for rule in data["funding"]:
        rid = rule["id"]
        assert rule["effective_from"] or rule["notes"], (
            f"funding rule {rid}: give effective_from, or a note saying the official page gives no start date"
        )
        if rule["effective_from"] and rule["effective_to"]:
            assert rule["effective_to"] >= rule["effective_from"], (
                f"funding rule {rid}: effective_to is before effective_from"
            )
        for src in rule["sources"]:
            assert is_official(src["url"]), (
                f"funding rule {rid}: {src['url']} is not an official page; cite the government's own page "
                "(gov.uk, gov.scot, gov.wales, nidirect, Medr, SDS, Student Finance, NHS) or move it to a note"
            )


def test_every_named_funding_rule_exists(data: Records) -> None:
    rules = {r["id"] for r in data["funding"]}
    for prog in data["programmes"]:
        missing = sorted(set(prog["funding_rules"]) - rules)
        assert not missing, f"programme {prog['id']}: funding_rules {missing} are not in data/funding.yaml"


def test_england_apprenticeships_name_the_england_rules(data: Records) -> None:
    rules = {r["id"]: r for r in data["funding"]}
    england = set(in_nation(data, "england"))
    for prog in data["programmes"]:
        if prog["kind"] in APPRENTICESHIPS and prog["id"] in england:
            nations = {n for r in prog["funding_rules"] for n in rules[r]["nations"]}
            assert "england" in nations, (
                f"programme {prog['id']}: an apprenticeship in England must name the England apprenticeship "
                "funding rules in funding_rules"
            )


# ---- sources -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["programmes.yaml", "funding.yaml"])
def test_no_refused_host_is_cited(name: str) -> None:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        for url in URL.findall(line):
            why = refusal(url)
            assert why is None, (
                f"data/{name}:{n}: {url} is {why}; cite the official or provider page instead, or drop the fact "
                "(or tag it inferred with a note) if no acceptable page supports it"
            )


def test_only_official_hosts_are_marked_official(data: Records) -> None:
    for kind in ("programmes", "funding"):
        for rec in data[kind]:
            for src in rec["sources"]:
                if src["kind"] == "official":
                    assert is_official(src["url"]), (
                        f"{kind} {rec['id']}: {src['url']} is marked official but its host is not on the official "
                        "list in src/cgtpaths/provenance.py; mark it provider or secondary"
                    )


def test_a_verified_programme_rests_on_a_page_that_was_read(data: Records) -> None:
    for prog in data["programmes"]:
        if prog["confidence"] != "verified":
            continue
        read = [s for s in prog["sources"] if not s.get("via") and s["kind"] in ("official", "provider")]
        assert read, (
            f"programme {prog['id']}: confidence verified, but every source was taken from another record "
            "(via) or is secondary; re-read an official or provider page, or set confidence to secondary"
        )
        assert dt.date.fromisoformat(prog["verified"]) >= max(dt.date.fromisoformat(s["seen"]) for s in read), (
            f"programme {prog['id']}: verified date is before a source was read; set verified to the check's date"
        )


# ---- coverage (issue 13) -------------------------------------------------------------------------------


@pytest.mark.parametrize(("nation", "at_least"), [("wales", 5), ("northern-ireland", 3), ("scotland", 10)])
def test_each_nation_has_its_programmes(data: Records, nation: str, at_least: int) -> None:
    found = in_nation(data, nation)
    assert len(found) >= at_least, f"{nation} has {len(found)} programmes ({found}); the dataset promises {at_least}"


def test_the_dataset_has_a_hundred_programmes(data: Records) -> None:
    assert len(data["programmes"]) >= 100, f"{len(data['programmes'])} programmes; the dataset promises 100"
