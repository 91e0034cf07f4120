"""Format-neutral helpers shared by every renderer: safe text and plain-English labels."""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline, plus DEL: never written raw
# C0 and C1 controls (not tab or newline), DEL, and the bidirectional overrides and isolates,
# which can make text display in a different order from the one it is stored in
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SKILL_LEVELS = {0: "none", 1: "aware", 2: "practised", 3: "expert"}
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
    return f"RQF {level} ({RQF_WORDS.get(level, 'level ' + str(level))})"


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
