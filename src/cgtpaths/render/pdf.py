"""PDF by printing our HTML in a headless Chromium or Chrome: the browser a careers adviser would
print from anyway, so the PDF matches what they see, with every font and script the machine has.

Why not a Python PDF library: fpdf2 needs a bundled Unicode font and hand-made layout (and 0.4 s
to import), WeasyPrint needs Pango from the OS. A browser is one well-known install
(`apt-get install chromium`, or Chrome) and nothing Python-side; without one, the error says
how to get one or to use --format html and print from any browser. `CGTPATHS_CHROMIUM` names
the binary when it is not on PATH.

The PDF is printed into a temporary file beside the target and renamed over it only when the
browser succeeded and the file is a PDF: a failure never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cgtpaths.errors import CgtpathsError
from cgtpaths.fileio import atomic_path
from cgtpaths.render.plain import safe

ENV = "CGTPATHS_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "microsoft-edge", "msedge")
# Where the usual installers put a browser that is not on PATH (macOS apps, Windows).
KNOWN_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
)
TIMEOUT_SECONDS = 120
HINT = (
    "Install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or Google Chrome, or set "
    f"{ENV} to the browser's path; or use --format html and print to PDF from any browser."
)


def find_browser() -> str:
    """The browser to print with: $CGTPATHS_CHROMIUM, else the first known name on PATH."""
    chosen = os.environ.get(ENV)
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise CgtpathsError(f"{ENV} is set to '{chosen}', which is not a program that can be run", hint=HINT)
        return found
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in KNOWN_PATHS:
        if Path(path).is_file():
            return path
    raise CgtpathsError("making a PDF needs Chromium or Chrome, and neither was found", hint=HINT)


def command(browser: str, html_file: Path, pdf_file: Path, profile_dir: Path, sandbox: bool | None = None) -> list[str]:
    """Headless print: no network, no extensions, no first-run work, no page headers or footers.

    Scripts stay on in the browser (turning them off stops headless printing altogether); the
    page's Content-Security-Policy is what forbids scripts and network loads.
    """
    args = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--disable-crash-reporter",
        f"--user-data-dir={profile_dir}",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",  # the same switch in Chrome before 112
        f"--print-to-pdf={pdf_file}",
        html_file.as_uri(),
    ]
    if sandbox is None:  # Chromium refuses to start as root with its sandbox on
        sandbox = not (hasattr(os, "geteuid") and os.geteuid() == 0)
    if not sandbox:
        args.insert(1, "--no-sandbox")
    return args


def write_pdf(html: str, path: Path) -> None:
    """Print `html` to the PDF file `path`, replacing it only when the new one is complete."""
    browser = find_browser()
    with atomic_path(path) as tmp:
        with tempfile.TemporaryDirectory(prefix="cgtpaths-print-") as work:
            page = Path(work) / "summary.html"
            page.write_text(html, encoding="utf-8")
            _print(browser, page, tmp, Path(work) / "profile")
        with tmp.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                raise CgtpathsError(f"the browser ({browser}) did not produce a PDF", hint=HINT)
            os.fsync(handle.fileno())


def _print(browser: str, page: Path, pdf: Path, profile_dir: Path) -> None:
    home = profile_dir.parent / "home"
    done = _run(command(browser, page, pdf, profile_dir), browser, pdf, home)
    if done.returncode != 0 and "--no-sandbox" not in done.args and "sandbox" in done.stderr.lower():
        # containers often lack the kernel features Chromium's sandbox needs; the page is our own
        # static file, and its Content-Security-Policy allows no scripts or network
        done = _run(command(browser, page, pdf, profile_dir, sandbox=False), browser, pdf, home)
    if done.returncode != 0 or pdf.stat().st_size == 0:
        # Chromium logs harmless D-Bus noise on servers; show only the last few lines
        tail = "\n".join(safe(line) for line in done.stderr.strip().splitlines()[-3:])
        raise CgtpathsError(
            f"the browser ({browser}) could not print the PDF (exit code {done.returncode})"
            + (f":\n{tail}" if tail else ""),
            hint=HINT,
        )


AFTER_PDF_SECONDS = 5  # how long a browser may go on running once the PDF is complete


def _run(args: list[str], browser: str, pdf: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the browser in its own session, with a throwaway HOME and profile (it writes nothing
    under the user's own), and kill all of it (renderers, zygote, GPU process) however this ends:
    done, timed out, Ctrl-C, SIGTERM or SIGHUP. A browser still running once the PDF is complete
    (headless Chromium sometimes hangs on the way out) is stopped after AFTER_PDF_SECONDS."""
    import signal
    import time

    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    err = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115 (closed below)
    try:
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True
        )
    except OSError as exc:
        err.close()
        raise CgtpathsError(f"cannot run the browser '{browser}': {exc.strerror or exc}", hint=HINT) from None
    try:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        complete_at: float | None = None
        while proc.poll() is None:
            now = time.monotonic()
            if now > deadline:
                raise CgtpathsError(f"the browser ({browser}) took over {TIMEOUT_SECONDS} s to print the PDF")
            if complete_at is None and _complete(pdf):
                complete_at = now
            if complete_at is not None and now - complete_at > AFTER_PDF_SECONDS:
                break  # the PDF is done and the browser is stuck: what it printed is what we wanted
            time.sleep(0.05)
        code = proc.returncode if proc.returncode is not None else 0
        err.seek(0)
        return subprocess.CompletedProcess(args, code, "", err.read())
    finally:
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)  # the whole group: Chromium's helpers too
            else:  # pragma: no cover - Windows
                proc.kill()
        with contextlib.suppress(Exception):
            proc.wait(timeout=5)
        err.close()


def _complete(pdf: Path) -> bool:
    """A PDF file that ends as a finished PDF does (%%EOF in its last bytes)."""
    try:
        with pdf.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size < 5:
                return False
            handle.seek(max(0, size - 32))
            return b"%%EOF" in handle.read()
    except OSError:
        return False
