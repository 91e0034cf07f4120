"""Reading a CV: qualifications as RQF levels, negation, registrations, and an unknown level kept unknown.

Expected levels come from qualifications.yaml, whose records cite gov.uk's and nidirect's "what
qualification levels mean" pages (a bachelor's degree is level 6, an HNC level 4, an NVQ or SVQ
level 3 is level 3, a PhD level 8).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cgtpaths import cvread
from cgtpaths.catalogue import Catalogue
from cgtpaths.load import load

CAT = Catalogue(load().data, {})


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("BSc (Hons) Biomedical Science, 2021", 6),
        ("Graduated with a 2:1 degree in chemistry", 6),
        ("HNC Applied Sciences from Fife College", 4),
        ("HND in Chemical Engineering", 5),
        ("SVQ Level 3 in Process Manufacturing", 3),
        ("NVQ 2 in food manufacture", 2),
        ("A levels in biology and chemistry", 3),
        ("T Level in Science", 3),
        ("Highers in Biology and Chemistry", 3),
        ("MSc Bioprocessing", 7),
        ("PhD in stem cell biology", 8),
        ("Foundation degree (FdSc) in applied bioscience", 5),
        ("I completed a level 3 engineering apprenticeship", 3),
        ("GCSEs in maths, English and science", 2),
    ],
)
def test_a_qualification_in_a_cv_sets_the_level(text: str, level: int) -> None:
    assert cvread.read(CAT, text).level == level


def test_the_highest_qualification_wins_and_a_foundation_degree_is_not_a_degree() -> None:
    reading = cvread.read(CAT, "HNC, then a foundation degree; A levels before that.")
    assert reading.level == 5
    assert {q.id for q in reading.qualifications} == {"hnc", "foundation-degree", "a-level"}


@pytest.mark.parametrize(
    "text",
    [
        "Maintenance technician on a batch plant",  # 'MA' and 'BA' inside words
        "Ten years in the armed forces, a higher rank each posting",  # 'higher' is not a Scottish Higher
        "Working towards a BSc in biology",  # not yet held
        "No A levels; left school at 16",
        "",
    ],
)
def test_words_that_only_look_like_qualifications_leave_the_level_unknown(text: str) -> None:
    assert cvread.read(CAT, text).level is None


def test_negation_and_a_little_are_read_from_the_same_clause() -> None:
    reading = cvread.read(CAT, "I have no experience of GMP. Some exposure to aseptic technique. Permit to work daily.")
    lacking = {s.skill for s in reading.lacking}
    levels = {s.skill: s.level for s in reading.skills}
    assert "gmp" in lacking and "gmp" not in levels
    assert levels["aseptic-technique"] == 1
    assert levels["permit-to-work"] == 2


def test_a_negation_in_an_earlier_sentence_does_not_carry_over() -> None:
    reading = cvread.read(CAT, "No driving licence. Ran HAZOP studies for the plant.")
    assert "process-safety" in {s.skill for s in reading.skills}


def test_registrations_are_evidence_for_gates() -> None:
    reading = cvread.read(CAT, "HCPC registered biomedical scientist; GPhC registration pending? no.")
    assert "hcpc-registration" in reading.evidence


@given(st.text(alphabet=st.sampled_from("abcdefghij klmnopqrst .;,\n"), max_size=200))
@settings(max_examples=200)
def test_text_with_no_qualification_words_never_gets_a_level(text: str) -> None:
    """Lower-case letters that spell no qualification: the level stays unknown, never 0."""
    reading = cvread.read(CAT, text)
    if not reading.qualifications:
        assert reading.level is None


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cgtpaths", *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_a_cv_with_a_bsc_reads_as_level_6_and_one_with_nothing_as_unknown(tmp_path: Path) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_text("BSc Biology. Cell counting and aseptic technique in a university lab.\n", encoding="utf-8")
    body = json.loads(run("match", "--text", str(cv), "--json", "--top", "3").stdout)
    assert body["profile"]["level"] == 6
    assert body["text_reading"]["qualifications"][0]["rqf"] == 6
    cv.write_text("Cell counting and aseptic technique.\n", encoding="utf-8")
    done = run("match", "--text", str(cv), "--json", "--top", "3")
    body = json.loads(done.stdout)
    assert body["profile"]["level"] is None
    # an unknown level closes nothing: the reasons say what a programme needs instead
    for match in body["matches"]:
        assert not match["direct"] or CAT.roles[match["role"]]["entry_level"] <= 1


def test_hnc_reads_as_level_4_on_the_command_line(tmp_path: Path) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_text("HNC in Applied Sciences. Environmental monitoring and microbiology testing.\n", encoding="utf-8")
    body = json.loads(run("match", "--text", str(cv), "--json", "--top", "1").stdout)
    assert body["profile"]["level"] == 4


def test_a_qualification_being_studied_for_is_not_held_yet() -> None:
    """A Scottish S5 pupil: National 5s held (SCQF 5, broadly RQF 2), Highers still being studied."""
    text = "National 5: Maths (A), Biology (A).\nCurrently studying Highers in Biology and Chemistry."
    assert cvread.read(CAT, text).level == 2
