"""Where a warm `match --json` spends its time: `python bench/phases.py [--data-dir DIR] [--runs N]`.

Each run is a fresh interpreter doing, step by step, what `cgtpaths match --from BG --json` does on
the quick path (quick.py: no typer); the medians per phase show which costs belong to our imports,
the cache, the engine and the output. Run bench/run.py first when using its ESCO data (it builds bench/out/esco).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import time
t0 = time.perf_counter()
import json, os, sys
marks = {}
def mark(name):
    global t0
    now = time.perf_counter(); marks[name] = (now - t0) * 1000; t0 = now
import cgtpaths.launch, cgtpaths.quick
mark("import launch and quick")
data_dir, background = sys.argv[1], sys.argv[2]
args = [*(["--data-dir", data_dir] if data_dir else []), "match", "--from", background, "--json"]
request = cgtpaths.quick.read(args, os.environ)
assert request is not None, "not a quick-path command line"
from cgtpaths.load import open_catalogue
from cgtpaths.match import match_request
from cgtpaths.profile import build
from cgtpaths.render.jsonout import envelope, match_dict
mark("import the core")
cat, _ = open_catalogue(request.data_dir)
mark("open the catalogue (cache)")
person, results = match_request(cat, build(cat, backgrounds=[background]), top=5)
mark("match")
text = envelope(cat.dataset, profile=person.as_dict(), matches=[match_dict(m) for m in results])
mark("JSON")
sys.stderr.write(json.dumps(marks))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--from", dest="background", default="oil-and-gas-process-operator")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--venv", type=Path, default=HERE.parent / ".venv", help="the environment to time")
    args = parser.parse_args()
    python = args.venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("CGTPATHS_CACHE_DIR", str(HERE / "out" / "cache"))
    samples: dict[str, list[float]] = {}
    for n in range(args.runs + 1):
        done = subprocess.run(
            [str(python), "-c", CHILD, args.data_dir, args.background], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        if n == 0:
            continue  # warm-up: bytecode and cache
        for name, ms in json.loads(done.stderr).items():
            samples.setdefault(name, []).append(ms)
    for name, values in samples.items():
        print(f"{name:30} {statistics.median(values):7.1f} ms  (min {min(values):.1f})")
    print(f"{'total (after interpreter start)':30} {sum(statistics.median(v) for v in samples.values()):7.1f} ms")
    print("(parsing argv and printing are not included)")


if __name__ == "__main__":
    sys.exit(main())
