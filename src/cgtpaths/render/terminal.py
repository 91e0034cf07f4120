"""Terminal rendering with rich. Every data string goes through `t()`: it becomes a Text object
(never parsed as markup) with control characters made visible."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from cgtpaths.render.plain import (
    CONFIDENCE_WORDS,
    SKILL_LEVELS,
    band_phrase,
    count_words,
    have_words,
    level_words,
    money,
    months_words,
    need_words,
    safe,
    salary_figures,
)

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue, Hit

Record = dict[str, Any]


def console(stderr: bool = False) -> Console:
    # markup/emoji/highlight off: data is shown as written, never interpreted
    return Console(stderr=stderr, highlight=False, emoji=False, markup=False)


def print_all(*renderables: RenderableType) -> None:
    """On screen, each in turn."""
    out = console()
    for item in renderables:
        out.print(item, crop=False)  # never cut a line: long URLs are printed whole (see sources_block)


def t(text: object, style: str = "") -> Text:
    return Text(safe(text), style=style)


def heading(text: str) -> Text:
    return Text(f"\n{safe(text)}", style="bold")  # safe: a heading may quote what someone typed


def table(*columns: str) -> Table:
    tab = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
    for name in columns:
        # ids fold onto a new line rather than being cut with an ellipsis
        tab.add_column(name, overflow="fold")
    return tab


class Hang:
    """Text wrapped to the width with its continuation lines indented under the first line's text
    (after any `lead`, e.g. "- " or "2. "), so long lines stay readable at 80 columns. No trailing
    spaces are written."""

    def __init__(self, text: Text, indent: int = 0, lead: str = "") -> None:
        self.text, self.indent, self.lead = text, indent, lead

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        pad = self.indent + len(self.lead)
        width = max(20, options.max_width - pad)
        for n, line in enumerate(self.text.wrap(console, width, overflow="fold")):
            line.rstrip()
            yield Text(" " * self.indent + self.lead if n == 0 else " " * pad) + line


def hang(text: object, indent: int = 0, lead: str = "", style: str = "") -> Hang:
    return Hang(text if isinstance(text, Text) else t(text, style), indent, lead)


class Listing:
    """A table in which no id is ever split across lines, so it can be read and copied whole: the
    `keep` columns (ids and short codes) are never wrapped, and the other columns wrap at spaces but
    never get narrower than their longest word. When the width cannot hold that, each row is
    printed as a block instead: its `lead` cell, its `title` cell indented below, then the other
    columns as "name: value"."""

    MIN_TEXT = 24  # narrowest a wrapping column may get before the blocks read better

    def __init__(self, *columns: str, keep: tuple[int, ...] = (0,), lead: int = 0, title: int | None = 1) -> None:
        self.columns, self.keep, self.lead, self.title = columns, keep, lead, title
        self.rows: list[tuple[Text, ...]] = []

    def add_row(self, *cells: Text) -> None:
        self.rows.append(cells)

    def widths(self, available: int) -> list[int] | None:
        """Column widths that fit `available` (gaps included) on those terms, or None."""
        cells = [[name, *(row[i].plain for row in self.rows)] for i, name in enumerate(self.columns)]
        natural = [max(cell_len(line) for cell in col for line in cell.split("\n")) for col in cells]
        floor = [
            w if i in self.keep else max(min(w, self.MIN_TEXT), *(cell_len(x) for c in cells[i] for x in c.split()))
            for i, w in enumerate(natural)
        ]
        widths = list(natural)
        room = available - 2 * (len(widths) - 1)
        while sum(widths) > room:
            # narrow the widest column that may still give way
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                return None
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is not None:
            tab = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
            for i, name in enumerate(self.columns):
                tab.add_column(name, width=widths[i], no_wrap=i in self.keep, overflow="fold")
            for row in self.rows:
                tab.add_row(*row)
            yield tab
            return
        for row in self.rows:
            yield Hang(Text(row[self.lead].plain, style="bold"))
            if self.title is not None and row[self.title].plain:
                yield Hang(row[self.title], 3)
            rest = [
                Text(f"{self.columns[i]}: ") + row[i] if self.columns[i] else row[i]
                for i in range(len(row))
                if i not in (self.lead, self.title) and row[i].plain
            ]
            if rest:
                yield Hang(Text("; ").join(rest), 3)


def tag(confidence: str) -> Text:
    # the word carries the meaning; colour only helps
    style = {"verified": "green", "secondary": "yellow", "inferred": "magenta"}.get(confidence, "")
    return Text(confidence, style=style)


def sources_block(sources: Iterable[Record], verified: str | None = None) -> list[RenderableType]:
    label = "Sources" + (f" (record verified {verified})" if verified else "")
    out: list[RenderableType] = [heading(label)]
    for src in sources:
        out.append(hang(f"{src['title']} (seen {src['seen']})", 0, "- "))
        # a URL is never wrapped: a wrapped one breaks when copied (the terminal folds it visually)
        out.append(Text("  " + safe(src["url"]), no_wrap=True, overflow="ignore"))
    return out


def notes_block(notes: list[Record]) -> list[RenderableType]:
    if not notes:
        return []
    out: list[RenderableType] = [heading("Notes")]
    for note in notes:
        line = t(note["text"])
        line.append(" [")
        line.append_text(tag(note["confidence"]))
        line.append("]")
        if note.get("source"):
            line.append(f"\n{safe(note['source'])}")
        out.append(Hang(line, 0, "- "))
    return out


# ---- lists --------------------------------------------------------------------------------------


def role_list(roles: list[Record]) -> Listing:
    tab = Listing("id", "title", "family", "entry", keep=(0, 2, 3))
    for r in roles:
        tab.add_row(t(r["id"]), t(r["title"]), t(r["family"]), t(f"RQF {r['entry_level']}"))
    return tab


def programme_list(programmes: list[Record]) -> Listing:
    tab = Listing("id", "title", "kind", "level", "where", keep=(0, 2, 3))
    for p in programmes:
        level = "-" if p["level"] is None else f"RQF {p['level']}"
        tab.add_row(t(p["id"]), t(p["title"]), t(p["kind"]), t(level), t(", ".join(p["regions"])))
    return tab


def background_list(backgrounds: list[Record]) -> Listing:
    tab = Listing("id", "title", "sector", "level", keep=(0, 3))
    for b in backgrounds:
        tab.add_row(t(b["id"]), t(b["title"]), t(b["sector"]), t(f"RQF {b['typical_level']}"))
    return tab


def skill_list(skills: list[Record]) -> Listing:
    tab = Listing("id", "name", "category", "also written as", keep=(0, 2))
    for s in skills:
        tab.add_row(t(s["id"]), t(s["name"]), t(s["category"]), t(", ".join(s["aliases"])))
    return tab


def region_list(cat: Catalogue) -> Listing:
    tab = Listing("id", "name", "in", "training centres", "programmes", keep=(0, 2, 4))
    for rid, r in sorted(cat.regions.items()):
        count = sum(1 for p in cat.programmes.values() if rid in p["regions"])
        tab.add_row(t(rid), t(r["name"]), t(r.get("parent") or ""), t("; ".join(r["centres"])), t(count))
    return tab


def search_hits(hits: list[Hit]) -> Listing:
    tab = Listing("type", "id", "title", "matched on", keep=(0, 1), lead=1, title=2)
    for h in hits:
        tab.add_row(t(h.kind), t(h.id), t(h.title), t(h.why))
    return tab


# ---- record pages -------------------------------------------------------------------------------


def role_page(cat: Catalogue, role: Record) -> Group:
    out: list[RenderableType] = [Text(safe(role["title"]), style="bold"), t(f"id: {role['id']}")]
    if role["also_called"]:
        out.append(hang("Also called: " + ", ".join(role["also_called"])))
    out.append(hang(f"Family: {role['family']}"))
    out.append(hang(f"\n{role['summary']}"))
    out.append(heading("How to get in"))
    entry = Text(f"Typical entry: {level_words(role['entry_level'])} [")
    entry.append_text(tag(role["entry_level_confidence"]))
    entry.append("]")
    out.append(Hang(entry))
    if role["experience_months"]:
        out.append(hang(f"Usually after {months_words(role['experience_months'])} in an earlier role."))
    routes = cat.entry_routes.get(role["id"], [])
    if routes:
        out.append(hang("Routes in:"))
        for pid in routes:
            p = cat.programmes[pid]
            out.append(hang(f"{p['title']} ({p['kind']}, {level_or_dash(p['level'])}) [{pid}]", 2, "- "))
    else:
        out.append(hang("Routes in: none recorded in the data yet"))
    out.append(heading("Skills needed"))
    tab = table("skill", "level", "", "source")
    for need in role["skills"]:
        name = cat.skills[need["skill"]]["name"]
        tab.add_row(
            t(name),
            t(SKILL_LEVELS[need["level"]]),
            t("essential" if need["essential"] else "optional"),
            tag(need["confidence"]),
        )
    out.append(tab)
    if role["gates"]:
        out.append(heading("Requirements training alone cannot meet"))
        for gate in role["gates"]:
            line = t(f"{gate['text']} ({gate['kind']}) [")
            line.append_text(tag(gate["confidence"]))
            line.append("]")
            out.append(Hang(line, 0, "- "))
    if role["progression"]:
        out.append(heading("Where it can lead"))
        for rid in role["progression"]:
            out.append(hang(f"{cat.title('roles', rid)} [{rid}]", 0, "- "))
    out.append(heading("Salary"))
    out.append(Hang(salary_text(role.get("salary"))))
    out.extend(role_outlook_block(cat, role))
    out.extend(notes_block(role["notes"]))
    out.extend(sources_block(role["sources"], role["verified"]))
    return Group(*out)


def salary_text(salary: Record | None) -> Text:
    if not salary:
        return t("Not known: no sourced UK figure for this role (we never guess one).")
    text = t(f"{salary_figures(salary)}. Covers: {salary['scope'].rstrip('.')}. ")
    text.append_text(tag(salary["confidence"]))
    src = salary["source"]
    text.append(safe(f"\n  Source: {src['title']} (seen {src['seen']}) {src['url']}"))
    return text


def level_or_dash(level: int | None) -> str:
    return "no RQF level" if level is None else f"RQF {level}"


def programme_page(cat: Catalogue, p: Record, who: Any | None = None) -> Group:
    """One programme; with `who` (funding.WhoPays), the funding rules worked out for the person."""
    out: list[RenderableType] = [Text(safe(p["title"]), style="bold"), t(f"id: {p['id']}")]
    facts = [
        ("Kind", p["kind"]),
        ("Provider", p["provider"]),
        ("Level", level_words(p["level"]) + (f"; SCQF {p['scqf']}" if p["scqf"] else "")),
        ("Entry", "open to all" if p["entry_level"] == 0 else f"from {level_words(p['entry_level'])}"),
        ("Length", months_words(p["duration_months"])),
        ("Mode", p["mode"]),
        (
            "Where",
            ", ".join(cat.title("regions", r) for r in p["regions"])
            + (f" ({', '.join(p['locations'])})" if p["locations"] else ""),
        ),
        ("Status", p["status"]),
    ]
    if p["standard"]:
        facts.append(("Standard", p["standard"]))
    if p["url"]:
        facts.append(("More", p["url"]))
    tab = table("", "")
    tab.show_header = False
    for label, value in facts:
        tab.add_row(t(label, "bold"), t(value))
    out.append(tab)
    line = Text("Confidence: ")
    line.append_text(tag(p["confidence"]))
    out.append(Hang(line))
    out.append(heading("Who pays"))
    if who is not None:
        out.extend(_who_pays(who))
    if not p["funding"] and not (who and who.verdicts):
        out.append(hang("Not known: no sourced funding facts."))
    for f in p["funding"]:
        extra = []
        if f.get("age_min") or f.get("age_max"):
            extra.append(f"ages {f.get('age_min') or 'any'}-{f.get('age_max') or 'any'}")
        if f.get("max_gbp") is not None:
            extra.append(f"funding band up to {money(f['max_gbp'])}")
        if f.get("fee_gbp") is not None:
            extra.append(f"fee {money(f['fee_gbp'])}")
        line = t(f"{f['kind']}: {f['text']}" + (f" ({'; '.join(extra)})" if extra else "") + " [")
        line.append_text(tag(f["confidence"]))
        line.append("]")
        out.append(Hang(line, 0, "- "))
    if p["teaches"]:
        out.append(heading("Skills it teaches"))
        out.append(
            hang(", ".join(f"{cat.skills[x['skill']]['name']} ({SKILL_LEVELS[x['level']]})" for x in p["teaches"]))
        )
    if p["leads_to"]:
        out.append(heading("Leads to"))
        for rid in p["leads_to"]:
            out.append(hang(f"{cat.title('roles', rid)} [{rid}]", 0, "- "))
    out.extend(notes_block(p["notes"]))
    out.extend(sources_block(p["sources"], p["verified"]))
    return Group(*out)


def background_page(cat: Catalogue, b: Record) -> Group:
    out: list[RenderableType] = [Text(safe(b["title"]), style="bold"), t(f"id: {b['id']}")]
    if b["also_called"]:
        out.append(hang("Also called: " + ", ".join(b["also_called"])))
    out.append(hang(f"Sector: {b['sector']}. Typical level: {level_words(b['typical_level'])}."))
    line = Text("How sure we are of this crosswalk: ")
    line.append_text(tag(b["confidence"]))
    line.append(f" ({CONFIDENCE_WORDS[b['confidence']]})")
    out.append(Hang(line))
    out.append(heading("Typical skills"))
    tab = table("skill", "level")
    for have in b["skills"]:
        tab.add_row(t(cat.skills[have["skill"]]["name"]), t(SKILL_LEVELS[have["level"]]))
    out.append(tab)
    out.extend(notes_block(b["notes"]))
    out.extend(sources_block(b["sources"], b["verified"]))
    return Group(*out)


# ---- engine results -----------------------------------------------------------------------------


def _fit_words(fit: Any) -> str:
    return f"{fit.name}: {have_words(fit.have)} now; {need_words(fit.need)}"


def _programme_hint(cat: Catalogue, pid: str) -> str:
    """A programme as a person reads it: its name and length (ids are for --json)."""
    from cgtpaths.tuning import programme_months

    months, known = programme_months(cat.programmes[pid])
    title = cat.programmes[pid]["title"]
    return f"{title} ({months_words(months)})" if known else title


GAP_PROGRAMMES_SHOWN = 3
COMPACT_NAMES_SHOWN = 1  # one name each, so the top 5 fit two 80x24 screens with their pay lines


WHO_PAYS_WORDS = {
    "applies": "Applies to you",
    "depends-on-employer": "Depends on the employer",
    "depends-on-age": "Depends on your age",
    "not-for-you": "Not for you",
    "not-in-force": "Not in force",
}


def _who_pays(who: Any) -> list[RenderableType]:
    out: list[RenderableType] = [
        hang(f"Funding rules in force on {who.on:%-d %B %Y}, from the government's own pages:")
    ]
    for status, label in WHO_PAYS_WORDS.items():
        for v in who.with_status(status):
            why = f" ({v.why})" if v.why else ""
            out.append(hang(f"{label}{why}: {v.rule['text']}", 0, "- "))
    if who.with_status("depends-on-employer"):
        out.append(hang("Ask the employer whether it pays the apprenticeship levy and how many staff it has."))
    return out


def _reading(cat: Catalogue, reading: Any) -> list[RenderableType]:
    out: list[RenderableType] = [heading("Skills found in your text")]
    if not reading.skills:
        out.append(hang("none: no skill name or alias appears in the text"))
    for m in reading.skills:
        level = "a little (aware)" if m.level == 1 else "practised"
        said = f"; you wrote '{m.said}'" if m.said else ""
        how = f"matched '{m.phrase}', {m.sure} confidence{said}"
        out.append(hang(f"'{m.found}' -> {cat.skills[m.skill]['name']}: {level} ({how})", 0, "- "))
    if reading.lacking:
        out.append(heading("Skills your text says you do not have yet"))
        for m in reading.lacking:
            out.append(hang(f"'{m.found}' -> {cat.skills[m.skill]['name']} (you wrote '{m.said}')", 0, "- "))
    out.append(heading("Qualifications found in your text"))
    if not reading.qualifications:
        out.append(hang("none found, so your level is not known: add --level (for example --level 3 for A levels)"))
    for q in reading.qualifications:
        out.append(hang(f"'{q.found}' -> {q.name}: RQF level {q.rqf}", 0, "- "))
    for evidence in reading.evidence:
        out.append(hang(f"Registration found: {evidence.replace('-', ' ')}", 0, "- "))
    return out


def _fit_sentence(m: Any, explain: bool = False) -> str:
    essential = [g for g in m.gaps if g.fit.essential]
    # the score is for --explain; a person reads the phrase
    fit = band_phrase(m.band)[:1].upper() + band_phrase(m.band)[1:]
    fit += f" (score {m.score:.2f}, band '{m.band}'). " if explain else ". "
    if not m.direct:
        return fit + "Not a direct move yet: " + "; ".join(b.text.rstrip(".") for b in m.blockers) + "."
    if essential:
        must = "the skill it must have" if len(essential) == 1 else f"the {len(essential)} skills it must have"
        return fit + f"You could apply once you have learned {must}."
    return fit + "You could apply now."


def _short_sentence(m: Any, essential: list[Any], explain: bool) -> str:
    """One line for the compact list: the band's phrase and what stands between you and applying."""
    head = band_phrase(m.band)[:1].upper() + band_phrase(m.band)[1:]
    if explain:
        head += f" (score {m.score:.2f})"
    if not m.direct:  # the first thing in the way; --full says every one
        first = m.blockers[0].text.rstrip(".")
        if m.blockers[0].kind == "training":  # which skills is in "To learn" below
            first = first.split(":")[0].removesuffix(" for")
        more = f" (and {count_words(len(m.blockers) - 1, 'more thing', 'more things')})" if len(m.blockers) > 1 else ""
        return f"{head}: {first}{more}."
    if essential:
        return f"{head}: learn {count_words(len(essential), 'skill', 'skills')}, then apply."
    return f"{head}: you could apply now."


def _carried(m: Any) -> tuple[str, list[str]]:
    names = [f.name + ("" if f.have >= f.need else " (partly: more to learn)") for f in m.transferable]
    verb = "carries" if len(names) == 1 else "carry"
    return f"{count_words(len(names), 'skill', 'skills')} you have {verb} over", names


def _role_head(rank: int, m: Any) -> Hang:
    return Hang(Text(safe(m.title), style="bold"), 0, f"{rank}. ")


def match_list(
    cat: Catalogue,
    matches: list[Any],
    explain_text: Any | None = None,
    region: str | None = None,
    *,
    full: bool = False,
    explain: bool = False,
) -> Group:
    """The ranked roles, each with a pay line; with explain_text (a cvread.Reading), first what was
    read from the text. Compact by default (each role in a few lines, so the top 5 fit two 80x24
    screens); full=True lists every gap with its training."""
    from cgtpaths.outlook import NO_PAY, pay_line

    out: list[RenderableType] = []
    unpaid = 0
    explain = explain or explain_text is not None
    if explain_text is not None:
        out.extend(_reading(cat, explain_text))
    for rank, m in enumerate(matches, 1):
        out.append(Text(""))
        out.append(_role_head(rank, m))
        essential = [g for g in m.gaps if g.fit.essential]
        optional = [g for g in m.gaps if not g.fit.essential]
        _, names = _carried(m)
        if not full:
            out.append(hang(_short_sentence(m, essential, explain), 3))
            pay = pay_line(cat, m.role, region)
            if pay != NO_PAY:  # (said once below, not on every role, so the list fits two screens)
                out.append(hang(pay, 3))
            else:
                unpaid += 1
            if names:
                out.append(hang(f"Carries over ({len(names)}): {_some(names, COMPACT_NAMES_SHOWN)}.", 3))
            if essential:
                # personal qualities grow through work: never the reason for a course
                first = next((g for g in essential if g.programmes and g.fit.category != "behavioural"), None)
                learn = f"To learn ({len(essential)}): {_some([g.fit.name for g in essential], COMPACT_NAMES_SHOWN)}."
                if first is not None:
                    learn += f" First course: {_programme_hint(cat, first.programmes[0])}."
                out.append(hang(learn, 3))
            continue
        out.append(hang(_fit_sentence(m, explain), 3))
        out.append(hang(pay_line(cat, m.role, region), 3))
        if names:
            out.append(hang(f"Carries over ({len(names)}): " + "; ".join(names), 3))
        if essential:
            out.append(hang(f"Skills to build ({len(essential)}):", 3))
            for g in essential:
                line = f"{_fit_words(g.fit)}."
                if g.programmes:
                    shown = [_programme_hint(cat, p) for p in g.programmes[:GAP_PROGRAMMES_SHOWN]]
                    more = len(g.programmes) - len(shown)
                    line += " Training: " + "; ".join(shown) + (f" (+{more} more)" if more > 0 else "")
                elif g.options:
                    o = g.options[0]
                    line += f" Not open to you yet: {o.title} ({'; '.join(o.reasons)})"
                else:
                    line += " No programme in the data teaches it to this level: learned on the job."
                out.append(hang(line, 5, "- "))
        if optional:
            out.append(hang("Also useful: " + "; ".join(g.fit.name for g in optional), 3))
    if matches and not full:
        out.append(Text(""))
        if unpaid:
            out.append(hang(f"Pay: no official figure in the data yet for {unpaid} of these roles.", 3))
        out.append(hang("Add --full for every skill to build and its training; --json for the ids.", 3))
    return Group(*out)


BRIEF_NAMES_SHOWN = 3


def _some(names: list[str], limit: int = BRIEF_NAMES_SHOWN) -> str:
    shown = ", ".join(names[:limit])
    more = len(names) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def match_brief(matches: list[Any], start: int = 1) -> Group:
    """The short view `explore` shows: each role with its fit, what carries over and what to learn."""
    out: list[RenderableType] = []
    for rank, m in enumerate(matches, start):
        out.append(Text(""))
        out.append(_role_head(rank, m))
        out.append(hang(_fit_sentence(m), 3))
        if m.transferable:
            said, names = _carried(m)
            out.append(hang(f"Why: {said}, e.g. {_some(names)}.", 3))
        else:
            out.append(hang("Why: none of your skills carry over yet; training comes first.", 3))
        essential = [g.fit.name for g in m.gaps if g.fit.essential]
        if essential:
            out.append(hang(f"To learn: {_some(essential)}.", 3))
    return Group(*out)


def skills_check(cat: Catalogue, fits_: list[Any], role: Record) -> Table:
    tab = table("skill", "you", "needed", "", "status")
    for f in fits_:
        have = SKILL_LEVELS[int(f.have)] if f.have == int(f.have) else f"partial ({f.have:.1f})"
        tab.add_row(
            t(f.name),
            t(have),
            t(SKILL_LEVELS[f.need]),
            t("essential" if f.essential else "optional"),
            Text(f.status, style={"have": "green", "partly": "yellow", "missing": "red"}[f.status]),
        )
    return tab


def skills_valued(cat: Catalogue, profile: Any) -> Listing:
    tab = Listing("your skill", "level", "CGT roles that need it", keep=(1,), title=None)
    for sid, level in sorted(profile.skills.items()):
        roles = cat.valued_by.get(sid, [])
        tab.add_row(
            t(cat.skills[sid]["name"]),
            t(SKILL_LEVELS[level]),
            t(", ".join(roles) if roles else "(no CGT role in the data lists it)"),
        )
    return tab


def pathway_page(cat: Catalogue, p: Any, profile: Any) -> Group:
    role = cat.roles[p.to]
    who = ", ".join(cat.title("backgrounds", b) for b in profile.backgrounds) or "your skills"
    out: list[RenderableType] = [
        Text(safe(f"Pathway to {role['title']}"), style="bold"),
        hang(f"From: {who} ({level_words(profile.level)})"),
    ]
    out.append(
        t(
            "A direct move: apply once the training below is done."
            if p.direct
            else "Not a direct move: it takes the steps below."
        )
    )
    out.append(heading("Steps"))
    for n, s in enumerate(p.steps, 1):
        months = (
            ""
            if s.kind == "role"
            else f" - {months_words(s.months)}" + ("" if s.months_known else " (assumed: no sourced duration)")
        )
        label = {"programme": "Train", "role": "Job", "experience": "Experience"}[s.kind]
        line = t(f"{label}: {s.title}{months}")
        out.append(Hang(line, 0, f"{n}. "))
        if s.id and s.kind == "programme":
            from cgtpaths.summary import funding, where

            programme = cat.programmes[s.id]
            pays = "".join(f" ({x.text})" if x.style == "tag" else x.text for x in funding(programme))
            out.append(hang(f"where: {where(cat, programme)}; who pays: {pays}", 3))
        if s.why:
            out.append(hang(f"why: {s.why}", 3))
        for c in s.caveats:
            out.append(hang(f"note: {c}", 3))
    total = months_words(p.total_months) if p.total_months else "no training needed"
    out.append(hang(f"\nTotal: about {total}" + ("" if p.all_months_known else " (includes assumed durations)")))
    if p.gaps_closed:
        out.append(hang("Gaps closed on the way: " + ", ".join(cat.skills[s]["name"] for s in p.gaps_closed)))
    if p.gaps_open:
        needs = {n["skill"]: n for n in role["skills"]}
        essential = [s for s in p.gaps_open if needs[s]["essential"]]
        optional = [s for s in p.gaps_open if not needs[s]["essential"]]
        if essential:
            out.append(
                hang(
                    "Essential skills this plan leaves to on-the-job learning (no programme in the data "
                    "covers them to the level needed, or they are personal qualities): "
                    + ", ".join(cat.skills[s]["name"] for s in essential)
                )
            )
        if optional:
            out.append(hang("Useful extras not covered: " + ", ".join(cat.skills[s]["name"] for s in optional)))
    if p.notes:
        out.append(heading("Good to know"))
        for note in p.notes:
            out.append(hang(note, 0, "- "))
    if p.gates:
        out.append(heading("Requirements training alone cannot meet"))
        for gate in p.gates:
            line = t(f"{gate['text']} [")
            line.append_text(tag(gate["confidence"]))
            line.append("]")
            out.append(Hang(line, 0, "- "))
    out.extend(sources_block(p.sources))
    return Group(*out)


def feeders_table(cat: Catalogue, rows: list[Any]) -> Listing:
    tab = Listing("id", "background", "score", "band", "bridging needed (essential gaps)", keep=(0, 2, 3))
    for bg, m in rows:
        gaps = [g for g in m.gaps if g.fit.essential]
        bridge = "; ".join(g.fit.name + (f" ({', '.join(g.programmes[:2])})" if g.programmes else "") for g in gaps)
        tab.add_row(t(bg["id"]), t(bg["title"]), t(f"{m.score:.2f}"), t(m.band), t(bridge or "none"))
    return tab


# ---- outlook: pay, jobs and outlook -----------------------------------------------------------------


def figure_lines(figures: list[Record]) -> list[RenderableType]:
    """Each figure with who it covers and its year beside the number, then its source."""
    from cgtpaths.outlook import amount, marks

    out: list[RenderableType] = []
    for f in figures:
        where = f" [{f['region']}]" if f["region"] else ""
        line = t(f"{amount(f)}{where}. Covers: {f['scope'].rstrip('.')}. Year: {f['year']}.")
        for mark in marks(f):
            line.append(safe(f" ({mark})"))
        line.append(safe(f"\nFrom: {f['release']}"))
        out.append(Hang(line, 0, "- "))
        # a URL is never wrapped (see sources_block)
        out.append(Text("  " + safe(f["sources"][0]["url"]), no_wrap=True, overflow="ignore"))
    return out


def role_outlook_block(cat: Catalogue, role: Record) -> list[RenderableType]:
    """On a role page: the outlook.yaml figures beyond the role's own salary, and pay while training."""
    from cgtpaths.outlook import figures_for, training_pay

    figures = [f for f in figures_for(cat, "roles", role["id"]) if f["id"] != f"{role['id']}-salary"]
    out: list[RenderableType] = [heading("Pay and jobs (official figures)")]
    out.extend(figure_lines(figures) or [hang("No other official pay figure for this role is in the data yet.")])
    apprentice = [f for f in training_pay(cat, role) if f["wage_band"] == "apprentice"]
    out.extend(hang(f"While training as an apprentice: {line}", 0, "- ") for line in _amount_lines(apprentice))
    out.append(hang(f"More, with the sector's figures: cgtpaths outlook {role['id']}"))
    return out


def _amount_lines(figures: list[Record]) -> list[str]:
    from cgtpaths.outlook import amount

    return [f"{amount(f)} ({f['scope'].rstrip('.')}; {f['year']})" for f in figures]


def _sector_blocks(sector: list[Record]) -> list[RenderableType]:
    out: list[RenderableType] = [heading("The CGT sector as a whole (CGT Catapult surveys)")]
    out.extend(figure_lines([f for f in sector if f["group"] == "cgt-sector"]))
    priority = [f for f in sector if f["group"] == "priority-sectors"]
    if priority:
        out.append(heading("Skills England's priority occupations to 2030 (all ten priority sectors, not only CGT)"))
        out.extend(figure_lines(priority))
    return out


def _unknown(lines: list[str]) -> list[RenderableType]:
    if not lines:
        return []
    return [heading("Not known"), *(hang(line, 0, "- ") for line in lines)]


def outlook_page(view: Any) -> Group:
    """`outlook ROLE`: pay, pay while training, the move from a background, demand, the sector."""
    role = view.role
    place = f" in {view.region['name']}" if view.region else ""
    out: list[RenderableType] = [Text(safe(f"Jobs and pay: {role['title']}{place}"), style="bold")]
    out.append(t(f"id: {role['id']}" + (f"; SOC 2020 {role['soc2020']}" if role.get("soc2020") else "")))
    out.append(heading("Pay"))
    out.extend(figure_lines(view.pay) or [hang("No official pay figure for this role is in the data yet.")])
    if view.regional_note:
        out.append(hang(view.regional_note))
    if view.training_pay:
        out.append(heading("Pay while training (apprenticeship)"))
        out.append(hang("An apprenticeship leads to this role. The law sets the least an employer may pay:"))
        out.extend(figure_lines(view.training_pay))
    if view.background is not None:
        out.append(heading(f"Moving from: {view.background['title']}"))
        out.extend(figure_lines(view.from_pay) or [hang("No official pay figure for this background is in the data.")])
        out.extend(hang(line, 0, "> ") for line in view.comparison)
    if view.demand:
        out.append(heading("Jobs (demand)"))
        out.extend(figure_lines(view.demand))
    if view.outlook:
        out.append(heading("Outlook"))
        out.extend(figure_lines(view.outlook))
    out.extend(_sector_blocks(view.sector))
    if view.yardstick:
        out.append(heading("For comparison: all full-time employees"))
        out.extend(figure_lines(view.yardstick))
    out.extend(_unknown(view.unknown))
    return Group(*out)


def sector_page(view: Any) -> Group:
    """`outlook` with no role: the sector's own counts, the yardstick and the legal minimum wages."""
    place = f" ({view.region['name']})" if view.region else ""
    out: list[RenderableType] = [Text(safe(f"Jobs in UK cell and gene therapy{place}"), style="bold")]
    out.extend(_sector_blocks(view.sector))
    if view.yardstick:
        out.append(heading("For comparison: all full-time employees"))
        out.extend(figure_lines(view.yardstick))
    out.append(heading("The legal minimum pay"))
    out.extend(figure_lines(view.minimum_wage))
    out.extend(_unknown(view.unknown))
    out.append(hang("\nFor one role: cgtpaths outlook ROLE (add --from BACKGROUND to compare pay)."))
    return Group(*out)
