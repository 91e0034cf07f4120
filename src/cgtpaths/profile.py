"""A profile: what we know about the user. Built from a background, explicit skills, a profile
file's data or free text; sources combine (the highest level of each skill wins)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NoReturn

from cgtpaths.catalogue import Catalogue
from cgtpaths.errors import CgtpathsError, UsageError, unknown_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from cgtpaths.yamlread import ReadFile


class Profile:
    """What we know about the user. Immutable and compared by value; `replace` makes a changed copy.
    A plain class rather than a frozen dataclass: creating that class cost ~1.5 ms of every run."""

    __slots__ = ("age", "backgrounds", "completed", "evidence", "level", "region", "rights", "situation", "skills")
    skills: dict[str, int]  # skill id -> level 1-3
    level: int | None  # RQF level held; None when not known (never taken as 0)
    region: str | None
    age: int | None
    backgrounds: tuple[str, ...]
    completed: tuple[str, ...]  # programmes assumed done (--with), or done earlier in a pathway
    situation: str | None  # school | college | university | working | armed-forces
    rights: frozenset[str]  # the access values beyond open and employed this person has (in-sector...)
    evidence: frozenset[str]  # what a gate may ask to see: a registration, an eligibility

    def __init__(
        self,
        skills: dict[str, int] | None = None,
        level: int | None = None,
        region: str | None = None,
        age: int | None = None,
        backgrounds: tuple[str, ...] = (),
        completed: tuple[str, ...] = (),
        situation: str | None = None,
        rights: frozenset[str] = frozenset(),
        evidence: frozenset[str] = frozenset(),
    ) -> None:
        set_ = object.__setattr__
        set_(self, "skills", {} if skills is None else skills)
        set_(self, "level", level)
        set_(self, "region", region)
        set_(self, "age", age)
        set_(self, "backgrounds", backgrounds)
        set_(self, "completed", completed)
        set_(self, "situation", situation)
        set_(self, "rights", rights)
        set_(self, "evidence", evidence)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}'")

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def replace(self, **changes: Any) -> Profile:
        fields = dict(zip(self.__slots__, self._fields(), strict=True))
        fields.update(changes)
        return Profile(**fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Profile):
            return self._fields() == other._fields()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # (skills is a dict)

    def __repr__(self) -> str:
        return "Profile(" + ", ".join(f"{n}={v!r}" for n, v in zip(self.__slots__, self._fields(), strict=True)) + ")"

    @property
    def rqf(self) -> int:
        """The level for arithmetic that needs a number (planning from scratch); the checks that
        decide what someone may do look at `level`, where None means not known."""
        return 0 if self.level is None else self.level

    @property
    def stage_level(self) -> int | None:
        """The level a student's current stage leads to (tuning.STAGE_LEVEL), else the level held."""
        from cgtpaths.tuning import STAGE_LEVEL

        stage = STAGE_LEVEL.get(self.situation or "")
        if stage is None or self.level is None:
            return self.level if stage is None else stage
        return max(self.level, stage)

    def as_dict(self) -> dict[str, Any]:
        return {
            "skills": dict(sorted(self.skills.items())),
            "level": self.level,
            "region": self.region,
            "age": self.age,
            "from": list(self.backgrounds),
            "with": list(self.completed),
            "situation": self.situation,
            "can_start": sorted({"open", "employed", *self.rights}),
            "evidence": sorted(self.evidence),
        }


def merge_skill(skills: dict[str, int], skill: str, level: int) -> None:
    if level > skills.get(skill, 0):
        skills[skill] = level


def parse_skill_arg(cat: Catalogue, text: str) -> tuple[str, int]:
    """'gmp' or 'gmp=2' -> (id, level). Names and aliases are accepted too."""
    name, equals, raw = text.partition("=")
    name = name.strip()
    level = 2
    if equals:  # `gmp=` says a level is coming: an empty one is a mistake, not the default
        if raw.strip() not in {"1", "2", "3"}:
            from cgtpaths.errors import shorten

            raise UsageError(f"--skill {shorten(text)}: the level after '=' must be 1, 2 or 3")
        level = int(raw)
    if name in cat.skills:
        return name, level
    folded = name.casefold()
    for sid, rec in cat.skills.items():
        if folded == rec["name"].casefold() or folded in (a.casefold() for a in rec["aliases"]):
            return sid, level
    raise unknown_id("skill", name, sorted(cat.skills))


def build(
    cat: Catalogue,
    *,
    backgrounds: list[str] = (),  # type: ignore[assignment]
    skills: list[tuple[str, int]] = (),  # type: ignore[assignment]
    extra: dict[str, int] | None = None,
    level: int | None = None,
    region: str | None = None,
    age: int | None = None,
    extra_evidence: tuple[str, ...] = (),
) -> Profile:
    merged: dict[str, int] = {}
    implied_level: int | None = None
    situation: str | None = None
    rights: set[str] = set()
    evidence: set[str] = set()
    for bid in backgrounds:
        bg = cat.background(bid)
        for have in bg["skills"]:
            merge_skill(merged, have["skill"], have["level"])
        implied_level = max(implied_level or 0, bg["typical_level"])
        situation = situation or bg["situation"]
        rights |= background_rights(bg)
        evidence |= set(bg.get("evidence") or ())
    for sid, lvl in skills:
        cat.skill(sid)
        merge_skill(merged, sid, lvl)
    for sid, lvl in (extra or {}).items():
        merge_skill(merged, sid, lvl)
    if region is not None:
        cat.region(region)
    if age is not None and not 14 <= age <= 99:
        raise UsageError("--age must be between 14 and 99")
    return Profile(
        merged,
        level if level is not None else implied_level,
        region,
        age,
        tuple(backgrounds),
        situation=situation,
        rights=frozenset(rights),
        evidence=frozenset(evidence | set(extra_evidence)),
    )


# Who may start what (docs/method.md, "Who can start a programme"): a background's situation and
# sector give the access rights beyond 'open' and 'employed'. A background may also list them.
IN_SECTOR_WORDS = ("pharmaceutical", "biopharmaceutical", "pathology", "research institute", "pharmacy", "blood")


def background_rights(bg: dict[str, Any]) -> set[str]:
    if bg.get("access"):
        return set(bg["access"])
    rights = set()
    sector = bg["sector"].casefold()
    if bg["situation"] == "school":
        rights.add("school-pupil")
    if bg["situation"] == "university" and bg["typical_level"] < 6:
        rights.add("enrolled-student")
    if bg["situation"] == "working" and "nhs" in sector:
        rights.add("nhs-staff")
    if bg["situation"] == "working" and any(word in sector for word in IN_SECTOR_WORDS):
        rights.add("in-sector")
    return rights


def with_programmes(cat: Catalogue, profile: Profile, programme_ids: list[str]) -> Profile:
    """The profile after completing these programmes: their skills, and their level if higher."""
    skills = dict(profile.skills)
    level = profile.level
    for pid in programme_ids:
        programme = cat.programme(pid)
        for taught in programme["teaches"]:
            merge_skill(skills, taught["skill"], taught["level"])
        if programme["level"] is not None:
            level = max(level or 0, programme["level"])
    return profile.replace(skills=skills, level=level, completed=(*profile.completed, *programme_ids))


def from_mapping(
    cat: Catalogue, data: object, where: str, read: ReadFile | None = None
) -> tuple[list[str], dict[str, int], int | None, str | None, int | None]:
    """Read a profile file's content: {from: [...], skills: {id: level}, level, region, age}.
    With the parsed file (`read`), every problem names its line and column."""

    def fail(path: tuple[str | int, ...], message: str, hint: str = "", key: bool = False) -> NoReturn:
        at = where
        if read is not None:
            line, col = read.locate(path, key=key)
            at = f"{where}:{line + 1}:{col + 1}"
        raise CgtpathsError(f"{at}: {message}", hint=hint)

    def known(path: tuple[str | int, ...], lookup: Callable[[str], object], rid: str) -> None:
        try:
            lookup(rid)
        except CgtpathsError as exc:
            fail(path, exc.message, exc.hint, key=isinstance(path[-1], str) and path[0] == "skills")

    if not isinstance(data, dict):
        fail((), "a profile must be a mapping with keys from, skills, level, region, age")
    allowed = {"from", "skills", "level", "region", "age"}
    for key in data:
        if key not in allowed:
            fail((key,), f"unknown key '{key}'; allowed: {', '.join(sorted(allowed))}", key=True)
    raw_from = [] if data.get("from") is None else data["from"]
    bgs = [raw_from] if isinstance(raw_from, str) else raw_from
    if not isinstance(bgs, list) or not all(isinstance(b, str) for b in bgs):
        fail(("from",), "'from' must be a background id or a list of them")
    for i, bid in enumerate(bgs):
        known(("from",) if isinstance(raw_from, str) else ("from", i), cat.background, bid)
    skills: dict[str, int] = {}
    raw_skills = {} if data.get("skills") is None else data["skills"]
    if isinstance(raw_skills, list):
        if not all(isinstance(s, str) for s in raw_skills):
            fail(("skills",), "'skills' must map skill ids to levels 1-3, or list skill ids")
        for i, sid in enumerate(raw_skills):
            known(("skills", i), cat.skill, sid)
        raw_skills = {s: 2 for s in raw_skills}
    if not isinstance(raw_skills, dict):
        fail(("skills",), "'skills' must map skill ids to levels 1-3")
    for sid, lvl in raw_skills.items():
        if not isinstance(lvl, int) or isinstance(lvl, bool) or not 1 <= lvl <= 3:
            fail(("skills", sid), f"skill '{sid}' needs a level 1, 2 or 3")
        known(("skills", sid), cat.skill, sid)
        skills[sid] = lvl
    level = data.get("level")
    if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 8):
        fail(("level",), "'level' must be an RQF level 0-8")
    age = data.get("age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool)):
        fail(("age",), "'age' must be a whole number")
    if age is not None and not 14 <= age <= 99:
        fail(("age",), "'age' must be between 14 and 99")
    region = data.get("region")
    if region is not None:
        if not isinstance(region, str):
            fail(("region",), "'region' must be a region id (see `cgtpaths regions`)")
        known(("region",), cat.region, region)
    return list(bgs), skills, level, region, age


# ---- free text ------------------------------------------------------------------------------------


class TextMatch:
    """Immutable and compared by value, like the frozen dataclass it was: a plain class because
    creating that dataclass cost ~1.5 ms of every run's start-up."""

    __match_args__ = ("skill", "phrase", "found")
    skill: str
    phrase: str  # the name or alias that matched
    found: str  # the words as written in the text

    def __init__(self, skill: str, phrase: str, found: str) -> None:
        set_ = object.__setattr__
        set_(self, "skill", skill)
        set_(self, "phrase", phrase)
        set_(self, "found", found)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}'")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextMatch) and other.__class__ is self.__class__:
            return (self.skill, self.phrase, self.found) == (other.skill, other.phrase, other.found)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.skill, self.phrase, self.found))

    def __repr__(self) -> str:
        return f"TextMatch(skill={self.skill!r}, phrase={self.phrase!r}, found={self.found!r})"


def _variants(phrase: str) -> list[str]:
    """Common written variants: hyphens or spaces, and a plural 's'."""
    base = phrase.casefold().strip()
    out = {base, base.replace("-", " "), base.replace(" ", "-")}
    return sorted(out)


def match_text(cat: Catalogue, text: str) -> list[TextMatch]:
    """Skills named in a CV or job advert: whole words, case-insensitive, by name or alias."""
    phrases: list[tuple[str, str]] = []
    for sid, rec in cat.skills.items():
        for phrase in [rec["name"], *rec["aliases"]]:
            for variant in _variants(phrase):
                phrases.append((variant, sid))
    # longest phrases first, so 'batch record review' wins over 'batch record'
    phrases.sort(key=lambda p: (-len(p[0]), p[0]))
    starts = _word_starts(text)
    taken = bytearray(len(text))  # 1 where an earlier (longer) phrase matched: a flag per character
    found: dict[str, TextMatch] = {}
    for phrase, sid in phrases:
        for m in _finditer(phrase, text, starts):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            if sid not in found:
                found[sid] = TextMatch(sid, phrase, m.group(0))
    return sorted(found.values(), key=lambda x: x.skill)


# A long CV must not cost one scan of the whole text per phrase (a 1 MB CV took 40 s): a match
# can only start where a word starts, so the text's words are indexed once and each phrase is
# tried only where its first word occurs. The results are exactly those of re.finditer.
_WORD_RUN = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
# characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not map them there
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s"})


def _fold(word: str) -> str:
    return word.replace("\u0130", "i").lower().translate(_FOLD)


def _word_starts(text: str) -> dict[str, list[int]]:
    """Folded word -> where it starts in the text."""
    starts: dict[str, list[int]] = {}
    folded = _fold(text)  # same length as text: U+0130 is the only character lower() makes longer
    for m in _WORD_RUN.finditer(text):
        starts.setdefault(folded[m.start() : m.end()], []).append(m.start())
    return starts


def _finditer(phrase: str, text: str, starts: dict[str, list[int]]) -> list[re.Match[str]]:
    """re.finditer of the phrase's pattern over the text, trying only where its first word starts."""
    first = _ASCII_WORD.match(phrase)
    if first is None or (first.end() < len(phrase) and phrase[first.end()].isalnum()):
        return list(_pattern(phrase).finditer(text))  # not starting with a plain ASCII word: scan it all
    word = first.group()
    keys = [word, word + "s"] if first.end() == len(phrase.split()[0]) else [word]
    if not any(key in starts for key in keys):
        return []
    pattern = _pattern(phrase)
    out: list[re.Match[str]] = []
    end = 0
    for start in sorted(pos for key in keys for pos in starts.get(key, ())):
        if start < end:
            continue  # inside the previous match, as finditer would skip it
        m = pattern.match(text, start)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def _pattern(phrase: str) -> re.Pattern[str]:
    # each word may take a plural 's' ("permits to work"); words may be joined by spaces or hyphens
    words = [re.escape(w) + "s?" for w in phrase.split()]
    return re.compile(r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])", flags=re.IGNORECASE)
