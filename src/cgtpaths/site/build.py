"""Build the whole site into a folder, atomically.

Every page is written into a new folder beside the target; only when all of it is written does
that folder take the target's place (the old site is renamed aside, then removed). A build that
fails on the way leaves the previous site as it was. A target that exists and is not a site this
command built (no SITE_MARK inside) is never replaced, so `-o ~` cannot wipe a home folder.

Pathways are the slow part (plan.pathway for each background x role), so they are worked out in
several processes when the machine has the cores for it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cgtpaths.errors import CgtpathsError
from cgtpaths.site import export, pages

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cgtpaths.catalogue import Catalogue

SITE_MARK = ".cgtpaths-site"  # in every built site: a folder holding it may be replaced by a new build
ASSETS = ("site.css", "check.js", "search.js")


class Built(NamedTuple):
    folder: Path
    pages: int
    bytes: int


def build_site(cat: Catalogue, target: Path, *, workers: int | None = None) -> Built:
    """Write the site for this catalogue into `target`, replacing a site built there before."""
    target = Path(os.path.abspath(target))
    _check_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    except OSError as exc:
        raise CgtpathsError(
            f"cannot write the site beside '{target}': {exc.strerror or exc}",
            hint="Choose a folder you can write to with -o.",
        ) from None
    try:
        count, size = _write_all(cat, building, workers)
        _swap(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Built(target, count, size)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise CgtpathsError(f"'{target}' is a file, not a folder", hint="Give -o a folder name for the site.")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARK).exists():
        raise CgtpathsError(
            f"'{target}' already holds files that are not a site built by cgtpaths; nothing was changed",
            hint="Give -o a new or empty folder, or one a previous `cgtpaths site build` wrote.",
        )


def _swap(building: Path, target: Path) -> None:
    """Put the new site in the target's place; the old one is renamed aside first, then removed."""
    old = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / "site")
        os.replace(building, target)
    except OSError as exc:
        if old is not None and not target.exists():
            os.replace(old / "site", target)  # put the previous site back
        raise CgtpathsError(f"cannot replace '{target}': {exc.strerror or exc}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_all(cat: Catalogue, root: Path, workers: int | None) -> tuple[int, int]:
    written = [0, 0]

    def put(relative: str, text: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        written[0] += relative.endswith(".html")
        written[1] += len(data)

    for relative, text in _pages(cat):
        put(relative, text)
    for relative, text in _pathways(cat, workers):
        put(relative, text)
    check = json.dumps(export.check_data(cat), ensure_ascii=False, separators=(",", ":"))
    put("data/check.json", check)
    put("data/check.js", f"window.CGTPATHS_CHECK = {check};\n")
    index = json.dumps(export.search_index(cat), ensure_ascii=False, separators=(",", ":"))
    put("data/search.json", index)
    put("data/search.js", f"window.CGTPATHS_SEARCH = {index};\n")
    from cgtpaths.render.html import CSS

    assets = resources.files("cgtpaths") / "site_assets"
    put("assets/site.css", CSS + assets.joinpath("site.css").read_text(encoding="utf-8"))
    for name in ASSETS[1:]:
        put(f"assets/{name}", assets.joinpath(name).read_text(encoding="utf-8"))
    put(SITE_MARK, "A site built by `cgtpaths site build`; the next build may replace this folder.\n")
    return written[0], written[1]


def _pages(cat: Catalogue) -> Iterator[tuple[str, str]]:
    """Every page but the pathways, as (path from the top folder, HTML)."""
    from cgtpaths.match import match_request
    from cgtpaths.profile import build

    yield "index.html", pages.home(cat)
    yield "start/school.html", pages.start_school(cat)
    yield "start/change.html", pages.start_change(cat)
    yield "start/advise.html", pages.start_advise(cat)
    yield "check.html", pages.check_page(cat)
    yield "search.html", pages.search_page(cat)
    yield "roles/index.html", pages.role_list(cat)
    for rid in sorted(cat.roles):
        yield f"roles/{rid}.html", pages.role(cat, rid)
    yield "programmes/index.html", pages.programme_list(cat)
    for pid in sorted(cat.programmes):
        yield f"programmes/{pid}.html", pages.programme(cat, pid)
    yield "backgrounds/index.html", pages.background_list(cat)
    for bid in sorted(cat.backgrounds):
        # what `cgtpaths match --from BID --top <every role>` answers
        _, ranked = match_request(cat, build(cat, backgrounds=[bid]), top=len(cat.roles))
        yield f"backgrounds/{bid}.html", pages.background(cat, bid, ranked)
    yield "regions/index.html", pages.region_list(cat)
    for rid in sorted(cat.regions):
        yield f"regions/{rid}.html", pages.region(cat, rid)
    yield "skills/index.html", pages.skill_list(cat)
    for sid in sorted(cat.skills):
        yield f"skills/{sid}.html", pages.skill(cat, sid)


# the catalogue the pathway workers read: set before they fork, so each has it without a copy
_SHARED: list[Catalogue] = []


def _pathways_from(bid: str) -> list[tuple[str, str]]:
    """Every pathway from one background: what `cgtpaths pathway --from BID --to ROLE` answers."""
    from cgtpaths.plan import pathway
    from cgtpaths.profile import build
    from cgtpaths.summary import pathway_page

    cat = _SHARED[0]
    person = build(cat, backgrounds=[bid])
    out = []
    for rid in sorted(cat.roles):
        try:
            page = pathway_page(cat, pathway(cat, person, rid), person)
        except CgtpathsError as exc:  # the planner found no route: the page says why, as the command does
            page = pages.no_pathway(cat, bid, rid, exc.message, exc.hint)
        out.append((f"pathways/{bid}/{rid}.html", pages.pathway(cat, bid, rid, page)))
    return out


def _pathways(cat: Catalogue, workers: int | None) -> Iterator[tuple[str, str]]:
    import multiprocessing

    backgrounds = sorted(cat.backgrounds)
    count = min(len(backgrounds), workers if workers is not None else os.cpu_count() or 1)
    _SHARED[:] = [cat]
    try:
        if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for bid in backgrounds:
                yield from _pathways_from(bid)
            return
        with multiprocessing.get_context("fork").Pool(count) as pool:
            for found in pool.imap(_pathways_from, backgrounds):
                yield from found
    finally:
        _SHARED.clear()
