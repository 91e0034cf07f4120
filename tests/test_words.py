"""Words for people (issue 17): plain phrases for bands and skill levels, acronyms spelled out,
grammar that agrees, and a reading age of 12 or under for explore's questions and the printed
summaries' fixed wording, measured with textstat."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import textstat
from tests.conftest import run

from cgtpaths import explore, guide, summary
from cgtpaths.render import plain

READING_AGE = 12
# Flesch-Kincaid gives a US school grade; a grade's pupils are about 5 years older (grade 7: age 12)
GRADE_TO_AGE = 5


@pytest.fixture(autouse=True)
def offline_syllables(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat 0.7.13 downloads NLTK's CMU dictionary when it first counts English syllables; the
    tool and its tests stay offline, so syllables come from pyphen's hyphenation dictionary (which
    textstat ships with and falls back to for words the CMU dictionary lacks)."""
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    _count_syllables.count_syllables.cache_clear() if hasattr(_count_syllables.count_syllables, "cache_clear") else None


def reading_age(phrases: list[str]) -> float:
    text = " ".join(p.rstrip(".?:") + "." for p in phrases if p.strip())
    grade: float = textstat.flesch_kincaid_grade(text)
    return grade + GRADE_TO_AGE


def explore_questions() -> list[str]:
    """Every heading and hint explore shows, read from its source: the literal strings passed to
    heading() and hang(), and the situation and interest choices."""
    tree = ast.parse(Path(explore.__file__).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("heading", "hang"):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append(arg.value)
    found += [label for _, label in guide.SITUATIONS] + [i.label for i in guide.INTERESTS]
    return found


def summary_fixed_text() -> list[str]:
    """The wording every printed summary carries whatever the data: headings, column names, the
    band phrases, skill-level words, the RQF example and the key."""
    result = run("pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--format", "md")
    assert result.code == 0, result.err
    headings = re.findall(r"^#+ (.*)$", result.out, flags=re.M)[1:]
    columns = [c.strip() for line in re.findall(r"^\|(.*)\|$", result.out, flags=re.M)[:1] for c in line.split("|")]
    return [
        *headings,
        *columns,
        *plain.BAND_PHRASES.values(),
        *plain.HAVE_WORDS.values(),
        *plain.NEED_WORDS.values(),
        plain.RQF_EXPLAINED,
        summary.KEY.removeprefix("(inferred): "),
        "This is where you start",
        "Skills you already have",
        "For the steps there, ask for the pathway summary for this role",
    ]


def test_explore_questions_have_a_reading_age_of_12_or_under() -> None:
    questions = explore_questions()
    assert len(questions) > 15, "the questions were found"
    assert reading_age(questions) <= READING_AGE, questions


def test_the_summaries_fixed_text_has_a_reading_age_of_12_or_under() -> None:
    assert reading_age(summary_fixed_text()) <= READING_AGE


def test_bands_and_levels_are_words_and_the_number_only_in_explain_and_json() -> None:
    shown = run("match", "--from", "oil-and-gas-process-operator", "--top", "3")
    assert shown.code == 0, shown.err
    assert not re.search(r"\b0\.\d\d\b", shown.out) and "Fit " not in shown.out
    assert any(phrase.capitalize() in shown.out for phrase in plain.BAND_PHRASES.values())
    explained = run("match", "--from", "oil-and-gas-process-operator", "--top", "3", "--explain")
    assert re.search(r"score 0\.\d\d", explained.out)
    page = run(
        "pathway", "--from", "oil-and-gas-process-operator", "--to", "manufacturing-technician", "--format", "md"
    )
    assert "%" not in page.out and "practised" not in page.out and " aware" not in page.out
    assert "you'll need to do this confidently" in page.out


def test_acronyms_are_spelled_out_on_first_use() -> None:
    page = run(
        "pathway", "--from", "oil-and-gas-process-operator", "--to", "manufacturing-technician", "--format", "md"
    )
    body = page.out.split("\n", 1)[1]  # after the title, which is the role's own name
    for short, meaning in (("COSHH", "Control of Substances Hazardous to Health"), ("SOPs", "standard operating")):
        first = body.index(short)
        assert meaning in body[first : first + 80], short


def test_a_student_gets_the_route_not_a_verdict() -> None:
    page = run("pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--format", "md").out
    assert "This is where you start" in page
    assert "not a fit" not in page and "a longer route" not in page


def test_a_skill_partly_carried_over_says_the_rest_is_to_learn() -> None:
    page = run("pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--format", "md").out
    assert "Attention to detail (partly: more to learn below)" in page


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "1 of the 14 skills it needs carries over"), (3, "3 of the 14 skills it needs carry over")]
)
def test_the_verb_agrees_with_the_number(n: int, expected: str) -> None:
    assert summary.carried_over(None, [object()] * n, 14) == expected  # type: ignore[arg-type]


# ---- screens that fit ------------------------------------------------------------------------------

SCREEN_LINES = 48  # two 80x24 terminal screens


def test_the_default_match_fits_two_screens_for_every_background(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("COLUMNS", "80")
    backgrounds = [b["id"] for b in json.loads(run("backgrounds", "--json").out)["backgrounds"]]
    for bg in backgrounds:
        shown = run("match", "--from", bg)
        assert shown.code == 0, shown.err
        lines = shown.out.splitlines()
        assert len(lines) <= SCREEN_LINES, f"{bg}: {len(lines)} lines"
        assert sum(bool(re.match(r"\d+\. ", line)) for line in lines) == 5, "the top 5"
        # programme names, not ids: no id of a course appears on screen
        full = run("match", "--from", bg, "--full")
        assert len(full.out.splitlines()) > len(lines)
        ids = [p["id"] for p in json.loads(run("programmes", "--json").out)["programmes"]]
        assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", full.out)], bg


def test_the_pathway_on_screen_says_where_and_who_pays() -> None:
    shown = run("pathway", "--from", "oil-and-gas-process-operator", "--to", "manufacturing-technician").out
    trains = shown.count("Train: ")
    assert trains and shown.count("   where: ") == trains and shown.count("; who pays: ") == trains
