"""The command line: parse, call the core, render. The one place errors become exit codes."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

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

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one versioned JSON object instead of text.")]


@dataclass
class State:
    data_dir: Path | None = None
    overlays: tuple[Path, ...] = ()
    debug: bool = False
    _cache: tuple[Catalogue, Loaded] | None = field(default=None, repr=False)

    def open(self) -> tuple[Catalogue, Loaded]:
        if self._cache is None:
            from cgtpaths.load import open_catalogue

            self._cache = open_catalogue(self.data_dir, self.overlays)
        return self._cache

    @property
    def catalogue(self) -> Catalogue:
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
        ),
    ] = None,
    overlay: Annotated[
        list[Path] | None,
        typer.Option(
            "--overlay",
            help="Add or replace records from this folder (repeatable), e.g. a college's courses.",
            file_okay=False,
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
    from cgtpaths.render.terminal import console

    out = console()
    for item in renderables:
        out.print(item)


# ---- browse ---------------------------------------------------------------------------------------


@app.command()
def roles(
    role_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Show one role in full.")] = None,
    family: Annotated[str | None, typer.Option(help="Only roles in this family, e.g. quality-control.")] = None,
    json_: JsonFlag = False,
) -> None:
    """List CGT roles, or show one: entry level, routes in, skills, gates, progression, salary, sources.

    \b
    Example:
      cgtpaths roles
      cgtpaths roles manufacturing-technician
      cgtpaths roles --family quality-control --json
    """
    cat = STATE.catalogue
    if role_id is not None:
        role = cat.role(role_id)
        if json_:
            emit_json(role=role, entry_routes=cat.entry_routes.get(role_id, []))
            return
        from cgtpaths.render import terminal

        show(terminal.role_page(cat, role))
        return
    rows = [r for r in cat.roles.values() if family is None or r["family"] == family]
    if family is not None and not rows:
        families = sorted({r["family"] for r in cat.roles.values()})
        raise CgtpathsError(f"no roles in family '{family}'", hint=f"Families: {', '.join(families)}")
    if json_:
        emit_json(roles=rows)
        return
    from cgtpaths.render import terminal

    show(terminal.role_list(rows))


@app.command()
def programmes(
    programme_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Show one programme in full.")] = None,
    kind: Annotated[str | None, typer.Option(help="e.g. apprenticeship, degree-apprenticeship, short-course.")] = None,
    level: Annotated[int | None, typer.Option(min=0, max=8, help="Only programmes at this RQF level.")] = None,
    region: Annotated[str | None, typer.Option(help="Only programmes open to someone in this region.")] = None,
    funding: Annotated[
        str | None, typer.Option(help="Only programmes with this funding, e.g. levy, free, fee.")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """List training and entry routes (apprenticeships, courses, degrees, placements), or show one.

    \b
    Example:
      cgtpaths programmes --kind apprenticeship --level 3
      cgtpaths programmes --region scotland
      cgtpaths programmes st1406-science-manufacturing-technician
    """
    cat = STATE.catalogue
    if programme_id is not None:
        programme = cat.programme(programme_id)
        if json_:
            emit_json(programme=programme)
            return
        from cgtpaths.render import terminal

        show(terminal.programme_page(cat, programme))
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
    background_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Show one background in full.")] = None,
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
    to: Annotated[str | None, typer.Option("--to", help="Check your skills against this role.")] = None,
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
    cat = STATE.catalogue
    hits = cat.search(text, limit)
    if json_:
        emit_json(query=text, hits=[h.__dict__ for h in hits])
        return
    if not hits:
        raise CgtpathsError(f"nothing matches '{text}'", hint="Try fewer or more general words.")
    from cgtpaths.render import terminal

    show(terminal.search_hits(hits))


# ---- the engine: profile -> roles, skills, pathways --------------------------------------------------

FromOpt = Annotated[
    list[str] | None,
    typer.Option("--from", help="Where you are now: a background id (see `cgtpaths backgrounds`). Repeatable."),
]
SkillOpt = Annotated[
    list[str] | None,
    typer.Option("--skill", help="A skill you have, as ID or ID=LEVEL (1 aware, 2 practised, 3 expert). Repeatable."),
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
RegionOpt = Annotated[str | None, typer.Option(help="Where you are in the UK (see `cgtpaths regions`).")]
AgeOpt = Annotated[int | None, typer.Option(help="Your age, to check age-limited funding.")]
ExplainOpt = Annotated[bool, typer.Option("--explain", help="Show which words in --text matched which skill.")]


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
) -> tuple[Any, list[Any] | None]:
    """Build the profile from every source given; returns it and any text matches."""
    from cgtpaths import profile as prof

    cat = STATE.catalogue
    backgrounds = list(from_ or [])
    skills = [prof.parse_skill_arg(cat, s) for s in (skill or [])]
    extra: dict[str, int] = {}
    text_matches = None
    if profile_file is not None:
        from cgtpaths.yamlread import read_yaml

        read, problems = read_yaml(profile_file, str(profile_file))
        if read is None:
            raise CgtpathsError(problems[0].render())
        bgs, file_skills, file_level, file_region, file_age = prof.from_mapping(cat, read.data, str(profile_file))
        backgrounds += bgs
        extra.update(file_skills)
        level = level if level is not None else file_level
        region = region or file_region
        age = age if age is not None else file_age
    if text_file is not None:
        text = _read_text(text_file)
        text_matches = prof.match_text(cat, text)
        for m in text_matches:
            prof.merge_skill(extra, m.skill, 2)
    if required and not (backgrounds or skills or extra or text_file):
        raise UsageError(
            "say where you are now: give --from BACKGROUND, --skill ID, --profile FILE or --text FILE",
            hint="For example: cgtpaths match --from oil-and-gas-process-operator",
        )
    return prof.build(
        cat, backgrounds=backgrounds, skills=skills, extra=extra, level=level, region=region, age=age
    ), text_matches


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CgtpathsError(f"cannot read '{path}': {exc.strerror or exc}") from None
    if len(raw) > 5 * 1024 * 1024:
        raise CgtpathsError(f"'{path}' is larger than 5 MB; give a CV or job advert as plain text")
    return raw.decode("utf-8", errors="replace")


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
        list[str] | None, typer.Option("--with", help="What if: assume you completed this programme. Repeatable.")
    ] = None,
    explain: ExplainOpt = False,
    json_: JsonFlag = False,
) -> None:
    """Rank CGT roles for you: score, what carries over, what is missing, and the training for each gap.

    \b
    Example:
      cgtpaths match --from oil-and-gas-process-operator
      cgtpaths match --skill gmp=2 --skill aseptic-technique --level 3 --top 10
      cgtpaths match --text my-cv.txt --explain
      cgtpaths match --from brewing-and-distilling --with cgt-catapult-aseptic-course
    """
    from cgtpaths import match as engine
    from cgtpaths.profile import with_programmes

    cat = STATE.catalogue
    person, text_matches = _profile(from_, skill, profile, text, level, region, age)
    if with_:
        person = with_programmes(cat, person, with_)
    if family is not None and family not in {r["family"] for r in cat.roles.values()}:
        raise CgtpathsError(
            f"no roles in family '{family}'",
            hint="Families: " + ", ".join(sorted({r["family"] for r in cat.roles.values()})),
        )
    results = engine.match(cat, person, family=family, top=top)
    if json_:
        from cgtpaths.render.jsonout import match_dict

        extra: dict[str, Any] = {}
        if text_matches is not None:
            extra["text_matches"] = [m.__dict__ for m in text_matches]
        emit_json(profile=person.as_dict(), matches=[match_dict(m) for m in results], **extra)
        return
    from cgtpaths.render import terminal

    show(terminal.match_list(cat, results, text_matches if explain else None))


@app.command()
def pathway(
    to: Annotated[str, typer.Option("--to", help="The role you want (see `cgtpaths roles`).")],
    from_: FromOpt = None,
    skill: SkillOpt = None,
    profile: ProfileOpt = None,
    text: TextOpt = None,
    level: LevelOpt = None,
    region: RegionOpt = None,
    age: AgeOpt = None,
    json_: JsonFlag = False,
) -> None:
    """The steps from where you are to a role: training, jobs and experience, with months for each.

    \b
    Example:
      cgtpaths pathway --from oil-and-gas-process-operator --to manufacturing-technician
      cgtpaths pathway --from school-leaver-gcse --to qc-analyst --region north-east
      cgtpaths pathway --from nhs-biomedical-scientist --to qualified-person --json
    """
    from cgtpaths.plan import pathway as plan_pathway

    cat = STATE.catalogue
    cat.role(to)
    person, _ = _profile(from_, skill, profile, text, level, region, age)
    result = plan_pathway(cat, person, to)
    if json_:
        from cgtpaths.render.jsonout import pathway_dict

        emit_json(**pathway_dict(result, person))
        return
    from cgtpaths.render import terminal

    show(terminal.pathway_page(cat, result, person))


@app.command()
def feeders(
    role_id: Annotated[str, typer.Argument(metavar="ROLE", help="A role id (see `cgtpaths roles`).")],
    json_: JsonFlag = False,
) -> None:
    """Which backgrounds feed a role, ranked, with the bridging each needs.

    \b
    Example:
      cgtpaths feeders manufacturing-technician
    """
    from cgtpaths.match import feeders as rank_feeders

    cat = STATE.catalogue
    rows = rank_feeders(cat, role_id)
    if json_:
        from cgtpaths.render.jsonout import match_dict

        emit_json(
            role=role_id, feeders=[{"background": bg["id"], "title": bg["title"], **match_dict(m)} for bg, m in rows]
        )
        return
    from cgtpaths.render import terminal

    show(terminal.feeders_table(cat, rows))


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
                    {"source": str(STATE.data_dir or "shipped")}, ok=False, errors=[p.as_dict() for p in exc.problems]
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

        raise unknown_id("schema", kind, sorted(n.removesuffix(".schema.json") for n in texts))
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

    cat = STATE.catalogue
    result = audit(cat, dt.date.today())
    if json_:
        emit_json(
            findings=[f.as_dict() for f in result.findings],
            facts=result.facts,
            inferred_facts=result.inferred_facts,
            checks=CHECKS,
        )
        return
    from cgtpaths.render.plain import safe

    groups = result.by_check()
    for check, label in CHECKS.items():
        found = groups.get(check, [])
        print(f"{label}: {len(found)}")
        for f in found:
            print(safe(f"  {f.kind[:-1]} {f.id}: {f.detail}"))
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


# ---- entry point ----------------------------------------------------------------------------------


def _fail(message: str, code: int) -> NoReturn:
    print(f"cgtpaths: {message}", file=sys.stderr)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; expected failures become one message and an exit code, never a traceback."""
    from typer._click import exceptions as click_exc  # typer vendors click since 0.26

    try:
        code = app(args=argv, prog_name="cgtpaths", standalone_mode=False)
    except CgtpathsError as exc:
        _fail(f"error: {exc}", int(exc.exit_code))
    except click_exc.UsageError as exc:
        exc.show()
        sys.exit(Exit.USAGE)
    except typer.Abort:  # end of input at a prompt
        _fail("interrupted", Exit.INTERRUPTED)
    except KeyboardInterrupt:
        _fail("interrupted", Exit.INTERRUPTED)
    except click_exc.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a message
        sys.exit(0)
    except Exception as exc:
        if STATE.debug:
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in cgtpaths. Run again with --debug "
            "for details and report it with the command you ran.",
            70,
        )
    sys.exit(code if isinstance(code, int) else 0)


_ = Literal  # keep typing import used for future choice types
