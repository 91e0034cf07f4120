"""Reading a CV or job advert: the skills it names (and those it says the person lacks), the
qualifications it names as an RQF level, and the registrations that gates ask to see.

The levels come from the data (qualifications.yaml, each record sourced); this module only knows the
words people write for them. Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from cgtpaths.catalogue import Catalogue
from cgtpaths.profile import TextMatch, match_text

# Words for each qualification in qualifications.yaml, most specific first (a "foundation degree" is
# not a "degree"). Acronyms are matched as written (case-sensitive) so "MA" or "BA" in ordinary text
# ("MAINTENANCE", "a BAtch") cannot count; words are matched in any case.
QUALIFICATION_WORDS: tuple[tuple[str, str, bool], ...] = (
    # (qualification id, pattern, case-sensitive)
    ("doctorate", r"\b(?:PhD|DPhil|EngD|DClinSci)\b", True),
    ("doctorate", r"\bdoctorate\b", False),
    ("masters", r"\b(?:MSc|MRes|MPhil|MSci|MEng|MChem|MPharm|MBiol(?:Sci)?|MPhys|PGDip)\b", True),
    ("masters", r"\bmaster'?s(?: degree)?\b|\bmaster of (?:science|research|engineering|pharmacy)\b", False),
    ("foundation-degree", r"\b(?:FdSc|FdA|FdEng)\b", True),
    ("foundation-degree", r"\bfoundation degree\b", False),
    ("hnd", r"\bHND\b", True),
    ("hnd", r"\bhigher national diploma\b", False),
    ("hnc", r"\bHNC\b", True),
    ("hnc", r"\bhigher national certificate\b", False),
    ("bachelors-honours", r"\b(?:BSc|BEng|B\.Sc\.?|BA \(Hons\)|BSc \(Hons\))", True),
    (
        "bachelors-honours",
        r"\bbachelor'?s(?: degree)?\b|\bhonours degree\b|\b(?:first|2:1|2:2|upper second|lower second)"
        r"(?:[- ]class)?(?: honours)? degree\b|\bgraduated? (?:with|in)\b|\bdegree in\b",
        False,
    ),
    ("advanced-higher", r"\bAdvanced Highers?\b", True),
    ("scottish-higher", r"\bHighers\b|\bHigher (?:in|grade|Biology|Chemistry|Maths|English|Physics)\b", True),
    ("a-level", r"\bA[- ]?levels?\b", False),
    ("t-level", r"\bT[- ]?levels?\b", False),
    ("btec-national", r"\bBTEC (?:National|Extended Diploma|Level 3)\b", False),
    ("national-5", r"\bNational 5s?\b|\bN5s\b", False),
    ("gcse", r"\bGCSEs?\b|\bO[- ]levels?\b", False),
)
# NVQ, SVQ and apprenticeships name their level: NVQ or SVQ level N is RQF (SCQF) level N's award.
NAMED_LEVEL = re.compile(
    r"\b(?:NVQ|SVQ)\s*(?:level\s*)?(?P<nvq>[1-5])\b|\blevel (?P<app>[2-7]) (?:\w+ )?apprenticeship\b", re.IGNORECASE
)
# Registrations a gate may ask for (match.gate_met): the words that show them, and the evidence id.
REGISTRATIONS: tuple[tuple[str, str], ...] = (
    (r"\bHCPC[- ]registered\b|\bregistered with (?:the )?HCPC\b|\bHCPC registration\b", "hcpc-registration"),
    (r"\bGPhC[- ]registered\b|\bregistered with (?:the )?GPhC\b|\bGPhC registration\b", "gphc-registration"),
    (r"\bNMC[- ]registered\b|\bregistered with (?:the )?NMC\b|\bNMC (?:registration|PIN)\b", "nmc-registration"),
)
# Words before a skill, in the same clause, that say the person does not have it, or has only a
# little of it (level 1, aware).
NEGATIONS = re.compile(
    r"\b(?:no|not yet|never|without|lack(?:ing)?|would like to (?:learn|gain|develop)|keen to (?:learn|gain)|"
    r"looking to (?:learn|gain)|want to (?:learn|gain)|hope to (?:learn|gain)|yet to)\b",
    re.IGNORECASE,
)
A_LITTLE = re.compile(
    r"\b(?:some exposure to|exposure to|aware of|awareness of|familiar with|basic knowledge of|working towards|"
    r"introduction to|an understanding of)\b",
    re.IGNORECASE,
)
# Words before a qualification that say it is not held yet.
NOT_YET_HELD = re.compile(r"\b(?:working towards|studying|taking|predicted|expected|sitting|will sit)\b", re.IGNORECASE)
CLAUSE_END = re.compile(r"[.;:!?\n]|\bbut\b", re.IGNORECASE)


class SkillFound(NamedTuple):
    skill: str
    level: int  # 2 practised; 1 aware when the text says only a little
    phrase: str  # the name or alias that matched
    found: str  # the words as written
    sure: str  # high (its name, or a phrase of two or more words) | medium (one word or an acronym)
    said: str  # the words before it that set the level ("" when none)


class Qualification(NamedTuple):
    id: str
    name: str
    rqf: int
    found: str


class Reading(NamedTuple):
    skills: tuple[SkillFound, ...]
    lacking: tuple[SkillFound, ...]  # named, but the text says the person does not have it
    qualifications: tuple[Qualification, ...]
    evidence: tuple[str, ...]

    @property
    def level(self) -> int | None:
        """The highest RQF level the text names; None when it names none (never 0)."""
        return max((q.rqf for q in self.qualifications), default=None)

    def matches(self) -> list[TextMatch]:
        return [TextMatch(s.skill, s.phrase, s.found) for s in self.skills]

    def as_dict(self) -> dict[str, object]:
        return {
            "skills": [s._asdict() for s in self.skills],
            "lacking": [s._asdict() for s in self.lacking],
            "qualifications": [q._asdict() for q in self.qualifications],
            "level": self.level,
            "evidence": list(self.evidence),
        }


def read(cat: Catalogue, text: str) -> Reading:
    found, lacking = [], []
    for m in match_text(cat, text):
        start = text.casefold().find(m.found.casefold())
        before = _clause_before(text, start)
        no = NEGATIONS.search(before)
        little = A_LITTLE.search(before)
        sure = "high" if m.phrase == cat.skills[m.skill]["name"].casefold() or " " in m.phrase.strip() else "medium"
        if no:
            lacking.append(SkillFound(m.skill, 0, m.phrase, m.found, sure, no.group(0)))
        else:
            level = 1 if little else 2
            found.append(SkillFound(m.skill, level, m.phrase, m.found, sure, little.group(0) if little else ""))
    return Reading(tuple(found), tuple(lacking), tuple(_qualifications(cat, text)), _evidence(text))


def _clause_before(text: str, start: int) -> str:
    """The words between the start of the clause and a match."""
    if start < 0:
        return ""
    head = text[:start]
    ends = list(CLAUSE_END.finditer(head))
    return head[ends[-1].end() :] if ends else head


def _qualifications(cat: Catalogue, text: str) -> list[Qualification]:
    out: dict[str, Qualification] = {}
    taken: list[tuple[int, int]] = []
    for qid, pattern, case in QUALIFICATION_WORDS:
        record = cat.qualifications.get(qid)
        if record is None:
            continue
        for m in re.finditer(pattern, text, 0 if case else re.IGNORECASE):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # inside a more specific match ("foundation degree" is not a "degree")
            if _negated(text, m.start()):
                continue  # "no A levels", "working towards a BSc"
            taken.append((m.start(), m.end()))
            out.setdefault(qid, Qualification(qid, record["name"], record["rqf"], m.group(0)))
    for m in NAMED_LEVEL.finditer(text):
        if _negated(text, m.start()):
            continue
        number = int(m.group("nvq") or m.group("app"))
        kind = "NVQ or SVQ" if m.group("nvq") else "apprenticeship"
        key = f"{kind}-{number}"
        out.setdefault(key, Qualification(key, f"{kind} level {number}", number, m.group(0)))
    return sorted(out.values(), key=lambda q: (-q.rqf, q.id))


def _negated(text: str, start: int) -> bool:
    before = _clause_before(text, start)
    return bool(NEGATIONS.search(before) or NOT_YET_HELD.search(before))


def _evidence(text: str) -> tuple[str, ...]:
    return tuple(sorted({evidence for pattern, evidence in REGISTRATIONS if re.search(pattern, text)}))
