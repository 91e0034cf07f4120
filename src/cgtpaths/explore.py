"""`cgtpaths explore`: a few plain-English questions in a terminal, then the roles that fit best and
the pathway to one of them. Every answer can be a flag instead, so the same run is scriptable.

The command layer (like cli.py, it renders with rich); what to ask and how answers are read lives in
guide.py. The flow is a small state machine: each stage is a function of the Session, run in order
when needed; a stage raises Back when the person types b or back (to return to the previous stage
they saw) and Quit for q. Answers are read through Session.ask, an input function, so a test can
drive the flow with a list of strings as well as a real terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from cgtpaths import guide
from cgtpaths.catalogue import Catalogue
from cgtpaths.errors import CgtpathsError, UsageError
from cgtpaths.guide import Answers
from cgtpaths.render import terminal
from cgtpaths.render.plain import level_words
from cgtpaths.render.terminal import hang, heading

BACK = frozenset({"b", "back"})
QUIT = frozenset({"q", "quit", "exit"})
SKILLS_CHOICE = "s"
TOP = 5  # roles shown at a time

NOT_A_TERMINAL = (
    "explore asks its questions only in a terminal; here, give the answers as flags: "
    "--from BACKGROUND or --skill ID (optional: --level N, --region R, --interest KIND, --role ROLE)"
)
EXAMPLE = "For example: cgtpaths explore --from oil-and-gas-process-operator --interest making"


class Back(Exception):
    """The person asked to go back to the previous question."""


class Quit(Exception):
    """The person asked to stop."""


@dataclass
class Session:
    cat: Catalogue
    answers: Answers
    ask: Callable[[str], str]  # shows a prompt, returns what the person typed
    show: Callable[[RenderableType], None]
    show_command: Callable[[str], None]  # printed whole (the terminal wraps it), so it pastes as one line
    interactive: bool
    flags: frozenset[str] = frozenset()  # which answers came as flags: profile, level, region, interests
    preset_role: str | None = None  # --role: go straight to its pathway once
    save_extra: tuple[str, ...] = ()  # flags that make `cgtpaths pathway` write a printable page
    shown: int = TOP
    ranked: list[str] = field(default_factory=list)  # role ids in the order last shown

    def prompt(self, question: str, default: str = "") -> str:
        raw = self.ask(f"{question}{f' [{default}]' if default else ''}: ").strip()
        if raw.casefold() in BACK:
            raise Back
        if raw.casefold() in QUIT:
            raise Quit
        return raw or default

    def options(self, rows: list[str], extra: tuple[tuple[str, str], ...] = ()) -> None:
        for n, text in enumerate(rows, 1):
            self.show(hang(text, 0, f"  {n:>2}. "))
        for key, text in extra:
            self.show(hang(text, 0, f"  {key:>2}. "))


# ---- the questions --------------------------------------------------------------------------------


def ask_situation(s: Session) -> None:
    s.show(heading("What are you doing at the moment?"))
    labels = [label for _, label in guide.SITUATIONS]
    s.options(labels)
    ids = [sid for sid, _ in guide.SITUATIONS]
    default = str(ids.index(s.answers.situation) + 1) if s.answers.situation in ids else ""
    while True:
        raw = s.prompt("Type a number", default)
        picked = guide.choice_numbers(raw, len(ids))
        if picked and len(picked) == 1:
            s.answers.situation = ids[picked[0]]
            return
        s.show(hang(f"Type one number from 1 to {len(ids)}."))


def ask_background(s: Session) -> None:
    a = s.answers
    choices = guide.backgrounds_in(s.cat, a.situation)
    s.show(heading("Which is closest to what you do now?"))
    rows = [(b["id"], b["title"]) for b in choices]
    _list_backgrounds(s, rows)
    s.show(hang('Type a number, or describe your job in a few words (e.g. "I work on an oil platform").'))
    current = a.backgrounds[0] if a.backgrounds else None
    ids = [rid for rid, _ in rows]
    default = str(ids.index(current) + 1) if current in ids else ("1" if len(ids) == 1 else "")
    if a.pick_skills:
        default = SKILLS_CHOICE
    while True:
        raw = s.prompt("Your answer", default)
        if raw.casefold() == SKILLS_CHOICE:
            if not a.pick_skills:
                a.pick_skills, a.backgrounds, a.level = True, [], None
            return
        picked = guide.choice_numbers(raw, len(rows))
        if picked and len(picked) == 1:
            chosen = rows[picked[0]][0]
            if a.backgrounds != [chosen]:
                a.backgrounds, a.level = [chosen], None
            a.pick_skills, a.skills = False, {}
            return
        if raw.strip().isdigit() or not raw:
            s.show(hang(f"Type a number from 1 to {len(rows)}, some words to search, or {SKILLS_CHOICE}."))
            continue
        hits = guide.search_backgrounds(s.cat, raw)
        if not hits:
            s.show(hang(f"Nothing matched '{raw}'. Try other words (a job title or an industry), a number, or s."))
            continue
        s.show(heading(f"Closest matches for '{raw}':"))
        rows = [(h.id, h.title) for h in hits]
        _list_backgrounds(s, rows)
        s.show(hang("Type a number, or other words to search again."))
        default = "1"


def _list_backgrounds(s: Session, rows: list[tuple[str, str]]) -> None:
    s.options([title for _, title in rows], ((SKILLS_CHOICE, "None of these: I'll pick my skills"),))


def ask_skills(s: Session) -> None:
    a = s.answers
    s.show(heading("Which skills do you have?"))
    s.show(
        hang(
            "Type a few at a time, in your own words or as skill ids (e.g. GMP, aseptic technique, "
            "permit to work). Each counts as practised. Press Enter on an empty line when done."
        )
    )
    if a.skills:
        s.show(hang("So far: " + ", ".join(s.cat.skills[sid]["name"] for sid in sorted(a.skills))))
    while True:
        raw = s.prompt("Skills")
        if not raw:
            if a.skills:
                return
            s.show(hang("Add at least one skill, or type b to go back and choose a background."))
            continue
        found, problems = guide.skills_from_text(s.cat, raw)
        for sid, level in found:
            a.skills[sid] = max(level, a.skills.get(sid, 0))
        if found:
            s.show(hang("Added: " + ", ".join(f"{s.cat.skills[sid]['name']} [{sid}]" for sid, _ in found), 2))
        for problem in problems:
            s.show(hang(problem.replace("\n", " "), 2))


def ask_level(s: Session) -> None:
    a = s.answers
    levels = guide.levels(s.cat)
    typical = a.implied_level(s.cat)
    if typical is None:
        typical = guide.situation_level(s.cat, a.situation)
    s.show(heading("What is your highest qualification?"))
    rows = []
    for lvl in levels:
        scqf = lvl.scqf_words()
        text = f"{', '.join(lvl.names)} (RQF {lvl.rqf}{', ' + scqf if scqf else ''})"
        if lvl.rqf == typical:
            text += " - typical for " + ("your background" if a.backgrounds else "people where you are now")
        rows.append(text)
    s.options(rows)
    s.show(hang("Type a number, or the name of a qualification (e.g. HND)."))
    wanted = a.level if a.level is not None else typical
    ranks = [lvl.rqf for lvl in levels]
    default = str(ranks.index(wanted) + 1) if wanted in ranks else ""
    while True:
        raw = s.prompt("Your answer", default)
        picked = guide.choice_numbers(raw, len(levels))
        if picked and len(picked) == 1:
            a.level = levels[picked[0]].rqf
            return
        found = guide.find_level(s.cat, raw) if raw and not raw.isdigit() else None
        if found is not None:
            a.level = found
            s.show(hang(f"Taken as {level_words(found)}."))
            return
        s.show(hang(f"Type a number from 1 to {len(levels)}, or a qualification such as 'A level' or 'HND'."))


def ask_region(s: Session) -> None:
    a = s.answers
    places = guide.region_choices(s.cat)
    s.show(heading("Where in the UK are you? (Training is matched to where you can get to.)"))
    s.options(["Anywhere in the UK (don't filter by place)"] + ["   " * depth + name for _, name, depth in places])
    ids = [None] + [rid for rid, _, _ in places]
    default = str(ids.index(a.region) + 1) if a.region in ids else "1"
    while True:
        raw = s.prompt("Type a number or a place", default)
        picked = guide.choice_numbers(raw, len(ids))
        if picked and len(picked) == 1:
            a.region = ids[picked[0]]
            return
        found = guide.find_region(s.cat, raw)
        if found is not None:
            a.region = None if found == "uk" else found
            if found != "uk" and guide.key_of(raw) != guide.key_of(s.cat.regions[found]["name"]):
                s.show(hang(f"Taken as {s.cat.regions[found]['name']}."))
            return
        s.show(hang(f"Type a number from 1 to {len(ids)}, or a town or area such as 'Leeds' or 'Scotland'."))


def ask_interests(s: Session) -> None:
    a = s.answers
    s.show(heading("What kind of work appeals? Pick one or more, or press Enter for any."))
    s.options([i.label for i in guide.INTERESTS])
    ids = list(guide.INTEREST_IDS)
    default = " ".join(str(ids.index(i) + 1) for i in a.interests) or "any"
    while True:
        raw = s.prompt("Type numbers (e.g. 1 3)", default)
        if raw.casefold() == "any":
            a.interests = []
            return
        picked = guide.choice_numbers(raw, len(ids))
        words = raw.casefold().replace(",", " ").split()
        if picked is None and words and all(w in ids for w in words):
            picked = sorted({ids.index(w) for w in words})
        if picked:
            a.interests = [ids[n] for n in picked]
            return
        s.show(hang(f"Type numbers from 1 to {len(ids)} separated by spaces, or press Enter for any kind of work."))


# ---- the answer -----------------------------------------------------------------------------------


def show_results(s: Session) -> None:
    from cgtpaths.match import match

    a = s.answers
    if s.preset_role is not None:  # --role: straight to its pathway; b from there shows this list
        a.role, s.preset_role = s.preset_role, None
        return
    a.role = None
    ranked = match(s.cat, a.profile(s.cat))
    wanted = guide.families(a.interests)
    title = "Roles that fit you best"
    if wanted is not None:
        chosen = [m for m in ranked if m.family in wanted]
        kinds = ", ".join(guide.interest(i).label.split(":")[0].lower() for i in a.interests)
        if chosen:
            ranked, title = chosen, f"{title} in {kinds}"
        else:
            s.show(hang(f"No role in the data is in {kinds}; showing every kind of work."))
    s.ranked = [m.role for m in ranked]
    s.shown = min(TOP, len(ranked))
    s.show(heading(title))
    s.show(terminal.match_brief(ranked[: s.shown]))
    if not s.interactive:
        s.show(heading("To see the pathway to one of these roles"))
        s.show_command(a.explore_command(s.cat) + " --role ROLE")
        return
    while True:
        more = ", m for more" if s.shown < len(ranked) else ""
        raw = s.prompt(f"\nOpen a role to see how to get there: type its number{more}", "1")
        if raw.casefold() == "m" and more:
            start, s.shown = s.shown, min(s.shown + TOP, len(ranked))
            s.show(terminal.match_brief(ranked[start : s.shown], start + 1))
            continue
        picked = guide.choice_numbers(raw, s.shown)
        if picked and len(picked) == 1:
            a.role = s.ranked[picked[0]]
            return
        s.show(hang(f"Type a number from 1 to {s.shown}{more}, b to change your answers, or q to quit."))


def show_pathway(s: Session) -> None:
    from cgtpaths.plan import pathway

    a = s.answers
    assert a.role is not None
    person = a.profile(s.cat)
    try:
        plan = pathway(s.cat, person, a.role)
    except CgtpathsError as exc:
        if not s.interactive:
            raise
        s.show(hang(f"\n{exc}"))
        raise Back from None
    s.show(Text(""))
    s.show(terminal.pathway_page(s.cat, plan, person))
    s.show(heading("To print or save this pathway"))
    if s.save_extra:
        s.show_command(a.pathway_command(s.cat, a.role, s.save_extra))
        s.show(hang(f"then open {s.save_extra[-1]} in a browser, and print it or save it as a PDF.", 2))
    else:
        s.show_command(a.pathway_command(s.cat, a.role) + " > pathway.txt")
    s.show(hang("To see these results again without the questions:"))
    s.show_command(a.explore_command(s.cat))
    if s.interactive:
        s.prompt("\nPress Enter to finish, or b for the list of roles")


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Session], None]
    needed: Callable[[Session], bool]


def _asked(name: str) -> Callable[[Session], bool]:
    return lambda s: s.interactive and "profile" not in s.flags and name not in s.flags


STAGES = (
    Stage("situation", ask_situation, _asked("profile")),
    Stage("background", ask_background, _asked("profile")),
    Stage("skills", ask_skills, lambda s: _asked("profile")(s) and s.answers.pick_skills),
    Stage("level", ask_level, _asked("level")),
    Stage("region", ask_region, _asked("region")),
    Stage("interests", ask_interests, _asked("interests")),
    Stage("results", show_results, lambda s: True),
    Stage("pathway", show_pathway, lambda s: s.answers.role is not None),
)


def drive(s: Session, stages: tuple[Stage, ...] = STAGES) -> None:
    """Run the stages in order; b returns to the stage seen before, q stops."""
    seen: list[int] = []
    i = 0
    while i < len(stages):
        stage = stages[i]
        if not stage.needed(s):
            i += 1
            continue
        try:
            stage.run(s)
        except Back:
            if seen:
                i = seen.pop()
            else:
                s.show(hang("There is nothing before this to go back to; type q to quit."))
            continue
        except Quit:
            return
        seen.append(i)
        i += 1


# ---- entry point ----------------------------------------------------------------------------------

WELCOME = (
    "A few questions about you, then the cell and gene therapy roles that fit and how to get into "
    "one. Press Enter to take the answer in [brackets]; type b to go back, q to quit."
)


def _is_terminal(stream: Any) -> bool:
    """A stream that is a terminal; a closed or missing one (`<&-`) is not."""
    try:
        return stream is not None and bool(stream.isatty())
    except (ValueError, OSError):
        return False


def run(
    cat: Catalogue,
    *,
    backgrounds: list[str],
    skills: list[str],
    level: int | None,
    region: str | None,
    interests: list[str],
    role: str | None,
    save_extra: tuple[str, ...] = (),
    interactive: bool | None = None,
) -> None:
    """Ask what the flags did not say (only in a terminal), then show the roles and a pathway."""
    from cgtpaths.profile import parse_skill_arg

    if interactive is None:
        interactive = _is_terminal(sys.stdin) and _is_terminal(sys.stdout)
    for bid in backgrounds:
        cat.background(bid)
    answers = Answers(
        backgrounds=list(backgrounds),
        level=level,
        region=None if region == "uk" else region,
        interests=[guide.interest(i).id for i in interests],
    )
    for arg in skills:
        sid, lvl = parse_skill_arg(cat, arg)
        answers.skills[sid] = max(lvl, answers.skills.get(sid, 0))
    if region is not None:
        cat.region(region)
    if role is not None:
        cat.role(role)
    if not answers.has_profile and not interactive:
        raise UsageError(NOT_A_TERMINAL, hint=EXAMPLE)
    flags = {
        name
        for name, given in (
            ("profile", answers.has_profile),
            ("level", level is not None),
            ("region", region is not None),
            ("interests", bool(interests)),
        )
        if given
    }
    out = terminal.console()

    def ask(prompt: str) -> str:
        return out.input(Text(prompt, style="bold"))

    def show_command(command: str) -> None:
        out.print(Text(f"  {command}"), soft_wrap=True)

    def say(*items: Any) -> None:
        for item in items:
            out.print(item, crop=False)  # long URLs are printed whole, never cut (see terminal.sources_block)

    session = Session(cat, answers, ask, say, show_command, interactive, frozenset(flags), role, save_extra)
    if interactive and not answers.has_profile:
        out.print(hang(WELCOME))
    try:
        drive(session)
    except KeyboardInterrupt:
        out.print()  # end the half-typed line, so the shell prompt starts on a fresh one
        raise
