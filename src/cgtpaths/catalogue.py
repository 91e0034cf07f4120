"""The loaded dataset as an immutable, indexed catalogue: lookups, derived links and search.

Built from plain data (see load.py), so it needs neither YAML nor pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cgtpaths.errors import unknown_id

Record = dict[str, Any]
KIND_LABELS = {
    "roles": "role",
    "programmes": "programme",
    "skills": "skill",
    "backgrounds": "background",
    "regions": "region",
}


@dataclass(frozen=True)
class Hit:
    kind: str  # role | programme | skill | background | region
    id: str
    title: str
    score: float
    why: str


class Catalogue:
    def __init__(self, data: dict[str, list[Record]], dataset: Record) -> None:
        self.dataset = dataset
        self.skills: dict[str, Record] = {r["id"]: r for r in data["skills"]}
        self.roles: dict[str, Record] = {r["id"]: r for r in data["roles"]}
        self.programmes: dict[str, Record] = {r["id"]: r for r in data["programmes"]}
        self.backgrounds: dict[str, Record] = {r["id"]: r for r in data["backgrounds"]}
        self.regions: dict[str, Record] = {r["id"]: r for r in data.get("regions", [])}
        self.qualifications: dict[str, Record] = {r["id"]: r for r in data.get("qualifications", [])}

    # ---- lookups that fail with a "did you mean" -------------------------------------------------
    def _get(self, table: dict[str, Record], kind: str, rid: str) -> Record:
        try:
            return table[rid]
        except KeyError:
            raise unknown_id(kind, rid, sorted(table)) from None

    def role(self, rid: str) -> Record:
        return self._get(self.roles, "role", rid)

    def programme(self, rid: str) -> Record:
        return self._get(self.programmes, "programme", rid)

    def background(self, rid: str) -> Record:
        return self._get(self.backgrounds, "background", rid)

    def skill(self, rid: str) -> Record:
        return self._get(self.skills, "skill", rid)

    def region(self, rid: str) -> Record:
        return self._get(self.regions, "region", rid)

    def title(self, kind: str, rid: str) -> str:
        table: dict[str, Record] = getattr(self, kind)
        rec = table.get(rid)
        if rec is None:
            return rid
        return str(rec.get("title") or rec.get("name") or rid)

    # ---- derived links ---------------------------------------------------------------------------
    @cached_property
    def entry_routes(self) -> dict[str, list[str]]:
        """role id -> programme ids that lead into it (declared on either side)."""
        routes: dict[str, set[str]] = {rid: set(r["entry_routes"]) for rid, r in self.roles.items()}
        for pid, programme in self.programmes.items():
            for rid in programme["leads_to"]:
                routes.setdefault(rid, set()).add(pid)
        return {rid: sorted(ids) for rid, ids in routes.items()}

    @cached_property
    def taught_by(self) -> dict[str, list[tuple[str, int]]]:
        """skill id -> (programme id, level reached), sorted by programme id."""
        index: dict[str, list[tuple[str, int]]] = {}
        for pid in sorted(self.programmes):
            for taught in self.programmes[pid]["teaches"]:
                index.setdefault(taught["skill"], []).append((pid, taught["level"]))
        return index

    @cached_property
    def valued_by(self) -> dict[str, list[str]]:
        """skill id -> role ids that list it."""
        index: dict[str, list[str]] = {}
        for rid in sorted(self.roles):
            for need in self.roles[rid]["skills"]:
                index.setdefault(need["skill"], []).append(rid)
        return index

    @cached_property
    def specificity(self) -> dict[str, float]:
        """skill id -> weight: high for skills few roles need, low for skills every role needs."""
        import math

        from cgtpaths.tuning import SPECIFICITY_FLOOR

        total = len(self.roles)
        return {
            sid: max(SPECIFICITY_FLOOR, math.log((total + 1) / (len(self.valued_by.get(sid, [])) + 0.5)))
            for sid in self.skills
        }

    @cached_property
    def progressed_from(self) -> dict[str, list[str]]:
        """role id -> roles that list it as a progression step."""
        index: dict[str, list[str]] = {}
        for rid in sorted(self.roles):
            for target in self.roles[rid]["progression"]:
                index.setdefault(target, []).append(rid)
        return index

    def region_and_ancestors(self, rid: str) -> list[str]:
        chain, seen = [], set()
        current: str | None = rid
        while current and current not in seen and current in self.regions:
            seen.add(current)
            chain.append(current)
            current = self.regions[current].get("parent")
        return chain or [rid]

    def serves_region(self, programme: Record, rid: str) -> bool:
        """Is a programme open to someone in region `rid`? Online, UK-wide and parent regions count."""
        if programme["mode"] == "online":
            return True
        wanted = set(self.region_and_ancestors(rid))
        for offered in programme["regions"]:
            if offered == "uk" or offered in wanted:
                return True
            # a programme in a sub-region serves someone asking about its parent nation
            if rid in self.region_and_ancestors(offered):
                return True
        return False

    # ---- search ----------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Ranked hits across every record type, by title, aliases, then descriptive text."""
        words = _words(text)
        if not words:
            return []
        phrase = " ".join(words)
        hits: list[Hit] = []
        for kind, table in (
            ("roles", self.roles),
            ("programmes", self.programmes),
            ("skills", self.skills),
            ("backgrounds", self.backgrounds),
            ("regions", self.regions),
        ):
            for rid, rec in table.items():
                hit = _score(kind, rid, rec, words, phrase)
                if hit is not None:
                    hits.append(hit)
        hits.sort(key=lambda h: (-h.score, h.kind, h.id))
        return hits[:limit]


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _names(kind: str, rec: Record) -> tuple[str, list[str], str]:
    title = str(rec.get("title") or rec.get("name") or rec["id"])
    aliases = list(rec.get("aliases", [])) + list(rec.get("also_called", []))
    body = " ".join(
        str(rec.get(k) or "") for k in ("summary", "description", "provider", "sector", "family", "kind", "standard")
    )
    body += " " + " ".join(rec.get("clusters", []) + rec.get("centres", []) + rec.get("locations", []))
    return title, aliases, body


def _score(kind: str, rid: str, rec: Record, words: list[str], phrase: str) -> Hit | None:
    title, aliases, body = _names(kind, rec)
    title_words = " ".join(_words(title)) + " " + " ".join(_words(rid))
    score, why = 0.0, ""
    if phrase == " ".join(_words(title)) or phrase == " ".join(_words(rid)):
        score, why = 10.0, "title"
    elif f" {phrase} " in f" {title_words} ":
        # the more of the title the words cover, the better: 'aseptic' ranks the skill 'Aseptic
        # technique' above a course whose long title merely contains the word
        score, why = 6.0 + len(phrase) / max(len(title_words), 1), "title"
    for alias in aliases:
        alias_words = " ".join(_words(alias))
        if phrase == alias_words:
            score, why = max(score, 8.0), why or f"also called '{alias}'"
        elif f" {phrase} " in f" {alias_words} " and score < 5.0:
            score, why = 5.0, f"also called '{alias}'"
    if score == 0.0:
        haystack = set(_words(title_words + " " + " ".join(aliases)))
        body_words = set(_words(body))
        found_title = sum(1 for w in words if w in haystack)
        found_body = sum(1 for w in words if w in body_words or w in haystack)
        if found_body == len(words):
            score = 1.0 + 2.0 * found_title / len(words)
            why = "title words" if found_title else "description"
    if score == 0.0:
        return None
    return Hit(KIND_LABELS[kind], rid, title, score, why)
