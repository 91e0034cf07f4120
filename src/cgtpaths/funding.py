"""Who pays for a programme, worked out from the dated rules in data/funding.yaml: the rules in force
on a day, for a person's nation and age at the start, and the employer when it is known. What depends
on the employer is said, never guessed. Pure: the caller passes today's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from cgtpaths.catalogue import Catalogue

Record = dict[str, Any]
NATIONS = ("england", "scotland", "wales", "northern-ireland")
EMPLOYERS = ("levy-payer", "non-levy", "small")


class RuleVerdict(NamedTuple):
    rule: Record
    status: str  # applies | depends-on-employer | depends-on-age | not-for-you | not-in-force
    why: str


class WhoPays(NamedTuple):
    programme: str
    on: dt.date
    verdicts: tuple[RuleVerdict, ...]
    own: tuple[Record, ...]  # the programme's own money facts: fees, funding band, studentships

    def with_status(self, status: str) -> list[RuleVerdict]:
        return [v for v in self.verdicts if v.status == status]

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "on": self.on.isoformat(),
            "rules": [
                {"id": v.rule["id"], "status": v.status, "why": v.why, "text": v.rule["text"]} for v in self.verdicts
            ],
            "own": list(self.own),
        }


def nation_of(cat: Catalogue, region: str | None) -> str | None:
    """The nation a region is in (a nation is its own), or None for the UK or no region."""
    if region is None:
        return None
    return next((r for r in cat.region_and_ancestors(region) if r in NATIONS), None)


def in_force(rule: Record, on: dt.date) -> bool:
    start, end = rule["effective_from"], rule["effective_to"]
    return (start is None or dt.date.fromisoformat(start) <= on) and (end is None or on <= dt.date.fromisoformat(end))


def who_pays(
    cat: Catalogue,
    programme: Record,
    *,
    on: dt.date,
    age: int | None = None,
    nation: str | None = None,
    employer: str | None = None,
    employer_staff: int | None = None,
) -> WhoPays:
    """Each rule the programme names, with whether it applies to this person on this day."""
    verdicts = []
    for rid in programme.get("funding_rules") or ():
        rule = cat.funding.get(rid)
        if rule is not None:
            verdicts.append(_verdict(rule, on, age, nation, employer, employer_staff))
    return WhoPays(programme["id"], on, tuple(verdicts), tuple(programme["funding"]))


def _verdict(
    rule: Record, on: dt.date, age: int | None, nation: str | None, employer: str | None, staff: int | None
) -> RuleVerdict:
    if not in_force(rule, on):
        end = rule["effective_to"]
        when = f"ended on {end}" if end and dt.date.fromisoformat(end) < on else f"starts on {rule['effective_from']}"
        return RuleVerdict(rule, "not-in-force", when)
    if nation is not None and nation not in rule["nations"]:
        return RuleVerdict(rule, "not-for-you", f"for {', '.join(rule['nations'])} only")
    lo, hi = rule["age_min"], rule["age_max"]
    if lo is not None or hi is not None:
        span = f"ages {lo or 'any'} to {hi or 'any'} at the start"
        if age is None:
            return RuleVerdict(rule, "depends-on-age", span)
        if (lo is not None and age < lo) or (hi is not None and age > hi):
            return RuleVerdict(rule, "not-for-you", span)
    kind = rule["employer"]
    if kind != "any":
        needs = {
            "levy-payer": "employers who pay the levy",
            "non-levy": "employers who do not pay the levy",
            "small": f"employers with at most {rule['employer_staff_max']} staff",
        }[kind]
        if employer is None and staff is None:
            return RuleVerdict(rule, "depends-on-employer", needs)
        if kind == "small":
            fits = staff is not None and staff <= rule["employer_staff_max"]
        else:
            fits = employer == kind or (kind == "non-levy" and employer == "small")
        if not fits:
            return RuleVerdict(rule, "not-for-you", needs)
    return RuleVerdict(rule, "applies", "")


def ending(cat: Catalogue, today: dt.date, months: int = 6) -> tuple[list[Record], list[Record]]:
    """(rules already past their end, rules ending within `months`): for data audit."""
    past, soon = [], []
    horizon = today + dt.timedelta(days=round(months * 30.44))
    for rule in sorted(cat.funding.values(), key=lambda r: r["id"]):
        end = rule["effective_to"]
        if end is None:
            continue
        day = dt.date.fromisoformat(end)
        if day < today:
            past.append(rule)
        elif day <= horizon:
            soon.append(rule)
    return past, soon


def uncovered(cat: Catalogue, today: dt.date) -> list[str]:
    """Programmes that no rule in force covers and that carry no funding fact of their own."""
    out = []
    for pid, programme in sorted(cat.programmes.items()):
        rules = [cat.funding[r] for r in programme.get("funding_rules") or () if r in cat.funding]
        if not any(in_force(r, today) for r in rules) and not programme["funding"]:
            out.append(pid)
    return out
