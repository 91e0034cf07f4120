"""Injection and privacy: strings from the data or the user are never interpreted, in any format;
the tool opens no network connection and writes nowhere but the file it was asked to write and its
own cache.

The data strings carry rich markup ([bold], [/], :smile:), HTML (<script>, onerror=), Markdown
control characters (| * # _ `) and terminal control sequences (ANSI colour, an OSC 8 hyperlink,
carriage return, bell, DEL and the 8-bit CSI). Each output format must show them literally (JSON,
as the same string; terminal, Markdown and HTML, with control characters made visible as \\x1b).

docs/reliability.md states how many (command, format) pairs are checked (scripts/reliability_counts.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from tests.conftest import DATA, MINI, run

from cgtpaths.render.plain import safe

NASTY = (
    "[bold]x[/] [/] [/nope] :smile: <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "| * # _u_ `c` &amp; \x1b[31mred\x1b[0m \x1b]8;;http://e.vil\x07link\x1b]8;;\x07 \r over \x07 bell \x9b2J \x7f"
)
VISIBLE = safe(NASTY)  # what a person must see: the text as written, control characters as \x1b
SHORT = "[b]x[/] :dna: <i>|*#\x1b[2J\a"  # skill aliases are limited to 80 characters
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # never raw on stdout (tab and newline are fine)


class NoAliases(yaml.SafeDumper):
    """Writes a value used twice in full (data files may not hold anchors and aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An overlay on the tiny dataset: every record a command shows, retitled with NASTY."""
    overlay = tmp_path_factory.mktemp("nasty")
    seen = dt.date(2026, 11, 25)
    src = [{"url": "https://example.org/x", "title": NASTY, "seen": seen}]
    kinds = ("skills", "roles", "programmes", "backgrounds", "regions")
    base = {kind: yaml.safe_load((MINI / f"{kind}.yaml").read_text())[kind] for kind in kinds}
    for rec in base["skills"]:
        rec.update(name=f"{rec['name']} {NASTY}", description=NASTY, aliases=[*rec["aliases"], SHORT], sources=src)
    for rec in base["roles"]:
        rec.update(title=NASTY if rec["id"] == "technician" else rec["title"], summary=NASTY, also_called=[NASTY])
        rec["sources"] = src
    for rec in base["programmes"]:
        rec.update(title=NASTY, provider=NASTY, locations=[NASTY], sources=src)
    for rec in base["backgrounds"]:
        rec.update(title=NASTY, sector=NASTY, sources=src)
        rec["notes"] = [{"text": NASTY, "confidence": "inferred"}]
    for rec in base["regions"]:
        rec.update(name=NASTY, clusters=[NASTY], centres=[NASTY], sources=src)
    for kind, items in base.items():
        text = yaml.dump({kind: items}, Dumper=NoAliases, sort_keys=False)
        (overlay / f"{kind}.yaml").write_text(text, encoding="utf-8")
    assert run("--data-dir", str(MINI), "--overlay", str(overlay), "data", "validate").code == 0
    return overlay


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "10000")  # no wrapping, so the long string can be found whole


PROFILE = ("--from", "operator")
PATHWAY = ("pathway", *PROFILE, "--to", "technician")
# commands that show the data's strings (the audit shows ids and findings: it is checked for raw controls)
TEXT_COMMANDS: list[tuple[str, ...]] = [
    ("roles",),
    ("roles", "technician"),
    ("programmes",),
    ("programmes", "aseptic-course"),
    ("backgrounds",),
    ("backgrounds", "operator"),
    ("skills",),
    ("skills", *PROFILE, "--to", "technician"),
    ("regions",),
    ("search", "technician"),
    ("match", *PROFILE),
    PATHWAY,
    ("explore", *PROFILE, "--role", "technician"),
    ("feeders", "technician"),
    ("outlook", "technician", "--from", "operator"),
    ("data", "audit"),
]
JSON_COMMANDS: list[tuple[str, ...]] = [
    c for c in TEXT_COMMANDS if c[0] not in ("explore", "data") or c == ("data", "audit")
] + [("data", "validate")]
PRINT_COMMANDS: list[tuple[str, ...]] = [
    ("roles",),
    ("roles", "technician"),
    PATHWAY,
    ("handout", "--from", "operator", "--to", "technician"),
    ("outlook", "technician", "--region", "north"),
]
FORMATS = ("text", "json", "md", "html")


def nasty_run(overlay: Path, *args: str) -> Any:
    result = run("--data-dir", str(MINI), "--overlay", str(overlay), *args)
    assert result.code == 0, result.err
    return result


def counts() -> dict[str, int]:
    """How many (command, format) pairs the injection tests check, for docs/reliability.md."""
    return {
        "formats": len(FORMATS),
        "checks": len(TEXT_COMMANDS) + 1 + len(JSON_COMMANDS) + 2 * len(PRINT_COMMANDS),
    }


# ---- the terminal ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=" ".join)
def test_terminal_shows_data_literally(args: tuple[str, ...], nasty: Path, wide: None) -> None:
    result = nasty_run(nasty, *args)
    assert not RAW_CONTROL.search(result.out), repr(RAW_CONTROL.search(result.out))
    assert "😄" not in result.out and "🧬" not in result.out  # :smile: and :dna: stay words
    if args[0] != "data":  # (the audit lists ids and findings, not titles)
        assert VISIBLE in result.out, result.out[:3000]  # the whole string, markup and all, on one line


def test_a_colour_terminal_gets_only_our_own_styling(nasty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "10000")
    result = nasty_run(nasty, "roles", "technician")
    sequences = set(re.findall(r"\x1b[^a-zA-Z]*[a-zA-Z]?", result.out))
    assert sequences, "FORCE_COLOR should give colour, or this test proves nothing"
    assert all(re.fullmatch(r"\x1b\[[0-9;]*m", s) for s in sequences), sequences  # colours only: no OSC 8
    assert not RAW_CONTROL.search(re.sub(r"\x1b\[[0-9;]*m", "", result.out))  # and nothing else raw
    assert "\\x1b[31mred" in result.out and "[bold]x[/] [/]" in result.out


# ---- JSON ------------------------------------------------------------------------------------------------


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=" ".join)
def test_json_carries_data_exactly(args: tuple[str, ...], nasty: Path) -> None:
    result = nasty_run(nasty, *args, "--json")
    body = result.json()
    assert body["schema_version"] == 1
    found = list(strings(body))
    if args not in (("data", "validate"), ("data", "audit")):
        assert any(NASTY in s for s in found)  # the same string, not an escaped copy
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", result.out)  # JSON escapes C0 controls as \u001b


def test_json_escapes_del_and_c1_controls(nasty: Path) -> None:
    result = nasty_run(nasty, "roles", "technician", "--json")
    assert result.json()["role"]["title"] == NASTY
    assert not RAW_CONTROL.search(result.out)


# ---- Markdown and HTML -------------------------------------------------------------------------------


class Page(HTMLParser):
    """An HTML page's tags, attribute names, link targets and runs of text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        self.hrefs += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(html: str) -> None:
    """The string arrives whole, in one run of text (emphasis, code or a link made from any part of it
    would split the run), and it makes no tag, attribute or link."""
    page = Page()
    page.feed(html)
    assert any(VISIBLE in t for t in page.text)
    assert "script" not in page.tags and "img" not in page.tags
    assert not any(a.startswith("on") for a in page.attrs) and "e.vil" not in "".join(page.hrefs)


@pytest.mark.parametrize("args", PRINT_COMMANDS, ids=" ".join)
def test_markdown_shows_data_literally(args: tuple[str, ...], nasty: Path) -> None:
    md = nasty_run(nasty, *args, "--format", "md").out
    assert not RAW_CONTROL.search(md)
    parser = MarkdownIt("commonmark").enable("table")
    kinds = {child.type for t in parser.parse(md) for child in [t, *(t.children or [])]}
    assert not kinds & {"html_inline", "html_block"}, kinds
    check_page(parser.render(md))  # as a Markdown viewer shows it


@pytest.mark.parametrize("args", PRINT_COMMANDS, ids=" ".join)
def test_html_shows_data_literally(args: tuple[str, ...], nasty: Path) -> None:
    html = nasty_run(nasty, *args, "--format", "html").out
    assert not RAW_CONTROL.search(html)
    check_page(html)


# ---- strings the user types --------------------------------------------------------------------------------


TYPED = "[bold]x[/] :smile: <b>\x1b[2J\x1b]8;;http://e.vil\x07\r\x9b"


@pytest.mark.parametrize(
    "args",
    [
        ("roles", TYPED),
        ("match", "--skill", TYPED),
        ("match", "--from", TYPED),
        ("pathway", "--from", "operator", "--to", TYPED),
        ("search", TYPED),
        ("programmes", "--region", TYPED),
        ("roles", f"--{TYPED}"),
        ("match", "--from", "operator", "--level", TYPED),
    ],
    ids=["role-id", "skill", "background", "target-role", "search", "region", "option-name", "level"],
)
def test_what_the_user_typed_is_quoted_visibly_in_messages(args: tuple[str, ...]) -> None:
    result = run("--data-dir", str(MINI), *args)
    assert result.code in (0, 1, 2)
    assert not RAW_CONTROL.search(result.err + result.out), repr(result.err)
    assert "Traceback" not in result.err and result.err.count("\n") < 12


def test_free_text_in_a_cv_is_shown_literally(tmp_path: Path, wide: None) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_text(f"{NASTY}\nWorked to cGMP\x1b[2J; aseptic\r\nprocessing; PTW\x07.\n", encoding="utf-8")
    text = run("--data-dir", str(MINI), "match", "--text", str(cv), "--explain")
    assert text.code == 0 and not RAW_CONTROL.search(text.out)
    assert "aseptic\\x0d" in text.out  # the words as found, with the carriage return made visible
    as_json = run("--data-dir", str(MINI), "match", "--text", str(cv), "--json")
    found = {m["skill"]: m["found"] for m in as_json.json()["text_matches"]}
    assert found["aseptic-technique"] == "aseptic\r\nprocessing"  # exact, for machines


def test_a_profile_file_with_odd_keys_is_quoted_visibly(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text('from: operator\n"\\e[2J[bold]": 1\n', encoding="utf-8")
    result = run("--data-dir", str(MINI), "match", "--profile", str(path))
    assert result.code == 1
    assert "unknown key '\\x1b[2J[bold]'" in result.err and not RAW_CONTROL.search(result.err)


# ---- no network, no stray writes -------------------------------------------------------------------------

OUT = "OUT"  # replaced with the folder the user names for output files


def suite(cv: Path, profile: Path) -> list[list[str]]:
    """Every command, with typical arguments, on the real data; OUT/ holds the files named with -o."""
    bg, role = "oil-and-gas-process-operator", "manufacturing-technician"
    register = cv.with_name("standards.json")  # written by inputs() (register_file)
    return [
        ["--version"],
        ["--help"],
        ["roles"],
        ["roles", "qc-analyst"],
        ["roles", "--family", "quality-control", "--json"],
        ["roles", "qc-analyst", "--format", "md"],
        ["roles", "qc-analyst", "--format", "html", "-o", f"{OUT}/qc-analyst.html"],
        ["programmes", "--kind", "apprenticeship", "--level", "3"],
        ["programmes", "st1406-science-manufacturing-technician"],
        ["programmes", "--region", "scotland", "--json"],
        ["backgrounds"],
        ["backgrounds", bg],
        ["skills"],
        ["skills", "--from", "food-and-drink-qa-technician"],
        ["skills", "--from", "armed-forces-technician", "--to", "facilities-engineer", "--json"],
        ["regions"],
        ["search", "quality control"],
        ["match", "--from", bg],
        ["match", "--skill", "gmp=2", "--skill", "aseptic-technique", "--level", "3", "--json"],
        ["match", "--profile", str(profile)],
        ["match", "--text", str(cv), "--explain"],
        ["pathway", "--from", bg, "--to", role],
        ["pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--format", "md", "-o", f"{OUT}/p.md"],
        ["pathway", "--from", bg, "--to", role, "--json", "-o", f"{OUT}/p.json"],
        ["explore", "--from", bg, "--interest", "making"],
        ["feeders", role],
        ["outlook"],
        ["outlook", "qc-analyst", "--region", "north-east", "--from", bg, "--json"],
        ["outlook", "facilities-engineer", "-o", f"{OUT}/jobs-and-pay.html"],
        ["handout", "--from", "school-leaver-gcse", "--to", "qc-analyst", "-o", f"{OUT}/class.html"],
        ["data", "validate"],
        ["data", "schema", "roles"],
        ["data", "schema", "--write", f"{OUT}/schema"],
        ["data", "audit"],
        ["data", "stats"],
        ["data", "check-standards", str(register)],
        # the slowest here (every pathway); in this one process, so the audit sees every file it writes
        ["site", "build", "-o", f"{OUT}/site", "--jobs", "1"],
    ]


def command_paths() -> set[str]:
    """Every command the CLI has, e.g. 'roles' and 'data audit', from the CLI itself."""
    import typer

    from cgtpaths.cli import app

    group: Any = typer.main.get_command(app)
    out: set[str] = set()

    def walk(cmd: Any, prefix: str) -> None:
        for name, sub in cmd.commands.items():
            if hasattr(sub, "commands"):
                walk(sub, f"{prefix}{name} ")
            else:
                out.add(f"{prefix}{name}")

    walk(group, "")
    return out


def inputs(tmp_path: Path) -> tuple[Path, Path]:
    cv = tmp_path / "cv.txt"
    cv.write_text("Process operator. Permit to work, HAZOP, cGMP training, cleanroom gowning.\n")
    profile = tmp_path / "me.yaml"
    profile.write_text("from: oil-and-gas-process-operator\nskills: {gmp: 2}\nregion: north-east\n")
    register_file(cv)
    return cv, profile


def register_file(cv: Path) -> Path:
    """The standards register as a curator downloads it (agreeing with the data), beside the CV."""
    import json

    from tests.test_standards_and_funding import register_as_shipped

    register = cv.with_name("standards.json")
    if not register.exists():
        register.write_text(json.dumps(register_as_shipped()), encoding="utf-8")
    return register


def test_the_suite_covers_every_command(tmp_path: Path) -> None:
    used = {" ".join(a for a in args[:2] if not a.startswith("-")) for args in suite(*inputs(tmp_path))}
    used |= {args[0] for args in suite(*inputs(tmp_path))}
    missing = command_paths() - used
    assert not missing, f"add typical arguments for {missing} to suite()"


def listing(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_no_network_and_no_writes_outside_the_named_files_and_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, with every way to open a socket made to fail loudly."""

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network use: {args!r}")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, no_network)
    home, cwd, out, cache = (tmp_path / n for n in ("home", "cwd", "out", "cache"))
    for folder in (home, cwd, out):
        folder.mkdir()
    cv, profile = inputs(cwd)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(cache))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.chdir(cwd)
    shipped = listing(DATA)
    before = listing(tmp_path)
    for args in suite(cv, profile):
        result = run(*[a.replace(OUT, str(out)) for a in args])
        assert result.code == 0, (args, result.err)
    after = listing(tmp_path)
    changed = {p for p in after if before.get(p) != after[p]}
    stray = {p for p in changed if not p.startswith(("out", "cache"))}
    assert not stray, stray
    assert {p.split("/")[1] for p in changed if p.startswith("out/")} >= {"qc-analyst.html", "p.md", "p.json", "site"}
    assert listing(DATA) == shipped  # the shipped data is read, never touched


AUDIT = r"""
import io, json, os, sys
from contextlib import redirect_stderr, redirect_stdout
events = []
WATCH = ("socket.", "http.", "urllib.", "ftplib.", "smtplib.", "subprocess.", "os.system", "os.exec",
         "os.posix_spawn", "os.fork", "webbrowser.")
def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writing = any(c in (mode or "") for c in "wax+") if mode else bool(
            (flags or 0) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
        if writing and not isinstance(path, int):
            events.append(["write", os.path.abspath(os.fsdecode(path))])
    elif event in ("os.rename", "os.remove", "os.mkdir", "os.rmdir", "os.chmod", "os.symlink", "os.link",
                   "os.truncate", "tempfile.mkstemp", "tempfile.mkdtemp", "shutil.rmtree", "shutil.move"):
        events.append([event, os.path.abspath(os.fsdecode(args[0]))])
    elif event.startswith(WATCH):
        events.append([event, repr(args)[:200]])
from cgtpaths.launch import main
sys.addaudithook(hook)
for argv in json.loads(sys.argv[1]):
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
        try:
            main(argv)
        except SystemExit as exc:
            if exc.code:
                events.append(["failed", argv, err.getvalue()[-500:]])
print(json.dumps(events))
"""


def test_every_file_written_and_every_connection_attempted_is_audited(tmp_path: Path) -> None:
    """In a child process, Python's audit hooks see every file opened for writing, every rename and
    removal, every socket and every process started, wherever it would be."""
    home, cwd, out, cache = (tmp_path / n for n in ("home", "cwd", "out", "cache"))
    for folder in (home, cwd, out):
        folder.mkdir()
    cv, profile = inputs(cwd)
    argvs = [[a.replace(OUT, str(out)) for a in args] for args in suite(cv, profile)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CGTPATHS_", "XDG_", "FORCE_COLOR"))}
    env.update(HOME=str(home), CGTPATHS_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="1", COLUMNS="100")
    proc = subprocess.run(
        [sys.executable, "-c", AUDIT, json.dumps(argvs)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=True,
    )
    events = json.loads(proc.stdout)
    assert not [e for e in events if e[0] == "failed"], events
    files = [e for e in events if e[0] == "write" or e[0].startswith(("os.", "tempfile.", "shutil."))]
    others = [e for e in events if e not in files]
    assert not others, others  # no socket, no HTTP, no process started
    stray = [e for e in files if not e[1].startswith((str(out), str(cache)))]
    assert not stray, stray
    assert any(e[0] == "write" and e[1].startswith(str(out)) for e in events), "the audit saw no writes at all"
    assert any(e[1].startswith(str(cache)) for e in events), "the audit saw no cache writes at all"
