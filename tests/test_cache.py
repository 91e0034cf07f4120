"""The catalogue cache (cache.py): used when current, rebuilt when anything changes, never trusted when
damaged, never required. Speed itself is measured by bench/run.py, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import MINI, ROOT

from cgtpaths import cache, store
from cgtpaths import load as load_module
from cgtpaths.catalogue import TABLES
from cgtpaths.errors import DataError
from cgtpaths.load import INDEXES, LISTS, cache_key, load, open_catalogue

HOUR_NS = 3_600_000_000_000


def settle(directory: Path, hours_ago: int = 1) -> None:
    """Give every data file an mtime well in the past: a file changed in the last two seconds is
    read but not cached (cache.RACY_SECONDS), and these tests are about the cached case."""
    stamp = time.time_ns() - hours_ago * HOUR_NS
    for path in directory.glob("*.yaml"):
        os.utime(path, ns=(stamp, stamp))


def set_back(path: Path, hours_ago: int) -> None:
    """One file changed (and not just now): only its mtime moves."""
    stamp = time.time_ns() - hours_ago * HOUR_NS
    os.utime(path, ns=(stamp, stamp))


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("catalogue-*.store"))


def no_yaml_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any attempt to load the YAML fails the test: only the cache can answer."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the YAML was loaded: the cache was not used")

    monkeypatch.setattr(load_module, "load", refuse)


def college(tmp_path: Path) -> Path:
    """An overlay adding one course to the shipped data (the mini fixture's, pointed at shipped ids)."""
    overlay = tmp_path / "college"
    overlay.mkdir()
    text = (MINI / "programmes.yaml").read_text(encoding="utf-8")
    text = text.replace("regions: [north]", "regions: [north-east]").replace(
        "leads_to: [technician]", "leads_to: [manufacturing-technician]"
    )
    (overlay / "programmes.yaml").write_text(text, encoding="utf-8")
    # the course names the fixture's funding rule, which the shipped funding.yaml does not hold
    (overlay / "funding.yaml").write_text((MINI / "funding.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return overlay


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- used when current --------------------------------------------------------------------------


def test_a_second_open_is_answered_from_the_cache_with_the_same_data(
    mini_copy: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(mini_copy)
    first, loaded = open_catalogue(mini_copy)
    assert len(cache_files(isolated_cache)) >= 1
    no_yaml_loading(monkeypatch)
    second, again = open_catalogue(mini_copy)
    assert again.data == loaded.data
    assert second.dataset == first.dataset
    assert again.files == loaded.files


def test_indexes_read_from_the_cache_equal_freshly_computed_ones(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cgtpaths.catalogue import Catalogue
    from cgtpaths.load import INDEXES

    settle(data_copy)
    open_catalogue(data_copy)
    no_yaml_loading(monkeypatch)
    cat, loaded = open_catalogue(data_copy)
    fresh = Catalogue(loaded.data, cat.dataset)
    for name in INDEXES:
        assert name in vars(cat), f"{name} was not read from the cache"
        assert getattr(cat, name) == getattr(fresh, name), name
    ids, families, sums = cat.role_order  # from the store's head and the roles table's keys
    assert (list(ids), families, list(sums)) == fresh.role_order
    assert list(cat.entry_conditions) == fresh.entry_conditions


def test_a_warm_match_reads_only_the_records_it_explains(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring uses the cached postings, not the roles: a query reads the records of the roles it
    returns, and no programme record at all (gap options come from the training index)."""
    from cgtpaths import match as engine
    from cgtpaths.profile import build

    settle(data_copy)
    open_catalogue(data_copy)
    no_yaml_loading(monkeypatch)
    cat, _ = open_catalogue(data_copy)
    reads: list[tuple[str, str]] = []
    real_get = store.Reader.get

    def counted(self: store.Reader, section: str, key: str) -> Any:
        reads.append((section, key))
        return real_get(self, section, key)

    def refuse(*_: object) -> None:
        raise AssertionError("a whole section was read")

    monkeypatch.setattr(store.Reader, "get", counted)
    monkeypatch.setattr(store.Reader, "all", refuse)
    person = build(cat, backgrounds=["oil-and-gas-process-operator"])
    results = engine.match(cat, person, top=3)
    assert len(results) == 3
    assert {key for section, key in reads if section == "roles"} == {m.role for m in results}
    assert [key for section, key in reads if section == "programmes"] == []


def test_overlay_reports_and_paths_are_rebuilt_not_cached(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlay = college(tmp_path)
    settle(data_copy)
    settle(overlay)
    _, loaded = open_catalogue(data_copy, (overlay,))
    no_yaml_loading(monkeypatch)
    monkeypatch.chdir(tmp_path)  # names are shown relative to where the user is
    cat, again = open_catalogue(data_copy, (overlay,))
    assert [o.path for o in again.overlays] == ["college"]
    assert [(o.added, o.replaced) for o in again.overlays] == [(o.added, o.replaced) for o in loaded.overlays]
    assert cat.dataset["source"] == str(data_copy)
    assert cat.dataset["overlays"] == ["college"]


# ---- rebuilt when anything changes ----------------------------------------------------------------


def test_a_changed_file_invalidates_even_at_the_same_size(mini_copy: Path) -> None:
    settle(mini_copy, hours_ago=2)
    cat, _ = open_catalogue(mini_copy)
    assert cat.roles["technician"]["title"] == "Technician"
    replace_in(mini_copy / "roles.yaml", "title: Technician", "title: Technicia!")  # same length
    settle(mini_copy, hours_ago=1)
    cat, _ = open_catalogue(mini_copy)
    assert cat.roles["technician"]["title"] == "Technicia!"


def test_an_added_or_removed_data_file_invalidates(mini_copy: Path) -> None:
    regions = (mini_copy / "regions.yaml").read_text(encoding="utf-8")
    (mini_copy / "regions.yaml").unlink()
    settle(mini_copy)
    cat, _ = open_catalogue(mini_copy)
    assert cat.regions == {}
    (mini_copy / "regions.yaml").write_text(regions, encoding="utf-8")
    settle(mini_copy)
    cat, loaded = open_catalogue(mini_copy)
    assert cat.regions
    assert mini_copy / "regions.yaml" in loaded.files
    (mini_copy / "regions.yaml").unlink()
    cat, loaded = open_catalogue(mini_copy)
    assert cat.regions == {}
    assert mini_copy / "regions.yaml" not in loaded.files


def test_a_file_added_to_an_overlay_invalidates(data_copy: Path, tmp_path: Path) -> None:
    overlay = college(tmp_path)
    settle(data_copy)
    settle(overlay)
    cat, _ = open_catalogue(data_copy, (overlay,))
    assert "technician" not in cat.roles
    (overlay / "roles.yaml").write_text((MINI / "roles.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    settle(overlay)
    cat, loaded = open_catalogue(data_copy, (overlay,))
    assert "technician" in cat.roles
    assert loaded.overlays[0].added["roles"] == ["technician", "supervisor"]


def test_a_file_changed_just_now_is_read_but_not_cached(mini_copy: Path, isolated_cache: Path) -> None:
    before = set(cache_files(isolated_cache))
    replace_in(mini_copy / "roles.yaml", "title: Technician", "title: Technician now")
    cat, _ = open_catalogue(mini_copy)  # its mtime is within cache.RACY_SECONDS of now
    assert cat.roles["technician"]["title"] == "Technician now"
    assert set(cache_files(isolated_cache)) == before


def test_data_problems_are_never_cached(mini_copy: Path, isolated_cache: Path) -> None:
    replace_in(mini_copy / "roles.yaml", "level: 2, essential: true", "level: 4, essential: true")
    settle(mini_copy)
    before = set(cache_files(isolated_cache))
    for _ in range(2):
        with pytest.raises(DataError, match="less than or equal to 3"):
            open_catalogue(mini_copy)
    assert set(cache_files(isolated_cache)) == before


def test_a_same_size_edit_that_keeps_the_mtime_is_seen(mini_copy: Path) -> None:
    """The key holds each file's ctime too, which an edit changes whatever it does to the mtime."""
    from tests.conftest import run

    settle(mini_copy)
    assert run("--data-dir", str(mini_copy), "roles", "--json").code == 0  # the cache is now current
    roles = mini_copy / "roles.yaml"
    stat = roles.stat()
    replace_in(roles, "level: 2, essential: true", "level: 4, essential: true")  # same size
    os.utime(roles, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert (roles.stat().st_size, roles.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    for command in (["roles", "--json"], ["data", "validate"]):
        checked = run("--data-dir", str(mini_copy), *command)
        assert checked.code == 1, command
        assert "less than or equal to 3" in checked.err


# ---- one file changed: only that file is read again ------------------------------------------------


def parsed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The data files really read and validated from here on (the others come from their cache)."""
    seen: list[str] = []
    real = load_module._parse_records

    def spy(path: Path, *args: Any) -> Any:
        seen.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(load_module, "_parse_records", spy)
    return seen


def test_after_one_file_changes_only_that_file_is_read_again(mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(mini_copy, hours_ago=2)
    open_catalogue(mini_copy)
    parsed = parsed_files(monkeypatch)
    replace_in(mini_copy / "roles.yaml", "title: Technician", "title: Lab technician")
    set_back(mini_copy / "roles.yaml", hours_ago=1)
    cat, loaded = open_catalogue(mini_copy)
    assert parsed == ["roles.yaml"]
    assert cat.roles["technician"]["title"] == "Lab technician"
    fresh = load(mini_copy)  # every file read: the same records, in the same order
    assert loaded.data == fresh.data


def test_a_problem_in_a_cached_file_is_still_reported_at_its_line(mini_copy: Path) -> None:
    """roles.yaml comes from its cache, but the skill it names is gone: the message must point into
    roles.yaml exactly as a full read would."""
    settle(mini_copy, hours_ago=2)
    open_catalogue(mini_copy)
    text = (mini_copy / "skills.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: permit-to-work")
    end = text.find("  - id:", start + 1) % (len(text) + 1)  # or the end of the file
    (mini_copy / "skills.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    set_back(mini_copy / "skills.yaml", hours_ago=1)
    with pytest.raises(DataError) as cached:
        open_catalogue(mini_copy)
    with pytest.raises(DataError) as full:
        load(mini_copy)
    assert [p.as_dict() for p in cached.value.problems] == [p.as_dict() for p in full.value.problems]
    assert any(p.file.endswith("roles.yaml") and p.line > 0 for p in cached.value.problems)


def test_a_damaged_file_record_cache_is_not_trusted(mini_copy: Path, isolated_cache: Path) -> None:
    settle(mini_copy, hours_ago=2)
    _, loaded = open_catalogue(mini_copy)
    for entry in isolated_cache.glob("records-*.store"):
        blob = entry.read_bytes()
        entry.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0x40]) + blob[-9:])
    for entry in cache_files(isolated_cache):
        entry.unlink()  # so the catalogue is rebuilt from the (damaged) per-file caches
    _, again = open_catalogue(mini_copy)
    assert again.data == loaded.data


# ---- never trusted when damaged ---------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: blob[:-1], id="one-byte-short"),
        pytest.param(lambda blob: blob[:-200] + bytes([blob[-200] ^ 0x01]) + blob[-199:], id="a-flipped-bit"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: b"not a cache file at all" * 10, id="garbage"),
        pytest.param(lambda blob: blob + b"\0", id="trailing-bytes"),
    ],
)
def test_a_damaged_cache_file_is_detected_and_rebuilt(
    damage: object, mini_copy: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(mini_copy)
    before = set(cache_files(isolated_cache))
    fresh, loaded = open_catalogue(mini_copy)
    [entry] = set(cache_files(isolated_cache)) - before
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    cat, again = open_catalogue(mini_copy)
    assert again.data == loaded.data  # whether the damage was seen on opening or as a record was read
    for name in INDEXES:  # the damage may lie in an index: every value is checked as it is read
        assert dict(getattr(cat, name).items()) == getattr(fresh, name), name
    reader = stored(mini_copy)
    assert reader is not None  # rebuilt and stored again
    for section in reader.sections():
        reader.all(section)  # raises store.Damaged if any value is still bad
    no_yaml_loading(monkeypatch)
    open_catalogue(mini_copy)


def test_a_well_formed_file_of_the_wrong_shape_is_not_trusted(mini_copy: Path) -> None:
    settle(mini_copy)
    _, loaded = open_catalogue(mini_copy)
    folders, _, _, key = cache_key(mini_copy, ())
    assert cache.write(folders, key, ({"roles": "not a list"}, {}, [], {}), {})  # a valid header and CRC
    _, again = open_catalogue(mini_copy)
    assert again.data == loaded.data
    reader = stored(mini_copy)
    assert reader is not None
    assert sorted(reader.sections()) == sorted((*TABLES, *INDEXES, LISTS))  # rebuilt


def stored(directory: Path) -> store.Reader | None:
    folders, _, _, key = cache_key(directory, ())
    return cache.read(folders, key)


# ---- never required ---------------------------------------------------------------------------


def test_an_unusable_cache_folder_only_makes_it_slower(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    settle(mini_copy)
    for _ in range(2):
        cat, _ = open_catalogue(mini_copy)
        assert "technician" in cat.roles


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_cache_folder_still_works(mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro-cache"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(folder))
    settle(mini_copy)
    try:
        cat, _ = open_catalogue(mini_copy)
        assert "technician" in cat.roles
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CGTPATHS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "cgtpaths"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: ignore relative values
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "cgtpaths"
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


# ---- real processes ------------------------------------------------------------------------------

HEAVY = ("pydantic", "pydantic_core", "yaml", "rich", "typer")
PROBE = """
import json, sys
from cgtpaths.launch import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def probe(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    """Run the CLI in a fresh interpreter: exit code, the modules it imported, stdout."""
    report = tmp_path / f"modules-{time.monotonic_ns()}.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(report.read_text())
    return found["code"], set(found["modules"]), done.stdout


def test_a_warm_match_json_imports_no_pydantic_yaml_rich_or_typer(data_copy: Path, tmp_path: Path) -> None:
    settle(data_copy)
    args = ("--data-dir", str(data_copy), "match", "--from", "oil-and-gas-process-operator", "--json")
    code, cold, first = probe(tmp_path, *args)
    assert code == 0
    assert {"pydantic", "yaml"} <= cold  # the first run really loads and validates the YAML
    code, warm, second = probe(tmp_path, *args)
    assert code == 0
    assert second == first
    assert sorted(m for m in warm if m.split(".")[0] in HEAVY) == []
    # each costs 20-40 ms to import; the shipped data is found without them
    assert sorted(warm & {"importlib.metadata", "importlib.resources"}) == []
    # every frozen dataclass costs ~1 ms to create: none on the warm path
    assert "dataclasses" not in warm


def test_processes_building_the_cache_at_once_leave_a_valid_one(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(mini_copy)
    folder = tmp_path / "fresh-cache"
    monkeypatch.setenv("CGTPATHS_CACHE_DIR", str(folder))
    argv = [sys.executable, "-m", "cgtpaths", "--data-dir", str(mini_copy), "roles", "--json"]
    running = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in running]
    assert [p.returncode for p in running] == [0, 0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    [entry] = cache_files(folder)
    records = sorted(folder.glob("records-*.store"))  # one per data file, each written whole too
    assert len(records) == len(list(mini_copy.glob("*.yaml"))) - (mini_copy / "dataset.yaml").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in [entry, *records])  # no temporaries
    assert stored(mini_copy) is not None


def test_a_cache_file_of_the_earlier_format_is_removed_when_the_new_one_is_written(
    mini_copy: Path, isolated_cache: Path
) -> None:
    settle(mini_copy)
    folders, _, _, _ = cache_key(mini_copy, ())
    isolated_cache.mkdir(parents=True, exist_ok=True)
    legacy = cache._file_for(isolated_cache, folders).with_suffix(".marshal")
    legacy.write_bytes(b"cgtpaths-cache\x00\x01" + bytes(12))
    cat, _ = open_catalogue(mini_copy)
    assert "technician" in cat.roles
    assert not legacy.exists()
    assert cache_files(isolated_cache)


def test_the_store_reads_the_same_where_the_os_has_no_pread(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no os.pread: the store falls back on seek and read, and answers the same."""
    settle(data_copy)
    fresh, _ = open_catalogue(data_copy)
    monkeypatch.setattr(store, "_pread", store._seek_read)
    no_yaml_loading(monkeypatch)
    cat, _ = open_catalogue(data_copy)
    assert dict(cat.roles.items()) == dict(fresh.roles)
    assert cat.skills["gmp"] == fresh.skills["gmp"]


def test_the_shortlist_bounds_come_back_from_the_cache_as_computed(data_copy: Path) -> None:
    settle(data_copy)
    cold, _ = open_catalogue(data_copy)
    warm, _ = open_catalogue(data_copy)
    assert cold.stored_bounds is None and warm.stored_bounds is not None
    (dense, on_dense, order), (want_dense, want_on_dense, want_order) = warm.bounds, cold.bounds
    assert dense == want_dense and dense  # the shipped data has skills most roles list
    assert list(on_dense) == list(want_on_dense) and list(order) == list(want_order)
