"""A class handout: one pathway summary per student, each printed on its own page.

Students come from repeated `--from` flags (one pathway per background, all to `--to`) and/or a
class list the CLI has read: CSV with a header row, or YAML (a list of mappings, or
`students:` holding one). Columns: `from` (a background id, required), `to` (a role id; else
`--to`), and optional `name`, `region`, `level` (RQF 0-8) and `age`. This is why `handout`
is its own command: on `pathway`, repeated `--from` merges backgrounds into one person's profile.
Pure: parsing works on text or parsed YAML, never on files.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cgtpaths.errors import CgtpathsError, UsageError, shorten

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.render.document import Page
    from cgtpaths.summary import PrintOptions
    from cgtpaths.yamlread import ReadFile

COLUMNS = ("name", "from", "to", "region", "level", "age")
MAX_STUDENTS = 300


@dataclass(frozen=True)
class Student:
    where: str  # for messages: "class.csv:4" or "--from school-leaver-gcse"
    background: str
    role: str
    name: str | None = None
    region: str | None = None
    level: int | None = None
    age: int | None = None


def from_flags(backgrounds: list[str], role: str | None, region: str | None) -> list[Student]:
    if backgrounds and role is None:
        raise UsageError("--from in a handout needs --to ROLE (the role every pathway leads to)")
    return [Student(f"--from {bg}", bg, role or "", region=region) for bg in backgrounds]


MAX_CELL = 200  # characters in one cell: a name, an id, a number


def from_csv(text: str, name: str, role: str | None, region: str | None) -> list[Student]:
    """Students from a CSV class list, as spreadsheets save it: any line endings (CR alone, from an
    old Mac Excel, too), a quoted cell that is never closed or a column named twice reported by line."""
    # the text is at most 1 MB (cli._read_text): csv's own 128 KB limit per cell would be an error, not a message
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=None), strict=True)
    try:
        return _rows(reader, name, role, region)
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise CgtpathsError(
                f"{name}:{reader.line_num}: a quoted cell is never closed: a '\"' starts it and no '\"' ends it",
                hint="Close the quote, or remove it.",
            ) from None
        raise CgtpathsError(f"{name}:{reader.line_num}: not a CSV row cgtpaths can read ({exc})") from None


def _rows(reader: csv.DictReader[str], name: str, role: str | None, region: str | None) -> list[Student]:
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if "from" not in header:
        raise CgtpathsError(f"{name}:1: the first row must name the columns, including 'from'", hint=_COLUMNS_HINT)
    unknown = [shorten(h) for h in header if h not in COLUMNS]
    if unknown:
        raise CgtpathsError(f"{name}:1: unknown column(s) {', '.join(unknown)}", hint=_COLUMNS_HINT)
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise CgtpathsError(
            f"{name}:1: column {', '.join(repr(h) for h in twice)} is named more than once; keep one of each"
        )
    reader.fieldnames = header
    out = []
    for row in reader:
        if None in row:
            raise CgtpathsError(f"{name}:{reader.line_num}: more cells than column names")
        values = {k: (v or "").strip() for k, v in row.items()}
        for key, value in values.items():
            if len(value) > MAX_CELL:
                raise CgtpathsError(
                    f"{name}:{reader.line_num}: the '{key}' cell is {len(value):,} characters; at most {MAX_CELL}"
                )
        if not any(values.values()):
            continue
        out.append(_student(f"{name}:{reader.line_num}", values, role, region))
        _not_too_many(out, name)
    return out


def from_yaml(read: ReadFile, role: str | None, region: str | None) -> list[Student]:
    data = read.data
    prefix: tuple[str, ...]
    if isinstance(data, dict) and set(data) == {"students"}:
        data, prefix = data["students"], ("students",)
    else:
        prefix = ()
    if not isinstance(data, list):
        raise CgtpathsError(f"{read.name}: a class list is a list of students (or 'students:' holding one)")
    out = []
    for i, item in enumerate(data):
        where = f"{read.name}:{read.locate((*prefix, i))[0] + 1}"
        if not isinstance(item, dict):
            raise CgtpathsError(f"{where}: each student is a mapping such as {{name: Sam, from: school-leaver-gcse}}")
        unknown = sorted(str(k) for k in item if k not in COLUMNS)
        if unknown:
            raise CgtpathsError(f"{where}: unknown key(s) {', '.join(unknown)}", hint=_COLUMNS_HINT)
        values = {k: "" if v is None else str(v).strip() for k, v in item.items()}
        out.append(_student(where, values, role, region))
        _not_too_many(out, read.name)
    return out


_COLUMNS_HINT = "Columns: from (a background id), to (a role id), and optional name, region, level, age."


def _not_too_many(students: list[Student], name: str) -> None:
    if len(students) > MAX_STUDENTS:
        raise CgtpathsError(f"{name}: more than {MAX_STUDENTS} students; split the class list")


def _number(where: str, values: dict[str, str], key: str, low: int, high: int) -> int | None:
    raw = values.get(key, "")
    if not raw:
        return None
    # ASCII digits only: '²' and '①' pass isdigit() but not int()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3) or not low <= int(raw) <= high:
        raise CgtpathsError(f"{where}: '{key}' must be a whole number from {low} to {high}, not '{shorten(raw)}'")
    return int(raw)


def _student(where: str, values: dict[str, str], role: str | None, region: str | None) -> Student:
    background = values.get("from", "")
    if not background:
        raise CgtpathsError(f"{where}: 'from' is empty; give a background id (see `cgtpaths backgrounds`)")
    target = values.get("to") or role
    if not target:
        raise CgtpathsError(f"{where}: no role: fill in 'to' or give --to ROLE")
    return Student(
        where,
        background,
        target,
        name=values.get("name") or None,
        region=values.get("region") or region,
        level=_number(where, values, "level", 0, 8),
        age=_number(where, values, "age", 14, 99),
    )


def pages(cat: Catalogue, students: list[Student], options: PrintOptions | None = None) -> list[Page]:
    """Plan each student's pathway; an unknown id or an impossible pathway names its row. With
    options.sources_page, one page after them lists every source they cite."""
    from cgtpaths.names import resolve
    from cgtpaths.plan import pathway
    from cgtpaths.profile import build
    from cgtpaths.summary import PrintOptions, pathway_page, pathway_sources, sources_page

    options = options or PrintOptions()

    if not students:
        raise UsageError(
            "a handout needs students: give --from BACKGROUND (repeatable) with --to ROLE, or --class FILE"
        )
    out = []
    cited: dict[str, dict[str, object]] = {}
    planned: dict[tuple[object, ...], tuple[Any, Any]] = {}  # a class shares a few starts and targets
    for s in students:
        try:
            # a class list may name backgrounds, roles and places as people say them
            background, role = resolve(cat, "backgrounds", s.background), resolve(cat, "roles", s.role)
            region = resolve(cat, "regions", s.region) if s.region else None
            key = (background, role, s.level, region, s.age)
            if key not in planned:
                person = build(cat, backgrounds=[background], level=s.level, region=region, age=s.age)
                planned[key] = (person, pathway(cat, person, role))
            person, plan = planned[key]
            out.append(pathway_page(cat, plan, person, name=s.name, options=options))
            for source in pathway_sources(cat, plan, person):
                cited.setdefault(source["url"], source)
        except CgtpathsError as exc:
            raise CgtpathsError(f"{s.where}: {exc.message}", hint=exc.hint, exit_code=exc.exit_code) from None
    if options.sources_page:
        out.append(sources_page("Sources for these summaries", list(cited.values())))
    return out


def title(cat: Catalogue, students: list[Student]) -> str:
    roles = {s.role for s in students}
    if len(roles) == 1:
        return f"Pathways to {cat.title('roles', roles.pop())}: {len(students)} summaries"
    return f"Class handout: {len(students)} pathway summaries"
