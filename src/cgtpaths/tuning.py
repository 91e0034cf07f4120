"""Every threshold and weight the engine uses, in one place. docs/method.md explains each value
and shows, on the shipped data, what it produces (scripts/method_table.py regenerates that table)."""

from typing import Any

# Match score: a destination-normalised weighted mean of min(have, need) / need (Career Causeways'
# asymmetric overlap). The weight of a skill comes from the role alone, never from which other roles
# happen to be in the catalogue (so adding a role changes no other role's score): essential skills
# count twice an optional one, because employers screen on them; a role's core skills (its defining
# duties, curated from the standard or the ATSTN job page) count twice again.
ESSENTIAL_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0
CORE_WEIGHT = 2.0
# Generic behaviours (teamwork, attention to detail...) transfer to every role, so they say little
# about fit to one role; they count half, are never core, and cannot lift a band on their own.
CATEGORY_WEIGHTS = {"behavioural": 0.5}
GENERIC_CATEGORIES = ("behavioural",)

# Ranking a large catalogue for its best few roles (match.rank) first rules out every role whose
# score cannot reach them. A skill listed by at least this share of the roles is 'dense' (teamwork,
# GMP: long postings); the bound counts a role's dense skills as fully met, so only the other skills'
# short postings are added up. Below SHORTLIST_MIN_ROLES adding every posting is already quick.
DENSE_SKILL_SHARE = 0.01
SHORTLIST_MIN_ROLES = 5000
# The bound is a float sum; the shortlist keeps every role within this of the cut (scores are shown
# to 4 places, and rounding can lift a score by half of 1e-4).
SHORTLIST_MARGIN = 2e-4

# Bands, calibrated on the shipped data as Nesta calibrated MIN_VIABLE (scripts/method_table.py prints
# the figures; docs/method.md explains them): 'strong' from the mean + 1 SD of role-to-role scores
# within a family, 'good' from their mean, 'stretch' from the mean + 1 SD across families (above what
# unrelated roles share by chance).
BANDS = (
    ("strong", 0.55),
    ("good", 0.35),
    ("stretch", 0.20),
    ("not yet", 0.0),
)
# A band also needs this share of the role's core skills (each counted min(have, need) / need): a
# score carried by generic or optional skills cannot make a role look like a fit.
BAND_CORE_FLOOR = {"strong": 0.75, "good": 0.5, "stretch": 0.25, "not yet": 0.0}
# Feasibility: a role more than MAX_LEVEL_JUMP levels above the person is at best 'stretch'.
FAR_ABOVE_BAND_CAP = "stretch"

# A role more than this many RQF levels above the profile is never a direct move (O*NET job zones,
# Career Causeways' MAX_JOB_ZONE_DIF = 1).
MAX_LEVEL_JUMP = 1
# A role more than this many levels below what the person holds is a step down: marked, and ranked
# after every level-appropriate role unless the person asks for any level (--any-level).
MAX_LEVEL_DROP = 1
# A student is judged at the level their current stage leads to: a Year 11 pupil sits GCSEs (2), a
# sixth-form or college student A levels or a T Level (3).
STAGE_LEVEL = {"school": 2, "college": 3}

# 'Direct' means the person could apply now, or after short training they can start: every essential
# gap either closed by a programme of at most this many months they can start (a short course, a
# training-centre course, an online course: the length of training employers give new starters), or
# needed only at 'aware' (1) with no such course, when it is learned in the first weeks of the job.
SHORT_TRAINING_MONTHS = 3.0
# Proportionate training: no programme longer than this closes a gap needed only at 'aware' (1).
AWARE_MAX_MONTHS = 6.0

# No programme is recommended more than this many RQF levels above what the person holds, whatever
# its stated entry requirement: GCSE (2) can lead to an HND (5) but never straight to a master's (7).
MAX_PROGRAMME_LEVEL_JUMP = 3

# Pathway planning.
# A programme with no sourced duration costs this much when ranking plans (by kind; else the default).
UNKNOWN_DURATION_MONTHS = 12.0
UNKNOWN_DURATION_BY_KIND = {
    "short-course": 1.0,
    "online-course": 1.0,
    "training-centre": 1.0,
    "placement": 3.0,
    "apprenticeship": 24.0,
    "degree-apprenticeship": 48.0,
    "degree": 36.0,
    "foundation-degree": 24.0,
    "masters": 12.0,
    "doctorate": 48.0,
    "t-level": 24.0,
    "assessment": 3.0,
    "scheme": 3.0,
}
# Training brings a skill to 'practised' (2) at most when planning a pathway; 'expert' (3) comes from
# time in the job, so pathways never send someone on a degree just to turn 'practised' into 'expert'.
TRAINED_LEVEL_CAP = 2
# Personal qualities (attention to detail, teamwork...) grow through work; no pathway sends someone on
# a course just for them.
NOT_TRAINED_CATEGORIES = ("behavioural",)
DEFAULT_EXPERIENCE_MONTHS = 12  # time in a role before moving up, when the data gives none
MAX_LADDER = 4  # at most this many role-to-role moves in one pathway
MAX_LADDERS_PLANNED = 200  # shortest ladders first; more than the shipped data needs
MAX_QUALIFICATION_STEPS = 3  # at most this many programmes in a row to reach a role's entry level
FEE_MONTHS_PER_1000_GBP = 0.5  # bundle cost: a £1,000 fee weighs like two weeks of time
AGE_UNFUNDED_PENALTY_MONTHS = 6.0  # bundle cost of a programme not funded at the user's age


def band(score: float) -> str:
    for name, threshold in BANDS:
        if score >= threshold:
            return name
    return BANDS[-1][0]


def skill_weight(essential: bool, core: bool, category: str) -> float:
    """How much one of a role's skills counts in its score (docs/method.md explains each factor)."""
    base = ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT
    return base * (CORE_WEIGHT if core else 1.0) * CATEGORY_WEIGHTS.get(category, 1.0)


def band_index(name: str) -> int:
    """0 for the best band."""
    return [b for b, _ in BANDS].index(name)


def programme_months(programme: dict[str, Any]) -> tuple[float, bool]:
    """(months used for planning, whether the duration is sourced). The typical duration in the
    programme's own mode; else the longest it may take; else an assumption by kind (doubled part
    time, as a part-time course takes about twice as long)."""
    if programme["duration_months"] is not None:
        return float(programme["duration_months"]), True
    if programme.get("duration_max_months") is not None:
        return float(programme["duration_max_months"]), True
    assumed = UNKNOWN_DURATION_BY_KIND.get(programme["kind"], UNKNOWN_DURATION_MONTHS)
    return assumed * (2 if programme["mode"] == "part-time" else 1), False
