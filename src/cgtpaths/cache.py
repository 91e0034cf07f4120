"""A cache of the loaded, validated dataset as plain data, so a warm run reads neither YAML nor pydantic.

What is stored: load.Loaded's plain parts (records, dataset info, overlay reports) and the catalogue's
derived indexes, written with marshal, which reads plain dicts and lists back several times faster
than pickle or JSON.

When it is used: only when its key matches, and the key names everything the answer depends on -
the cache format, the package version and Python's marshal version, the dataset's folders, the
stat (mtime_ns, size, inode) of every data file that exists there (so a file changed, added or
removed is a different key), and the stat of the modules that decide what is stored (so an edited
model or index in a checkout is never answered from an old cache).

It is never required and never trusted: a missing, unwritable or read-only cache folder means a
slower run, not an error; a file that is truncated, corrupt (length and CRC-32 of the payload are
checked before marshal sees it) or of the wrong shape is ignored and rebuilt. Writes go to a
temporary file in the same folder and are renamed into place, so two processes building at once
each leave a complete file and the last rename wins. Data with problems is never cached (load.py
raises before anything is written), so a broken dataset reports its problems on every run.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from cgtpaths import __version__

FORMAT = 1  # bump when the payload's shape or the key changes
MAGIC = b"cgtpaths-cache\x00\x01"  # 16 bytes; then payload length (8) and CRC-32 (4), little-endian
HEADER = len(MAGIC) + 12
# A file modified this recently may change again within the same mtime tick (1 ms to 2 s depending
# on the filesystem) without its stat changing; such a build is used but not stored (git's "racy
# clean" rule), so a same-size edit made right after a run can never be answered from a stale cache.
RACY_SECONDS = 2.0
# The modules whose code decides what is stored: the plain records and the catalogue's indexes.
_CODE = ("model.py", "load.py", "yamlread.py", "cache.py", "catalogue.py", "tuning.py")

Stamp = tuple[str, int, int, int]  # path, mtime_ns, size, inode
_FILES = 5  # where make_key puts the data files' stamps


def cache_dir() -> Path | None:
    """$CGTPATHS_CACHE_DIR, else $XDG_CACHE_HOME/cgtpaths, else ~/.cache/cgtpaths; None if unknowable."""
    explicit = os.environ.get("CGTPATHS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says relative values are to be ignored
        return Path(xdg) / "cgtpaths"
    try:
        return Path.home() / ".cache" / "cgtpaths"
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None


def stamps(paths: list[Path]) -> list[Stamp]:
    """The stat of each path that exists (as a file), in order; missing ones are simply absent."""
    out = []
    for path in paths:
        name = os.path.abspath(path)
        try:
            st = os.stat(name)
        except OSError:
            continue
        if (st.st_mode & 0o170000) == 0o100000:  # a regular file (stat.S_ISREG without importing stat)
            out.append((name, st.st_mtime_ns, st.st_size, st.st_ino))
    return out


def make_key(folders: list[Path], files: list[Stamp]) -> tuple[Any, ...]:
    code_dir = os.path.dirname(os.path.abspath(__file__))
    code = stamps([Path(code_dir, name) for name in _CODE])
    return (
        FORMAT,
        __version__,
        marshal.version,
        sys.version_info[:2],
        tuple(os.path.abspath(f) for f in folders),
        tuple(files),
        tuple(code),
    )


def _file_for(directory: Path, folders: list[Path]) -> Path:
    """One cache file per dataset location, so a curator's data and the shipped data don't evict each other."""
    where = "\x00".join(os.path.abspath(f) for f in folders)
    return directory / f"catalogue-{zlib.crc32(where.encode('utf-8', 'surrogatepass')):08x}.marshal"


def read(folders: list[Path], key: tuple[Any, ...]) -> Any | None:
    """The value stored under `key`, or None when there is none, it is stale, or it cannot be trusted."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(_file_for(directory, folders), "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    if len(blob) < HEADER or blob[: len(MAGIC)] != MAGIC:
        return None
    length = int.from_bytes(blob[len(MAGIC) : len(MAGIC) + 8], "little")
    crc = int.from_bytes(blob[len(MAGIC) + 8 : HEADER], "little")
    payload = memoryview(blob)[HEADER:]
    if len(payload) != length or zlib.crc32(payload) != crc:
        return None  # truncated or corrupt
    try:
        stored = _loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return None
    return stored[1]


def write(folders: list[Path], key: tuple[Any, ...], value: Any) -> bool:
    """Store `value` under `key` if it is safe to; True when stored. Never raises for I/O problems."""
    directory = cache_dir()
    if directory is None or _racy(key):
        return False
    try:
        payload = marshal.dumps((key, value))
    except ValueError:  # a type marshal cannot store: don't cache rather than fail
        return False
    header = MAGIC + len(payload).to_bytes(8, "little") + zlib.crc32(payload).to_bytes(4, "little")
    target = _file_for(directory, folders)
    tmp = directory / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return False  # read-only, missing or not ours: run without a cache
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(header)
            handle.write(payload)
        # no fsync: a file torn by a crash fails the length/CRC check and is rebuilt
        os.replace(tmp, target)
    except OSError:
        _unlink(tmp)
        return False
    except BaseException:
        _unlink(tmp)
        raise
    return True


def _racy(key: tuple[Any, ...]) -> bool:
    newest = max((mtime for _, mtime, _, _ in key[_FILES]), default=0)
    return newest >= time.time_ns() - int(RACY_SECONDS * 1e9)


def _loads(payload: memoryview) -> Any:
    """marshal.loads with the garbage collector paused: nothing it builds can be cyclic garbage.

    The first time in a process, the collector is then told to leave what exists alone (gc.freeze):
    a command's catalogue lives as long as the process, and otherwise the next full collection walks
    every record of it (~50 ms at ESCO scale) for nothing. Only once, so a long-running process that
    opens many catalogues (the test suite) never freezes more than the first.
    """
    import gc

    global _frozen
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(payload)
    finally:
        if was_enabled:
            if not _frozen:
                gc.freeze()
                _frozen = True
            gc.enable()


_frozen = False


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
