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
HOST = {"skills": 1, "regions": 1, "roles": 1, "programmes": 0, "backgrounds": 0, "qualifications": 0}


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
        return "literal", None
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
                    item = TEMPLATES[item_type] if item_kind == "model" else LIST_ITEM
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
        record = data[kind][HOST[kind]]
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
    _list = _bare[_stem] if _stem != "dataset" else list(_bare.items())
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
def test_every_broken_input_gets_one_clear_message(case_: Case, tmp_path: Path) -> None:
    base, command = prepare(case_, tmp_path)
    result = run("--data-dir", str(base), *command)
    assert result.code == case_.code, f"exit {result.code}\n{result.err[:3000]}"
    if case_.code:
        check_one_message(result, case_)
    else:
        assert "Traceback" not in result.err and result.out


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


MEMORY_CASES = ["file-of-50-mb", "billion-laughs", "deep-unclosed-nesting", "text-over-1-mb"]


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
