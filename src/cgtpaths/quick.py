"""The quick path: `cgtpaths match` answered without typer, for the command lines it is run with most.

Importing typer (and the click it carries) costs four to six times a bare interpreter start, on
every run, before any of our code runs (docs/performance.md). A script ranking roles for a class,
an adviser trying one background after another and a shell loop all pay that per call. So this
module reads one plain shape of command line, exactly as typer would read it:

    cgtpaths [--data-dir DIR] [--overlay DIR]... match [--from ID]... [--skill ID[=LEVEL]]...
             [--with ID]... [--level N] [--region ID] [--age N] [--family NAME] [--top N] [--json]

and answers it with the same calls and renderers as `cli.match`. Anything else (help, another
option, a value that looks like an option, an option given twice, a number typer would read
differently) returns None, and the full command line runs it: help and usage messages have one
home. An error in what was asked (an unknown id, a broken data file) comes from the same call as on
the full path, so it reads the same. tests/test_quick.py checks that both paths print the same.
"""

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT_PATHS = ("--data-dir", "--overlay")
LISTS = ("--from", "--skill", "--with")  # repeatable
SINGLES = ("--level", "--region", "--age", "--family", "--top")
FLAGS = ("--json",)
LEVELS = range(9)  # --level: RQF 0-8, as cli.LevelOpt's min and max


class Request:
    """A `match` command line the quick path can answer."""

    def __init__(self) -> None:
        self.data_dir: Path | None = None
        self.overlays: list[Path] = []
        self.lists: dict[str, list[str]] = {name: [] for name in LISTS}
        self.singles: dict[str, str] = {}
        self.json = False

    def number(self, name: str) -> int | None:
        value = self.singles.get(name)
        return None if value is None else int(value)


def read(args: Sequence[str], environ: Mapping[str, str]) -> Request | None:
    """The request in these arguments, or None when they are not the quick path's shape."""
    if completing(environ):
        return None  # shell completion: typer's protocol
    request = Request()
    tokens = list(args)
    if "match" not in tokens:
        return None
    split = tokens.index("match")
    root = _options(tokens[:split], ROOT_PATHS, ())
    options = _options(tokens[split + 1 :], LISTS + SINGLES, FLAGS)
    if root is None or options is None:
        return None
    for name, value in root:
        path = _directory(value)
        if path is None:
            return None
        if name == "--data-dir":
            if request.data_dir is not None:
                return None
            request.data_dir = path
        else:
            request.overlays.append(path)
    if request.data_dir is None and environ.get("CGTPATHS_DATA_DIR"):  # typer reads an empty one as unset
        request.data_dir = _directory(environ["CGTPATHS_DATA_DIR"])
        if request.data_dir is None:
            return None
    for name, value in options:
        if name in FLAGS:
            request.json = True
        elif name in LISTS:
            request.lists[name].append(value)
        elif name in request.singles:
            return None  # typer keeps the last; rare enough to leave to it
        else:
            request.singles[name] = value
    for name in ("--level", "--age", "--top"):
        digits = request.singles.get(name)
        if digits is not None and not (digits.isascii() and digits.isdigit() and len(digits) <= 4):
            return None  # a sign, spaces, '_', other digits, or thousands of them: typer's message
    level, top = request.number("--level"), request.number("--top")
    if (level is not None and level not in LEVELS) or (top is not None and top < 1):
        return None
    if not (request.lists["--from"] or request.lists["--skill"]):
        return None  # "say where you are now": the full command line's message
    return request


# The commands typer has (cli.py; a test checks the two agree) and its help options.
COMMANDS = (
    "roles", "programmes", "backgrounds", "skills", "regions", "search", "match", "pathway", "explore",
    "feeders", "handout", "outlook", "data", "site",
)  # fmt: skip
HELP = ("--help", "-h")


def help_request(args: Sequence[str], environ: Mapping[str, str]) -> tuple[str, int] | None:
    """(the command, or "" for the top level; the width click lays the text out at) for a plain
    `cgtpaths --help` or `cgtpaths COMMAND --help`, whose text cache.read_help may hold; else None."""
    if completing(environ):
        return None
    if len(args) == 1 and args[0] in HELP:
        command = ""
    elif len(args) == 2 and args[0] in COMMANDS and args[1] in HELP:
        command = args[0]
    else:
        return None
    return command, max(min(terminal_columns(environ), 80) - 2, 50)  # click's HelpFormatter


def terminal_columns(environ: Mapping[str, str]) -> int:
    """shutil.get_terminal_size().columns, as click asks it, without importing shutil (~3 ms)."""
    import sys

    try:
        columns = int(environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


def completing(environ: Mapping[str, str]) -> bool:
    """Is this run the shell asking typer for completions?"""
    return any(key.startswith("_CGTPATHS_COMPLETE") or key == "_TYPER_COMPLETE_ARGS" for key in environ)


def _options(tokens: list[str], valued: tuple[str, ...], flags: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """(name, value) for each option, as click reads `--name value` and `--name=value`; None at the
    first token that is not one of these options or whose value could be read as an option."""
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        name, equals, value = token.partition("=")
        if token in flags:
            out.append((token, ""))
        elif name in valued and equals:
            out.append((name, value))
        elif token in valued and position + 1 < len(tokens):
            position += 1
            value = tokens[position]
            out.append((token, value))
        else:
            return None
        if value.startswith("-"):
            return None
        position += 1
    return out


def _directory(value: str) -> Path | None:
    """The folder typer would pass for a `file_okay=False` path option, or None where it would refuse
    it (an existing file)."""
    try:
        found = os.stat(value)
    except (OSError, ValueError):
        return Path(value)  # a missing or unreadable folder is the loader's to report, as on the full path
    if stat.S_ISREG(found.st_mode):
        return None
    return Path(value)


def answer(args: Sequence[str]) -> Callable[[], None] | None:
    """What prints the answer to these arguments, worked out in full before anything is printed; None
    when the full command line should run them instead. An error (an unknown id, a broken data file)
    is raised as the full command line raises it: the same call, in the same order, on the same data."""
    request = read(args, os.environ)
    return None if request is None else _printer(request)


def _printer(request: Request) -> Callable[[], None]:
    from cgtpaths.load import open_catalogue
    from cgtpaths.match import match_request
    from cgtpaths.profile import build, parse_skill_arg

    cat, _ = open_catalogue(request.data_dir, tuple(request.overlays))
    # names as people type them ("oil and gas process operator", "Newcastle"), as cli._profile takes them
    from cgtpaths import names

    region = request.singles.get("--region")
    person = build(
        cat,
        backgrounds=names.resolve_all(cat, "backgrounds", request.lists["--from"]),
        skills=[parse_skill_arg(cat, names.resolve_skill_arg(cat, s)) for s in request.lists["--skill"]],
        extra={},
        level=request.number("--level"),
        region=names.resolve(cat, "regions", region) if region is not None else None,
        age=request.number("--age"),
    )
    top = request.number("--top")
    person, results = match_request(
        cat,
        person,
        completed=names.resolve_all(cat, "programmes", request.lists["--with"]),
        family=request.singles.get("--family"),
        top=5 if top is None else top,
    )
    if request.json:
        from cgtpaths.render.jsonout import envelope, match_payload

        text = envelope(cat.dataset, **match_payload(person, results))
        return lambda: print(text)
    from cgtpaths.render import terminal

    shown: Any = terminal.match_list(cat, results, None, region=person.region)
    return lambda: terminal.print_all(shown)
