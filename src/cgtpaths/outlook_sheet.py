"""The adviser's one-page "jobs and pay" sheet for a role and region (Gatsby Benchmark 2 evidence),
built from `outlook.role_outlook` in the printable document model (render/document.py).

Words for paper: every number sits beside who it covers and its year; no command lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cgtpaths.outlook import amount, marks
from cgtpaths.render.document import URL, Items, Page, Para, Section, Span, Table, inline

if TYPE_CHECKING:
    from cgtpaths.outlook import RoleOutlook, SectorOutlook

Record = dict[str, Any]
COLUMNS = ("Figure", "Who it covers", "Year")


def _rows(figures: list[Record], brief: bool) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        (
            inline(amount(f)),
            inline(((brief and f.get("short_scope")) or f["scope"]).rstrip(".") + "".join(f" ({m})" for m in marks(f))),
            inline(f["year"]),
        )
        for f in figures
    )


def _table(caption: str, figures: list[Record], brief: bool = False) -> Table:
    """Figures with who each covers and its year; `brief` uses a figure's short scope when it has one
    (sector counts and minimum wages, whose full scope is in the sources), never for pay."""
    return Table(caption, COLUMNS, _rows(figures, brief), True)


def _sources(figures: list[Record]) -> Items:
    seen: dict[str, Record] = {}
    for f in figures:
        for src in f["sources"]:
            seen.setdefault(src["url"], src)
    return Items(tuple(inline(f"{s['title']} (read {s['seen']}): ", Span(s["url"], URL)) for s in seen.values()))


def role_sheet(view: RoleOutlook) -> Page:
    role = view.role
    place = view.region["name"] if view.region else "the UK"
    lead = Para(
        inline(
            f"Pay for this job, pay while training, and the jobs in UK cell and gene therapy, for {place}. "
            "Official figures only; each says who it covers and its year. "
            "Most pay figures cover the whole occupation, not only cell and gene therapy."
        ),
        "lead",
    )
    sections: list[Section] = []
    if view.pay:
        blocks: list[Any] = [_table("Pay for this job", view.pay)]
    else:
        blocks = [Para(inline("No official pay figure for this job is in our data yet. We never guess one."))]
    if view.regional_note:
        blocks.append(Para(inline(view.regional_note), "small"))
    sections.append(Section("Pay", tuple(blocks)))
    # under-18s get the apprentice rate anyway: the rows an apprentice needs are their own and after year one
    training = [f for f in view.training_pay if f["wage_band"] != "under-18"]
    if training:
        sections.append(
            Section(
                "Pay while training as an apprentice",
                (
                    Para(inline("An apprenticeship leads to this job. The law sets the least an employer may pay:")),
                    _table("Legal minimum pay", training, brief=True),
                ),
            )
        )
    if view.background is not None:
        from_blocks: list[Any] = []
        if view.from_pay:
            from_blocks.append(_table(f"Pay now: {view.background['title']}", view.from_pay))
        from_blocks.append(Items(tuple(inline(line) for line in view.comparison)))
        sections.append(Section(f"Moving from: {view.background['title']}", tuple(from_blocks)))
    jobs = view.demand + view.outlook + [f for f in view.sector if f["group"] == "cgt-sector"]
    sections.append(
        Section("Jobs", (_table("Jobs and demand", jobs, brief=True),) if jobs else (Para(inline("Not known.")),))
    )
    if view.yardstick:
        sections.append(Section("For comparison", (_table("All full-time employees", view.yardstick),)))
    sections.append(Section("Not known", (Items(tuple(inline(line) for line in view.unknown)),)))
    everything = view.pay + training + view.from_pay + jobs + view.yardstick
    sections.append(Section("Sources, with the date each was read", (_sources(everything),), "small"))
    return Page(f"Jobs and pay: {role['title']}", (lead,), tuple(sections))


def sector_sheet(view: SectorOutlook) -> Page:
    place = view.region["name"] if view.region else "the UK"
    lead = Para(inline(f"Jobs in UK cell and gene therapy, and the legal minimum pay, for {place}."), "lead")
    sections = [
        Section("Jobs in the sector", (_table("The CGT sector", view.sector, brief=True),)),
        Section("The legal minimum pay", (_table("Minimum pay", view.minimum_wage, brief=True),)),
    ]
    if view.yardstick:
        sections.append(Section("For comparison", (_table("All full-time employees", view.yardstick),)))
    if view.unknown:
        sections.append(Section("Not known", (Items(tuple(inline(line) for line in view.unknown)),)))
    everything = view.sector + view.minimum_wage + view.yardstick
    sections.append(Section("Sources, with the date each was read", (_sources(everything),), "small"))
    return Page("Jobs in cell and gene therapy", (lead,), tuple(sections))
