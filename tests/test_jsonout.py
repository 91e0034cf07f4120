"""The --json writer: byte for byte what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cgtpaths.render.jsonout import dumps, envelope


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


class Level(IntEnum):
    ONE = 1


class Kind(StrEnum):
    A = "a\u009b"


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # any code point, lone surrogates and controls included
    | st.sampled_from([Level.ONE, Kind.A])
)
keys = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_dumps_is_json_dumps(value: Any) -> None:
    assert dumps(value) == reference(value)


@given(st.dictionaries(st.text(), values, max_size=4))
@example({"dataset": None})  # a payload key named like envelope's own parameter (found by CI)
def test_the_envelope_escapes_del_and_c1_as_before(payload: dict[str, Any]) -> None:
    body = {"schema_version": 1, "dataset": {"source": "shipped"}, **payload}
    old = reference(body)
    for code in range(0x7F, 0xA0):
        old = old.replace(chr(code), f"\\u{code:04x}")
    assert envelope({"source": "shipped"}, **payload) == old


@pytest.mark.parametrize(
    "value",
    [object(), {"a": {1, 2}}, [b"bytes"], {(1, 2): "tuple key"}, {"nested": [{"x": {frozenset(): 1}}]}],
)
def test_what_json_refuses_is_refused_the_same_way(value: Any) -> None:
    with pytest.raises(TypeError) as ours:
        dumps(value)
    with pytest.raises(TypeError) as theirs:
        reference(value)
    assert str(ours.value) == str(theirs.value)


def test_a_circular_structure_is_refused() -> None:
    loop: list[Any] = [1]
    loop.append({"again": loop})
    with pytest.raises(ValueError, match="Circular reference detected"):
        dumps(loop)
    shared = [1, 2]
    assert dumps([shared, {"x": shared}]) == reference([shared, {"x": shared}])  # repeated, not circular
