"""Printable summaries for careers advisers: engine results turned into format-neutral documents.

One builder per view (a pathway, a ranked match list, a role page, the role list); html.py and
markdown.py render whatever these build. A pathway summary is laid out to fit one A4 page in
the usual case: who it is for, the role in plain English, why it fits, the gaps and the
training that closes them, the steps, gates, salary if sourced, where to find out more and the
sources, each with the date it was checked. Facts the data tags 'inferred' say so. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from cgtpaths import __version__
from cgtpaths.render.document import (
    BREAK,
    STRONG,
    TAG,
    URL,
    Block,
    Document,
    Facts,
    Inline,
    Items,
    Link,
    Page,
    Para,
    Section,
    Span,
    Table,
    inline,
)
from cgtpaths.render.plain import (
    ACRONYMS,
    RQF_EXPLAINED,
    SKILL_LEVELS,
    band_phrase,
    count_words,
    have_words,
    level_words,
    money,
    months_words,
    need_words,
    salary_figures,
)

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.match import Match
    from cgtpaths.plan import Pathway
    from cgtpaths.profile import Profile

Record = dict[str, Any]

FUNDING_WORDS = {
    "levy": "apprenticeship levy pays the training",
    "co-investment": "employer and government share the cost",
    "free": "free",
    "fee": "fee",
    "studentship": "studentship",
    "salaried": "paid job while you train",
    "student-finance": "student finance",
    "employer-funded": "employer pays",
    "grant": "grant",
    "unknown": "not known",
}
# people at school or college start from the route, not from a score (issue 17)
STUDENT_SITUATIONS = frozenset({"school", "college", "year-11"})
ALSO_CALLED_SHOWN = 3
SOURCES = "Sources, with the date each was checked"
SOURCES_ON_PAGE = 5  # the few that matter most; the rest are a link (or the sources page) away
SOURCES_LARGE = 3
KIND_ORDER = {"official": 0, "provider": 1, "secondary": 2}
# a curator's working note that some source titles carry, meaningless to a reader
_INTERNAL_NOTE = re.compile(r",?\s*via domain brief[^)]*")


@dataclass(frozen=True)
class PrintOptions:
    """How a summary points to what does not fit on its page."""

    site: str | None = None  # the base address of the cgtpaths site: the QR code and short link go there
    sources_page: bool = False  # a page listing every source is printed at the end
    large: bool = False  # large print: the same page with the fewest sources (3), to stay within 2 pages


def role_address(site: str, role_id: str) -> str:
    return f"{site.rstrip('/')}/roles/{role_id}.html"


def short_address(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://")


GAP_PROGRAMMES_SHOWN = 2
KEY = (
    "(inferred): our judgement, not stated by a source. Check dates, fees and entry rules with the provider. "
    + RQF_EXPLAINED
)


# ---- small pieces ---------------------------------------------------------------------------------


def tag(confidence: str | None) -> Span | None:
    """A visible 'inferred' mark; verified and secondary facts carry no mark."""
    return Span("inferred", TAG) if confidence == "inferred" else None


def level_short(level: int | None) -> str:
    return "none" if level is None else f"level {level}"


def length(programme: Record) -> str:
    months = programme["duration_months"]
    return "not known" if months is None else months_words(months)


def where(cat: Catalogue, programme: Record) -> str:
    if programme["mode"] == "online":
        return "Online, anywhere in the UK"
    names = ", ".join(cat.title("regions", r) for r in programme["regions"])
    if programme["locations"]:
        names += f" ({', '.join(programme['locations'])})"
    return names


def funding(programme: Record) -> Inline:
    if not programme["funding"]:
        return inline("not known")
    parts: list[Span] = []
    for n, f in enumerate(programme["funding"]):
        words = FUNDING_WORDS.get(f["kind"], f["kind"])
        extra = []
        if f.get("fee_gbp") is not None and f["kind"] == "fee":
            words = f"fee {money(f['fee_gbp'])}"
        elif f.get("fee_gbp") is not None:
            extra.append(f"fee {money(f['fee_gbp'])}")
        if f.get("max_gbp") is not None:
            extra.append(f"up to {money(f['max_gbp'])}")
        if f.get("age_min") or f.get("age_max"):
            extra.append(f"ages {f.get('age_min') or 'any'}-{f.get('age_max') or 'any'} only")
        text = words + (f" ({'; '.join(extra)})" if extra else "")
        parts.extend(inline("; " if n else "", text[:1].upper() + text[1:] if not n else text, tag(f["confidence"])))
    return tuple(parts)


def salary(role: Record) -> Inline:
    pay = role.get("salary")
    if not pay:
        return inline("Not known: no sourced UK figure for this role (we never guess one).")
    scope = pay["scope"].rstrip(".")
    return inline(f"{salary_figures(pay)}. Covers: {scope}", tag(pay["confidence"]), ".")


def who(cat: Catalogue, profile: Profile) -> Inline:
    if profile.backgrounds:
        start = "; ".join(cat.title("backgrounds", b) for b in profile.backgrounds)
    else:
        named = ", ".join(f"{cat.skills[s]['name']} ({SKILL_LEVELS[v]})" for s, v in sorted(profile.skills.items()))
        start = f"someone with these skills: {named}" if named else "someone starting out"
    extra = [f"Qualified to {level_words(profile.level)}" if profile.level is not None else "Qualifications not given"]
    if profile.region:
        extra.append(f"in {cat.title('regions', profile.region)}")
    if profile.age is not None:
        extra.append(f"aged {profile.age}")
    return inline(Span("For: ", STRONG), start.rstrip("."), ". ", ", ".join(extra), ".")


def source_title(source: Record) -> str:
    return _INTERNAL_NOTE.sub("", source["title"]).replace("()", "").strip()


def source_items(sources: list[Record], printed_above: frozenset[str] = frozenset()) -> Items:
    """Each source with the date it was checked; an address already printed above is not repeated."""
    return Items(
        tuple(
            inline(f"{source_title(s)} ({s['seen']}): address under Find out more")
            if s["url"] in printed_above
            else inline(f"{source_title(s)} ({s['seen']}): ", Span(s["url"], URL))
            for s in sources
        ),
        ordered=True,
    )


def key_sources(sources: list[Record], shown: int = SOURCES_ON_PAGE) -> list[Record]:
    """The few sources printed on the page: official first, then the provider's own pages, each
    group in the order given (the role's own before its courses')."""
    ranked = sorted(enumerate(sources), key=lambda pair: (KIND_ORDER.get(pair[1].get("kind") or "", 3), pair[0]))
    return [s for _, s in ranked[:shown]]


def _sources_section(
    sources: list[Record], options: PrintOptions, role_id: str | None, printed_above: frozenset[str] = frozenset()
) -> Section:
    shown = key_sources(sources, SOURCES_LARGE if options.large else SOURCES_ON_PAGE)
    blocks: list[Block] = [source_items(shown, printed_above)]
    rest = len(sources) - len(shown)
    if rest > 0:
        if options.site and role_id:
            where = "on the web page below"
        elif options.sources_page:
            where = "on the sources page at the end"
        else:
            where = "in the full summary your careers adviser can print"
        more = "1 more source is" if rest == 1 else f"{rest} more sources are"
        blocks.append(Para(inline(f"These are the main sources. {more} listed {where}."), "small"))
    return Section(SOURCES, tuple(blocks), "small")


def _collect_sources(records: list[Record]) -> list[Record]:
    """Each record's sources (and a salary's own source) once, in the order given."""
    seen: dict[str, Record] = {}
    for rec in records:
        for src in rec["sources"]:
            seen.setdefault(src["url"], src)
        pay = rec.get("salary")
        if pay:
            seen.setdefault(pay["source"]["url"], pay["source"])
    return list(seen.values())


def _role_facts(role: Record, *extra: tuple[str, Inline] | None) -> Facts:
    pairs: list[tuple[str, Inline]] = []
    if role["also_called"]:
        names = role["also_called"][:ALSO_CALLED_SHOWN]
        pairs.append(("Also called", inline(", ".join(names))))
    pairs.append(("Typical entry", inline(level_words(role["entry_level"]), tag(role["entry_level_confidence"]))))
    if role["experience_months"]:
        pairs.append(("Experience", inline(f"usually {months_words(role['experience_months'])} in an earlier role")))
    pairs.append(("Salary", salary(role)))
    pairs += [e for e in extra if e is not None]
    return Facts(tuple(pairs))


def _gates(role: Record) -> Section:
    heading = "Requirements training alone cannot meet"
    if not role["gates"]:
        return Section(heading, (Para(inline("None recorded for this role.")),))
    return Section(heading, (Items(tuple(inline(g["text"], tag(g["confidence"])) for g in role["gates"])),))


def _gates_fact(role: Record) -> tuple[str, Inline] | None:
    """No gates: one line among the role's facts instead of a section of its own, to save paper."""
    return None if role["gates"] else ("Other requirements", inline("none recorded beyond the skills and steps here"))


def _programme_row(cat: Catalogue, pid: str) -> tuple[Inline, ...]:
    p = cat.programmes[pid]
    return (
        inline(Span(p["title"], STRONG), tag(p["confidence"]), BREAK, f"by {p['provider']}"),
        inline(level_short(p["level"])),
        inline(length(p)),
        inline(where(cat, p)),
        funding(p),
    )


# ---- a pathway ------------------------------------------------------------------------------------


def pathway_sources(cat: Catalogue, p: Pathway, profile: Profile) -> list[Record]:
    """Every source behind a pathway summary, each once: the role's, its ladder's, the courses', the background's."""
    role = cat.roles[p.to]
    records = [role, *(cat.roles[r] for r in p.ladder if r != role["id"])]
    records += [cat.programmes[s.id] for s in p.steps if s.kind == "programme" and s.id]
    records += [cat.backgrounds[b] for b in profile.backgrounds]
    return _collect_sources(records)


def pathway_page(
    cat: Catalogue, p: Pathway, profile: Profile, *, name: str | None = None, options: PrintOptions = PrintOptions()
) -> Page:
    role = cat.roles[p.to]
    title = f"Pathway to {role['title']}"
    lead: list[Block] = [Para(who(cat, profile)), Para(inline(Span(_verdict(p, profile, role), STRONG)))]
    link = None
    if options.site:
        address = role_address(options.site, p.to)
        link = Link(address, short_address(address))
    sections = (
        Section("The role", (Para(inline(role["summary"])), _role_facts(role, _gates_fact(role)))),
        _why_it_fits(cat, profile, role),
        _gaps(cat, p, profile, role, extras=not options.large),
        _steps(cat, p),
        *([_gates(role)] if role["gates"] else []),
        _find_out_more(cat, p, options),
        _sources_section(pathway_sources(cat, p, profile), options, p.to, _course_pages(cat, p)),
    )
    return Page(f"{name}: pathway to {role['title']}" if name else title, tuple(lead), sections, link=link)


def sources_page(title: str, sources: list[Record]) -> Page:
    """The appendix: every source behind the summaries before it, with the date each was checked."""
    ordered = sorted(sources, key=lambda s: (KIND_ORDER.get(s.get("kind") or "", 3), source_title(s).lower()))
    return Page(title, (), (Section(SOURCES, (source_items(ordered),), "small"),), appendix=True)


def _verdict(p: Pathway, profile: Profile, role: Record) -> str:
    from cgtpaths.match import blockers

    total = months_words(p.total_months) if p.total_months else "no training"
    unknown = sum(1 for s in p.steps if not s.months_known)
    estimate = ""
    if unknown:
        lengths = "one length is" if unknown == 1 else f"{unknown} lengths are"
        estimate = f" ({lengths} not known, so this is an estimate)"
    if p.direct:
        return f"A direct move: apply once the training below is done. About {total} in all{estimate}."
    # gates are listed in full further down; the verdict only points at them
    found = blockers(profile, role)
    listed = {g["text"] for g in role["gates"]}
    reasons = [b.text for b in found if b.text not in listed]
    if any(b.text in listed for b in found):
        reasons.append("it has requirements training alone cannot meet (below)")
    return f"Not a direct move yet: {'; '.join(reasons)}. The steps below take about {total}{estimate}."


def is_student(cat: Catalogue, profile: Profile) -> bool:
    return bool(profile.backgrounds) and all(
        cat.backgrounds[b].get("situation") in STUDENT_SITUATIONS for b in profile.backgrounds
    )


def carried_over(cat: Catalogue, fits: Sequence[Any], total: int) -> str:
    """'1 of the 12 skills it needs carries over', with the verb that agrees."""
    n = len(fits)
    verb = "carries" if n == 1 else "carry"
    return f"{n} of the {count_words(total, 'skill', 'skills')} it needs {verb} over"


def _carried_items(fits: Sequence[Any]) -> Items:
    # a skill you partly have is also to learn: say so where it is listed, not only in the gaps
    return Items(
        tuple(inline(f.name, "" if f.have >= f.need else " (partly: more to learn below)") for f in fits),
        run_in=True,
    )


def _why_it_fits(cat: Catalogue, profile: Profile, role: Record) -> Section:
    from cgtpaths.match import match_role

    fit = match_role(cat, profile, role)
    total = len(role["skills"])
    if is_student(cat, profile):
        # a student is meant to start from nothing: give the route, not a verdict
        verdict = inline(f"This is where you start. {carried_over(cat, fit.transferable, total)} already.")
    else:
        verdict = inline(f"{carried_over(cat, fit.transferable, total)}: {band_phrase(fit.band)}.")
    if any(cat.backgrounds[b]["confidence"] == "inferred" for b in profile.backgrounds):
        # the crosswalk from a background to its usual skills is our judgement
        verdict = inline(verdict, " Your skills are the usual ones for that background", tag("inferred"), ".")
    blocks: list[Block] = [Para(verdict)]
    if fit.transferable:
        blocks.append(_carried_items(fit.transferable))
    elif not is_student(cat, profile):
        blocks.append(Para(inline("None of your listed skills is one this role asks for yet.")))
    return Section("Skills you already have", tuple(blocks))


def _gaps(cat: Catalogue, p: Pathway, profile: Profile, role: Record, *, extras: bool = True) -> Section:
    """Essential gaps in a table with the step that closes each; useful extras in one line."""
    from cgtpaths.match import effective_level

    numbered = list(enumerate(p.steps, 1))
    needs = {n["skill"]: n for n in role["skills"]}
    closed_by: dict[str, str] = {}
    for n, step in numbered:
        if step.kind == "programme" and step.id:
            for taught in cat.programmes[step.id]["teaches"]:
                sid = taught["skill"]
                if sid in p.gaps_closed and sid not in closed_by and taught["level"] >= needs[sid]["level"]:
                    closed_by[sid] = f"Step {n}"
    rows, useful = [], []
    for need in sorted(role["skills"], key=lambda x: cat.skills[x["skill"]]["name"]):
        sid = need["skill"]
        have = effective_level(cat, profile, sid)[0]
        if have >= need["level"]:
            continue
        by = closed_by.get(sid, "Earlier steps") if sid in p.gaps_closed else "On the job"  # no course teaches it
        name = cat.skills[sid]["name"]
        if not need["essential"]:
            useful.append(f"{name} ({by.lower()})")
            continue
        rows.append(
            (
                inline(name),
                inline(have_words(have)),
                inline(need_words(need["level"]), tag(need["confidence"])),
                inline(by),
            )
        )
    blocks: list[Block] = []
    if rows:
        columns = ("Skill you must have", "You now", "Needed", "Learned in")
        blocks.append(Table("Skills to build", columns, tuple(rows), row_headers=True))
    if useful and extras:
        blocks.append(Para(inline(Span("Also useful: ", STRONG), "; ".join(useful), ".")))
    elif useful:  # large print keeps to two pages: the extras are counted, the normal print names them
        blocks.append(Para(inline(f"Also useful: {count_words(len(useful), 'more skill', 'more skills')}.")))
    if not blocks:
        blocks.append(Para(inline("No gaps: you already have every skill this role lists.")))
    return Section("Skills to build, and where you learn them", tuple(blocks))


def _steps(cat: Catalogue, p: Pathway) -> Section:
    rows = []
    for n, s in enumerate(p.steps, 1):
        label = inline(str(n))
        kind = Span({"programme": "Train: ", "role": "Job: ", "experience": "Work: "}[s.kind], STRONG)
        if s.kind == "programme" and s.id:
            course = _programme_row(cat, s.id)
            # what a course closes is in the gaps table; other reasons (reaching a level) are not
            what = inline(kind, course[0]) if s.why.startswith("closes:") else inline(kind, course[0], BREAK, s.why)
            for caveat in s.caveats:
                what = inline(what, BREAK, f"Note: {caveat}")
            time = length(cat.programmes[s.id])
            if not s.months_known:
                time += f" (planned as {months_words(s.months)})"
            rows.append((label, what, inline(time), course[1], course[3], course[4]))
        else:
            time = "" if s.kind == "role" else months_words(s.months) + ("" if s.months_known else " (our estimate)")
            rows.append((label, inline(kind, Span(s.title, STRONG), BREAK, s.why), inline(time), (), (), ()))
    columns = ("Step", "What", "How long", "Level", "Where", "Who pays")
    return Section("Steps", (Table("The steps in order", columns, tuple(rows), row_headers=True),))


def _course_pages(cat: Catalogue, p: Pathway) -> frozenset[str]:
    return frozenset(
        cat.programmes[s.id]["url"] for s in p.steps if s.kind == "programme" and s.id and cat.programmes[s.id]["url"]
    )


def _find_out_more(cat: Catalogue, p: Pathway, options: PrintOptions) -> Section:
    more: list[Inline] = []
    for s in p.steps:
        if s.kind == "programme" and s.id and cat.programmes[s.id]["url"]:
            more.append(inline(f"{s.title}: ", Span(cat.programmes[s.id]["url"], URL)))
    role = cat.roles[p.to]["title"]
    if options.site:
        more.append(inline(f"Other routes into {role}, and every course: scan the code or visit the web page below."))
    else:
        more.append(inline(f"Other routes into {role}: ask your careers adviser for the role page."))
    return Section("Find out more", (Items(tuple(more)),))


# ---- ranked matches -------------------------------------------------------------------------------


def match_page(cat: Catalogue, matches: list[Match], profile: Profile) -> Page:
    sections: list[Section] = []
    for rank, m in enumerate(matches, 1):
        essential = [g for g in m.gaps if g.fit.essential]
        optional = [g for g in m.gaps if not g.fit.essential]
        total = len(cat.roles[m.role]["skills"])
        verdict = f"{carried_over(cat, list(m.transferable), total)}: {band_phrase(m.band)}. "
        if not m.direct:
            verdict += "Not a direct move yet: " + "; ".join(b.text.rstrip(".") for b in m.blockers) + "."
        elif essential:
            must = "the skill you must have" if len(essential) == 1 else f"the {len(essential)} skills you must have"
            verdict += f"You could apply once you have learned {must}."
        else:
            verdict += "You could apply now."
        blocks: list[Block] = [Para(inline(cat.roles[m.role]["summary"])), Para(inline(Span(verdict, STRONG)))]
        if m.transferable:
            blocks.append(Para(inline(Span("Skills you already have: ", STRONG))))
            blocks.append(_carried_items(list(m.transferable)))
        if essential:
            rows = []
            for g in essential:
                shown = g.programmes[:GAP_PROGRAMMES_SHOWN]
                if shown:
                    cells: list[Span] = []
                    for i, pid in enumerate(shown):
                        prog = cat.programmes[pid]
                        cells.extend(
                            inline(
                                BREAK if i else None,
                                Span(prog["title"], STRONG),
                                f" ({prog['provider']}; {length(prog)}; {where(cat, prog)})",
                            )
                        )
                    more = len(g.programmes) - len(shown)
                    training = inline(tuple(cells), f" and {more} more" if more > 0 else "")
                elif g.options:
                    o = g.options[0]
                    training = inline(f"Not open to you yet: {o.title} ({'; '.join(o.reasons)})")
                else:
                    training = inline("Learned on the job: no course in the data teaches it to this level")
                rows.append(
                    (inline(g.fit.name), inline(f"{have_words(g.fit.have)}; {need_words(g.fit.need)}"), training)
                )
            blocks.append(
                Table(
                    "Skills to build",
                    ("Skill you must have", "You now; needed", "Where you learn it"),
                    tuple(rows),
                    True,
                )
            )
        if optional:
            blocks.append(Para(inline(Span("Also useful: ", STRONG), "; ".join(g.fit.name for g in optional))))
        blocks.append(Para(inline("For the steps there, ask for the pathway summary for this role."), "small"))
        sections.append(Section(f"{rank}. {m.title}", tuple(blocks)))
    if not matches:
        sections.append(Section("No roles", (Para(inline("No role in the data matches these filters.")),)))
    records = [cat.roles[m.role] for m in matches] + [cat.backgrounds[b] for b in profile.backgrounds]
    sections.append(_sources_section(_collect_sources(records), PrintOptions(), None))
    return Page("Cell and gene therapy roles that could suit you", (Para(who(cat, profile)),), tuple(sections))


# ---- roles ----------------------------------------------------------------------------------------


def role_page(cat: Catalogue, role: Record) -> Page:
    sections: list[Section] = [Section("About the role", (Para(inline(role["summary"])), _role_facts(role)))]
    routes = cat.entry_routes.get(role["id"], [])
    if routes:
        rows = tuple(_programme_row(cat, pid) for pid in routes)
        sections.append(
            Section(
                "Routes in",
                (
                    Table(
                        "Training and entry routes", ("Programme", "Level", "Length", "Where", "Who pays"), rows, True
                    ),
                ),
            )
        )
    else:
        sections.append(Section("Routes in", (Para(inline("None recorded in the data yet.")),)))
    skill_rows = tuple(
        (
            inline(cat.skills[n["skill"]]["name"]),
            inline(need_words(n["level"]), tag(n["confidence"])),
            inline("must have" if n["essential"] else "useful"),
        )
        for n in role["skills"]
    )
    sections.append(
        Section(
            "Skills needed",
            (Table("Skills the role needs", ("Skill", "Level", "How much it matters"), skill_rows, True),),
        )
    )
    sections.append(_gates(role))
    if role["progression"]:
        sections.append(
            Section("Where it can lead", (Items(tuple(inline(cat.title("roles", r)) for r in role["progression"])),))
        )
    if role["notes"]:
        sections.append(
            Section("Notes", (Items(tuple(inline(n["text"], tag(n["confidence"])) for n in role["notes"])),))
        )
    sections.append(Section(SOURCES, (source_items(_collect_sources([role])),), "small"))
    return Page(role["title"], (), tuple(sections))


def role_list_page(roles: list[Record]) -> Page:
    rows = tuple(
        (
            inline(r["title"]),
            inline(r["id"]),
            inline(r["family"].replace("-", " ")),
            inline(level_short(r["entry_level"])),
        )
        for r in roles
    )
    table = Table("Roles in the data", ("Role", "Id", "Family", "Typical entry"), rows, True)
    return Page("Cell and gene therapy roles", (), (Section("Roles", (table,)),))


# ---- the whole document ---------------------------------------------------------------------------


def stamp(dataset: Record, printed: dt.date) -> Inline:
    source = dataset.get("source", "shipped")
    origin = "the shipped data" if source == "shipped" else f"data from {source}"
    if dataset.get("overlays"):
        origin += " with local additions from " + ", ".join(str(o) for o in dataset["overlays"])
    return inline(
        f"Dataset {dataset.get('version', 'unknown')} ({origin}), printed {printed.day} {printed:%B %Y} "
        f"by cgtpaths {__version__}. {KEY}"
    )


def document(title: str, pages: list[Page], dataset: Record, printed: dt.date) -> Document:
    """Stamp every page with the dataset version and the date printed; spell out each acronym the
    first time a page uses it."""
    mark = stamp(dataset, printed)
    return Document(title, tuple(spell_out(replace(page, stamp=mark)) for page in pages))


_ACRONYM = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True)) + r")\b")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalpha())


def spell_out(page: Page) -> Page:
    """The page with each acronym in ACRONYMS followed by its meaning where the page first uses it,
    unless the meaning is already written beside it ('Good documentation practice (GDocP)')."""
    seen: set[str] = set()

    def words(text: str) -> str:
        def expand(found: re.Match[str]) -> str:
            short = found.group(1)
            if short in seen:
                return short
            seen.add(short)
            meaning = ACRONYMS[short]
            nearby = text[max(0, found.start() - len(meaning) - 4) : found.end() + len(meaning) + 4]
            if _letters(meaning) in _letters(nearby):
                return short
            # already in brackets, "(COSHH)": the meaning goes inside them
            return f"{short}: {meaning}" if text[found.start() - 1 : found.start()] == "(" else f"{short} ({meaning})"

        return _ACRONYM.sub(expand, text)

    def spans(content: Inline) -> Inline:
        return tuple(replace(s, text=words(s.text)) if s.style in ("", STRONG) else s for s in content)

    def block(b: Block) -> Block:
        if isinstance(b, Para):
            return replace(b, content=spans(b.content))
        if isinstance(b, Items):
            return replace(b, items=tuple(spans(i) for i in b.items))
        if isinstance(b, Facts):
            return replace(b, pairs=tuple((label, spans(v)) for label, v in b.pairs))
        if isinstance(b, Table):
            return replace(b, rows=tuple(tuple(spans(c) for c in row) for row in b.rows))
        return b

    if page.appendix:
        return page
    # the title is left as the data names the role; its acronyms are spelled out in the text below
    lead = tuple(block(b) for b in page.lead)
    sections = tuple(replace(sec, blocks=tuple(block(b) for b in sec.blocks)) for sec in page.sections)
    return replace(page, lead=lead, sections=sections)
