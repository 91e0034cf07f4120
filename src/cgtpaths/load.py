"""Load the curated YAML into plain, validated data: every problem found, with file:line:column.

The result is plain dicts and lists (JSON-shaped), so the catalogue and engine never need
pydantic, and the whole thing can be cached as-is.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cgtpaths.errors import CgtpathsError, DataError, Problem, shorten

if TYPE_CHECKING:  # yamlread imports PyYAML: only a cache miss needs it (see open_catalogue)
    from collections.abc import Iterator

    from cgtpaths.catalogue import Catalogue
    from cgtpaths.yamlread import ReadFile

# file stem -> top-level key; order matters for reading only
KINDS = ("skills", "regions", "qualifications", "roles", "programmes", "backgrounds", "funding", "outlook")
REQUIRED = ("skills", "roles", "programmes", "backgrounds")
SINGULAR = {"funding": "funding rule", "outlook": "outlook figure"}
TOP_KEYS = {"funding": "rules", "outlook": "figures"}  # a file whose top-level key is not its stem


def singular(kind: str) -> str:
    return SINGULAR.get(kind, kind[:-1])


Data = dict[str, list[dict[str, Any]]]


def shipped_data_dir() -> Path:
    """The dataset that ships with cgtpaths: inside the wheel, or data/ in a checkout."""
    # importlib.resources.files("cgtpaths") is this folder for an installed package; finding it
    # directly saves importing importlib.resources (~20-40 ms) on every run.
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


class OverlayReport:
    """What an overlay added and replaced, by kind. (Plain classes in this module, not dataclasses:
    it is imported by every command, and creating a dataclass costs ~1 ms of start-up.)"""

    def __init__(
        self, path: str, added: dict[str, list[str]] | None = None, replaced: dict[str, list[str]] | None = None
    ) -> None:
        self.path = path
        self.added = {} if added is None else added
        self.replaced = {} if replaced is None else replaced

    def __repr__(self) -> str:
        return f"OverlayReport({self.path!r}, added={self.added!r}, replaced={self.replaced!r})"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "added": self.added, "replaced": self.replaced}


class Loaded:
    """A loaded dataset: its records by kind (read from the cache's tables only if asked for), the
    dataset info, the overlay reports and the files read."""

    def __init__(
        self,
        data: Data | None,
        dataset: dict[str, Any],
        overlays: list[OverlayReport],
        files: list[Path],
        tables: dict[str, Any] | None = None,
    ) -> None:
        self._data = data
        self._tables = tables
        self.dataset = dataset
        self.overlays = overlays
        self.files = files

    @property
    def data(self) -> Data:
        if self._data is None:
            assert self._tables is not None
            self._data = {kind: list(self._tables[kind].values()) for kind in KINDS}
        return self._data


class _Source:
    """A data file, parsed with positions only when a problem in it must be pointed at (its
    records may have come from the per-file cache, without reading it)."""

    def __init__(self, path: Path, name: str, read: ReadFile | None = None) -> None:
        self.path = path
        self.name = name
        self._read = read

    @property
    def read(self) -> ReadFile:
        if self._read is None:
            from cgtpaths.yamlread import read_yaml

            read, _ = read_yaml(self.path, self.name)
            if read is None:  # pragma: no cover - the file read cleanly when it was cached
                raise CgtpathsError(f"{self.name} changed while it was being read; run the command again")
            self._read = read
        return self._read


class _Origin:
    """Where a record came from, so a later check can point at it."""

    __slots__ = ("path", "source")

    def __init__(self, source: _Source, path: tuple[str | int, ...]) -> None:
        self.source = source
        self.path = path

    @property
    def read(self) -> ReadFile:
        return self.source.read


def display_name(path: Path) -> str:
    """A path as a curator would type it: relative to the working directory when inside it."""
    try:
        return str(Path(os.path.realpath(path)).relative_to(os.path.realpath(Path.cwd())))
    except (ValueError, OSError):  # (realpath, unlike resolve, never raises for a symlink loop)
        return str(path)


def data_files(directory: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The data files in a folder, as regular files. With `problems`, what looks meant as one but
    cannot be read is reported: a roles.yml, a roles.yaml that is a folder, a named pipe or a
    symbolic link that loops (it is never opened, so a FIFO cannot hang the run)."""
    import stat

    found = []
    for kind in KINDS:
        path = directory / f"{kind}.yaml"
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            if problems is not None and (directory / f"{kind}.yml").exists():
                problems.append(
                    Problem(
                        display_name(directory / f"{kind}.yml"),
                        0,
                        0,
                        f"data files end in .yaml: rename it to {kind}.yaml, or it is not read",
                    )
                )
            continue
        except OSError as exc:
            if problems is not None:
                problems.append(Problem(display_name(path), 0, 0, f"cannot read file: {exc.strerror or exc}"))
            continue
        if stat.S_ISREG(mode):
            found.append(path)
        elif problems is not None:
            from cgtpaths.fileio import kind_of

            problems.append(Problem(display_name(path), 0, 0, f"it is {kind_of(mode)}, not a file; it is not read"))
    return found


MAX_PROBLEMS = 1000  # kept in full; beyond this they are only counted (400,000 broken records must not take minutes)


class Problems(list[Problem]):
    """Problems found: the first MAX_PROBLEMS in full, then only how many more (`more`)."""

    def __init__(self) -> None:
        super().__init__()
        self.more = 0


def load(data_dir: Path | None = None, overlays: tuple[Path, ...] = (), *, reuse: bool = False) -> Loaded:
    """Read, validate and cross-check a dataset. Raises DataError listing every problem.

    With `reuse`, a file whose stat is as when its records were cached is not read again (the
    catalogue's rebuild after one file changed); without it every file is read and validated, as
    `data validate` promises."""
    with collector_paused():
        return _load(data_dir, overlays, reuse)


_frozen = False


@contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building the dataset: a load builds hundreds of
    thousands of objects and no cyclic garbage worth collecting, and each full collection on the
    way would walk them all (pausing roughly halves a load at ESCO scale). With `keep`, what was
    built is then moved out of the collector's sight (gc.freeze), since the catalogue lives as long
    as the command; only once a process, so a long-running one (the tests) never freezes more."""
    import gc

    global _frozen
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep and not _frozen:
                gc.freeze()
                _frozen = True
            gc.enable()


def _load(data_dir: Path | None, overlays: tuple[Path, ...], reuse: bool) -> Loaded:
    shipped = data_dir is None
    base = shipped_data_dir() if data_dir is None else data_dir
    problems = Problems()
    if not base.is_dir():
        raise CgtpathsError(
            f"data directory '{base}' does not exist",
            hint="Give --data-dir a folder holding skills.yaml, roles.yaml, programmes.yaml and backgrounds.yaml.",
        )
    _readable(base, "data directory")
    seen = [base]
    for directory in overlays:
        if not directory.is_dir():
            raise CgtpathsError(f"overlay directory '{directory}' does not exist")
        _readable(directory, "overlay directory")
        for earlier in seen:
            if os.path.samefile(directory, earlier):
                what = "the data directory" if earlier is base else f"overlay '{earlier}' again"
                raise CgtpathsError(
                    f"overlay directory '{directory}' is {what}",
                    hint="An overlay is a separate folder of added or replaced records; give each folder once.",
                )
        seen.append(directory)

    records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    origins: dict[str, dict[str, _Origin]] = {kind: {} for kind in KINDS}
    invalid: dict[str, set[str]] = {kind: set() for kind in KINDS}
    files: list[Path] = []
    base_files = data_files(base, problems)
    reported = {Path(p.file).name.split(".")[0] for p in problems}
    for kind in REQUIRED:
        if base / f"{kind}.yaml" not in base_files and kind not in reported:
            problems.append(
                Problem(
                    display_name(base / f"{kind}.yaml"), 0, 0, f"missing data file: every dataset needs {kind}.yaml"
                )
            )
    dataset = _read_dataset(base, shipped, problems, files)
    reports: list[OverlayReport] = []
    for layer, directory in enumerate((base, *overlays)):
        report = OverlayReport(display_name(directory)) if layer else None
        before = len(problems)
        layer_files = data_files(directory, problems) if layer else base_files
        if layer and not layer_files and len(problems) == before:
            problems.append(
                Problem(display_name(directory), 0, 0, "overlay holds none of " + ", ".join(f"{k}.yaml" for k in KINDS))
            )
        for path in layer_files:
            files.append(path)
            kind = path.stem
            before = len(problems)
            for record, origin in _read_records(path, kind, problems, invalid[kind], reuse):
                rid = record["id"]
                seen_here = origins[kind].get(rid)
                if seen_here is not None and seen_here.source.name == origin.source.name:
                    line, _ = seen_here.read.locate(seen_here.path)
                    problems.append(
                        origin.read.problem_at(
                            (*origin.path, "id"),
                            f"duplicate {singular(kind)} id '{rid}' (first defined at line {line + 1})",
                        )
                    )
                    continue
                if report is not None:
                    bucket = report.replaced if rid in records[kind] else report.added
                    bucket.setdefault(kind, []).append(rid)
                records[kind][rid] = record
                origins[kind][rid] = origin
            if not layer and kind == "roles" and not records[kind] and not invalid[kind] and len(problems) == before:
                problems.append(
                    Problem(
                        display_name(path),
                        0,
                        0,
                        "holds no roles: a dataset needs at least one, or no command has an answer",
                    )
                )
        if report is not None:
            reports.append(report)
    _check_references(records, origins, invalid, problems)
    if problems:
        raise DataError(problems)
    data = {kind: [records[kind][k] for k in sorted(records[kind])] for kind in KINDS}
    return Loaded(data, dataset, reports, files)


def _readable(directory: Path, what: str) -> None:
    if not os.access(directory, os.R_OK | os.X_OK):
        raise CgtpathsError(
            f"cannot read {what} '{directory}': permission denied",
            hint="Give your user read access to the folder (chmod u+rx), or use another.",
        )


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
    path: Path, kind: str, problems: list[Problem], unchecked: set[str], reuse: bool
) -> list[tuple[dict[str, Any], _Origin]]:
    """A file's validated records: from the per-file cache when reusing and the file is as it was,
    else read and validated (and cached if the file had no problems of its own)."""
    from cgtpaths import cache

    name = display_name(path)
    hit = cache.read_records(path) if reuse else None
    if hit is not None and isinstance(hit[1], list):
        source = _Source(path, name)
        key = _top_key(kind)
        return [(record, _Origin(source, (key, index))) for index, record in enumerate(hit[1])]
    before = cache.stamps([path])  # taken before reading: a file changed meanwhile is not cached
    found = Problems()
    out = _parse_records(path, name, kind, found, unchecked, MAX_PROBLEMS - len(problems))
    problems.extend(found)
    if isinstance(problems, Problems):
        problems.more += found.more
    if not found and before:
        cache.write_records(path, before[0], [record for record, _ in out])
    return out


def _top_key(kind: str) -> str:
    return TOP_KEYS.get(kind, kind)


def _parse_records(
    path: Path, name: str, kind: str, problems: Problems, unchecked: set[str], room: int = MAX_PROBLEMS
) -> list[tuple[dict[str, Any], _Origin]]:
    from cgtpaths import model
    from cgtpaths.yamlread import read_yaml

    record_model = model.FILES[kind]
    key = _top_key(kind)
    read, found = read_yaml(path, name)
    problems.extend(found)
    if read is None:
        return []
    source = _Source(path, name, read)
    top = read.data
    if not isinstance(top, dict) or key not in top:
        what = "empty" if top is None else f"a {type(top).__name__}"
        problems.append(
            read.problem_at(
                (), f"file is {what}; it must be a mapping with one key, '{key}:', holding a list of records"
            )
        )
        return []
    extra = [k for k in top if k != key]
    for other in extra:
        problems.append(
            read.problem_at(
                (other,), f"unexpected top-level key '{shorten(other)}'; only '{key}:' is allowed", key=True
            )
        )
    items = top[key]
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(read.problem_at((key,), f"'{key}:' must hold a list of records (each starting with '- id:')"))
        return []
    out = []
    for index, item in enumerate(items):
        path_ = (key, index)
        if len(problems) >= room:  # enough to show: count the rest, without locating each (the costly part)
            valid, count = _count_problems(item, record_model)
            problems.more += count
            found_here: list[Problem] = []
        else:
            valid, found_here = _validate(read, path_, item, record_model)
        if valid is None:
            keep = max(room - len(problems), 0)
            problems.extend(found_here[:keep])
            problems.more += len(found_here) - min(len(found_here), keep)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                unchecked.add(item["id"])  # still "known", so others' references to it aren't reported too
            continue
        out.append((valid.model_dump(mode="json"), _Origin(source, path_)))
        items[index] = None  # the validated copy is what is kept: free the parsed one as we go
    read.data = None  # positions, if a later check needs them, come from the text
    return out


_REQUIRED: dict[type[Any], frozenset[str]] = {}  # each model's required fields


def _count_problems(item: object, record_model: type[Any]) -> tuple[Any, int]:
    """(the validated model or None, how many problems the record has), without locating them. A
    record missing required fields is not validated (pydantic copies every default first, which
    made 400,000 empty records take a minute): it counts one problem per missing field."""
    from pydantic import ValidationError

    if not isinstance(item, dict):
        return None, 1
    required = _REQUIRED.get(record_model)
    if required is None:
        required = _REQUIRED[record_model] = frozenset(
            name for name, info in record_model.model_fields.items() if info.is_required()
        )
    missing = required.difference(item)
    if missing:
        return None, len(missing)
    try:
        return record_model.model_validate(item), 0
    except ValidationError as exc:
        return None, exc.error_count()


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
                problems.append(read.problem_at(where, f"unknown field '{shorten(field_name)}'{hint}", key=True))
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
    """Every id a record names must exist; no role may progress to itself, no skill be related to
    itself, and no region be its own parent or ancestor."""
    from cgtpaths.errors import closest

    def report(kind: str, rid: str, path: tuple[str | int, ...], message: str) -> None:
        origin = origins[kind][rid]
        if isinstance(problems, Problems) and len(problems) >= MAX_PROBLEMS:
            problems.more += 1  # counted, not located
        else:
            problems.append(origin.read.problem_at((*origin.path, *path), message))

    def check(kind: str, rid: str, path: tuple[str | int, ...], target_kind: str, target: str | None) -> None:
        if target is None or target in records[target_kind] or target in invalid[target_kind]:
            return
        if not records[target_kind] and not invalid[target_kind]:
            return  # that file is missing or empty: already reported, don't repeat it per reference
        hits = closest(target, [*records[target_kind], *invalid[target_kind]])
        hint = f"; did you mean '{hits[0]}'?" if hits else ""
        report(kind, rid, path, f"{rid}: unknown {singular(target_kind)} id '{shorten(target)}'{hint}")

    for rid, skill in records["skills"].items():
        for i, link in enumerate(skill["related"]):
            if link["skill"] == rid:
                report("skills", rid, ("related", i, "skill"), f"{rid}: a skill cannot be related to itself")
            else:
                check("skills", rid, ("related", i, "skill"), "skills", link["skill"])
    in_cycle: set[str] = set()
    for rid, region in records["regions"].items():
        if region["parent"] == rid:
            report("regions", rid, ("parent",), f"{rid}: a region cannot be its own parent")
            continue
        check("regions", rid, ("parent",), "regions", region["parent"])
        chain = [rid]
        parent = region["parent"]
        while parent in records["regions"] and parent not in chain and parent not in in_cycle:
            chain.append(parent)
            parent = records["regions"][parent]["parent"]
        if parent == rid:  # back where it started: each region of the cycle is reported once, at the first
            in_cycle.update(chain)
            loop = " -> ".join([*chain, rid])
            report("regions", rid, ("parent",), f"{rid}: regions' parents go round in a circle ({loop})")
    for rid, role in records["roles"].items():
        for i, need in enumerate(role["skills"]):
            check("roles", rid, ("skills", i, "skill"), "skills", need["skill"])
        for i, target in enumerate(role["progression"]):
            if target == rid:
                report("roles", rid, ("progression", i), f"{rid}: a role cannot list itself in its progression")
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
        for i, rule in enumerate(programme["funding_rules"]):
            check("programmes", rid, ("funding_rules", i), "funding", rule)
    for rid, background in records["backgrounds"].items():
        for i, have in enumerate(background["skills"]):
            check("backgrounds", rid, ("skills", i, "skill"), "skills", have["skill"])
    for rid, figure in records["outlook"].items():
        check("outlook", rid, ("region",), "regions", figure["region"])
        for i, target in enumerate(figure["roles"]):
            check("outlook", rid, ("roles", i), "roles", target)
        for i, target in enumerate(figure["backgrounds"]):
            check("outlook", rid, ("backgrounds", i), "backgrounds", target)


def env_data_dir() -> Path | None:
    value = os.environ.get("CGTPATHS_DATA_DIR")
    return Path(value) if value else None


# The catalogue's derived indexes (functools.cached_property on Catalogue) stored in the cache with
# the records: at ESCO scale, computing them takes longer than reading the few entries a query uses.
INDEXES = (
    "entry_routes",
    "taught_by",
    "valued_by",
    "role_levels",
    "months",
    "progressed_from",
    "postings",
    "credit_from",
    "training_for",
)
LISTS = "lists"  # a store section of whole lists, each read on first use (catalogue.entry_conditions)
# Indexes keyed by the same ids as a table share its key list in the store (store.write).
SPACES = {
    **dict.fromkeys(("taught_by", "valued_by", "postings", "credit_from", "training_for"), "skills"),
    **dict.fromkeys(("entry_routes", "progressed_from", "role_levels"), "roles"),
    "months": "programmes",
}


def open_catalogue(data_dir: Path | None = None, overlays: tuple[Path, ...] = ()) -> tuple[Catalogue, Loaded]:
    """Load and index a dataset: the one entry point the CLI uses.

    Answered from the cache (cache.py) when every data file is as it was last time: no YAML, no
    pydantic, and only the records a command uses are read. Otherwise the data is loaded and
    validated for real and the cache refreshed. Only a dataset that loaded without problems is
    stored, so a broken one is validated, and its problems reported, on every run.
    """
    from cgtpaths import cache, fileio

    folders, candidates, present, key = cache_key(data_dir, overlays)
    fileio.note_inputs(Path(stamp[0]) for stamp in present)  # so `-o` never replaces a data file
    reader = cache.read(folders, key)
    if reader is not None:
        hit = _from_store(reader, data_dir, overlays, candidates, {s[0] for s in present})
        if hit is not None:
            return hit
        reader.close()
    with collector_paused(keep=True):
        loaded = load(data_dir, overlays, reuse=True)
        cat = _catalogue(loaded)
        head, sections = _to_store(loaded, cat)
        cache.write(folders, key, head, sections, SPACES)
    return cat, loaded


def _catalogue(loaded: Loaded) -> Catalogue:
    from cgtpaths.catalogue import Catalogue

    return Catalogue(loaded.data, _shown_dataset(loaded.dataset, loaded.overlays))


def _shown_dataset(info: dict[str, Any], overlays: list[OverlayReport]) -> dict[str, Any]:
    dataset = dict(info)
    if overlays:
        dataset["overlays"] = [o.path for o in overlays]
    return dataset


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


def _to_store(loaded: Loaded, cat: Catalogue) -> tuple[Any, dict[str, dict[str, Any]]]:
    """What the cache stores: a small head (dataset info, overlay reports, the role order the
    postings refer to) and one section per kind of record and per index. Paths shown to the user
    (dataset source, overlay names) depend on the working directory and are rebuilt on every run."""
    from cgtpaths.catalogue import TABLES, pack_bounds

    info = {k: v for k, v in loaded.dataset.items() if k != "source"}
    from array import array

    _, families, sums = cat.role_order  # (the ids are the roles table's keys, stored once, there)
    names = sorted(set(families))
    order = (names, array("H", [names.index(f) for f in families]).tobytes(), array("d", sums).tobytes())
    head = (info, [(r.added, r.replaced) for r in loaded.overlays], order)
    sections: dict[str, dict[str, Any]] = {kind: dict(getattr(cat, kind)) for kind in TABLES}
    sections.update((name, getattr(cat, name)) for name in INDEXES)
    sections[LISTS] = {
        "entry_conditions": cat.entry_conditions,  # read only when a gap is explained
        "bounds": pack_bounds(cat.bounds),  # read only when ranking a large catalogue (match.shortlist)
    }
    return head, sections


def _from_store(
    reader: Any, data_dir: Path | None, overlays: tuple[Path, ...], candidates: list[Path], present: set[str]
) -> tuple[Catalogue, Loaded] | None:
    """The catalogue over the store's lazy tables; None if the store's shape is not what _to_store
    wrote. A value found damaged later is answered by loading the data for real (_Rebuild)."""
    from cgtpaths.catalogue import TABLES, Catalogue
    from cgtpaths.store import LazyList, LazyTable, unpack

    try:
        info, reports, (names, codes, weights) = reader.head
        ids = reader.space("roles")
        families = [names[code] for code in unpack("H", codes)]
        sums = unpack("d", weights)
        if not (
            isinstance(info, dict)
            and isinstance(reports, list)
            and len(reports) == len(overlays)
            and sorted(reader.sections()) == sorted((*TABLES, *INDEXES, LISTS))
            and len(ids) == len(families) == len(sums)
        ):
            return None
        overlay_reports = [
            OverlayReport(display_name(directory), added, replaced)
            for directory, (added, replaced) in zip(overlays, reports, strict=True)
        ]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    dataset = {**info, "source": "shipped" if data_dir is None else str(data_dir)}
    rebuild = _Rebuild(data_dir, overlays, reader.key)
    tables = {name: LazyTable(reader, name, rebuild.section) for name in (*TABLES, *INDEXES, LISTS)}
    cat = Catalogue.from_tables({kind: tables[kind] for kind in TABLES}, _shown_dataset(dataset, overlay_reports))
    for name in INDEXES:
        cat.__dict__[name] = tables[name]  # exactly where the cached_property would have stored it
    cat.__dict__["role_order"] = (ids, families, sums)
    cat.__dict__["entry_conditions"] = LazyList(tables[LISTS], "entry_conditions")
    cat.stored_bounds = lambda: tables[LISTS]["bounds"]
    files = [path for path in candidates if os.path.abspath(path) in present]
    return cat, Loaded(None, dataset, overlay_reports, files, tables)


class _Rebuild:
    """Answers for a damaged cache: loads and indexes the dataset for real (once), and replaces the
    damaged file with a good one."""

    def __init__(self, data_dir: Path | None, overlays: tuple[Path, ...], key: tuple[Any, ...]) -> None:
        self.data_dir = data_dir
        self.overlays = overlays
        self.key = key
        self.sections: dict[str, dict[str, Any]] | None = None

    def section(self, name: str) -> dict[str, Any]:
        if self.sections is None:
            from cgtpaths import cache

            loaded = load(self.data_dir, self.overlays, reuse=True)
            head, self.sections = _to_store(loaded, _catalogue(loaded))
            folders, _, _, key = cache_key(self.data_dir, self.overlays)
            if key == self.key:  # the files are still those the damaged cache was built from
                cache.write(folders, key, head, self.sections, SPACES)
            else:
                cache.discard(folders)
        return self.sections[name]
