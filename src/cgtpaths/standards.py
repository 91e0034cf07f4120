"""The curator's check against the official register: the shipped apprenticeship standards compared
with the JSON that Skills England's public apprenticeship API returns (a file the curator downloads;
cgtpaths never fetches anything).

The file is a JSON array of objects with `referenceNumber` (ST code), `title`, `level`, `version`,
`status`, `typicalDuration` (months) and `maxFunding` (pounds). Pure: the caller reads the file.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from cgtpaths.catalogue import Catalogue
from cgtpaths.errors import CgtpathsError

Record = dict[str, Any]
FIELDS = ("referenceNumber", "title", "level", "version", "status", "typicalDuration", "maxFunding")
# The register's words for a standard's status, as the data's `status` values.
STATUSES = {
    "approved for delivery": "open",
    "approved": "open",
    "in revision": "in-revision",
    "revision": "in-revision",
    "proposed for retirement": "proposed-retirement",
    "retired": "closed",
    "withdrawn": "closed",
}


class Difference(NamedTuple):
    standard: str
    programme: str
    field: str
    shipped: object
    register: object

    def text(self) -> str:
        here = f"{self.standard} ({self.programme}): {self.field} is {self.shipped!r} here"
        return f"{here}, {self.register!r} in the register"


def parse(text: str, where: str) -> dict[str, Record]:
    """The register's standards by ST code; a clear error naming the file and the entry for bad input."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CgtpathsError(
            f"{where}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})",
            hint="Give the file the apprenticeship standards API returned, unchanged.",
        ) from None
    if not isinstance(data, list):
        raise CgtpathsError(f"{where}: expected a JSON array of standards, found a {type(data).__name__}")
    out: dict[str, Record] = {}
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise CgtpathsError(f"{where}: entry {i + 1} is not an object")
        code = entry.get("referenceNumber")
        if not isinstance(code, str) or not code:
            raise CgtpathsError(f"{where}: entry {i + 1} has no referenceNumber (the ST code)")
        out[code.strip().upper()] = entry
    return out


def compare(cat: Catalogue, register: dict[str, Record]) -> tuple[list[Difference], list[tuple[str, str]]]:
    """(differences in level, version, status, duration or funding band; shipped codes the register lacks)."""
    differences: list[Difference] = []
    missing: list[tuple[str, str]] = []
    for pid, programme in sorted(cat.programmes.items()):
        code = programme.get("standard")
        if not code:
            continue
        entry = register.get(code)
        if entry is None:
            missing.append((code, pid))
            continue

        def differs(name: str, shipped: object, official: object, code: str = code, pid: str = pid) -> None:
            if official is not None and shipped != official:
                differences.append(Difference(code, pid, name, shipped, official))

        differs("level", programme["level"], _number(entry.get("level")))
        if programme.get("standard_version") is not None:
            differs("version", programme["standard_version"], _text(entry.get("version")))
        status = _text(entry.get("status"))
        if status is not None:
            differs("status", programme["status"], STATUSES.get(status.casefold(), status))
        differs("duration_months", programme["duration_months"], _number(entry.get("typicalDuration")))
        bands = sorted({f["max_gbp"] for f in programme["funding"] if f.get("max_gbp") is not None})
        if bands or entry.get("maxFunding") is not None:
            differs("funding band", bands[0] if len(bands) == 1 else (bands or None), _number(entry.get("maxFunding")))
    return differences, missing


def _number(value: object) -> int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else value
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "").replace("£", "").strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else number
    return None


def _text(value: object) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None
