"""Measure the website (issue 16): `python bench/site.py [--rounds N] [--profiles N] [--doc]`.

1. The build: `cgtpaths site build` from the shipped data, as a separate process, N rounds (the
   median, min and max of the wall time), then one in-process build timed by phase.
2. The skills check in a real headless Chromium (Debian's, driven by playwright): for random
   profiles (the test's seeded generator), the time check.html takes to score and show the ranked
   roles (its own performance.now() figure, `data-ms` on the results) and the time to open the
   page with a profile in its address, until the results are shown.
3. Sizes: the largest HTML page and the shared data.

With --doc the table goes into docs/performance.md, between the site-bench markers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "site"
VENV = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def build_rounds(rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([str(VENV / "cgtpaths"), "site", "build", "-o", str(OUT)], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def build_phases() -> dict[str, float]:
    """One build in this process, timed by what it makes (the pathways in as many processes as cores)."""
    from cgtpaths.load import open_catalogue
    from cgtpaths.site import build as site_build
    from cgtpaths.site import export

    phases = {}
    started = time.perf_counter()
    cat, _ = open_catalogue()
    phases["open the catalogue"] = time.perf_counter() - started
    started = time.perf_counter()
    for _ in site_build._pages(cat):
        pass
    phases["every page but the pathways"] = time.perf_counter() - started
    started = time.perf_counter()
    count = sum(1 for _ in site_build._pathways(cat, None))
    phases[f"{count} pathways (plan.pathway, {os.cpu_count()} processes)"] = time.perf_counter() - started
    started = time.perf_counter()
    export.check_data(cat)
    export.search_index(cat)
    phases["the check's data and the search index"] = time.perf_counter() - started
    return phases


def check_times(profiles: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright
    from tests.test_site import check_query, random_profiles

    site = OUT.as_uri()
    answers, opens = [], []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{site}/check.html")
        for n, profile in enumerate(random_profiles(profiles)):
            query = "?" + check_query(profile)
            if n < 30:
                started = time.perf_counter()
                page.goto(f"{site}/check.html{query}")
                page.wait_for_selector("#results [data-role]", state="attached")
                opens.append((time.perf_counter() - started) * 1000)
            else:
                page.evaluate("q => { history.replaceState(null, '', q); cgtpathsCheck.refresh(); }", query)
            answers.append(float(page.evaluate("document.getElementById('results').dataset.ms")))
        browser.close()
    return answers, opens


def spread(values: list[float], unit: str, places: int = 1) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):.{places}f} {unit}, 95th percentile {p95:.{places}f} {unit}, "
        f"max {ordered[-1]:.{places}f} {unit} (n={len(ordered)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--doc", action="store_true", help="write the results into docs/performance.md")
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    builds = build_rounds(args.rounds)
    phases = build_phases()
    answers, opens = check_times(args.profiles)
    pages = sorted(OUT.rglob("*.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1]
    load = os.getloadavg()[0]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
        f"(load average {load:.1f} at the end; other work was running), `python bench/site.py`:",
        "",
        "| What | Target | Measured |",
        "|---|---|---|",
        f"| `cgtpaths site build` from the shipped data, {len(pages)} pages | 10 s | {spread(builds, 's')} |",
        *(f"| - of which: {name} | | {seconds:.2f} s |" for name, seconds in phases.items()),
        f"| skills check: score and show the ranked roles in Chromium | 50 ms | {spread(answers, 'ms', 2)} |",
        f"| skills check: open check.html with a profile until the roles are shown | | {spread(opens, 'ms')} |",
        f"| largest HTML page ({largest.relative_to(OUT)}) | 100 KB | {largest.stat().st_size / 1000:.1f} KB |",
        f"| shared data: data/check.js, data/search.js | | {(OUT / 'data' / 'check.js').stat().st_size / 1000:.1f} KB, "
        f"{(OUT / 'data' / 'search.js').stat().st_size / 1000:.1f} KB |",
    ]
    text = "\n".join(lines)
    print(text)
    if args.doc:
        doc = ROOT / "docs" / "performance.md"
        body = doc.read_text(encoding="utf-8")
        start, end = "<!-- site-bench:start -->", "<!-- site-bench:end -->"
        before, _, rest = body.partition(start)
        _, _, after = rest.partition(end)
        doc.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
