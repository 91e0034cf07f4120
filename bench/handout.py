"""Time a 30-student class handout printed to PDF (issue 17: 2 s or less), end to end through the
real command line, and its parts: planning the pathways (the engine) and typesetting (Typst).

Two classes: a typical one (one target role, three starting points, as a teacher would give) and
a worst case (30 different background and role pairs, so nothing is planned twice).

    .venv/bin/python bench/handout.py [--rounds 5]

Prints the median and the fastest of each row, wall clock and CPU. Not a test: speed is measured
here, never asserted (docs/performance.md has the figures and the machine they were taken on).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def classes(folder: Path) -> dict[str, Path]:
    from cgtpaths.cli import STATE

    cat = STATE.catalogue
    backgrounds, roles = sorted(cat.backgrounds), sorted(cat.roles)
    starts = ("school-leaver-gcse", "a-level-or-t-level-student", "life-sciences-graduate")
    typical = ["name,from,to"] + [f"Student {i + 1},{starts[i % 3]},qc-analyst" for i in range(30)]
    worst = ["name,from,to"] + [
        f"Student {i + 1},{backgrounds[i % len(backgrounds)]},{roles[(i * 7) % len(roles)]}" for i in range(30)
    ]
    out = {}
    for name, rows in (("typical", typical), ("worst", worst)):
        path = folder / f"{name}.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        out[name] = path
    return out


def phases(csv: Path) -> tuple[float, float]:
    """Seconds planning the pages and seconds typesetting them, in this process."""
    from cgtpaths import handout
    from cgtpaths.cli import STATE
    from cgtpaths.render import typeset
    from cgtpaths.summary import document

    cat = STATE.catalogue
    start = time.perf_counter()
    pages = handout.pages(cat, handout.from_csv(csv.read_text(encoding="utf-8"), csv.name, None, None))
    planned = time.perf_counter()
    typeset.pdf_bytes(document("bench", pages, cat.dataset, dt.date.today()))
    return planned - start, time.perf_counter() - planned


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    cli = Path(sys.executable).with_name("cgtpaths")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for name, csv in classes(folder).items():
            walls, cpus, plans, sets = [], [], [], []
            for _ in range(rounds):
                before = time.perf_counter()
                subprocess.run(
                    [str(cli), "handout", "--class", str(csv), "-o", str(folder / "out.pdf")],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                walls.append(time.perf_counter() - before)
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(usage.ru_utime + usage.ru_stime)
                plan, typeset = phases(csv)
                plans.append(plan)
                sets.append(typeset)
            cpu_each = [b - a for a, b in zip([0.0, *cpus], cpus, strict=False)]
            print(
                f"{name:8} handout (30 students): wall median {statistics.median(walls):.2f} s, "
                f"fastest {min(walls):.2f} s; CPU median {statistics.median(cpu_each):.2f} s | "
                f"planning {statistics.median(plans):.2f} s, typesetting {statistics.median(sets):.2f} s"
            )


if __name__ == "__main__":
    main()
