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

    tolerant_streams()
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
    except KeyboardInterrupt:
        fail("interrupted", Exit.INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a message
        sys.exit(0)
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
    from cgtpaths.render.plain import safe

    # messages quote ids, file names and data as given: escapes and bells in them must not act on the terminal
    print(f"cgtpaths: {safe(message)}", file=sys.stderr)
    sys.exit(code)


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
