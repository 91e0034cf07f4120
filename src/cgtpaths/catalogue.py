"""The loaded dataset as an immutable, indexed catalogue: lookups, derived links and search.

Built from plain data (see load.py), so it needs neither YAML nor pydantic.
"""

from __future__ import annotations

import re
from functools import cached_property
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from cgtpaths import tuning
from cgtpaths.errors import unknown_id

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

Record = dict[str, Any]
# shortlist_bounds: (dense skills, each role's weight on them, role positions by that share)
Bounds = tuple[frozenset[str], "Sequence[float]", "Sequence[int]"]
TABLES = ("skills", "roles", "programmes", "backgrounds", "regions", "qualifications", "funding", "outlook")
KIND_LABELS = {
    "roles": "role",
    "programmes": "programme",
    "skills": "skill",
    "backgrounds": "background",
    "regions": "region",
}


class Hit(NamedTuple):
    kind: str  # role | programme | skill | background | region
    id: str
    title: str
    score: float
    why: str


class Catalogue:
    """Records by id, per kind. Each table is a dict after a real load, or a store.LazyTable when
    answered from the cache (read a record at a time); both are Mappings, used the same way."""

    def __init__(self, data: dict[str, list[Record]], dataset: Record) -> None:
        self.dataset = dataset
        self.skills: Mapping[str, Record] = {r["id"]: r for r in data["skills"]}
        self.roles: Mapping[str, Record] = {r["id"]: r for r in data["roles"]}
        self.programmes: Mapping[str, Record] = {r["id"]: r for r in data["programmes"]}
        self.backgrounds: Mapping[str, Record] = {r["id"]: r for r in data["backgrounds"]}
        self.regions: Mapping[str, Record] = {r["id"]: r for r in data.get("regions", [])}
        self.qualifications: Mapping[str, Record] = {r["id"]: r for r in data.get("qualifications", [])}
        self.funding: Mapping[str, Record] = {r["id"]: r for r in data.get("funding", [])}
        self.outlook: Mapping[str, Record] = {r["id"]: r for r in data.get("outlook", [])}

    @classmethod
    def from_tables(cls, tables: dict[str, Mapping[str, Record]], dataset: Record) -> Catalogue:
        """A catalogue over ready-made tables (the cache's lazy ones), sharing them as they are."""
        cat = cls.__new__(cls)
        cat.dataset = dataset
        for kind in TABLES:
            setattr(cat, kind, tables[kind])
        return cat

    # ---- lookups that fail with a "did you mean" -------------------------------------------------
    def _get(self, table: Mapping[str, Record], kind: str, rid: str) -> Record:
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
        table: Mapping[str, Record] = getattr(self, kind)
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
    def role_levels(self) -> dict[str, tuple[int, int, tuple[tuple[str, int], ...]]]:
        """role id -> (lowest entry level, usual level, its core skills with the level needed): all
        ranking needs of a role's record besides its score, so ranking reads no role record it does
        not explain (a warm query reads only those from the cache)."""
        out = {}
        for rid, role in self.roles.items():
            core = self.core_skills(rid)
            needs = tuple((n["skill"], n["level"]) for n in role_needs(role) if n["skill"] in core)
            out[rid] = (role["entry_level"], max(role["entry_level"], role.get("usual_level") or 0), needs)
        return out

    @cached_property
    def months(self) -> dict[str, float]:
        """programme id -> the months planning counts for it (tuning.programme_months): what judging
        a gap's training as short needs, without reading the programme's record."""
        return {pid: tuning.programme_months(p)[0] for pid, p in self.programmes.items()}

    @cached_property
    def progressed_from(self) -> dict[str, list[str]]:
        """role id -> roles that list it as a progression step."""
        index: dict[str, list[str]] = {}
        for rid in sorted(self.roles):
            for target in self.roles[rid]["progression"]:
                index.setdefault(target, []).append(rid)
        return index

    # ---- the engine's scoring index (match.rank): which roles need each skill, and how much --------
    @cached_property
    def role_order(self) -> tuple[list[str], list[str], list[float]]:
        """(role ids sorted, each role's family, each role's total skill weight): postings name roles
        by their position here."""
        return self._scoring[0]

    @cached_property
    def postings(self) -> dict[str, list[tuple[int, list[int], list[float]]]]:
        """skill id -> [(level needed, positions of the roles needing it at that level, their weights)]."""
        return self._scoring[1]

    @cached_property
    def _scoring(
        self,
    ) -> tuple[tuple[list[str], list[str], list[float]], dict[str, list[tuple[int, list[int], list[float]]]]]:
        """role_order and postings, made in one pass."""
        ids = sorted(self.roles)
        families, sums = [], []
        grouped: dict[str, dict[int, tuple[list[int], list[float]]]] = {}
        for position, rid in enumerate(ids):
            role = self.roles[rid]
            families.append(role["family"])
            total = 0.0
            core = self.core_skills(rid)
            for need in role_needs(role):  # the order match.role_score adds them in
                weight = self.weight(need, need["skill"] in core)
                total += weight
                levels = grouped.get(need["skill"])  # (not setdefault: its default is built every time)
                if levels is None:
                    levels = grouped[need["skill"]] = {}
                group = levels.get(need["level"])
                if group is None:
                    group = levels[need["level"]] = ([], [])
                group[0].append(position)
                group[1].append(weight)
            sums.append(total)
        postings = {sid: [(level, *pair) for level, pair in sorted(levels.items())] for sid, levels in grouped.items()}
        return (ids, families, sums), postings

    # set by load._from_store: the bounds as the cache stored them (pack_bounds), read on first use
    stored_bounds: Callable[[], Any] | None = None

    @cached_property
    def bounds(self) -> Bounds:
        """For ranking a large catalogue by its best few (match.rank): shortlist_bounds at the
        tuning's share."""
        if self.stored_bounds is not None:
            from cgtpaths.store import unpack

            dense, on_dense, order = self.stored_bounds()
            return frozenset(dense), unpack("d", on_dense), unpack("I", order)
        return shortlist_bounds(self, max(1, round(len(self.role_order[0]) * tuning.DENSE_SKILL_SHARE)))

    @cached_property
    def training_for(self) -> dict[str, tuple[list[str], bytes, list[str], list[int]]]:
        """skill id -> the programmes teaching it, quickest first, then by id, as columns: their ids,
        the level each reaches (one byte each), their titles, and the position of each one's
        entry_conditions in `entry_conditions`. A gap's options are read in order, with no
        programme record and no sort; columns unmarshal ~5x faster than a tuple per programme."""
        conditions = {condition: i for i, condition in enumerate(self.entry_conditions)}
        rows: dict[str, list[tuple[float, str, int, str, int]]] = {}
        for pid in sorted(self.programmes):
            programme = self.programmes[pid]
            months = tuning.programme_months(programme)[0]
            condition = conditions[entry_conditions(programme, self.funding)]
            for taught in programme["teaches"]:
                row = (months, pid, taught["level"], programme["title"], condition)
                found = rows.get(taught["skill"])
                if found is None:
                    rows[taught["skill"]] = [row]
                else:
                    found.append(row)
        index = {}
        for sid, found in rows.items():
            found.sort(key=itemgetter(0))  # stable: the rows came in programme id order
            index[sid] = (
                list(map(itemgetter(1), found)),
                bytes(map(itemgetter(2), found)),
                list(map(itemgetter(3), found)),
                list(map(itemgetter(4), found)),
            )
        return index

    @cached_property
    def entry_conditions(self) -> list[EntryConditions]:
        """Every distinct entry_conditions among the programmes, in first-seen order by id: the
        programmes alike in these get the same verdict for a person (match.Seen keeps it)."""
        seen: dict[EntryConditions, None] = {}
        for pid in sorted(self.programmes):
            seen.setdefault(entry_conditions(self.programmes[pid], self.funding), None)
        return list(seen)

    @cached_property
    def entry_groups(self) -> tuple[list[tuple[Any, ...]], list[int]]:
        """The entry_conditions grouped by all but where a programme is taught (mode, regions),
        which is all that decides a verdict for someone who names no region: (each group's
        (entry level, level, status, funding, access), each entry_conditions' group by position)."""
        groups: dict[tuple[Any, ...], int] = {}
        group_of = [groups.setdefault((c[0], c[1], c[2], c[5], c[6]), len(groups)) for c in self.entry_conditions]
        return list(groups), group_of

    @cached_property
    def credit_from(self) -> dict[str, list[str]]:
        """skill id -> the skills whose `related` links give partial credit for having it."""
        index: dict[str, list[str]] = {}
        for sid in sorted(self.skills):
            for link in self.skills[sid]["related"]:
                index.setdefault(link["skill"], []).append(sid)
        return index

    def weight(self, need: Record, core: bool) -> float:
        """How much one of a role's skills counts in its score (tuning.skill_weight): from the role's
        own record only. The same for every need alike, so each is worked out once."""
        key = (need["skill"], need["essential"], core)
        found = self._weights.get(key)
        if found is None:
            found = self._weights[key] = tuning.skill_weight(
                need["essential"], core, self.skills[need["skill"]]["category"]
            )
        return found

    @cached_property
    def _weights(self) -> dict[tuple[str, bool, bool], float]:
        return {}

    def core_skills(self, rid: str) -> frozenset[str]:
        """A role's core skills: those the data marks `core`; for a role that marks none (an
        overlay's, say), its essential skills other than generic behaviours."""
        found = self._core.get(rid)
        if found is None:
            found = self._core[rid] = core_of(self.roles[rid], self.skills)
        return found

    @cached_property
    def _core(self) -> dict[str, frozenset[str]]:
        return {}

    def terms(self, rid: str) -> tuple[tuple[str, int, float, bool], ...]:
        """A role's (skill, level needed, weight, core) in role_needs' order: the terms of its score,
        worked out once per role."""
        found = self._terms.get(rid)
        if found is None:
            core = self.core_skills(rid)
            needs = role_needs(self.roles[rid])
            found = self._terms[rid] = tuple(
                (n["skill"], n["level"], self.weight(n, n["skill"] in core), n["skill"] in core) for n in needs
            )
        return found

    @cached_property
    def _terms(self) -> dict[str, tuple[tuple[str, int, float, bool], ...]]:
        return {}

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
        return self.serves(programme["mode"], programme["regions"], rid)

    def serves(self, mode: str, regions: Sequence[str], rid: str) -> bool:
        if mode == "online":
            return True
        wanted = set(self.region_and_ancestors(rid))
        for offered in regions:
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


# What deciding whether someone can start a programme needs (match._verdict): its entry level,
# level, status, mode, regions, the age limits of each funding source (kind or rule id, min, max),
# and who may start it (access).
EntryConditions = tuple[
    int, int | None, str, str, tuple[str, ...], tuple[tuple[str, int | None, int | None], ...], tuple[str, ...]
]


def entry_conditions(programme: Record, rules: Mapping[str, Record] | None = None) -> EntryConditions:
    """The conditions to start a programme. Age limits come from its own funding facts and from the
    open-ended funding rules it names (a rule with an end date is a past or passing rule)."""
    ages = [(f["kind"], f.get("age_min"), f.get("age_max")) for f in programme["funding"]]
    for rid in programme.get("funding_rules", ()):
        rule = (rules or {}).get(rid)
        if rule is not None and rule["effective_to"] is None and (rule["age_min"] or rule["age_max"]):
            ages.append((rule["title"], rule["age_min"], rule["age_max"]))
    return (
        programme["entry_level"],
        programme["level"],
        programme["status"],
        programme["mode"],
        tuple(programme["regions"]),
        tuple(ages),
        tuple(programme.get("access") or ("open",)),
    )


def pack_bounds(bounds: Bounds) -> tuple[list[str], bytes, bytes]:
    """Catalogue.bounds as the cache stores them: the dense skills, and two packed arrays."""
    from array import array

    dense, on_dense, order = bounds
    return sorted(dense), array("d", on_dense).tobytes(), array("I", order).tobytes()


def shortlist_bounds(cat: Catalogue, dense_min: int) -> Bounds:
    """(the 'dense' skills: those at least `dense_min` roles list; each role's total weight on dense
    skills, by role position; the role positions by that total's share of the role's whole weight,
    largest first, ties by position). A role's score is at most (the weight of the other skills it
    shares with a profile + its weight on dense skills) / its whole weight: a bound that needs none
    of the dense skills' long postings."""
    _, _, sums = cat.role_order
    dense = frozenset(
        sid for sid, groups in cat.postings.items() if sum(len(positions) for _, positions, _ in groups) >= dense_min
    )
    on_dense = [0.0] * len(sums)
    for sid in sorted(dense):
        for _, positions, weights in cat.postings[sid]:
            for position, weight in zip(positions, weights, strict=True):
                on_dense[position] += weight
    order = sorted(range(len(sums)), key=lambda p: (-on_dense[p] / sums[p], p))
    return dense, on_dense, order


_SKILL_AND_LEVEL = itemgetter("skill", "level")


def core_of(role: Record, skills: Mapping[str, Record]) -> frozenset[str]:
    marked = frozenset(n["skill"] for n in role["skills"] if n.get("core"))
    if marked:
        return marked
    return frozenset(
        n["skill"]
        for n in role["skills"]
        if n["essential"] and skills[n["skill"]]["category"] not in tuning.GENERIC_CATEGORIES
    )


def role_needs(role: Record) -> list[Record]:
    """A role's skills in the one order every score adds them up in (by skill id), so a score
    computed from the postings is the same float as one computed role by role."""
    return sorted(role["skills"], key=_SKILL_AND_LEVEL)


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
