"""Every threshold and weight the engine uses, in one place. docs/method.md explains each value
and shows, on the shipped data, what it produces (scripts/method_table.py regenerates that table)."""

from typing import Any

# Match score: a destination-normalised weighted mean of min(have, need) / need (Career Causeways'
# asymmetric overlap). Essential skills count twice an optional one: employers screen on them.
ESSENTIAL_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0
# Generic behaviours (teamwork, attention to detail...) transfer to every role, so they say little
# about fit to one role; they count half, so technical overlap decides the ranking.
CATEGORY_WEIGHTS = {"behavioural": 0.5}
# Specificity (the IDF of text retrieval): a skill needed by every role says little about which
# role fits, one needed by few says a lot. Weight = max(FLOOR, ln((roles + 1) / (roles needing it + 0.5))).
# Without it, generic documentation and safety skills made 'laboratory technician' the top match for
# almost every background (see docs/method.md).
SPECIFICITY_FLOOR = 0.25

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

# A role more than this many RQF levels above the profile is never a direct move (O*NET job zones,
# Career Causeways' MAX_JOB_ZONE_DIF = 1).
MAX_LEVEL_JUMP = 1

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


def skill_weight(essential: bool, category: str, specificity: float) -> float:
    """How much one of a role's skills counts in its score (docs/method.md explains each factor)."""
    base = ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT
    return base * CATEGORY_WEIGHTS.get(category, 1.0) * specificity


def programme_months(programme: dict[str, Any]) -> tuple[float, bool]:
    """(months used for planning, whether the duration is sourced)."""
    if programme["duration_months"] is None:
        return UNKNOWN_DURATION_BY_KIND.get(programme["kind"], UNKNOWN_DURATION_MONTHS), False
    return float(programme["duration_months"]), True
