"""The names people type, turned into the ids the data uses.

Wherever an id is expected (a background, role, programme, skill or region), a title or an
alias works too, ignoring case, spaces, hyphens and "the" ("QC analyst", "Scotland", "North
East"). A region can also be given as a UK town, city or council area (places.txt, from the ONS
district-to-region lookup); a qualification as the words people use ("BSc", "degree", "HND",
"A level", "GCSE"). Free words that name nothing ("offshore") get the closest backgrounds as
suggestions. Pure: no typer, no rich, no I/O beyond reading the shipped places table once.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from cgtpaths.errors import CgtpathsError

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue

_WORD = re.compile(r"[a-z0-9]+")
# the data's table for each kind, and the fields that hold what people call a record
KINDS = {
    "backgrounds": ("title", "also_called"),
    "roles": ("title", "also_called"),
    "programmes": ("title",),
    "skills": ("name", "aliases"),
    "regions": ("name",),
}
SINGULAR = {"backgrounds": "background", "roles": "role", "programmes": "programme", "skills": "skill"}
SINGULAR["regions"] = "region"
NATION_WORDS = {"uk": "uk", "united kingdom": "uk", "great britain": "uk", "britain": "uk", "gb": "uk"}


def key(text: str) -> str:
    """What two names must share to be the same name: lower case words, '&' as 'and', no 'the'."""
    words = _WORD.findall(text.casefold().replace("&", " and ").replace("'", ""))
    return " ".join(w for w in words if w != "the")


def _has_invisible(text: str) -> bool:
    """True when `text` holds a control or format character (bidi overrides, zero-width marks)."""
    if text.isascii() and text.isprintable():
        return False
    import unicodedata

    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


class Place(NamedTuple):  # a NamedTuple, not a dataclass: the warm match path imports no dataclasses
    name: str
    region: str
    inferred: bool


@cache
def places() -> dict[str, Place]:
    """Every place in places.txt by its key, with the short forms people type."""
    from importlib import resources  # only when a region is typed as a place: not on the warm path

    text = (resources.files("cgtpaths.names") / "places.txt").read_text(encoding="utf-8")
    found: dict[str, Place] = {}
    aliases: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, names = line.partition(":")
        region, *marks = head.split()
        for name in (n.strip() for n in names.split("|")):
            if region == "alias":
                short, _, full = name.partition("=")
                aliases.append((short.strip(), full.strip()))
                continue
            place = Place(name, region, "inferred" in marks)
            found.setdefault(key(name), place)
            for suffix in (", City of", ", County of"):
                if name.endswith(suffix):
                    found.setdefault(key(name.removesuffix(suffix)), place)
    for short, full in aliases:
        found.setdefault(key(short), found[key(full)])
    return found


@cache
def _names(cat: Catalogue, kind: str) -> dict[str, str]:
    """Each id, title and alias of a kind by its key, to the record's id (the first record wins)."""
    table: dict[str, str] = {}
    records: Any = getattr(cat, kind)
    for rid in records:
        table.setdefault(key(rid), rid)
    for rid, rec in records.items():
        for field in KINDS[kind]:
            value = rec.get(field)
            for name in value if isinstance(value, list) else [value]:
                if isinstance(name, str) and name:
                    table.setdefault(key(name), rid)
                    # "Quality control (QC) analyst" is also "QC analyst" and "Quality control analyst"
                    bare = re.sub(r"\s*\(([^)]*)\)", "", name)
                    table.setdefault(key(bare), rid)
                    for short in re.findall(r"\(([^)]*)\)", name):
                        table.setdefault(key(re.sub(r"\s*\([^)]*\)", " " + short, name, count=1)), rid)
    return table


def lookup(cat: Catalogue, kind: str, text: str) -> str | None:
    """The id a typed name stands for, or None. Regions also take places and nation words."""
    records: Any = getattr(cat, kind)
    if text in records:
        return text
    if _has_invisible(text):  # a bidi or zero-width mark hides what was typed: never guess past it
        return None
    wanted = key(text)
    if not wanted:
        return None
    found = _names(cat, kind).get(wanted)
    if found is None and kind == "regions":
        place = places().get(wanted)
        if place is not None and place.region in records:
            found = place.region
        elif NATION_WORDS.get(wanted) in records:
            found = NATION_WORDS[wanted]
    return found


def resolve(cat: Catalogue, kind: str, text: str) -> str:
    """The id for a typed name; otherwise one clear error with the closest names as suggestions."""
    found = lookup(cat, kind, text)
    if found is not None:
        return found
    from cgtpaths.errors import odd_characters, shorten

    odd = odd_characters(text)
    if odd:  # an invisible or look-alike character: a near-identical suggestion would only puzzle
        raise CgtpathsError(f"unknown {SINGULAR[kind]} id '{shorten(text)}'{odd}")
    hint = suggestions(cat, kind, text)
    raise CgtpathsError(
        f"unknown {SINGULAR[kind]} id '{shorten(text)}'",
        hint=("Did you mean: " + "; ".join(hint) + "?") if hint else f"See `cgtpaths {kind}` for the list.",
    )


def resolve_all(cat: Catalogue, kind: str, texts: list[str] | None) -> list[str]:
    return [resolve(cat, kind, t) for t in texts or []]


def resolve_skill_arg(cat: Catalogue, arg: str) -> str:
    """--skill NAME or NAME=LEVEL with the name resolved, the level left for the profile to check."""
    name, eq, level = arg.partition("=")
    return resolve(cat, "skills", name) + eq + level


def suggestions(cat: Catalogue, kind: str, text: str, limit: int = 3) -> list[str]:
    """The closest names, as 'id (Title)': spelling first, then shared words (so 'offshore'
    finds the offshore backgrounds)."""
    import difflib  # only when a name is not found

    records: Any = getattr(cat, kind)
    names = _names(cat, kind)
    wanted = key(text)
    if not wanted:
        return []
    ids: list[str] = []
    for close in difflib.get_close_matches(wanted, list(names), n=limit, cutoff=0.75):
        if names[close] not in ids:
            ids.append(names[close])
    if ids:  # a misspelling: the near names are the answer
        return [f"{rid} ({records[rid][KINDS[kind][0]]})" for rid in ids[:limit]]
    words = set(wanted.split())
    scored = []
    for rid, rec in records.items():
        blob = set(key(" ".join(str(v) for v in _describing(rec, kind))).split())
        shared = len(words & blob) + sum(0.5 for w in words for b in blob if len(w) > 3 and w != b and w in b)
        if shared:
            scored.append((-shared, rid))
    ids += [rid for _, rid in sorted(scored) if rid not in ids]
    title = KINDS[kind][0]
    return [f"{rid} ({records[rid][title]})" for rid in ids[:limit]]


def _describing(rec: dict[str, Any], kind: str) -> list[Any]:
    out: list[Any] = [rec.get("id", "")]
    for field in (*KINDS[kind], "sector", "summary", "description"):
        value = rec.get(field)
        if isinstance(value, list):
            out += value
        elif value:
            out.append(value)
    return out


# ---- qualifications ---------------------------------------------------------------------------------

# The words people use for a qualification, to its RQF level (England, Wales and Northern Ireland;
# SCQF names in brackets are mapped to the RQF level they sit beside, as the data's
# qualifications.yaml does).
QUALIFICATION_WORDS: dict[str, int] = {
    "none": 0,
    "no qualifications": 0,
    "nothing": 0,
    "entry level": 0,
    "still at school": 1,
    "year 11": 1,
    "at school": 1,
    "level 1": 1,
    "gcse": 2,
    "gcses": 2,
    "national 5": 2,
    "level 2": 2,
    "a level": 3,
    "a levels": 3,
    "alevel": 3,
    "alevels": 3,
    "as level": 3,
    "t level": 3,
    "t levels": 3,
    "btec": 3,
    "highers": 3,
    "higher": 3,
    "advanced higher": 3,
    "level 3": 3,
    "hnc": 4,
    "cert he": 4,
    "level 4": 4,
    "hnd": 5,
    "foundation degree": 5,
    "fdsc": 5,
    "dip he": 5,
    "level 5": 5,
    "degree": 6,
    "bachelor": 6,
    "bachelors": 6,
    "bachelor s degree": 6,
    "bsc": 6,
    "ba": 6,
    "beng": 6,
    "undergraduate degree": 6,
    "degree apprenticeship": 6,
    "level 6": 6,
    "masters": 7,
    "master s": 7,
    "master": 7,
    "msc": 7,
    "ma": 7,
    "mres": 7,
    "meng": 7,
    "mpharm": 7,
    "postgraduate": 7,
    "level 7": 7,
    "phd": 8,
    "dphil": 8,
    "doctorate": 8,
    "level 8": 8,
}


def qualification_level(text: str) -> int | None:
    """The RQF level a typed answer stands for ('BSc' 6, 'HND' 5, '3' 3), or None."""
    wanted = key(text.replace(".", ""))
    if wanted.isdigit() and 0 <= int(wanted) <= 8:
        return int(wanted)
    if wanted in QUALIFICATION_WORDS:
        return QUALIFICATION_WORDS[wanted]
    # "a BSc in biology", "I have GCSEs": the highest level any word run names
    words = wanted.split()
    found = [
        QUALIFICATION_WORDS[" ".join(words[i:j])]
        for i in range(len(words))
        for j in range(i + 1, min(len(words), i + 3) + 1)
        if " ".join(words[i:j]) in QUALIFICATION_WORDS
    ]
    return max(found) if found else None
