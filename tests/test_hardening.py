"""Hardening: a corpus of broken inputs, each answered calmly.

Every case is generated here, deterministically, from the tiny fixture (tests/fixtures/mini) or a
copy of the real data: truncated files, a wrong-typed value in every field the models define,
unknown and duplicate ids, empty files, lists where mappings belong, tabs, BOMs, CRLF, invalid
UTF-8, binary junk, a 50 MB file, deep nesting, alias bombs, YAML 1.1 surprises, overlays that
replace records others depend on, and broken --profile and --text files.

Each must end with its exit code (1 for bad data or input, 2 for usage; a few tolerated inputs
such as a CV in Latin-1 end with 0), with one message on stderr that names the file (and the line
and column where there is one), nothing on stdout, and never a traceback. The cases run in-process
for speed; test_subprocess_sample runs some through the installed console script, and
test_huge_inputs_stay_within_bounded_memory measures memory in a child process.

docs/reliability.md states how many cases there are (scripts/reliability_counts.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel
from tests.conftest import DATA, MINI, ROOT, Result, run

from cgtpaths import model
from cgtpaths.load import TOP_KEYS

# ---- the corpus -------------------------------------------------------------------------------------

Build = Callable[[Path], list[str]]  # breaks the dataset copy in place; returns the command to run
VALIDATE = ["data", "validate"]
MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    build: Build
    base: str = "mini"  # "mini" or "data" (a copy of the real dataset)
    code: int = 1
    file: str | None = None  # the file the message must name (its name); None: no file
    located: bool = True  # the first problem gives a line and column
    marker: str | None = None  # the quoted source line must contain this
    exactly_one: bool = False  # the input has one fault, so exactly one problem is reported
    group: str = ""  # the kind of fault, as docs/reliability.md lists them
    # how the case is run (see run_case): "inprocess"; "process" (the console script under a hang guard:
    # named pipes, closed streams); "pipe" (stdout read for one byte, then closed); "sigterm" and "sighup"
    # (sent once the fake browser starts); "unprivileged" (without root's power to ignore permissions);
    # "terminal" (explore in a pseudo-terminal, typing `replies`); "no-stdin", "no-stderr" (closed)
    runner: str = "inprocess"
    env: tuple[tuple[str, str | None], ...] = ()  # environment changes for the run (None: unset)
    says: str | None = None  # the message must contain this
    after: Callable[[Path, Result], None] | None = None  # what else must hold (a file left alone...)
    replies: tuple[str, ...] = ()  # for "terminal": typed at each question


CORPUS: list[Case] = []
GROUPS: list[str] = []


def group(label: str) -> None:
    """Start a group of cases (the sections below); docs/reliability.md counts cases per group."""
    GROUPS.append(label)


def case(name: str, build: Build, **kw: Any) -> None:
    assert all(c.name != name for c in CORPUS), f"duplicate case name {name}"
    CORPUS.append(Case(name, build, group=GROUPS[-1], **kw))


def records(directory: Path, kind: str) -> Any:
    return yaml.safe_load((directory / f"{kind}.yaml").read_text(encoding="utf-8"))


class NoAliases(yaml.SafeDumper):
    """Writes a value used twice in full (data files may not hold anchors and aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(directory: Path, kind: str, data: Any) -> None:
    # flow style for collections of scalars, so a planted value sits on one line with its key
    text = yaml.dump(
        data, Dumper=NoAliases, sort_keys=False, default_flow_style=None, allow_unicode=True, width=1_000_000
    )
    (directory / f"{kind}.yaml").write_text(text, encoding="utf-8")


def write(name: str, content: bytes | str, command: list[str] | None = None) -> Build:
    def build(d: Path) -> list[str]:
        data = content.encode() if isinstance(content, str) else content
        (d / name).write_bytes(data)
        return command or VALIDATE

    return build


def edit(name: str, change: Callable[[bytes], bytes], command: list[str] | None = None) -> Build:
    def build(d: Path) -> list[str]:
        path = d / name
        before = path.read_bytes()
        after = change(before)
        assert after != before, f"{name}: the edit changed nothing; the fixture moved"
        path.write_bytes(after)
        return command or VALIDATE

    return build


def replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    return lambda b: b.replace(old, new, 1)


MINI_FILES = sorted(p.name for p in MINI.glob("*.yaml"))
DATA_FILES = sorted(p.name for p in DATA.glob("*.yaml"))


# 1. Truncated files: each file cut at many offsets, each in the middle of a line (a cut at a line
# end can leave a valid, shorter file).
group("truncated files")


def cuts(raw: bytes, n: int) -> list[int]:
    """n offsets spread through the file, each in the middle of a line before the last required field
    (the last top-level key, or the last record's `verified:`): a cut after it, say inside a long
    description, can leave a valid file; a cut before it always leaves something missing."""
    last = max(m.start() for m in re.finditer(rb"^(?:[^\s#]|\s*(?:- )?verified:)", raw, flags=re.M))
    out = set()
    for k in range(1, n + 1):
        pos = min(len(raw) * k // (n + 1), last - 2)
        start = raw.rfind(b"\n", 0, pos) + 1
        end = raw.find(b"\n", pos)
        end = len(raw) if end < 0 else end
        if end - start >= 2:
            out.add((start + end) // 2)
    return sorted(out)


for _base, _files, _n in (("mini", MINI_FILES, 8), ("data", DATA_FILES, 3)):
    for _name in _files:
        _raw = ((MINI if _base == "mini" else DATA) / _name).read_bytes()
        for _at in cuts(_raw, _n):
            case(
                f"truncated-{_base}-{_name}-{_at}",
                write(_name, _raw[:_at]),
                base=_base,
                file=_name,
            )


# 2. A wrong-typed value in every field the models define (and in the first item of every list),
# planted in one record of the fixture; nested models that record lacks are filled in validly first.
group("a wrong-typed value in each field of each model")
TEMPLATES: dict[type[BaseModel], dict[str, Any]] = {
    model.Source: {"url": "https://example.org/x", "title": "A page", "seen": dt.date(2026, 11, 25)},
    model.Note: {"text": "A note.", "confidence": "inferred"},
    model.SkillLink: {"skill": "gmp", "credit": 0.5, "confidence": "inferred"},
    model.RoleSkill: {"skill": "gmp", "level": 2, "essential": True},
    model.Gate: {"kind": "qualification", "text": "A degree", "min_level": 6, "confidence": "verified"},
    model.Salary: {
        "median": 30000,
        "scope": "All lab staff",
        "source": {"url": "https://example.org/pay", "title": "Pay", "seen": dt.date(2026, 11, 25)},
        "confidence": "verified",
    },
    model.Funding: {"kind": "fee", "text": "Fees apply.", "confidence": "verified"},
    model.Teaches: {"skill": "gmp", "level": 2},
    model.BackgroundSkill: {"skill": "gmp", "level": 2},
}
LIST_ITEM = "gmp"  # a valid item for any list of strings or ids
WRONG = {  # one wrong-typed value per kind of field; each holds "wrong", which the quoted line must show
    "str": {"wrong": "type"},
    "int": "wrong-type",
    "float": "wrong-type",
    "bool": "wrong-type",
    "date": "wrong-type",
    "literal": "wrong-type",
    "list": "wrong-type",
    "model": "wrong-type",
}
# the record of each file that the wrong values are planted in (the one with the most fields)
HOST = {
    "skills": 1,
    "regions": 1,
    "roles": 1,
    "programmes": 0,
    "backgrounds": 0,
    "qualifications": 0,
    "funding": 0,
    "outlook": 0,
}


def field_kind(annotation: Any) -> tuple[str, Any]:
    """('str' | 'int' | ... | 'list' | 'model', the item or model type) of a field's annotation."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return field_kind(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        [inner] = [a for a in get_args(annotation) if a is not type(None)]
        return field_kind(inner)
    if origin is list:
        return "list", get_args(annotation)[0]
    if origin is Literal:
        return "literal", get_args(annotation)[0]  # (a valid value, for filling in lists of them)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    names = {str: "str", int: "int", float: "float", bool: "bool", dt.date: "date"}
    assert annotation in names, f"a new kind of field: {annotation!r}; teach field_kind about it"
    return names[annotation], None


def field_paths(cls: type[BaseModel], prefix: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str, Any]]:
    """Every field path in a model, nested models and first list items included: (path, kind, type)."""
    out = []
    for name, info in cls.model_fields.items():
        kind, inner = field_kind(info.annotation)
        path = (*prefix, name)
        out.append((path, kind, inner))
        if kind == "model":
            out += field_paths(inner, path)
        if kind == "list":
            item_kind, item_type = field_kind(inner)
            out.append(((*path, 0), item_kind, item_type))
            if item_kind == "model":
                out += field_paths(item_type, (*path, 0))
    return out


def valid_container(record: dict[str, Any], path: tuple[Any, ...], cls: type[BaseModel]) -> None:
    """Make sure every step of `path` but the last exists in `record`, filling in valid values."""
    node: Any = record
    current: Any = cls
    for step in path[:-1]:
        if isinstance(step, str):
            kind, inner = field_kind(current.model_fields[step].annotation)
            if kind == "list":
                item_kind, item_type = field_kind(inner)
                if not node.get(step):
                    item = {"model": TEMPLATES.get(item_type), "literal": item_type}.get(item_kind, LIST_ITEM)
                    node[step] = [copy.deepcopy(item)]
                current = item_type
            else:
                if node.get(step) is None:
                    node[step] = copy.deepcopy(TEMPLATES[inner])
                current = inner
        node = node[step]


def plant(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = record
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


QUALIFICATION = yaml.safe_load((DATA / "qualifications.yaml").read_text(encoding="utf-8"))["qualifications"][0]


def wrong_type(kind: str, path: tuple[Any, ...], field_type: str) -> Build:
    cls = model.FILES[kind]

    def build(d: Path) -> list[str]:
        if kind == "qualifications":
            dump(d, kind, {kind: [copy.deepcopy(QUALIFICATION)]})
        data = records(d, kind)
        record = data[TOP_KEYS.get(kind, kind)][HOST[kind]]
        valid_container(record, path, cls)
        cls.model_validate(record)  # the host is valid before the planting: the one fault is ours
        plant(record, path, WRONG[field_type])
        dump(d, kind, data)
        return VALIDATE

    return build


for _kind in model.FILES:
    for _path, _field_type, _ in field_paths(model.FILES[_kind]):
        case(
            f"wrong-type-{_kind}-{dotted(_path)}",
            wrong_type(_kind, _path, _field_type),
            file=f"{_kind}.yaml",
            marker="wrong",
            exactly_one=_path != ("id",),  # others' references to a record with no valid id fail too
        )


def wrong_dataset(name: str, field_type: str) -> Build:
    def build(d: Path) -> list[str]:
        data = yaml.safe_load((d / "dataset.yaml").read_text(encoding="utf-8"))
        data[name] = WRONG[field_type]
        dump(d, "dataset", data)
        return VALIDATE

    return build


for _path, _field_type, _ in field_paths(model.Dataset):
    case(
        f"wrong-type-dataset-{dotted(_path)}",
        wrong_dataset(_path[0], _field_type),
        file="dataset.yaml",
        marker="wrong",
        exactly_one=True,
    )


# 3. References to records that do not exist, one per kind of reference.
group("references to missing records")


def reference(kind: str, index: int, path: tuple[Any, ...]) -> Build:
    def build(d: Path) -> list[str]:
        data = records(d, kind)
        record = data[kind][index]
        if isinstance(path[-1], int):
            plant(record, path[:-1], ["no-such-thing"])
        else:
            valid_container(record, path, model.FILES[kind])
            plant(record, path, "no-such-thing")
        dump(d, kind, data)
        return VALIDATE

    return build


REFERENCES = [
    ("skills", 1, ("related", 0, "skill")),
    ("regions", 1, ("parent",)),
    ("roles", 0, ("skills", 0, "skill")),
    ("roles", 0, ("progression", 0)),
    ("roles", 0, ("entry_routes", 0)),
    ("roles", 1, ("gates", 0, "routes", 0)),
    ("programmes", 0, ("teaches", 0, "skill")),
    ("programmes", 0, ("leads_to", 0)),
    ("programmes", 0, ("regions", 0)),
    ("backgrounds", 0, ("skills", 0, "skill")),
]
for _kind, _index, _path in REFERENCES:
    case(
        f"missing-reference-{_kind}-{dotted(_path)}",
        reference(_kind, _index, _path),
        file=f"{_kind}.yaml",
        marker="no-such-thing",
        exactly_one=True,
    )


# 4. Duplicate ids (a copied record), in every file, and a duplicated key.
group("duplicate ids and keys")


def duplicate(kind: str) -> Build:
    def build(d: Path) -> list[str]:
        data = records(d, kind)
        data[kind].append(copy.deepcopy(data[kind][0]))
        dump(d, kind, data)
        return VALIDATE

    return build


for _kind in ("skills", "regions", "roles", "programmes", "backgrounds"):
    case(f"duplicate-id-{_kind}", duplicate(_kind), file=f"{_kind}.yaml", marker="id:", exactly_one=True)
case(
    "duplicate-key",
    edit("roles.yaml", replace(b"    title: Supervisor\n", b"    title: Supervisor\n    title: Boss\n")),
    file="roles.yaml",
    marker="title: Boss",
    exactly_one=True,
)


# 5. Empty files, and files that hold something other than a mapping.
group("empty files; lists or scalars where a mapping belongs")
for _name in MINI_FILES:
    for _label, _content in (("empty", b""), ("comment-only", b"# nothing here\n"), ("null", b"~\n")):
        case(f"{_label}-{_name}", write(_name, _content), file=_name, exactly_one=True)
    _stem = _name.removesuffix(".yaml")
    _bare = yaml.safe_load((MINI / _name).read_text())
    _list = _bare[TOP_KEYS.get(_stem, _stem)] if _stem != "dataset" else list(_bare.items())
    case(
        f"list-not-mapping-{_name}",
        write(_name, yaml.safe_dump(_list, default_flow_style=None)),
        file=_name,
        exactly_one=True,
    )
case("records-are-strings", write("roles.yaml", "roles: [technician, supervisor]\n"), file="roles.yaml")
case("records-not-a-list", write("roles.yaml", "roles: {id: technician}\n"), file="roles.yaml", exactly_one=True)
case("top-level-scalar", write("skills.yaml", "just some words\n"), file="skills.yaml", exactly_one=True)


# 6. Whitespace and encodings.
group("tabs, BOMs, CRLF and CR, UTF-16, invalid UTF-8, control characters")


def crlf(b: bytes) -> bytes:
    return b.replace(b"\n", b"\r\n")


BOM = b"\xef\xbb\xbf"
UNKNOWN_FIELD = replace(b"    summary: Leads technicians.\n", b"    summary: Leads technicians.\n    colour: blue\n")
case("tab-indent", edit("roles.yaml", replace(b"  - id: technician", b"\t- id: technician")), file="roles.yaml")
case(
    "tab-indent-nested",
    edit("skills.yaml", replace(b"    name: Aseptic technique", b"\tname: Aseptic technique")),
    file="skills.yaml",
)
case(
    "bom-then-error-on-line-21",
    edit("roles.yaml", lambda b: BOM + UNKNOWN_FIELD(b)),
    file="roles.yaml",
    marker="colour: blue",
    exactly_one=True,
)
case(
    "crlf-then-error",
    edit("roles.yaml", lambda b: crlf(UNKNOWN_FIELD(b))),
    file="roles.yaml",
    marker="colour: blue",
    exactly_one=True,
)
case(
    "cr-only-then-error",
    edit("roles.yaml", lambda b: UNKNOWN_FIELD(b).replace(b"\n", b"\r")),
    file="roles.yaml",
    marker="colour: blue",
    exactly_one=True,
)
case(
    "mixed-line-endings-then-error",
    edit("roles.yaml", lambda b: UNKNOWN_FIELD(b).replace(b"\n", b"\r\n", 10)),
    file="roles.yaml",
    marker="colour: blue",
    exactly_one=True,
)
case("utf16-with-bom", edit("roles.yaml", lambda b: b.decode().encode("utf-16")), file="roles.yaml", located=True)
case("utf16-no-bom", edit("roles.yaml", lambda b: b.decode().encode("utf-16-le")), file="roles.yaml", located=False)
case(
    "latin1-pound-sign",
    edit("roles.yaml", replace(b"summary: Makes product.", b"summary: Costs \xa35 a day.")),
    file="roles.yaml",
    exactly_one=True,
)
for _label, _bad in (
    ("lone-continuation-byte", b"\x80"),
    ("overlong-slash", b"\xc0\xaf"),
    ("encoded-surrogate", b"\xed\xa0\x80"),
    ("beyond-unicode", b"\xf4\x90\x80\x80"),
):
    case(
        f"invalid-utf8-{_label}",
        edit("skills.yaml", replace(b"Working to GMP.", b"Working " + _bad + b" to GMP.")),
        file="skills.yaml",
        exactly_one=True,
    )
case("invalid-utf8-cut-at-end", edit("skills.yaml", lambda b: b + b"# caf\xc3"), file="skills.yaml")
for _label, _char in (("escape", b"\x1b"), ("bell", b"\x07"), ("delete", b"\x7f"), ("backspace", b"\x08")):
    case(
        f"raw-control-character-{_label}",
        edit("roles.yaml", replace(b"title: Technician", b"title: Tech" + _char + b"nician")),
        file="roles.yaml",
        exactly_one=True,
    )
case("nul-byte", edit("roles.yaml", replace(b"Makes product.", b"Makes\x00product.")), file="roles.yaml", located=False)


# 7. Binary junk.
group("binary junk")
_rng = random.Random(8)
case("junk-random-bytes", write("roles.yaml", _rng.randbytes(4096)), file="roles.yaml", located=False)
case(
    "junk-no-nul",
    write("roles.yaml", bytes(_rng.randrange(1, 256) for _ in range(4096))),
    file="roles.yaml",
    located=False,
)
case("junk-png", write("skills.yaml", b"\x89PNG\r\n\x1a\n" + _rng.randbytes(512)), file="skills.yaml", located=False)
case(
    "junk-gzip",
    write("programmes.yaml", gzip.compress((MINI / "programmes.yaml").read_bytes(), mtime=0)),
    file="programmes.yaml",
    located=False,
)
case("junk-elf", write("backgrounds.yaml", b"\x7fELF\x02\x01\x01" + bytes(64)), file="backgrounds.yaml", located=False)
case(
    "junk-printable-noise",
    write("roles.yaml", "".join(_rng.choice(":-[]{}&*!|>'\"%@`#, \n") for _ in range(2000))),
    file="roles.yaml",
    located=False,
)


# 8. Size and shape.
group("a 50 MB file, deep nesting, huge lines, counts and numbers")


def big(name: str, size: int) -> Build:
    def build(d: Path) -> list[str]:
        with (d / name).open("wb") as handle:
            handle.write(b"roles:\n")
            chunk = b"# " + b"x" * 1022 + b"\n"
            for _ in range(size // len(chunk) + 1):
                handle.write(chunk)
        return VALIDATE

    return build


case("file-of-50-mb", big("roles.yaml", 50 * MB), file="roles.yaml", located=False, exactly_one=True)
case("file-just-over-10-mb", big("roles.yaml", 10 * MB), file="roles.yaml", located=False, exactly_one=True)
case(
    "deep-flow-nesting",
    edit("roles.yaml", replace(b"title: Technician", b"title: " + b"[" * 10_000 + b"]" * 10_000)),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "deep-unclosed-nesting",
    edit("roles.yaml", replace(b"title: Technician", b"title: " + b"[" * 200_000)),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "deep-mapping-nesting",
    edit("roles.yaml", replace(b"title: Technician", b"title: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000)),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "deep-block-nesting",
    edit(
        "roles.yaml",
        replace(
            b"    title: Technician\n", b"    title:\n" + b"".join(b" " * (6 + 2 * i) + b"-\n" for i in range(300))
        ),
    ),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "one-line-of-180-kb",
    write("roles.yaml", "roles: [" + "{id: x}, " * 20_000 + "{id: x]\n"),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "two-thousand-unknown-fields",
    edit(
        "roles.yaml",
        replace(b"    summary: Leads technicians.\n", b"".join(b"    f%d: 1\n" % i for i in range(2000))),
    ),
    file="roles.yaml",
)
case("ten-thousand-records", write("roles.yaml", "roles:\n" + "  - 1\n" * 10_000), file="roles.yaml")
case("huge-integer", edit("roles.yaml", replace(b"entry_level: 4", b"entry_level: " + b"9" * 5000)), file="roles.yaml")
case("extra-document", edit("roles.yaml", lambda b: b + b"---\nroles: []\n"), file="roles.yaml", exactly_one=True)


# 9. Alias bombs ("billion laughs") and other anchors.
group("alias bombs, merge keys and tags")
LAUGHS = "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" if i else 'l0: &l0 "lol"\n' for i in range(10)
)
case("billion-laughs", write("roles.yaml", "roles: []\n" + LAUGHS), file="roles.yaml", exactly_one=True)
case(
    "billion-laughs-in-a-field",
    edit("roles.yaml", replace(b"    title: Technician\n", b"    title: &a [x, x]\n    also_called: [*a, *a, *a]\n")),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "merge-key",
    edit("roles.yaml", replace(b"  - id: supervisor\n", b"  - <<: {id: x}\n    id: supervisor\n")),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "alias-without-anchor",
    edit("roles.yaml", replace(b"progression: [supervisor]", b"progression: *p")),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "python-tag",
    edit("roles.yaml", replace(b"summary: Makes product.", b"summary: !!python/object/apply:os.system [ls]")),
    file="roles.yaml",
    exactly_one=True,
)


# 10. YAML 1.1 surprises: words and numbers YAML turns into something else.
group("YAML 1.1 surprises (NO, yes, 010, 1:30, dates)")
SURPRISES = [  # (case, file, text, what it becomes); the message must quote the line with the new value
    ("no-as-a-choice", "backgrounds.yaml", b"situation: working", b"situation: NO"),
    ("yes-as-a-title", "roles.yaml", b"title: Technician", b"title: yes"),
    ("off-as-a-region", "regions.yaml", b"parent: uk", b"parent: off"),
    ("octal-level", "roles.yaml", b"entry_level: 4", b"entry_level: 010"),
    ("octal-code", "skills.yaml", b"description: Working to GMP.", b"nos: 0123\n    description: W."),
    ("sexagesimal-months", "roles.yaml", b"experience_months: 24", b"experience_months: 1:30"),
    ("sexagesimal-summary", "roles.yaml", b"summary: Makes product.", b"summary: 1:30"),
    ("date-as-a-title", "roles.yaml", b"title: Technician", b"title: 2024-09-01"),
    ("date-as-a-sector", "backgrounds.yaml", b"sector: Oil and gas", b"sector: 2024-09-01"),
    ("impossible-date", "roles.yaml", b"verified: 2026-11-25\n  - id: s", b"verified: 2026-13-45\n  - id: s"),
    ("float-code", "skills.yaml", b"description: Working to GMP.", b"nos: 3.10\n    description: W."),
    ("null-title", "roles.yaml", b"title: Technician", b"title: ~"),
    ("infinite-duration", "programmes.yaml", b"duration_months: 0.1", b"duration_months: .inf"),
    ("not-a-number-level", "roles.yaml", b"entry_level: 4", b"entry_level: .nan"),
    ("hex-level", "programmes.yaml", b"entry_level: 3", b"entry_level: 0x10"),
    ("bool-id", "backgrounds.yaml", b"- id: operator", b"- id: no"),
]
for _label, _name, _old, _new in SURPRISES:
    _value = re.findall(rb": (\S+)", _new)[0].decode()
    case(f"yaml11-{_label}", edit(_name, replace(_old, _new)), file=_name, marker=_value, exactly_one=True)


# 11. Overlays: replacing records that others reference (allowed), breaking them (not), and more.
group("overlays replacing records others use")


def overlay(files: dict[str, str], command: list[str] | None = None) -> Build:
    def build(d: Path) -> list[str]:
        target = d.parent / "overlay"
        target.mkdir()
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
        return ["--overlay", str(target), *(command or VALIDATE)]

    return build


def yaml_of(kind: str, *items: dict[str, Any]) -> str:
    return yaml.dump({kind: list(items)}, Dumper=NoAliases, sort_keys=False, allow_unicode=True)


SRC = [{"url": "https://example.org/o", "title": "Overlay source", "seen": dt.date(2026, 11, 25)}]
GMP = {
    "id": "gmp",
    "name": "GMP (college wording)",
    "category": "quality",
    "description": "Working to GMP.",
    "sources": SRC,
    "verified": dt.date(2026, 11, 25),
}
SUPERVISOR = {
    "id": "supervisor",
    "title": "Shift supervisor",
    "family": "manufacturing",
    "summary": "Leads a shift.",
    "entry_level": 4,
    "entry_level_confidence": "inferred",
    "skills": [{"skill": "gmp", "level": 3, "essential": True}],
    "sources": SRC,
    "verified": dt.date(2026, 11, 25),
}
case("overlay-replaces-a-referenced-skill", overlay({"skills.yaml": yaml_of("skills", GMP)}), code=0)
case("overlay-replaces-a-referenced-role", overlay({"roles.yaml": yaml_of("roles", SUPERVISOR)}), code=0)
case(
    "overlay-replaces-a-referenced-skill-with-a-broken-one",
    overlay({"skills.yaml": yaml_of("skills", {**GMP, "category": "wizardry"})}),
    file="skills.yaml",
    marker="wizardry",
    exactly_one=True,
)
case(
    "overlay-replaces-a-referenced-role-with-an-incomplete-one",
    overlay({"roles.yaml": yaml_of("roles", {k: v for k, v in SUPERVISOR.items() if k != "skills"})}),
    file="roles.yaml",
    exactly_one=True,
)
case(
    "overlay-replacement-points-nowhere",
    overlay({"roles.yaml": yaml_of("roles", {**SUPERVISOR, "progression": ["no-such-thing"]})}),
    file="roles.yaml",
    marker="no-such-thing",
    exactly_one=True,
)
case(
    "overlay-duplicate-id",
    overlay({"skills.yaml": yaml_of("skills", GMP, GMP)}),
    file="skills.yaml",
    marker="id: gmp",
    exactly_one=True,
)
case("overlay-empty-folder", overlay({}), file="overlay", located=False, exactly_one=True)
case("overlay-file-is-a-list", overlay({"roles.yaml": "- id: x\n"}), file="roles.yaml", exactly_one=True)
case(
    "overlay-progression-cycle",
    overlay(
        {"roles.yaml": yaml_of("roles", {**SUPERVISOR, "progression": ["technician"]})},
        ["pathway", "--from", "operator", "--to", "supervisor"],
    ),
    code=0,
)
case(
    "overlay-region-is-its-own-parent",
    overlay(
        {
            "regions.yaml": yaml_of(
                "regions",
                {
                    "id": "north",
                    "name": "North",
                    "kind": "region",
                    "parent": "north",
                    "sources": SRC,
                    "verified": dt.date(2026, 11, 25),
                },
            )
        },
        ["programmes", "--region", "north"],
    ),
    file="regions.yaml",
    marker="parent: north",
    exactly_one=True,
)


def overlay_path(kind: str) -> Build:
    def build(d: Path) -> list[str]:
        target = d.parent / "overlay"
        if kind == "file":
            target.write_text("not a folder\n")
        return ["--overlay", str(target), *VALIDATE]

    return build


case("overlay-missing", overlay_path("missing"), file="overlay", located=False)
case("overlay-is-a-file", overlay_path("file"), code=2, file=None, located=False)


# 12. Missing files and folders.
group("missing files and folders")


def remove(name: str) -> Build:
    def build(d: Path) -> list[str]:
        (d / name).unlink()
        return VALIDATE

    return build


for _name in ("skills.yaml", "roles.yaml", "programmes.yaml", "backgrounds.yaml"):
    case(f"missing-{_name}", remove(_name), file=_name, located=False, exactly_one=True)


def swap(name: str, what: str) -> Build:
    def build(d: Path) -> list[str]:
        path = d / name
        path.unlink()
        if what == "folder":
            path.mkdir()
        else:
            path.symlink_to(d / "no-such-file.yaml")
        return VALIDATE

    return build


case("data-file-is-a-folder", swap("roles.yaml", "folder"), file="roles.yaml", located=False, exactly_one=True)
case("data-file-is-a-broken-link", swap("roles.yaml", "link"), file="roles.yaml", located=False, exactly_one=True)


def data_dir_is(what: str) -> Build:
    def build(d: Path) -> list[str]:
        shutil.rmtree(d)
        if what == "file":
            d.write_text("roles: []\n")
        return VALIDATE

    return build


case("data-dir-missing", data_dir_is("missing"), file="mini", located=False)
case("data-dir-is-a-file", data_dir_is("file"), code=2, file=None, located=False)


# 13. Broken --profile files.
group("broken --profile files")


def profile(content: str | bytes, tail: list[str] | None = None) -> Build:
    def build(d: Path) -> list[str]:
        path = d.parent / "me.yaml"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return ["match", "--profile", str(path), *(tail or [])]

    return build


PROFILES = [
    ("a-list", "- operator\n", True),
    ("from-a-number", "from: 3\n", True),
    ("from-nested", "from: [[operator]]\n", True),
    ("from-unknown", "from: [operator, no-such-thing]\n", True),
    ("skills-a-number", "skills: 3\n", True),
    ("skill-level-5", "skills: {gmp: 5}\n", True),
    ("skill-level-text", "skills: {gmp: lots}\n", True),
    ("skill-unknown", "skills: {no-such-thing: 2}\n", True),
    ("level-text", "from: operator\nlevel: three\n", True),
    ("level-9", "from: operator\nlevel: 9\n", True),
    ("level-octal", "from: operator\nlevel: 03\n", True),
    ("age-text", "from: operator\nage: old\n", True),
    ("region-a-list", "from: operator\nregion: [north]\n", True),
    ("region-unknown", "from: operator\nregion: atlantis\n", True),
    ("unknown-key", "from: operator\ncolour: red\n", True),
    ("empty", "", True),
    ("syntax-error", "from: [operator\n", True),
    ("alias-bomb", LAUGHS, True),
    ("invalid-utf8", b"from: op\xff\n", True),
    ("binary", random.Random(13).randbytes(2048), False),
    ("json-with-tabs", '{\n\t"from": ["operator"],\n\t"skills": {"gmp": 7}\n}\n', True),
]
for _label, _content, _located in PROFILES:
    case(f"profile-{_label}", profile(_content), file="me.yaml", located=_located)
case("profile-age-out-of-range", profile("from: operator\nage: 7\n"), file="me.yaml")
case("profile-over-10-mb", profile(b"# x\n" * (3 * MB)), file="me.yaml", located=False)


def profile_path(what: str) -> Build:
    def build(d: Path) -> list[str]:
        path = d.parent / "me.yaml"
        if what == "folder":
            path.mkdir()
        return ["match", "--profile", str(path)]

    return build


case("profile-missing", profile_path("missing"), file="me.yaml", located=False)
case("profile-is-a-folder", profile_path("folder"), code=2, file=None, located=False)


# 14. --text files (a CV): too big, missing and folders fail; junk and odd encodings are read.
group("--text files")


def cv(content: bytes | None, what: str = "file") -> Build:
    def build(d: Path) -> list[str]:
        path = d.parent / "cv.txt"
        if what == "folder":
            path.mkdir()
        elif content is not None:
            path.write_bytes(content)
        return ["match", "--text", str(path), "--explain"]

    return build


case("text-over-1-mb", cv(b"GMP and aseptic technique. " * 40_000), file="cv.txt", located=False)
case("text-missing", cv(None), file="cv.txt", located=False)
case("text-is-a-folder", cv(None, "folder"), code=2, file=None, located=False)
case("text-latin1", cv("Worked to GMP in a cleanroom; earned £30k".encode("latin-1")), code=0)
case("text-utf16", cv("Worked to GMP in a cleanroom".encode("utf-16")), code=0)
case("text-binary-junk", cv(random.Random(14).randbytes(8192)), code=0)
case("text-empty", cv(b""), code=0)
case("text-only-control-characters", cv(bytes(range(32)) * 10), code=0)


# 15. -o: what it must not replace (fileio.output_target), and what it writes through.
group("-o onto special, read-only, linked and input files, and -o -")
TECHNICIAN = "technician"  # a line of `roles`, so a written file can be recognised


def output_onto(what: str, command: list[str] | None = None) -> Build:
    """A path of kind `what` beside the dataset, given as `-o` (relative names resolve from there)."""

    def build(d: Path) -> list[str]:
        here = d.parent
        target = here / "out.txt"
        if what == "fifo":
            os.mkfifo(target)
        elif what == "device-link":
            target.symlink_to(os.devnull)  # a character device, reached through a link (never /dev/null itself)
        elif what == "read-only":
            target.write_text("the adviser's copy\n")
            target.chmod(0o444)
        elif what == "symlink":
            (here / "real.txt").write_text("old\n")
            target.symlink_to(here / "real.txt")
        elif what == "hard-link":
            target.write_text("old\n")
            os.link(target, here / "other.txt")
        elif what == "folder-link":
            (here / "folder").mkdir()
            target.symlink_to(here / "folder")
        return [*(command or ["roles"]), "-o", str(target)]

    return build


def unchanged(name: str, content: str | None = None, kind: str = "file") -> Callable[[Path, Result], None]:
    def after(d: Path, result: Result) -> None:
        path = d.parent / name
        if kind == "fifo":
            assert path.is_fifo(), f"{name} was replaced"
        elif kind == "link":
            assert path.is_symlink(), f"{name} was replaced"
        else:
            assert path.is_file() and not path.is_symlink()
            if content is not None:
                assert path.read_text() == content
        assert not [p.name for p in d.parent.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"

    return after


def written_through(d: Path, result: Result) -> None:
    here = d.parent
    if (here / "real.txt").exists():  # the symlink case
        assert (here / "out.txt").is_symlink() and TECHNICIAN in (here / "real.txt").read_text()
    else:  # the hard-link case: both names still one file, with the new content
        assert os.path.samefile(here / "out.txt", here / "other.txt")
        assert TECHNICIAN in (here / "other.txt").read_text()


for _label, _what, _runner, _says, _left in (
    ("a-fifo", "fifo", "process", "named pipe", unchanged("out.txt", kind="fifo")),  # (a hang guard, were it opened)
    ("a-character-device", "device-link", "inprocess", "character device", unchanged("out.txt", kind="link")),
    ("read-only", "read-only", "inprocess", "--force", unchanged("out.txt", "the adviser's copy\n")),
):
    case(f"output-{_label}", output_onto(_what), runner=_runner, file=None, located=False, says=_says, after=_left)


def replaced_read_only(d: Path, result: Result) -> None:
    assert TECHNICIAN in (d.parent / "out.txt").read_text()


case(
    "output-read-only-with-force",
    output_onto("read-only", ["roles", "--force"]),
    code=0,
    after=replaced_read_only,
)
case("output-through-a-symlink", output_onto("symlink"), code=0, after=written_through)
case("output-a-hard-linked-file", output_onto("hard-link"), code=0, after=written_through)
case("output-a-link-to-a-folder", output_onto("folder-link"), code=2, file=None, located=False, says="directory")


def output_is_input(what: str) -> Build:
    def build(d: Path) -> list[str]:
        here = d.parent
        if what == "data":
            return ["roles", "--format", "text", "-o", str(d / "roles.yaml")]
        if what == "overlay":
            (here / "overlay").mkdir()
            (here / "overlay" / "skills.yaml").write_text(yaml_of("skills", GMP), encoding="utf-8")
            return [
                "--overlay",
                str(here / "overlay"),
                "roles",
                "--format",
                "text",
                "-o",
                str(here / "overlay" / "skills.yaml"),
            ]
        if what == "text":
            (here / "cv.txt").write_text("GMP and aseptic technique\n")
            return ["match", "--text", str(here / "cv.txt"), "-o", str(here / "cv.txt")]
        if what == "profile":
            (here / "me.yaml").write_text("from: operator\n")
            return ["match", "--profile", str(here / "me.yaml"), "--format", "text", "-o", str(here / "me.yaml")]
        (here / "class.csv").write_text("name,from\nSam,operator\n")
        return [
            "handout",
            "--class",
            str(here / "class.csv"),
            "--to",
            "technician",
            "--format",
            "md",
            "-o",
            str(here / "class.csv"),
        ]

    return build


def input_intact(name: str, content: str) -> Callable[[Path, Result], None]:
    def after(d: Path, result: Result) -> None:
        path = d.parent / name if not name.startswith("mini/") else d / name.removeprefix("mini/")
        assert path.read_text() == content, f"{name} was replaced"

    return after


for _label, _what, _name, _content in (
    ("a-data-file", "data", "mini/roles.yaml", (MINI / "roles.yaml").read_text()),
    ("an-overlay-file", "overlay", "overlay/skills.yaml", yaml_of("skills", GMP)),
    ("the-text-cv", "text", "cv.txt", "GMP and aseptic technique\n"),
    ("the-profile", "profile", "me.yaml", "from: operator\n"),
    ("the-class-list", "class", "class.csv", "name,from\nSam,operator\n"),
):
    case(
        f"output-is-{_label}",
        output_is_input(_what),
        file=None,
        located=False,
        says="inputs",
        after=input_intact(_name, _content),
    )


def dash_is_stdout(d: Path, result: Result) -> None:
    assert TECHNICIAN in result.out and not (d.parent / "-").exists() and not Path("-").exists()


case("output-dash-is-stdout", lambda d: ["roles", "-o", "-"], code=0, after=dash_is_stdout)


# 16. Inputs that are not regular files: opened without blocking, refused by name (fileio.read_bounded).
group("named pipes, devices and symlink loops as inputs")


def input_is(what: str, kind: str) -> Build:
    def build(d: Path) -> list[str]:
        here = d.parent
        path = {"text": here / "cv.txt", "profile": here / "me.yaml", "class": here / "class.csv"}.get(what)
        if what == "data":
            path = d / "roles.yaml"
            path.unlink()
        elif what == "overlay":
            (here / "overlay").mkdir()
            path = here / "overlay" / "skills.yaml"
        assert path is not None
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "loop":
            path.symlink_to(path)
        else:
            path.symlink_to("/dev/zero")
        return {
            "text": ["match", "--text", str(path)],
            "profile": ["match", "--profile", str(path)],
            "class": ["handout", "--class", str(path), "--to", "technician"],
            "data": VALIDATE,
            "overlay": ["--overlay", str(here / "overlay"), *VALIDATE],
        }[what]

    return build


for _what, _name in (("text", "cv.txt"), ("profile", "me.yaml"), ("class", "class.csv"), ("data", "roles.yaml")):
    case(f"fifo-as-{_what}", input_is(_what, "fifo"), runner="process", file=_name, located=False, says="named pipe")
case("fifo-as-an-overlay-file", input_is("overlay", "fifo"), runner="process", file="skills.yaml", located=False)
case("device-as-text", input_is("text", "device"), file="cv.txt", located=False, says="character device")
case("device-as-class-list", input_is("class", "device"), file="class.csv", located=False, says="character device")
case("data-file-is-a-symlink-loop", input_is("data", "loop"), file="roles.yaml", located=False, exactly_one=True)
case("text-is-a-symlink-loop", input_is("text", "loop"), file="cv.txt", located=False)


def cache_files_are_fifos(d: Path) -> list[str]:
    from cgtpaths import cache

    folder = d.parent / "cache"
    folder.mkdir()
    os.mkfifo(folder / f"catalogue-{cache._tag([d])}.store")
    for name in MINI_FILES:
        os.mkfifo(folder / f"records-{cache._tag([d / name])}.store")
    return ["roles"]


case(
    "cache-files-are-fifos",
    cache_files_are_fifos,
    runner="process",
    env=(("CGTPATHS_CACHE_DIR", "{tmp}/cache"),),
    code=0,
)


def unreadable_data_dir(d: Path) -> list[str]:
    d.chmod(0)
    return ["roles"]


def readable_again(d: Path, result: Result) -> None:
    d.chmod(0o755)


case(
    "data-dir-unreadable",
    unreadable_data_dir,
    runner="unprivileged",
    file="mini",
    located=False,
    says="permission denied",
    after=readable_again,
)


# 17. Signals, pipes and closed streams.
group("signals, closed pipes and closed streams")
FAKE_BROWSER = """#!/bin/sh
# a stand-in for Chromium: prints a PDF if asked to (and writes under HOME, as Chromium does, in
# mode "home", then exits); says it started; then hangs
for arg in "$@"; do
  case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}" ;; esac
done
if [ "$FAKE_BROWSER_MODE" = home ]; then
  mkdir -p "$HOME/.config/chromium" "$HOME/.cache/dconf"
fi
if [ -n "$FAKE_BROWSER_MODE" ]; then
  printf '%%PDF-1.4\\n%%%%EOF\\n' > "$out"
fi
echo $$ > "$FAKE_BROWSER_STARTED.tmp" && mv "$FAKE_BROWSER_STARTED.tmp" "$FAKE_BROWSER_STARTED"
if [ "$FAKE_BROWSER_MODE" = home ]; then
  exit 0
fi
exec sleep 600
"""


def printing(d: Path) -> list[str]:
    here = d.parent
    browser = here / "fake-chromium"
    browser.write_text(FAKE_BROWSER)
    browser.chmod(0o755)
    (here / "out").mkdir()
    (here / "tmp").mkdir()
    (here / "out" / "summary.pdf").write_bytes(b"%PDF-1.4 the adviser's earlier copy\n%%EOF\n")
    return ["pathway", "--from", "operator", "--to", "technician", "-o", str(here / "out" / "summary.pdf")]


BROWSER_ENV = (
    ("CGTPATHS_CHROMIUM", "{tmp}/fake-chromium"),
    ("FAKE_BROWSER_STARTED", "{tmp}/browser-started"),
    ("TMPDIR", "{tmp}/tmp"),
)


def cleaned_up(d: Path, result: Result) -> None:
    here = d.parent
    assert (here / "out" / "summary.pdf").read_bytes() == b"%PDF-1.4 the adviser's earlier copy\n%%EOF\n"
    assert os.listdir(here / "out") == ["summary.pdf"], os.listdir(here / "out")  # no .summary.pdf.XXXX.tmp
    assert os.listdir(here / "tmp") == [], os.listdir(here / "tmp")  # no cgtpaths-print-* folder
    browser_gone(d, result)


def browser_gone(d: Path, result: Result) -> None:
    pid = int((d.parent / "browser-started").read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    os.kill(pid, 9)  # (ours: the fake browser this case started)
    raise AssertionError("the browser was left running")


def printed(d: Path, result: Result) -> None:
    assert (d.parent / "out" / "summary.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"
    browser_gone(d, result)


case("sigterm-while-printing-a-pdf", printing, runner="sigterm", env=BROWSER_ENV, code=143, after=cleaned_up)
case("sighup-while-printing-a-pdf", printing, runner="sighup", env=BROWSER_ENV, code=129, after=cleaned_up)


def nothing_under_home(d: Path, result: Result) -> None:
    home = d.parent / "home"  # the run's HOME (child_env)
    assert not home.exists() or not any(home.iterdir()), sorted(str(p) for p in home.rglob("*"))
    printed(d, result)


for _label, _mode, _then in (
    ("hangs-after-printing", "pdf", printed),
    ("writes-under-home", "home", nothing_under_home),
):
    case(
        f"browser-{_label}",
        printing,
        runner="process",
        env=(*BROWSER_ENV, ("FAKE_BROWSER_MODE", _mode)),
        code=0,
        after=_then,
    )
case("closed-pipe-full-command-line", lambda d: ["programmes", "--json"], base="data", runner="pipe", code=0)
case(
    "closed-pipe-quick-path",
    lambda d: ["match", "--from", "oil-and-gas-process-operator", "--top", "100", "--json"],
    base="data",
    runner="pipe",
    code=0,
)
case("explore-with-stdin-closed", lambda d: ["explore"], runner="no-stdin", code=2, file=None, located=False)


def nothing_on_stdout(d: Path, result: Result) -> None:
    assert result.out == "", "with stderr closed, the error went to stdout"


case("error-with-stderr-closed", lambda d: ["roles", "no-such-role"], runner="no-stderr", after=nothing_on_stdout)


# 18. The environment: COLUMNS, HOME, shell completion.
group("odd COLUMNS, HOME and completion variables")


def shows_the_roles(d: Path, result: Result) -> None:
    assert TECHNICIAN in result.out


for _label, _columns in (("0", "0"), ("00", "00"), ("junk", "wide"), ("5000-digits", "9" * 5000), ("huge", "100000")):
    for _command in (["roles"], ["match", "--from", "operator"]):
        case(
            f"columns-{_label}-{_command[0]}",
            lambda d, c=_command: list(c),
            env=(("COLUMNS", _columns),),
            code=0,
            after=shows_the_roles,
        )
case("lines-5000-digits", lambda d: ["roles"], env=(("LINES", "9" * 5000),), code=0, after=shows_the_roles)
case(
    "explore-in-a-terminal-with-columns-0",
    lambda d: ["explore"],
    runner="terminal",
    env=(("COLUMNS", "0"),),
    replies=("q",),
    code=0,
)


def no_folder_in_the_working_directory(d: Path, result: Result) -> None:
    assert not (d.parent / "relative-home").exists(), "a relative HOME made a cache folder where the command ran"


case(
    "relative-home",
    lambda d: ["roles"],
    runner="process",
    env=(("HOME", "relative-home"), ("CGTPATHS_CACHE_DIR", None), ("XDG_CACHE_HOME", None)),
    code=0,
    after=no_folder_in_the_working_directory,
)
for _label, _cword in (("letters", "abc"), ("negative", "-1"), ("5000-digits", "9" * 5000), ("empty", "")):
    case(
        f"completion-cword-{_label}",
        lambda d: ["roles"],
        env=(("_CGTPATHS_COMPLETE", "complete_bash"), ("COMP_WORDS", "cgtpaths ro"), ("COMP_CWORD", _cword)),
        file=None,
        located=False,
        says="COMP_CWORD",
    )
case(
    "completion-unknown-instruction",
    lambda d: ["roles"],
    env=(("_CGTPATHS_COMPLETE", "bash_complete"),),
    file=None,
    located=False,
    says="complete_bash",
)


# 19. Odd Unicode, huge numbers and values in what is typed.
group("odd digits, look-alike ids, huge numbers and values typed")


def class_list(text: str | bytes, suffix: str = "csv", tail: list[str] | None = None) -> Build:
    def build(d: Path) -> list[str]:
        path = d.parent / f"class.{suffix}"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return ["handout", "--class", str(path), "--to", "technician", "--format", "md", *(tail or [])]

    return build


for _label, _digit in (("superscript", "²"), ("circled", "①"), ("arabic-indic", "٣")):
    case(
        f"class-level-{_label}",
        class_list(f"name,from,level\nSam,operator,{_digit}\n"),
        file="class.csv",
        located=False,
    )
    case(f"class-age-{_label}", class_list(f"name,from,age\nSam,operator,1{_digit}\n"), file="class.csv", located=False)
case(
    "class-yaml-level-superscript",
    class_list("- {from: operator, level: ²}\n", "yaml"),
    file="class.yaml",
    located=False,
)
for _option in ("--top", "--age", "--level"):
    case(
        f"quick-path-5000-digit{_option}",
        lambda d, o=_option: ["match", "--from", "operator", o, "9" * 5000],
        code=2,
        file=None,
        located=False,
    )
for _label, _typed in (
    ("zero-width", "tech\u200bnician"),
    ("cyrillic-e", "t\u0435chnician"),
    ("bidi", "\u202etechnician"),
):
    case(
        f"id-with-{_label}",
        lambda d, t=_typed: ["roles", t],
        file=None,
        located=False,
        says="not ASCII",
    )
case("skill-level-missing-after-equals", lambda d: ["match", "--skill", "gmp="], code=2, file=None, located=False)
case(
    "skill-of-100-kb",
    lambda d: ["match", "--skill", "x" * 100_000],
    file=None,
    located=False,
    says="more characters",
)
case(
    "search-of-100-kb",
    lambda d: ["search", "aseptic " * 12_500],
    base="data",
    code=2,
    file=None,
    located=False,
    says="at most",
)
case(
    "explore-answer-superscript",
    lambda d: ["explore"],
    runner="terminal",
    replies=("²", "q"),
    code=0,
)
case(
    "explore-answer-of-5000-digits",
    lambda d: ["explore"],
    runner="terminal",
    replies=("9" * 5000, "q"),
    code=0,
)
case("schema-unknown", lambda d: ["data", "schema", "nosuch"], file=None, located=False, says="Schemas: ")


# 20. CSV dialects and text encodings (handout.from_csv, fileio.decode_text).
group("CSV dialects and UTF-16/32 class lists and CVs")
case("class-cr-only-line-endings", class_list("name,from\rSam,operator\rPriya,operator\r"), code=0)
case("class-crlf-line-endings", class_list("name,from\r\nSam,operator\r\n"), code=0)
for _label, _text, _says in (
    ("unclosed-quote", 'name,from\n"Sam,operator\nPriya,operator\n', "never closed"),
    ("duplicate-header", "name,from,from\nSam,operator,technician\n", "more than once"),
    ("field-of-200-k", "name,from\n" + "S" * 200_000 + ",operator\n", "characters"),
    ("quoted-field-of-200-k", 'name,from\n"' + "S" * 200_000 + '",operator\n', "characters"),
    ("utf16-without-bom", "name,from\nSam,operator\n".encode("utf-16-le"), "UTF-16"),
):
    case(f"class-{_label}", class_list(_text), file="class.csv", located=False, says=_says)
for _encoding in ("utf-16", "utf-32"):
    case(f"class-{_encoding}-with-bom", class_list("name,from\nSam,operator\n".encode(_encoding)), code=0)


def finds_gmp(d: Path, result: Result) -> None:
    assert "no skill name or alias appears" not in result.out, result.out[:2000]
    assert "Good Manufacturing Practice" in result.out.split("\n\n")[0], result.out[:2000]


for _encoding in ("utf-16", "utf-16-be", "utf-32"):
    _text = "Worked to cGMP; aseptic processing in a cleanroom".encode(_encoding)
    if _encoding == "utf-16-be":
        _text = b"\xfe\xff" + _text
    case(f"text-{_encoding}-finds-its-skills", cv(_text), code=0, after=finds_gmp)
case(
    "text-utf16-without-bom",
    cv("Worked to GMP in a cleanroom".encode("utf-16-le")),
    file="cv.txt",
    located=False,
    says="UTF-16",
)


# 21. Data the loader used to take silently: misnamed files, cycles, self-references, no roles.
group("misnamed overlay files, cycles, self-references and empty datasets")
case(
    "overlay-roles-yml",
    overlay({"roles.yml": yaml_of("roles", SUPERVISOR)}),
    file="roles.yml",
    located=False,
    exactly_one=True,
    says="rename",
)


def overlay_with_folder(d: Path) -> list[str]:
    target = d.parent / "overlay"
    (target / "roles.yaml").mkdir(parents=True)
    return ["--overlay", str(target), *VALIDATE]


case("overlay-roles-yaml-is-a-folder", overlay_with_folder, file="roles.yaml", located=False, exactly_one=True)
case(
    "overlay-is-the-data-folder",
    lambda d: ["--overlay", str(d), *VALIDATE],
    file=None,
    located=False,
    says="is the data directory",
)


def overlay_twice(d: Path) -> list[str]:
    command = overlay({"skills.yaml": yaml_of("skills", GMP)})(d)
    return [*command[:2], *command]


case("overlay-given-twice", overlay_twice, file=None, located=False, says="again")


def region_cycle(d: Path) -> list[str]:
    data = records(d, "regions")
    data["regions"][1]["parent"] = "south"
    data["regions"].append({**data["regions"][1], "id": "south", "name": "South", "parent": "north"})
    dump(d, "regions", data)
    return VALIDATE


case("region-cycle", region_cycle, file="regions.yaml", marker="parent:", exactly_one=True, says="circle")


def skill_related_to_itself(d: Path) -> list[str]:
    data = records(d, "skills")
    data["skills"][1]["related"][0]["skill"] = data["skills"][1]["id"]
    dump(d, "skills", data)
    return VALIDATE


case("skill-related-to-itself", skill_related_to_itself, file="skills.yaml", marker="aseptic", exactly_one=True)
for _command in (VALIDATE, ["match", "--from", "operator"], ["roles"]):
    case(
        f"no-roles-then-{_command[-1]}",
        edit("roles.yaml", lambda b: b"roles: []\n", list(_command)),
        file="roles.yaml",
        located=False,
        exactly_one=True,
        says="no roles",
    )


# 22. Size and time: many problems, huge keys, big valid data.
group("hundreds of thousands of problems, megabyte keys, big valid overlays")


def counted_problems(d: Path, result: Result) -> None:
    found = re.search(r"\n([\d,]+) problems in the data", result.err)
    assert found and int(found[1].replace(",", "")) >= 400_000, result.err[-500:]
    assert result.err.count("\n") < 200


case(
    "four-hundred-thousand-empty-records",
    write("roles.yaml", "roles:\n" + "- {}\n" * 400_000),
    file="roles.yaml",
    after=counted_problems,
)


def short_message(d: Path, result: Result) -> None:
    assert len(result.err) < 3000, f"{len(result.err)} characters of message"


case(
    "one-megabyte-key",
    write("roles.yaml", "roles: []\n? " + "k" * MB + "\n: 1\n"),
    file="roles.yaml",
    exactly_one=True,
    after=short_message,
)
case(
    "nine-megabyte-key",
    write("roles.yaml", "roles: []\n? " + "k" * (9 * MB) + "\n: 1\n"),
    file="roles.yaml",
    exactly_one=True,
    after=short_message,
)
case(
    "one-megabyte-field-name",
    edit("roles.yaml", replace(b"    summary: Makes product.\n", b"    " + b"f" * MB + b": 1\n")),
    file="roles.yaml",
    exactly_one=True,
    after=short_message,
)


def ten_thousand_programmes(d: Path) -> list[str]:
    skills = [s["id"] for s in records(d, "skills")["skills"]]
    rng = random.Random(10)
    programmes = [
        {
            "id": f"synthetic-{i:05d}",
            "title": f"Course {i}",
            "kind": "short-course",
            "provider": "A college",
            "level": (level := rng.choice([2, 3, 4, 5, 6])),
            "entry_level": level - 1,
            "duration_months": rng.choice([1, 3, 6, 12]),
            "mode": "in-person",
            "access": ["open"],
            "regions": ["uk"],
            "teaches": [{"skill": rng.choice(skills), "level": rng.choice([1, 2, 3])} for _ in range(3)],
            "confidence": "inferred",
            "sources": SRC,
            "verified": dt.date(2026, 11, 25),
        }
        for i in range(10_000)
    ]
    target = d.parent / "overlay"
    target.mkdir()
    (target / "programmes.yaml").write_text(yaml_of("programmes", *programmes), encoding="utf-8")
    return ["--overlay", str(target), "pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--json"]


case("overlay-of-ten-thousand-programmes", ten_thousand_programmes, base="data", runner="process", code=0)


# 23. A stale cache: an edit the old key could not see, and a cache folder that only grew.
group("stale and ever-growing caches")


def edit_keeping_size_and_mtime(d: Path) -> list[str]:
    an_hour_ago = dt.datetime.now().timestamp() - 3600
    for path in d.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))  # old enough to be cached (cache.RACY_SECONDS)
    assert run("--data-dir", str(d), "roles", "--json").code == 0  # now answered from the cache
    roles = d / "roles.yaml"
    before = roles.stat()
    roles.write_bytes(roles.read_bytes().replace(b"{skill: gmp, level: 2,", b"{skill: gmp, level: 4,", 1))
    os.utime(roles, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (roles.stat().st_size, roles.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    return ["roles", "--json"]


case("same-size-edit-keeping-the-mtime", edit_keeping_size_and_mtime, file="roles.yaml", marker="level: 4")


def full_cache_folder(d: Path) -> list[str]:
    folder = d.parent / "cache"
    folder.mkdir()
    for i in range(300):
        (folder / f"records-{i:08x}.store").write_bytes(b"old")
        os.utime(folder / f"records-{i:08x}.store", (1_000_000 + i, 1_000_000 + i))
    return ["roles"]


def cache_folder_bounded(d: Path, result: Result) -> None:
    from cgtpaths import cache

    kept = [p for p in (d.parent / "cache").iterdir() if p.name.startswith("records-")]
    assert len(kept) <= cache.KEEP["records-"], len(kept)


case(
    "cache-folder-grows-forever",
    full_cache_folder,
    env=(("CGTPATHS_CACHE_DIR", "{tmp}/cache"),),
    code=0,
    after=cache_folder_bounded,
)


# ---- running the corpus -------------------------------------------------------------------------------

LOCATION = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")


def check_one_message(result: Result, case_: Case) -> None:
    """One message on stderr, naming the file (and line and column); nothing on stdout; no traceback."""
    err = result.err
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    assert len(err) < 20_000, "a message should stay readable, whatever the input"
    if result.code == 2:  # a usage error, reported by the command-line parser (Error:) or by us
        assert err.count("Error:") + err.count("cgtpaths: error:") == 1, err
        return
    assert result.out == ""
    assert err.startswith("cgtpaths: error: "), err[:500]
    assert err.count("cgtpaths:") == 1, err[:2000]
    first = err.removeprefix("cgtpaths: error: ").splitlines()[0]
    if case_.file is not None:
        named = first.split(": ", 1)[0]
        assert case_.file in named, f"the message should name {case_.file}: {first}"
    if case_.located:
        found = LOCATION.match(first)
        assert found, f"the message should give line and column: {first}"
        assert int(found["line"]) >= 1 and int(found["col"]) >= 1
    if case_.marker is not None:
        quoted = err.splitlines()[1]
        assert re.match(r"^ +\d+ \| ", quoted), err[:1000]
        assert case_.marker in quoted, f"the quoted line should show {case_.marker!r}: {quoted}"
    if case_.exactly_one:
        assert "\n1 problem in the data" in err or " problems in the data" not in err, err[:2000]


def prepare(case_: Case, tmp_path: Path) -> tuple[Path, list[str]]:
    base = tmp_path / case_.base
    if case_.base == "mini":
        shutil.copytree(MINI, base)
    else:
        shutil.copytree(DATA, base, ignore=shutil.ignore_patterns("schema", "README.md"))
    return base, case_.build(base)


@pytest.mark.parametrize("case_", CORPUS, ids=[c.name for c in CORPUS])
def test_every_broken_input_gets_one_clear_message(
    case_: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, command = prepare(case_, tmp_path)
    env = {name: None if value is None else value.replace("{tmp}", str(tmp_path)) for name, value in case_.env}
    try:
        result = run_case(case_, ["--data-dir", str(base), *command], env, tmp_path, monkeypatch)
        assert result.code == case_.code, f"exit {result.code}\n{result.err[:3000]}"
        assert "Traceback" not in result.err and "internal error" not in result.err, result.err[-2000:]
        if case_.runner == "no-stderr":
            pass  # nothing to read: stderr was closed
        elif case_.code >= 128:  # stopped by a signal, after cleaning up as Ctrl-C does
            assert result.err.strip() == f"cgtpaths: stopped by {case_.runner.upper()}", result.err
        elif case_.code:
            check_one_message(result, case_)
        elif case_.runner not in ("pipe", "terminal"):
            assert result.out or result.err.startswith("wrote "), result.err[-2000:]
        if case_.says is not None:
            assert case_.says in result.err, result.err[:3000]
    finally:
        if case_.after is not None:
            case_.after(base, result if "result" in locals() else Result(-1, "", ""))


def run_case(
    case_: Case, argv: list[str], env: dict[str, str | None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Result:
    """Run one case as its `runner` says. Child processes run the installed console script under a
    hang guard (timeout 60 s, far beyond any answer: speed itself is measured only in bench/)."""
    if case_.runner == "inprocess":
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return run(*argv)
    child = child_env(tmp_path)
    for name, value in env.items():
        if value is None:
            child.pop(name, None)
        else:
            child[name] = value
    if case_.runner == "terminal":
        return in_a_terminal(argv, child, case_.replies)
    prefix = ["timeout", "60"]
    if case_.runner == "unprivileged" and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be refused")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", *prefix]
    if case_.runner in ("pipe", "sigterm", "sighup"):
        return in_the_background(case_, [str(CONSOLE), *argv], child, tmp_path)
    full = [*prefix, str(CONSOLE), *argv]
    closing = {"no-stdin": 0, "no-stderr": 2}.get(case_.runner)
    proc = subprocess.run(
        full,
        capture_output=closing != 2,
        stdout=subprocess.PIPE if closing == 2 else None,
        stdin=subprocess.DEVNULL if closing != 0 else None,
        env=child,
        cwd=tmp_path,
        preexec_fn=None if closing is None else (lambda: os.close(closing)),
    )
    assert proc.returncode != 124, "hung"
    return Result(proc.returncode, proc.stdout.decode(), (proc.stderr or b"").decode())


def in_the_background(case_: Case, full: list[str], env: dict[str, str], tmp_path: Path) -> Result:
    """ "pipe": stdout is read for one byte, then closed (`| head -c1`); "sigterm"/"sighup": the
    signal is sent once the fake browser says it has started."""
    import signal
    import time

    proc = subprocess.Popen(
        full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=tmp_path
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        if case_.runner == "pipe":
            assert proc.stdout.read(1)
            proc.stdout.close()
        else:
            started = tmp_path / "browser-started"
            give_up = time.monotonic() + 60  # the hang guard
            while not started.exists():
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < give_up, "the browser never started"
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM if case_.runner == "sigterm" else signal.SIGHUP)
        code = proc.wait(timeout=60)  # the hang guard
        err = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    return Result(code, "", err)


def in_a_terminal(argv: list[str], env: dict[str, str], replies: tuple[str, ...]) -> Result:
    """explore in a pseudo-terminal: each reply typed at the next question; the screen is `out`."""
    import pexpect

    env = {**env, "TERM": "xterm", "NO_COLOR": "1"}
    child = pexpect.spawn(str(CONSOLE), argv, env=env, dimensions=(50, 80), encoding="utf-8", timeout=60)
    seen = []
    for reply in replies:
        child.expect(r"(Type a number|Your answer)[^\n]*: ")
        seen.append(child.before + child.after)
        child.sendline(reply)
    child.expect(pexpect.EOF)
    seen.append(child.before)
    child.close()
    code = child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus
    screen = "".join(seen)
    return Result(int(code), screen, screen if code else "")


def test_the_corpus_is_big_and_covers_every_kind_of_fault() -> None:
    assert len(CORPUS) >= 100
    families = {re.sub(r"-.*", "", c.name) for c in CORPUS}
    for family in ("truncated", "wrong", "missing", "duplicate", "empty", "list", "invalid", "junk", "billion"):
        assert family in families
    # every field of every model has its wrong-typed case
    for kind, cls in model.FILES.items():
        for path, _, _ in field_paths(cls):
            assert any(c.name == f"wrong-type-{kind}-{dotted(path)}" for c in CORPUS)


def test_every_case_belongs_to_a_group_and_the_doc_states_the_counts() -> None:
    """docs/reliability.md's numbers come from this corpus, the fuzz settings and the format checks."""
    import importlib.util

    assert all(c.group for c in CORPUS)
    spec = importlib.util.spec_from_file_location("reliability_counts", ROOT / "scripts" / "reliability_counts.py")
    assert spec is not None and spec.loader is not None
    counts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(counts)
    assert counts.current() == counts.section(), (
        "docs/reliability.md is out of date: run .venv/bin/python scripts/reliability_counts.py --write"
    )


def test_wrong_types_name_the_field(tmp_path: Path) -> None:
    """Beyond 'one message at the right line': the message names the field, as a curator reads it."""
    for kind, path in (("roles", ("gates", 0, "months")), ("programmes", ("funding", 0, "age_min"))):
        case_ = next(c for c in CORPUS if c.name == f"wrong-type-{kind}-{dotted(path)}")
        base, command = prepare(case_, tmp_path / kind)
        result = run("--data-dir", str(base), *command)
        assert f": {dotted(path)}: Input should be a valid integer" in result.err


def test_a_broken_dataset_fails_every_command_the_same_way(tmp_path: Path) -> None:
    case_ = next(c for c in CORPUS if c.name == "yaml11-octal-level")
    base, _ = prepare(case_, tmp_path)
    for command in (["roles"], ["match", "--from", "operator"], ["data", "audit"], ["search", "gmp"]):
        result = run("--data-dir", str(base), *command)
        assert result.code == 1, command
        check_one_message(result, case_)


# ---- through the real console script, with a hang guard --------------------------------------------

CONSOLE = Path(sys.executable).with_name("cgtpaths")
SAMPLE = [
    "truncated-mini-roles.yaml-",
    "wrong-type-roles-skills[0].level",
    "missing-reference-roles-progression[0]",
    "yaml11-sexagesimal-months",
    "billion-laughs",
    "invalid-utf8-encoded-surrogate",
    "deep-unclosed-nesting",
    "overlay-replaces-a-referenced-skill-with-a-broken-one",
    "profile-from-a-number",
    "text-over-1-mb",
]


def child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS", "CGTPATHS_DATA_DIR")}
    env.update(HOME=str(tmp_path / "home"), CGTPATHS_CACHE_DIR=str(tmp_path / "cache"), COLUMNS="100")
    return env


@pytest.mark.parametrize("name", SAMPLE)
def test_subprocess_sample(name: str, tmp_path: Path) -> None:
    """The same answers from the installed console script: a real process, real streams."""
    case_ = next(c for c in CORPUS if c.name.startswith(name))
    base, command = prepare(case_, tmp_path)
    proc = subprocess.run(
        ["timeout", "60", str(CONSOLE), "--data-dir", str(base), *command],
        capture_output=True,
        env=child_env(tmp_path),
        cwd=tmp_path,
    )
    assert proc.returncode != 124, "hung"  # the hang guard; speed itself is measured only in bench/
    result = Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())
    assert result.code == case_.code, result.err[:2000]
    check_one_message(result, case_)


MEMORY_LIMIT_MB = 300
MEASURE = """
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": proc.returncode, "maxrss_kb": usage.ru_maxrss, "err": proc.stderr.decode()[-2000:]}))
"""


MEMORY_CASES = [
    "file-of-50-mb",
    "billion-laughs",
    "deep-unclosed-nesting",
    "text-over-1-mb",
    "four-hundred-thousand-empty-records",
    "nine-megabyte-key",
    "class-field-of-200-k",
]


@pytest.mark.parametrize("name", MEMORY_CASES)
def test_huge_inputs_stay_within_bounded_memory(name: str, tmp_path: Path) -> None:
    """Measured in a fresh parent whose only child is the command, so nothing else counts."""
    [case_] = [c for c in CORPUS if c.name == name]
    base, command = prepare(case_, tmp_path)
    argv = ["timeout", "60", str(CONSOLE), "--data-dir", str(base), *command]
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *argv],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        cwd=tmp_path,
        check=True,
    )
    report = json.loads(proc.stdout)
    assert report["code"] == case_.code, report["err"]
    assert report["maxrss_kb"] < MEMORY_LIMIT_MB * 1024, f"{report['maxrss_kb'] // 1024} MB"


# ---- internal errors, --debug ---------------------------------------------------------------------------


def test_an_internal_error_says_so_plainly_without_a_stack_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    from cgtpaths import match

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(match, "match", broken)
    result = run("--data-dir", str(MINI), "match", "--from", "operator")
    assert result.code == 70
    assert result.out == ""
    assert result.err.startswith("cgtpaths: internal error: ZeroDivisionError: float division by zero\n")
    assert "This is a bug in cgtpaths" in result.err and "report it" in result.err and "--debug" in result.err
    assert "Traceback" not in result.err and 'File "' not in result.err
    with pytest.raises(ZeroDivisionError):  # --debug lets the traceback through, for the developer
        run("--debug", "--data-dir", str(MINI), "match", "--from", "operator")


def test_an_os_error_is_the_machine_not_a_bug(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cgtpaths import match

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device", str(tmp_path / "x"))

    monkeypatch.setattr(match, "match", full)
    result = run("--data-dir", str(MINI), "match", "--from", "operator")
    assert result.code == 1
    assert result.err == f"cgtpaths: error: cannot use '{tmp_path / 'x'}': No space left on device\n"


# ---- valid but adversarial data ----------------------------------------------------------------------------


def test_a_dense_progression_graph_still_answers(tmp_path: Path) -> None:
    roles = yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8"))["roles"]
    ids = [r["id"] for r in roles]
    for role in roles:
        role["progression"] = [i for i in ids if i != role["id"]]  # valid data: every link resolves
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "roles.yaml").write_text(yaml_of("roles", *roles), encoding="utf-8")
    command = ["pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--json"]
    proc = subprocess.run(
        ["timeout", "10", str(CONSOLE), "--overlay", str(overlay), *command],
        capture_output=True,
        env=child_env(tmp_path),
        cwd=tmp_path,
    )
    assert proc.returncode != 124, "still planning after 10 s (the hang guard)"
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]


# ---- nothing lost: output files are replaced whole or not at all -------------------------------------------


def files_in(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir()}


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("os.replace", OSError(28, "No space left on device")),
        ("os.fsync", OSError(5, "Input/output error")),
        ("os.fsync", KeyboardInterrupt()),
        ("os.chmod", PermissionError(1, "Operation not permitted")),
    ],
    ids=["rename-fails", "disk-fails", "ctrl-c", "chmod-fails"],
)
def test_a_failed_write_leaves_the_old_file_and_no_partial_one(
    target: str, error: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cgtpaths.errors import CgtpathsError
    from cgtpaths.fileio import write_atomic

    path = tmp_path / "summary.html"
    path.write_text("the adviser's earlier copy")
    before = files_in(tmp_path)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise error

    monkeypatch.setattr(target, fail)
    expected = CgtpathsError if isinstance(error, OSError) else type(error)
    with pytest.raises(expected) as info:
        write_atomic(path, "<html>the new copy</html>" * 1000)
    monkeypatch.undo()
    assert files_in(tmp_path) == before  # the old content, and no temporary file left behind
    if isinstance(error, OSError):
        assert str(info.value) == f"cannot write '{path}': {error.strerror}"


def test_content_that_cannot_be_written_leaves_the_old_file(tmp_path: Path) -> None:
    from cgtpaths.fileio import write_atomic

    path = tmp_path / "summary.md"
    path.write_text("old")

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no text for you")

    with pytest.raises(TypeError):
        write_atomic(path, Unprintable())  # type: ignore[arg-type]
    assert files_in(tmp_path) == {"summary.md": "old"}
    write_atomic(path, "new \udcff text")  # a lone surrogate from an argument: written visibly, not a failure
    assert files_in(tmp_path) == {"summary.md": "new \\udcff text"}


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual_ones(tmp_path: Path) -> None:
    from cgtpaths.fileio import write_atomic

    old = tmp_path / "shared.html"
    old.write_text("x")
    old.chmod(0o640)
    write_atomic(old, "y")
    assert (old.stat().st_mode & 0o777, old.read_text()) == (0o640, "y")
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.html", "z")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.html").stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600


def test_schema_write_into_a_folder_that_refuses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    target = tmp_path / "schema"
    target.mkdir()
    (target / "roles.schema.json").write_text("{}")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run("data", "schema", "--write", str(target))
    assert result.code == 1
    assert result.err.startswith(f"cgtpaths: error: cannot write '{target}{os.sep}")
    assert result.err.endswith(".schema.json': Permission denied\n") and result.err.count("\n") == 1
    assert files_in(target) == {"roles.schema.json": "{}"}


def test_schema_write_into_a_read_only_folder_for_real(tmp_path: Path) -> None:
    """With real permissions. Root ignores them, so as root the command runs without the capabilities
    that let it (setpriv drops them), which is how an ordinary user meets a read-only folder."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "roles.schema.json").write_text("{}")
    locked.chmod(0o555)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: read-only folders cannot be made")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    try:
        for folder in (locked, locked / "new"):
            r = subprocess.run(
                [*prefix, "timeout", "60", str(CONSOLE), "data", "schema", "--write", str(folder)],
                capture_output=True,
                text=True,
                env=child_env(tmp_path),
                cwd=tmp_path,
            )
            assert r.returncode == 1, r.stderr
            assert r.stderr.startswith("cgtpaths: error: cannot ") and r.stderr.endswith(": Permission denied\n")
            assert r.stderr.count("\n") == 1
        assert files_in(locked) == {"roles.schema.json": "{}"}
    finally:
        locked.chmod(0o755)
