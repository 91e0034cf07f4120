"""A cache of the loaded, validated dataset as plain data, so a warm run reads neither YAML nor pydantic
(and, beside it, the help text typer last printed, so help needs no typer: see read_help).

What is stored: the records, the dataset info, the overlay reports and the catalogue's derived
indexes, in a store file (store.py): each record and index entry marshalled on its own, so a query
reads only the few hundred it uses rather than the whole catalogue.

When it is used: only when its key matches, and the key names everything the answer depends on -
the cache format, the package version and Python's marshal version, the dataset's folders, the
stat (mtime_ns, ctime_ns, size, inode) of every data file that exists there (so a file changed,
added or removed is a different key; ctime because an edit that keeps the size and puts the mtime
back, as `touch -r` and some sync tools do, still changes it), and the stat of the modules that
decide what is stored (so an edited model or index in a checkout is never answered from an old cache).

It is never required and never trusted: a missing, unwritable or read-only cache folder means a
slower run, not an error; a file that is truncated, corrupt (the header's length and CRC-32, the
file's size, and each value's CRC-32 as it is read) or of the wrong shape is ignored, and rebuilt.
Writes go to a temporary file in the same folder and are renamed into place, so two processes
building at once each leave a complete file and the last rename wins. Data with problems is never
cached (load.py raises before anything is written), so a broken dataset reports its problems on
every run.
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

from cgtpaths import __version__, store

FORMAT = 5  # bump when the stored shape or the key changes
# A file modified this recently may change again within the same mtime tick (1 ms to 2 s depending
# on the filesystem) without its stat changing; such a build is used but not stored (git's "racy
# clean" rule), so a same-size edit made right after a run can never be answered from a stale cache.
RACY_SECONDS = 2.0
# The modules whose code decides what is stored: the plain records and the catalogue's indexes.
_CODE = ("model.py", "load.py", "yamlread.py", "cache.py", "store.py", "catalogue.py", "tuning.py")

Stamp = tuple[str, int, int, int, int]  # path, mtime_ns, size, inode, ctime_ns
# The cache folder is bounded: one file per dataset location, per data file and per help request
# ever used would grow forever, so after each write only the newest KEEP of each kind stay.
KEEP = {"catalogue-": 16, "records-": 128, "help-": 64}
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
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None
    if not home.is_absolute():  # HOME=. or HOME=x: a cache folder wherever the command runs; none rather
        return None
    return home / ".cache" / "cgtpaths"


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
            out.append((name, st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns))
    return out


def _code() -> list[Stamp]:
    code_dir = os.path.dirname(os.path.abspath(__file__))
    return stamps([Path(code_dir, name) for name in _CODE])


def make_key(folders: list[Path], files: list[Stamp]) -> tuple[Any, ...]:
    code = _code()
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
    return directory / f"catalogue-{_tag(folders)}.store"


def _tag(paths: list[Path]) -> str:
    where = "\x00".join(os.path.abspath(f) for f in paths)
    return f"{zlib.crc32(where.encode('utf-8', 'surrogatepass')):08x}"


def read(folders: list[Path], key: tuple[Any, ...]) -> store.Reader | None:
    """The store written under `key`, open for reading; None when there is none, it is stale, or it
    cannot be trusted (its values are checked again as they are read: store.Damaged)."""
    directory = cache_dir()
    if directory is None:
        return None
    return _open(_file_for(directory, folders), key)


def _open(target: Path, key: tuple[Any, ...]) -> store.Reader | None:
    try:
        reader = store.Reader(str(target))
    except (OSError, store.Damaged):
        return None
    if reader.key != key:
        reader.close()
        return None
    return reader


def discard(folders: list[Path]) -> None:
    """Remove the cache file (found damaged), so the next run rebuilds it."""
    directory = cache_dir()
    if directory is not None:
        _unlink(_file_for(directory, folders))


def write(
    folders: list[Path],
    key: tuple[Any, ...],
    head: Any,
    sections: dict[str, dict[str, Any]],
    spaces: dict[str, str] | None = None,
) -> bool:
    """Store `head` and `sections` under `key` if it is safe to; True when stored. Never raises for
    I/O problems."""
    directory = cache_dir()
    if directory is None or _racy(key[_FILES]):
        return False
    target = _file_for(directory, folders)
    _unlink(target.with_suffix(".marshal"))  # the single-blob format of cgtpaths before this one
    return _write(directory, target, key, head, sections, spaces)


# ---- help text ---------------------------------------------------------------------------------
# `cgtpaths --help` and `cgtpaths COMMAND --help` print what typer makes of cli.py, at the width the
# terminal gives: the same text every time until one of those changes. Shells that complete from
# --help (zsh's _gnu_generic, fish) run it on every TAB, and typer's import alone is most of a run.
# Keyed by the request and width, the package version, and the stat of cli.py and of typer itself.


def _help_key(request: tuple[str, int]) -> tuple[Any, ...]:
    from importlib.machinery import PathFinder

    code_dir = os.path.dirname(os.path.abspath(__file__))
    typer = PathFinder.find_spec("typer")  # found, not imported
    origin = typer.origin if typer is not None and typer.origin else ""
    code = stamps([Path(code_dir, "cli.py"), Path(code_dir, "__init__.py"), Path(origin)])
    return (FORMAT, __version__, marshal.version, sys.version_info[:2], request, tuple(code))


def _help_file(directory: Path, request: tuple[str, int]) -> Path:
    return directory / f"help-{request[0] or 'cgtpaths'}-{request[1]}.store"


def read_help(request: tuple[str, int]) -> str | None:
    """The help text stored for (command, width), if it is current."""
    directory = cache_dir()
    if directory is None:
        return None
    reader = _open(_help_file(directory, request), _help_key(request))
    if reader is None:
        return None
    reader.close()
    return reader.head if isinstance(reader.head, str) else None


def write_help(request: tuple[str, int], text: str) -> bool:
    directory = cache_dir()
    if directory is None:
        return False
    return _write(directory, _help_file(directory, request), _help_key(request), text, {}, None)


# ---- one data file's validated records ---------------------------------------------------------
# When one file of a dataset changes, only that file is read and validated again: the others'
# records come from here (cross-file checks and indexes are always redone). Stored only for a
# file that had no problems of its own, keyed by its own stat and the code, like the catalogue.


def _file_key(stamp: Stamp) -> tuple[Any, ...]:
    return (FORMAT, __version__, marshal.version, sys.version_info[:2], stamp, tuple(_code()))


def read_records(path: Path) -> tuple[Stamp, Any] | None:
    """(the file's stat, the value stored for it) if current; None otherwise."""
    directory = cache_dir()
    found = stamps([path])
    if directory is None or not found:
        return None
    reader = _open(directory / f"records-{_tag([path])}.store", _file_key(found[0]))
    if reader is None:
        return None
    reader.close()
    return found[0], reader.head


def write_records(path: Path, stamp: Stamp, value: Any) -> bool:
    """Store `value` for the file as it was when `stamp` was taken (and still is)."""
    directory = cache_dir()
    if directory is None or _racy([stamp]) or stamps([path]) != [stamp]:
        return False
    return _write(directory, directory / f"records-{_tag([path])}.store", _file_key(stamp), value, {}, None)


def _write(
    directory: Path,
    target: Path,
    key: tuple[Any, ...],
    head: Any,
    sections: dict[str, dict[str, Any]],
    spaces: dict[str, str] | None,
) -> bool:
    tmp = directory / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return False  # read-only, missing or not ours: run without a cache
    try:
        with os.fdopen(fd, "wb") as handle:
            store.write(handle, key, head, sections, spaces)
        # no fsync: a file torn by a crash fails the size or CRC checks and is rebuilt
        os.replace(tmp, target)
        _prune(directory, target.name)
    except (OSError, ValueError):  # ValueError: a type marshal cannot store; don't cache rather than fail
        _unlink(tmp)
        return False
    except BaseException:
        _unlink(tmp)
        raise
    return True


def _prune(directory: Path, written: str) -> None:
    """Keep only the newest KEEP files of the kind just written (by mtime: each is written whole)."""
    prefix = next((p for p in KEEP if written.startswith(p)), None)
    if prefix is None:
        return
    try:
        with os.scandir(directory) as entries:
            found = [
                (entry.stat().st_mtime_ns, entry.name)
                for entry in entries
                if entry.name.startswith(prefix) and entry.name.endswith(".store") and entry.is_file()
            ]
    except OSError:
        return
    if len(found) <= KEEP[prefix]:
        return
    found.sort(reverse=True)
    for _, name in found[KEEP[prefix] :]:
        if name != written:
            _unlink(directory / name)


def _racy(files: Any) -> bool:
    newest = max((stamp[1] for stamp in files), default=0)
    return newest >= time.time_ns() - int(RACY_SECONDS * 1e9)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
