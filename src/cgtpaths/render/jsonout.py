"""The --json envelope: one versioned object on stdout, nothing else."""

from __future__ import annotations

import json
import re
from typing import Any

SCHEMA_VERSION = 1


# json.dumps escapes C0 controls but writes DEL and the C1 controls (e.g. the 8-bit CSI, U+009B) raw
_DEL_AND_C1 = re.compile("[\x7f-\x9f]")


def envelope(dataset: dict[str, Any], **payload: Any) -> str:
    body: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "dataset": dataset}
    body.update(payload)
    text = json.dumps(body, indent=2, ensure_ascii=False)
    return _DEL_AND_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fit_dict(fit: Any) -> dict[str, Any]:
    return {
        "skill": fit.skill,
        "name": fit.name,
        "have": fit.have,
        "need": fit.need,
        "essential": fit.essential,
        "status": fit.status,
        "via": fit.via,
    }


def match_dict(m: Any) -> dict[str, Any]:
    return {
        "role": m.role,
        "title": m.title,
        "family": m.family,
        "score": m.score,
        "band": m.band,
        "direct": m.direct,
        "blockers": [{"kind": b.kind, "text": b.text} for b in m.blockers],
        "transferable": [fit_dict(f) for f in m.transferable],
        "gaps": [
            {
                **fit_dict(g.fit),
                "programmes": g.programmes,
                "other_programmes": [{"id": o.id, "why": list(o.reasons)} for o in g.options if not o.enterable],
                "caveats": {o.id: list(o.reasons) for o in g.options if o.enterable and o.reasons},
            }
            for g in m.gaps
        ],
    }


def pathway_dict(p: Any, profile: Any) -> dict[str, Any]:
    return {
        "from": profile.as_dict(),
        "to": p.to,
        "direct": p.direct,
        "ladder": list(p.ladder),
        "steps": [s.as_dict() for s in p.steps],
        "total_months": p.total_months,
        "all_months_known": p.all_months_known,
        "bundle": list(p.bundle),
        "gaps_closed": list(p.gaps_closed),
        "gaps_open": list(p.gaps_open),
        "gates": list(p.gates),
        "sources": list(p.sources),
    }
