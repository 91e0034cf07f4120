"""A profile: what we know about the user. Built from a background, explicit skills, a profile
file's data or free text; sources combine (the highest level of each skill wins)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from cgtpaths.catalogue import Catalogue
from cgtpaths.errors import CgtpathsError, UsageError, unknown_id


@dataclass(frozen=True)
class Profile:
    skills: dict[str, int] = field(default_factory=dict)  # skill id -> level 1-3
    level: int | None = None  # RQF level held
    region: str | None = None
    age: int | None = None
    backgrounds: tuple[str, ...] = ()
    completed: tuple[str, ...] = ()  # programmes assumed done (--with)

    @property
    def rqf(self) -> int:
        return 0 if self.level is None else self.level

    def as_dict(self) -> dict[str, Any]:
        return {
            "skills": dict(sorted(self.skills.items())),
            "level": self.level,
            "region": self.region,
            "age": self.age,
            "from": list(self.backgrounds),
            "with": list(self.completed),
        }


def merge_skill(skills: dict[str, int], skill: str, level: int) -> None:
    if level > skills.get(skill, 0):
        skills[skill] = level


def parse_skill_arg(cat: Catalogue, text: str) -> tuple[str, int]:
    """'gmp' or 'gmp=2' -> (id, level). Names and aliases are accepted too."""
    name, _, raw = text.partition("=")
    name = name.strip()
    level = 2
    if raw:
        if raw.strip() not in {"1", "2", "3"}:
            raise UsageError(f"--skill {text}: the level after '=' must be 1, 2 or 3")
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
) -> Profile:
    merged: dict[str, int] = {}
    implied_level: int | None = None
    for bid in backgrounds:
        bg = cat.background(bid)
        for have in bg["skills"]:
            merge_skill(merged, have["skill"], have["level"])
        implied_level = max(implied_level or 0, bg["typical_level"])
    for sid, lvl in skills:
        cat.skill(sid)
        merge_skill(merged, sid, lvl)
    for sid, lvl in (extra or {}).items():
        merge_skill(merged, sid, lvl)
    if region is not None:
        cat.region(region)
    if age is not None and not 14 <= age <= 99:
        raise UsageError("--age must be between 14 and 99")
    return Profile(merged, level if level is not None else implied_level, region, age, tuple(backgrounds))


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
    return replace(profile, skills=skills, level=level, completed=(*profile.completed, *programme_ids))


def from_mapping(
    cat: Catalogue, data: object, where: str
) -> tuple[list[str], dict[str, int], int | None, str | None, int | None]:
    """Read a profile file's content: {from: [...], skills: {id: level}, level, region, age}."""
    if not isinstance(data, dict):
        raise CgtpathsError(f"{where}: a profile must be a mapping with keys from, skills, level, region, age")
    allowed = {"from", "skills", "level", "region", "age"}
    extra = sorted(set(data) - allowed)
    if extra:
        raise CgtpathsError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}")
    raw_from = data.get("from") or []
    bgs = [raw_from] if isinstance(raw_from, str) else list(raw_from)
    skills: dict[str, int] = {}
    raw_skills = data.get("skills") or {}
    if isinstance(raw_skills, list):
        raw_skills = {str(s): 2 for s in raw_skills}
    if not isinstance(raw_skills, dict):
        raise CgtpathsError(f"{where}: 'skills' must map skill ids to levels 1-3")
    for sid, lvl in raw_skills.items():
        if not isinstance(lvl, int) or isinstance(lvl, bool) or not 1 <= lvl <= 3:
            raise CgtpathsError(f"{where}: skill '{sid}' needs a level 1, 2 or 3")
        cat.skill(str(sid))
        skills[str(sid)] = lvl
    level = data.get("level")
    if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 8):
        raise CgtpathsError(f"{where}: 'level' must be an RQF level 0-8")
    age = data.get("age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool)):
        raise CgtpathsError(f"{where}: 'age' must be a whole number")
    region = data.get("region")
    return [str(b) for b in bgs], skills, level, None if region is None else str(region), age


# ---- free text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMatch:
    skill: str
    phrase: str  # the name or alias that matched
    found: str  # the words as written in the text


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
    taken: list[tuple[int, int]] = []
    found: dict[str, TextMatch] = {}
    for phrase, sid in phrases:
        # each word may take a plural 's' ("permits to work"); words may be joined by spaces or hyphens
        words = [re.escape(w) + "s?" for w in phrase.split()]
        pattern = r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            if sid not in found:
                found[sid] = TextMatch(sid, phrase, m.group(0))
    return sorted(found.values(), key=lambda x: x.skill)
