"""Pay, jobs and outlook for a role, a move from a background, or the CGT sector (data/outlook.yaml).

Pure: takes the catalogue, returns plain data. Every figure keeps its scope, year and sources;
what is not in the data is said to be unknown, never filled in. The terminal, JSON and printed
sheet all render the same `RoleOutlook` / `SectorOutlook`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue

Record = dict[str, Any]

APPRENTICE_KINDS = ("apprenticeship", "degree-apprenticeship")
PAY_GROUPS = ("occupation", "nhs-pay")
DEMAND_MEASURES = ("vacancies", "job-adverts")
OUTLOOK_MEASURES = ("projection",)
SECTOR_GROUPS = ("cgt-sector", "priority-sectors")
# A full-time week for turning an hourly minimum into a yearly sum (the sum is ours, and says so)
FULL_TIME_HOURS = 37.5
WEEKS = 52

UNKNOWN_PAY = "No official pay figure for this role is in the data yet (we never guess one)."
UNKNOWN_DEMAND = "No official count of vacancies or job adverts for this occupation is in the data yet."
UNKNOWN_OUTLOOK = "No official growth projection for this occupation is in the data yet."
UNKNOWN_PRIORITY = (
    "Whether this is one of Skills England's priority occupations to 2030 is not known: "
    "its list of priority occupations was not read."
)


class RoleOutlook:
    """Everything `outlook ROLE` shows. Plain attributes (no dataclass: cheap to import)."""

    def __init__(self, role: Record, region: Record | None) -> None:
        self.role = role
        self.region = region
        self.pay: list[Record] = []
        self.training_pay: list[Record] = []
        self.demand: list[Record] = []
        self.outlook: list[Record] = []
        self.sector: list[Record] = []
        self.yardstick: list[Record] = []
        self.background: Record | None = None
        self.from_pay: list[Record] = []
        self.comparison: list[str] = []
        self.unknown: list[str] = []
        self.regional_note: str | None = None


class SectorOutlook:
    def __init__(self, region: Record | None) -> None:
        self.region = region
        self.sector: list[Record] = []
        self.yardstick: list[Record] = []
        self.minimum_wage: list[Record] = []
        self.unknown: list[str] = []


# ---- which figures apply ----------------------------------------------------------------------------


def region_chain(cat: Catalogue, region_id: str) -> list[str]:
    """The region, then each place it sits in, up to the UK: figures for any of them apply there."""
    chain: list[str] = []
    current: str | None = region_id
    while current is not None and current not in chain:
        chain.append(current)
        current = cat.regions.get(current, {}).get("parent")
    if "uk" not in chain:
        chain.append("uk")
    return chain


def _in_region(figure: Record, chain: list[str] | None) -> bool:
    return chain is None or figure["region"] is None or figure["region"] in chain


def _same_soc(a: str | None, b: str | None) -> bool:
    return bool(a and b and a[:4] == b[:4])


def figures_for(cat: Catalogue, kind: str, rid: str, region: str | None = None) -> list[Record]:
    """Pay figures for a role or background (kind 'roles' or 'backgrounds'): those naming it, those
    for its SOC 2020 unit group and (roles) its own sourced salary; within a region, only that
    region's and the wider places' figures."""
    record = cat.role(rid) if kind == "roles" else cat.background(rid)
    chain = region_chain(cat, region) if region else None
    found = [
        f
        for f in cat.outlook.values()
        if f["group"] in PAY_GROUPS
        and f["measure"] == "pay"
        and (rid in f[kind] or _same_soc(f["soc2020"], record.get("soc2020")))
        and _in_region(f, chain)
    ]
    if kind == "roles":
        found += _role_salary(record, found)
    return sorted(found, key=_order)


def _order(figure: Record) -> tuple[int, str]:
    """The most local figure first: a region, then a nation, then the UK, then figures with no place."""
    region = figure["region"]
    place = 3 if region is None else 2 if region == "uk" else 1 if region in NATIONS else 0
    return (place, figure["id"])


NATIONS = ("england", "scotland", "wales", "northern-ireland")


def _role_salary(role: Record, found: list[Record]) -> list[Record]:
    """The role record's own sourced salary (roles.yaml), as a figure, unless outlook.yaml repeats it."""
    salary = role.get("salary")
    if not salary:
        return []
    value = salary.get("median")
    url = salary["source"]["url"]
    if any(f.get("value") == value and any(s["url"] == url for s in f["sources"]) for f in found):
        return []
    ranged = value is None
    return [
        {
            "id": f"{role['id']}-salary",
            "group": "occupation",
            "measure": "pay",
            "statistic": "range" if ranged else "median",
            "value": value,
            "low": salary.get("low") if ranged else None,
            "high": salary.get("high") if ranged else None,
            "unit": "gbp-per-year",
            "year": "not stated by the source",
            "scope": salary["scope"],
            "short_scope": None,
            "region": None,
            "soc2020": role.get("soc2020"),
            "roles": [role["id"]],
            "backgrounds": [],
            "fit": salary["confidence"],
            "release": salary["source"]["title"],
            "released": None,
            "reliability": None,
            "cv": None,
            "confidence": salary["confidence"],
            "sources": [salary["source"]],
            "notes": [],
        }
    ]


def _group(cat: Catalogue, groups: tuple[str, ...], chain: list[str] | None) -> list[Record]:
    """Figures of these groups, in the groups' order, the most local first within each."""
    found = [f for f in cat.outlook.values() if f["group"] in groups and _in_region(f, chain)]
    return sorted(found, key=lambda f: (groups.index(f["group"]), *_order(f)))


def training_pay(cat: Catalogue, role: Record) -> list[Record]:
    """The legal minimum during an apprenticeship, when an apprenticeship leads to the role."""
    routes = cat.entry_routes.get(role["id"], [])
    if not any(cat.programmes[p]["kind"] in APPRENTICE_KINDS for p in routes if p in cat.programmes):
        return []
    return sorted(_group(cat, ("minimum-wage",), None), key=lambda f: WAGE_BANDS.index(f["wage_band"]))


WAGE_BANDS = ("apprentice", "under-18", "18-to-20", "21-and-over")


# ---- the views -------------------------------------------------------------------------------------


def role_outlook(cat: Catalogue, role_id: str, region: str | None = None, background: str | None = None) -> RoleOutlook:
    role = cat.role(role_id)
    place = cat.region(region) if region else None
    bg = cat.background(background) if background else None
    view = RoleOutlook(role, place)
    chain = region_chain(cat, region) if region else None
    view.pay = figures_for(cat, "roles", role_id, region)
    view.training_pay = training_pay(cat, role)
    view.demand = [f for f in _linked(cat, role, chain) if f["measure"] in DEMAND_MEASURES]
    view.outlook = [f for f in _linked(cat, role, chain) if f["measure"] in OUTLOOK_MEASURES]
    view.sector = _group(cat, SECTOR_GROUPS, chain)
    view.yardstick = _group(cat, ("all-employees",), chain)
    if not view.pay:
        view.unknown.append(UNKNOWN_PAY)
    if not view.demand:
        view.unknown.append(UNKNOWN_DEMAND)
    if not view.outlook:
        view.unknown.append(UNKNOWN_OUTLOOK)
    view.unknown.append(UNKNOWN_PRIORITY)
    if place is not None and view.pay and not any(f["region"] == region for f in view.pay):
        view.regional_note = (
            f"No pay figure for {place['name']} alone is in the data: the figures shown cover wider areas."
        )
    if bg is not None:
        view.background = bg
        view.from_pay = figures_for(cat, "backgrounds", bg["id"], region)
        view.comparison = compare(view.pay, view.from_pay, view.training_pay, bg)
    return view


def _linked(cat: Catalogue, role: Record, chain: list[str] | None) -> list[Record]:
    return [
        f
        for f in cat.outlook.values()
        if (role["id"] in f["roles"] or _same_soc(f["soc2020"], role.get("soc2020"))) and _in_region(f, chain)
    ]


def sector_outlook(cat: Catalogue, region: str | None = None) -> SectorOutlook:
    place = cat.region(region) if region else None
    chain = region_chain(cat, region) if region else None
    view = SectorOutlook(place)
    view.sector = _group(cat, SECTOR_GROUPS, chain)
    view.yardstick = _group(cat, ("all-employees",), chain)
    view.minimum_wage = _group(cat, ("minimum-wage",), chain)
    if not any(f["group"] == "cgt-sector" for f in view.sector):
        view.unknown.append("No count of jobs in the CGT sector is in the data.")
    if place is not None and not any(f["region"] == region for f in view.sector):
        view.unknown.append(
            f"No sector figure for {place['name']} alone is in the data: those shown cover wider areas."
        )
    return view


# ---- comparing a move ------------------------------------------------------------------------------


def _span(figure: Record) -> tuple[float, float] | None:
    """(lowest, highest) a year of an annual pay figure; None for other units."""
    if figure["unit"] != "gbp-per-year":
        return None
    if figure["statistic"] == "range":
        return (figure["low"], figure["high"])
    return (figure["value"], figure["value"])


def compare(pay: list[Record], from_pay: list[Record], training: list[Record], background: Record) -> list[str]:
    """Plain sentences setting the role's pay beside the background's, in base numbers, cuts included."""
    title = background["title"]
    if not from_pay:
        return [f"No official pay figure for {title} is in the data, so the two cannot be set side by side."]
    if not pay:
        return ["No official pay figure for this role is in the data, so the two cannot be set side by side."]
    out: list[str] = []
    role_span = next((s for s in map(_span, pay) if s), None)
    from_span = next((s for s in map(_span, from_pay) if s), None)
    if pay[0]["id"] == from_pay[0]["id"]:
        out.append(f"The same published figure covers this role and {title}: {amount(pay[0])}.")
    elif role_span and from_span:
        role_words = span_words(role_span)
        from_words = span_words(from_span)
        if role_span[1] < from_span[0]:
            out.append(
                f"A pay cut: the role's first figure ({role_words}) is below your background's ({from_words}), "
                f"by at least {money(from_span[0] - role_span[1])} a year."
            )
        elif role_span[0] > from_span[1]:
            out.append(
                f"A pay rise: the role's first figure ({role_words}) is above your background's ({from_words}), "
                f"by at least {money(role_span[0] - from_span[1])} a year."
            )
        else:
            out.append(
                f"About the same: the role's first figure ({role_words}) overlaps your background's ({from_words})."
            )
        out.append("The two figures come from different sources covering different people: treat the gap as a guide.")
    apprentice = next((f for f in training if f.get("wage_band") == "apprentice"), None)
    if apprentice and from_span:
        yearly = apprentice["value"] * FULL_TIME_HOURS * WEEKS
        out.append(
            f"While training as an apprentice, an employer may pay as little as {money(apprentice['value'])} an hour "
            f"(about {money(yearly)} a year for {FULL_TIME_HOURS:g} hours a week, our arithmetic): "
            f"{money(from_span[0] - yearly)} a year less than the lowest figure for your background "
            "if only the minimum is paid. Many employers pay more; ask before you apply."
        )
    return out


# ---- words -----------------------------------------------------------------------------------------

UNIT_WORDS = {
    "gbp-per-year": " a year",
    "gbp-per-hour": " an hour",
    "roles": " roles",
    "people": " people",
    "people-per-year": " people a year",
    "job-adverts": " job adverts",
}


def money(amount: float) -> str:
    """Pounds: pence only for small sums (hourly rates), '£8.00', '£41,417'."""
    return f"£{amount:,.2f}" if amount < 100 else f"£{amount:,.0f}"


def span_words(span: tuple[float, float]) -> str:
    low, high = span
    return f"{money(low)} a year" if low == high else f"{money(low)} to {money(high)} a year"


def _number(figure: Record, value: float) -> str:
    if figure["unit"].startswith("gbp"):
        return money(value)
    return f"{value:,.0f}"


def amount(figure: Record) -> str:
    """The figure in words with its base numbers: 'median £41,417 a year', 'over 1,700 roles'."""
    unit = UNIT_WORDS[figure["unit"]]
    if figure["statistic"] == "range":
        return f"{_number(figure, figure['low'])} to {_number(figure, figure['high'])}{unit}"
    text = f"{_number(figure, figure['value'])}{unit}"
    prefix = {
        "median": "median ",
        "mean": "average ",
        "p10": "10th percentile ",
        "p25": "25th percentile ",
        "p75": "75th percentile ",
        "p90": "90th percentile ",
        "at-least": "over ",
    }.get(figure["statistic"], "")
    if figure["measure"] == "forecast":
        prefix = "forecast " + prefix
    if figure["measure"] == "minimum-wage":
        prefix = "at least "
    return prefix + text


def short_scope(figure: Record) -> str:
    """Who a figure covers, briefly: its short_scope, else its scope up to the first semicolon."""
    short = figure.get("short_scope")
    if short:
        return str(short)
    return str(figure["scope"]).split(";")[0].strip()


def marks(figure: Record) -> list[str]:
    """Warnings a reader must see beside the number: reliability, second-hand source, loose fit."""
    out = []
    if figure.get("reliability") == "unreliable":
        out.append("ONS marks this estimate unreliable")
    elif figure.get("reliability") == "acceptable":
        out.append("ONS: use with caution")
    if figure["confidence"] != "verified":
        out.append(f"{figure['confidence']} source")
    if figure.get("fit") == "inferred" and (figure["roles"] or figure["backgrounds"]):
        out.append("that it fits here is our judgement")
    return out


NO_PAY = "Pay: no official figure in the data yet."


def pay_line(cat: Catalogue, role_id: str, region: str | None = None) -> str:
    """One line of pay for a role, with who the figure covers and its year, for lists and summaries
    (match, pathway summaries, explore, handouts): 'Pay: median £41,417 a year (all ...; 2025)'."""
    pay = figures_for(cat, "roles", role_id, region)
    if not pay:
        return NO_PAY
    figure = pay[0]
    extra = "; ".join([short_scope(figure), f"year: {figure['year']}", *marks(figure)])
    more = f" (+{len(pay) - 1} more: cgtpaths outlook {role_id})" if len(pay) > 1 else ""
    return f"Pay: {amount(figure)} ({extra}){more}"


def figure_dict(figure: Record) -> dict[str, Any]:
    """A figure for --json: value (or low and high), unit, year, scope, region and source first."""
    out: dict[str, Any] = {"id": figure["id"]}
    if figure["statistic"] == "range":
        out["low"] = _whole(figure["low"])
        out["high"] = _whole(figure["high"])
    else:
        out["value"] = _whole(figure["value"])
    out.update(
        {
            "unit": figure["unit"],
            "statistic": figure["statistic"],
            "measure": figure["measure"],
            "year": figure["year"],
            "scope": figure["scope"],
            "region": figure["region"],
            "source": figure["sources"][0]["url"],
            "sources": figure["sources"],
            "release": figure["release"],
            "released": figure.get("released"),
            "confidence": figure["confidence"],
            "fit": figure.get("fit"),
            "reliability": figure.get("reliability"),
            "cv": figure.get("cv"),
            "words": amount(figure),
        }
    )
    for key in ("wage_band", "band", "soc2020"):
        if figure.get(key):
            out[key] = figure[key]
    return out


def _whole(number: float) -> float | int:
    """6232, not 6232.0, in --json; pence stay (8.5)."""
    return int(number) if float(number).is_integer() else number


def role_json(view: RoleOutlook) -> dict[str, Any]:
    role = view.role
    out: dict[str, Any] = {
        "role": {"id": role["id"], "title": role["title"], "soc2020": role.get("soc2020")},
        "region": view.region["id"] if view.region else None,
        "pay": [figure_dict(f) for f in view.pay],
        "training_pay": [figure_dict(f) for f in view.training_pay],
        "demand": [figure_dict(f) for f in view.demand],
        "outlook": [figure_dict(f) for f in view.outlook],
        "priority": None,
        "sector": [figure_dict(f) for f in view.sector],
        "yardstick": [figure_dict(f) for f in view.yardstick],
        "unknown": view.unknown + ([view.regional_note] if view.regional_note else []),
    }
    if view.background is not None:
        bg = view.background
        out["from"] = {"id": bg["id"], "title": bg["title"], "soc2020": bg.get("soc2020")}
        out["from_pay"] = [figure_dict(f) for f in view.from_pay]
        out["comparison"] = view.comparison
    return out


def sector_json(view: SectorOutlook) -> dict[str, Any]:
    return {
        "region": view.region["id"] if view.region else None,
        "sector": [figure_dict(f) for f in view.sector],
        "yardstick": [figure_dict(f) for f in view.yardstick],
        "minimum_wage": [figure_dict(f) for f in view.minimum_wage],
        "unknown": view.unknown,
    }


def due(figure: Record, today: Any) -> str | None:
    """When a newer edition of the figure's source is due and past, why (for `data audit`)."""
    import datetime as dt

    released = figure.get("released")
    if released:
        start = dt.date.fromisoformat(str(released))
        what = f"released {released}"
    else:
        start = min(dt.date.fromisoformat(str(s["seen"])) for s in figure["sources"])
        what = f"release date not recorded; first seen {start}"
    months = (today.year - start.year) * 12 + today.month - start.month
    if months <= figure["cycle_months"]:
        return None
    return f"{what}, {months} months ago; its source publishes every {figure['cycle_months']} months"
