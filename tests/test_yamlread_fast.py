"""The fast YAML reader (yamlread._FastBuilder) against the reference one (_Builder): the same data,
of the same types in the same order, and the same problems, for generated documents full of the
scalars YAML 1.1 reads surprisingly; and the positions, now found lazily, equal the reference's.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import DATA

from cgtpaths import yamlread
from cgtpaths.errors import Problem
from cgtpaths.yamlread import MAX_DEPTH, ReadFile, read_yaml

BENCH = Path(__file__).resolve().parents[1] / "bench" / "out" / "esco"

# Scalars whose reading depends on the resolver's first-character table or on our refusals.
TRICKY = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "TRUE", "~", "null", "Null", "NULL", "nope", "Ok",
    "010", "0", "-0", "+12", "1:30", "-1:30", "190:20:30.15", "0x1F", "0b101", "0o7", "1_000", "12e3", "1.5e+3",
    ".inf", "-.Inf", ".NaN", ".5", "-.5", "+.5", "1.", "2024-01-02", "2024-13-45", "2024-02-30",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "99999999999999999999999", "9" * 4400,
    "=", "<<", "!", "a", "role-1", "Network", "café", "日本語", "✓ done", "-", "x y", "t", "o", "f",
]  # fmt: skip
PREFIXES = ["&a ", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!custom ", "! ",
            "!!binary ", "!!seq ", "!!map ", "!!python/object ", "*a "]  # fmt: skip


def _quoted(text: str, style: str) -> str:
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)  # JSON escapes are YAML double-quoted escapes


texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8),
)
CONTROL = ["a\x1bb", "\x85", "\x07", "\x7f", "x\ty"]  # most end the read, so they are drawn rarely


@st.composite
def scalars(draw: st.DrawFn, *, flow: bool) -> str:
    text = draw(texts) if draw(st.integers(0, 39)) else draw(st.sampled_from(CONTROL))
    style = draw(st.sampled_from(["plain", "plain", "'", '"']))
    if style == "plain":
        # anything else in a plain scalar is mostly a syntax error; some of those are welcome too
        ok = text in TRICKY and not (flow and text in ("-", "!"))
        shown = text if ok or draw(st.integers(0, 9)) == 0 else _quoted(text, '"')
    else:
        shown = _quoted(text, style)
    if draw(st.integers(0, 11)) == 0:
        shown = draw(st.sampled_from(PREFIXES)) + shown
    return shown


GOOD_KEYS = ["id", "name", "level", "a", "b", "'<<'", "yes", "~", "1", "'x'", '"a"', "!custom a", "!!int 5", "café"]
BAD_KEYS = ["<<", "&k a", "*a", "? [a]", "? {a: 1}"]  # each ends the read, so they are drawn rarely


@st.composite
def keys(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(GOOD_KEYS if draw(st.integers(0, 29)) else BAD_KEYS))


@st.composite
def nodes(draw: st.DrawFn, depth: int = 0, *, flow: bool = False) -> Any:
    """A node as a tree: ("scalar", text), ("map", prefix, flow, [(key, node)]) or ("seq", prefix, flow, [node])."""
    choice = draw(st.integers(0 if depth else 4, 9)) if depth < 4 else 0  # the root is mostly a collection
    if choice < 5:
        return ("scalar", draw(scalars(flow=flow)))
    prefix = "" if draw(st.integers(0, 9)) else draw(st.sampled_from(["&a ", "!!map ", "!!seq ", "!!str ", "!x "]))
    as_flow = flow or draw(st.booleans())
    children = st.lists(nodes(depth + 1, flow=as_flow), max_size=4)
    if choice < 7:
        return ("seq", prefix, as_flow, draw(children))
    unique = draw(st.integers(0, 3)) > 0  # mostly distinct keys, so that most maps read to the end
    pairs = draw(
        st.lists(st.tuples(keys(), nodes(depth + 1, flow=as_flow)), max_size=4, unique_by=_key if unique else None)
    )
    return ("map", prefix, as_flow, pairs)


def _key(pair: tuple[str, Any]) -> str:
    return pair[0]


def render(node: Any, indent: int) -> str:
    """YAML text for a node that follows a key or dash (its own lines begin at `indent`)."""
    if node[0] == "scalar" or node[2] or not node[3]:
        return " " + _flow(node)
    kind, prefix, _, items = node
    pad = "  " * indent
    if kind == "seq":
        body = "".join(f"\n{pad}-{render(item, indent + 1)}" for item in items)
    else:
        body = "".join(f"\n{pad}{key}:{render(value, indent + 1)}" for key, value in items)
    return (" " + prefix.strip() if prefix else "") + body


def _flow(node: Any) -> str:
    if node[0] == "scalar":
        return str(node[1])
    kind, _, _, items = node
    prefix: str = node[1]
    if kind == "seq":
        return prefix + "[" + ", ".join(_flow(item) for item in items) + "]"
    return prefix + "{" + ", ".join(f"{key}: {_flow(value)}" for key, value in items) + "}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    root = draw(nodes())
    text = render(root, 0).lstrip("\n ")
    if draw(st.booleans()):
        text = "---\n" + text
    extra = draw(st.sampled_from(["", "", "", "\n", "\n---\nb: 1\n", "\n---\n", "\n...\n", "\n# end\n"]))
    return text + extra


def nested(depth: int, *, flow_map: bool) -> str:
    return ("{a: " * depth + "x" + "}" * depth) if flow_map else ("[" * depth + "x" + "]" * depth)


def shape(value: object) -> object:
    """The value with every type spelt out (True != 1, 1 != 1.0, nan == nan, key order kept)."""
    if isinstance(value, dict):
        return ("dict", [(shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [shape(v) for v in value])
    if isinstance(value, float | datetime.date):
        return (type(value).__name__, repr(value))
    return (type(value).__name__, value)


def assert_same(text: str) -> None:
    fast, fast_problems = yamlread._read_text(text, "f.yaml")
    ref, ref_problems = yamlread._read_text(text, "f.yaml", fast=False)
    assert fast_problems == ref_problems
    assert (fast is None) == (ref is None)
    if fast is None or ref is None:
        return
    assert shape(fast.data) == shape(ref.data)
    assert fast._values is None and fast._keys is None  # nothing located until a problem asks
    assert list(fast.values.items()) == list(ref.values.items())
    assert list(fast.keys.items()) == list(ref.keys.items())
    assert fast.lines == ref.lines


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_settings(600)
@given(documents())
def test_generated_documents_read_as_the_reference_reads_them(text: str) -> None:
    assert_same(text)


@_settings(200)
@given(st.lists(st.sampled_from(["a: 1", "- x", "  b: yes", "c:", "  - 010", "'k': ~", "? x", ": y", "{a: [", "]}",
                                 "&a", "*a", "---", "...", "\t", "d: 'it''s'", 'e: "\\x1b"', "f: \x07", "  ", "#c"]),
                max_size=12))  # fmt: skip
def test_line_soup_reads_as_the_reference_reads_it(lines: list[str]) -> None:
    """Mostly broken text: the syntax errors and refusals must come out the same, at the same place."""
    assert_same("\n".join(lines))


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2])
@pytest.mark.parametrize("flow_map", [False, True])
def test_nesting_limit_is_the_reference_one(depth: int, flow_map: bool) -> None:
    assert_same(nested(depth, flow_map=flow_map))
    assert_same(f"k: {nested(depth, flow_map=flow_map)}")
    assert_same(f"- {nested(depth, flow_map=flow_map)[:-1]}, !custom y{nested(depth, flow_map=flow_map)[-1]}")


@pytest.mark.parametrize("text", [*TRICKY, *(p + "5" for p in PREFIXES)])
@pytest.mark.parametrize("form", ["{}", "k: {}", "- {}", "[{}]", "{{k: {}}}", "'{}'", "k: '{}'"])
def test_each_tricky_scalar_in_each_place(text: str, form: str) -> None:
    assert_same(form.format(text) + "\n")


def test_a_repeated_plain_scalar_is_refused_at_each_place() -> None:
    """The fast reader memoises plain scalars: a refusal must not be remembered as a value."""
    assert_same("a: 1\nb: 1\nc: 010\n")
    assert_same("a: [2024-01-02, 2024-01-02, 2024-13-45]\n")


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_data_reads_as_the_reference_reads_it(path: Path) -> None:
    read, problems = read_yaml(path, path.name)
    assert problems == [] and read is not None
    assert_same(path.read_text(encoding="utf-8-sig"))


@pytest.mark.skipif(not (BENCH / "roles.yaml").is_file(), reason="bench/out/esco not generated")
def test_bench_roles_reads_as_the_reference_reads_it() -> None:
    assert_same((BENCH / "roles.yaml").read_text(encoding="utf-8-sig"))


def test_lazy_positions_locate_problems_as_before(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("roles:\n- id: a\n  level: 3\n  skills:\n  - {skill: s, level: 2}\n", encoding="utf-8")
    read, problems = read_yaml(path, "roles.yaml")
    assert problems == [] and read is not None
    assert read.locate(("roles", 0, "skills", 0, "level")) == (4, 22)
    assert read.locate(("roles", 0, "level"), key=True) == (2, 2)
    assert read.locate(("roles", 0, "nowhere", 3)) == (1, 2)
    assert read.problem_at(("roles", 0, "level"), "bad") == Problem("roles.yaml", 3, 10, "bad", "  level: 3")


def test_readfile_can_still_be_built_by_hand() -> None:
    read = ReadFile("x.yaml", ["a: 1"], {"a": 1}, {(): (0, 0), ("a",): (0, 3)}, {("a",): (0, 0)})
    assert read.locate(("a",)) == (0, 3) and read.locate(("a",), key=True) == (0, 0)
    assert read.problem_at(("a",), "m") == Problem("x.yaml", 1, 4, "m", "a: 1")
    assert ReadFile("y.yaml", []).locate(("a",)) == (0, 0)


@pytest.mark.parametrize("text", ["!!timestamp yes", "!!bool maybe", "!!int ''", "!!float ''", "k: !!bool ''"])
def test_an_explicit_tag_on_a_value_it_cannot_read_is_a_problem_not_a_crash(text: str) -> None:
    """(These raised AttributeError, KeyError or IndexError out of PyYAML's constructors.)"""
    read, problems = yamlread._read_text(text, "f.yaml")
    assert read is None and len(problems) == 1
    assert problems[0].message.startswith("cannot read '") and "remove the tag or fix the value" in problems[0].message
    assert_same(text)
