"""Strict YAML reading: text -> plain Python data, with the line and column of any node on demand.

Rejects what a hand-edited data file should never contain: duplicate keys, anchors and
aliases (which also defuses "billion laughs"), custom tags, absurd nesting, and the YAML 1.1
numbers nobody means (010 is octal 8, 1:30 is 90). Reads at most MAX_BYTES, and every failure,
even an impossible date or a 5,000-digit number, becomes a located Problem rather than an
exception. Positions let schema errors point at the exact line a curator must fix.

Reading is two-speed: _FastBuilder makes the data without recording positions (most reads
report nothing, and a position per node costs more than the data), and ReadFile re-parses its
text with the position-recording _Builder the first time a problem needs a position.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import yaml

from cgtpaths.errors import Problem
from cgtpaths.fileio import read_bounded

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

try:  # libyaml is 4-9x faster; fall back to the pure loader where the wheel lacks it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]
Positions = dict[Path_, tuple[int, int]]


class ReadFile:
    """A parsed YAML file: its data and where each node started (0-based line, column).

    `lines`, `values` and `keys` are worked out from the text on first use: a file that
    reads cleanly never needs them, and for a large file they cost more than the data.
    """

    def __init__(
        self,
        name: str,  # as shown in messages
        lines: list[str] | None = None,
        data: object = None,
        values: Positions | None = None,
        keys: Positions | None = None,
        *,
        text: str | None = None,
    ) -> None:
        self.name = name
        self.data = data
        self._text = text
        self._lines = lines
        self._values = values
        self._keys = keys

    def __repr__(self) -> str:
        return f"ReadFile({self.name!r}, data={self.data!r})"

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = (self._text or "").splitlines()
        return self._lines

    @property
    def values(self) -> Positions:
        return self._positions()[0]

    @property
    def keys(self) -> Positions:
        return self._positions()[1]

    def _positions(self) -> tuple[Positions, Positions]:
        """(values, keys): those given, else found by re-parsing the text, this time recording
        positions (the data is already built)."""
        if self._values is None or self._keys is None:
            values: Positions = {}
            keys: Positions = {}
            if self._text is not None:
                # (it read cleanly once already; should it fail now, keep the positions found before that)
                with contextlib.suppress(_Reject, yaml.YAMLError):
                    _Builder(values, keys, yaml.parse(self._text, Loader=_Loader)).document()
            self._values = values if self._values is None else self._values
            self._keys = keys if self._keys is None else self._keys
        return self._values, self._keys

    def problem(self, line0: int, col0: int, message: str) -> Problem:
        context = self.lines[line0].rstrip("\r\n") if 0 <= line0 < len(self.lines) else ""
        return Problem(self.name, line0 + 1, col0 + 1, message, _printable(context))

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest located ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (0, 0))

    def problem_at(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, col = self.locate(path, key=key)
        return self.problem(line, col, message)


def _printable(text: str) -> str:
    """Show a source line without letting control characters act on the terminal."""
    if text.isprintable():  # (at C speed: a 9 MB line char by char cost 400 MB of one-character strings)
        return text
    step = 4096
    return "".join(
        "".join(ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in text[i : i + step])
        for i in range(0, len(text), step)
    )


class _Reject(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        self.mark = mark
        self.message = message


def read_yaml(path: Path, name: str) -> tuple[ReadFile | None, list[Problem]]:
    """Read one YAML file. Returns the parsed file, or None and the problems that stopped it."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except OSError as exc:
        return None, [Problem(name, 0, 0, f"cannot read file: {exc.strerror or exc}")]
    if raw is None:
        return None, [
            Problem(name, 0, 0, f"file is larger than {MAX_BYTES // 1024 // 1024} MB, the limit for data files")
        ]
    from cgtpaths.fileio import encoding_of, looks_like_utf16

    encoding, _ = encoding_of(raw)
    if encoding not in ("", "utf-8"):  # Notepad's "Unicode": say what it is, not where UTF-8 broke
        return None, [Problem(name, 1, 1, f"file is {encoding.upper()[:6]} text; save it as UTF-8")]
    if looks_like_utf16(raw):
        return None, [Problem(name, 0, 0, "file looks like UTF-16 text without a byte-order mark; save it as UTF-8")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(name, exc)]
    if "\x00" in text:
        return None, [Problem(name, 0, 0, "file contains NUL bytes: it is binary, not YAML")]
    return _read_text(text, name)


def _read_text(text: str, name: str, *, fast: bool = True) -> tuple[ReadFile | None, list[Problem]]:
    """Parse decoded text. fast=False is the original reader, which records every position as it
    goes: kept as the reference the fast reader is tested against."""
    values: Positions | None = None if fast else {}
    keys: Positions | None = None if fast else {}
    read = ReadFile(name, values=values, keys=keys, text=text)
    try:
        if values is None or keys is None:
            read.data = _FastBuilder(_Loader(text)).document()
        else:
            read.data = _Builder(values, keys, yaml.parse(text, Loader=_Loader)).document()
    except _Reject as exc:
        if exc.mark is None:
            return None, [Problem(name, 0, 0, exc.message)]
        return None, [read.problem(exc.mark.line, exc.mark.column, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if mark is None:
            return None, [Problem(name, 0, 0, message)]
        return None, [read.problem(mark.line, mark.column, message)]
    except yaml.reader.ReaderError as exc:
        return None, [_unacceptable(read, text, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 0, 0, f"YAML error: {exc}")]
    return read, []


def _not_utf8(name: str, exc: UnicodeDecodeError) -> Problem:
    """Where the first byte that is not UTF-8 is, with its line quoted (the bad bytes shown as \\xff).
    Lines are counted as everywhere else (str.splitlines), so the number matches the editor's."""
    data = exc.object  # without the BOM, which exc.start does not count
    before = (data[: exc.start].decode("utf-8") + "^").splitlines()  # (the prefix is valid UTF-8)
    line, col = len(before) - 1, len(before[-1]) - 1
    shown = data.decode("utf-8", "backslashreplace").splitlines()
    context = _printable(shown[line]) if line < len(shown) else ""
    return Problem(name, line + 1, col + 1, "file is not valid UTF-8 text; save it as UTF-8", context)


def _unacceptable(read: ReadFile, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (ESC, BEL, DEL...), located by finding it in the text: the
    reader's own position counts bytes in libyaml but characters in the pure-Python reader."""
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    message = (
        f"character U+{code:04X} is not allowed in YAML; remove it (a control character can be written as an "
        "escape such as \\x1b inside double quotes)"
    )
    at = text.find(chr(code))
    if at < 0:
        return Problem(read.name, 0, 0, message)
    start = 0
    for line, chunk in enumerate(text.splitlines(keepends=True)):  # the same lines ReadFile shows
        if at < start + len(chunk):
            return read.problem(line, at - start, message)
        start += len(chunk)
    return Problem(read.name, 0, 0, message)  # pragma: no cover - `at` lies inside the text


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


class _AnyText:
    """Contains every string: what _RESOLVED_FIRST must be if a resolver can match any first character."""

    def __contains__(self, text: object) -> bool:
        return True


def _resolved_first() -> frozenset[str] | _AnyText:
    """The first characters (and "" for the empty scalar) with which a plain scalar may resolve to
    something other than str, read from the resolver itself so a PyYAML change cannot fool us."""
    table = yaml.SafeLoader.yaml_implicit_resolvers
    if None in table or yaml.SafeLoader.yaml_path_resolvers:  # pragma: no cover - not in PyYAML's SafeLoader
        return _AnyText()
    return frozenset({"", *(first for first in table if first is not None)})


_RESOLVED_FIRST = _resolved_first()


def _check_node(ev: Any, depth: int) -> None:
    """Refuse a node (not a mapping key) that is an alias, anchored, too deep or oddly tagged."""
    mark: Any = ev.start_mark
    if isinstance(ev, yaml.AliasEvent):
        raise _Reject(mark, "YAML aliases (*name) are not allowed in data files; write the value out in full")
    if getattr(ev, "anchor", None):
        raise _Reject(mark, "YAML anchors (&name) are not allowed in data files; write each value out in full")
    if depth > MAX_DEPTH:
        raise _Reject(mark, f"nesting deeper than {MAX_DEPTH} levels")
    tag = getattr(ev, "tag", None)
    if tag not in (None, "!") and tag not in _SAFE_TAGS:
        raise _Reject(mark, f"YAML tag '{tag}' is not allowed in data files; remove it")


def _check_key(ev: Any, out: dict[str, object]) -> str:
    """A mapping key: a plain scalar, unanchored and new to its mapping."""
    if not isinstance(ev, yaml.ScalarEvent) or (ev.value == "<<" and ev.implicit[0]):
        raise _Reject(ev.start_mark, "keys must be plain names (no merge keys or complex keys)")
    if ev.anchor:
        raise _Reject(ev.start_mark, "YAML anchors (&name) are not allowed in data files")
    key: str = ev.value
    if key in out:
        raise _Reject(ev.start_mark, f"duplicate key '{_shown(key)}' in the same mapping")
    return key


class _Builder:
    """Builds dicts, lists and scalars straight from parser events, recording positions.

    Working from events (rather than yaml.compose) is what lets us see anchors, which the
    composer resolves silently, and stop at the first alias before anything can expand.
    This is the reference reader and the one that finds positions; _FastBuilder makes the
    same data and problems without the positions.
    """

    def __init__(self, values: Positions, keys: Positions, events: Iterator[yaml.Event]) -> None:
        self.values = values
        self.keys = keys
        self.events = events
        self.loader = yaml.SafeLoader("")  # resolves and constructs plain scalars (int, bool, date)

    def document(self) -> object:
        ev = next(self.events)  # StreamStart
        ev = next(self.events)
        if isinstance(ev, yaml.StreamEndEvent):
            return None
        data = self.node(next(self.events), (), 0)
        next(self.events)  # DocumentEnd
        ev = next(self.events)
        if isinstance(ev, yaml.DocumentStartEvent):
            raise _Reject(ev.start_mark, "a data file holds one YAML document; remove the extra '---'")
        return data

    def node(self, ev: Any, path: Path_, depth: int) -> object:
        _check_node(ev, depth)
        mark: Any = ev.start_mark
        self.values[path] = (mark.line, mark.column)  # every parser event carries its start mark
        if isinstance(ev, yaml.ScalarEvent):
            return _scalar(self.loader, ev)
        if isinstance(ev, yaml.SequenceStartEvent):
            items: list[object] = []
            for ev in self.events:
                if isinstance(ev, yaml.SequenceEndEvent):
                    return items
                items.append(self.node(ev, (*path, len(items)), depth + 1))
        if isinstance(ev, yaml.MappingStartEvent):
            out: dict[str, object] = {}
            for ev in self.events:
                if isinstance(ev, yaml.MappingEndEvent):
                    return out
                key = _check_key(ev, out)
                key_mark: Any = ev.start_mark
                self.keys[(*path, key)] = (key_mark.line, key_mark.column)
                out[key] = self.node(next(self.events), (*path, key), depth + 1)
        raise _Reject(mark, "unexpected YAML structure")  # pragma: no cover - parser guarantees shape


class _FastBuilder:
    """_Builder's data and problems without its positions, at about half the cost.

    The same checks in the same event order, but the common case is cut short: a scalar with
    no tag or anchor, not too deep, is a str when quoted or when plain and its first character
    cannot start a bool, number, date or null (_RESOLVED_FIRST); the rest go through _scalar,
    memoised for plain scalars (their value decides the result, so `level: 3` resolves once).
    """

    def __init__(self, loader: Any) -> None:
        self.get: Callable[[], Any] = loader.get_event  # skips yaml.parse's generator
        self.loader = yaml.SafeLoader("")
        self.plain: dict[str, object] = {}

    def document(self) -> object:
        get = self.get
        get()  # StreamStart
        if type(get()) is yaml.StreamEndEvent:
            return None
        data = self.node(get(), 0)
        get()  # DocumentEnd
        ev = get()
        if type(ev) is yaml.DocumentStartEvent:
            raise _Reject(ev.start_mark, "a data file holds one YAML document; remove the extra '---'")
        return data

    def node(self, ev: Any, depth: int) -> object:
        """Any node, with every check: the slow path."""
        _check_node(ev, depth)
        kind = type(ev)
        if kind is yaml.ScalarEvent:
            return self.scalar(ev)
        if kind is yaml.SequenceStartEvent:
            return self.sequence(depth)
        if kind is yaml.MappingStartEvent:
            return self.mapping(depth)
        raise _Reject(ev.start_mark, "unexpected YAML structure")  # pragma: no cover - parser guarantees shape

    def scalar(self, ev: Any) -> object:
        if ev.tag is None and ev.implicit[0]:
            try:
                return self.plain[ev.value]
            except KeyError:
                value = self.plain[ev.value] = _scalar(self.loader, ev)  # (not stored when refused)
                return value
        return _scalar(self.loader, ev)

    def sequence(self, depth: int) -> list[object]:
        get, node, scalar, first = self.get, self.node, self.scalar, _RESOLVED_FIRST
        shallow = depth < MAX_DEPTH  # so the items may skip the depth check
        items: list[object] = []
        append = items.append
        while True:
            ev = get()
            kind = type(ev)
            if kind is yaml.ScalarEvent and shallow and ev.tag is None and ev.anchor is None:
                value: object = ev.value
                implicit = ev.implicit
                if (ev.value[:1] in first) if implicit[0] else not implicit[1]:
                    value = scalar(ev)
                append(value)
            elif kind is yaml.SequenceEndEvent:
                return items
            else:
                append(node(ev, depth + 1))

    def mapping(self, depth: int) -> dict[str, object]:
        get, node, scalar, first = self.get, self.node, self.scalar, _RESOLVED_FIRST
        shallow = depth < MAX_DEPTH
        out: dict[str, object] = {}
        while True:
            ev = get()
            if type(ev) is yaml.ScalarEvent and ev.anchor is None and not (ev.value == "<<" and ev.implicit[0]):
                key = ev.value
                if key in out:
                    raise _Reject(ev.start_mark, f"duplicate key '{key}' in the same mapping")
            elif type(ev) is yaml.MappingEndEvent:
                return out
            else:
                key = _check_key(ev, out)  # refuses it, with the reference's message
            ev = get()
            if type(ev) is yaml.ScalarEvent and shallow and ev.tag is None and ev.anchor is None:
                value: object = ev.value
                implicit = ev.implicit
                if (ev.value[:1] in first) if implicit[0] else not implicit[1]:
                    value = scalar(ev)
                out[key] = value
            else:
                out[key] = node(ev, depth + 1)


def _scalar(loader: yaml.SafeLoader, ev: Any) -> object:
    """Resolve and construct one scalar as the safe loader would, refusing what it must not read."""
    tag = ev.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return ev.value
    if tag in (_INT, _FLOAT) and ev.implicit[0]:
        _refuse_yaml11_number(ev, tag)
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
    try:
        value = loader.construct_object(node)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise _Reject(ev.start_mark, f"cannot read value: {problem}") from None
    except (ValueError, OverflowError) as exc:  # 2024-13-45; an integer of 5,000 digits
        if tag == _TIMESTAMP:
            why = f"cannot read '{_shown(ev.value)}' as a date ({exc}); write a real date as YYYY-MM-DD"
        else:
            why = f"cannot read '{_shown(ev.value)}' as a number: it is too long"
        raise _Reject(ev.start_mark, why) from None
    except (KeyError, IndexError, AttributeError, TypeError):  # !!bool maybe, !!int '', !!timestamp yes
        why = f"cannot read '{_shown(ev.value)}' as !!{tag.rsplit(':', 1)[-1]}; remove the tag or fix the value"
        raise _Reject(ev.start_mark, why) from None
    loader.constructed_objects.clear()
    return value


def _shown(value: str) -> str:
    return _printable(value if len(value) <= 40 else value[:40] + "...")


def _refuse_yaml11_number(ev: Any, tag: str) -> None:
    """YAML 1.1 reads 010 as 8 (octal) and 1:30 as 90 (base 60): never what a curator meant."""
    digits = ev.value.lstrip("+-").replace("_", "")
    if ":" in digits:
        raise _Reject(
            ev.start_mark,
            f"YAML 1.1 reads {ev.value} as a base-60 number, not a time; put it in quotes ('{ev.value}')",
        )
    if tag == _INT and len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        raise _Reject(
            ev.start_mark,
            f"YAML 1.1 reads {ev.value} as an octal number (a leading 0); write it without the 0, "
            f"or put it in quotes ('{ev.value}') if it is a code",
        )
