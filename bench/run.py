"""Measure cgtpaths against issue 7's speed targets: `python bench/run.py [--rounds N] [--doc]`.

Every row runs as a separate process, interleaved with `python -c pass` in shuffled rounds; the
table gives medians, each median's ratio to the floor's median in the same run, the min-max, and the
peak RSS (from wait4's rusage). Then the engine in-process: one `match` over the shipped data and
over 30,000 synthetic roles. With --doc the results go into docs/performance.md (between markers).

It generates the synthetic ESCO-scale dataset (bench/esco.py, seeded) into bench/out/, and uses its
own cache folder there, so it never touches the user's cache. Children run without
PYTHONDONTWRITEBYTECODE: an installed cgtpaths has compiled bytecode (pip compiles at install; a
checkout writes __pycache__ on its first run), and that steady state is what users see.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
VENV = ROOT / ".venv" / "bin"  # --venv changes it
BACKGROUND = "oil-and-gas-process-operator"
ESCO_BACKGROUND = "background-0001"
SLOW_SECONDS = 20.0  # a row slower than this once is run once only, so the bench always finishes

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Row:
    name: str
    argv: list[str]
    target: float | None = None  # max ratio to the floor
    rss_target_mb: float | None = None
    before: Callable[[], None] | None = None  # run untimed before each timed run
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    note: str = ""


def spawn(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run once with stdout and stderr discarded: (wall seconds, CPU seconds, exit status). CPU time
    (user + system, from wait4) is what the machine's other tenants disturb least."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    os.close(devnull)
    return elapsed, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


TIME = Path("/usr/bin/time")


def peak_rss_kb(argv: list[str], env: dict[str, str]) -> int | None:
    """Peak RSS of one run, from GNU time (a small C program). Not from this process's wait4: a child
    spawned from here starts as a copy of this (large) process, and Linux counts that in its peak."""
    if not TIME.exists():
        return None
    report = OUT / "rss.txt"
    done = subprocess.run([str(TIME), "-f", "%M", "-o", str(report), *argv], env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: `{' '.join(argv)}` exited {done.returncode}")
    return int(report.read_text().split()[-1])


def touch_later(*paths: Path) -> Callable[[], None]:
    """Data files "change": a new mtime each call, set in the past so the rebuilt cache is stored
    (a file changed in the last 2 s is read but not cached; see cache.RACY_SECONDS)."""
    counter = iter(range(1, 1 << 30))

    def change() -> None:
        stamp = time.time_ns() - 3_600_000_000_000 + next(counter) * 1_000_000
        for path in paths:
            os.utime(path, ns=(stamp, stamp))

    return change


def setup(venv: Path) -> tuple[list[Row], dict[str, str], dict[str, int]]:
    import esco

    python = venv / "python"  # the venv's interpreter itself, never a pyenv shim (+130 ms a call)
    cgtpaths = venv / "cgtpaths"

    OUT.mkdir(exist_ok=True)
    esco_dir = OUT / "esco"
    shutil.rmtree(esco_dir, ignore_errors=True)
    started = time.perf_counter()
    counts = esco.write(esco_dir)
    print(f"generated the ESCO-scale dataset in {time.perf_counter() - started:.1f} s: {counts}", file=sys.stderr)
    shipped_copy = OUT / "shipped-copy"
    shutil.rmtree(shipped_copy, ignore_errors=True)
    shutil.copytree(ROOT / "data", shipped_copy, ignore=shutil.ignore_patterns("schema", "*.md"))
    cache = OUT / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CGTPATHS_DATA_DIR")}
    env.update({"CGTPATHS_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "100"})
    match = ["match", "--from", BACKGROUND, "--json"]
    esco_match = ["--data-dir", str(esco_dir), "match", "--from", ESCO_BACKGROUND, "--json"]
    rows = [
        Row("python -c pass (the floor)", [str(python), "-c", "pass"]),
        # not a target: what any typer CLI pays before its first line runs
        Row("python -c 'import typer' (reference)", [str(python), "-c", "import typer"]),
        Row(
            "a minimal two-command typer app (reference)",
            [str(python), str(HERE / "minimal_typer.py"), "match", "--from", BACKGROUND, "--json"],
        ),
        Row("match --json, shipped data, warm", [str(cgtpaths), *match], 6.0, 60.0),
        Row("cgtpaths --help", [str(cgtpaths), "--help"], 7.0),
        Row("cgtpaths match --help", [str(cgtpaths), "match", "--help"], 7.0),
        Row(
            "match --json, shipped data, a file changed (rebuilt)",
            [str(cgtpaths), "--data-dir", str(shipped_copy), *match],
            25.0,
            60.0,
            touch_later(shipped_copy / "roles.yaml"),
        ),
        Row("match --json, ESCO scale, warm", [str(cgtpaths), *esco_match], 8.0, 150.0),
        Row(
            "match --json, ESCO scale, a file changed (rebuilt)",
            [str(cgtpaths), *esco_match],
            150.0,
            150.0,
            touch_later(esco_dir / "roles.yaml"),
        ),
        # not a target: every file read and validated again, as on the very first run
        Row(
            "match --json, shipped data, every file changed",
            [str(cgtpaths), "--data-dir", str(shipped_copy), *match],
            before=touch_later(*sorted(shipped_copy.glob("*.yaml"))),
        ),
        Row(
            "match --json, ESCO scale, every file changed",
            [str(cgtpaths), *esco_match],
            before=touch_later(*sorted(esco_dir.glob("*.yaml"))),
        ),
    ]
    return rows, env, counts


def measure(rows: list[Row], env: dict[str, str], rounds: int) -> None:
    single = set()
    for row in rows:  # warm-up: bytecode, caches; and a check that every command succeeds
        if row.before:
            row.before()
        seconds, _, code = spawn(row.argv, env)
        if code != 0:
            raise SystemExit(f"bench: `{' '.join(row.argv)}` exited {code}; fix that before timing it")
        if seconds > SLOW_SECONDS:
            single.add(row.name)
            row.note = f"run once: {seconds:.0f} s"
    rng = random.Random(7)
    for n in range(rounds):
        order = [r for r in rows if n == 0 or r.name not in single]
        rng.shuffle(order)
        for row in order:
            if row.before:
                row.before()
            seconds, cpu, code = spawn(row.argv, env)
            if code != 0:
                raise SystemExit(f"bench: `{' '.join(row.argv)}` exited {code}")
            row.times.append(seconds)
            row.cpu.append(cpu)
        print(f"round {n + 1}/{rounds} done", file=sys.stderr)
    for row in rows:  # memory, in separate untimed runs (GNU time adds its own start-up to the wall time)
        for _ in range(1 if row.name in single else 3):
            if row.before:
                row.before()
            rss = peak_rss_kb(row.argv, env)
            if rss is not None:
                row.rss_kb.append(rss)


def table(rows: list[Row]) -> list[str]:
    floor = statistics.median(rows[0].times)
    cpu_floor = statistics.median(rows[0].cpu)
    lines = [
        "| what | median | × floor | target | min–max | CPU × floor | peak RSS | RSS target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:--|",
    ]
    for row in rows:
        med = statistics.median(row.times)
        ratio = med / floor
        cpu_ratio = statistics.median(row.cpu) / cpu_floor
        rss = max(row.rss_kb) / 1024 if row.rss_kb else float("nan")
        met = []
        if row.target is not None:
            met.append("yes" if ratio <= row.target else f"**no** ({ratio / row.target:.1f}× over)")
        if row.rss_target_mb is not None:
            met.append("RSS yes" if rss <= row.rss_target_mb else f"RSS **no** ({rss:.0f} MB)")
        lines.append(
            f"| {row.name} | {med * 1000:.0f} ms | {ratio:.1f}× | "
            f"{f'≤ {row.target:g}×' if row.target else ''} | "
            f"{min(row.times) * 1000:.0f}–{max(row.times) * 1000:.0f} ms | {cpu_ratio:.1f}× | {rss:.0f} MB | "
            f"{f'≤ {row.rss_target_mb:g} MB' if row.rss_target_mb else ''} | "
            f"{'; '.join(met)}{' (' + row.note + ')' if row.note else ''} |"
        )
    return lines


class _Stopped(Exception):
    pass


def _timed(call: Callable[[], object], repeat: int, budget: float) -> tuple[float, float, int]:
    """(first call, median of the rest, calls made) in seconds; stops after `budget` seconds."""

    def stop(*_: object) -> None:
        raise _Stopped

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, budget)
    times: list[float] = []
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    except _Stopped:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    if not times:
        return budget, float("nan"), 0
    return times[0], statistics.median(times[1:] or times), len(times)


def in_process() -> list[str]:
    """The engine alone: profile -> ranked roles, no process start, no JSON."""
    import esco

    from cgtpaths import match as engine
    from cgtpaths import model
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.load import load
    from cgtpaths.profile import build

    lines = [
        "| in-process `match(top=5)` | first call (indexes built) | median of repeats | target |",
        "|---|---:|---:|---:|",
    ]
    loaded = load()
    cat = Catalogue(loaded.data, loaded.dataset)
    person = build(cat, backgrounds=[BACKGROUND])
    first, med, calls = _timed(lambda: engine.match(cat, person, top=5), 201, 30.0)
    lines.append(
        f"| shipped data ({len(cat.roles)} roles) | {first * 1000:.2f} ms | {med * 1000:.2f} ms ({calls} calls) "
        "| well under 5 ms (issue 4) |"
    )
    started = time.perf_counter()
    raw = esco.records({"roles": 30000})
    models = {"skills": model.Skill, "roles": model.Role, "programmes": model.Programme,
              "backgrounds": model.Background, "regions": model.Region}  # fmt: skip
    data = {kind: [models[kind].model_validate(r).model_dump(mode="json") for r in raw[kind]] for kind in models}
    data["qualifications"] = []
    print(f"built 30,000 validated roles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    big = Catalogue(data, {"name": "synthetic"})
    person = build(big, backgrounds=[ESCO_BACKGROUND])
    first, med, calls = _timed(lambda: engine.match(big, person, top=5), 51, 60.0)
    shown = f"{med * 1000:.1f} ms ({calls} calls)" if calls > 1 else "—"
    first_shown = f"{first * 1000:.1f} ms" if calls else f"> {first:.0f} s (stopped)"
    lines.append(f"| 30,000 synthetic roles, 14,000 skills, 5,000 programmes | {first_shown} | {shown} | ≤ 10 ms |")
    return lines


def machine() -> str:
    versions = []
    for name in ("typer", "rich", "pydantic", "PyYAML"):
        try:
            from importlib.metadata import version

            versions.append(f"{name} {version(name)}")
        except Exception:
            pass
    return (
        f"{os.cpu_count()} CPUs (nproc {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, " + ", ".join(versions)
    )


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="timed runs of each row (default 9)")
    parser.add_argument("--doc", action="store_true", help="write the results into docs/performance.md")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="the environment to time (default .venv)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    rows, env, counts = setup(args.venv / "bin")
    measure(rows, env, args.rounds)
    report = [
        f"Command: `python bench/run.py --rounds {args.rounds}` ({time.strftime('%Y-%m-%d %H:%M %Z')})  ",
        f"Machine: {machine()}; load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after  ",
        f"ESCO-scale data: {', '.join(f'{n:,} {k}' for k, n in counts.items())} (bench/esco.py, seeded)",
        "",
        *table(rows),
        "",
        *in_process(),
    ]
    text = "\n".join(report)
    print(text)
    if args.doc:
        doc = ROOT / "docs" / "performance.md"
        body = doc.read_text(encoding="utf-8")
        head, _, rest = body.partition(START)
        _, _, tail = rest.partition(END)
        doc.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
        print(f"wrote {doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
