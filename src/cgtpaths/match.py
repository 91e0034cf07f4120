"""Match a profile to roles: an asymmetric, destination-normalised skill overlap.

Each skill a role needs counts min(have, need) / need, weighted (essential above optional); the
score is the weighted mean, 0-1. 'have' is the profile's level, or partial credit through an
explicit `related` link in the data - never by guesswork. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cgtpaths import tuning
from cgtpaths.catalogue import Catalogue
from cgtpaths.profile import Profile

Record = dict[str, Any]


@dataclass(frozen=True)
class SkillFit:
    skill: str
    name: str
    have: float  # effective level, after any partial credit
    need: int
    essential: bool
    via: str | None = None  # the related skill that gave partial credit
    category: str = ""
    specificity: float = 1.0

    @property
    def weight(self) -> float:
        return skill_weight(self.essential, self.category, self.specificity)

    @property
    def status(self) -> str:
        if self.have >= self.need:
            return "have"
        return "partly" if self.have > 0 else "missing"


@dataclass(frozen=True)
class ProgrammeOption:
    id: str
    title: str
    enterable: bool
    reasons: tuple[str, ...] = ()  # why not enterable, or caveats (e.g. funding by age)


@dataclass(frozen=True)
class Gap:
    fit: SkillFit
    options: tuple[ProgrammeOption, ...]  # programmes teaching the skill to the level needed

    @property
    def programmes(self) -> list[str]:
        return [o.id for o in self.options if o.enterable]


@dataclass(frozen=True)
class Blocker:
    kind: str  # level | gate
    text: str


@dataclass(frozen=True)
class Match:
    role: str
    title: str
    family: str
    score: float
    band: str
    transferable: tuple[SkillFit, ...]
    gaps: tuple[Gap, ...]
    blockers: tuple[Blocker, ...] = field(default=())

    @property
    def direct(self) -> bool:
        return not self.blockers


def skill_weight(essential: bool, category: str, specificity: float) -> float:
    """How much one of a role's skills counts in its score (docs/method.md explains each factor)."""
    base = tuning.ESSENTIAL_WEIGHT if essential else tuning.OPTIONAL_WEIGHT
    return base * tuning.CATEGORY_WEIGHTS.get(category, 1.0) * specificity


def effective_level(cat: Catalogue, profile: Profile, skill: str) -> tuple[float, str | None]:
    """The profile's level in `skill`, or partial credit from an explicit related skill."""
    have = float(profile.skills.get(skill, 0))
    via = None
    for link in cat.skills[skill]["related"]:
        credited = link["credit"] * profile.skills.get(link["skill"], 0)
        if credited > have:
            have, via = credited, link["skill"]
    return have, via


def fits(cat: Catalogue, profile: Profile, role: Record) -> list[SkillFit]:
    out = []
    for need in role["skills"]:
        have, via = effective_level(cat, profile, need["skill"])
        skill = cat.skills[need["skill"]]
        out.append(
            SkillFit(
                need["skill"],
                skill["name"],
                have,
                need["level"],
                need["essential"],
                via,
                skill["category"],
                cat.specificity[need["skill"]],
            )
        )
    return out


def score(skill_fits: list[SkillFit]) -> float:
    total = weight_sum = 0.0
    for f in skill_fits:
        total += f.weight * min(f.have, f.need) / f.need
        weight_sum += f.weight
    return round(total / weight_sum, 4) if weight_sum else 0.0


def blockers(profile: Profile, role: Record) -> list[Blocker]:
    """Why a role is not a direct move for this profile (empty when it is)."""
    out = []
    if role["entry_level"] > profile.rqf + tuning.MAX_LEVEL_JUMP:
        out.append(Blocker("level", f"usually needs RQF level {role['entry_level']}; you have level {profile.rqf}"))
    for gate in role["gates"]:
        if gate["kind"] == "qualification" and gate.get("min_level") and gate["min_level"] <= profile.rqf:
            continue
        out.append(Blocker("gate", gate["text"]))
    if role["experience_months"] and not any(g["kind"] == "experience" for g in role["gates"]):
        out.append(Blocker("gate", f"usually about {role['experience_months']} months' experience in an earlier role"))
    return out


def enterability(cat: Catalogue, profile: Profile, programme: Record) -> ProgrammeOption:
    """Can this person start this programme? Level and region exclude; age-limited funding warns."""
    reasons: list[str] = []
    ok = True
    if programme["entry_level"] > profile.rqf:
        ok = False
        reasons.append(f"needs RQF level {programme['entry_level']} to start")
    elif programme["level"] is not None and programme["level"] - profile.rqf > tuning.MAX_PROGRAMME_LEVEL_JUMP:
        ok = False
        reasons.append(f"an RQF {programme['level']} programme is too big a step from level {profile.rqf}")
    if profile.region is not None and not cat.serves_region(programme, profile.region):
        ok = False
        reasons.append(f"not offered in {cat.title('regions', profile.region)}")
    if programme["status"] == "closed":
        ok = False
        reasons.append("closed to new applicants")
    reasons.extend(funding_caveats(profile, programme))
    return ProgrammeOption(programme["id"], programme["title"], ok, tuple(reasons))


def funding_caveats(profile: Profile, programme: Record) -> list[str]:
    """Age limits on funding: a caveat when age is unknown, a warning when it is outside them."""
    limited: dict[str, list[str]] = {}
    for f in programme["funding"]:
        lo, hi = f.get("age_min"), f.get("age_max")
        if lo is None and hi is None:
            continue
        span = f"ages {lo or 'any'}-{hi or 'any'}"
        if profile.age is None or (lo is not None and profile.age < lo) or (hi is not None and profile.age > hi):
            limited.setdefault(span, []).append(f["kind"])
    out = []
    for span, kinds in limited.items():
        if profile.age is None:
            out.append(f"{' and '.join(kinds)} funding only for {span}")
        else:
            out.append(f"not {' or '.join(kinds)}-funded at your age ({span} only)")
    return out


def gap_options(
    cat: Catalogue, profile: Profile, fit: SkillFit, seen: dict[str, ProgrammeOption] | None = None
) -> tuple[ProgrammeOption, ...]:
    seen = {} if seen is None else seen  # enterability depends on the profile and programme only
    options = []
    for pid, level in cat.taught_by.get(fit.skill, []):
        if level >= fit.need and pid not in profile.completed:
            option = seen.get(pid)
            if option is None:
                option = seen[pid] = enterability(cat, profile, cat.programmes[pid])
            options.append(option)
    # quickest first: the first programme listed is the one a person would usually start with
    options.sort(key=lambda o: (not o.enterable, programme_months(cat.programmes[o.id])[0], o.id))
    return tuple(options)


def programme_months(programme: Record) -> tuple[float, bool]:
    """(months used for planning, whether the duration is sourced)."""
    if programme["duration_months"] is None:
        return tuning.UNKNOWN_DURATION_BY_KIND.get(programme["kind"], tuning.UNKNOWN_DURATION_MONTHS), False
    return float(programme["duration_months"]), True


def match_role(cat: Catalogue, profile: Profile, role: Record, seen: dict[str, ProgrammeOption] | None = None) -> Match:
    skill_fits = fits(cat, profile, role)
    value = score(skill_fits)
    transferable = tuple(f for f in skill_fits if f.have > 0)
    seen = {} if seen is None else seen
    gaps = tuple(
        Gap(f, gap_options(cat, profile, f, seen))
        for f in sorted(skill_fits, key=lambda f: (not f.essential, f.skill))
        if f.have < f.need
    )
    return Match(
        role["id"],
        role["title"],
        role["family"],
        value,
        tuning.band(value),
        transferable,
        gaps,
        tuple(blockers(profile, role)),
    )


def match(cat: Catalogue, profile: Profile, *, family: str | None = None, top: int | None = None) -> list[Match]:
    """Roles ranked by score (highest first), ties broken by id.

    Every role is scored, but only the roles returned are explained (gaps and the training for
    each): at 3,000 roles that is most of the work saved."""
    ranked = sorted(
        (
            (role_score(cat, profile, role), rid)
            for rid, role in cat.roles.items()
            if family is None or role["family"] == family
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if top is not None:
        ranked = ranked[:top]
    seen: dict[str, ProgrammeOption] = {}
    return [match_role(cat, profile, cat.roles[rid], seen) for _, rid in ranked]


def role_score(cat: Catalogue, profile: Profile, role: Record) -> float:
    """The same number as score(fits(...)), without building the explanation: every role is
    scored on each query, only the ones shown are explained."""
    total = weight_sum = 0.0
    for need in role["skills"]:
        sid = need["skill"]
        have, _ = effective_level(cat, profile, sid)
        weight = skill_weight(need["essential"], cat.skills[sid]["category"], cat.specificity[sid])
        total += weight * min(have, need["level"]) / need["level"]
        weight_sum += weight
    return round(total / weight_sum, 4) if weight_sum else 0.0


def feeders(cat: Catalogue, role_id: str) -> list[tuple[Record, Match]]:
    """Backgrounds ranked by how well they fit this role (the reverse view)."""
    role = cat.role(role_id)
    from cgtpaths.profile import build

    out = []
    for bid in sorted(cat.backgrounds):
        profile = build(cat, backgrounds=[bid])
        out.append((cat.backgrounds[bid], match_role(cat, profile, role)))
    out.sort(key=lambda pair: (-pair[1].score, pair[0]["id"]))
    return out
