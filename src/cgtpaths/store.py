"""A write-once file of named sections of keyed values, read one value at a time.

Why not one marshal blob: at ESCO scale the catalogue is ~15 MB, and reading, checking and
unmarshalling all of it (~200 ms) costs more than a whole query is allowed; a query touches a few
hundred records. Here each value is marshalled on its own, and a reader fetches just the ones it
asks for with `os.pread`.

Layout: MAGIC (16 bytes), then the header's offset (8), length (8) and CRC-32 (4), little-endian;
then the values; then the header (marshal: the key, a small `head` value, and for each section its
sorted keys, the offsets of its values and each value's CRC-32). The header goes last so values can
be written as they are made, never all held in memory at once. Nothing is trusted: the header's
length and CRC are checked when the file is opened, the file must end where the header does, and
each value's CRC is checked when it is read. A value that fails its check raises `Damaged`, for the
caller to fall back on the source data. Files are only ever replaced whole (written beside, then
renamed), never edited.
"""

from __future__ import annotations

import marshal
import os
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, ItemsView, Iterator, Mapping, Sequence, ValuesView
from typing import Any, BinaryIO

MAGIC = b"cgtpaths-store\x00\x04"
_PREFIX = len(MAGIC) + 20


def _seek_read(fd: int, size: int, offset: int) -> bytes:
    """os.pread where the OS has none (Windows): a Reader is used by one thread at a time."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


_pread = getattr(os, "pread", _seek_read)


class Damaged(Exception):
    """The file is not what it claims to be (truncated, corrupt, foreign, or of another shape)."""


def write(
    handle: BinaryIO,
    key: Any,
    head: Any,
    sections: dict[str, dict[str, Any]],
    spaces: dict[str, str] | None = None,
) -> None:
    """Write a store to `handle` (a new, seekable file).

    Sections keyed by the same ids (say, every index keyed by skill id) can share one sorted key
    list, a "space" (`spaces` maps a section to its space's name; by default each is its own): the
    header then holds each id once, not once per section. A key a section lacks has an empty slot.
    """
    spaces = spaces or {}
    space_keys: dict[str, set[str]] = {}
    for name, table in sections.items():
        space_keys.setdefault(spaces.get(name, name), set()).update(table)
    ordered = {space: sorted(keys) for space, keys in space_keys.items()}
    meta: dict[str, tuple[str, bytes, bytes]] = {}
    handle.write(bytes(_PREFIX))  # filled in at the end
    position = 0
    for name, table in sections.items():
        space = spaces.get(name, name)
        offsets = array("q", [position])
        crcs = array("I")
        for k in ordered[space]:
            if k in table:
                blob = marshal.dumps(table[k])  # never empty, so an empty slot means "absent"
                handle.write(blob)
                crcs.append(zlib.crc32(blob))
                position += len(blob)
            else:
                crcs.append(0)
            offsets.append(position)
        meta[name] = (space, offsets.tobytes(), crcs.tobytes())
    header = marshal.dumps((key, head, {space: _Keys.pack(keys) for space, keys in ordered.items()}, meta))
    handle.write(header)
    handle.seek(0)
    handle.write(
        MAGIC
        + (_PREFIX + position).to_bytes(8, "little")
        + len(header).to_bytes(8, "little")
        + zlib.crc32(header).to_bytes(4, "little")
    )


class Reader:
    """An open store file. `key` and `head` are read at once; section values on demand."""

    def __init__(self, path: str) -> None:
        self._fd = -1
        # without blocking: a named pipe put where the cache file goes must not hang the run
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            if (os.fstat(self._fd).st_mode & 0o170000) != 0o100000:  # stat.S_ISREG, without importing stat
                raise Damaged("not a regular file")
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        prefix = _pread(self._fd, _PREFIX, 0)
        if len(prefix) != _PREFIX or prefix[: len(MAGIC)] != MAGIC:
            raise Damaged("not a cgtpaths store")
        at = int.from_bytes(prefix[len(MAGIC) : len(MAGIC) + 8], "little")
        length = int.from_bytes(prefix[len(MAGIC) + 8 : len(MAGIC) + 16], "little")
        crc = int.from_bytes(prefix[len(MAGIC) + 16 :], "little")
        if at < _PREFIX or os.fstat(self._fd).st_size != at + length:
            raise Damaged("file size is not what its header says")
        header = _pread(self._fd, length, at)
        if len(header) != length or zlib.crc32(header) != crc:
            raise Damaged("header truncated or corrupt")
        try:
            self.key, self.head, packed, meta = marshal.loads(header)
            spaces = {space: _Keys(*keys) for space, keys in packed.items()}
            self._sections: dict[str, tuple[_Keys, array[int], array[int]]] = {
                name: (spaces[space], unpack("q", offsets), unpack("I", crcs))
                for name, (space, offsets, crcs) in meta.items()
            }
            for keys, offsets, crcs in self._sections.values():
                if not len(offsets) == len(keys) + 1 == len(crcs) + 1:
                    raise ValueError("section tables of different lengths")
                if offsets and (offsets[0] < 0 or offsets[-1] > at - _PREFIX):
                    raise ValueError("a section reaches past the values")
        except (EOFError, ValueError, TypeError, KeyError) as exc:
            raise Damaged(f"header of the wrong shape: {exc}") from None
        self._base = _PREFIX

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self, _close: Callable[[int], None] = os.close) -> None:
        # os.close bound when the class was made: at interpreter exit this module's globals may
        # already be gone
        if getattr(self, "_fd", -1) >= 0:
            _close(self._fd)
            self._fd = -1

    def sections(self) -> list[str]:
        return list(self._sections)

    def space(self, section: str) -> Sequence[str]:
        """Every key of the section's space, sorted, each decoded only when asked for."""
        return self._sections[section][0]

    def keys(self, section: str) -> tuple[str, ...]:
        """The keys this section holds, sorted."""
        space, offsets, _ = self._sections[section]
        return tuple(space[i] for i in range(len(space)) if offsets[i] < offsets[i + 1])

    def has(self, section: str, key: str) -> bool:
        space, offsets, _ = self._sections[section]
        i = space.find(key)
        return i >= 0 and offsets[i] < offsets[i + 1]

    def get(self, section: str, key: str) -> Any:
        """The value stored under `key`, or KeyError. Raises Damaged if it fails its check."""
        space, offsets, crcs = self._sections[section]
        i = space.find(key)
        if i < 0 or offsets[i] == offsets[i + 1]:
            raise KeyError(key)
        start, end = offsets[i], offsets[i + 1]
        return self._value(_pread(self._fd, end - start, self._base + start), crcs[i])

    def all(self, section: str) -> dict[str, Any]:
        """Every value of a section, read in one go (for commands that list or search everything)."""
        space, offsets, crcs = self._sections[section]
        first = offsets[0]
        blob = _pread(self._fd, offsets[-1] - first, self._base + first)
        if len(blob) != offsets[-1] - first:
            raise Damaged("file truncated")
        view = memoryview(blob)
        return {
            space[i]: self._value(view[offsets[i] - first : offsets[i + 1] - first], crcs[i])
            for i in range(len(space))
            if offsets[i] < offsets[i + 1]
        }

    @staticmethod
    def _value(blob: bytes | memoryview, crc: int) -> Any:
        if zlib.crc32(blob) != crc:
            raise Damaged("a value is truncated or corrupt")
        try:
            return marshal.loads(blob)
        except (EOFError, ValueError, TypeError) as exc:  # pragma: no cover - the CRC catches these first
            raise Damaged(f"a value cannot be read: {exc}") from None


class _Keys(Sequence[str]):
    """A sorted list of keys kept as one UTF-8 blob and where each key ends in it. Reading the header
    then copies two buffers, where unmarshalling 22,500 ids as strings cost ~5 ms of every run at
    ESCO scale; a lookup bisects the blob (UTF-8 sorts bytes in code-point order, as str sorts)."""

    __slots__ = ("_blob", "_ends")

    def __init__(self, blob: bytes, ends: bytes) -> None:
        self._blob = blob
        self._ends = unpack("q", ends)
        if not (self._ends and self._ends[0] == 0 and self._ends[-1] == len(blob)):
            raise ValueError("key table of the wrong shape")

    @staticmethod
    def pack(keys: list[str]) -> tuple[bytes, bytes]:
        """(blob, ends) for keys already sorted."""
        raw = [k.encode("utf-8", "surrogatepass") for k in keys]
        ends = array("q", [0])
        for item in raw:
            ends.append(ends[-1] + len(item))
        return b"".join(raw), ends.tobytes()

    def __len__(self) -> int:
        return len(self._ends) - 1

    def _raw(self, i: int) -> bytes:
        return self._blob[self._ends[i] : self._ends[i + 1]]

    def __getitem__(self, i: int) -> str:  # type: ignore[override]  # (no slices)
        return self._raw(i).decode("utf-8", "surrogatepass")

    def find(self, key: str) -> int:
        """The key's position, or -1."""
        raw = key.encode("utf-8", "surrogatepass")
        i = bisect_left(range(len(self)), raw, key=self._raw)
        return i if i < len(self) and self._raw(i) == raw else -1


def unpack(code: str, raw: bytes) -> array[Any]:
    """An array of type `code` from the bytes array.tobytes() gave."""
    out = array(code)
    out.frombytes(raw)
    return out


class LazyTable(Mapping[str, Any]):
    """One section of a store as a read-only mapping: keys known at once, each value read (and
    kept) on first use. If the file turns out damaged, `fallback(section)` supplies the section
    from the source data instead, and every later read comes from there."""

    def __init__(self, reader: Reader, section: str, fallback: Callable[[str], Mapping[str, Any]]) -> None:
        self._reader = reader
        self._section = section
        self._keys: tuple[str, ...] | None = None  # listed only if iterated: a scan of the section
        self._fallback = fallback
        self._memo: dict[str, Any] = {}
        self._complete = False

    def __getitem__(self, key: str) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            pass
        if self._complete:
            raise KeyError(key)
        try:
            value = self._reader.get(self._section, key)
        except Damaged:
            return self._replace()[key]
        self._memo[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        if self._complete:
            return key in self._memo
        return isinstance(key, str) and self._reader.has(self._section, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._memo if self._complete else self._listed())

    def __len__(self) -> int:
        return len(self._memo) if self._complete else len(self._listed())

    def _listed(self) -> tuple[str, ...]:
        if self._keys is None:
            self._keys = self._reader.keys(self._section)
        return self._keys

    def values(self) -> ValuesView[Any]:
        return self._everything().values()

    def items(self) -> ItemsView[str, Any]:
        return self._everything().items()

    def _everything(self) -> dict[str, Any]:
        """All values at once, in key order (one read rather than one per key)."""
        if not self._complete:
            try:
                self._memo = self._reader.all(self._section)
            except Damaged:
                return self._replace()
            self._complete = True
        return self._memo

    def _replace(self) -> dict[str, Any]:
        self._memo = dict(self._fallback(self._section))
        self._complete = True
        return self._memo

    def __repr__(self) -> str:
        return f"LazyTable({self._section!r}, {len(self)} keys)"


class LazyList(Sequence[Any]):
    """A list stored as one value of a LazyTable, read the first time an item is asked for."""

    def __init__(self, table: Mapping[str, Any], key: str) -> None:
        self._table = table
        self._key = key
        self._items: list[Any] | None = None

    def _list(self) -> list[Any]:
        if self._items is None:
            self._items = list(self._table[self._key])
        return self._items

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]  # (no slices)
        return self._list()[i]

    def __len__(self) -> int:
        return len(self._list())
