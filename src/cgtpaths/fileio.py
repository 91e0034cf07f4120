"""Files in and out, the one place the rules for both live.

Reading (read_bounded): a file is opened without blocking (a named pipe with no writer must not hang
the command), only a regular file is read, and never more than a limit, so a huge file costs no
more memory than the limit. Text is decoded by its byte-order mark (decode_text): UTF-8, UTF-16 or
UTF-32, as Windows tools save them.

Writing (atomic_path, write_atomic): `-o` writes only to a regular file or a new path. It refuses a
special file (a FIFO, a device such as /dev/null, a socket), a read-only file unless --force was
given, and any file this run reads (a data file, the --text CV, the --class list). A symbolic link
is written through (the link stays, its target gets the new content); a file with other hard links
is rewritten in place once the new content is complete, so every link sees it. Otherwise the new
content goes to a temporary file in the same folder, renamed over the old one only when complete.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cgtpaths.errors import CgtpathsError

# What this run reads (device, inode) and whether --force was given: set per run (reset), consulted
# by every write. Module state because a run is one command; tests run many in one process.
_inputs: set[tuple[int, int]] = set()
_force = False


def reset(*, force: bool = False) -> None:
    """Start a run: no inputs yet; `force` lets a read-only output file be replaced."""
    global _force
    _inputs.clear()
    _force = force


def allow_read_only(force: bool) -> None:
    global _force
    _force = force


def note_inputs(paths: Iterable[Path]) -> None:
    """Record files this run reads, so `-o` can refuse to replace one of them."""
    for path in paths:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue
        _inputs.add((st.st_dev, st.st_ino))


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class NotRegular(OSError):
    """An input that is not a regular file (a FIFO, a device, a socket, a folder)."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(0, f"it is {kind_of(mode)}, not a regular file; save it to a file and give that", str(path))


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than `limit`. Opens without blocking and reads
    only a regular file (NotRegular otherwise), never more than limit + 1 bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise NotRegular(path, found.st_mode)
        _inputs.add((found.st_dev, found.st_ino))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    return None if len(raw) > limit else raw


BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def encoding_of(raw: bytes) -> tuple[str, int]:
    """(the encoding a byte-order mark names, the mark's length); ("", 0) without one."""
    for mark, name in BOMS:
        if raw.startswith(mark):
            return name, len(mark)
    return "", 0


def looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 or UTF-32 text saved without a byte-order mark: NUL in every other byte (or more)."""
    sample = raw[:4096]
    return len(sample) >= 8 and max(sample[0::2].count(0), sample[1::2].count(0)) * 2 >= len(sample) * 0.6


def decode_text(raw: bytes, name: str) -> str:
    """A text file's characters: by its byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8, with
    bytes that are not (a CV in Latin-1) shown as U+FFFD. UTF-16 without a mark is refused by name."""
    encoding, skip = encoding_of(raw)
    if encoding:
        try:
            return raw[skip:].decode(encoding)
        except UnicodeDecodeError:
            raise CgtpathsError(
                f"{name}: starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()}"
            ) from None
    if looks_like_utf16(raw):
        raise CgtpathsError(
            f"{name}: looks like UTF-16 text without a byte-order mark", hint="Save it as UTF-8 (or UTF-16 with a BOM)."
        )
    return raw.decode("utf-8", errors="replace")


# ---- writing ----------------------------------------------------------------------------------------


def output_target(path: Path) -> tuple[Path, bool]:
    """(the regular file to write for `path`, whether to rewrite it in place because it has other
    hard links); CgtpathsError for a path `-o` must not replace."""
    target = path
    found = _stat(os.lstat, path, path)
    if found is not None and stat.S_ISLNK(found.st_mode):
        target = Path(os.path.realpath(path))  # write through the link: the link stays a link
        found = _stat(os.stat, target, path)
    if found is None:
        return target, False  # a new file
    if not stat.S_ISREG(found.st_mode):
        raise CgtpathsError(
            f"cannot write '{path}': it is {kind_of(found.st_mode)}, not a regular file",
            hint="-o writes only to a regular file or a new path; -o - prints to the screen.",
        )
    if (found.st_dev, found.st_ino) in _inputs:
        raise CgtpathsError(
            f"cannot write '{path}': it is one of this command's inputs, which writing would destroy",
            hint="Choose another file name for -o.",
        )
    if not _force and (found.st_mode & 0o222 == 0 or not os.access(target, os.W_OK)):
        raise CgtpathsError(f"'{path}' is read-only; not replacing it", hint="Add --force to replace it anyway.")
    return target, found.st_nlink > 1


def _stat(how: Any, path: Path, shown: Path) -> os.stat_result | None:
    """`how(path)` (os.stat or os.lstat); None for a path that does not exist."""
    try:
        return how(path)  # type: ignore[no-any-return]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CgtpathsError(f"cannot write '{shown}': {exc.strerror or exc}") from None


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; put in place of `path` only if the block succeeds.

    On any failure (disk full, no permission, Ctrl-C, SIGTERM) the previous file is untouched and
    the temporary file is removed. The new file gets the old one's permissions, or the usual ones
    for a new file (0666 less the umask), not mkstemp's private 0600. See the module for the rules
    on which paths may be written.
    """
    path, in_place = output_target(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CgtpathsError(f"cannot write '{path}': folder '{directory}' does not exist")
    import tempfile  # (here: the quick path imports this module, and tempfile costs a few ms)

    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CgtpathsError(f"cannot write '{path}': {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if in_place:
            _copy_into(tmp, path)
        else:
            os.chmod(tmp, _mode_for(path))
            os.replace(tmp, path)
    except OSError as exc:
        raise CgtpathsError(f"cannot write '{path}': {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


def _copy_into(source: Path, target: Path) -> None:
    """Rewrite `target` in place with `source`'s complete content (keeps its hard links)."""
    with source.open("rb") as src, target.open("r+b") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` only once the new content is complete (see atomic_path)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
        # characters the encoding cannot hold (a lone surrogate from a command-line argument) are
        # written visibly as escapes, as on stdout, rather than failing the whole write
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
