"""The curator's check against the official register (data check-standards), and who pays from the
dated funding rules (funding.py), on the real CLI and data."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cgtpaths import funding
from cgtpaths.catalogue import Catalogue
from cgtpaths.load import load

CAT = Catalogue(load().data, {})
STATUS_WORDS = {
    "open": "Approved for delivery",
    "in-revision": "In revision",
    "proposed-retirement": "Proposed for retirement",
    "closed": "Retired",
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cgtpaths", *args], capture_output=True, text=True, timeout=120)


def register_as_shipped() -> list[dict[str, Any]]:
    """The register file a curator would download if it agreed with every shipped standard."""
    out = []
    for programme in CAT.programmes.values():
        if not programme.get("standard"):
            continue
        bands = {f["max_gbp"] for f in programme["funding"] if f.get("max_gbp") is not None}
        out.append(
            {
                "referenceNumber": programme["standard"],
                "title": programme["title"],
                "level": programme["level"],
                "version": programme.get("standard_version") or "1.0",
                "status": STATUS_WORDS.get(programme["status"], programme["status"]),
                "typicalDuration": programme["duration_months"],
                "maxFunding": min(bands) if len(bands) == 1 else None,
            }
        )
    return out


def test_a_register_that_agrees_reports_nothing_and_exits_0(tmp_path: Path) -> None:
    entries = register_as_shipped()
    path = tmp_path / "standards.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    done = run("data", "check-standards", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("0 differences")


def test_an_altered_register_names_each_difference_and_the_missing_codes(tmp_path: Path) -> None:
    entries = register_as_shipped()
    st1406 = next(e for e in entries if e["referenceNumber"] == "ST1406")
    st1406.update(level=4, status="Proposed for retirement", typicalDuration=30, maxFunding=25000)
    dropped = entries.pop(next(i for i, e in enumerate(entries) if e["referenceNumber"] == "ST0248"))
    path = tmp_path / "standards.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    done = run("data", "check-standards", str(path), "--json")
    assert done.returncode == 1
    body = json.loads(done.stdout)
    fields = {(d["standard"], d["field"]) for d in body["differences"]}
    assert {
        ("ST1406", "level"),
        ("ST1406", "status"),
        ("ST1406", "duration_months"),
        ("ST1406", "funding band"),
    } <= fields
    assert dropped["referenceNumber"] in {m["standard"] for m in body["missing"]}


def test_a_broken_register_file_gets_one_clear_message(tmp_path: Path) -> None:
    for content, says in (("[{", "not valid JSON"), ('{"a": 1}', "expected a JSON array"), ("[{}]", "referenceNumber")):
        path = tmp_path / "bad.json"
        path.write_text(content, encoding="utf-8")
        done = run("data", "check-standards", str(path))
        assert done.returncode == 1, done.stderr
        assert says in done.stderr and "Traceback" not in done.stderr
        assert str(path) in done.stderr


TODAY = dt.date(2026, 12, 4)


def test_who_pays_for_a_17_year_old_apprentice_in_england_depends_on_the_employer() -> None:
    """Source: the 2024 apprenticeship funding policy (gov.uk), full funding for 16-21s at employers
    who do not pay the levy; the levy rule for levy payers."""
    st1406 = CAT.programmes["st1406-science-manufacturing-technician"]
    who = funding.who_pays(CAT, st1406, on=TODAY, age=17, nation="england")
    depends = {v.rule["id"] for v in who.with_status("depends-on-employer")}
    assert "england-non-levy-16-21-full-funding-2024" in depends
    not_for = {v.rule["id"] for v in who.with_status("not-for-you")}
    assert "england-co-investment-5-percent-2024" in not_for  # for ages 22 and over
    known = funding.who_pays(CAT, st1406, on=TODAY, age=17, nation="england", employer="non-levy")
    assert "england-non-levy-16-21-full-funding-2024" in {v.rule["id"] for v in known.with_status("applies")}


def test_a_rule_past_its_end_is_never_applied_and_the_audit_lists_it() -> None:
    past, _ = funding.ending(CAT, TODAY)
    assert past and all(dt.date.fromisoformat(r["effective_to"]) < TODAY for r in past)
    for programme in CAT.programmes.values():
        for verdict in funding.who_pays(CAT, programme, on=TODAY).verdicts:
            if verdict.rule in past:
                assert verdict.status == "not-in-force"


@given(
    st.sampled_from(sorted(CAT.programmes)),
    st.one_of(st.none(), st.integers(14, 80)),
    st.one_of(st.none(), st.sampled_from(funding.NATIONS)),
    st.one_of(st.none(), st.sampled_from(funding.EMPLOYERS)),
    st.dates(dt.date(2023, 1, 1), dt.date(2028, 12, 31)),
)
@settings(max_examples=200)
def test_a_rule_applies_only_in_force_in_its_nation_and_ages(
    pid: str, age: int | None, nation: str | None, employer: str | None, on: dt.date
) -> None:
    for v in funding.who_pays(CAT, CAT.programmes[pid], on=on, age=age, nation=nation, employer=employer).verdicts:
        if v.status == "applies":
            assert funding.in_force(v.rule, on)
            assert nation is None or nation in v.rule["nations"]
            if age is not None:
                assert v.rule["age_min"] is None or age >= v.rule["age_min"]
                assert v.rule["age_max"] is None or age <= v.rule["age_max"]
            assert v.rule["employer"] == "any" or employer is not None


def test_the_programme_page_says_who_pays_from_the_rules() -> None:
    done = run("programmes", "st1406-science-manufacturing-technician", "--age", "17", "--region", "north-east")
    assert done.returncode == 0, done.stderr
    assert "Depends on the employer" in done.stdout and "Ask the employer" in done.stdout
    body = json.loads(run("programmes", "st1406-science-manufacturing-technician", "--json").stdout)
    assert {r["status"] for r in body["who_pays"]["rules"]} >= {"applies"}


def test_the_audit_shows_each_file_by_confidence_class_and_age() -> None:
    body = json.loads(run("data", "audit", "--json").stdout)
    programmes = body["files"]["programmes.yaml"]
    assert programmes["records"] == len(CAT.programmes)
    assert set(programmes["sources_by_class"]) <= {"official", "provider", "secondary"}
    assert sum(programmes["months_since_checked"].values()) == len(CAT.programmes)
    checks = {f["check"] for f in body["findings"]}
    assert "funding-ended" in checks
