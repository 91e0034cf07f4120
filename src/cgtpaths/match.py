"""Match a profile to roles: an asymmetric, destination-normalised skill overlap.

Each skill a role needs counts min(have, need) / need, weighted (essential above optional); the
score is the weighted mean, 0-1. 'have' is the profile's level, or partial credit through an
explicit `related` link in the data - never by guesswork. Pure: no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from cgtpaths import tuning
from cgtpaths.catalogue import Catalogue, entry_conditions, role_needs
from cgtpaths.profile import Profile
from cgtpaths.tuning import skill_weight

if TYPE_CHECKING:
    from collections.abc import Iterable

Record = dict[str, Any]


# NamedTuples rather than frozen dataclasses: as immutable, and several times cheaper to create
# (a query at ESCO scale makes thousands of ProgrammeOptions) and to define at start-up.


class SkillFit(NamedTuple):
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


class ProgrammeOption(NamedTuple):
    id: str
    title: str
    enterable: bool
    reasons: tuple[str, ...] = ()  # why not enterable, or caveats (e.g. funding by age)


class Gap(NamedTuple):
    fit: SkillFit
    options: tuple[ProgrammeOption, ...]  # programmes teaching the skill to the level needed

    @property
    def programmes(self) -> list[str]:
        return [o.id for o in self.options if o.enterable]


class Blocker(NamedTuple):
    kind: str  # level | gate
    text: str


class Match(NamedTuple):
    role: str
    title: str
    family: str
    score: float
    band: str
    transferable: tuple[SkillFit, ...]
    gaps: tuple[Gap, ...]
    blockers: tuple[Blocker, ...] = ()

    @property
    def direct(self) -> bool:
        return not self.blockers


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
    for f in sorted(skill_fits, key=lambda f: (f.skill, f.need)):  # catalogue.role_needs' order
        total += f.weight * (min(f.have, f.need) / f.need)
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
    return ProgrammeOption(programme["id"], programme["title"], *_verdict(cat, profile, *entry_conditions(programme)))


def _verdict(
    cat: Catalogue,
    profile: Profile,
    entry_level: int,
    level: int | None,
    status: str,
    mode: str,
    regions: tuple[str, ...],
    funding: tuple[tuple[str, int | None, int | None], ...],
) -> tuple[bool, tuple[str, ...]]:
    reasons: list[str] = []
    ok = True
    if entry_level > profile.rqf:
        ok = False
        reasons.append(f"needs RQF level {entry_level} to start")
    elif level is not None and level - profile.rqf > tuning.MAX_PROGRAMME_LEVEL_JUMP:
        ok = False
        reasons.append(f"an RQF {level} programme is too big a step from level {profile.rqf}")
    if profile.region is not None and not cat.serves(mode, regions, profile.region):
        ok = False
        reasons.append(f"not offered in {cat.title('regions', profile.region)}")
    if status == "closed":
        ok = False
        reasons.append("closed to new applicants")
    if funding:
        reasons.extend(_age_caveats(profile, funding))
    return ok, tuple(reasons)


def funding_caveats(profile: Profile, programme: Record) -> list[str]:
    """Age limits on funding: a caveat when age is unknown, a warning when it is outside them."""
    return _age_caveats(profile, entry_conditions(programme)[5])


def _age_caveats(profile: Profile, funding: Iterable[tuple[str, int | None, int | None]]) -> list[str]:
    limited: dict[str, list[str]] = {}
    for kind, lo, hi in funding:
        if lo is None and hi is None:
            continue
        span = f"ages {lo or 'any'}-{hi or 'any'}"
        if profile.age is None or (lo is not None and profile.age < lo) or (hi is not None and profile.age > hi):
            limited.setdefault(span, []).append(kind)
    out = []
    for span, kinds in limited.items():
        if profile.age is None:
            out.append(f"{' and '.join(kinds)} funding only for {span}")
        else:
            out.append(f"not {' or '.join(kinds)}-funded at your age ({span} only)")
    return out


class Seen:
    """What one query has already decided: each programme's option, the verdict for each of the
    catalogue's entry_conditions (enterability depends only on the profile and those), and each
    gap's options (a skill missing from several of the roles shown is worked out once)."""

    __slots__ = ("gaps", "options", "verdicts")

    def __init__(self) -> None:
        self.options: dict[str, ProgrammeOption] = {}
        self.verdicts: dict[int, tuple[bool, tuple[str, ...]]] = {}
        self.gaps: dict[tuple[str, int], tuple[ProgrammeOption, ...]] = {}


def gap_options(
    cat: Catalogue, profile: Profile, fit: SkillFit, seen: Seen | None = None
) -> tuple[ProgrammeOption, ...]:
    """The programmes teaching a skill to the level needed: those this person can start first, and
    within each group the quickest first (catalogue.training_for's order), then by id."""
    seen = Seen() if seen is None else seen
    done = seen.gaps.get((fit.skill, fit.need))
    if done is not None:
        return done
    ready: list[ProgrammeOption] = []
    other: list[ProgrammeOption] = []
    columns = cat.training_for.get(fit.skill)
    if columns is not None:
        pids, levels, titles, conditions = columns
        options, verdicts, completed, need = seen.options, seen.verdicts, profile.completed, fit.need
        for i, pid in enumerate(pids):
            if levels[i] < need or pid in completed:
                continue
            option = options.get(pid)
            if option is None:
                verdict = verdicts.get(conditions[i])
                if verdict is None:
                    verdict = verdicts[conditions[i]] = _verdict(cat, profile, *cat.entry_conditions[conditions[i]])
                option = options[pid] = ProgrammeOption(pid, titles[i], *verdict)
            (ready if option.enterable else other).append(option)
    found = seen.gaps[(fit.skill, fit.need)] = (*ready, *other)
    return found


def match_role(cat: Catalogue, profile: Profile, role: Record, seen: Seen | None = None) -> Match:
    skill_fits = fits(cat, profile, role)
    value = score(skill_fits)
    transferable = tuple(f for f in skill_fits if f.have > 0)
    seen = Seen() if seen is None else seen
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
    """Roles ranked by score (highest first), ties broken by id. Only the roles returned are
    explained (gaps and the training for each): at 3,000 roles that is most of the work saved."""
    seen = Seen()
    return [match_role(cat, profile, cat.roles[rid], seen) for _, rid in rank(cat, profile, family=family, top=top)]


def match_request(
    cat: Catalogue,
    profile: Profile,
    *,
    completed: list[str] | None = None,
    family: str | None = None,
    top: int | None = None,
) -> tuple[Profile, list[Match]]:
    """What `cgtpaths match` answers: the profile after any programmes taken as completed (--with),
    and the roles ranked for it. An unknown family is an error that names the families."""
    from cgtpaths.errors import CgtpathsError
    from cgtpaths.profile import with_programmes

    if completed:
        profile = with_programmes(cat, profile, completed)
    if family is not None:
        families = cat.role_order[1]
        if family not in families:
            raise CgtpathsError(f"no roles in family '{family}'", hint="Families: " + ", ".join(sorted(set(families))))
    return profile, match(cat, profile, family=family, top=top)


def rank(
    cat: Catalogue, profile: Profile, *, family: str | None = None, top: int | None = None
) -> list[tuple[float, str]]:
    """(score, role id), best first, ties by id: the same scores as role_score, found from the
    skills' postings (catalogue.postings) so only roles sharing a skill with the profile are
    visited. Each role's terms are added in the same order as role_score adds them, so the floats
    are identical (a property test checks it)."""
    import heapq
    from operator import truediv

    if top is not None and top <= 0:
        return []
    ids, families, sums = cat.role_order
    totals = [0.0] * len(ids)
    credited = set(profile.skills)
    for sid in profile.skills:
        credited.update(cat.credit_from.get(sid, ()))
    for sid in sorted(credited):  # skills are added in id order, as role_needs lists them
        if sid not in cat.skills:
            continue
        have, _ = effective_level(cat, profile, sid)
        if have <= 0:
            continue
        for level, positions, weights in cat.postings.get(sid, ()):
            if have >= level:  # weight * 1.0 is weight: skip the multiplication
                for position, weight in zip(positions, weights, strict=True):
                    totals[position] += weight
                continue
            factor = min(have, level) / level
            for position, weight in zip(positions, weights, strict=True):
                totals[position] += weight * factor
    values = list(map(truediv, totals, sums))  # every role lists a skill, so no sum is 0
    pool: range | list[int] = range(len(ids))
    if family is not None:
        pool = [i for i in pool if families[i] == family]
    if top is not None and top < len(pool):
        # Rounding to 4 places can tie roles whose raw scores differ, so keep every role that could
        # round to the k-th best score, then rank those exactly.
        if family is None:
            floor = round(heapq.nlargest(top, values)[-1], 4) - 1e-4
            pool = [i for i, value in enumerate(values) if value >= floor]
        else:
            floor = round(heapq.nlargest(top, [values[i] for i in pool])[-1], 4) - 1e-4
            pool = [i for i in pool if values[i] >= floor]
    ranked = sorted(((round(values[i], 4), ids[i]) for i in pool), key=lambda pair: (-pair[0], pair[1]))
    return ranked if top is None else ranked[:top]


def role_score(cat: Catalogue, profile: Profile, role: Record) -> float:
    """The same number as score(fits(...)), without building the explanation (the reference that
    rank's postings are checked against)."""
    total = weight_sum = 0.0
    for need in role_needs(role):
        have, _ = effective_level(cat, profile, need["skill"])
        weight = cat.weight(need)
        total += weight * (min(have, need["level"]) / need["level"])
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
