"""The `cgtpaths` entry point: the frequent `match` requests on the quick path (quick.py), everything
else through the full command line (cli.py), and one way of turning a failure into a message and an
exit code for both. Imports no CLI framework: a quick answer never pays for typer."""

import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from cgtpaths.errors import CgtpathsError, Exit

T = TypeVar("T")


def main(argv: list[str] | None = None) -> None:
    """Run `cgtpaths ARGS`; expected failures become one message and an exit code, never a traceback."""
    import os

    from cgtpaths.quick import answer, help_request

    prepare_run()
    args = sys.argv[1:] if argv is None else argv
    printer = guarded(lambda: answer(args))
    if printer is None:
        request = help_request(args, os.environ)
        if request is not None:
            _help(request, argv)
        from cgtpaths.cli import main as full

        full(argv)  # exits
    guarded(printer)
    sys.exit(0)


def _help(request: tuple[str, int], argv: list[str] | None) -> NoReturn:
    """Help as typer printed it last time for this command and width (cache.read_help), else typer's
    help now, kept for next time."""
    from cgtpaths import cache

    text = cache.read_help(request)
    code: Any = 0
    if text is None:
        import contextlib
        import io

        from cgtpaths.cli import main as full

        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            try:
                full(argv)
            except SystemExit as exc:
                code = exc.code
        text = buffer.getvalue()
        if code == 0 and text:
            cache.write_help(request, text)
    shown = text
    guarded(lambda: _write_out(shown))
    sys.exit(code)


def _write_out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def guarded(run: Callable[[], T], debug: Callable[[], bool] | None = None) -> T:
    """`run()`, with the failures every command can meet turned into a message and an exit code.
    `debug()` (asked only when there is a bug to report) says to show the traceback instead."""
    try:
        return run()
    except CgtpathsError as exc:
        fail(f"error: {exc}", int(exc.exit_code))
    except KeyboardInterrupt:  # Ctrl-C, and SIGTERM and SIGHUP (on_signal): cleaned up on the way here
        interrupted()
    except BrokenPipeError:
        pipe_closed()
    except OSError as exc:  # the machine, not a bug: no permission, disk full, a file where a folder should be
        where = f" '{exc.filename}'" if exc.filename else ""
        fail(f"error: cannot use{where}: {exc.strerror or exc}", Exit.BAD_INPUT)
    except Exception as exc:
        if debug is not None and debug():
            raise
        fail(
            f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in cgtpaths, not a problem with what you "
            f"gave it. Please report it{_where_to_report()}, with the command you ran; run it again with --debug "
            "to see the details.",
            70,
        )


def fail(message: str, code: int) -> NoReturn:
    from cgtpaths.errors import clip_lines
    from cgtpaths.render.plain import safe

    # messages quote ids, file names and data as given: escapes and bells in them must not act on the
    # terminal, and no one line (a 1 MB key, a 100 KB argument) may flood it
    if sys.stderr is not None:  # (never stdout instead: that is the answer's, and may be a file)
        import contextlib

        # stderr closed or gone (a hung-up terminal): the exit code still says it
        with contextlib.suppress(OSError, ValueError):
            print(f"cgtpaths: {clip_lines(safe(message))}", file=sys.stderr)
    sys.exit(code)


def interrupted() -> NoReturn:
    """Ctrl-C (130), or SIGTERM / SIGHUP (128 + the signal's number), after the same clean-up."""
    if _received:
        fail(f"stopped by {_SIGNAL_NAMES.get(_received, f'signal {_received}')}", 128 + _received)
    fail("interrupted", Exit.INTERRUPTED)


def pipe_closed() -> NoReturn:
    """The reader went away (`| head`): the answer was not wanted any more, which is not an error.
    Exit 0 on every path, as `set -o pipefail` scripts need, with what is still buffered for stdout
    sent to /dev/null (else the flush at exit fails again, and Python exits 120)."""
    import os

    try:
        if sys.stdout is not None and sys.stdout.fileno() == 1:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
    except (OSError, ValueError, AttributeError):  # not a real stream (a test's buffer): nothing to flush
        pass
    sys.exit(0)


# ---- the run's surroundings: standard streams, signals, terminal width ----------------------------------

_received = 0  # the signal (SIGTERM, SIGHUP) this run was stopped by; 0 for none or Ctrl-C
_SIGNAL_NAMES = {15: "SIGTERM", 1: "SIGHUP"}


def prepare_run() -> None:
    """What every run needs before it reads an argument: the standard streams open, SIGTERM and
    SIGHUP cleaning up like Ctrl-C, a usable COLUMNS, a well-formed completion request."""
    import os

    global _received
    _received = 0
    standard_streams()
    tolerant_streams()
    on_signals()
    sane_columns(os.environ)
    from cgtpaths import fileio

    fileio.reset()
    bad = malformed_completion(os.environ)
    if bad:
        fail(f"error: {bad}", Exit.BAD_INPUT)


def standard_streams() -> None:
    """A closed stdin, stdout or stderr (`<&-`, `2>&-`) reopened on /dev/null: else the first file
    the run opens gets that number, and the answer, or an error message, is written into it (a
    data file, the cache); and Python's sys.stderr is None, which print() takes to mean stdout."""
    import os

    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            if getattr(sys, name) is None:
                stream = open(fd, mode, closefd=False, encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
                setattr(sys, name, stream)
        except OSError:  # pragma: no cover - no /dev/null
            pass


def on_signals() -> None:
    """SIGTERM and SIGHUP stop the run as Ctrl-C does: as an exception, so every `finally` runs
    (temporary files removed, a half-written output never left, the browser killed), then a
    message and exit 128 + the signal's number. A second signal during the clean-up is ignored."""
    import contextlib
    import threading

    if threading.current_thread() is not threading.main_thread():
        return  # (signal handlers can only be set from the main thread; a test may run us in another)
    signal = _signal_module()
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(OSError, ValueError):  # pragma: no cover - not allowed here
                signal.signal(number, _on_signal)


def _signal_module() -> Any:
    """The C module `signal` wraps: `signal` itself builds enums on import (~1 ms of every run)."""
    import importlib

    try:
        return importlib.import_module("_signal")
    except ImportError:  # pragma: no cover - another Python
        return importlib.import_module("signal")


def _on_signal(signum: int, frame: Any) -> None:
    global _received
    signal = _signal_module()
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)
    _received = signum
    raise KeyboardInterrupt


COLUMNS_RANGE = range(1, 10_001)


def sane_columns(environ: Any) -> None:
    """COLUMNS that is not a width (junk, 0, 00, a 5,000-digit number, over 10,000) set to 80, and LINES
    that is not a height to 24: rich and click read them, 0 columns printed nothing at all, and 5,000
    digits were more than int() will read."""
    for name, fallback in (("COLUMNS", "80"), ("LINES", "24")):
        value = environ.get(name)
        if value is None:
            continue
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 5 and int(digits) in COLUMNS_RANGE):
            environ[name] = fallback


def malformed_completion(environ: Any) -> str:
    """Why a shell-completion request cannot be answered (COMP_CWORD=abc), or ''."""
    instruction = environ.get("_CGTPATHS_COMPLETE")
    if instruction is None:
        return ""
    from cgtpaths.errors import shorten

    verb, _, shell = instruction.partition("_")  # typer's style: complete_bash, source_zsh
    if verb not in ("source", "complete") or shell not in COMPLETION_SHELLS:
        return (
            f"shell completion: _CGTPATHS_COMPLETE is '{shorten(instruction)}', not a request such as "
            "complete_bash; regenerate the completion script (cgtpaths --install-completion)"
        )
    cword = environ.get("COMP_CWORD")
    if (
        verb == "complete"
        and shell == "bash"
        and not (cword and cword.isascii() and cword.isdigit() and len(cword) <= 6)
    ):
        return (
            f"shell completion: COMP_CWORD is '{shorten(cword or '')}', not a word number; "
            "regenerate the completion script (cgtpaths --install-completion)"
        )
    return ""


COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def tolerant_streams() -> None:
    """Write what the terminal's encoding cannot hold (a lone surrogate from an argument that is not
    UTF-8, a '£' under an ASCII-only encoding) as a visible escape instead of failing the command."""
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or unusual stream: leave it be
                reconfigure(errors="backslashreplace")


def _where_to_report() -> str:
    """The issue tracker named in the package metadata (Project-URL "Issues"), if there is one."""
    try:
        from importlib.metadata import metadata

        for entry in metadata("cgtpaths").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().casefold() in {"issues", "bug tracker", "bugs"} and url.strip():
                return f" at {url.strip()}"
    except Exception:  # metadata missing or odd: the message still says what to do
        pass
    return " to the cgtpaths maintainers"
