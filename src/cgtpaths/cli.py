"""The command line: parse, call the core, render. The one place errors become exit codes.

Start-up time matters here (every run pays it): no `from __future__ import annotations` (typer
would evaluate every string annotation twice per call), no dataclasses, and commands build what
they need inside their bodies."""

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from cgtpaths import __version__
from cgtpaths.errors import CgtpathsError, Exit, UsageError

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.load import Loaded

app = typer.Typer(
    name="cgtpaths",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
data_app = typer.Typer(
    help="Check, describe and audit the curated dataset.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(data_app, name="data")
site_app = typer.Typer(
    help="Build the website: the same map for anyone with a browser.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(site_app, name="site")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one versioned JSON object instead of text.")]


class State:
    """The root options, and the catalogue once opened. A plain class: a dataclass costs ~1 ms to create."""

    def __init__(self) -> None:
        self.data_dir: Path | None = None
        self.overlays: tuple[Path, ...] = ()
        self.debug = False
        self._cache: tuple[Catalogue, Loaded] | None = None

    def open(self) -> "tuple[Catalogue, Loaded]":
        if self._cache is None:
            from cgtpaths.load import open_catalogue

            self._cache = open_catalogue(self.data_dir, self.overlays)
        return self._cache

    @property
    def catalogue(self) -> "Catalogue":
        return self.open()[0]


STATE = State()


def _version(value: bool) -> None:
    if value:
        print(f"cgtpaths {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="CGTPATHS_DATA_DIR",
            help="Use a curator's dataset instead of the shipped one.",
            file_okay=False,
            readable=False,  # an unreadable folder is the loader's to report: bad input (1), not usage (2)
        ),
    ] = None,
    overlay: Annotated[
        list[Path] | None,
        typer.Option(
            "--overlay",
            help="Add or replace records from this folder (repeatable), e.g. a college's courses.",
            file_okay=False,
            readable=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Careers in UK cell and gene therapy: which roles exist, which of your skills carry over,
    what is missing, and which training closes each gap. Works offline; sends nothing anywhere.

    \b
    Example:
      cgtpaths match --from oil-and-gas-process-operator
      cgtpaths pathway --from school-leaver-gcse --to qc-analyst
      cgtpaths roles qc-analyst
      cgtpaths --overlay my-college/ programmes --region north-east
    """
    STATE.data_dir = data_dir
    STATE.overlays = tuple(overlay or ())
    STATE.debug = debug
    STATE._cache = None  # a new invocation (tests run many in one process) loads afresh


def emit_json(**payload: Any) -> None:
    from cgtpaths.render.jsonout import envelope

    print(envelope(STATE.catalogue.dataset, **payload))


def show(*renderables: Any) -> None:
    from cgtpaths.render.terminal import print_all

    print_all(*renderables)


def _ids(kind: str) -> Any:
    """Shell completion of one kind of id (guide.complete_ids), read through the catalogue's cache.
    Silent whatever goes wrong: an error printed mid-completion would land in the person's prompt."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        try:
            from cgtpaths.guide import complete_ids
            from cgtpaths.load import open_catalogue

            root = ctx.find_root().params  # raw strings: typer converts them only when a command runs
            data_dir = Path(root["data_dir"]) if root.get("data_dir") else None
            cat, _ = open_catalogue(data_dir, tuple(Path(o) for o in root.get("overlay") or ()))
            return complete_ids(cat, kind, incomplete)
        except Exception:
            return []

    return complete


def _interests(incomplete: str) -> list[tuple[str, str]]:
    from cgtpaths.guide import INTERESTS, completion_help

    return [(i.id, completion_help(i.label)) for i in INTERESTS if i.id.startswith(incomplete)]


# ---- options shared by several commands ----------------------------------------------------------
# Defined before the commands that use them: typer reads the real annotations (no string annotations
# to evaluate, which typer did twice per parameter on every call).


class Format(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


SUFFIXES = {
    ".txt": Format.text,
    ".md": Format.md,
    ".markdown": Format.md,
    ".html": Format.html,
    ".htm": Format.html,
    ".pdf": Format.pdf,
    ".json": Format.json,
}
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        help="text (the default), md, html (for screens), pdf (one A4 page, no browser needed) or json. "
        "With -o, the file's suffix decides when this is not given.",
    ),
]


def _dash_is_stdout(value: Path | None) -> Path | None:
    """`-o -` is the screen (stdout), as everywhere on the command line, not a file named '-'."""
    return None if value is not None and str(value) == "-" else value


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        dir_okay=False,
        callback=_dash_is_stdout,
        help="Write to this file instead of the screen (- for the screen); an existing file is replaced only once "
        "the new one is done. Never a special file, a read-only file (without --force) or one of the command's "
        "inputs.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="With -o, replace the file even if it is read-only.")]
LargeOpt = Annotated[
    bool,
    typer.Option("--large", help="Large print (HTML and PDF): type as large as fits (10.5 to 18 pt), 2 pages at most."),
]
SiteOpt = Annotated[
    str | None,
    typer.Option(
        "--site",
        envvar="CGTPATHS_SITE_URL",
        help="The address of the cgtpaths web site: each printed summary links to its role's page there, "
        "with a QR code (e.g. https://example.org/cgtpaths).",
    ),
]
SourcesOpt = Annotated[
    bool,
    typer.Option("--sources", help="Print a page listing every source at the end (the summary shows the main ones)."),
]
FromOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--from",
        help="Where you are now: a background id (see `cgtpaths backgrounds`). Repeatable.",
        autocompletion=_ids("backgrounds"),
    ),
]
SkillOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--skill",
        help="A skill you have, as ID or ID=LEVEL (1 aware, 2 practised, 3 expert). Repeatable.",
        autocompletion=_ids("skills"),
    ),
]
ProfileOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        help="A YAML or JSON profile file: {from, skills: {id: level}, level, region, age}.",
        dir_okay=False,
    ),
]
TextOpt = Annotated[
    Path | None,
    typer.Option("--text", help="A CV or job advert (plain text); skills are found by name and alias.", dir_okay=False),
]
LevelOpt = Annotated[
    int | None, typer.Option(min=0, max=8, help="Your highest RQF level (0-8); a background implies one.")
]
RegionOpt = Annotated[
    str | None,
    typer.Option(help="Where you are in the UK (see `cgtpaths regions`).", autocompletion=_ids("regions")),
]
AgeOpt = Annotated[int | None, typer.Option(help="Your age, to check age-limited funding.")]
ExplainOpt = Annotated[
    bool,
    typer.Option("--explain", help="Show each role's score and band, and which words in --text matched which skill."),
]


# ---- browse ---------------------------------------------------------------------------------------


@app.command()
def roles(
    role_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Show one role in full.", autocompletion=_ids("roles"))
    ] = None,
    family: Annotated[str | None, typer.Option(help="Only roles in this family, e.g. quality-control.")] = None,
    json_: JsonFlag = False,
    format_: FormatOpt = None,
    output: OutputOpt = None,
    large: LargeOpt = False,
    force: ForceOpt = False,
) -> None:
    """List CGT roles, or show one: entry level, routes in, skills, gates, progression, salary, sources.

    \b
    Example:
      cgtpaths roles
      cgtpaths roles manufacturing-technician
      cgtpaths roles --family quality-control --json
      cgtpaths roles qualified-person --format html -o qualified-person.html
    """
    fmt = _format(format_, output, json_, large, force)
    cat = STATE.catalogue
    if role_id is not None:
        from cgtpaths.names import resolve

        role_id = resolve(cat, "roles", role_id)
        role = cat.role(role_id)
        if fmt is Format.json:
            _emit_json(output, role=role, entry_routes=cat.entry_routes.get(role_id, []))
            return
        if fmt is not Format.text:
            from cgtpaths.summary import role_page

            _print_pages(fmt, output, role["title"], [role_page(cat, role)], large)
            return
        from cgtpaths.render import terminal

        _show(output, terminal.role_page(cat, role))
        return
    rows = [r for r in cat.roles.values() if family is None or r["family"] == family]
    if family is not None and not rows:
        families = sorted({r["family"] for r in cat.roles.values()})
        raise CgtpathsError(f"no roles in family '{family}'", hint=f"Families: {', '.join(families)}")
    if fmt is Format.json:
        _emit_json(output, roles=rows)
        return
    if fmt is not Format.text:
        from cgtpaths.summary import role_list_page

        _print_pages(fmt, output, "Cell and gene therapy roles", [role_list_page(rows)], large)
        return
    from cgtpaths.render import terminal

    _show(output, terminal.role_list(rows))


@app.command()
def programmes(
    programme_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Show one programme in full.", autocompletion=_ids("programmes")),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="e.g. apprenticeship, degree-apprenticeship, short-course.")] = None,
    level: Annotated[int | None, typer.Option(min=0, max=8, help="Only programmes at this RQF level.")] = None,
    region: Annotated[
        str | None,
        typer.Option(help="Only programmes open to someone in this region.", autocompletion=_ids("regions")),
    ] = None,
    funding: Annotated[
        str | None, typer.Option(help="Only programmes with this funding, e.g. levy, free, fee.")
    ] = None,
    age: AgeOpt = None,
    employer: Annotated[
        str | None,
        typer.Option(help="With ID: the employer, for who pays: levy-payer, non-levy or small."),
    ] = None,
    staff: Annotated[
        int | None, typer.Option(min=1, help="With ID: how many staff the employer has, for who pays.")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """List training and entry routes (apprenticeships, courses, degrees, placements), or show one
    with who pays, from the funding rules in force today.

    \b
    Example:
      cgtpaths programmes --kind apprenticeship --level 3
      cgtpaths programmes --region scotland
      cgtpaths programmes st1406-science-manufacturing-technician --age 17 --region north-east
      cgtpaths programmes st1406-science-manufacturing-technician --employer small --staff 40
    """
    import datetime as dt

    from cgtpaths import funding as rules

    cat = STATE.catalogue
    if employer is not None and employer not in rules.EMPLOYERS:
        raise UsageError(f"--employer {employer}: say levy-payer, non-levy or small")
    if programme_id is not None:
        from cgtpaths.names import resolve

        programme_id = resolve(cat, "programmes", programme_id)
        programme = cat.programme(programme_id)
        if region is not None:
            cat.region(region)
        who = rules.who_pays(
            cat,
            programme,
            on=dt.date.today(),
            age=age,
            nation=rules.nation_of(cat, region),
            employer=employer,
            employer_staff=staff,
        )
        if json_:
            emit_json(programme=programme, who_pays=who.as_dict())
            return
        from cgtpaths.render import terminal

        show(terminal.programme_page(cat, programme, who))
        return
    if region is not None:
        cat.region(region)
    kinds = sorted({p["kind"] for p in cat.programmes.values()})
    if kind is not None and kind not in kinds:
        raise CgtpathsError(f"no programmes of kind '{kind}'", hint=f"Kinds in the data: {', '.join(kinds)}")
    rows = [
        p
        for p in cat.programmes.values()
        if (kind is None or p["kind"] == kind)
        and (level is None or p["level"] == level)
        and (region is None or cat.serves_region(p, region))
        and (funding is None or any(f["kind"] == funding for f in p["funding"]))
    ]
    if json_:
        emit_json(programmes=rows)
        return
    from cgtpaths.render import terminal

    show(terminal.programme_list(rows))
    if not rows:
        print("No programmes match those filters.", file=sys.stderr)


@app.command()
def backgrounds(
    background_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Show one background in full.", autocompletion=_ids("backgrounds")),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """List the backgrounds people come from (sectors, study stages), or show one with its skills.

    \b
    Example:
      cgtpaths backgrounds
      cgtpaths backgrounds oil-and-gas-process-operator
    """
    cat = STATE.catalogue
    if background_id is not None:
        from cgtpaths.names import resolve

        background_id = resolve(cat, "backgrounds", background_id)
        bg = cat.background(background_id)
        if json_:
            emit_json(background=bg)
            return
        from cgtpaths.render import terminal

        show(terminal.background_page(cat, bg))
        return
    if json_:
        emit_json(backgrounds=list(cat.backgrounds.values()))
        return
    from cgtpaths.render import terminal

    show(terminal.background_list(list(cat.backgrounds.values())))


@app.command()
def skills(
    from_: FromOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    text: TextOpt = None,
    level: LevelOpt = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Check your skills against this role.", autocompletion=_ids("roles")),
    ] = None,
    explain: ExplainOpt = False,
    json_: JsonFlag = False,
) -> None:
    """The skill vocabulary; or, given a profile, which of your skills carry over (and, with --to,
    every skill a role needs marked have / partly / missing).

    \b
    Example:
      cgtpaths skills
      cgtpaths skills --from food-and-drink-qa-technician
      cgtpaths skills --from armed-forces-technician --to facilities-engineer
    """
    cat = STATE.catalogue
    person, text_matches = _profile(from_, skill, profile, text, level, None, None, required=False)
    if not person.skills and not (from_ or skill or profile or text):
        if to is not None:
            raise UsageError("--to needs a profile: add --from BACKGROUND or --skill ID")
        if json_:
            emit_json(skills=list(cat.skills.values()))
            return
        from cgtpaths.render import terminal

        show(terminal.skill_list(list(cat.skills.values())))
        return
    from cgtpaths.render import terminal

    if to is None:
        if json_:
            emit_json(
                profile=person.as_dict(),
                skills=[
                    {"skill": sid, "level": lvl, "roles": cat.valued_by.get(sid, [])}
                    for sid, lvl in sorted(person.skills.items())
                ],
            )
            return
        if explain and text_matches is not None:
            show(terminal.match_list(cat, [], text_matches))
        show(terminal.skills_valued(cat, person))
        return
    from cgtpaths.match import fits

    role = cat.role(to)
    role_fits = fits(cat, person, role)
    if json_:
        from cgtpaths.render.jsonout import fit_dict

        emit_json(profile=person.as_dict(), role=to, skills=[fit_dict(f) for f in role_fits])
        return
    show(terminal.skills_check(cat, role_fits, role))


@app.command()
def regions(json_: JsonFlag = False) -> None:
    """List UK nations and regions, with their CGT clusters and training centres.

    \b
    Example:
      cgtpaths regions
    """
    cat = STATE.catalogue
    if json_:
        emit_json(regions=list(cat.regions.values()))
        return
    from cgtpaths.render import terminal

    show(terminal.region_list(cat))


SEARCH_LIMIT = 200  # characters of a search: a 100 KB query took 17 s at national scale and helps no one


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for, e.g. 'aseptic' or 'quality control'.")],
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many hits.")] = 20,
    json_: JsonFlag = False,
) -> None:
    """Search roles, programmes, skills, backgrounds and regions by title, aliases and text.

    \b
    Example:
      cgtpaths search "quality control"
      cgtpaths search HAZOP
    """
    if len(text) > SEARCH_LIMIT:
        from cgtpaths.errors import shorten

        raise UsageError(
            f"search text '{shorten(text)}' is {len(text):,} characters; give at most {SEARCH_LIMIT}",
            hint="A few words find more than a pasted page.",
        )
    cat = STATE.catalogue
    hits = cat.search(text, limit)
    if json_:
        emit_json(query=text, hits=[h._asdict() for h in hits])
        return
    if not hits:
        from cgtpaths.errors import shorten

        raise CgtpathsError(f"nothing matches '{shorten(text)}'", hint="Try fewer or more general words.")
    from cgtpaths.render import terminal

    show(terminal.search_hits(hits))


# ---- the engine: profile -> roles, skills, pathways --------------------------------------------------


def _profile(
    from_: list[str] | None,
    skill: list[str] | None,
    profile_file: Path | None,
    text_file: Path | None,
    level: int | None,
    region: str | None,
    age: int | None,
    *,
    required: bool = True,
) -> tuple[Any, Any]:
    """Build the profile from every source given; returns it and what was read from the text (a
    cvread.Reading), if a text was given."""
    from cgtpaths import names
    from cgtpaths import profile as prof

    cat = STATE.catalogue
    backgrounds = names.resolve_all(cat, "backgrounds", from_)
    skills = [prof.parse_skill_arg(cat, names.resolve_skill_arg(cat, s)) for s in (skill or [])]
    region = names.resolve(cat, "regions", region) if region is not None else None
    extra: dict[str, int] = {}
    text_matches = None
    if profile_file is not None:
        from cgtpaths.yamlread import read_yaml

        read, problems = read_yaml(profile_file, str(profile_file))
        if read is None:
            raise CgtpathsError(problems[0].render())
        bgs, file_skills, file_level, file_region, file_age = prof.from_mapping(cat, read.data, str(profile_file), read)
        backgrounds += bgs
        extra.update(file_skills)
        level = level if level is not None else file_level
        region = region or file_region
        age = age if age is not None else file_age
    evidence: tuple[str, ...] = ()
    if text_file is not None:
        from cgtpaths import cvread

        reading = cvread.read(cat, _read_text(text_file))
        text_matches = reading
        for found in reading.skills:
            prof.merge_skill(extra, found.skill, found.level)
        if level is None and reading.level is not None and not backgrounds:
            level = reading.level
        evidence = reading.evidence
    if required and not (backgrounds or skills or extra or text_file):
        raise UsageError(
            "say where you are now: give --from BACKGROUND, --skill ID, --profile FILE or --text FILE",
            hint="For example: cgtpaths match --from oil-and-gas-process-operator",
        )
    return prof.build(
        cat,
        backgrounds=backgrounds,
        skills=skills,
        extra=extra,
        level=level,
        region=region,
        age=age,
        extra_evidence=evidence,
    ), text_matches


TEXT_LIMIT = 1024 * 1024  # a CV or job advert; reading stops here, so /dev/zero costs 1 MB, not all memory


def _read_text(path: Path) -> str:
    from cgtpaths.fileio import read_bounded

    try:
        raw = read_bounded(path, TEXT_LIMIT)
    except OSError as exc:
        raise CgtpathsError(f"cannot read '{path}': {exc.strerror or exc}") from None
    if raw is None:
        raise CgtpathsError(f"'{path}' is larger than 1 MB, the most cgtpaths reads from a text file")
    from cgtpaths.fileio import decode_text

    return decode_text(raw, str(path))


@app.command()
def match(
    from_: FromOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    text: TextOpt = None,
    level: LevelOpt = None,
    region: RegionOpt = None,
    age: AgeOpt = None,
    family: Annotated[str | None, typer.Option(help="Only roles in this family, e.g. quality-control.")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many roles to show (more than there are shows all).")] = 5,
    with_: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            help="What if: assume you completed this programme. Repeatable.",
            autocompletion=_ids("programmes"),
        ),
    ] = None,
    explain: ExplainOpt = False,
    any_level: Annotated[
        bool,
        typer.Option("--any-level", help="Rank roles well below or above your level alongside the rest."),
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Every skill to build with its training (the default is a short view).")
    ] = False,
    json_: JsonFlag = False,
    format_: FormatOpt = None,
    output: OutputOpt = None,
    large: LargeOpt = False,
    force: ForceOpt = False,
) -> None:
    """Rank CGT roles for you: score, what carries over, what is missing, and the training for each gap.

    \b
    Example:
      cgtpaths match --from oil-and-gas-process-operator
      cgtpaths match --skill gmp=2 --skill aseptic-technique --level 3 --top 10
      cgtpaths match --text my-cv.txt --explain
      cgtpaths match --from nhs-biomedical-scientist --full
      cgtpaths match --from brewing-and-distilling --with cgt-catapult-aseptic-course
      cgtpaths match --from chemical-process-operator --top 3 -o roles-for-you.pdf
    """
    from cgtpaths.match import match_request

    fmt = _format(format_, output, json_, large, force)
    cat = STATE.catalogue
    person, text_matches = _profile(from_, skill, profile, text, level, region, age)
    from cgtpaths.names import resolve_all

    person, results = match_request(
        cat,
        person,
        completed=resolve_all(cat, "programmes", with_) or with_,
        family=family,
        top=top,
        any_level=any_level,
    )
    if fmt is Format.json:
        from cgtpaths.render.jsonout import match_payload

        extra: dict[str, Any] = {}
        if text_matches is not None:
            extra["text_matches"] = [m._asdict() for m in text_matches.skills]
            extra["text_reading"] = text_matches.as_dict()
        _emit_json(output, **match_payload(person, results), **extra)
        return
    if fmt is not Format.text:
        from cgtpaths.summary import match_page

        _print_pages(
            fmt, output, "Cell and gene therapy roles that could suit you", [match_page(cat, results, person)], large
        )
        return
    from cgtpaths.render import terminal

    _show(
        output,
        terminal.match_list(
            cat, results, text_matches if explain else None, region=person.region, full=full, explain=explain
        ),
    )


@app.command()
def pathway(
    to: Annotated[
        str, typer.Option("--to", help="The role you want (see `cgtpaths roles`).", autocompletion=_ids("roles"))
    ],
    from_: FromOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    text: TextOpt = None,
    level: LevelOpt = None,
    region: RegionOpt = None,
    age: AgeOpt = None,
    json_: JsonFlag = False,
    format_: FormatOpt = None,
    output: OutputOpt = None,
    large: LargeOpt = False,
    force: ForceOpt = False,
    site: SiteOpt = None,
    sources: SourcesOpt = False,
) -> None:
    """The steps from where you are to a role: training, jobs and experience, with months for each.
    With --format html or pdf, a one-page A4 summary to print or hand out. Repeated --from merges
    backgrounds into one person; for one page per student, see `cgtpaths handout`.

    \b
    Example:
      cgtpaths pathway --from oil-and-gas-process-operator --to manufacturing-technician
      cgtpaths pathway --from school-leaver-gcse --to qc-analyst --region north-east
      cgtpaths pathway --from nhs-biomedical-scientist --to qualified-person --json
      cgtpaths pathway --from school-leaver-gcse --to qc-analyst --format html -o qc-analyst.html
      cgtpaths pathway --from school-leaver-gcse --to qc-analyst -o qc-analyst.pdf --large
    """
    from cgtpaths.names import resolve
    from cgtpaths.plan import pathway as plan_pathway

    fmt = _format(format_, output, json_, large, force)
    cat = STATE.catalogue
    to = resolve(cat, "roles", to)
    person, _ = _profile(from_, skill, profile, text, level, region, age)
    result = plan_pathway(cat, person, to)
    if fmt is Format.json:
        from cgtpaths.render.jsonout import pathway_dict

        _emit_json(output, **pathway_dict(result, person))
        return
    if fmt is not Format.text:
        from cgtpaths.summary import PrintOptions, pathway_page, pathway_sources, sources_page

        options = PrintOptions(site=site, sources_page=sources, large=large)
        page = pathway_page(cat, result, person, options=options)
        pages = [page]
        if sources:
            pages.append(sources_page(f"Sources for: {page.title}", pathway_sources(cat, result, person)))
        _print_pages(fmt, output, page.title, pages, large)
        return
    from cgtpaths.render import terminal

    _show(output, terminal.pathway_page(cat, result, person))


@app.command()
def explore(
    from_: FromOpt = None,
    skill: SkillOpt = None,
    level: LevelOpt = None,
    region: RegionOpt = None,
    interest: Annotated[
        list[str] | None,
        typer.Option(
            "--interest",
            help="A kind of work that appeals: making, testing, quality, engineering, data, regulation, "
            "patients, logistics. Repeatable.",
            autocompletion=_interests,
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Go straight to the pathway to this role.", autocompletion=_ids("roles")),
    ] = None,
) -> None:
    """Find the CGT roles that suit you: a few plain-English questions in a terminal (any answer can
    be a flag instead), then the best-fitting roles, and the pathway to the one you open.

    \b
    Example:
      cgtpaths explore
      cgtpaths explore --from oil-and-gas-process-operator --interest making
      cgtpaths explore --from school-leaver-gcse --region north-east --role qc-analyst
    """
    import inspect

    from cgtpaths import explore as guided

    # the printable summary is offered only when `pathway` can write one
    printable = ("--format", "html", "-o", "summary.html") if "format_" in inspect.signature(pathway).parameters else ()
    from cgtpaths import names

    cat = STATE.catalogue
    guided.run(
        cat,
        backgrounds=names.resolve_all(cat, "backgrounds", from_),
        skills=[names.resolve_skill_arg(cat, s) for s in skill or []],
        level=level,
        region=names.resolve(cat, "regions", region) if region else None,
        interests=list(interest or []),
        role=names.resolve(cat, "roles", role) if role else None,
        save_extra=printable,
    )


@app.command()
def feeders(
    role_id: Annotated[
        str, typer.Argument(metavar="ROLE", help="A role id (see `cgtpaths roles`).", autocompletion=_ids("roles"))
    ],
    json_: JsonFlag = False,
) -> None:
    """Which backgrounds feed a role, ranked, with the bridging each needs.

    \b
    Example:
      cgtpaths feeders manufacturing-technician
    """
    from cgtpaths.match import feeders as rank_feeders
    from cgtpaths.names import resolve

    cat = STATE.catalogue
    role_id = resolve(cat, "roles", role_id)
    rows = rank_feeders(cat, role_id)
    if json_:
        from cgtpaths.render.jsonout import match_dict

        emit_json(
            role=role_id, feeders=[{"background": bg["id"], "title": bg["title"], **match_dict(m)} for bg, m in rows]
        )
        return
    from cgtpaths.render import terminal

    show(terminal.feeders_table(cat, rows))


@app.command()
def outlook(
    role_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ROLE]", help="A role id; leave out for the sector as a whole.", autocompletion=_ids("roles")
        ),
    ] = None,
    region: RegionOpt = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", help="Your background id: its pay is shown beside the role's.", autocompletion=_ids("backgrounds")
        ),
    ] = None,
    json_: JsonFlag = False,
    format_: FormatOpt = None,
    output: OutputOpt = None,
    large: LargeOpt = False,
) -> None:
    """Pay, jobs and outlook: official figures for a role (national and regional, pay while training),
    beside your background's pay with --from; with no role, the CGT sector's own counts.

    \b
    Example:
      cgtpaths outlook
      cgtpaths outlook qc-analyst --region north-east
      cgtpaths outlook facilities-engineer --from oil-and-gas-maintenance-technician
      cgtpaths outlook cell-processing-scientist --region north-east -o jobs-and-pay.html
      cgtpaths outlook qc-analyst --json
    """
    from cgtpaths import outlook as core

    fmt = _format(format_, output, json_, large)
    cat = STATE.catalogue
    if role_id is None:
        if from_ is not None:
            raise UsageError(
                "--from compares pay with a role: name the role, e.g. cgtpaths outlook qc-analyst --from ..."
            )
        sector = core.sector_outlook(cat, region)
        if fmt is Format.json:
            _emit_json(output, **core.sector_json(sector))
            return
        if fmt is not Format.text:
            from cgtpaths.outlook_sheet import sector_sheet

            _print_pages(fmt, output, "Jobs in cell and gene therapy", [sector_sheet(sector)], large)
            return
        from cgtpaths.render import terminal

        _show(output, terminal.sector_page(sector))
        return
    view = core.role_outlook(cat, role_id, region, from_)
    if fmt is Format.json:
        _emit_json(output, **core.role_json(view))
        return
    if fmt is not Format.text:
        from cgtpaths.outlook_sheet import role_sheet

        _print_pages(fmt, output, f"Jobs and pay: {view.role['title']}", [role_sheet(view)], large)
        return
    from cgtpaths.render import terminal

    _show(output, terminal.outlook_page(view))


# ---- printable output: --format, -o and --large; the class handout -------------------------------


def _format(format_: Format | None, output: Path | None, json_: bool, large: bool, force: bool = False) -> Format:
    """The output format from --format, --json and -o's suffix; contradictions are usage errors. A
    file -o must not replace is refused now, before any work (fileio.output_target has the rules)."""
    if output is not None:
        from cgtpaths import fileio

        fileio.allow_read_only(force)
        fileio.output_target(output)
    if format_ is None:
        if json_:
            format_ = Format.json
        elif output is None:
            format_ = Format.text
        elif output.suffix.lower() in SUFFIXES:
            format_ = SUFFIXES[output.suffix.lower()]
        else:
            raise UsageError(f"cannot tell the format from '{output.name}'; add --format text, md, html, pdf or json")
    elif json_ and format_ is not Format.json:
        raise UsageError("give either --json or --format, not both")
    if format_ is Format.pdf and output is None:
        raise UsageError("--format pdf writes a file: add -o FILE.pdf")
    if large and format_ not in (Format.html, Format.pdf):
        raise UsageError("--large is for printing: add --format html or --format pdf")
    return format_


def _done(output: Path) -> None:
    from cgtpaths.render.plain import safe

    print(f"wrote {safe(output)}", file=sys.stderr)


def _emit_json(output: Path | None, **payload: Any) -> None:
    if output is None:
        emit_json(**payload)
        return
    from cgtpaths.fileio import write_atomic
    from cgtpaths.render.jsonout import envelope

    write_atomic(output, envelope(STATE.catalogue.dataset, **payload) + "\n")
    _done(output)


def _show(output: Path | None, *renderables: Any) -> None:
    """Terminal text on screen, or the same text without colour in a file."""
    if output is None:
        show(*renderables)
        return
    import io

    from rich.console import Console

    from cgtpaths.fileio import write_atomic

    buffer = io.StringIO()
    out = Console(file=buffer, width=100, color_system=None, highlight=False, emoji=False, markup=False)
    for item in renderables:
        out.print(item)
    write_atomic(output, buffer.getvalue())
    _done(output)


def _print_pages(
    fmt: Format, output: Path | None, title: str, pages: list[Any], large: bool, duplex: bool = False
) -> None:
    """Markdown, HTML or PDF of summary pages, stamped with the dataset version and today's date.

    PDF is typeset by Typst with the shipped font (no browser); with CGTPATHS_CHROMIUM set, the
    HTML is printed by that browser instead, for an adviser who wants exactly what the screen shows.
    """
    import datetime as dt

    from cgtpaths.summary import document

    doc = document(title, pages, STATE.catalogue.dataset, dt.date.today())
    if fmt is Format.pdf and output is not None and not os.environ.get("CGTPATHS_CHROMIUM"):
        from cgtpaths.render.typeset import Options, typeset_pdf

        typeset_pdf(doc, output, Options(large=large, duplex=duplex))
        _done(output)
        return
    if fmt is Format.md:
        from cgtpaths.render.markdown import render as render_md

        text = render_md(doc)
    else:
        from cgtpaths.render.html import render as render_html

        text = render_html(doc, large=large, duplex=duplex)
    if fmt is Format.pdf and output is not None:
        from cgtpaths.render.pdf import write_pdf

        write_pdf(text, output)
    elif output is not None:
        from cgtpaths.fileio import write_atomic

        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        return
    _done(output)


@app.command()
def handout(
    to: Annotated[
        str | None, typer.Option("--to", help="The role every pathway leads to (a class list may set its own).")
    ] = None,
    from_: Annotated[
        list[str] | None,
        typer.Option("--from", help="A background id; repeatable: one pathway, on its own page, for each."),
    ] = None,
    class_list: Annotated[
        Path | None,
        typer.Option(
            "--class",
            help="A class list, CSV (with a header row) or YAML: from, to, and optional name, region, level, age.",
            dir_okay=False,
        ),
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="The region of students whose class list gives none (see `cgtpaths regions`).")
    ] = None,
    format_: Annotated[
        Format | None, typer.Option("--format", help="html (the default), md or pdf; with -o, from the file's suffix.")
    ] = None,
    output: OutputOpt = None,
    large: LargeOpt = False,
    force: ForceOpt = False,
    duplex: Annotated[
        bool, typer.Option("--duplex", help="For double-sided printing: each student starts on a new sheet.")
    ] = False,
    site: SiteOpt = None,
    sources: SourcesOpt = False,
) -> None:
    """A class handout: one printable pathway summary per student, each starting on a new sheet.

    Unlike `pathway`, where repeated --from merges backgrounds into one person, here each --from
    is a different student. A class list names each student's background and target role.

    \b
    Example:
      cgtpaths handout --from school-leaver-gcse --from a-level-or-t-level-student --to qc-analyst -o class.html
      cgtpaths handout --class year13.csv --to manufacturing-technician -o year13.pdf --duplex
      cgtpaths handout --class year13.yaml --format md

    \b
    A class list (CSV):
      name,from,to,region
      Sam,school-leaver-gcse,qc-analyst,north-east
      Priya,a-level-or-t-level-student,manufacturing-technician,
    """
    from cgtpaths import handout as class_handout

    if format_ is None and output is None:
        format_ = Format.html
    fmt = _format(format_, output, False, large, force)
    if fmt not in (Format.html, Format.md, Format.pdf):
        raise UsageError("a handout is for printing: use --format html, md or pdf")
    from cgtpaths import names

    cat = STATE.catalogue
    if region is not None:
        region = names.resolve(cat, "regions", region)
    if to is not None:
        to = names.resolve(cat, "roles", to)
    students = []
    if class_list is not None:
        if class_list.suffix.lower() in (".yaml", ".yml"):
            from cgtpaths.yamlread import read_yaml

            read, problems = read_yaml(class_list, str(class_list))
            if read is None:
                raise CgtpathsError(problems[0].render())
            students += class_handout.from_yaml(read, to, region)
        elif class_list.suffix.lower() in (".csv", ".txt"):
            students += class_handout.from_csv(_read_text(class_list), str(class_list), to, region)
        else:
            raise UsageError(f"--class {class_list.name}: give a .csv or .yaml file")
    students += class_handout.from_flags(list(from_ or []), to, region)
    from cgtpaths.summary import PrintOptions

    pages = class_handout.pages(cat, students, PrintOptions(site=site, sources_page=sources, large=large))
    _print_pages(fmt, output, class_handout.title(cat, students), pages, large, duplex)


# ---- the website -----------------------------------------------------------------------------------


@site_app.command("build")
def site_build(
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write the site into.", file_okay=False)],
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Processes that plan the pathways at once (default: one per core)."),
    ] = None,
) -> None:
    """Build the whole website as static files: every role, programme, background, pathway, region and
    skill, a search box and the skills check. Works from a USB stick (file://) or any static host.
    A failed build leaves the previous folder as it was.

    \b
    Example:
      cgtpaths site build -o site
      cgtpaths --overlay my-college/ site build -o college-site
      cgtpaths site build -o site --jobs 1
      python -m http.server -d site
    """
    from cgtpaths.site.build import build_site

    built = build_site(STATE.catalogue, output, workers=jobs)
    print(f"Wrote {built.pages} pages ({built.bytes / 1e6:.1f} MB) to {built.folder}", file=sys.stderr)
    print(f"Open {built.folder / 'index.html'} in a browser, or preview with: python -m http.server -d {output}")


# ---- data -----------------------------------------------------------------------------------------


@data_app.command("validate")
def data_validate(json_: JsonFlag = False) -> None:
    """Check every data file: syntax, fields, ids and references. Lists every problem with file:line:column.

    \b
    Example:
      cgtpaths data validate
      cgtpaths --data-dir ./my-data data validate --json
      cgtpaths --overlay ./college data validate
    """
    from cgtpaths.errors import DataError
    from cgtpaths.load import load

    try:
        loaded = load(STATE.data_dir, STATE.overlays)
    except DataError as exc:
        if json_:
            from cgtpaths.render.jsonout import envelope

            print(
                envelope(
                    {"source": str(STATE.data_dir or "shipped")},
                    ok=False,
                    errors=[p.as_dict() for p in exc.problems],
                    errors_not_listed=exc.more,  # beyond load.MAX_PROBLEMS, counted only
                )
            )
            raise typer.Exit(Exit.BAD_INPUT) from None
        raise
    counts = {kind: len(recs) for kind, recs in loaded.data.items()}
    if json_:
        from cgtpaths.render.jsonout import envelope

        print(
            envelope(loaded.dataset, ok=True, errors=[], counts=counts, overlays=[o.as_dict() for o in loaded.overlays])
        )
        return
    lines = [f"ok: {len(loaded.files)} files, " + ", ".join(f"{n} {k}" for k, n in counts.items())]
    for report in loaded.overlays:
        for label, table in (("added", report.added), ("replaced", report.replaced)):
            for kind, ids in sorted(table.items()):
                lines.append(f"overlay {report.path}: {label} {len(ids)} {kind}: {', '.join(ids)}")
        if not report.added and not report.replaced:
            lines.append(f"overlay {report.path}: no records")
    from cgtpaths.render.plain import safe

    print("\n".join(safe(x) for x in lines))


@data_app.command("schema")
def data_schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="One file's schema: skills, roles, programmes, backgrounds, regions, qualifications, dataset."
        ),
    ] = None,
    write: Annotated[
        Path | None, typer.Option("--write", help="Write every schema into this folder.", file_okay=False)
    ] = None,
) -> None:
    """Print (or write) the JSON Schemas of the data files, generated from the models.

    \b
    Example:
      cgtpaths data schema roles
      cgtpaths data schema --write data/schema
    """
    from cgtpaths.schema import schemas

    texts = schemas()
    if write is not None:
        from cgtpaths.fileio import write_atomic

        write.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            write_atomic(write / name, text)
        print(f"wrote {len(texts)} schemas to {write}", file=sys.stderr)
        return
    if kind is None:
        raise UsageError("name a file (e.g. `cgtpaths data schema roles`) or give --write DIR")
    name = f"{kind}.schema.json"
    if name not in texts:
        from cgtpaths.errors import unknown_id

        known = sorted(n.removesuffix(".schema.json") for n in texts)
        raise unknown_id("schema", kind, known, listing=f"Schemas: {', '.join(known)}.")
    print(texts[name], end="")


@data_app.command("audit")
def data_audit(json_: JsonFlag = False) -> None:
    """Report stale records, inferred facts, roles with no route in, and skills no programme teaches.

    \b
    Example:
      cgtpaths data audit
    """
    import datetime as dt

    from cgtpaths.audit import CHECKS, audit
    from cgtpaths.load import singular

    cat = STATE.catalogue
    result = audit(cat, dt.date.today())
    if json_:
        emit_json(
            findings=[f.as_dict() for f in result.findings],
            facts=result.facts,
            inferred_facts=result.inferred_facts,
            checks=CHECKS,
            files=result.files,
        )
        return
    from cgtpaths.render.plain import safe

    for name, info in result.files.items():
        if not info["records"]:
            continue
        confidence = ", ".join(f"{k} {v}" for k, v in info["facts_by_confidence"].items()) or "none"
        classes = ", ".join(f"{k} {v}" for k, v in info["sources_by_class"].items())
        ages = "  ".join(f"{label}: {'#' * min(n, 40)} {n}" for label, n in info["months_since_checked"].items() if n)
        print(f"{name}: {info['records']} records; facts by confidence: {confidence}")
        print(f"  sources by class: {classes}; not re-read (via the domain brief): {info['sources_not_reread']}")
        print(f"  months since checked: {ages}")
    groups = result.by_check()
    for check, label in CHECKS.items():
        found = groups.get(check, [])
        print(f"{label}: {len(found)}")
        for f in found:
            print(safe(f"  {singular(f.kind)} {f.id}: {f.detail}"))
    print(f"facts tagged inferred: {result.inferred_facts} of {result.facts} tagged facts")


@data_app.command("stats")
def data_stats(json_: JsonFlag = False) -> None:
    """Count what the dataset holds, by kind, family and confidence.

    \b
    Example:
      cgtpaths data stats
    """
    from cgtpaths.audit import stats

    numbers = stats(STATE.catalogue)
    if json_:
        emit_json(stats=numbers)
        return
    for key, value in numbers.items():
        if isinstance(value, dict):
            print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
        else:
            print(f"{key}: {value}")


@data_app.command("check-standards")
def data_check_standards(
    register: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The apprenticeship standards JSON from Skills England's public API, as downloaded.",
        ),
    ],
    json_: JsonFlag = False,
) -> None:
    """Compare the shipped apprenticeship standards with the official register: level, version, status,
    typical duration and funding band, and the codes the register lacks. Exits 1 when anything differs.
    Reads only the file you give; it fetches nothing.

    \b
    Example:
      cgtpaths data check-standards standards.json
    """
    from cgtpaths import standards

    raw = _read_text(register)
    found = standards.parse(raw, str(register))
    differences, missing = standards.compare(STATE.catalogue, found)
    if json_:
        emit_json(
            differences=[d._asdict() for d in differences],
            missing=[{"standard": code, "programme": pid} for code, pid in missing],
        )
    else:
        from cgtpaths.render.plain import safe

        for d in differences:
            print(safe(d.text()))
        for code, pid in missing:
            print(safe(f"{code} ({pid}): not in the register file (retired, or a wrong code?)"))
        total = len(differences) + len(missing)
        print(f"{total} difference{'s' if total != 1 else ''} against {len(found)} standards in {register}")
    if differences or missing:
        raise typer.Exit(1)


# ---- entry point ----------------------------------------------------------------------------------


def _show_click(exc: Any) -> None:
    """Click's usage message (which quotes what was typed), with control characters made visible."""
    import io

    from cgtpaths.errors import clip_lines
    from cgtpaths.render.plain import safe

    buffer = io.StringIO()
    exc.show(file=buffer)
    sys.stderr.write(clip_lines(safe(buffer.getvalue())))


_ROOT_VALUE_OPTIONS = ("--data-dir", "--overlay")


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command being run registered. typer turns every registered command into
    click objects on each call (~20 ms for all of them); running one needs only its own. Top-level
    help and --version, and an unknown command, run no command: they get the app's listing only
    (_listing). Shell completion and other root options get the whole app, so behave as before."""
    import os

    from cgtpaths.quick import completing

    if completing(os.environ):
        return app
    tokens = iter(args)
    for token in tokens:
        if token in _ROOT_VALUE_OPTIONS:
            next(tokens, None)
        elif token.startswith(tuple(f"{o}=" for o in _ROOT_VALUE_OPTIONS)) or token == "--debug":
            continue
        elif token in ("--help", "-h", "--version"):
            # eager: click acts on them before it looks at any command, so only the listing is needed
            return _listing()
        elif token.startswith("-"):
            return app  # completion options, `--`, unknown options: the whole app
        else:
            return _with_only(token)
    return _listing()  # no command: the top-level help (no_args_is_help)


def _command_name(info: Any) -> str:
    """The name typer gives a command: its explicit name, else the function's with '_' as '-'."""
    return str(info.name or getattr(info.callback, "__name__", "").replace("_", "-"))


def _with_only(name: str) -> typer.Typer:
    import copy

    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return _listing()  # unknown: the listing says so, with the names of the commands
    trimmed = copy.copy(app)
    trimmed.registered_commands = commands
    trimmed.registered_groups = groups
    return trimmed


def _listing() -> typer.Typer:
    """The app for runs that only list the commands: each command keeps its name and help text (the
    top-level help shows the first sentence) but gets a callback with no parameters, so typer has no
    options to build (~25 ms for all of them); `data` keeps its help and none of its commands. The
    callbacks are never called: _app_for uses this only where click runs no command."""
    import copy

    def listed(info: Any) -> Any:
        def never_run() -> None:
            raise AssertionError(f"{_command_name(info)} was run from the command listing")  # pragma: no cover

        never_run.__doc__ = info.callback.__doc__
        stub = copy.copy(info)
        stub.name = _command_name(info)
        stub.callback = never_run
        return stub

    def without_commands(info: Any) -> Any:
        stub = copy.copy(info)
        stub.typer_instance = copy.copy(info.typer_instance)
        stub.typer_instance.registered_commands = []
        stub.typer_instance.registered_groups = []
        return stub

    trimmed = copy.copy(app)
    trimmed.registered_commands = [listed(c) for c in app.registered_commands]
    trimmed.registered_groups = [without_commands(g) for g in app.registered_groups]
    return trimmed


def main(argv: list[str] | None = None) -> NoReturn:
    """The full command line (launch.main answers the quick requests before it comes to this)."""
    from cgtpaths.launch import guarded, prepare_run

    prepare_run()
    code = guarded(lambda: _run(argv), debug=lambda: STATE.debug)
    sys.exit(code if isinstance(code, int) else 0)


def _run(argv: list[str] | None) -> Any:
    """typer's app on the arguments, with click's own failures turned into its message and an exit code."""
    from typer._click import exceptions as click_exc  # typer vendors click since 0.26

    from cgtpaths.launch import interrupted, pipe_closed

    try:
        result = _app_for(sys.argv[1:] if argv is None else argv)(
            args=argv, prog_name="cgtpaths", standalone_mode=False
        )
        if result == Exit.INTERRUPTED:  # typer's silent answer to Ctrl-C, so to SIGTERM and SIGHUP too
            interrupted()
        return result
    except SystemExit as exc:
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            pipe_closed()  # click's own EPIPE handler exits 1, silently; a closed pipe is not an error
        raise
    except click_exc.UsageError as exc:
        _show_click(exc)
        sys.exit(Exit.USAGE)
    except typer.Abort:  # end of input at a prompt, Ctrl-C, SIGTERM, SIGHUP
        interrupted()
    except click_exc.ClickException as exc:
        _show_click(exc)
        sys.exit(exc.exit_code)
