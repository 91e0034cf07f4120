"""The engine's rules, most of them as properties over random profiles on the shipped data."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cgtpaths import match as engine
from cgtpaths import tuning
from cgtpaths.catalogue import Catalogue, shortlist_bounds
from cgtpaths.errors import CgtpathsError
from cgtpaths.load import load
from cgtpaths.plan import bundle, pathway, programme_cost
from cgtpaths.profile import Profile, build, match_text, with_programmes

# the machine is shared and noisy: properties are about behaviour, never about speed
settings.register_profile("cgtpaths", deadline=None)
settings.load_profile("cgtpaths")

CAT = Catalogue(load().data, {})
SKILLS = sorted(CAT.skills)
ROLES = sorted(CAT.roles)
PROGRAMMES = sorted(CAT.programmes)
REGIONS = sorted(CAT.regions)

skill_maps = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=25)
profiles = st.builds(
    Profile,
    skills=skill_maps,
    level=st.one_of(st.none(), st.integers(0, 8)),
    region=st.one_of(st.none(), st.sampled_from(REGIONS)),
    age=st.one_of(st.none(), st.integers(16, 70)),
)


def scores(profile: Profile) -> dict[str, float]:
    return {m.role: m.score for m in engine.match(CAT, profile)}


@given(profiles)
def test_scores_lie_between_0_and_1_and_bands_follow_thresholds(profile: Profile) -> None:
    """The band is the score's band, lowered by a short share of core skills or a role far above;
    never raised; and the lowest band is never a direct move."""
    for m in engine.match(CAT, profile):
        assert 0.0 <= m.score <= 1.0
        assert m.band == engine.band_for(m.score, m.core_share, m.level_fit)
        assert tuning.band_index(m.band) >= tuning.band_index(tuning.band(m.score))
        assert m.core_share >= tuning.BAND_CORE_FLOOR[m.band]
        if m.band == tuning.BANDS[-1][0]:
            assert not m.direct


@given(st.sampled_from(ROLES))
def test_having_every_needed_skill_at_the_needed_level_scores_1(rid: str) -> None:
    role = CAT.roles[rid]
    profile = Profile({n["skill"]: n["level"] for n in role["skills"]}, level=8)
    m = engine.match_role(CAT, profile, role)
    assert m.score == 1.0
    assert m.band == "strong"
    assert not m.gaps


@given(profiles, st.sampled_from(SKILLS), st.integers(1, 3))
def test_adding_a_skill_or_raising_a_level_never_lowers_a_score(profile: Profile, skill: str, level: int) -> None:
    before = scores(profile)
    skills = dict(profile.skills)
    skills[skill] = max(skills.get(skill, 0), level)
    after = scores(profile.replace(skills=skills))
    for rid in before:
        assert after[rid] >= before[rid], (rid, skill, level)


@given(profiles, st.sampled_from(PROGRAMMES))
def test_completing_a_programme_never_lowers_a_score(profile: Profile, pid: str) -> None:
    before = scores(profile)
    after = scores(with_programmes(CAT, profile, [pid]))
    assert all(after[r] >= before[r] for r in before)


@given(profiles, st.sampled_from(ROLES))
def test_the_fast_score_equals_the_explained_score(profile: Profile, rid: str) -> None:
    role = CAT.roles[rid]
    assert engine.role_score(CAT, profile, role) == engine.score(engine.fits(CAT, profile, role))


@given(profiles, st.sampled_from(ROLES), st.lists(st.sampled_from(PROGRAMMES), max_size=3))
def test_gap_options_from_the_training_index_equal_checking_every_programme(
    profile: Profile, rid: str, done: list[str]
) -> None:
    """Enterable first, then quickest (a sourced duration, else the assumed one by kind), then by id,
    each with its verdict: exactly what checking each programme's own record gives."""
    profile = profile.replace(completed=tuple(done))
    seen = engine.Seen()  # shared across the role's gaps, as a query shares it
    for fit in engine.fits(CAT, profile, CAT.roles[rid]):
        expected = sorted(
            (
                engine.enterability(CAT, profile, CAT.programmes[pid])
                for pid, level in CAT.taught_by.get(fit.skill, [])
                if level >= fit.need and pid not in done
            ),
            key=lambda o: (not o.enterable, tuning.programme_months(CAT.programmes[o.id])[0], o.id),
        )
        assert list(engine.gap_options(CAT, profile, fit, seen)) == expected


FAMILIES = sorted({r["family"] for r in CAT.roles.values()})


@given(profiles, st.one_of(st.none(), st.sampled_from(FAMILIES)), st.one_of(st.none(), st.integers(0, 30)))
def test_ranking_from_the_postings_equals_scoring_every_role_one_by_one(
    profile: Profile, family: str | None, top: int | None
) -> None:
    """Ranked by (level-appropriate first, band, score, id), each worked out role by role."""
    explained = [
        engine.match_role(CAT, profile, role)
        for role in CAT.roles.values()
        if family is None or role["family"] == family
    ]
    explained.sort(key=rank_order)
    expected = [(m.score, m.role) for m in explained]
    if top is not None:
        expected = expected[:top]
    assert engine.rank(CAT, profile, family=family, top=top) == expected


def rank_order(m: engine.Match) -> tuple[bool, int, float, str]:
    return m.level_fit != "fits", tuning.band_index(m.band), -m.score, m.role


@given(profiles)
def test_results_are_deterministic_and_ties_broken_by_id(profile: Profile) -> None:
    first = engine.match(CAT, profile)
    assert first == engine.match(CAT, profile)
    keys = [rank_order(m) for m in first]
    assert keys == sorted(keys)


@given(profiles)
def test_a_role_far_above_the_profile_is_never_a_direct_move(profile: Profile) -> None:
    for m in engine.match(CAT, profile):
        role = CAT.roles[m.role]
        if role["entry_level"] > profile.rqf + tuning.MAX_LEVEL_JUMP:
            assert not m.direct
            assert any(b.kind == "level" for b in m.blockers)
        # every gate but being hired (an employment gate says how one is taken on) stands until evidence meets it
        unmet = [
            g
            for g in role["gates"]
            if g["kind"] != "employment"
            and not (g["kind"] == "qualification" and (g.get("min_level") or 99) <= profile.rqf)
            and not (g.get("evidence") and g["evidence"] in profile.evidence)
        ]
        if unmet:
            assert not m.direct


@given(profiles)
@settings(max_examples=60)
def test_gap_programmes_are_enterable_and_teach_the_skill_to_the_level(profile: Profile) -> None:
    for m in engine.match(CAT, profile, top=5):
        for gap in m.gaps:
            for pid in gap.programmes:
                prog = CAT.programmes[pid]
                if profile.level is not None:  # an unknown level closes nothing (the reason says what is needed)
                    assert prog["entry_level"] <= profile.level
                assert any(t["skill"] == gap.fit.skill and t["level"] >= gap.fit.need for t in prog["teaches"])
                if profile.region:
                    assert CAT.serves_region(prog, profile.region)
            for option in gap.options:
                if not option.enterable:
                    assert option.reasons, "an excluded programme must say why"


@given(profiles, st.sampled_from(ROLES))
@settings(max_examples=60)
def test_the_bundle_closes_every_closable_essential_gap(profile: Profile, rid: str) -> None:
    role = CAT.roles[rid]
    needs = {n["skill"]: n["level"] for n in role["skills"] if n["essential"]}
    chosen = bundle(CAT, profile, needs)
    learned = with_programmes(CAT, profile, list(chosen.programmes))
    for skill in chosen.closed:
        assert engine.effective_level(CAT, learned, skill)[0] >= needs[skill]
    for skill in chosen.open:
        # nothing the person can enter teaches it to that level
        for pid, level in CAT.taught_by.get(skill, []):
            if level >= needs[skill]:
                assert not engine.enterability(CAT, profile, CAT.programmes[pid]).enterable
    for pid in chosen.programmes:
        assert engine.enterability(CAT, profile, CAT.programmes[pid]).enterable


# -- the bundle is the cheapest cover: compared with brute force on small random catalogues ---------


def tiny_catalogue(programmes: list[tuple[list[tuple[str, int]], float]]) -> Catalogue:
    skills = [{"id": s, "name": s, "category": "technical", "related": [], "aliases": []} for s in "abcde"]
    progs = [
        {
            "id": f"p{i}",
            "title": f"P{i}",
            "kind": "short-course",
            "level": None,
            "entry_level": 0,
            "duration_months": months,
            "mode": "in-person",
            "access": ["open"],
            "regions": ["uk"],
            "funding": [],
            "status": "open",
            "teaches": [{"skill": s, "level": lvl} for s, lvl in teaches],
            "leads_to": [],
        }
        for i, (teaches, months) in enumerate(programmes)
    ]
    return Catalogue({"skills": skills, "roles": [], "programmes": progs, "backgrounds": []}, {})


programme_lists = st.lists(
    st.tuples(
        st.lists(st.tuples(st.sampled_from("abcde"), st.integers(1, 3)), min_size=1, max_size=3),
        st.floats(0.1, 40).map(lambda x: round(x, 2)),
    ),
    min_size=1,
    max_size=8,
)


@given(programme_lists, st.dictionaries(st.sampled_from("abcde"), st.integers(1, 3), min_size=1))
@settings(max_examples=150)
def test_the_bundle_costs_no_more_than_any_other_cover(programmes: list[Any], needs: dict[str, int]) -> None:
    cat = tiny_catalogue(programmes)
    nobody = Profile({}, level=3)
    chosen = bundle(cat, nobody, needs)

    def covers(combo: tuple[str, ...]) -> set[str]:
        """What a set of programmes closes; a need at 'aware' only by a proportionate one."""
        return {
            t["skill"]
            for p in combo
            for t in cat.programmes[p]["teaches"]
            if t["level"] >= needs.get(t["skill"], 9)
            and (needs[t["skill"]] > 1 or cat.programmes[p]["duration_months"] <= tuning.AWARE_MAX_MONTHS)
        }

    assert covers(chosen.programmes) >= set(chosen.closed)
    best = min(
        (
            sum(programme_cost(cat, nobody, cat.programmes[p]) for p in combo)
            for n in range(len(cat.programmes) + 1)
            for combo in itertools.combinations(sorted(cat.programmes), n)
            if covers(combo) >= set(chosen.closed)
        ),
    )
    assert chosen.cost <= best + 1e-9


# -- pathways -----------------------------------------------------------------------------------------


def plannable(profile: Profile, rid: str) -> Any:
    """The pathway, or None where the role needs a registration (nurse, pharmacist) that no programme in the
    data awards: the engine then refuses with a clear message rather than invent a route."""
    try:
        return pathway(CAT, profile, rid)
    except CgtpathsError as err:
        assert any(g["kind"] == "registration" for g in CAT.roles[rid]["gates"]), (rid, str(err))
        assert "no pathway" in str(err), str(err)
        return None


@pytest.mark.parametrize("rid", ROLES)
def test_a_gcse_school_leaver_never_starts_with_a_masters(rid: str) -> None:
    profile = build(CAT, backgrounds=["school-leaver-gcse"])
    plan = plannable(profile, rid)
    if plan is None:
        return
    first = plan.steps[0]
    if first.kind == "programme":
        prog = CAT.programmes[first.id or ""]
        assert prog["kind"] not in ("masters", "doctorate"), (rid, first.id)
        assert (prog["level"] or 0) <= 2 + tuning.MAX_PROGRAMME_LEVEL_JUMP
    for step in plan.steps:
        if step.kind == "programme":
            assert CAT.programmes[step.id or ""]["kind"] not in ("masters", "doctorate") or step is not first


def test_the_qualified_person_route_shows_the_experience_as_a_step() -> None:
    profile = build(CAT, backgrounds=["nhs-biomedical-scientist"])
    plan = pathway(CAT, profile, "qualified-person")
    experience = [s for s in plan.steps if s.kind == "experience"]
    assert experience, "the QP route must show the required experience as a step"
    assert max(s.months for s in experience) >= 24
    assert plan.steps[-1].kind == "role" and plan.steps[-1].id == "qualified-person"
    assert not plan.direct


@given(st.sampled_from(sorted(CAT.backgrounds)), st.sampled_from(ROLES))
@settings(max_examples=80, deadline=None)
def test_every_pathway_ends_at_its_target_and_adds_up(bid: str, rid: str) -> None:
    profile = build(CAT, backgrounds=[bid])
    plan = plannable(profile, rid)
    if plan is None:
        return
    last = plan.steps[-1]
    assert (last.kind, last.id, last.title, last.months, last.why) == (
        "role",
        rid,
        CAT.roles[rid]["title"],
        0.0,
        "the target role",
    )
    # each step starts when the ones before it end (ages are checked then)
    for i, step in enumerate(plan.steps):
        assert abs(step.starts_at_month - sum(p.months for p in plan.steps[:i])) < 1e-6
    assert plan.total_months == round(sum(s.months for s in plan.steps), 2)
    assert all(s.months >= 0 for s in plan.steps)
    assert set(plan.gaps_closed).isdisjoint(plan.gaps_open)
    for s in plan.steps:
        if s.kind == "programme":
            assert s.id in CAT.programmes


def test_an_oil_and_gas_operator_gets_short_training_not_a_degree_for_a_technician_job() -> None:
    """No degree and no multi-year programme: short courses and a first job (process support operator,
    which ATSTN calls a great entry point) on the way; aseptic technique is not taught to outsiders by
    any short course in the data (the Catapult's 3-day course is for staff already in CGT), so this is
    honestly not a direct move."""
    profile = build(CAT, backgrounds=["oil-and-gas-process-operator"])
    plan = pathway(CAT, profile, "manufacturing-technician")
    assert plan.total_months < 24
    for step in plan.steps:
        if step.kind == "programme":
            assert CAT.programmes[step.id or ""]["kind"] in ("short-course", "training-centre", "online-course")
            assert step.months <= tuning.AWARE_MAX_MONTHS
    assert "cgt-catapult-aseptic-course" not in {s.id for s in plan.steps}  # in-sector only


# -- free text -----------------------------------------------------------------------------------------


def test_text_matching_uses_whole_words_aliases_and_variants() -> None:
    text = (
        "Ran the DCS and SCADA systems; issued permit-to-work certificates; HAZOP studies; cGMP training. Cleanrooms."
    )
    found = {m.skill: m.found for m in match_text(CAT, text)}
    assert "process-automation" in found
    assert "permit-to-work" in found
    assert "process-safety" in found
    assert "gmp" in found
    # 'lean' must not fire inside 'Cleanrooms', nor 'PCR' inside a longer word
    assert "continuous-improvement" not in found
    assert not match_text(CAT, "no: apcr and xpcrx")
    assert {m.skill for m in match_text(CAT, "ran PCRs daily")} == {"pcr"}  # a plural is the skill


def test_text_matching_is_case_insensitive() -> None:
    assert {m.skill for m in match_text(CAT, "FLOW CYTOMETRY and flow cytometry")} == {"flow-cytometry"}


# -- the shortlist: a large catalogue's best few, from the roles that could be among them ---------------


@given(
    profiles,
    st.one_of(st.none(), st.sampled_from(FAMILIES)),
    st.integers(1, 12),
    st.integers(1, len(ROLES) + 1),
)
def test_the_shortlist_finds_what_scoring_every_role_finds(
    profile: Profile, family: str | None, top: int, dense_min: int
) -> None:
    """Whatever the skills counted as dense (from all of them to none), the shortlist's best `top`
    are rank_all's, floats and ties included."""
    bounds = shortlist_bounds(CAT, dense_min)
    expected = engine.rank_all(CAT, profile, family=family, top=top)
    assert engine.shortlist(CAT, profile, bounds, family=family, top=top) == expected


@pytest.fixture(scope="module")
def synthetic() -> Catalogue:
    """An ESCO-shaped catalogue (bench/esco.py: skewed skill popularity), validated like real data."""
    from bench import esco

    from cgtpaths import model

    sizes = {"roles": 1500, "skills": 3000, "programmes": 300, "backgrounds": 40}
    raw = esco.records(sizes, seed=7)
    models = {"skills": model.Skill, "roles": model.Role, "programmes": model.Programme,
              "backgrounds": model.Background, "regions": model.Region}  # fmt: skip
    data: dict[str, Any] = {k: [models[k].model_validate(r).model_dump(mode="json") for r in raw[k]] for k in models}
    data["qualifications"] = []
    return Catalogue(data, {"name": "synthetic"})


def test_on_a_skewed_catalogue_the_shortlist_agrees_and_scores_few_roles(
    synthetic: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    scored: list[str] = []
    exact = engine.exact_score

    def counted(cat: Catalogue, rid: str, levels: dict[str, float]) -> float:
        scored.append(rid)
        return exact(cat, rid, levels)

    monkeypatch.setattr(engine, "exact_score", counted)
    monkeypatch.setattr(tuning, "SHORTLIST_MIN_ROLES", 1000)  # rank uses it here (or gives way to rank_all)
    families = sorted(set(synthetic.role_order[1]))
    counts = []
    for n, bid in enumerate(sorted(synthetic.backgrounds)):
        person = build(synthetic, backgrounds=[bid])
        family = families[n % len(families)] if n % 4 == 0 else None
        top = (1, 5, 10, 40)[n % 4]
        expected = engine.rank_all(synthetic, person, family=family, top=top)
        assert engine.rank(synthetic, person, family=family, top=top) == expected
        scored.clear()
        assert engine.shortlist(synthetic, person, synthetic.bounds, family=None, top=5) == engine.rank_all(
            synthetic, person, top=5
        )
        counts.append(len(scored))
    # the ranking puts level-appropriate roles and better bands first, so more roles are scored than
    # a pure score ranking needs; still well under every role (bench/ measures the speed)
    assert sorted(counts)[len(counts) // 2] < len(synthetic.roles) // 2, counts


def test_the_shortlist_gives_way_when_too_many_roles_would_need_scoring() -> None:
    profile = build(CAT, backgrounds=["oil-and-gas-process-operator"])
    everything_dense = shortlist_bounds(CAT, 1)  # every bound is 1.0: nothing can be ruled out
    assert engine.shortlist(CAT, profile, everything_dense, family=None, top=3, most=10) is None
    assert engine.shortlist(CAT, profile, everything_dense, family=None, top=3) == engine.rank_all(CAT, profile, top=3)


@given(profiles, st.sampled_from(ROLES))
def test_options_read_as_the_programme_options_they_hold(profile: Profile, rid: str) -> None:
    seen = engine.Seen()
    for fit in engine.fits(CAT, profile, CAT.roles[rid]):
        options = engine.gap_options(CAT, profile, fit, seen)
        made = tuple(options)
        assert len(options) == len(made) and all(isinstance(o, engine.ProgrammeOption) for o in made)
        assert [options[i] for i in range(len(options))] == list(made) and options[1:] == made[1:]
        assert options == made and options == engine.Options(options.ids, options.titles, options.verdicts)
        assert hash(options) == hash(made) == hash(engine.Options(options.ids, options.titles, options.verdicts))
        assert list(options.rows()) == [(o.id, (o.enterable, o.reasons)) for o in made]
        assert engine.Gap(fit, options).programmes == [o.id for o in made if o.enterable]
        enterable = [o.enterable for o in made]
        assert enterable == sorted(enterable, reverse=True)  # those one can start come first


# -- issue 14's properties: labels that mean what they say ------------------------------------------

UNRELATED = {
    "id": "unrelated-role",
    "title": "An unrelated role",
    "family": "data",
    "summary": "A role added by an overlay.",
    "entry_level": 3,
    "entry_level_confidence": "inferred",
    "skills": [{"skill": s, "level": 2, "essential": True, "confidence": "inferred"} for s in SKILLS[:6]],
    "gates": [],
    "progression": [],
    "entry_routes": [],
    "experience_months": 0,
    "sources": [],
    "notes": [],
}


@given(profiles, st.lists(st.sampled_from(SKILLS), min_size=1, max_size=8, unique=True))
@settings(max_examples=60)
def test_a_score_does_not_depend_on_the_other_roles_in_the_catalogue(profile: Profile, skills: list[str]) -> None:
    """Adding any role (as an overlay would) changes no other role's score, band or direct flag."""
    role = {**UNRELATED, "skills": [{**UNRELATED["skills"][0], "skill": s} for s in skills]}
    data = load().data
    bigger = Catalogue({**data, "roles": [*data["roles"], role]}, {})
    before = {m.role: (m.score, m.band, m.direct) for m in engine.match(CAT, profile)}
    after = {m.role: (m.score, m.band, m.direct) for m in engine.match(bigger, profile) if m.role != role["id"]}
    assert before == after


@given(st.sampled_from(sorted(CAT.backgrounds)), st.sampled_from(ROLES), st.sampled_from([None, *REGIONS]))
@settings(max_examples=80, deadline=None)
def test_no_pathway_step_is_a_programme_the_person_cannot_start(bid: str, rid: str, region: str | None) -> None:
    """Each step is checked against the person as they will be when it starts; an NHS-only,
    students-only or in-sector-only programme never appears for someone without that right."""
    from cgtpaths.errors import CgtpathsError

    person = build(CAT, backgrounds=[bid], region=region)
    try:
        plan = pathway(CAT, person, rid)
    except CgtpathsError:
        return  # "no pathway could be planned" is an honest answer
    rights = {"open", "employed", *person.rights}
    for step in plan.steps:
        if step.kind == "role":
            rights.add("in-sector")  # a job in a CGT role is work in the field
        if step.kind != "programme":
            continue
        programme = CAT.programmes[step.id or ""]
        assert set(programme["access"]) & rights, (bid, rid, step.id, programme["access"])
        if programme["kind"] in ("degree", "foundation-degree", "masters", "degree-apprenticeship"):
            rights.add("enrolled-student")  # the placements inside a degree come after it starts
    if plan.direct:
        essential = {n["skill"] for n in CAT.roles[rid]["skills"] if n["essential"]}
        behaviours = {s for s in essential if CAT.skills[s]["category"] == "behavioural"}
        assert set(plan.gaps_open) & essential <= set(plan.learned_on_job) | behaviours, plan.gaps_open


@given(st.sampled_from(sorted(CAT.backgrounds)), st.sampled_from([None, *REGIONS]))
@settings(max_examples=60, deadline=None)
def test_the_lowest_band_is_never_direct_and_direct_needs_short_startable_training(
    bid: str, region: str | None
) -> None:
    for m in engine.match(CAT, build(CAT, backgrounds=[bid], region=region)):
        if m.band == tuning.BANDS[-1][0]:
            assert not m.direct
        if m.direct:
            for gap in m.gaps:
                if gap.fit.essential and gap.fit.category != "behavioural" and gap.fit.skill not in m.learn_on_job:
                    assert any(CAT.months[p] <= tuning.SHORT_TRAINING_MONTHS for p in gap.programmes), (m.role, gap)
