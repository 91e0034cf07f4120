"""What the browser needs, worked out by the Python engine: the skills check's data and the search index.

The skills check (site_assets/check.js) only does the last arithmetic of match.py. Everything that
can be decided without the person's answers is decided here, by the engine's own functions: each
role's score terms with their weights and core flags (Catalogue.terms), its levels and gates, the
short programmes that could close each essential gap with their entry conditions, each background's
profile (profile.build), the regions' chains and the tuning (bands, core floors, level fit).
When the engine changes, this export changes with it; what it cannot carry shows up as a mismatch
in tests/test_site.py, which compares the page with `cgtpaths match --json`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cgtpaths import tuning
from cgtpaths.profile import build

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue

CHECK_SCHEMA = 1
RQF_LEVELS = range(0, 9)  # RQF entry level (0) to doctorate (8): every level a profile can hold


def check_data(cat: Catalogue) -> dict[str, Any]:
    """The skills check's inputs, in the engine's orders (roles and skills by id)."""
    short: dict[str, int] = {}  # programme id -> position in `programmes`
    programmes: list[dict[str, Any]] = []

    def short_options(skill: str, need: int) -> list[int]:
        """match.training_blockers' short options: programmes teaching the skill to the level
        needed in at most SHORT_TRAINING_MONTHS (whether the person can start one is the page's)."""
        out = []
        for pid, level in cat.taught_by.get(skill, []):
            if level < need or cat.months[pid] > tuning.SHORT_TRAINING_MONTHS:
                continue
            if pid not in short:
                prog = cat.programmes[pid]
                short[pid] = len(programmes)
                programmes.append(
                    {
                        "id": pid,
                        "entry_level": prog["entry_level"],
                        "level": prog["level"],
                        "status": prog["status"],
                        "mode": prog["mode"],
                        "regions": prog["regions"],
                        "access": prog["access"],
                    }
                )
            out.append(short[pid])
        return out

    roles = []
    for rid in sorted(cat.roles):
        role = cat.roles[rid]
        roles.append(
            {
                "id": rid,
                "title": role["title"],
                "family": role["family"],
                # (skill, level needed, weight, core) in role_needs' order: the order exact_score adds them
                "terms": [list(term) for term in cat.terms(rid)],
                "entry_level": role["entry_level"],
                "usual_level": max(role["entry_level"], role.get("usual_level") or 0),
                "experience_months": role["experience_months"],
                "gates": [
                    {k: gate.get(k) for k in ("kind", "min_level", "min_months", "evidence")} for gate in role["gates"]
                ],
                # essential needs with the short programmes that could close each (match.training_blockers)
                "essential": [
                    [
                        need["skill"],
                        need["level"],
                        cat.skills[need["skill"]]["category"] in tuning.NOT_TRAINED_CATEGORIES,
                        short_options(need["skill"], need["level"]),
                    ]
                    for need in role["skills"]
                    if need["essential"]
                ],
            }
        )
    backgrounds = {}
    for bid in sorted(cat.backgrounds):
        person = build(cat, backgrounds=[bid])
        backgrounds[bid] = {
            "title": cat.backgrounds[bid]["title"],
            "skills": dict(sorted(person.skills.items())),
            "level": person.level,
            "situation": person.situation,
            "rights": sorted(person.rights),
            "evidence": sorted(person.evidence),
        }
    return {
        "schema": CHECK_SCHEMA,
        "dataset": {k: str(v) for k, v in cat.dataset.items()},
        "bands": [[name, threshold] for name, threshold in tuning.BANDS],
        "tuning": {
            "band_core_floor": tuning.BAND_CORE_FLOOR,
            "far_above_band_cap": tuning.FAR_ABOVE_BAND_CAP,
            "max_level_jump": tuning.MAX_LEVEL_JUMP,
            "max_level_drop": tuning.MAX_LEVEL_DROP,
            "stage_level": tuning.STAGE_LEVEL,
            "max_programme_level_jump": tuning.MAX_PROGRAMME_LEVEL_JUMP,
        },
        "roles": roles,
        "programmes": programmes,
        "skills": {
            sid: {
                "name": cat.skills[sid]["name"],
                "category": cat.skills[sid]["category"],
                # partial credit into this skill: [from skill, credit], as match.effective_level reads them
                "related": [[link["skill"], link["credit"]] for link in cat.skills[sid]["related"]],
            }
            for sid in sorted(cat.skills)
        },
        "backgrounds": backgrounds,
        "regions": {rid: cat.title("regions", rid) for rid in sorted(cat.regions)},
        # catalogue.region_and_ancestors, for catalogue.serves
        "region_chains": {rid: cat.region_and_ancestors(rid) for rid in sorted(cat.regions)},
    }


SEARCH_KINDS = (
    ("roles", "Role", "roles"),
    ("programmes", "Training", "programmes"),
    ("skills", "Skill", "skills"),
    ("backgrounds", "Background", "backgrounds"),
    ("regions", "Region", "regions"),
)


def search_index(cat: Catalogue) -> list[dict[str, str]]:
    """One entry per page worth finding: its title, kind, link (from the site's top folder) and
    the words it can be found by (title, other names and its summary)."""
    out = []
    for table, label, folder in SEARCH_KINDS:
        records = getattr(cat, table)
        for rid in sorted(records):
            rec = records[rid]
            names = [*rec.get("also_called", []), *rec.get("aliases", [])]
            text = " ".join(
                str(part) for part in (rec.get("summary"), rec.get("description"), rec.get("provider")) if part
            )
            out.append(
                {
                    "kind": label,
                    "title": cat.title(table, rid),
                    "href": f"{folder}/{rid}.html",
                    "names": " ".join(names),
                    "text": text,
                }
            )
    return out
