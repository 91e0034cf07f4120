"""Match a profile to roles: an asymmetric, destination-normalised skill overlap.

Each skill a role needs counts min(have, need) / need, weighted (essential above optional); the
score is the weighted mean, 0-1. 'have' is the profile's level, or partial credit through an
explicit `related` link in the data - never by guesswork. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from itertools import compress, repeat
from operator import add, ge, itemgetter, not_
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from cgtpaths import tuning
from cgtpaths.catalogue import Catalogue, entry_conditions
from cgtpaths.profile import Profile
from cgtpaths.tuning import skill_weight

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from cgtpaths.catalogue import Bounds

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
    core: bool = False  # one of the role's defining skills

    @property
    def weight(self) -> float:
        return skill_weight(self.essential, self.core, self.category)

    @property
    def covered(self) -> float:
        """min(have, need) / need: how much of this need the person covers."""
        return min(self.have, self.need) / self.need

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


# ProgrammeOption's own __new__ is Python code; Options makes them with tuple.__new__ itself (every
# field given, in order), in C.
_new_option = partial(tuple.__new__, ProgrammeOption)
Verdict = tuple[bool, tuple[str, ...]]  # (enterable, reasons)


class Options(Sequence[ProgrammeOption]):
    """A gap's programme options, as columns: the programme ids, their titles and each one's verdict.
    Reads as a sequence of ProgrammeOption, each made only when asked for: a query at national scale
    lists thousands of options, and the JSON output reads the columns (rows) without making any."""

    __slots__ = ("ids", "titles", "verdicts")

    def __init__(self, ids: tuple[str, ...], titles: tuple[str, ...], verdicts: tuple[Verdict, ...]) -> None:
        self.ids = ids
        self.titles = titles
        self.verdicts = verdicts

    def rows(self) -> Iterator[tuple[str, Verdict]]:
        """(programme id, (enterable, reasons)) for each option, in order."""
        return zip(self.ids, self.verdicts, strict=True)

    def __iter__(self) -> Iterator[ProgrammeOption]:
        return map(_new_option, map(add, zip(self.ids, self.titles, strict=True), self.verdicts))

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> ProgrammeOption: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[ProgrammeOption, ...]: ...
    def __getitem__(self, i: int | slice) -> ProgrammeOption | tuple[ProgrammeOption, ...]:
        if isinstance(i, slice):
            return tuple(self)[i]
        return ProgrammeOption(self.ids[i], self.titles[i], *self.verdicts[i])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Options):
            return (self.ids, self.titles, self.verdicts) == (other.ids, other.titles, other.verdicts)
        return tuple(self) == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # as the tuple of options it equals

    def __repr__(self) -> str:
        return f"Options({list(self)!r})"


class Gap(NamedTuple):
    fit: SkillFit
    options: Options  # programmes teaching the skill to the level needed, those one can start first

    @property
    def programmes(self) -> list[str]:
        """The ids of the options this person can start."""
        return list(compress(self.options.ids, map(itemgetter(0), self.options.verdicts)))


class Blocker(NamedTuple):
    kind: str  # level | gate | training | fit
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
    core_share: float = 1.0  # share of the role's core skills covered (bands need enough of it)
    level_fit: str = "fits"  # fits | above | below: the role's entry level against the person's
    learn_on_job: tuple[str, ...] = ()  # essential 'aware' gaps with no short course: learned at work

    @property
    def direct(self) -> bool:
        """Could apply now, or after short training they can start (docs/method.md, "Direct")."""
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
    core = cat.core_skills(role["id"])
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
                need["skill"] in core,
            )
        )
    return out


def score(skill_fits: list[SkillFit]) -> float:
    total = weight_sum = 0.0
    for f in sorted(skill_fits, key=lambda f: (f.skill, f.need)):  # catalogue.role_needs' order
        total += f.weight * f.covered
        weight_sum += f.weight
    return round(total / weight_sum, 4) if weight_sum else 0.0


def core_share(skill_fits: Iterable[SkillFit]) -> float:
    """The share of a role's core skills the person covers, each min(have, need) / need."""
    core = [f.covered for f in skill_fits if f.core]
    return round(sum(core) / len(core), 4) if core else 1.0


def level_fit(profile: Profile, role: Record, *, any_level: bool = False) -> str:
    """'above' more than MAX_LEVEL_JUMP levels above the person's stage, 'below' more than
    MAX_LEVEL_DROP below the level they hold (judged by the role's usual level where the data gives
    one), else 'fits' (also when the level is not known)."""
    return _level_fit(profile, role["entry_level"], max(role["entry_level"], role.get("usual_level") or 0), any_level)


def _level_fit(profile: Profile, entry: int, usual: int, any_level: bool) -> str:
    stage = profile.stage_level
    if any_level or stage is None:
        return "fits"
    if entry > stage + tuning.MAX_LEVEL_JUMP:
        return "above"
    if profile.level is not None and usual < profile.level - tuning.MAX_LEVEL_DROP:
        return "below"
    return "fits"


def band_for(value: float, share: float, fit: str) -> str:
    """The band: by score, capped by the share of core skills met, and at 'stretch' for a role far
    above the person (docs/method.md, "Bands")."""
    names = [name for name, _ in tuning.BANDS]
    by_score = names.index(tuning.band(value))
    by_core = next(i for i, name in enumerate(names) if share >= tuning.BAND_CORE_FLOOR[name])
    cap = names.index(tuning.FAR_ABOVE_BAND_CAP) if fit == "above" else 0
    return names[max(by_score, by_core, cap)]


def gate_met(profile: Profile, gate: Record) -> bool:
    """A gate is met only by evidence the person has: the level (and length) of a qualification,
    or the registration or eligibility it names. Training alone never meets one."""
    if gate.get("evidence") and gate["evidence"] in profile.evidence:
        return True
    if gate["kind"] == "employment":
        return True  # being hired (as a trainee or apprentice) is what applying is: shown, never a blocker
    if gate["kind"] == "qualification" and gate.get("min_level"):
        if profile.level is None or profile.level < gate["min_level"]:
            return False
        return not gate.get("min_months") or "four-year-degree" in profile.evidence
    return False


def blockers(profile: Profile, role: Record) -> list[Blocker]:
    """Why a role is not open to this profile now (level and gates; empty when none stands in the way)."""
    out = []
    if profile.level is None:
        if role["entry_level"] > 1:
            needs = f"usually needs RQF level {role['entry_level']}"
            out.append(Blocker("level", f"{needs}; your level is not known (give --level)"))
    elif role["entry_level"] > profile.level + tuning.MAX_LEVEL_JUMP:
        out.append(Blocker("level", f"usually needs RQF level {role['entry_level']}; you have level {profile.level}"))
    for gate in role["gates"]:
        if not gate_met(profile, gate):
            out.append(Blocker("gate", gate["text"]))
    if role["experience_months"] and not any(g["kind"] == "experience" for g in role["gates"]):
        out.append(Blocker("gate", f"usually about {role['experience_months']} months' experience in an earlier role"))
    return out


def training_blockers(cat: Catalogue, gaps: Iterable[Gap]) -> tuple[list[Blocker], list[str]]:
    """Direct needs every essential gap closed by short training the person can start, or (at
    'aware') learned on the job: (blockers, the gaps learned on the job)."""
    long_ones, none, on_job = [], [], []
    for gap in gaps:
        if not gap.fit.essential or gap.fit.category in tuning.NOT_TRAINED_CATEGORIES:
            continue  # personal qualities grow through work: never a reason to train first
        startable = [pid for pid, (ok, _) in gap.options.rows() if ok]
        short = [p for p in startable if cat.months[p] <= tuning.SHORT_TRAINING_MONTHS]
        if short:
            continue
        if gap.fit.need <= 1:
            on_job.append(gap.fit.skill)
        elif startable:
            long_ones.append(gap.fit.name)
        else:
            none.append(gap.fit.name)
    out = []
    if long_ones:
        out.append(Blocker("training", "needs longer training first for: " + ", ".join(long_ones)))
    if none:
        out.append(Blocker("training", "no training you can start closes: " + ", ".join(none)))
    return out, on_job


def enterability(cat: Catalogue, profile: Profile, programme: Record) -> ProgrammeOption:
    """Can this person start this programme? Level and region exclude; age-limited funding warns."""
    conditions = entry_conditions(programme, cat.funding)
    return ProgrammeOption(programme["id"], programme["title"], *_verdict(cat, profile, *conditions))


def _verdict(
    cat: Catalogue,
    profile: Profile,
    entry_level: int,
    level: int | None,
    status: str,
    mode: str,
    regions: tuple[str, ...],
    funding: tuple[tuple[str, int | None, int | None], ...],
    access: tuple[str, ...] = ("open",),
    seen: Seen | None = None,
) -> Verdict:
    """Can this person start a programme with these entry conditions, and why not (or what to watch
    for). Each part depends on few of the conditions, so a query works each part out once (Seen)."""
    seen = Seen() if seen is None else seen
    by_level = seen.by_level.get((entry_level, level))
    if by_level is None:
        by_level = seen.by_level[(entry_level, level)] = _level_part(profile, entry_level, level)
    by_place: Verdict = (True, ())
    if profile.region is not None:
        found = seen.by_place.get((mode, regions))
        if found is None:
            found = seen.by_place[(mode, regions)] = _place_part(cat, profile, mode, regions)
        by_place = found
    caveats: tuple[str, ...] = ()
    if funding:
        found_caveats = seen.by_funding.get(funding)
        if found_caveats is None:
            found_caveats = seen.by_funding[funding] = tuple(_age_caveats(profile, funding))
        caveats = found_caveats
    by_access = seen.by_access.get(access)
    if by_access is None:
        by_access = seen.by_access[access] = _access_part(profile, access)
    closed = status == "closed"
    return (
        by_level[0] and by_place[0] and by_access[0] and not closed,
        by_level[1] + by_place[1] + by_access[1] + (("closed to new applicants",) if closed else ()) + caveats,
    )


ACCESS_NEEDS = {
    "in-sector": "only for people already working in the field",
    "nhs-staff": "only for NHS staff",
    "enrolled-student": "only for students on a degree course",
    "school-pupil": "only for school pupils",
}


def _access_part(profile: Profile, access: tuple[str, ...]) -> Verdict:
    """Who may start it: anyone ('open'); anyone who gets a job with an employer ('employed': every
    apprenticeship); or only people with the right (profile.rights)."""
    if "open" in access or any(a in profile.rights for a in access):
        return True, ()
    if "employed" in access:
        if profile.age is not None and profile.age < 16:
            return False, ("an apprenticeship job needs you to be 16 or over",)
        return True, ("you apply for an apprenticeship job with an employer",)
    return False, ("; or ".join(ACCESS_NEEDS.get(a, a) for a in access),)


def _level_part(profile: Profile, entry_level: int, level: int | None) -> Verdict:
    if profile.level is None:  # not known: nothing is closed on it, but say what is needed
        return True, ((f"needs RQF level {entry_level} to start",) if entry_level > 0 else ())
    if entry_level > profile.rqf:
        return False, (f"needs RQF level {entry_level} to start",)
    if level is not None and level - profile.rqf > tuning.MAX_PROGRAMME_LEVEL_JUMP:
        return False, (f"an RQF {level} programme is too big a step from level {profile.rqf}",)
    return True, ()


def _place_part(cat: Catalogue, profile: Profile, mode: str, regions: tuple[str, ...]) -> Verdict:
    if profile.region is None or cat.serves(mode, regions, profile.region):
        return True, ()
    return False, (f"not offered in {cat.title('regions', profile.region)}",)


def funding_caveats(cat: Catalogue, profile: Profile, programme: Record) -> list[str]:
    """Age limits on funding: a caveat when age is unknown, a warning when it is outside them."""
    return _age_caveats(profile, entry_conditions(programme, cat.funding)[5])


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


def _verdicts(cat: Catalogue, profile: Profile, seen: Seen) -> list[Verdict]:
    """The verdict for each of the catalogue's entry_conditions, by position. Without a region,
    where a programme is taught cannot change its verdict, so the conditions alike in everything
    else (catalogue.entry_groups) share one: a few dozen verdicts to work out, not thousands."""
    if profile.region is None:
        groups, group_of = cat.entry_groups
        decided = [
            _verdict(cat, profile, el, lv, status, "", (), funding, access, seen=seen)
            for el, lv, status, funding, access in groups
        ]
        return list(map(decided.__getitem__, group_of))
    return [_verdict(cat, profile, *condition, seen=seen) for condition in cat.entry_conditions]


class Seen:
    """What one query has already decided: the verdict for each of the catalogue's entry_conditions
    (enterability depends only on the profile and those) and each part of one, and each gap's
    options (a skill missing from several of the roles shown is worked out once)."""

    __slots__ = ("by_access", "by_funding", "by_level", "by_place", "gaps", "verdict_of")

    def __init__(self) -> None:
        self.verdict_of: list[Verdict] | None = None  # by position in catalogue.entry_conditions
        self.gaps: dict[tuple[str, int], Options] = {}
        self.by_level: dict[tuple[int, int | None], Verdict] = {}
        self.by_place: dict[tuple[str, tuple[str, ...]], Verdict] = {}
        self.by_funding: dict[tuple[tuple[str, int | None, int | None], ...], tuple[str, ...]] = {}
        self.by_access: dict[tuple[str, ...], Verdict] = {}


def gap_options(cat: Catalogue, profile: Profile, fit: SkillFit, seen: Seen | None = None) -> Options:
    """The programmes teaching a skill to the level needed: those this person can start first, and
    within each group the quickest first (catalogue.training_for's order), then by id."""
    seen = Seen() if seen is None else seen
    key = (fit.skill, fit.need)
    done = seen.gaps.get(key)
    if done is not None:
        return done
    columns = cat.training_for.get(fit.skill)
    if columns is None:
        found = seen.gaps[key] = Options((), (), ())
        return found
    pids, levels, titles, conditions = columns
    # Whole-list steps (map, compress: loops in C) rather than a Python loop: a large query lists
    # thousands of options. Every programme teaches a skill to level 1 or more, so only a higher
    # need filters; a programme already completed (--with) is left out.
    ids: Sequence[str] = pids
    names: Sequence[str] = titles
    its_conditions: Sequence[int] = conditions
    if fit.need > 1 or profile.completed:
        keep = list(map(ge, levels, repeat(fit.need)))
        if profile.completed:
            keep = [k and pid not in profile.completed for k, pid in zip(keep, pids, strict=True)]
        ids, names, its_conditions = (
            list(compress(pids, keep)),
            list(compress(titles, keep)),
            list(compress(conditions, keep)),
        )
    if seen.verdict_of is None:
        seen.verdict_of = _verdicts(cat, profile, seen)
    judged = list(map(seen.verdict_of.__getitem__, its_conditions))
    enterable = list(map(itemgetter(0), judged))
    if all(enterable):
        found = seen.gaps[key] = Options(tuple(ids), tuple(names), tuple(judged))
    else:  # those this person can start first, each group in its order
        blocked = list(map(not_, enterable))
        found = seen.gaps[key] = Options(
            (*compress(ids, enterable), *compress(ids, blocked)),
            (*compress(names, enterable), *compress(names, blocked)),
            (*compress(judged, enterable), *compress(judged, blocked)),
        )
    return found


def match_role(
    cat: Catalogue, profile: Profile, role: Record, seen: Seen | None = None, *, any_level: bool = False
) -> Match:
    """One role for one person: score, band, what carries over, each gap with its training, and
    what stands between them and a direct move (docs/method.md)."""
    skill_fits = fits(cat, profile, role)
    value = score(skill_fits)
    share = core_share(skill_fits)
    fit = level_fit(profile, role, any_level=any_level)
    band = band_for(value, share, fit)
    transferable = tuple(f for f in skill_fits if f.have > 0)
    seen = Seen() if seen is None else seen
    gaps = tuple(
        Gap(f, gap_options(cat, profile, f, seen))
        for f in sorted(skill_fits, key=lambda f: (not f.essential, f.skill))
        if f.have < f.need
    )
    found = blockers(profile, role)
    training, on_job = training_blockers(cat, gaps)
    found += training
    if band == tuning.BANDS[-1][0]:
        found.append(Blocker("fit", "your skills cover too little of what it needs yet"))
    return Match(
        role["id"],
        role["title"],
        role["family"],
        value,
        band,
        transferable,
        gaps,
        tuple(found),
        share,
        fit,
        tuple(on_job),
    )


def match(
    cat: Catalogue, profile: Profile, *, family: str | None = None, top: int | None = None, any_level: bool = False
) -> list[Match]:
    """Roles ranked (see rank), each explained: gaps and the training for each. Only the roles
    returned are explained: at 3,000 roles that is most of the work saved."""
    seen = Seen()
    ranked = rank(cat, profile, family=family, top=top, any_level=any_level)
    return [match_role(cat, profile, cat.roles[rid], seen, any_level=any_level) for _, rid in ranked]


def match_request(
    cat: Catalogue,
    profile: Profile,
    *,
    completed: list[str] | None = None,
    family: str | None = None,
    top: int | None = None,
    any_level: bool = False,
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
    return profile, match(cat, profile, family=family, top=top, any_level=any_level)


def rank(
    cat: Catalogue,
    profile: Profile,
    *,
    family: str | None = None,
    top: int | None = None,
    any_level: bool = False,
) -> list[tuple[float, str]]:
    """(score, role id), best first by rank_key: level-appropriate roles first, then by band, then
    by score, ties by id. Roles are visited in order of a ceiling on their score (the score itself,
    or in a large catalogue a bound from shortlist) and the search stops once no role left could
    beat the best `top` (select)."""
    if top is not None and top <= 0:
        return []
    count = len(cat.role_order[0])
    if top is not None and count >= tuning.SHORTLIST_MIN_ROLES and top * 20 <= count:
        found = shortlist(cat, profile, cat.bounds, family=family, top=top, most=count // 50, any_level=any_level)
        if found is not None:
            return found
    return rank_all(cat, profile, family=family, top=top, any_level=any_level)


RankKey = tuple[bool, int, float, str]


def rank_key(
    cat: Catalogue, profile: Profile, rid: str, value: float, levels: dict[str, float], any_level: bool
) -> RankKey:
    """(not level-appropriate, band (0 best), -score, id): what the ranking sorts by, for a role
    with this score. The same band match_role shows, from catalogue.role_levels alone."""
    entry, usual, core_needs = cat.role_levels[rid]
    core = [min(levels.get(skill, 0.0), need) / need for skill, need in core_needs]
    share = round(sum(core) / len(core), 4) if core else 1.0
    fit = _level_fit(profile, entry, usual, any_level)
    return fit != "fits", tuning.band_index(band_for(value, share, fit)), -value, rid


def _best_possible(ceiling: float) -> RankKey:
    """The best key a role whose score is at most `ceiling` could have: a band is never better than
    its score's band (band_for only lowers it)."""
    return False, tuning.band_index(tuning.band(ceiling)), -ceiling, ""


def select(
    cat: Catalogue,
    profile: Profile,
    candidates: Iterable[tuple[float, int, float | None]],
    levels: dict[str, float],
    *,
    top: int | None,
    family: str | None,
    any_level: bool,
    most: int | None = None,
) -> list[tuple[float, str]] | None:
    """The best `top` of the candidates by rank_key, given (ceiling on score, role position, the
    score if already known) in descending order of ceiling. None if more than `most` had to be
    scored."""
    from bisect import insort

    ids, families, _ = cat.role_order
    best: list[RankKey] = []  # the best `top` keys so far, in order
    found: list[RankKey] = []
    for ceiling, position, known in candidates:
        if top is not None and len(best) == top and _best_possible(ceiling) > best[-1]:
            break
        if family is not None and families[position] != family:
            continue
        if most is not None and len(found) >= most:
            return None
        rid = ids[position]
        value = known if known is not None else round(exact_score(cat, rid, levels), 4)
        key = rank_key(cat, profile, rid, value, levels, any_level)
        found.append(key)
        if top is not None and (len(best) < top or key < best[-1]):
            insort(best, key)
            del best[top:]
    found.sort()
    chosen = found if top is None else found[:top]
    return [(-key[2], key[3]) for key in chosen]


def rank_all(
    cat: Catalogue,
    profile: Profile,
    *,
    family: str | None = None,
    top: int | None = None,
    any_level: bool = False,
) -> list[tuple[float, str]]:
    """rank, with every role's score added up from the skills' postings (catalogue.postings), so
    only roles sharing a skill with the profile are visited; each role's terms are added in the same
    order as exact_score adds them, so the floats are identical (a property test checks it)."""
    if top is not None and top <= 0:
        return []
    from operator import truediv

    ids, _, sums = cat.role_order
    totals = [0.0] * len(ids)
    levels = dict(credited(cat, profile))
    for sid, have in levels.items():  # skills are added in id order, as role_needs lists them
        for level, positions, weights in cat.postings.get(sid, ()):
            if have >= level:  # weight * 1.0 is weight: skip the multiplication (bench: 30,000 roles)
                for position, weight in zip(positions, weights, strict=True):
                    totals[position] += weight
                continue
            factor = min(have, level) / level
            for position, weight in zip(positions, weights, strict=True):
                totals[position] += weight * factor
    values = list(map(truediv, totals, sums))  # every role lists a skill, so no sum is 0
    # Best first, ties by position (= by id): a stable sort with a C key, visited lazily, so a query
    # for the best few rounds and ranks only the roles it reaches (bench: 30,000 roles, ~5 ms not ~300).
    order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
    margin = 1e-4  # the ranking uses scores rounded to 4 places: a rounded score is at most this above
    candidates = ((values[p] + margin, p, round(values[p], 4)) for p in order)
    found = select(cat, profile, candidates, levels, top=top, family=family, any_level=any_level)
    assert found is not None  # (no `most`)
    return found


def credited(cat: Catalogue, profile: Profile) -> list[tuple[str, float]]:
    """(skill id, effective level) for every skill the profile has or gets partial credit for, in id
    order; every other skill's effective level is 0."""
    found = set(profile.skills)
    for sid in profile.skills:
        found.update(cat.credit_from.get(sid, ()))
    out = []
    for sid in sorted(found):
        if sid in cat.skills:
            have, _ = effective_level(cat, profile, sid)
            if have > 0:
                out.append((sid, have))
    return out


def shortlist(
    cat: Catalogue,
    profile: Profile,
    bounds: Bounds,
    *,
    family: str | None,
    top: int,
    most: int | None = None,
    any_level: bool = False,
) -> list[tuple[float, str]] | None:
    """rank's answer for the `top` best, from the roles that could be among them. Each role's score
    is bounded by catalogue.shortlist_bounds (its dense skills counted as fully met); roles are
    scored exactly in order of that bound, and the search stops once the bound falls below the
    top-th best exact score, less a margin for rounding. Only the postings of the profile's
    non-dense skills are read. None if more than `most` roles needed scoring (rank_all is then
    quicker)."""
    dense, on_dense, order = bounds
    _, _, sums = cat.role_order
    levels = dict(credited(cat, profile))
    partial: dict[int, float] = {}
    for sid, have in levels.items():
        if sid in dense:
            continue
        for level, positions, weights in cat.postings.get(sid, ()):
            factor = min(have, level) / level
            for position, weight in zip(positions, weights, strict=True):
                partial[position] = partial.get(position, 0.0) + weight * factor
    touched = sorted((((total + on_dense[p]) / sums[p], p) for p, total in partial.items()), key=_best_first)

    def by_bound() -> Iterable[tuple[float, int]]:
        """Every role with its bound, largest first: the touched roles merged into `order`."""
        next_touched = 0
        for position in order:
            if position in partial:
                continue
            share = on_dense[position] / sums[position]
            while next_touched < len(touched) and touched[next_touched][0] >= share:
                yield touched[next_touched]
                next_touched += 1
            yield share, position
        yield from touched[next_touched:]

    margin = tuning.SHORTLIST_MARGIN  # a bound is a float sum; rounding can lift a score by half of 1e-4
    return select(
        cat,
        profile,
        ((bound + margin, position, None) for bound, position in by_bound()),
        levels,
        top=top,
        family=family,
        any_level=any_level,
        most=most,
    )


def _best_first(pair: tuple[float, int]) -> tuple[float, int]:
    return -pair[0], pair[1]


def exact_score(cat: Catalogue, rid: str, levels: dict[str, float]) -> float:
    """A role's unrounded score, given every credited skill's effective level (`credited`): its
    terms (catalogue.terms) added in role_needs' order, so the float is the one rank_all computes."""
    total = weight_sum = 0.0
    get = levels.get
    for skill, level, weight, _ in cat.terms(rid):
        total += weight * (min(get(skill, 0.0), level) / level)
        weight_sum += weight
    return total / weight_sum if weight_sum else 0.0


def role_score(cat: Catalogue, profile: Profile, role: Record) -> float:
    """The same number as score(fits(...)), without building the explanation: one role's score on
    its own, the reference rank's postings and shortlist are checked against."""
    return round(exact_score(cat, role["id"], dict(credited(cat, profile))), 4)


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
