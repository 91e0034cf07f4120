"""Files in and out: reads that stop at a size limit, and atomic writes (a temporary file in the
same folder, then a rename)."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cgtpaths.errors import CgtpathsError


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed over `path` only if the block succeeds.

    On any failure (disk full, no permission, Ctrl-C) the previous file is untouched and the
    temporary file is removed. The new file gets the old one's permissions, or the usual ones
    for a new file (0666 less the umask), not mkstemp's private 0600.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CgtpathsError(f"cannot write '{path}': folder '{directory}' does not exist")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CgtpathsError(f"cannot write '{path}': {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        raise CgtpathsError(f"cannot write '{path}': {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


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


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than `limit`. Never reads more than limit + 1
    bytes, so a huge file, /dev/zero or an endless pipe costs no more memory than the limit."""
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    return None if len(raw) > limit else raw
