"""Format-neutral helpers shared by every renderer: safe text and plain-English labels."""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline, plus DEL: never written raw
# C0 and C1 controls (not tab or newline), DEL, and the bidirectional overrides and isolates,
# which can make text display in a different order from the one it is stored in
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SKILL_LEVELS = {0: "none", 1: "aware", 2: "practised", 3: "expert"}

# ---- words for people: the one place band ids and levels become words (issue 17) ----------------
# The engine's band ids, as a phrase a reader understands; the number itself is shown only with
# --explain and in JSON. An id the engine adds later reads as the plain id until it is given words.
BAND_PHRASES = {
    "strong": "a strong fit",
    "good": "worth a look",
    "stretch": "a longer route",
    "not yet": "a longer route",
}
# what someone has, and what a role needs, at each skill level (0 none .. 3 expert)
HAVE_WORDS = {
    0: "not yet",
    1: "you've done this a little",
    2: "you do this often",
    3: "you could teach this",
}
NEED_WORDS = {
    1: "you'll need to know the basics",
    2: "you'll need to do this confidently",
    3: "you'll need to be an expert",
}
PARTLY = "some, not yet enough"
# RQF, explained once by example wherever a level is first named
RQF_EXPLAINED = (
    "Levels are qualification levels (the RQF): level 2 is GCSEs at grades 9 to 4, "
    "level 3 is A levels, T Levels or a Level 3 apprenticeship, level 6 is a degree."
)
# acronyms spelled out the first time a page uses them
ACRONYMS = {
    "ATMP": "advanced therapy medicinal product",
    "ATMPs": "advanced therapy medicinal products",
    "CGT": "cell and gene therapy",
    "COSHH": "Control of Substances Hazardous to Health",
    "GDocP": "good documentation practice",
    "GMP": "Good Manufacturing Practice",
    "GDP": "Good Distribution Practice",
    "OOS": "out of specification",
    "QC": "quality control",
    "QA": "quality assurance",
    "QP": "Qualified Person",
    "SOP": "standard operating procedure",
    "SOPs": "standard operating procedures",
    "HAZOP": "hazard and operability study",
    "CAPA": "corrective and preventive action",
    "MSAT": "manufacturing science and technology",
    "ATAC": "Advanced Therapies Apprenticeship Community",
    "ATSTN": "Advanced Therapies Skills Training Network",
    "MHRA": "Medicines and Healthcare products Regulatory Agency",
    "HCPC": "Health and Care Professions Council",
    "IfATE": "Institute for Apprenticeships and Technical Education",
    "NHS": "National Health Service",
    "HNC": "Higher National Certificate",
    "HND": "Higher National Diploma",
}


def band_phrase(band: str) -> str:
    return BAND_PHRASES.get(band, band)


def have_words(level: float) -> str:
    return HAVE_WORDS[int(level)] if level == int(level) else PARTLY


def need_words(level: int) -> str:
    return NEED_WORDS.get(level, SKILL_LEVELS.get(level, str(level)))


def count_words(n: int, one: str, many: str) -> str:
    """'1 skill carries', '3 skills carry': the number with the words that agree with it."""
    return f"{n} {one if n == 1 else many}"


RQF_WORDS = {
    0: "no formal qualifications",
    1: "entry level / Level 1",
    2: "GCSE grades 9-4 / Level 2",
    3: "A level, T Level or Level 3 apprenticeship",
    4: "HNC or Level 4 apprenticeship",
    5: "HND, foundation degree or Level 5 apprenticeship",
    6: "bachelor's degree or degree apprenticeship",
    7: "master's degree or Level 7 apprenticeship",
    8: "doctorate",
}
CONFIDENCE_WORDS = {
    "verified": "verified on an official page",
    "secondary": "from a secondary source",
    "inferred": "inferred (our judgement, not stated by a source)",
}


def safe(text: object) -> str:
    """Data text with control characters (ANSI escapes, bells, carriage returns) made visible."""
    return _CONTROL.sub(_visible, str(text))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def level_words(level: int | None) -> str:
    if level is None:
        return "no set level"
    return f"level {level} ({RQF_WORDS.get(level, 'level ' + str(level))})"


def months_words(months: float | None) -> str:
    if months is None:
        return "duration not known"
    if months < 1:
        days = max(1, round(months * 30))
        return f"{days} day{'s' if days != 1 else ''}"
    if months >= 12 and months % 12 == 0:
        years = int(months // 12)
        return f"{years} year{'s' if years != 1 else ''}"
    if months >= 24:
        return f"{months / 12:.1f} years"
    whole = round(months, 1)
    return f"{whole:g} month{'s' if whole != 1 else ''}"


def money(amount: int | None) -> str:
    return "not known" if amount is None else f"£{amount:,}"


def salary_figures(pay: dict[str, object]) -> str:
    """'Median £41,417 a year' and/or '£30,000 to £40,000 a year': the sourced figures, in words."""
    figures = []
    if pay.get("median"):
        figures.append(f"median {money(pay['median'])} a year")  # type: ignore[arg-type]
    if pay.get("low") or pay.get("high"):
        figures.append(f"{money(pay.get('low'))} to {money(pay.get('high'))} a year")  # type: ignore[arg-type]
    text = "; ".join(figures)
    return text[:1].upper() + text[1:]
