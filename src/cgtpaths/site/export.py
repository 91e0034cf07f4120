"""What the browser needs, worked out by the Python engine: the skills check's data and the search index.

The skills check (site_assets/check.js) only does the last arithmetic of match.py. Everything that
can be decided without the person's answers is decided here, by the engine's own functions: each
role's score terms with their weights (Catalogue.terms), whether the role is a direct move at each
RQF level (match.blockers), each background's profile (profile.build) and the bands (tuning.BANDS).
When the engine changes, this export changes with it; what it cannot carry shows up as a mismatch
in tests/test_site.py, which compares the page with `cgtpaths match --json`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cgtpaths import tuning
from cgtpaths.match import blockers
from cgtpaths.profile import Profile, build

if TYPE_CHECKING:
    from cgtpaths.catalogue import Catalogue

CHECK_SCHEMA = 1
RQF_LEVELS = range(0, 9)  # RQF entry level (0) to doctorate (8): every level a profile can hold


def check_data(cat: Catalogue) -> dict[str, Any]:
    """The skills check's inputs, in the engine's orders (roles and skills by id)."""
    roles = []
    for rid in sorted(cat.roles):
        role = cat.roles[rid]
        roles.append(
            {
                "id": rid,
                "title": role["title"],
                "family": role["family"],
                # (skill, level needed, weight) in role_needs' order: the order exact_score adds them
                "terms": [list(term) for term in cat.terms(rid)],
                # match.blockers at each level: a profile's skills never change whether a move is direct
                "direct_at": [not blockers(Profile(level=level), role) for level in RQF_LEVELS],
            }
        )
    backgrounds = {}
    for bid in sorted(cat.backgrounds):
        person = build(cat, backgrounds=[bid])
        backgrounds[bid] = {
            "title": cat.backgrounds[bid]["title"],
            "skills": dict(sorted(person.skills.items())),
            "level": person.level,
        }
    return {
        "schema": CHECK_SCHEMA,
        "dataset": {k: str(v) for k, v in cat.dataset.items()},
        "bands": [[name, threshold] for name, threshold in tuning.BANDS],
        "roles": roles,
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
