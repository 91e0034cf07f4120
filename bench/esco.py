"""A seeded synthetic dataset at ESCO scale (3,000 roles, 14,000 skills, 5,000 programmes, 500 backgrounds).

ESCO's occupations and skills are the national-taxonomy size cgtpaths should still answer at. The
records are shaped like the curated ones but leaner (ESCO-like: a name, a description, a few alternative
labels, one source), so each file stays under the loader's 10 MB limit. Skill popularity is skewed
(a few skills are needed by many roles, most by few), as in ESCO, so the derived indexes are realistic.

Used by bench/run.py; `python bench/esco.py DIR` writes one. Every record is valid against the real
models: the dataset loads with the real loader (bench/run.py checks that before timing anything).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any, get_args

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from cgtpaths.model import RoleFamily

SEED = 20261125
SIZES = {"roles": 3000, "skills": 14000, "programmes": 5000, "backgrounds": 500}

CATEGORIES = ["technical", "scientific", "quality", "regulatory", "engineering", "safety", "supply-chain", "digital"]
FAMILIES = list(get_args(RoleFamily))  # every family the model allows
KINDS = ["apprenticeship", "degree", "masters", "short-course", "online-course", "bootcamp", "placement"]
MODES = ["work-based", "full-time", "part-time", "online", "blended"]
REGIONS = ["uk", "england", "scotland", "wales", "north-east", "north-west", "london", "south-east"]
WORDS = (  # noqa: SIM905 - a sentence is easier to edit than 60 quoted words
    "cell gene therapy process quality control assurance manufacturing aseptic sterile validation batch record "
    "analytical method assay culture vector viral purification chromatography filtration cleanroom gowning audit "
    "deviation change risk safety data statistics documentation regulatory submission clinical trial supply chain "
    "logistics cold storage cryopreservation instrument calibration maintenance engineering automation control "
    "monitoring sampling microbiology environmental testing release stability packaging labelling inspection"
).split()
SOURCE = {"url": "https://esco.ec.europa.eu/en/classification", "title": "ESCO classification (synthetic)"}
DATE = "2026-11-25"
# In the shipped data the most-needed skill is listed by ~80% of roles, the 12th by ~25%, and the
# most-taught by ~35% of programmes; a harmonic weighting over 20 transversal skills gives the same shape.
TRANSVERSAL = 20
_WEIGHTS = [1 / (k + 1) for k in range(TRANSVERSAL)]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _pick(rng: random.Random, n: int, count: int, common: int) -> list[int]:
    """`common` skills from the few transversal ones (teamwork, GMP...), weighted so the first few are
    needed by most roles as in the shipped data, and the rest from the long tail, uniformly."""
    chosen: dict[int, None] = {}
    while len(chosen) < common:
        chosen[rng.choices(range(TRANSVERSAL), weights=_WEIGHTS)[0]] = None
    while len(chosen) < count:
        chosen[rng.randrange(TRANSVERSAL, n)] = None
    return list(chosen)


def records(sizes: dict[str, int] | None = None, seed: int = SEED) -> dict[str, list[dict[str, Any]]]:
    """The dataset as YAML-shaped dicts (what a curator would write; defaults left out)."""
    n = {**SIZES, **(sizes or {})}
    rng = random.Random(seed)
    source = {**SOURCE, "seen": DATE}
    skills = [
        {
            "id": f"skill-{i:05d}",
            "name": f"{_text(rng, 3)[:-1]} {i}",
            "category": rng.choice(CATEGORIES),
            "description": _text(rng, 18),
            "aliases": [f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}-{a}" for a in range(3)],
            "sources": [source],
            "verified": DATE,
        }
        for i in range(n["skills"])
    ]
    for i in range(0, n["skills"], 50):  # a few explicit crosswalks, as in the curated data
        skills[i]["related"] = [
            {"skill": f"skill-{(i + 1) % n['skills']:05d}", "credit": 0.5, "confidence": "inferred"}
        ]
    roles = []
    for i in range(n["roles"]):
        roles.append(
            {
                "id": f"role-{i:05d}",
                "title": f"{_text(rng, 3)[:-1]} {i}",
                "also_called": [_text(rng, 3)[:-1], _text(rng, 2)[:-1]],
                "family": rng.choice(FAMILIES),
                "summary": _text(rng, 30),
                "entry_level": rng.randint(2, 7),
                "entry_level_confidence": "inferred",
                "skills": [
                    {"skill": f"skill-{s:05d}", "level": rng.randint(1, 3), "essential": rng.random() < 0.6}
                    for s in _pick(rng, n["skills"], 15, 4)
                ],
                "progression": [f"role-{(i + d) % n['roles']:05d}" for d in (1, 7)],
                "sources": [source],
                "verified": DATE,
                "notes": [{"text": _text(rng, 20), "confidence": "inferred"}],
            }
        )
    programmes = []
    for i in range(n["programmes"]):
        kind = rng.choice(KINDS)
        programmes.append(
            {
                "id": f"programme-{i:05d}",
                "title": f"{_text(rng, 4)[:-1]} {i}",
                "kind": kind,
                "provider": _text(rng, 3)[:-1],
                "level": rng.randint(2, 7),
                "entry_level": rng.randint(0, 6),
                "duration_months": rng.choice([0.1, 0.5, 3, 12, 24, 36]),
                "mode": rng.choice(MODES),
                "access": ["employed"] if "apprenticeship" in kind else ["open"],
                "regions": [rng.choice(REGIONS)],
                "funding": [{"kind": "fee", "text": _text(rng, 8), "confidence": "inferred"}],
                "teaches": [
                    {"skill": f"skill-{s:05d}", "level": rng.randint(1, 3)} for s in _pick(rng, n["skills"], 8, 2)
                ],
                "leads_to": [f"role-{rng.randrange(n['roles']):05d}" for _ in range(2)],
                "sources": [source],
                "verified": DATE,
                "confidence": "inferred",
            }
        )
    backgrounds = [
        {
            "id": f"background-{i:04d}",
            "title": f"{_text(rng, 3)[:-1]} {i}",
            "sector": rng.choice(WORDS).capitalize(),
            "situation": "working",
            "typical_level": rng.randint(2, 6),
            "skills": [{"skill": f"skill-{s:05d}", "level": rng.randint(1, 3)} for s in _pick(rng, n["skills"], 14, 5)],
            "sources": [source],
            "verified": DATE,
            "confidence": "inferred",
            "notes": [{"text": _text(rng, 20), "confidence": "inferred"}],
        }
        for i in range(n["backgrounds"])
    ]
    regions = [
        {"id": "uk", "name": "United Kingdom", "kind": "uk", "sources": [source], "verified": DATE},
        *(
            {
                "id": r,
                "name": r.replace("-", " ").title(),
                "kind": "region",
                "parent": "uk",
                "sources": [source],
                "verified": DATE,
            }
            for r in REGIONS[1:]
        ),
    ]
    return {"skills": skills, "roles": roles, "programmes": programmes, "backgrounds": backgrounds, "regions": regions}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str) and value == DATE:
        return value  # an unquoted date, as curators write them
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def _emit(record: dict[str, Any], out: list[str]) -> None:
    """Block YAML in the curated files' style; short sub-records in flow style."""
    first = True
    for key, value in record.items():
        lead = "- " if first else "  "
        first = False
        if isinstance(value, list):
            out.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, dict) and key in ("skills", "teaches", "related"):
                    out.append(f"  - {_flow(item)}")
                elif isinstance(item, dict):
                    inner = list(item.items())
                    out.append(f"  - {inner[0][0]}: {_scalar(inner[0][1])}")
                    out.extend(f"    {k}: {_scalar(v)}" for k, v in inner[1:])
                else:
                    out.append(f"  - {_scalar(item)}")
        else:
            out.append(f"{lead}{key}: {_scalar(value)}")


def write(directory: Path, sizes: dict[str, int] | None = None, seed: int = SEED) -> dict[str, int]:
    """Write the dataset's YAML files into `directory`; returns the record counts."""
    directory.mkdir(parents=True, exist_ok=True)
    data = records(sizes, seed)
    for kind, items in data.items():
        out = [f"{kind}:"]
        for record in items:
            _emit(record, out)
        (directory / f"{kind}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    (directory / "dataset.yaml").write_text(
        "name: Synthetic ESCO-scale dataset (bench/esco.py)\n"
        "version: 2026.11.25\n"
        "licence: CC0 (generated)\n"
        f"description: Seeded synthetic data for speed measurements, seed {seed}.\n",
        encoding="utf-8",
    )
    return {kind: len(items) for kind, items in data.items()}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "esco-data")
    print(write(target))
