"""The --json envelope: one versioned object on stdout, nothing else."""

from __future__ import annotations

import re

# the C string encoder json.dumps(ensure_ascii=False) uses; importing the json package would also
# import its decoder (and compile its regexes), which a run that only writes JSON never uses
from _json import encode_basestring
from typing import Any

SCHEMA_VERSION = 1


# json.dumps escapes C0 controls but writes DEL and the C1 controls (e.g. the 8-bit CSI, U+009B) raw
_DEL_AND_C1 = re.compile("[\x7f-\x9f]")


def envelope(dataset: dict[str, Any], /, **payload: Any) -> str:
    body: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "dataset": dataset}
    body.update(payload)
    text = dumps(body)
    return _DEL_AND_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(value: Any) -> str:
    """Exactly json.dumps(value, indent=2, ensure_ascii=False) (tests/test_jsonout.py checks it), at
    a fraction of the cost: json's indented encoder is pure Python, built from nested generators."""
    out: list[str] = []
    _encode(value, out, "\n", set())
    return "".join(out)


def _encode(o: Any, out: list[str], newline: str, open_: set[int]) -> None:
    # the same type tests, in the same order, as json.encoder's _make_iterencode
    if isinstance(o, str):
        out.append(encode_basestring(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple, dict)):
        if not o:
            out.append("{}" if isinstance(o, dict) else "[]")
            return
        if id(o) in open_:
            raise ValueError("Circular reference detected")
        open_.add(id(o))
        inner = newline + "  "
        separator = inner
        if isinstance(o, dict):
            out.append("{")
            for key, item in o.items():
                out.append(separator)
                out.append(encode_basestring(_key(key)))
                out.append(": ")
                _encode(item, out, inner, open_)
                separator = "," + inner
            out.append(newline + "}")
        elif set(map(type, o)) == {str}:  # a list of ids, the bulk of a big answer: encoded in C
            out.append("[" + inner + ("," + inner).join(map(encode_basestring, o)) + newline + "]")
        else:
            out.append("[")
            for item in o:
                out.append(separator)
                _encode(item, out, inner, open_)
                separator = "," + inner
            out.append(newline + "]")
        open_.discard(id(o))
    else:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def fit_dict(fit: Any) -> dict[str, Any]:
    return {
        "skill": fit.skill,
        "name": fit.name,
        "have": fit.have,
        "need": fit.need,
        "essential": fit.essential,
        "core": fit.core,
        "weight": fit.weight,
        "status": fit.status,
        "via": fit.via,
    }


def match_payload(person: Any, results: list[Any]) -> dict[str, Any]:
    """What `match --json` says besides the envelope: the profile, the bands best first (so a
    reader can order them), and the matches."""
    from cgtpaths.tuning import BANDS

    return {
        "profile": person.as_dict(),
        "bands": [{"band": name, "min_score": threshold} for name, threshold in BANDS],
        "matches": [match_dict(m) for m in results],
    }


def match_dict(m: Any) -> dict[str, Any]:
    fits = {f.skill: f for f in (*m.transferable, *(g.fit for g in m.gaps))}
    total = sum(f.weight for f in fits.values()) or 1.0
    return {
        "role": m.role,
        "title": m.title,
        "family": m.family,
        "score": m.score,
        "band": m.band,
        "direct": m.direct,
        "core_share": m.core_share,
        "level_fit": m.level_fit,
        "learned_on_job": list(m.learn_on_job),
        "blockers": [{"kind": b.kind, "text": b.text} for b in m.blockers],
        "transferable": [
            {**fit_dict(f), "score_share": round(f.weight * f.covered / total, 4)} for f in m.transferable
        ],
        "gaps": [
            {
                **fit_dict(g.fit),
                "programmes": g.programmes,
                "other_programmes": [{"id": pid, "why": list(why)} for pid, (ok, why) in g.options.rows() if not ok],
                "caveats": {pid: list(why) for pid, (ok, why) in g.options.rows() if ok and why},
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
        "learned_on_job": list(p.learned_on_job),
        "notes": list(p.notes),
        "gates": list(p.gates),
        "sources": list(p.sources),
    }
