"""The website's pages as HTML strings: one function per kind of page. Pure: no I/O.

Where a printed summary exists (a role, a pathway) the page is that summary (summary.py), written
by render/html.py, so the words and the escaping are the summaries' own; each page adds links to
the rest of the site. Every data string goes through html.esc, as in the summaries. Links are
relative (`up` climbs to the site's top folder), so the site works from file:// and any host.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cgtpaths import __version__
from cgtpaths.render.document import Facts, Inline, Items, Page, Para, Section, inline
from cgtpaths.render.html import _page, esc
from cgtpaths.render.plain import SKILL_LEVELS, band_phrase, level_words
from cgtpaths.summary import SOURCES, funding, length, source_items, tag, where

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.match import Match

Record = dict[str, Any]

# Scripts, styles and data from the site itself only; nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
NAV = (
    ("roles/index.html", "Roles"),
    ("programmes/index.html", "Training"),
    ("backgrounds/index.html", "Backgrounds"),
    ("regions/index.html", "Regions"),
    ("skills/index.html", "Skills"),
    ("check.html", "Skills check"),
)
WHAT_CGT_IS = (
    "Cell and gene therapies are medicines made from living cells or from genes, used to treat "
    "illnesses such as some blood cancers and rare inherited conditions. Making and testing them "
    "takes skilled people in laboratories and very clean rooms, and many of these jobs are open to "
    "people coming from school, college or other industries."
)


def layout(cat: Catalogue, title: str, body: str, depth: int, scripts: tuple[str, ...] = ()) -> str:
    """A whole page: the site's header, the main content, the footer and any scripts (all files)."""
    up = "../" * depth
    nav = "".join(f'<li><a href="{up}{href}">{esc(text)}</a></li>' for href, text in NAV)
    tags = "".join(f'<script src="{up}{src}"></script>\n' for src in scripts)
    version = esc(cat.dataset.get("version", "unknown"))
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} - CGT careers map</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to the main content</a>\n'
        f'<header class="site">\n<p class="brand"><a href="{up}index.html">CGT careers map</a></p>\n'
        f'<nav aria-label="Site"><ul>{nav}</ul></nav>\n'
        f'<form class="site-search" role="search" action="{up}search.html" method="get">'
        '<label for="site-q">Search the site</label> <input type="search" id="site-q" name="q">'
        ' <button type="submit">Search</button></form>\n</header>\n'
        f'<main id="main" tabindex="-1">\n{body}\n</main>\n'
        f'<footer class="site-foot"><p>Dataset {version}, built by cgtpaths {esc(__version__)}. '
        "This site works offline and sends nothing anywhere: no cookies, no tracking. Facts marked "
        "(inferred) are our judgement, not stated by a source; check dates, fees and entry rules "
        "with the provider.</p></footer>\n"
        f"{tags}</body>\n</html>\n"
    )


def summary_html(page: Page) -> str:
    """A format-neutral page (render/document.py) as the summaries write it: one h1, sections of h2;
    each table cell labelled with its column, so a phone can show the rows as stacked cards."""
    return _TABLE.sub(_labelled, _page(page, 1, 1, False))


# render/html.py's tables: no attributes on <table>, header cells scope="col", then rows whose cells
# open as <td> or <th scope="row">. Data text is escaped, so these tags only ever come from html.py.
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_COLUMN = re.compile(r'<th scope="col">(.*?)</th>', re.S)
_CELL = re.compile(r'<td>|<th scope="row">')


def _labelled(found: re.Match[str]) -> str:
    head, _, body = found.group(0).partition("</thead>")
    labels = _COLUMN.findall(head)  # already escaped by html.esc: safe inside an attribute

    def label_row(row: str) -> str:
        position = iter(range(len(labels) + 1000))

        def cell(opening: re.Match[str]) -> str:
            n = next(position)
            label = labels[n] if n < len(labels) else ""
            return f'{opening.group(0)[:-1]} data-label="{label}">'

        return _CELL.sub(cell, row)

    return head + "</thead>" + "<tr>".join(label_row(row) for row in body.split("<tr>"))


def links(items: list[tuple[str, str]] | list[tuple[str, str, str]], up: str) -> str:
    """A list of links within the site: (href from the top folder, text[, words after the link])."""
    if not items:
        return "<p>None recorded in the data yet.</p>"
    rows = []
    for item in items:
        after = f" {esc(item[2])}" if len(item) > 2 else ""
        rows.append(f'<li><a href="{up}{esc(item[0])}">{esc(item[1])}</a>{after}</li>')
    return f'<ul class="links">{"".join(rows)}</ul>'


def section(heading: str, content: str, anchor: str, style: str = "") -> str:
    cls = f' class="{style}"' if style else ""
    return f'<section{cls} aria-labelledby="{anchor}">\n<h2 id="{anchor}">{esc(heading)}</h2>\n{content}\n</section>'


def _sources_section(records: list[Record]) -> Section:
    seen: dict[str, Record] = {}
    for rec in records:
        for src in rec.get("sources", []):
            seen.setdefault(src["url"], src)
    return Section(SOURCES, (source_items(list(seen.values())),), "small")


def _notes(rec: Record) -> list[Section]:
    notes = rec.get("notes") or []
    if not notes:
        return []
    return [Section("Notes", (Items(tuple(inline(n["text"], tag(n.get("confidence"))) for n in notes)),))]


# ---- home and the three ways in ---------------------------------------------------------------


def home(cat: Catalogue) -> str:
    body = (
        "<h1>Careers in cell and gene therapy</h1>\n"
        f'<p class="lead">{esc(WHAT_CGT_IS)}</p>\n'
        + section(
            "Three ways in",
            '<ul class="ways">'
            '<li><a href="start/school.html">I\'m at school or college</a><p>Jobs you could aim for, and the '
            "apprenticeships, T Levels and courses that lead to them.</p></li>"
            '<li><a href="start/change.html">I want to change career</a><p>Which of your skills carry over, '
            "what is missing, and the training that closes each gap.</p></li>"
            '<li><a href="start/advise.html">I advise people</a><p>Every role, pathway and course on one page '
            "each, ready to print on A4.</p></li></ul>",
            "ways",
        )
        + section(
            "Check your skills",
            '<p><a href="check.html">Open the skills check</a>: choose your background or your skills and '
            "see the roles that fit best. It runs in your browser; nothing you choose is sent anywhere.</p>",
            "check",
        )
    )
    return layout(cat, "Careers in cell and gene therapy", body, 0)


def start_school(cat: Catalogue) -> str:
    up = "../"
    starters = [
        (f"roles/{rid}.html", cat.roles[rid]["title"], f"(usually from {level_words(cat.roles[rid]['entry_level'])})")
        for rid in sorted(cat.roles, key=lambda r: (cat.roles[r]["entry_level"], cat.roles[r]["title"]))
        if cat.roles[rid]["entry_level"] <= 3
    ]
    young = [
        (f"backgrounds/{bid}.html", cat.backgrounds[bid]["title"])
        for bid in sorted(cat.backgrounds)
        if cat.backgrounds[bid]["situation"] in ("school", "college")
    ]
    courses = [
        (f"programmes/{pid}.html", cat.programmes[pid]["title"])
        for pid in sorted(cat.programmes, key=lambda p: cat.programmes[p]["title"])
        if cat.programmes[pid]["entry_level"] <= 2 and cat.programmes[pid]["status"] != "closed"
    ]
    body = (
        "<h1>I'm at school or college</h1>\n"
        "<p>These jobs can be started without a degree. Each page says what the job is, the pay where "
        "it is known, and the ways in.</p>\n"
        + section("Jobs you can start from school or college", links(starters, up), "jobs")
        + section("Where you are now: your pathways", links(young, up), "now")
        + section("Training you can start with GCSEs or less", links(courses, up), "courses")
    )
    return layout(cat, "I'm at school or college", body, 1)


def start_change(cat: Catalogue) -> str:
    up = "../"
    working = [
        (f"backgrounds/{bid}.html", cat.backgrounds[bid]["title"])
        for bid in sorted(cat.backgrounds, key=lambda b: cat.backgrounds[b]["title"])
        if cat.backgrounds[bid]["situation"] not in ("school", "college")
    ]
    body = (
        "<h1>I want to change career</h1>\n"
        '<p>Pick the job you do now to see the roles it fits best, or use the <a href="../check.html">skills '
        "check</a> to choose your own skills. Each role links to a pathway: the training and steps from "
        "where you are.</p>\n" + section("Start from the job you do now", links(working, up), "from")
    )
    return layout(cat, "I want to change career", body, 1)


def start_advise(cat: Catalogue) -> str:
    body = (
        "<h1>I advise people</h1>\n"
        "<p>Every page of this site prints on A4 paper in black and white: use your browser's Print. "
        "A pathway page is one person's route from a background to a role, with the training, its length, "
        "who pays and the sources, each with the date it was checked.</p>\n"
        + section(
            "Where to start",
            links(
                [
                    ("backgrounds/index.html", "Backgrounds, each with its ranked roles and pathways"),
                    ("roles/index.html", "Every role"),
                    ("programmes/index.html", "Every training programme"),
                    ("regions/index.html", "Training and centres by region"),
                    ("check.html", "The skills check, to do with someone"),
                ],
                "../",
            ),
            "where",
        )
        + section(
            "A college's own site",
            "<p>A college can publish this site with its own courses added: the README explains how.</p>",
            "own",
        )
    )
    return layout(cat, "I advise people", body, 1)


# ---- roles -----------------------------------------------------------------------------------


def role_list(cat: Catalogue) -> str:
    families: dict[str, list[str]] = {}
    for rid in sorted(cat.roles, key=lambda r: cat.roles[r]["title"]):
        families.setdefault(cat.roles[rid]["family"], []).append(rid)
    parts = ["<h1>Cell and gene therapy roles</h1>"]
    for n, family in enumerate(sorted(families), 1):
        items = [
            (
                f"roles/{rid}.html",
                cat.roles[rid]["title"],
                f"(usually from {level_words(cat.roles[rid]['entry_level'])})",
            )
            for rid in families[family]
        ]
        parts.append(section(family.replace("-", " ").capitalize(), links(items, "../"), f"f{n}"))
    return layout(cat, "Roles", "\n".join(parts), 1)


def role(cat: Catalogue, rid: str) -> str:
    from cgtpaths.summary import role_page

    rec = cat.roles[rid]
    up = "../"
    skills = [
        (f"skills/{n['skill']}.html", cat.skills[n["skill"]]["name"], f"({SKILL_LEVELS[n['level']]}, "
         + ("essential)" if n["essential"] else "useful)"))
        for n in rec["skills"]
    ]  # fmt: skip
    routes = [(f"programmes/{pid}.html", cat.programmes[pid]["title"]) for pid in cat.entry_routes.get(rid, [])]
    onward = [(f"roles/{r}.html", cat.title("roles", r)) for r in rec["progression"] if r in cat.roles]
    earlier = [(f"roles/{r}.html", cat.title("roles", r)) for r in cat.progressed_from.get(rid, [])]
    paths = [(f"pathways/{bid}/{rid}.html", cat.backgrounds[bid]["title"]) for bid in sorted(cat.backgrounds)]
    extra = (
        section("On this site: the skills", links(skills, up), "site-skills")
        + section("On this site: the training routes in", links(routes, up), "site-routes")
        + section("On this site: where it can lead", links(onward, up), "site-onward")
        + section("On this site: roles that lead here", links(earlier, up), "site-earlier")
        + section("Pathways here from each background", links(paths, up), "site-paths")
    )
    return layout(cat, rec["title"], summary_html(role_page(cat, rec)) + "\n" + extra, 1)


# ---- programmes ------------------------------------------------------------------------------

ACCESS_WORDS = {
    "open": "anyone who meets the entry level",
    "employed": "people with a job that offers it (an employer takes you on)",
    "in-sector": "people already working in the field",
    "nhs-staff": "NHS staff",
    "enrolled-student": "students on the degree it belongs to",
}
STATUS_WORDS = {
    "open": "open",
    "in-revision": "being revised",
    "proposed-retirement": "proposed for retirement",
    "closed": "closed to new applicants",
    "unknown": "not known",
}


def programme_list(cat: Catalogue) -> str:
    kinds: dict[str, list[str]] = {}
    for pid in sorted(cat.programmes, key=lambda p: cat.programmes[p]["title"]):
        kinds.setdefault(cat.programmes[pid]["kind"], []).append(pid)
    parts = ["<h1>Training programmes</h1>"]
    for n, kind in enumerate(sorted(kinds), 1):
        items = [(f"programmes/{pid}.html", cat.programmes[pid]["title"]) for pid in kinds[kind]]
        parts.append(section(kind.replace("-", " ").capitalize(), links(items, "../"), f"k{n}"))
    return layout(cat, "Training", "\n".join(parts), 1)


def programme(cat: Catalogue, pid: str) -> str:
    rec = cat.programmes[pid]
    facts: list[tuple[str, Inline]] = [
        ("Provider", inline(rec["provider"])),
        ("Kind", inline(rec["kind"].replace("-", " "))),
        (
            "Qualification level",
            inline(level_words(rec["level"]) if rec["level"] is not None else "not a qualification"),
        ),
        ("To start", inline(f"usually {level_words(rec['entry_level'])}")),
        ("Who can start it", inline("; ".join(ACCESS_WORDS.get(a, a) for a in rec["access"]))),
        ("Length", inline(length(rec))),
        ("Where", inline(where(cat, rec))),
        ("Who pays", funding(rec)),
        ("Status", inline(STATUS_WORDS.get(rec["status"], rec["status"]))),
    ]
    if rec["url"]:
        from cgtpaths.render.document import URL, Span

        facts.append(("Provider's page", inline(Span(rec["url"], URL))))
    page = Page(
        rec["title"],
        (Para(inline(tag(rec["confidence"]))),) if rec["confidence"] == "inferred" else (),
        (Section("About it", (Facts(tuple(facts)),)), *_notes(rec), _sources_section([rec])),
    )
    up = "../"
    taught = [
        (f"skills/{t['skill']}.html", cat.skills[t["skill"]]["name"], f"(to {SKILL_LEVELS[t['level']]})")
        for t in rec["teaches"]
    ]
    leads = sorted({*rec["leads_to"], *(r for r, pids in cat.entry_routes.items() if pid in pids)})
    extra = section("Skills it teaches", links(taught, up), "site-teaches") + section(
        "Roles it leads to",
        links([(f"roles/{r}.html", cat.title("roles", r)) for r in leads if r in cat.roles], up),
        "site-leads",
    )
    return layout(cat, rec["title"], summary_html(page) + "\n" + extra, 1)


# ---- backgrounds -----------------------------------------------------------------------------


def background_list(cat: Catalogue) -> str:
    items = [
        (f"backgrounds/{bid}.html", cat.backgrounds[bid]["title"])
        for bid in sorted(cat.backgrounds, key=lambda b: cat.backgrounds[b]["title"])
    ]
    body = (
        "<h1>Backgrounds</h1>\n<p>Where people come from: each page ranks the roles by how much of the "
        "skills they ask for the background already has, with a pathway to each.</p>\n" + links(items, "../")
    )
    return layout(cat, "Backgrounds", body, 1)


def background(cat: Catalogue, bid: str, matches: list[Match]) -> str:
    rec = cat.backgrounds[bid]
    up = "../"
    facts = Facts(
        (
            ("Sector", inline(rec["sector"])),
            ("Usual qualification", inline(level_words(rec["typical_level"]))),
            ("Skills", inline("the usual ones for this background", tag(rec["confidence"]))),
        )
    )
    page = Page(rec["title"], (), (Section("About this background", (facts,)), *_notes(rec), _sources_section([rec])))
    skills = [
        (f"skills/{s['skill']}.html", cat.skills[s["skill"]]["name"], f"({SKILL_LEVELS[s['level']]})")
        for s in rec["skills"]
    ]
    rows = []
    for n, m in enumerate(matches, 1):
        move = "A direct move" if m.direct else "Not a direct move yet"
        rows.append(
            f'<tr data-role="{esc(m.role)}"><td>{n}</td>'
            f'<th scope="row"><a href="{up}pathways/{esc(bid)}/{esc(m.role)}.html">{esc(m.title)}</a></th>'
            f"<td>{round(m.score * 100)}%: {esc(band_phrase(m.band))}</td><td>{esc(move)}</td></tr>"
        )
    table = (
        '<table class="ranked"><caption class="visually-hidden">Roles ranked for this background</caption>'
        '<thead><tr><th scope="col">Rank</th><th scope="col">Role (its pathway)</th>'
        '<th scope="col">Skills covered</th><th scope="col">Move</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    extra = section("Roles ranked for this background", table, "site-ranked") + section(
        "Its usual skills", links(skills, up), "site-skills"
    )
    return layout(cat, rec["title"], summary_html(page) + "\n" + extra, 1)


# ---- pathways --------------------------------------------------------------------------------


def no_pathway(cat: Catalogue, bid: str, rid: str, message: str, hint: str) -> Page:
    """The page for a background x role the planner found no route for: what the command says."""
    role_title = cat.roles[rid]["title"]
    blocks = [Para(inline(f"No pathway to this role could be planned from this background: {message}."))]
    if hint:
        blocks.append(Para(inline(hint)))
    return Page(
        f"Pathway to {role_title}",
        (Para(inline(f"For: {cat.backgrounds[bid]['title']}.")),),
        (Section("No pathway found", tuple(blocks)),),
    )


def pathway(cat: Catalogue, bid: str, rid: str, page: Page) -> str:
    """A background x role pathway: the printed pathway summary, and links on from it."""
    up = "../../"
    steps = section(
        "On this site",
        links(
            [
                (f"roles/{rid}.html", f"About the role: {cat.roles[rid]['title']}"),
                (f"backgrounds/{bid}.html", f"Other roles for {cat.backgrounds[bid]['title']}"),
                ("check.html", "Check your own skills"),
            ],
            up,
        ),
        "site-more",
        "screen-only",
    )
    return layout(cat, page.title, summary_html(page) + "\n" + steps, 2)


# ---- regions and skills ----------------------------------------------------------------------


def region_list(cat: Catalogue) -> str:
    items = []
    for rid in sorted(cat.regions, key=lambda r: (cat.regions[r].get("parent") is not None, cat.regions[r]["name"])):
        items.append((f"regions/{rid}.html", cat.regions[rid]["name"]))
    body = "<h1>Regions</h1>\n<p>The training and centres in each part of the UK.</p>\n" + links(items, "../")
    return layout(cat, "Regions", body, 1)


def region(cat: Catalogue, rid: str) -> str:
    rec = cat.regions[rid]
    up = "../"
    blocks: list[Section] = []
    for field, heading in (("clusters", "Clusters of cell and gene therapy work"), ("centres", "Training centres")):
        values = rec.get(field) or []
        blocks.append(
            Section(
                heading, (Items(tuple(inline(v) for v in values)),) if values else (Para(inline("None found yet.")),)
            )
        )
    page = Page(rec["name"], (), (*blocks, *_notes(rec), _sources_section([rec])))
    taught_here = [
        (
            f"programmes/{pid}.html",
            cat.programmes[pid]["title"],
            "(online)" if cat.programmes[pid]["mode"] == "online" else "",
        )
        for pid in sorted(cat.programmes, key=lambda p: cat.programmes[p]["title"])
        if cat.serves_region(cat.programmes[pid], rid)
    ]
    parts = [r for r in sorted(cat.regions) if cat.regions[r].get("parent") == rid]
    extra = section("Training open to people here", links(taught_here, up), "site-training")
    if parts:
        extra += section(
            "Parts of this region",
            links([(f"regions/{r}.html", cat.regions[r]["name"]) for r in parts], up),
            "site-parts",
        )
    return layout(cat, rec["name"], summary_html(page) + "\n" + extra, 1)


def skill_list(cat: Catalogue) -> str:
    groups: dict[str, list[str]] = {}
    for sid in sorted(cat.skills, key=lambda s: cat.skills[s]["name"]):
        groups.setdefault(cat.skills[sid]["category"], []).append(sid)
    parts = ["<h1>Skills</h1>"]
    for n, group in enumerate(sorted(groups), 1):
        items = [(f"skills/{sid}.html", cat.skills[sid]["name"]) for sid in groups[group]]
        parts.append(section(group.capitalize(), links(items, "../"), f"g{n}"))
    return layout(cat, "Skills", "\n".join(parts), 1)


def skill(cat: Catalogue, sid: str) -> str:
    rec = cat.skills[sid]
    up = "../"
    facts: list[tuple[str, Inline]] = [("Kind", inline(rec["category"]))]
    if rec.get("aliases"):
        facts.append(("Also called", inline(", ".join(rec["aliases"]))))
    page = Page(
        rec["name"],
        (Para(inline(rec["description"])),) if rec.get("description") else (),
        (Section("About the skill", (Facts(tuple(facts)),)), *_notes(rec), _sources_section([rec])),
    )
    needed = [
        (f"roles/{r}.html", cat.roles[r]["title"], "(essential)" if n["essential"] else "(useful)")
        for r in cat.valued_by.get(sid, [])
        for n in cat.roles[r]["skills"]
        if n["skill"] == sid
    ]
    taught = [
        (f"programmes/{pid}.html", cat.programmes[pid]["title"], f"(to {SKILL_LEVELS[level]})")
        for pid, level in cat.taught_by.get(sid, [])
    ]
    credit = [
        (f"skills/{link['skill']}.html", cat.skills[link["skill"]]["name"], "(counts partly towards it)")
        for link in rec["related"]
    ]
    extra = (
        section("Roles that need it", links(needed, up), "site-roles")
        + section("Training that teaches it", links(taught, up), "site-taught")
        + (section("Skills that count partly towards it", links(credit, up), "site-related") if credit else "")
    )
    return layout(cat, rec["name"], summary_html(page) + "\n" + extra, 1)


# ---- the two pages with a script ---------------------------------------------------------------


def search_page(cat: Catalogue) -> str:
    body = (
        "<h1>Search</h1>\n"
        '<form id="search" role="search" action="search.html" method="get">'
        '<div class="row"><div class="field"><label for="q">Words to find</label>'
        '<input type="search" id="q" name="q"></div><button type="submit">Search</button></div></form>\n'
        '<p id="search-status" role="status"></p>\n<ol id="search-results"></ol>'
    )
    return layout(cat, "Search", body, 0, ("data/search.js", "assets/search.js"))


def check_page(cat: Catalogue) -> str:
    from cgtpaths.render.plain import RQF_WORDS

    backgrounds = "".join(
        f'<option value="{esc(bid)}">{esc(cat.backgrounds[bid]["title"])}</option>'
        for bid in sorted(cat.backgrounds, key=lambda b: cat.backgrounds[b]["title"])
    )
    skills = "".join(
        f'<option value="{esc(sid)}">{esc(cat.skills[sid]["name"])}</option>'
        for sid in sorted(cat.skills, key=lambda s: cat.skills[s]["name"])
    )
    levels = "".join(f'<option value="{n}">{esc(f"RQF {n}: {RQF_WORDS[n]}")}</option>' for n in sorted(RQF_WORDS))
    regions = "".join(
        f'<option value="{esc(rid)}">{esc(cat.regions[rid]["name"])}</option>'
        for rid in sorted(cat.regions, key=lambda r: cat.regions[r]["name"])
    )
    body = (
        "<h1>Skills check</h1>\n"
        "<p>Choose where you are now and see the cell and gene therapy roles that fit you best. It works "
        "out the answer in your browser: nothing you choose is sent anywhere. The address of this page "
        "keeps your choices, so you can bookmark, share or print the result.</p>\n"
        '<div id="problems" class="problems" role="alert" hidden></div>\n'
        '<form id="check" action="check.html" method="get">\n'
        '<div class="field"><label for="from">Your background (optional)</label>'
        f'<select id="from" name="from"><option value="">None chosen</option>{backgrounds}</select></div>\n'
        "<fieldset><legend>Your skills (optional)</legend>\n"
        '<div class="row"><div class="field"><label for="skill-pick">Skill</label>'
        f'<select id="skill-pick" name="skill-pick"><option value="">Choose a skill</option>{skills}</select></div>'
        '<div class="field"><label for="skill-level">How well</label><select id="skill-level" name="skill-level">'
        '<option value="1">Aware: you know what it is</option>'
        '<option value="2" selected>Practised: you do it at work or on a course</option>'
        '<option value="3">Expert: you could teach it</option></select></div>'
        '<button type="button" id="skill-add">Add this skill</button></div>\n'
        '<p id="skill-none">No skills added yet.</p><ul id="skill-list"></ul>'
        '<p id="skill-added" class="visually-hidden" role="status"></p>\n</fieldset>\n'
        '<div class="field"><label for="level">Your highest qualification</label>'
        f'<select id="level" name="level"><option value="">The usual one for your background</option>{levels}'
        "</select></div>\n"
        '<div class="field"><label for="region">Where you live</label>'
        f'<select id="region" name="region"><option value="">Anywhere in the UK</option>{regions}</select></div>\n'
        '<button type="submit">Show roles</button>\n</form>\n'
        '<section aria-labelledby="results-heading">'
        '<h2 id="results-heading" tabindex="-1">Roles ranked for you</h2>\n'
        '<p id="status" role="status"></p>\n<p id="region-link" hidden><a href="regions/index.html">Regions</a></p>\n'
        '<ol id="results"></ol>\n</section>'
    )
    return layout(cat, "Skills check", body, 0, ("data/check.js", "assets/check.js"))
