"""Plans: the training bundle that closes a role's gaps, and multi-step pathways to a role.

Bundle: a weighted set cover of the essential gaps (cost = months, plus fee and funding
penalties). Exact when there are at most EXACT_LIMIT candidate programmes, otherwise greedy
(cheapest cost per newly closed gap) followed by dropping any programme the rest make redundant.

Pathway: every ladder of roles that ends at the target (up the data's progression links, at most
MAX_LADDER moves) is planned step by step - programmes to reach each rung's level, the bundle for
its essential gaps, time in each rung - and the ladder with the fewest total months wins.
Assumptions, stated to users in docs/method.md: working in a role gives its skills at the levels
it needs; experience in a rung raises the skills that rung uses to the level the next rung needs.
Pure: no I/O.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from cgtpaths import tuning
from cgtpaths.catalogue import Catalogue
from cgtpaths.errors import CgtpathsError
from cgtpaths.match import effective_level, enterability, funding_caveats, gate_met, match_role
from cgtpaths.profile import Profile, merge_skill
from cgtpaths.tuning import programme_months

Record = dict[str, Any]
EXACT_LIMIT = 12


@dataclass(frozen=True)
class Bundle:
    programmes: tuple[str, ...]
    closed: tuple[str, ...]  # essential skills the bundle closes
    open: tuple[str, ...]  # essential gaps no enterable programme closes
    cost: float
    on_job: tuple[str, ...] = ()  # gaps needed only at 'aware' that no short course closes: learned at work


def programme_cost(cat: Catalogue, profile: Profile, programme: Record) -> float:
    months, known = programme_months(programme)
    if not known:
        months += 0.01  # at equal length, prefer the programme whose length is sourced
    fees = [f["fee_gbp"] for f in programme["funding"] if f.get("fee_gbp")]
    cost = months + (min(fees) / 1000 * tuning.FEE_MONTHS_PER_1000_GBP if fees else 0.0)
    if any(c.startswith("not ") for c in funding_caveats(cat, profile, programme)):
        cost += tuning.AGE_UNFUNDED_PENALTY_MONTHS
    return round(cost, 4)


def bundle(cat: Catalogue, profile: Profile, needs: dict[str, int], role: str | None = None) -> Bundle:
    """The cheapest set of programmes this person can start that closes every closable need
    (skill -> level). Training is proportionate: a need at 'aware' is closed only by a programme of
    at most AWARE_MAX_MONTHS, else it is learned on the job; an apprenticeship below the level the
    person holds is used only when nothing else teaches the skill."""
    gaps = {s: n for s, n in needs.items() if effective_level(cat, profile, s)[0] < n}
    covers: dict[str, frozenset[str]] = {}
    for skill, need in gaps.items():
        found: list[str] = []
        for pid, level in cat.taught_by.get(skill, []):
            programme = cat.programmes[pid]
            if level < need or pid in profile.completed:
                continue
            if need <= 1 and programme_months(programme)[0] > tuning.AWARE_MAX_MONTHS:
                continue
            if _enterable(cat, profile, pid):
                found.append(pid)
        higher = [p for p in found if not _steps_back(cat.programmes[p], profile)]
        for pid in higher or found:
            covers[pid] = covers.get(pid, frozenset()) | {skill}
    closable = frozenset().union(*covers.values()) if covers else frozenset()
    # at equal cost, a programme designed as a route into the role wins
    costs = {
        pid: _cost(cat, profile, pid) - (0.02 if role in cat.programmes[pid]["leads_to"] else 0.0) for pid in covers
    }
    chosen = _exact(covers, costs, closable) if len(covers) <= EXACT_LIMIT else _greedy(covers, costs, closable)
    chosen = sorted(chosen)
    left = set(gaps) - closable
    on_job = {s for s in left if gaps[s] <= 1}
    return Bundle(
        tuple(chosen),
        tuple(sorted(closable)),
        tuple(sorted(left - on_job)),
        round(sum(costs[p] for p in chosen), 4),
        tuple(sorted(on_job)),
    )


def _steps_back(programme: Record, profile: Profile) -> bool:
    """An apprenticeship below the level the person already holds."""
    return (
        "apprenticeship" in programme["kind"]
        and programme["level"] is not None
        and profile.level is not None
        and programme["level"] < profile.level
    )


def _who(profile: Profile) -> tuple[object, ...]:
    """All that decides whether a person can start a programme: level (None is not 0), region,
    rights, and whether they are under 16 (apprenticeship jobs). Age otherwise adds caveats only."""
    return profile.level, profile.region, profile.rights, profile.age is not None and profile.age < 16


def _enterable(cat: Catalogue, profile: Profile, pid: str) -> bool:
    """enterability(...).enterable, kept per catalogue by _who: every rung of every ladder asks again
    (a 10,000-programme overlay made millions of calls; see _level_raisers)."""
    memo = cat.__dict__.setdefault("_plan_enterable", {})
    key = (pid, *_who(profile))
    found = memo.get(key)
    if found is None:
        found = memo[key] = enterability(cat, profile, cat.programmes[pid]).enterable
    return bool(found)


def _cost(cat: Catalogue, profile: Profile, pid: str) -> float:
    """programme_cost, which depends on the profile only through its age: kept per catalogue."""
    memo = cat.__dict__.setdefault("_plan_cost", {})
    key = (pid, profile.age)
    found = memo.get(key)
    if found is None:
        found = memo[key] = programme_cost(cat, profile, cat.programmes[pid])
    return float(found)


def _exact(covers: dict[str, frozenset[str]], costs: dict[str, float], target: frozenset[str]) -> list[str]:
    best: tuple[float, int, tuple[str, ...]] | None = None
    ids = sorted(covers)
    for size in range(len(ids) + 1):
        for combo in itertools.combinations(ids, size):
            if frozenset().union(*(covers[p] for p in combo)) >= target:
                key = (round(sum(costs[p] for p in combo), 4), size, combo)
                if best is None or key < best:
                    best = key
    return list(best[2]) if best else []


def _greedy(covers: dict[str, frozenset[str]], costs: dict[str, float], target: frozenset[str]) -> list[str]:
    chosen: list[str] = []
    left = set(target)
    while left:
        pid = min((p for p in covers if covers[p] & left), key=lambda p: (costs[p] / len(covers[p] & left), p))
        chosen.append(pid)
        left -= covers[pid]
    for pid in sorted(chosen, key=lambda p: (-costs[p], p)):  # drop what the others make redundant
        rest = [p for p in chosen if p != pid]
        if frozenset().union(*(covers[p] for p in rest)) >= target:
            chosen = rest
    return chosen


# ---- pathways -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    kind: str  # programme | role | experience
    id: str | None
    title: str
    months: float
    months_known: bool = True
    why: str = ""
    caveats: tuple[str, ...] = ()
    how: str = ""  # how one gets on it, e.g. "get an apprenticeship job" for an employment-based route
    starts_at_month: float = 0.0  # months from now when the step starts (ages are checked then)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "months": self.months,
            "months_known": self.months_known,
            "why": self.why,
            "caveats": list(self.caveats),
            "how": self.how,
            "starts_at_month": self.starts_at_month,
        }


@dataclass(frozen=True)
class Pathway:
    to: str
    steps: tuple[Step, ...]
    gaps_closed: tuple[str, ...]
    gaps_open: tuple[str, ...]
    gates: tuple[Record, ...]
    sources: tuple[Record, ...]
    ladder: tuple[str, ...]
    direct: bool
    bundle: tuple[str, ...] = field(default=())
    learned_on_job: tuple[str, ...] = ()  # essential 'aware' gaps no short course closes
    notes: tuple[str, ...] = ()  # what a person should know: no training in their region, travel

    @property
    def total_months(self) -> float:
        return round(sum(s.months for s in self.steps), 2)

    @property
    def all_months_known(self) -> bool:
        return all(s.months_known for s in self.steps)


def ladders(cat: Catalogue, target: str) -> list[tuple[str, ...]]:
    """Chains of roles along progression links that end at `target`, shortest first, ties by id.

    At most MAX_LADDERS_PLANNED of them: a dense progression graph (every role leading to every
    other) would otherwise give hundreds of thousands of ladders to plan.
    """
    out: list[tuple[str, ...]] = [(target,)]
    frontier: list[tuple[str, ...]] = [(target,)]
    for _ in range(tuning.MAX_LADDER):
        nxt = []
        for chain in frontier:
            for earlier in cat.progressed_from.get(chain[0], []):
                if earlier not in chain:
                    nxt.append((earlier, *chain))
                    if len(out) + len(nxt) >= tuning.MAX_LADDERS_PLANNED:
                        return out + nxt
        out.extend(nxt)
        frontier = nxt
    return out


def _learn(skills: dict[str, int], items: list[Record]) -> dict[str, int]:
    out = dict(skills)
    for item in items:
        merge_skill(out, item["skill"], item["level"])
    return out


def _qualify(cat: Catalogue, profile: Profile, needed: int, role: Record, routes: list[str]) -> list[str] | None:
    """Fewest-months programmes (in order) that raise the profile's RQF level to `needed`.

    Earlier programmes may be any that raise the level (a T Level, say); the one that reaches
    `needed` must be relevant: one of `routes` when a gate names them, else the first non-empty
    tier of (programmes leading to the role, programmes teaching one of its skills, any).
    """
    if profile.rqf >= needed:
        return []
    tiers: list[set[str] | None]  # None: any programme
    if routes:
        tiers = [set(routes)]
    else:
        memo = cat.__dict__.setdefault("_plan_tiers", {})  # a role's tiers: the same on every rung of every ladder
        if role["id"] not in memo:
            # a programme teaching one of the role's core skills, not merely a generic one (teamwork)
            core = cat.core_skills(role["id"])
            memo[role["id"]] = (
                {p for p, prog in cat.programmes.items() if role["id"] in prog["leads_to"]},
                {p for p, prog in cat.programmes.items() if any(t["skill"] in core for t in prog["teaches"])},
            )
        tiers = [*memo[role["id"]], None]
    min_months = max((g.get("min_months") or 0 for g in role["gates"] if g["kind"] == "qualification"), default=0)
    # cheapest way to reach each level below `needed` (Dijkstra over RQF levels)
    best: dict[int, tuple[float, int, list[str]]] = {profile.rqf: (0.0, 0, [])}
    frontier = [profile.rqf]
    while frontier:
        frontier.sort(key=lambda lvl: best[lvl][:2])
        level = frontier.pop(0)
        cost, hops, path = best[level]
        if hops >= tuning.MAX_QUALIFICATION_STEPS - 1:
            continue
        for pid, prog, months in _level_raisers(cat, profile.replace(level=level), level):
            reached = prog["level"]
            if reached >= needed:
                continue
            new = (round(cost + months, 4), hops + 1, [*path, pid])
            if reached not in best or new[:2] < best[reached][:2]:
                best[reached] = new
                frontier.append(reached)
    finals = [  # every way to reach `needed`, once; then the first tier that has one
        (round(cost + months, 4), len(path) + 1, [*path, pid])
        for level, (cost, _, path) in best.items()
        for pid, prog, months in _level_raisers(cat, profile.replace(level=level), level)
        if prog["level"] >= needed and pid not in path and programme_months(prog)[0] >= min_months
    ]
    for tier in tiers:
        in_tier = finals if tier is None else [f for f in finals if f[2][-1] in tier]
        if in_tier:
            return min(in_tier)[2]
    return None


def _level_raisers(cat: Catalogue, profile: Profile, level: int) -> list[tuple[str, Record, float]]:
    # Whether a programme can be entered depends only on what _who names, so the list for each level
    # and the rest of _who is worked out once per catalogue, not once per rung of every ladder:
    # 10,000 programmes made that millions of enterability() calls (55 s to about 6 s).
    memo = cat.__dict__.setdefault("_plan_level_raisers", {})
    key = (level, *_who(profile)[1:])
    found = memo.get(key)
    if found is None:
        found = memo[key] = [
            (pid, prog, programme_months(prog)[0])
            for pid in sorted(cat.programmes)
            for prog in (cat.programmes[pid],)
            if prog["level"] is not None and prog["level"] > level and enterability(cat, profile, prog).enterable
        ]
    return [r for r in found if r[0] not in profile.completed]


def _plan_ladder(
    cat: Catalogue, profile: Profile, ladder: tuple[str, ...]
) -> tuple[list[Step], Profile, list[str], list[str]] | None:
    """Plan one ladder rung by rung; None if some rung cannot be reached. Each step is checked
    against the person as they will be when it starts: their level, what they have done, their
    age then (months from now), and the rights a job or a degree gives (profile.rights)."""
    steps: list[Step] = []
    current = profile
    bundled: list[str] = []
    on_job: list[str] = []
    clock = [0.0]  # months from now at which the next step starts

    def add(step: Step) -> None:
        steps.append(step)
        clock[0] += step.months

    def aged(person: Profile) -> Profile:
        if profile.age is None:
            return person
        return person.replace(age=min(99, int(profile.age + clock[0] / 12)))

    for index, rid in enumerate(ladder):
        role = cat.roles[rid]
        experience_gates = [g for g in role["gates"] if g["kind"] == "experience"]
        if index == 0 and (role["experience_months"] or experience_gates):
            return None  # an experienced rung cannot be the first job
        if index > 0:
            prev = cat.roles[ladder[index - 1]]
            months = (
                max([role["experience_months"], *(g.get("months") or 0 for g in experience_gates)])
                or tuning.DEFAULT_EXPERIENCE_MONTHS
            )
            why = "; ".join(g["text"] for g in experience_gates) or f"experience before moving up to {role['title']}"
            add(
                Step(
                    "experience",
                    prev["id"],
                    f"Work as {prev['title']}",
                    float(months),
                    bool(role["experience_months"] or experience_gates),
                    why,
                    starts_at_month=clock[0],
                )
            )
            # experience deepens what the earlier rung uses, up to what the next rung needs
            used = {n["skill"] for n in prev["skills"]}
            current = current.replace(skills=_learn(current.skills, [n for n in role["skills"] if n["skill"] in used]))
        qual_gates = [g for g in role["gates"] if g["kind"] == "qualification" and g.get("min_level")]
        needed = max(
            [role["entry_level"] - tuning.MAX_LEVEL_JUMP if index == 0 else 0, *(g["min_level"] for g in qual_gates)]
        )
        routes = sorted({r for g in qual_gates for r in g["routes"]})
        route = _qualify(cat, aged(current), needed, role, routes)
        if route is None:
            return None
        for pid in route:
            current = aged(current)
            add(
                _programme_step(
                    cat, current, pid, f"reaches RQF {cat.programmes[pid]['level']} for {role['title']}", clock[0]
                )
            )
            current = _after(cat, current, pid)
        needs = {
            n["skill"]: min(n["level"], tuning.TRAINED_LEVEL_CAP)
            for n in role["skills"]
            if n["essential"] and cat.skills[n["skill"]]["category"] not in tuning.NOT_TRAINED_CATEGORIES
        }
        current = aged(current)
        chosen = bundle(cat, current, needs, rid)
        on_job.extend(s for s in chosen.on_job if s not in on_job)
        for pid in sorted(chosen.programmes, key=lambda p: (programme_months(cat.programmes[p])[0], p)):
            current = aged(current)
            after = _after(cat, current, pid)
            newly = [
                s
                for s in sorted(needs)
                if effective_level(cat, current, s)[0] < needs[s] <= effective_level(cat, after, s)[0]
            ]
            names = ", ".join(cat.skills[s]["name"] for s in newly)
            why = f"closes: {names}" if names else "deepens needed skills"
            add(_programme_step(cat, current, pid, why, clock[0]))
            bundled.append(pid)
            current = after
        if index == len(ladder) - 1:
            for gate in role["gates"]:
                if gate["kind"] not in ("eligibility", "registration") or gate_met(current, gate):
                    continue
                # only a step that awards the evidence meets a gate (the gate's own routes)
                route_in = [
                    p
                    for p in gate["routes"]
                    if p not in current.completed and enterability(cat, aged(current), cat.programmes[p]).enterable
                ]
                if route_in:
                    current = aged(current)
                    add(_programme_step(cat, current, route_in[0], gate["text"], clock[0]))
                    current = _after(cat, current, route_in[0])
        last = index == len(ladder) - 1
        add(
            Step(
                "role",
                rid,
                role["title"],
                0.0,
                True,
                "the target role" if last else "a rung on the way",
                starts_at_month=clock[0],
            )
        )
        if not last:  # working in a rung gives its skills; the target's own are not counted as closed
            level = max(current.rqf, role["entry_level"]) if index > 0 else current.level
            current = current.replace(
                skills=_learn(current.skills, role["skills"]),
                level=level,
                situation="working",
                rights=current.rights | {"in-sector"},  # working in a CGT role is working in the field
            )
    return steps, current, bundled, on_job


def _programme_step(cat: Catalogue, profile: Profile, pid: str, why: str, starts: float = 0.0) -> Step:
    prog = cat.programmes[pid]
    months, known = programme_months(prog)
    reasons = enterability(cat, profile, prog).reasons
    how = ""
    if "employed" in prog["access"] and not ({"open"} | profile.rights) & set(prog["access"]):
        how = "get an apprenticeship job with an employer, who enrols you on this"
        reasons = tuple(r for r in reasons if r != "you apply for an apprenticeship job with an employer")
    return Step("programme", pid, prog["title"], months, known, why, tuple(reasons), how, starts)


def _after(cat: Catalogue, profile: Profile, pid: str) -> Profile:
    """The person after completing a programme: its skills, its level, the evidence it awards (a
    degree of four years or more counts as one, for gates that ask for it), and, after a degree
    course, the placements open to students on one."""
    prog = cat.programmes[pid]
    level = profile.level if prog["level"] is None else max(profile.rqf, prog["level"])
    evidence = set(profile.evidence) | set(prog.get("awards") or ())
    if (prog["level"] or 0) >= 6 and (prog["duration_months"] or 0) >= 48:
        evidence.add("four-year-degree")
    rights = set(profile.rights)
    if prog["kind"] in ("degree", "foundation-degree", "masters", "degree-apprenticeship"):
        rights.add("enrolled-student")
    return profile.replace(
        skills=_learn(profile.skills, prog["teaches"]),
        level=level,
        completed=(*profile.completed, pid),
        evidence=frozenset(evidence),
        rights=frozenset(rights),
    )


def pathway(cat: Catalogue, profile: Profile, target: str) -> Pathway:
    """The quickest ladder to `target` that can be planned (see _plan_ladder), with what it closes
    and leaves open, and notes: a region with no training for a gap, and a shorter plan by travelling."""
    role = cat.role(target)
    planned = _best_ladder(cat, profile, target)
    if planned is None:
        raise CgtpathsError(
            f"no pathway to '{target}' could be planned from this profile",
            hint="No programme in the data raises your level far enough; try a higher --level or see "
            f"`cgtpaths roles {target}` for its routes in.",
        )
    steps, end, bundled, on_job, ladder = planned
    before = {n["skill"]: effective_level(cat, profile, n["skill"])[0] for n in role["skills"]}
    after = {n["skill"]: effective_level(cat, end, n["skill"])[0] for n in role["skills"]}
    gaps = [n for n in role["skills"] if before[n["skill"]] < n["level"]]
    closed = tuple(sorted(n["skill"] for n in gaps if after[n["skill"]] >= n["level"]))
    still = tuple(sorted(n["skill"] for n in gaps if after[n["skill"]] < n["level"]))
    sources: dict[str, Record] = {}
    records = [
        role,
        *(cat.roles[r] for r in ladder),
        *(cat.programmes[s.id] for s in steps if s.kind == "programme" and s.id),
        *(cat.backgrounds[b] for b in profile.backgrounds),
    ]
    for rec in records:
        for src in rec["sources"]:
            sources.setdefault(src["url"], src)
    essential_open = [n["skill"] for n in role["skills"] if n["essential"] and n["skill"] in still]
    notes = _notes(cat, profile, role, steps, essential_open, on_job, end)
    direct = match_role(cat, profile, role).direct and not any(s not in on_job for s in essential_open)
    return Pathway(
        target,
        tuple(steps),
        closed,
        still,
        tuple(role["gates"]),
        tuple(sources[u] for u in sorted(sources)),
        ladder,
        direct,
        tuple(bundled),
        tuple(on_job),
        tuple(notes),
    )


def _best_ladder(
    cat: Catalogue, profile: Profile, target: str
) -> tuple[list[Step], Profile, list[str], list[str], tuple[str, ...]] | None:
    best: tuple[tuple[float, int, tuple[str, ...]], list[Step], Profile, list[str], list[str], tuple[str, ...]] | None
    best = None
    for ladder in ladders(cat, target):
        planned = _plan_ladder(cat, profile, ladder)
        if planned is None:
            continue
        steps, end, bundled, on_job = planned
        key = (round(sum(s.months for s in steps), 4), len(steps), ladder)
        if best is None or key < best[0]:
            best = (key, steps, end, bundled, on_job, ladder)
    return None if best is None else best[1:]


def _notes(
    cat: Catalogue,
    profile: Profile,
    role: Record,
    steps: list[Step],
    essential_open: list[str],
    on_job: list[str],
    end: Profile,
) -> list[str]:
    """What the person should know about this plan, in plain words."""
    out = []
    names = [cat.skills[s]["name"] for s in on_job]
    if names:
        out.append("Learned in the first weeks of the job (no short course teaches them): " + ", ".join(names) + ".")
    untrained = [s for s in essential_open if s not in on_job]
    if untrained and profile.region is not None:
        region = cat.title("regions", profile.region)
        for skill in untrained:
            taught = [(tuning.programme_months(cat.programmes[p])[0], p) for p, _ in cat.taught_by.get(skill, [])]
            in_region = [p for _, p in taught if enterability(cat, end, cat.programmes[p]).enterable]
            elsewhere = sorted(
                t for t in taught if enterability(cat, end.replace(region=None), cat.programmes[t[1]]).enterable
            )
            name = cat.skills[skill]["name"]
            if in_region:
                continue  # the region is not why: the plan leaves it for a reason said elsewhere (level, order)
            if elsewhere:
                pid = elsewhere[0][1]
                where = ", ".join(cat.title("regions", r) for r in cat.programmes[pid]["regions"])
                out.append(
                    f"No training in {region} you can start for {name}; the nearest is "
                    f"{cat.programmes[pid]['title']} ({where})."
                )
            else:
                out.append(f"No training in the data you can start for {name}, in any region.")
    elif untrained:
        out.append("No training you can start closes: " + ", ".join(cat.skills[s]["name"] for s in untrained) + ".")
    if profile.region is not None:
        anywhere = _best_ladder(cat, profile.replace(region=None), role["id"])
        here = sum(s.months for s in steps)
        if anywhere is not None and sum(s.months for s in anywhere[0]) + 1 <= here:
            saved = here - sum(s.months for s in anywhere[0])
            out.append(
                f"Travelling outside {cat.title('regions', profile.region)} for training would make this "
                f"about {saved:.0f} months shorter."
            )
    for gate in role["gates"]:
        if not gate_met(end, gate) and gate["kind"] != "experience":
            out.append(f"Still needed before you can apply: {gate['text']}")
    return out
