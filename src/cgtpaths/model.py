"""Pydantic models of the curated data: the one authority on what a record may hold.

Imported only when YAML is validated (pydantic costs ~200 ms to import and build),
never on the warm path. The engine works on plain data built from these models.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80),
    Field(description="kebab-case identifier: lower-case letters and digits joined by hyphens"),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=1000)]
RqfLevel = Annotated[int, Field(ge=1, le=8, description="RQF level 1-8 (England, Wales, NI)")]
EntryLevel = Annotated[int, Field(ge=0, le=8, description="RQF level admitted; 0 = no qualifications")]
ScqfLevel = Annotated[int, Field(ge=1, le=12, description="SCQF level 1-12 (Scotland)")]
SkillLevel = Annotated[int, Field(ge=1, le=3, description="1 aware, 2 practised, 3 expert")]
Confidence = Literal["verified", "secondary", "inferred"]

SkillCategory = Literal[
    "technical",
    "scientific",
    "quality",
    "regulatory",
    "engineering",
    "safety",
    "supply-chain",
    "digital",
    "clinical",
    "behavioural",
]
RoleFamily = Literal[
    "manufacturing",
    "quality-control",
    "quality-assurance",
    "process-development",
    "analytical",
    "engineering-and-facilities",
    "supply-chain",
    "regulatory",
    "clinical",
    "data",
    "safety",
    "laboratory",
]
ProgrammeKind = Literal[
    "apprenticeship",
    "degree-apprenticeship",
    "t-level",
    "degree",
    "foundation-degree",
    "masters",
    "doctorate",
    "short-course",
    "online-course",
    "bootcamp",
    "placement",
    "training-centre",
    "scheme",
    "assessment",
]
# Who may start a programme (docs/method.md, "Who can start"): several may apply to one programme.
Access = Literal["open", "employed", "in-sector", "nhs-staff", "enrolled-student", "school-pupil"]
Evidence = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80),
    Field(description="what a gate asks to see, e.g. hcpc-registration, qp-eligibility, four-year-degree"),
]
Nation = Literal["england", "scotland", "wales", "northern-ireland"]
SourceKind = Literal["official", "provider", "secondary"]
Soc2020 = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(/\d{2})?$"),
    Field(description="SOC 2020 unit group, 4 digits (a /NN sub-unit group where ONS gives one)"),
]
Mode = Literal["work-based", "full-time", "part-time", "online", "blended", "in-person", "flexible"]
FundingKind = Literal[
    "levy",
    "co-investment",
    "free",
    "fee",
    "studentship",
    "salaried",
    "student-finance",
    "employer-funded",
    "grant",
    "unknown",
]
GateKind = Literal["qualification", "registration", "experience", "eligibility", "employment"]
Situation = Literal["school", "college", "university", "working", "armed-forces"]


class Strict(BaseModel):
    """Base for every record: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    """Where a fact was seen."""

    url: Url
    title: Text
    seen: dt.date = Field(description="date the page was read")
    kind: SourceKind = Field(
        None,  # type: ignore[arg-type]  # filled from the host by _default_kind
        description="official (government, nations' bodies, NHS, regulators, Skills England, ONS), "
        "provider (the provider's own page about its own programme) or secondary (anything else); "
        "when left out, worked out from the page's host (cgtpaths.provenance)",
    )
    via: Text | None = Field(
        None,
        description="set when the page itself was not read on `seen`: where the fact was taken from instead "
        "(e.g. 'domain brief'); such a fact is never 'verified'",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_kind(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("kind") is None and isinstance(data.get("url"), str):
            from cgtpaths.provenance import default_kind

            return {**data, "kind": default_kind(data["url"])}
        return data


class Note(Strict):
    """One claim of fact with its confidence, e.g. evidence for a crosswalk."""

    text: Text
    confidence: Confidence
    source: Url | None = Field(None, description="URL backing this note, if not in the record's sources")


class Record(Strict):
    """Fields every curated record carries."""

    id: Id
    sources: list[Source] = Field(min_length=1)
    verified: dt.date = Field(description="date the record was last checked against its sources")
    notes: list[Note] = []


class SkillLink(Strict):
    """Explicit partial credit: having `skill` counts as `credit` of this skill."""

    skill: Id
    credit: float = Field(gt=0, lt=1)
    confidence: Confidence


class Skill(Record):
    name: Text
    category: SkillCategory
    description: Text
    aliases: list[Annotated[str, StringConstraints(min_length=2, max_length=80)]] = []
    related: list[SkillLink] = Field([], description="sourced or marked crosswalks giving partial credit")
    esco_uri: Url | None = None
    nos: str | None = Field(None, description="National Occupational Standard code, e.g. COGSCIM3_03")


class RoleSkill(Strict):
    skill: Id
    level: SkillLevel
    essential: bool
    core: bool = Field(
        False, description="one of the role's defining skills, from the standard's duties or the ATSTN job page"
    )
    confidence: Confidence = "inferred"


class Gate(Strict):
    """A hard requirement that training alone cannot close."""

    kind: GateKind
    text: Text
    min_level: RqfLevel | None = Field(None, description="qualification gate: RQF level needed")
    months: int | None = Field(None, ge=1, le=240, description="experience gate: months needed")
    min_months: int | None = Field(
        None, ge=1, le=120, description="qualification gate: shortest course that meets it (48: 'a four-year degree')"
    )
    routes: list[Id] = Field(
        [], description="programme ids whose completion awards the evidence this gate asks for (else any at min_level)"
    )
    evidence: Evidence | None = Field(
        None, description="the evidence that meets it (a registration, an eligibility), held or awarded by a step"
    )
    confidence: Confidence


class Salary(Strict):
    """A sourced annual salary figure in GBP; never guessed."""

    median: int | None = Field(None, ge=5000, le=500000)
    low: int | None = Field(None, ge=5000, le=500000)
    high: int | None = Field(None, ge=5000, le=500000)
    scope: Text = Field(description="what the figure covers, e.g. 'all laboratory scientists, SOC 2119'")
    source: Source
    confidence: Confidence

    @model_validator(mode="after")
    def _has_a_figure(self) -> Salary:
        if self.median is None and self.low is None and self.high is None:
            raise ValueError("a salary needs a median or a low/high range")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("salary low is above high")
        return self


class Role(Record):
    title: Text
    also_called: list[Text] = []
    family: RoleFamily
    summary: Text
    entry_level: RqfLevel
    entry_level_confidence: Confidence
    usual_level: RqfLevel | None = Field(
        None,
        description="the level most people in the role hold, when above the lowest entry level (e.g. a degree "
        "for QC analysts): a person at this level is not stepping down",
    )
    skills: list[RoleSkill] = Field(min_length=1)
    gates: list[Gate] = []
    progression: list[Id] = []
    entry_routes: list[Id] = Field([], description="programme ids; programmes whose leads_to names this role are added")
    experience_months: int = Field(
        0, ge=0, le=240, description="typical experience before this role, from an earlier rung"
    )
    salary: Salary | None = None
    soc2020: Soc2020 | None = None
    soc2020_source: Url | None = Field(None, description="the ONS (or National Careers Service) page backing soc2020")


class Funding(Strict):
    """A fact about this programme's own money (a fee, a studentship, a funding band). Rules that
    change (levy, co-investment, age bands) live once in funding.yaml and are named by id."""

    kind: FundingKind
    text: Text
    age_min: int | None = Field(None, ge=14, le=99)
    age_max: int | None = Field(None, ge=14, le=99)
    max_gbp: int | None = Field(None, ge=0, description="funding band cap, apprenticeships")
    fee_gbp: int | None = Field(None, ge=0, description="fee paid by the learner, when sourced")
    confidence: Confidence


class Teaches(Strict):
    skill: Id
    level: SkillLevel


class Programme(Record):
    title: Text
    kind: ProgrammeKind
    provider: Text
    level: RqfLevel | None = Field(None, description="RQF level of the qualification; none for unaccredited courses")
    scqf: ScqfLevel | None = None
    entry_level: EntryLevel
    duration_months: float | None = Field(None, gt=0, le=120, description="typical duration in `mode`")
    duration_max_months: float | None = Field(None, gt=0, le=120, description="the longest allowed, e.g. part-time")
    mode: Mode
    access: list[Access] = Field(
        min_length=1,
        description="who may start it: open; employed (needs a job: every apprenticeship); in-sector (already "
        "works in the field); nhs-staff; enrolled-student (only students enrolled on the provider's course, e.g. "
        "placements inside a degree); school-pupil (only pupils still at school, e.g. Scotland's Foundation "
        "Apprenticeships)",
    )
    regions: list[Id] = Field(min_length=1, description="region ids; 'uk' for UK-wide")
    locations: list[Text] = []
    funding: list[Funding] = []
    funding_rules: list[Id] = Field([], description="ids of the funding.yaml rules that can pay for it")
    awards: list[Evidence] = Field([], description="evidence completing it gives, for gates (e.g. qp-eligibility)")
    off_the_job: Text | None = Field(None, description="off-the-job training time, in hours or days")
    standard: Annotated[str, StringConstraints(pattern=r"^ST\d{4}$")] | None = None
    standard_version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+$")] | None = Field(
        None, description="the standard's version, e.g. 1.0 (data check-standards compares it)"
    )
    status: Literal["open", "in-revision", "proposed-retirement", "closed", "unknown"] = "open"
    teaches: list[Teaches] = []
    leads_to: list[Id] = []
    url: Url | None = None
    confidence: Confidence


class BackgroundSkill(Strict):
    skill: Id
    level: SkillLevel


class Background(Record):
    title: Text
    sector: Text
    situation: Situation
    also_called: list[Text] = []
    typical_level: EntryLevel
    skills: list[BackgroundSkill] = Field(min_length=1)
    confidence: Confidence
    soc2020: Soc2020 | None = None
    soc2020_source: Url | None = None
    evidence: list[Evidence] = Field([], description="registrations or eligibilities people with it hold")
    access: list[Access] = Field(
        [], description="access rights beyond open and employed; when empty, worked out from situation and sector"
    )


class Region(Record):
    name: Text
    kind: Literal["uk", "nation", "region"]
    parent: Id | None = None
    clusters: list[Text] = []
    centres: list[Text] = Field([], description="training centres in the region")


class Qualification(Record):
    name: Text
    rqf: EntryLevel
    scqf: ScqfLevel | None = None
    examples: list[Text] = []


Employer = Literal["any", "levy-payer", "non-levy", "small"]


class FundingRule(Record):
    """A dated funding rule (data/funding.yaml): who it applies to and who pays. Kept once, so a
    rule change is one edit; programmes name the rules that can fund them."""

    title: Text
    nations: list[Nation] = Field(min_length=1)
    kinds: list[ProgrammeKind] = Field(min_length=1, description="the kinds of programme it covers")
    level_min: RqfLevel | None = None
    level_max: RqfLevel | None = None
    age_min: int | None = Field(None, ge=14, le=99, description="age at the start of the programme")
    age_max: int | None = Field(None, ge=14, le=99)
    employer: Employer = Field("any", description="the employers it applies to; 'small' needs employer_staff_max")
    employer_staff_max: int | None = Field(None, ge=1)
    learner_pays: Text | None = None
    employer_pays: Text | None = None
    government_pays: Text | None = None
    amount_gbp: int | None = Field(None, ge=0, description="a payment or loan amount, when the rule names one")
    text: Text = Field(description="one or two plain sentences an adviser could read out")
    effective_from: dt.date | None = Field(
        description="the first day it applies; null when the official page gives no date (then it is "
        "taken as in force on the day its source was read)"
    )
    effective_to: dt.date | None = Field(None, description="the last day it applies, when it ends")
    confidence: Confidence

    @model_validator(mode="after")
    def _consistent(self) -> FundingRule:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.employer == "small" and self.employer_staff_max is None:
            raise ValueError("a rule for small employers needs employer_staff_max")
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min is above age_max")
        return self


# ---- data/outlook.yaml: pay, jobs and outlook figures --------------------------------------------
OutlookGroup = Literal["occupation", "nhs-pay", "minimum-wage", "all-employees", "cgt-sector", "priority-sectors"]
Measure = Literal["pay", "minimum-wage", "workforce", "forecast", "vacancies", "job-adverts", "projection", "entrants"]
Statistic = Literal["median", "mean", "p10", "p25", "p75", "p90", "range", "count", "at-least", "rate"]
FigureUnit = Literal["gbp-per-year", "gbp-per-hour", "people", "roles", "job-adverts", "people-per-year"]
# ONS quality marks for ASHE estimates, from the coefficient of variation (CV)
Reliability = Literal["precise", "reasonably-precise", "acceptable", "unreliable"]
WageBand = Literal["apprentice", "under-18", "18-to-20", "21-and-over"]


def reliability_for_cv(cv: float) -> str:
    """ONS's bands: CV up to 5% precise, over 5 to 10% reasonably precise, over 10 to 20% acceptable,
    over 20% unreliable (ONS suppresses those)."""
    if cv <= 5:
        return "precise"
    if cv <= 10:
        return "reasonably-precise"
    if cv <= 20:
        return "acceptable"
    return "unreliable"


class OutlookFigure(Record):
    """One published figure (data/outlook.yaml): pay, a minimum wage, a workforce count or forecast.
    It applies to everyone in a SOC 2020 unit group, to named roles or backgrounds, or to the sector
    or the whole economy (group). Every figure says what it covers (scope), its year and its release."""

    group: OutlookGroup = Field(description="what kind of figure it is, for grouping on screen and paper")
    measure: Measure
    statistic: Statistic = Field(description="median, a percentile, a range (low/high), a count, at-least or a rate")
    value: float | None = Field(None, ge=0)
    low: float | None = Field(None, ge=0)
    high: float | None = Field(None, ge=0)
    unit: FigureUnit
    year: Text = Field(description="the period the figure describes, e.g. '2025', '2024/25', 'from 1 April 2026'")
    scope: Text = Field(
        description="who the figure covers, e.g. 'all laboratory technicians in the North East, not only CGT'"
    )
    short_scope: Annotated[str, StringConstraints(min_length=1, max_length=90)] | None = Field(
        None, description="who it covers in a few words, for one-line summaries, e.g. 'all laboratory scientists, UK'"
    )
    region: Id | None = Field(None, description="region id the figure is for; null when not tied to a place")
    soc2020: Soc2020 | None = Field(None, description="applies to every role and background with this unit group")
    roles: list[Id] = Field([], description="role ids the figure is shown for")
    backgrounds: list[Id] = Field([], description="background ids the figure is shown for")
    fit: Confidence | None = Field(
        None, description="how surely the figure's scope fits the roles/backgrounds named (needed when it names any)"
    )
    wage_band: WageBand | None = Field(None, description="minimum-wage figures: which age band or the apprentice rate")
    band: Annotated[str, StringConstraints(pattern=r"^[1-9][a-d]?$")] | None = Field(
        None, description="nhs-pay figures: the Agenda for Change band"
    )
    release: Text = Field(description="the publication the figure comes from, e.g. 'ASHE 2025 provisional'")
    released: dt.date | None = Field(None, description="the day that publication came out, when known")
    cycle_months: int = Field(ge=1, le=120, description="how often the source publishes a new edition (ASHE: 12)")
    cv: float | None = Field(None, ge=0, le=100, description="ONS coefficient of variation, in per cent")
    reliability: Reliability | None = Field(None, description="ONS quality mark; needed when cv is given")
    confidence: Confidence

    @model_validator(mode="after")
    def _consistent(self) -> OutlookFigure:
        if self.statistic == "range":
            if self.low is None or self.high is None or self.value is not None:
                raise ValueError("a range needs low and high, and no value")
            if self.low > self.high:
                raise ValueError("low is above high")
        elif self.value is None or self.low is not None or self.high is not None:
            raise ValueError(f"a {self.statistic} needs value, and no low/high")
        if self.cv is not None and self.reliability != reliability_for_cv(self.cv):
            raise ValueError(f"cv {self.cv} is '{reliability_for_cv(self.cv)}' in ONS's bands; set reliability to it")
        if (self.roles or self.backgrounds) and self.fit is None:
            raise ValueError("say how well the figure fits the roles/backgrounds it names: add fit")
        if "%" in self.scope or "%" in (self.short_scope or ""):
            raise ValueError("scope: give base numbers, not a percentage")
        if self.group == "minimum-wage" and self.wage_band is None:
            raise ValueError("a minimum-wage figure needs wage_band")
        if self.group == "nhs-pay" and self.band is None:
            raise ValueError("an nhs-pay figure needs band")
        return self


class Dataset(Strict):
    """data/dataset.yaml: the dataset's name and version."""

    name: Text
    version: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{2}\.\d{2}$")]
    licence: Text
    description: Text
    sources: list[Source] = Field(
        [], description="the main publishers the records draw on; each record names its own sources"
    )


# file stem -> (top-level key, record model); the order is the load order
FILES: dict[str, type[Record]] = {
    "skills": Skill,
    "regions": Region,
    "qualifications": Qualification,
    "roles": Role,
    "programmes": Programme,
    "backgrounds": Background,
    "funding": FundingRule,
    "outlook": OutlookFigure,
}
