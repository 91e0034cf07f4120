"""The names people type (issue 17): titles, aliases, towns and qualification words are taken where
an id is expected, through the real CLI on the real data."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import run

from cgtpaths import names
from cgtpaths.load import open_catalogue

SHIPPED = open_catalogue()[0]  # the shipped data (other tests point the CLI's state elsewhere)


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        ("roles", "QC analyst", "qc-analyst"),
        ("roles", "quality control (qc) analyst", "qc-analyst"),
        ("roles", "Qualified Person", "qualified-person"),
        ("regions", "Scotland", "scotland"),
        ("regions", "North East", "north-east"),
        ("regions", "north-east", "north-east"),
        ("regions", "Yorkshire and The Humber", "yorkshire-and-the-humber"),
        # towns and cities (places.txt: ONS district-to-region lookup; Scotland's council areas)
        ("regions", "Newcastle upon Tyne", "north-east"),
        ("regions", "Newcastle", "north-east"),
        ("regions", "Aberdeen", "scotland"),
        ("regions", "Cardiff", "wales"),
        ("regions", "Stevenage", "east-of-england"),
        ("regions", "Bristol", "south-west"),
        ("regions", "hull", "yorkshire-and-the-humber"),
        ("backgrounds", "Oil and gas process operator", "oil-and-gas-process-operator"),
    ],
)
def test_names_people_type_are_taken_for_ids(kind: str, typed: str, expected: str) -> None:
    assert names.resolve(SHIPPED, kind, typed) == expected


def test_the_places_table_is_big_enough_and_every_region_is_real() -> None:
    table = names.places()
    distinct = {p.name for p in table.values()}
    assert len(distinct) >= 300
    assert {p.region for p in table.values()} <= set(SHIPPED.regions)
    # England and Wales come from the ONS lookup; only Scotland and Northern Ireland are inferred
    assert {p.region for p in table.values() if p.inferred} == {"scotland", "northern-ireland"}


@given(st.sampled_from(sorted(SHIPPED.roles)), st.sampled_from([str.upper, str.title, str.lower]))
def test_every_role_title_is_taken_in_any_case(role: str, case: object) -> None:
    title = SHIPPED.roles[role]["title"]
    assert names.resolve(SHIPPED, "roles", case(title)) == role  # type: ignore[operator]


@pytest.mark.parametrize(
    ("typed", "level"),
    # RQF levels as gov.uk's "What qualification levels mean" lists them
    [
        *[("BSc", 6), ("degree", 6), ("a degree", 6), ("HND", 5), ("HNC", 4), ("A level", 3), ("A-levels", 3)],
        *[("GCSE", 2), ("GCSEs", 2), ("MSc", 7), ("PhD", 8), ("T Level", 3), ("3", 3), ("a BSc in biology", 6)],
    ],
)
def test_qualification_words(typed: str, level: int) -> None:
    assert names.qualification_level(typed) == level


def test_words_that_name_nothing_get_the_closest_backgrounds() -> None:
    result = run("match", "--from", "offshore")
    assert result.code == 1
    assert "oil-and-gas-process-operator" in result.err and "Did you mean" in result.err
    assert "Traceback" not in result.err


def test_the_cli_takes_titles_and_towns() -> None:
    result = run(
        "pathway", "--from", "School leaver with GCSEs", "--to", "QC analyst", "--region", "Newcastle", "--json"
    )
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["to"] == "qc-analyst"
    match = run("match", "--from", "oil and gas process operator", "--region", "Aberdeen", "--json", "--top", "1")
    assert match.code == 0, match.err
    assert json.loads(match.out)["profile"]["region"] == "scotland"
    assert run("roles", "QC analyst", "--json").code == 0
    assert run("feeders", "Qualified Person").code == 0
