"""`cgtpaths explore` as a person uses it: the installed command in a real pseudo-terminal (pexpect),
the same run given as flags, the question logic on its own, and snapshots of the main screens.

Snapshots live in tests/snapshots/ as plain text, taken at 80 columns with NO_COLOR=1. After a
deliberate change to the screens or the data, regenerate them with:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_explore.py
and read the diff before committing.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import get_args

import pexpect
import pytest
from rich.console import Console
from tests.conftest import MINI, ROOT, run

from cgtpaths import explore, guide
from cgtpaths.catalogue import Catalogue
from cgtpaths.guide import Answers
from cgtpaths.load import open_catalogue
from cgtpaths.render.plain import safe

SNAPSHOTS = ROOT / "tests" / "snapshots"
CGTPATHS = str(Path(sys.executable).parent / "cgtpaths")  # the installed console script
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
OFFSHORE = "I work offshore on an oil platform"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return open_catalogue()[0]


def screen_text(raw: str) -> str:
    """What a person reads: escape codes (bold) gone, line ends normalised, no trailing spaces."""
    text = ANSI.sub("", raw).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 to create it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        import difflib

        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "expected", "now"))
        pytest.fail(f"{path.name} differs (UPDATE_SNAPSHOTS=1 regenerates it):\n{diff}")


# ---- in a real terminal -------------------------------------------------------------------------


class Terminal:
    """The installed `cgtpaths explore` in a pseudo-terminal of 80 columns, colour off."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS")}
        base.update({"COLUMNS": "80", "LINES": "50", "TERM": "xterm", "NO_COLOR": "1"})
        base.update(env or {})
        self.child = pexpect.spawn(
            CGTPATHS, ["explore", *args], env=base, dimensions=(50, 80), encoding="utf-8", timeout=30
        )
        self.seen: list[str] = []

    def answer(self, prompt: str, reply: str) -> str:
        """Wait for a prompt (a regular expression), type a reply; returns the screen since the last one."""
        self.child.expect(prompt)
        shown = self.child.before + self.child.after
        self.seen.append(shown)
        self.child.sendline(reply)
        return screen_text(shown)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.seen.append(self.child.before)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else 128 + self.child.signalstatus)

    @property
    def transcript(self) -> str:
        return screen_text("".join(self.seen))


def offshore_session() -> Terminal:
    """A person who works offshore and has never heard of the ids: words in, pathway out."""
    term = Terminal()
    term.answer(r"Type a number: ", "5")  # working
    term.answer(r"Your answer: ", OFFSHORE)
    term.answer(r"Your answer \[1\]: ", "")  # the top match
    term.answer(r"Your answer \[3\]: ", "")  # the level the background implies
    term.answer(r"Type a number or a place \[1\]: ", "")  # anywhere
    term.answer(r"Type numbers \(e\.g\. 1 3\) \[any\]: ", "1")  # making things
    term.answer(r"type its number, m for more \[1\]: ", "")  # the best fit
    term.answer(r"Press Enter to finish, or b for the list of roles: ", "")
    assert term.finish() == 0
    return term


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_from_words_to_a_pathway_in_a_terminal_and_the_same_with_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    term = offshore_session()
    seen = term.transcript
    assert "Closest matches for 'I work offshore on an oil platform':" in seen
    assert "   1. Oil and gas process operator (offshore or onshore)" in seen
    assert "Roles that fit you best in making things" in seen
    top = re.search(r"^1\. (.*)$", seen, flags=re.M)
    assert top is not None
    from cgtpaths import names
    from cgtpaths.load import open_catalogue

    role = names.resolve(open_catalogue()[0], "roles", top.group(1).strip())  # names on screen, not ids
    assert f"Pathway to {explore_title(role)}" in seen
    assert "Steps\n1. " in seen
    assert "cgtpaths explore --from oil-and-gas-process-operator --interest making --role " + role in seen
    assert_snapshot("explore-offshore", seen)

    # the same answers as flags, without a terminal: the same roles, the same steps
    monkeypatch.setenv("COLUMNS", "80")
    listed = run("explore", "--from", "oil-and-gas-process-operator", "--interest", "making")
    assert listed.code == 0, listed.err
    roles_block = section(seen, "Roles that fit you best", "\nOpen a role")
    assert roles_block.strip() in screen_text(listed.out)
    assert_snapshot("explore-flags-roles", screen_text(listed.out))
    opened = run("explore", "--from", "oil-and-gas-process-operator", "--interest", "making", "--role", role)
    assert opened.code == 0, opened.err
    pathway_block = section(seen, "Pathway to", "\nTo print or save")
    assert pathway_block.strip() in screen_text(opened.out)


def explore_title(role: str) -> str:
    return open_catalogue()[0].roles[role]["title"]


def test_going_back_returns_to_the_previous_question() -> None:
    term = Terminal()
    term.answer(r"Type a number: ", "5")
    term.answer(r"Your answer: ", "b")  # back to "where are you now?"
    screen = term.answer(r"Type a number \[5\]: ", "2")  # remembers "working"; now "leaving school"
    assert "What are you doing at the moment?" in screen
    screen = term.answer(r"Your answer \[1\]: ", "")  # one background for school: it is the default
    assert "School leaver with GCSEs (or National 5s)" in screen
    screen = term.answer(r"Your answer \[2\]: ", "back")  # from the qualification back to the background
    assert "What is your highest qualification?" in screen
    assert "GCSE (grades 9-4)" in screen and "(RQF 2, SCQF 5)" in screen
    screen = term.answer(r"Your answer \[1\]: ", "")
    assert "Which is closest to what you do now?" in screen
    term.answer(r"Your answer \[2\]: ", "")
    term.answer(r"Type a number or a place \[1\]: ", "north east")
    term.answer(r"\[any\]: ", "2")
    screen = term.answer(r"type its number, m for more \[1\]: ", "q")
    assert "Roles that fit you best in testing" in screen
    assert term.finish() == 0


def test_picking_skills_instead_of_a_background() -> None:
    term = Terminal()
    term.answer(r"Type a number: ", "5")
    term.answer(r"Your answer: ", "s")
    screen = term.answer(r"Skills: ", "GMP and HAZOP, pipeting")
    assert "Which skills do you have?" in screen
    screen = term.answer(r"Skills: ", "")
    assert "Added: Good Manufacturing Practice (GMP/cGMP) [gmp], Process safety and hazard\n  studies" in screen
    assert "No skill called 'pipeting'. Did you mean: basic-laboratory-practice" in screen
    screen = term.answer(r"Your answer \[3\]: ", "HND")  # the usual level for people in work
    assert "typical for people where you are now" in screen
    screen = term.answer(r"Type a number or a place \[1\]: ", "")
    assert "Taken as level 5" in screen
    term.answer(r"\[any\]: ", "")
    screen = term.answer(r"type its number, m for more \[1\]: ", "m")
    assert "Roles that fit you best\n" in screen
    screen = term.answer(r"type its number(, m for more)? \[1\]: ", "1")
    assert "\n6. " in screen  # the next five
    screen = term.answer(r"Press Enter to finish, or b for the list of roles: ", "")
    assert "--skill gmp --skill process-safety --level 5 --role" in screen
    assert term.finish() == 0


def test_ctrl_c_at_a_question_exits_130_without_a_traceback() -> None:
    term = Terminal()
    term.answer(r"Type a number: ", "5")
    term.child.expect(r"Your answer: ")
    term.child.sendintr()
    term.child.expect(pexpect.EOF)
    rest = term.child.before
    term.child.close()
    assert term.child.exitstatus == 130
    assert "Traceback" not in rest and "Error" not in rest


def test_end_of_input_at_a_question_is_an_interruption_not_a_crash() -> None:
    term = Terminal()
    term.child.expect(r"Type a number: ")
    term.child.sendeof()
    term.child.expect(pexpect.EOF)
    rest = term.child.before
    term.child.close()
    assert term.child.exitstatus == 130
    assert "Traceback" not in rest


def test_no_colour_with_no_color_and_words_carry_the_meaning() -> None:
    term = Terminal("--from", "oil-and-gas-process-operator")
    term.answer(r"type its number, m for more \[1\]: ", "q")
    assert term.finish() == 0
    raw = "".join(term.seen)
    colours = [c for c in re.findall(r"\x1b\[([0-9;]*)m", raw) if set(c.split(";")) - {"", "0", "1", "22"}]
    assert colours == []
    coloured = Terminal("--from", "oil-and-gas-process-operator", env={"NO_COLOR": ""})
    coloured.answer(r"\[1\]: ", "1")
    coloured.answer(r"Press Enter to finish", "")
    assert coloured.finish() == 0
    assert "\x1b[1m" in "".join(coloured.seen)  # a terminal gets bold headings


# ---- without a terminal -------------------------------------------------------------------------


def test_without_a_terminal_and_no_profile_it_names_the_flags_and_exits_2() -> None:
    result = run("explore")
    assert result.code == 2
    assert "--from" in result.err and "--skill" in result.err and "cgtpaths explore --from" in result.err
    assert result.out == "" and "Traceback" not in result.err
    piped = run("explore", "--region", "scotland", "--interest", "data")  # answers, but no one to match
    assert piped.code == 2


def test_from_alone_is_enough_and_flags_are_checked() -> None:
    result = run("explore", "--from", "school-leaver-gcse")
    assert result.code == 0 and result.err == ""
    assert "Roles that fit you best" in result.out
    assert "cgtpaths explore --from school-leaver-gcse --role ROLE" in result.out
    bad = run("explore", "--from", "oil-and-gas-process-operator", "--interest", "tesing")
    assert bad.code == 2 and "Did you mean: testing" in bad.err
    bad = run("explore", "--from", "oil-and-gas-process-operator", "--role", "qc-analist")
    assert bad.code == 1 and "Did you mean: qc-analyst" in bad.err
    bad = run("explore", "--skill", "gmpp")
    assert bad.code == 1 and "Did you mean: gmp" in bad.err


def test_a_printable_summary_is_offered_with_the_exact_command(tmp_path: Path) -> None:
    result = run("explore", "--from", "school-leaver-gcse", "--region", "north-east", "--role", "qc-analyst")
    assert result.code == 0, result.err
    assert "To print or save this pathway" in result.out
    command = re.search(r"^  (cgtpaths pathway .*)$", result.out, flags=re.M)
    assert command is not None
    args = command.group(1).split()[1:]
    assert args[:7] == ["pathway", "--from", "school-leaver-gcse", "--region", "north-east", "--to", "qc-analyst"]
    if "--format" in args:  # only offered when `pathway` can write a page
        out = tmp_path / "summary.html"
        args[args.index("-o") + 1] = str(out)
        assert run(*args).code == 0
        assert "analyst" in out.read_text(encoding="utf-8")


def test_data_strings_are_shown_literally(tmp_path: Path) -> None:
    overlay = tmp_path / "o"
    overlay.mkdir()
    (overlay / "backgrounds.yaml").write_text(
        "backgrounds:\n  - id: operator\n"
        '    title: "[bold]x[/] :smile: <script> \\e[31mred \\a"\n'
        "    sector: Oil and gas\n    situation: working\n    typical_level: 3\n"
        "    skills: [{skill: permit-to-work, level: 3}]\n    confidence: inferred\n"
        "    sources: [{url: 'https://example.org/o', title: T, seen: 2026-11-01}]\n    verified: 2026-11-01\n"
    )
    result = run(
        "--data-dir", str(MINI), "--overlay", str(overlay), "explore", "--from", "operator", "--role", "technician"
    )
    assert result.code == 0, result.err
    assert "[bold]x[/] :smile: <script> \\x1b[31mred \\x07" in result.out
    assert "\x1b" not in result.out and "\x07" not in result.out


# ---- terminal output of every list, at any width --------------------------------------------------


@pytest.mark.parametrize("width", [80, 100, 160])
def test_lists_fit_the_width_and_never_split_an_id(width: int, monkeypatch: pytest.MonkeyPatch, cat: Catalogue) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for args, ids in (
        (["roles"], cat.roles),
        (["programmes"], cat.programmes),
        (["backgrounds"], cat.backgrounds),
        (["skills"], cat.skills),
        (["regions"], cat.regions),
        (["feeders", "qc-analyst"], cat.backgrounds),
        (["search", "technician"], ["laboratory-technician", "st0248-laboratory-technician"]),
    ):
        result = run(*args)
        assert result.code == 0, result.err
        lines = result.out.splitlines()
        assert max(len(line) for line in lines) <= width, args
        words = {word for line in lines for word in line.split()}
        assert [i for i in ids if i not in words] == [], f"`cgtpaths {' '.join(args)}` split or lost ids at {width}"


def test_long_lines_keep_their_indent_when_they_wrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("match", "--from", "oil-and-gas-process-operator", "--top", "3").out
    body = [line for line in out.splitlines() if line and not re.match(r"\d+\. ", line)]
    assert body and all(line.startswith("   ") for line in body)  # nothing falls back to column 0
    assert all(line == line.rstrip() for line in out.splitlines())


# ---- the flow, driven by a list of answers ------------------------------------------------------


def drive(cat: Catalogue, replies: list[str], answers: Answers | None = None) -> tuple[Answers, str]:
    out = Console(file=io.StringIO(), width=80, color_system=None, highlight=False, emoji=False, markup=False)
    feed = iter(replies)

    def ask(prompt: str) -> str:
        out.print(prompt, end="")
        reply = next(feed, None)
        assert reply is not None, f"the flow asked for more than was scripted: {prompt!r}"
        out.print(safe(reply))  # the terminal's echo, not explore's output
        return reply

    session = explore.Session(
        cat, answers or Answers(), ask, out.print, lambda c: out.print("  " + c), interactive=True
    )
    explore.drive(session)
    assert next(feed, None) is None, "not every scripted answer was asked for"
    assert isinstance(out.file, io.StringIO)
    return session.answers, out.file.getvalue()


def test_back_at_the_first_question_stays_there_and_bad_answers_are_asked_again(cat: Catalogue) -> None:
    answers, shown = drive(cat, ["b", "9", "two", "q"])
    assert "There is nothing before this to go back to; type q to quit." in shown
    assert shown.count("Type one number from 1 to 6.") == 2
    assert answers.situation is None


def test_what_someone_types_is_echoed_without_control_characters(cat: Catalogue) -> None:
    _, shown = drive(cat, ["5", "\x1b[2J oil\x07", "q"])
    assert "Closest matches for '\\x1b[2J oil\\x07':" in shown
    assert "\x1b" not in shown and "\x07" not in shown


def test_going_back_to_the_background_resets_the_level_it_implied(cat: Catalogue) -> None:
    script = ["5", "oil", "2", "b", "brewer", "1", "", "", "", "q"]
    answers, shown = drive(cat, script)
    assert answers.backgrounds == ["brewing-and-distilling"]
    assert answers.level == 3 and answers.region is None and answers.interests == []
    assert "Closest matches for 'brewer':" in shown


def test_a_profile_given_as_flags_asks_nothing_but_which_role(cat: Catalogue) -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    answers = Answers(backgrounds=["life-sciences-graduate"])
    replies = iter(["2", ""])
    session = explore.Session(
        cat, answers, lambda p: next(replies), console.print, console.print, True, frozenset({"profile"})
    )
    explore.drive(session)
    assert "What are you doing at the moment?" not in out.getvalue()
    assert answers.role is not None
    assert f"Pathway to {cat.roles[answers.role]['title']}" in out.getvalue()


def test_a_role_with_no_plannable_pathway_says_why_and_returns_to_the_list(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cgtpaths import plan
    from cgtpaths.errors import CgtpathsError

    def no_way(*_: object) -> None:
        raise CgtpathsError("no pathway to 'x' could be planned from this profile")

    monkeypatch.setattr(plan, "pathway", no_way)
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    replies = iter(["1", "q"])
    session = explore.Session(
        cat,
        Answers(backgrounds=["school-leaver-gcse"]),
        lambda p: next(replies),
        console.print,
        console.print,
        True,
        frozenset({"profile"}),
    )
    explore.drive(session)
    shown = out.getvalue()
    assert "could be planned" in shown
    assert shown.count("Roles that fit you best") == 2


# ---- the pure logic (guide.py) ------------------------------------------------------------------


def test_every_role_family_is_reached_by_a_kind_of_work(cat: Catalogue) -> None:
    from cgtpaths.model import RoleFamily

    reached = {f for i in guide.INTERESTS for f in i.families}
    assert reached == set(get_args(RoleFamily)), "guide.INTERESTS must cover exactly the role families"
    assert guide.families([]) is None
    assert guide.families(["patients"]) == {"clinical", "laboratory"}
    with pytest.raises(Exception, match="Did you mean: regulation"):
        guide.interest("regulaton")


def test_background_search_finds_the_offshore_operator_from_plain_words(cat: Catalogue) -> None:
    assert guide.query_words(OFFSHORE) == ["offshore", "oil", "platform"]
    hits = guide.search_backgrounds(cat, OFFSHORE)
    assert hits[0].id == "oil-and-gas-process-operator"
    assert hits[0].matched == ("offshore", "oil", "platform")
    assert guide.search_backgrounds(cat, "offshore")[0].id == "oil-and-gas-process-operator"
    assert {h.id for h in guide.search_backgrounds(cat, "oil")} >= {"oil-and-gas-process-operator"}
    assert guide.search_backgrounds(cat, "REME")[0].id == "armed-forces-technician"  # an also_called alias
    assert guide.search_backgrounds(cat, "brewers")[0].id == "brewing-and-distilling"  # plural
    assert guide.search_backgrounds(cat, "I work in a") == []
    assert guide.search_backgrounds(cat, "chemical-process-operator")[0].id == "chemical-process-operator"


def test_situations_filter_backgrounds_and_give_a_usual_level(cat: Catalogue) -> None:
    situations = {b["situation"] for b in cat.backgrounds.values()}
    assert situations <= {sid for sid, _ in guide.SITUATIONS}
    assert [b["id"] for b in guide.backgrounds_in(cat, "school")] == ["school-leaver-gcse"]
    assert all(b["situation"] == "working" for b in guide.backgrounds_in(cat, "working"))
    assert guide.situation_level(cat, "university") == 6
    # a school leaver holds GCSEs (level 2); a pupil still sitting them is a situation of its own, below it
    assert guide.situation_level(cat, "school") == 2
    assert guide.situation_level(cat, "year-11") == 1


def test_qualifications_in_words_with_rqf_and_scqf(cat: Catalogue) -> None:
    levels = guide.levels(cat)
    assert [lvl.rqf for lvl in levels] == sorted(lvl.rqf for lvl in levels)
    three = next(lvl for lvl in levels if lvl.rqf == 3)
    assert "A level" in three.names and "T Level" in three.names and three.scqf_words() == "SCQF 6-7"
    assert guide.find_level(cat, "HND") == 5
    assert guide.find_level(cat, "A levels") == 3
    assert guide.find_level(cat, "GCSEs") == 2
    assert guide.find_level(cat, "Master's degree") == 7
    assert guide.find_level(cat, "wizardry") is None


def test_regions_and_skills_as_typed(cat: Catalogue) -> None:
    places = guide.region_choices(cat)
    ids = [rid for rid, _, _ in places]
    assert "uk" not in ids and ids.index("england") < ids.index("north-east")
    assert dict((rid, depth) for rid, _, depth in places)["north-east"] == 1
    assert guide.find_region(cat, "north east") == "north-east"
    assert guide.find_region(cat, "Scotland") == "scotland"
    found, problems = guide.skills_from_text(cat, "GMP and HAZOP, gmp=3, xyzzy")
    assert found == [("gmp", 3), ("process-safety", 2)]
    assert problems == ["No skill called 'xyzzy'. See `cgtpaths skills` for the list."]
    assert guide.choice_numbers("1, 3 3", 4) == [0, 2]
    assert guide.choice_numbers("0", 4) is None and guide.choice_numbers("x", 4) is None


def test_answers_become_the_equivalent_commands(cat: Catalogue) -> None:
    answers = Answers(backgrounds=["oil-and-gas-process-operator"], level=3, region="scotland", interests=["making"])
    assert answers.explore_command(cat) == (
        "cgtpaths explore --from oil-and-gas-process-operator --region scotland --interest making"
    )
    answers.level = 5  # not what the background implies, so it is said
    assert answers.pathway_command(cat, "qc-analyst", ("-o", "a b.html")) == (
        "cgtpaths pathway --from oil-and-gas-process-operator --level 5 --region scotland --to qc-analyst -o 'a b.html'"
    )
    skills = Answers(skills={"gmp": 2, "aseptic-technique": 3}, level=3)
    assert skills.explore_command(cat) == "cgtpaths explore --skill aseptic-technique=3 --skill gmp --level 3"


def test_a_year_11_student_gets_the_school_routes_below_gcse_level(cat: Catalogue) -> None:
    # still sitting GCSEs: the school leaver's routes, and no Level 2 assumed yet
    # the data's Year 11 background (backgrounds.yaml); leaving school is every other school background
    assert [b["id"] for b in guide.backgrounds_in(cat, "year-11")] == ["year-11-student"]
    assert "year-11-student" not in [b["id"] for b in guide.backgrounds_in(cat, "school")]
    assert guide.situation_level(cat, "year-11") == 1
    assert guide.find_level(cat, "BSc") == 6 and guide.find_level(cat, "degree") == 6
    assert guide.find_region(cat, "Aberdeen") == "scotland"
