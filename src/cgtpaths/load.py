"""Load the curated YAML into plain, validated data: every problem found, with file:line:column.

The result is plain dicts and lists (JSON-shaped), so the catalogue and engine never need
pydantic, and the whole thing can be cached as-is.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cgtpaths.errors import CgtpathsError, DataError, Problem

if TYPE_CHECKING:  # yamlread imports PyYAML: only a cache miss needs it (see open_catalogue)
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.yamlread import ReadFile

# file stem -> top-level key; order matters for reading only
KINDS = ("skills", "regions", "qualifications", "roles", "programmes", "backgrounds")
REQUIRED = ("skills", "roles", "programmes", "backgrounds")

Data = dict[str, list[dict[str, Any]]]


def shipped_data_dir() -> Path:
    """The dataset that ships with cgtpaths: inside the wheel, or data/ in a checkout."""
    # importlib.resources.files("cgtpaths") is this folder for an installed package; finding it
    # directly saves importing importlib.resources (~20-40 ms) on every run.
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


@dataclass
class OverlayReport:
    path: str
    added: dict[str, list[str]] = field(default_factory=dict)
    replaced: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "added": self.added, "replaced": self.replaced}


@dataclass
class Loaded:
    data: Data
    dataset: dict[str, Any]
    overlays: list[OverlayReport]
    files: list[Path]


@dataclass
class _Origin:
    """Where a record came from, so a later check can point at it."""

    read: ReadFile
    path: tuple[str | int, ...]


def display_name(path: Path) -> str:
    """A path as a curator would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def data_files(directory: Path) -> list[Path]:
    return [directory / f"{kind}.yaml" for kind in KINDS if (directory / f"{kind}.yaml").is_file()]


def load(data_dir: Path | None = None, overlays: tuple[Path, ...] = ()) -> Loaded:
    """Read, validate and cross-check a dataset. Raises DataError listing every problem."""
    import gc

    # A load builds hundreds of thousands of objects and no cyclic garbage worth collecting on the
    # way; pausing the collector roughly halves the time at ESCO scale.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(data_dir, overlays)
    finally:
        if was_enabled:
            gc.enable()


def _load(data_dir: Path | None, overlays: tuple[Path, ...]) -> Loaded:
    from cgtpaths import model

    shipped = data_dir is None
    base = shipped_data_dir() if data_dir is None else data_dir
    problems: list[Problem] = []
    if not base.is_dir():
        raise CgtpathsError(
            f"data directory '{base}' does not exist",
            hint="Give --data-dir a folder holding skills.yaml, roles.yaml, programmes.yaml and backgrounds.yaml.",
        )
    for directory in overlays:
        if not directory.is_dir():
            raise CgtpathsError(f"overlay directory '{directory}' does not exist")

    records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    origins: dict[str, dict[str, _Origin]] = {kind: {} for kind in KINDS}
    invalid: dict[str, set[str]] = {kind: set() for kind in KINDS}
    files: list[Path] = []
    for kind in REQUIRED:
        if not (base / f"{kind}.yaml").is_file():
            problems.append(
                Problem(
                    display_name(base / f"{kind}.yaml"), 0, 0, f"missing data file: every dataset needs {kind}.yaml"
                )
            )
    dataset = _read_dataset(base, shipped, problems, files)
    reports: list[OverlayReport] = []
    for layer, directory in enumerate((base, *overlays)):
        report = OverlayReport(display_name(directory)) if layer else None
        layer_files = data_files(directory)
        if layer and not layer_files:
            problems.append(
                Problem(display_name(directory), 0, 0, "overlay holds none of " + ", ".join(f"{k}.yaml" for k in KINDS))
            )
        for path in layer_files:
            files.append(path)
            kind = path.stem
            for record, origin in _read_records(path, kind, model.FILES[kind], problems, invalid[kind]):
                rid = record["id"]
                seen_here = origins[kind].get(rid)
                if seen_here is not None and seen_here.read.name == origin.read.name:
                    line, _ = seen_here.read.locate(seen_here.path)
                    problems.append(
                        origin.read.problem_at(
                            (*origin.path, "id"),
                            f"duplicate {kind[:-1]} id '{rid}' (first defined at line {line + 1})",
                        )
                    )
                    continue
                if report is not None:
                    bucket = report.replaced if rid in records[kind] else report.added
                    bucket.setdefault(kind, []).append(rid)
                records[kind][rid] = record
                origins[kind][rid] = origin
        if report is not None:
            reports.append(report)
    _check_references(records, origins, invalid, problems)
    if problems:
        raise DataError(problems)
    data = {kind: [records[kind][k] for k in sorted(records[kind])] for kind in KINDS}
    return Loaded(data, dataset, reports, files)


def _read_dataset(base: Path, shipped: bool, problems: list[Problem], files: list[Path]) -> dict[str, Any]:
    path = base / "dataset.yaml"
    info: dict[str, Any] = {"name": "local dataset", "version": "unversioned"}
    if path.is_file():
        from cgtpaths import model
        from cgtpaths.yamlread import read_yaml

        files.append(path)
        read, found = read_yaml(path, display_name(path))
        problems.extend(found)
        if read is not None:
            problems.extend(_validate(read, (), read.data, model.Dataset)[1])
            if isinstance(read.data, dict) and not found:
                info = {k: read.data.get(k) for k in ("name", "version", "licence")}
    info["source"] = "shipped" if shipped else str(base)
    return info


def _read_records(
    path: Path, kind: str, record_model: type[Any], problems: list[Problem], unchecked: set[str]
) -> list[tuple[dict[str, Any], _Origin]]:
    from cgtpaths.yamlread import read_yaml

    read, found = read_yaml(path, display_name(path))
    problems.extend(found)
    if read is None:
        return []
    top = read.data
    if not isinstance(top, dict) or kind not in top:
        what = "empty" if top is None else f"a {type(top).__name__}"
        problems.append(
            read.problem_at(
                (), f"file is {what}; it must be a mapping with one key, '{kind}:', holding a list of records"
            )
        )
        return []
    extra = [k for k in top if k != kind]
    for key in extra:
        problems.append(
            read.problem_at((key,), f"unexpected top-level key '{key}'; only '{kind}:' is allowed", key=True)
        )
    items = top[kind]
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(read.problem_at((kind,), f"'{kind}:' must hold a list of records (each starting with '- id:')"))
        return []
    out = []
    for index, item in enumerate(items):
        path_ = (kind, index)
        valid, found_here = _validate(read, path_, item, record_model)
        if valid is None:
            problems.extend(found_here)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                unchecked.add(item["id"])  # still "known", so others' references to it aren't reported too
            continue
        out.append((valid.model_dump(mode="json"), _Origin(read, path_)))
    return out


_TYPE_HINTS: dict[type, str] = {
    dt.date: "YAML read this as a date; put it in quotes",
    bool: "YAML read this as true/false (yes/no/on/off are booleans in YAML); put it in quotes",
    int: "YAML read this as a number (010 is octal, 1:30 is a time in minutes); put it in quotes",
    float: "YAML read this as a number; put it in quotes",
}


def _validate(
    read: ReadFile, prefix: tuple[str | int, ...], item: object, record_model: type[Any]
) -> tuple[Any, list[Problem]]:
    """The validated model (validated once: it is the costliest step of a load) or None and the problems."""
    from pydantic import ValidationError

    if not isinstance(item, dict):
        return None, [read.problem_at(prefix, f"expected a record (a mapping of fields), found {_kind(item)}")]
    try:
        return record_model.model_validate(item), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            where = (*prefix, *loc)
            field_name = _dotted(loc) or "record"
            message = str(error["msg"]).removeprefix("Value error, ")
            kind = error["type"]
            if kind == "missing":
                problems.append(read.problem_at(where[:-1], f"missing required field '{field_name}'"))
                continue
            if kind == "extra_forbidden":
                hint = _field_hint(str(loc[-1]), record_model, loc[:-1])
                problems.append(read.problem_at(where, f"unknown field '{field_name}'{hint}", key=True))
                continue
            value = error.get("input")
            hint = _TYPE_HINTS.get(type(value), "") if ("string" in kind or "literal" in kind) else ""
            rid = item.get("id") if isinstance(item.get("id"), str) else None
            label = f"{rid}: " if rid else ""
            problems.append(read.problem_at(where, f"{label}{field_name}: {message}" + (f" ({hint})" if hint else "")))
        return None, problems


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(value: object) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"


def _field_hint(name: str, record_model: type[Any], loc: tuple[Any, ...]) -> str:
    """'did you mean' for a misspelt field, when the model at that level is known."""
    from cgtpaths.errors import closest

    fields = list(getattr(record_model, "model_fields", {}))
    if loc:  # nested models: name the allowed fields only at the top level
        return ""
    hits = closest(name, fields, 2)
    return f"; did you mean '{hits[0]}'?" if hits else f"; allowed: {', '.join(fields)}"


def _check_references(
    records: dict[str, dict[str, dict[str, Any]]],
    origins: dict[str, dict[str, _Origin]],
    invalid: dict[str, set[str]],
    problems: list[Problem],
) -> None:
    """Every id a record names must exist; no role may progress to itself."""
    from cgtpaths.errors import closest

    def check(kind: str, rid: str, path: tuple[str | int, ...], target_kind: str, target: str | None) -> None:
        if target is None or target in records[target_kind] or target in invalid[target_kind]:
            return
        if not records[target_kind] and not invalid[target_kind]:
            return  # that file is missing or empty: already reported, don't repeat it per reference
        origin = origins[kind][rid]
        hits = closest(target, [*records[target_kind], *invalid[target_kind]])
        hint = f"; did you mean '{hits[0]}'?" if hits else ""
        problems.append(
            origin.read.problem_at((*origin.path, *path), f"{rid}: unknown {target_kind[:-1]} id '{target}'{hint}")
        )

    for rid, skill in records["skills"].items():
        for i, link in enumerate(skill["related"]):
            check("skills", rid, ("related", i, "skill"), "skills", link["skill"])
    for rid, region in records["regions"].items():
        check("regions", rid, ("parent",), "regions", region["parent"])
    for rid, role in records["roles"].items():
        for i, need in enumerate(role["skills"]):
            check("roles", rid, ("skills", i, "skill"), "skills", need["skill"])
        for i, target in enumerate(role["progression"]):
            if target == rid:
                origin = origins["roles"][rid]
                problems.append(
                    origin.read.problem_at(
                        (*origin.path, "progression", i), f"{rid}: a role cannot list itself in its progression"
                    )
                )
            else:
                check("roles", rid, ("progression", i), "roles", target)
        for i, target in enumerate(role["entry_routes"]):
            check("roles", rid, ("entry_routes", i), "programmes", target)
        for i, gate in enumerate(role["gates"]):
            for j, target in enumerate(gate["routes"]):
                check("roles", rid, ("gates", i, "routes", j), "programmes", target)
    for rid, programme in records["programmes"].items():
        for i, taught in enumerate(programme["teaches"]):
            check("programmes", rid, ("teaches", i, "skill"), "skills", taught["skill"])
        for i, target in enumerate(programme["leads_to"]):
            check("programmes", rid, ("leads_to", i), "roles", target)
        for i, region in enumerate(programme["regions"]):
            check("programmes", rid, ("regions", i), "regions", region)
    for rid, background in records["backgrounds"].items():
        for i, have in enumerate(background["skills"]):
            check("backgrounds", rid, ("skills", i, "skill"), "skills", have["skill"])


def env_data_dir() -> Path | None:
    value = os.environ.get("CGTPATHS_DATA_DIR")
    return Path(value) if value else None


# The catalogue's derived indexes (functools.cached_property on Catalogue) stored in the cache with
# the records: at ESCO scale, computing them takes longer than reading them back.
INDEXES = ("entry_routes", "taught_by", "valued_by", "specificity", "progressed_from")


def open_catalogue(data_dir: Path | None = None, overlays: tuple[Path, ...] = ()) -> tuple[Catalogue, Loaded]:
    """Load and index a dataset: the one entry point the CLI uses.

    Answered from the cache (cache.py) when every data file is as it was last time: no YAML, no
    pydantic. Otherwise the data is loaded and validated for real and the cache refreshed. Only a
    dataset that loaded without problems is stored, so a broken one is validated, and its problems
    reported, on every run.
    """
    from cgtpaths import cache

    folders, candidates, present, key = cache_key(data_dir, overlays)
    stored = cache.read(folders, key)
    hit = None if stored is None else _from_plain(stored, data_dir, overlays, candidates, {s[0] for s in present})
    if hit is not None:
        loaded, indexes = hit
        cat = _catalogue(loaded)
        for name, value in indexes.items():
            setattr(cat, name, value)  # exactly what the cached_property would have computed and stored
        return cat, loaded
    loaded = load(data_dir, overlays)
    cat = _catalogue(loaded)
    cache.write(folders, key, _to_plain(loaded, {name: getattr(cat, name) for name in _index_names()}))
    return cat, loaded


def _catalogue(loaded: Loaded) -> Catalogue:
    from cgtpaths.catalogue import Catalogue

    dataset = dict(loaded.dataset)
    if loaded.overlays:
        dataset["overlays"] = [o.path for o in loaded.overlays]
    return Catalogue(loaded.data, dataset)


def _index_names() -> list[str]:
    """The INDEXES that are still cached properties of Catalogue (so setting one is what caching does)."""
    from functools import cached_property

    from cgtpaths.catalogue import Catalogue

    return [name for name in INDEXES if isinstance(Catalogue.__dict__.get(name), cached_property)]


def cache_key(
    data_dir: Path | None, overlays: tuple[Path, ...]
) -> tuple[list[Path], list[Path], list[Any], tuple[Any, ...]]:
    """(folders, every file load() would read whether present or not, the stat of those present, the key).
    Listing absent files too is what makes adding one (say, an overlay's roles.yaml) change the key."""
    from cgtpaths import cache

    base = shipped_data_dir() if data_dir is None else data_dir
    candidates = [base / "dataset.yaml", *(base / f"{kind}.yaml" for kind in KINDS)]
    for directory in overlays:
        candidates += [directory / f"{kind}.yaml" for kind in KINDS]
    folders = [base, *overlays]
    present = cache.stamps(candidates)
    return folders, candidates, present, cache.make_key(folders, present)


def _to_plain(loaded: Loaded, indexes: dict[str, Any]) -> tuple[Any, ...]:
    """What the cache stores: records, dataset info, overlay reports and indexes, as marshal-able plain
    data. Paths shown to the user (dataset source, overlay names) depend on the working directory and
    are rebuilt on every run instead."""
    info = {k: v for k, v in loaded.dataset.items() if k != "source"}
    return (loaded.data, info, [(r.added, r.replaced) for r in loaded.overlays], indexes)


def _from_plain(
    stored: Any, data_dir: Path | None, overlays: tuple[Path, ...], candidates: list[Path], present: set[str]
) -> tuple[Loaded, dict[str, Any]] | None:
    """Rebuild Loaded (and the indexes) from the cache's plain data; None if its shape is not what
    _to_plain wrote."""
    try:
        data, info, reports, indexes = stored
        if not (
            isinstance(data, dict)
            and all(isinstance(data.get(kind), list) for kind in KINDS)
            and isinstance(info, dict)
            and isinstance(reports, list)
            and len(reports) == len(overlays)
            and isinstance(indexes, dict)
            and sorted(indexes) == sorted(_index_names())
            and all(isinstance(value, dict) for value in indexes.values())
        ):
            return None
        overlay_reports = [
            OverlayReport(display_name(directory), added, replaced)
            for directory, (added, replaced) in zip(overlays, reports, strict=True)
        ]
    except (TypeError, ValueError):
        return None
    dataset = {**info, "source": "shipped" if data_dir is None else str(data_dir)}
    files = [path for path in candidates if os.path.abspath(path) in present]
    return Loaded(data, dataset, overlay_reports, files), indexes
