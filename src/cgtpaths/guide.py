"""What `cgtpaths explore` asks, as plain data and pure functions: situations, the kinds of work and
the role families they stand for, background search, qualification levels, regions, and the flags
that repeat a guided run. Also the id lists behind shell completion. No typer, no rich, no I/O.

Kinds of work -> role families (the one table; a family may serve more than one kind):

| --interest   | what a person reads                       | role families                              |
|--------------|-------------------------------------------|--------------------------------------------|
| making       | Making things                             | manufacturing, process-development         |
| testing      | Testing                                   | quality-control, analytical, laboratory    |
| quality      | Quality                                   | quality-assurance, quality-control         |
| engineering  | Engineering                               | engineering-and-facilities, process-development |
| data         | Data                                      | data                                       |
| regulation   | Regulation and safety                     | regulatory, safety                         |
| patients     | Working with patients                     | clinical, laboratory (NHS cell labs)       |
| logistics    | Logistics                                 | supply-chain                               |

Every role family is reached by at least one kind of work (a test checks it against model.py).
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from cgtpaths.catalogue import Catalogue
from cgtpaths.errors import CgtpathsError, UsageError, closest
from cgtpaths.profile import Profile, build, match_text, parse_skill_arg

Record = dict[str, Any]

# the values of a background's `situation` field, in the order a person reads them
SITUATIONS: tuple[tuple[str, str], ...] = (
    ("year-11", "Still at school, sitting GCSEs or National 5s (Year 11 or S4)"),
    ("school", "Leaving school with GCSEs or National 5s"),
    ("college", "At college or sixth form (A levels, T Levels, Highers)"),
    ("university", "At university, or a recent graduate"),
    ("working", "Working"),
    ("armed-forces", "Leaving the armed forces"),
)


@dataclass(frozen=True)
class Interest:
    id: str
    label: str
    families: tuple[str, ...]


INTERESTS: tuple[Interest, ...] = (
    Interest("making", "Making things: producing cell and gene therapies", ("manufacturing", "process-development")),
    Interest(
        "testing",
        "Testing: lab work checking cells, samples and products",
        ("quality-control", "analytical", "laboratory"),
    ),
    Interest("quality", "Quality: making sure every batch is right", ("quality-assurance", "quality-control")),
    Interest(
        "engineering",
        "Engineering: equipment, cleanrooms and processes",
        ("engineering-and-facilities", "process-development"),
    ),
    Interest("data", "Data: computing, statistics and bioinformatics", ("data",)),
    Interest("regulation", "Regulation and safety: rules, approvals, biosafety", ("regulatory", "safety")),
    Interest("patients", "Working with patients: clinical trials and hospital cell labs", ("clinical", "laboratory")),
    Interest("logistics", "Logistics: getting living medicines where they are needed", ("supply-chain",)),
)
INTEREST_IDS = tuple(i.id for i in INTERESTS)


def interest(iid: str) -> Interest:
    for item in INTERESTS:
        if item.id == iid:
            return item
    hits = closest(iid, list(INTEREST_IDS))
    raise UsageError(
        f"unknown kind of work '{iid}' for --interest",
        hint=(f"Did you mean: {', '.join(hits)}? " if hits else "") + f"Choose from: {', '.join(INTEREST_IDS)}",
    )


def families(interests: list[str]) -> frozenset[str] | None:
    """The role families the chosen kinds of work stand for; None means any family."""
    if not interests:
        return None
    return frozenset(f for iid in interests for f in interest(iid).families)


# ---- backgrounds ----------------------------------------------------------------------------------


# A Year 11 student is choosing from the school leavers' routes, before their results.
SITUATION_BACKGROUNDS = {"year-11": "school"}
# and holds no Level 2 yet: below GCSE grades 9-4, so no route is offered that needs them already
SITUATION_LEVELS = {"year-11": 1}


# A pupil still sitting GCSEs is the data's Year 11 background where it has one; a school leaver is
# every other school background.
YEAR_11_BACKGROUND = "year-11-student"


def backgrounds_in(cat: Catalogue, situation: str | None) -> list[Record]:
    """The backgrounds for one situation (all of them for None), by title."""
    wanted = SITUATION_BACKGROUNDS.get(situation or "", situation)
    rows = [b for b in cat.backgrounds.values() if wanted is None or b["situation"] == wanted]
    if YEAR_11_BACKGROUND in cat.backgrounds and wanted == "school":
        year_11 = situation == "year-11"
        rows = [b for b in rows if (b["id"] == YEAR_11_BACKGROUND) == year_11]
    return sorted(rows, key=lambda b: (b["title"].casefold(), b["id"]))


def situation_level(cat: Catalogue, situation: str | None) -> int | None:
    """The usual RQF level of people in a situation: the most common typical_level among its
    backgrounds (the lower on a tie), so a default never overstates what someone holds."""
    if situation in SITUATION_LEVELS:
        return SITUATION_LEVELS[situation]
    counts = Counter(int(b["typical_level"]) for b in backgrounds_in(cat, situation))
    if not counts:
        return None
    return min(counts, key=lambda lvl: (-counts[lvl], lvl))


# Words that say nothing about a job ("I work offshore on an oil platform" -> offshore, oil, platform).
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "the", "or", "as", "at", "in", "on", "of", "for", "to", "from", "with", "by"),
        *("i", "im", "me", "my", "am", "is", "are", "was", "were", "be", "been", "do", "did", "doing"),
        *("have", "has", "had", "some", "also", "just", "currently", "now", "used", "use"),
        *("work", "works", "worked", "working", "job", "jobs"),
    }
)
_WORD = re.compile(r"[a-z0-9]+")
TITLE_WEIGHT, ALIAS_WEIGHT, SECTOR_WEIGHT = 3, 2, 1


def _stem(word: str) -> str:
    # plural and singular meet: 'platforms' ~ 'platform', 'technicians' ~ 'technician'
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.casefold())}


def query_words(text: str) -> list[str]:
    """The words of a description that can say something about a job, in order, once each."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold().replace("'", "")):
        stem = _stem(word)
        if word not in STOPWORDS and stem not in out:
            out.append(stem)
    return out


@dataclass(frozen=True)
class BackgroundHit:
    id: str
    title: str
    score: int
    matched: tuple[str, ...]  # the person's words that matched, in their order


def search_backgrounds(cat: Catalogue, text: str, limit: int = 5) -> list[BackgroundHit]:
    """Backgrounds ranked for a free-text description. Each word counts once, by where it is found:
    in the title (3), in what the job is also called (2), or in the sector (1). Ties go by id."""
    words = query_words(text)
    if not words:
        return []
    hits: list[tuple[int, int, BackgroundHit]] = []
    for order, (bid, bg) in enumerate(cat.backgrounds.items()):
        if " ".join(words) == " ".join(query_words(bid.replace("-", " "))):
            hits.append((-100, order, BackgroundHit(bid, bg["title"], 100, (bid,))))
            continue
        title = _stems(bg["title"]) | _stems(bid.replace("-", " "))
        aliases = _stems(" ".join(bg["also_called"]))
        sector = _stems(bg["sector"])
        score, matched = 0, []
        for word in words:
            gain = (
                TITLE_WEIGHT
                if word in title
                else ALIAS_WEIGHT
                if word in aliases
                else SECTOR_WEIGHT
                if word in sector
                else 0
            )
            if gain:
                score += gain
                matched.append(word)
        if score:
            hits.append((-score, order, BackgroundHit(bid, bg["title"], score, tuple(matched))))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h for _, _, h in hits[:limit]]


# ---- qualifications, regions, skills ------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    rqf: int
    names: tuple[str, ...]
    scqf: tuple[int, ...]  # the SCQF levels of the qualifications at this RQF level, low to high

    def scqf_words(self) -> str:
        if not self.scqf:
            return ""
        low, high = self.scqf[0], self.scqf[-1]
        return f"SCQF {low}" if low == high else f"SCQF {low}-{high}"


def levels(cat: Catalogue) -> list[Level]:
    """One choice per RQF level that the qualifications table holds, lowest first."""
    grouped: dict[int, list[Record]] = {}
    for q in cat.qualifications.values():
        grouped.setdefault(q["rqf"], []).append(q)
    out = []
    for rqf in sorted(grouped):
        # school and college qualifications first, then NVQs and apprenticeships, as people name them
        quals = sorted(
            grouped[rqf], key=lambda q: (q["name"].startswith(("Level", "NVQ")), q.get("scqf") or 0, q["name"])
        )
        scqf = sorted({q["scqf"] for q in quals if q.get("scqf")})
        out.append(Level(rqf, tuple(q["name"] for q in quals), tuple(scqf)))
    return out


def find_level(cat: Catalogue, text: str) -> int | None:
    """An RQF level from a qualification as a person types it ('HND', 'A levels', 'a degree'): its
    id, name or an example exactly, else a name containing the words (the lowest such level);
    the words people use for them first ('BSc', 'degree', 'HND', names.QUALIFICATION_WORDS)."""
    from cgtpaths.names import qualification_level

    said = qualification_level(text)
    if said is not None:
        return said
    words = " ".join(_stem(w) for w in _WORD.findall(text.casefold()))
    if not words:
        return None
    found: list[int] = []
    for q in cat.qualifications.values():
        names = [" ".join(_stem(w) for w in _WORD.findall(n.casefold())) for n in (q["id"], q["name"])]
        examples = [" ".join(_stem(w) for w in _WORD.findall(n.casefold())) for n in q.get("examples", [])]
        if words in names or words in examples:
            return int(q["rqf"])
        if any(f" {words} " in f" {n} " for n in names):
            found.append(int(q["rqf"]))
    return min(found) if found else None


def region_choices(cat: Catalogue) -> list[tuple[str, str, int]]:
    """(id, name, depth) for every region below the UK as a whole: nations, then their regions."""
    children: dict[str | None, list[str]] = {}
    for rid, r in cat.regions.items():
        children.setdefault(r.get("parent"), []).append(rid)
    roots = [rid for rid, r in cat.regions.items() if r["kind"] == "uk"] or sorted(children.get(None, []))
    out: list[tuple[str, str, int]] = []

    def walk(rid: str, depth: int) -> None:
        for child in sorted(children.get(rid, []), key=lambda c: cat.regions[c]["name"].casefold()):
            out.append((child, cat.regions[child]["name"], depth))
            walk(child, depth + 1)

    for root in roots:
        if cat.regions[root]["kind"] == "uk":
            walk(root, 0)
        else:
            out.append((root, cat.regions[root]["name"], 0))
            walk(root, 1)
    return out


def key_of(text: str) -> str:
    from cgtpaths.names import key

    return key(text)


def find_region(cat: Catalogue, text: str) -> str | None:
    """A region from its id, its name or a UK town or council area as typed ('north east',
    'Scotland', 'Newcastle', 'Aberdeen')."""
    from cgtpaths.names import lookup

    found = lookup(cat, "regions", text)
    if found is not None:
        return found
    words = " ".join(_WORD.findall(text.casefold()))
    for rid, r in cat.regions.items():
        if words in (" ".join(_WORD.findall(rid)), " ".join(_WORD.findall(r["name"].casefold()))):
            return rid
    return None


def skills_from_text(cat: Catalogue, text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Skills a person types, separated by commas: ids in any case (with an optional '=LEVEL'),
    names and aliases, or words holding them ('GMP and HAZOP'). Returns (skill, level) found, and
    for each part that names no skill, a message with a 'did you mean'."""
    found: dict[str, int] = {}
    problems: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        hits = _skills_in(cat, part)
        if not hits:
            problems.append(_no_such_skill(cat, part))
        for sid, level in hits:
            found[sid] = max(level, found.get(sid, 0))
    return sorted(found.items()), problems


def _skills_in(cat: Catalogue, part: str) -> list[tuple[str, int]]:
    try:
        return [parse_skill_arg(cat, _as_id(cat, part))]
    except CgtpathsError:
        pass
    hits = [(m.skill, 2) for m in match_text(cat, part)]
    for piece in re.split(r"\s+(?:and|&)\s+|/", part):
        with suppress(CgtpathsError):
            hits.append(parse_skill_arg(cat, _as_id(cat, piece.strip())))
    return hits


def _no_such_skill(cat: Catalogue, typed: str) -> str:
    """'no skill called ...', with the closest ids, names or aliases ('pipeting' -> pipetting)."""
    spellings: dict[str, str] = {}
    for sid, rec in cat.skills.items():
        for word in (sid, rec["name"], *rec["aliases"]):
            spellings.setdefault(word.casefold(), sid)
    typed_name = typed.partition("=")[0].strip().casefold()
    near = list(dict.fromkeys(spellings[w] for w in closest(typed_name, list(spellings))))
    hint = f" Did you mean: {', '.join(near)}?" if near else " See `cgtpaths skills` for the list."
    return f"No skill called '{typed}'.{hint}"


def _as_id(cat: Catalogue, text: str) -> str:
    """'Process Safety=3' -> 'process-safety=3' when that is a skill id; otherwise as typed."""
    name, eq, level = text.partition("=")
    key = "-".join(name.casefold().split())
    return (key if key in cat.skills else name.strip()) + eq + level


def choice_numbers(text: str, count: int) -> list[int] | None:
    """'1 3' or '1,3' -> [0, 2] when every number is between 1 and count; None otherwise."""
    parts = [p for p in re.split(r"[\s,]+", text.strip()) if p]
    # ASCII digits only, and few of them: int() refuses '²' and '①' (which isdigit() accepts) and 5,000 digits
    if not parts or not all(p.isascii() and p.isdigit() and len(p) <= 6 and 1 <= int(p) <= count for p in parts):
        return None
    return sorted({int(p) - 1 for p in parts})


# ---- the answers, and the flags that repeat them ---------------------------------------------------


@dataclass
class Answers:
    """Everything explore has been told, by flags or by answers."""

    situation: str | None = None
    backgrounds: list[str] = field(default_factory=list)
    skills: dict[str, int] = field(default_factory=dict)
    pick_skills: bool = False  # chose "I'll pick my skills" instead of a background
    level: int | None = None  # None: the level the background implies
    region: str | None = None
    interests: list[str] = field(default_factory=list)
    role: str | None = None

    @property
    def has_profile(self) -> bool:
        return bool(self.backgrounds or self.skills)

    def implied_level(self, cat: Catalogue) -> int | None:
        levels_ = [cat.background(b)["typical_level"] for b in self.backgrounds]
        return max(levels_) if levels_ else None

    def profile(self, cat: Catalogue) -> Profile:
        return build(
            cat,
            backgrounds=self.backgrounds,
            skills=sorted(self.skills.items()),
            level=self.level,
            region=self.region,
        )

    def profile_args(self, cat: Catalogue) -> list[str]:
        """The flags that describe this person to match, skills or pathway."""
        args: list[str] = []
        for bid in self.backgrounds:
            args += ["--from", bid]
        for sid, lvl in sorted(self.skills.items()):
            args += ["--skill", sid if lvl == 2 else f"{sid}={lvl}"]
        if self.level is not None and self.level != self.implied_level(cat):
            args += ["--level", str(self.level)]
        if self.region:
            args += ["--region", self.region]
        return args

    def explore_command(self, cat: Catalogue) -> str:
        args = ["cgtpaths", "explore", *self.profile_args(cat)]
        for iid in self.interests:
            args += ["--interest", iid]
        if self.role:
            args += ["--role", self.role]
        return shlex.join(args)

    def pathway_command(self, cat: Catalogue, role: str, extra: tuple[str, ...] = ()) -> str:
        return shlex.join(["cgtpaths", "pathway", *self.profile_args(cat), "--to", role, *extra])


# ---- shell completion ------------------------------------------------------------------------------

COMPLETION_KINDS = ("roles", "programmes", "backgrounds", "regions", "skills")
_HELP_UNSAFE = re.compile(r"[^\w\s()/,.'&+\-–]")


def completion_help(text: str) -> str:
    """A title as a completion hint: one line, and nothing a shell or rich could read as markup."""
    return " ".join(_HELP_UNSAFE.sub(" ", text).split())[:70]


def complete_ids(cat: Catalogue, kind: str, incomplete: str) -> list[tuple[str, str]]:
    """(id, title) for every id of a kind that starts with what has been typed. For skills,
    'gmp=' offers the three levels."""
    table: dict[str, Record] = getattr(cat, kind)
    if kind == "skills" and "=" in incomplete:
        sid = incomplete.partition("=")[0]
        if sid not in table:
            return []
        words = {1: "aware", 2: "practised", 3: "expert"}
        return [(f"{sid}={n}", w) for n, w in words.items() if f"{sid}={n}".startswith(incomplete)]
    return [(rid, completion_help(cat.title(kind, rid))) for rid in sorted(table) if rid.startswith(incomplete)]
