"""Curator checks on a loaded catalogue: stale records, inferred facts, gaps in coverage.

Pure: takes the catalogue and today's date, returns findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cgtpaths.catalogue import Catalogue

if TYPE_CHECKING:
    from collections.abc import Mapping

STALE_AFTER_MONTHS = 18
TABLES = ("roles", "programmes", "backgrounds", "skills", "regions", "qualifications", "funding", "outlook")


@dataclass
class Finding:
    check: str
    kind: str
    id: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "kind": self.kind, "id": self.id, "detail": self.detail}


@dataclass
class Audit:
    findings: list[Finding] = field(default_factory=list)
    inferred_facts: int = 0
    facts: int = 0
    notes_citing_record_sources: int = 0  # verified/secondary notes that rely on the record's sources
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # per_file

    def by_check(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.check, []).append(f)
        return out


CHECKS = {
    "stale": f"records not verified in the last {STALE_AFTER_MONTHS} months",
    "no-entry-route": "roles with no way in (no programme leads to them, no role progresses into them)",
    "untaught-essential": "essential role skills that no programme teaches to the level needed and no "
    "earlier rung builds (learned on the job, or a gap in the training data)",
    "unreachable-background": "backgrounds that share no skill with any role",
    "inferred": "facts tagged inferred (shown to users as inferred)",
    "outlook-due": "pay and jobs figures older than their source's release cycle (a newer edition is due)",
    "outlook-unreliable": "pay figures ONS marks unreliable (shown to users as unreliable)",
    "funding-ended": "funding rules past their effective_to (kept to show what changed; see data/README.md)",
    "funding-ending": "funding rules ending in the next 6 months",
    "funding-uncovered": "programmes that no funding rule in force covers and that state no funding of their own",
}


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def audit(cat: Catalogue, today: dt.date) -> Audit:
    result = Audit()
    add = result.findings.append
    for kind in TABLES:
        for rid, rec in sorted(getattr(cat, kind).items()):
            verified = dt.date.fromisoformat(rec["verified"])
            age = _months_between(verified, today)
            if age > STALE_AFTER_MONTHS:
                add(Finding("stale", kind, rid, f"last verified {rec['verified']} ({age} months ago)"))
            for note in rec.get("notes", []):
                result.facts += 1
                if note["confidence"] == "inferred":
                    result.inferred_facts += 1
                elif not note.get("source"):
                    result.notes_citing_record_sources += 1
    for rid, role in sorted(cat.roles.items()):
        if not cat.entry_routes.get(rid) and not cat.progressed_from.get(rid):
            add(Finding("no-entry-route", "roles", rid, "no programme leads to it and no role progresses into it"))
        for need in role["skills"]:
            result.facts += 1
            if need["confidence"] == "inferred":
                result.inferred_facts += 1
            if need["essential"]:
                best = max((lvl for _, lvl in cat.taught_by.get(need["skill"], [])), default=0)
                # experience in an earlier rung that uses the skill builds it (see plan.py)
                earlier = any(
                    other["skill"] == need["skill"]
                    for prev in cat.progressed_from.get(rid, [])
                    for other in cat.roles[prev]["skills"]
                )
                if best < need["level"] and not earlier:
                    what = "no programme" if best == 0 else f"programmes reach level {best} only"
                    add(
                        Finding(
                            "untaught-essential",
                            "roles",
                            rid,
                            f"{need['skill']} needed at level {need['level']}: {what}",
                        )
                    )
        for gate in role["gates"]:
            result.facts += 1
            if gate["confidence"] == "inferred":
                result.inferred_facts += 1
    for kind in ("roles", "programmes", "backgrounds"):
        for rid, rec in sorted(getattr(cat, kind).items()):
            conf = rec.get("confidence") or rec.get("entry_level_confidence")
            if conf == "inferred":
                add(Finding("inferred", kind, rid, "record's core facts are inferred"))
    for rid, bg in sorted(cat.backgrounds.items()):
        if not any(cat.valued_by.get(have["skill"]) for have in bg["skills"]):
            add(Finding("unreachable-background", "backgrounds", rid, "none of its skills is needed by any role"))
    _audit_outlook(cat, today, add)
    from cgtpaths import funding

    past, soon = funding.ending(cat, today)
    for rule in past:
        add(Finding("funding-ended", "funding", rule["id"], f"ended {rule['effective_to']}"))
    for rule in soon:
        add(Finding("funding-ending", "funding", rule["id"], f"ends {rule['effective_to']}"))
    for pid in funding.uncovered(cat, today):
        add(Finding("funding-uncovered", "programmes", pid, "names no rule in force and no funding fact"))
    result.files = per_file(cat, today)
    return result


AGE_BUCKETS = ((0, "under 1 month"), (1, "1-5 months"), (6, "6-11 months"), (12, "12-17 months"), (18, "18+ months"))


def per_file(cat: Catalogue, today: dt.date) -> dict[str, dict[str, Any]]:
    """Per data file: facts by confidence, cited pages by class, and a histogram of the months since
    each record was last checked (where a curator should look first)."""
    from cgtpaths.provenance import default_kind

    out: dict[str, dict[str, Any]] = {}
    for kind in TABLES:
        table = getattr(cat, kind)
        confidence: dict[str, int] = {}
        classes: dict[str, int] = {}
        ages = dict.fromkeys((label for _, label in AGE_BUCKETS), 0)
        via = 0
        for rec in table.values():
            for note in rec.get("notes", []):
                confidence[note["confidence"]] = confidence.get(note["confidence"], 0) + 1
            for src in rec.get("sources", []):
                cls = src.get("kind") or default_kind(src["url"])
                classes[cls] = classes.get(cls, 0) + 1
                via += bool(src.get("via"))
            months = max(0, _months_between(dt.date.fromisoformat(rec["verified"]), today))
            label = next(label for floor, label in reversed(AGE_BUCKETS) if months >= floor)
            ages[label] += 1
        out[f"{kind}.yaml"] = {
            "records": len(table),
            "facts_by_confidence": dict(sorted(confidence.items())),
            "sources_by_class": dict(sorted(classes.items())),
            "sources_not_reread": via,
            "months_since_checked": ages,
        }
    return out


def _audit_outlook(cat: Catalogue, today: dt.date, add: Any) -> None:
    from cgtpaths.outlook import due

    for rid, figure in sorted(cat.outlook.items()):
        why = due(figure, today)
        if why is not None:
            add(Finding("outlook-due", "outlook", rid, f"{figure['release']}: {why}"))
        if figure.get("reliability") == "unreliable":
            add(Finding("outlook-unreliable", "outlook", rid, f"cv {figure.get('cv')}: ONS marks it unreliable"))


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def stats(cat: Catalogue) -> dict[str, Any]:
    def count_by(table: Mapping[str, dict[str, Any]], key: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for rec in table.values():
            out[str(rec[key])] = out.get(str(rec[key]), 0) + 1
        return dict(sorted(out.items()))

    dates = [rec["verified"] for kind in TABLES for rec in getattr(cat, kind).values()]
    sources = {src["url"] for kind in TABLES for rec in getattr(cat, kind).values() for src in rec["sources"]}
    return {
        "counts": {kind: len(getattr(cat, kind)) for kind in TABLES},
        "roles_by_family": count_by(cat.roles, "family"),
        "programmes_by_kind": count_by(cat.programmes, "kind"),
        "programmes_by_confidence": count_by(cat.programmes, "confidence"),
        "backgrounds_by_confidence": count_by(cat.backgrounds, "confidence"),
        "distinct_source_urls": len(sources),
        "verified_oldest": min(dates) if dates else None,
        "verified_newest": max(dates) if dates else None,
    }
