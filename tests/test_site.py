"""The website (issue 16): built from the shipped data by the real CLI, opened in a real headless
Chromium (Debian's, driven by playwright from PyPI; no browser download) and checked there:
axe-core on every kind of page, the skills check against `cgtpaths match --json` on random
profiles, no request to another site, keyboard-only use, 360 px phones, A4 print and page sizes.
Plus the build's own promises: atomic, never clobbering a folder it did not write, escaping.

.ci/run installs Chromium (apt), playwright (pip, the test extra) and axe-core (npm, into
.venv/axe); CGTPATHS_AXE may point at another axe.min.js.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from tests.conftest import DATA, MINI, ROOT, run

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PROFILES = 200  # random profiles compared between check.html and match --json
PAGE_LIMIT = 100_000  # bytes: an HTML page, not counting the shared data and scripts

# One page of every kind (ids from the shipped data/).
KINDS = {
    "home": "index.html",
    "school": "start/school.html",
    "change": "start/change.html",
    "advise": "start/advise.html",
    "roles": "roles/index.html",
    "role": "roles/qualified-person.html",
    "programmes": "programmes/index.html",
    "programme": "programmes/st1406-science-manufacturing-technician.html",
    "backgrounds": "backgrounds/index.html",
    "background": "backgrounds/oil-and-gas-process-operator.html",
    "pathway": "pathways/school-leaver-gcse/qc-analyst.html",
    "regions": "regions/index.html",
    "region": "regions/north-east.html",
    "skills": "skills/index.html",
    "skill": "skills/aseptic-technique.html",
    "search": "search.html?q=aseptic",
    "check": "check.html?from=oil-and-gas-process-operator&skill=gmp:2&level=3&region=north-east",
}


# ---- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site from the shipped data, built once by the real CLI."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = run("site", "build", "-o", str(out))
    assert result.code == 0, result.err
    assert (out / "index.html").is_file()
    return out


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("The site tests need Chromium: apt-get install chromium (as .ci/run does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        # playwright gives every launch a new, empty --user-data-dir of its own
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def url(site: Path, relative: str) -> str:
    return site.as_uri() + "/" + relative


def axe_source() -> str:
    path = Path(os.environ.get("CGTPATHS_AXE", ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
    if not path.is_file():
        pytest.fail(f"axe-core not found at {path}: npm install --prefix .venv/axe axe-core (as .ci/run does)")
    return path.read_text(encoding="utf-8")


# ---- accessibility -----------------------------------------------------------------------------


def test_every_kind_of_page_passes_axe_core_with_no_violations(site: Path, chromium: Any) -> None:
    # axe is injected as a script, which the pages' own policy forbids: this context alone bypasses it
    context = chromium.new_context(bypass_csp=True)
    tab = context.new_page()
    axe = axe_source()
    found = {}
    for kind, relative in KINDS.items():
        tab.goto(url(site, relative))
        tab.add_script_tag(content=axe)
        result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        assert result["passes"], f"axe checked nothing on {relative}"
        found[kind] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    context.close()
    assert found == {kind: [] for kind in KINDS}


def _tab_to(tab: Any, selector: str, most: int = 80) -> None:
    """Press Tab until `selector` has the focus, as someone without a mouse would."""
    for _ in range(most):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} shows no focus outline"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_skills_check_works_by_keyboard_alone(site: Path, page: Any) -> None:
    page.goto(url(site, "check.html"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # the first stop skips the menus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _tab_to(page, "#from")
    page.keyboard.press("ArrowDown")  # the first background in the list
    chosen = page.evaluate("document.getElementById('from').value")
    assert chosen
    _tab_to(page, "#skill-pick")
    page.keyboard.press("ArrowDown")
    skill = page.evaluate("document.getElementById('skill-pick').value")
    _tab_to(page, "#skill-add")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelectorAll('#skill-list li').length") == 1
    _tab_to(page, "#check button[type=submit]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert f"from={chosen}" in page.url and f"skill={skill}%3A2" in page.url
    first = page.evaluate("document.querySelector('#results li').dataset.role")
    _tab_to(page, "#results a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/pathways/{chosen}/{first}.html")


def test_every_kind_of_page_fits_a_360_px_phone_without_scrolling_sideways(site: Path, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    widths = {}
    for kind, relative in KINDS.items():
        tab.goto(url(site, relative))
        widths[kind] = tab.evaluate("document.scrollingElement.scrollWidth")
    context.close()
    assert {k: w for k, w in widths.items() if w > 360} == {}


def test_a_pathway_page_prints_on_a4_without_the_site_menus(site: Path, page: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    page.goto(url(site, KINDS["pathway"]))
    out = tmp_path / "pathway.pdf"
    page.pdf(path=str(out), prefer_css_page_size=True)
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Pathway to Quality control (QC) analyst" in text  # the role's title in data/roles.yaml
    assert "Skip to the main content" not in text and "Search the site" not in text
    assert "Check your own skills" not in text  # the links on to the rest of the site are for screens


# ---- the skills check equals the engine ---------------------------------------------------------


def random_profiles(count: int, seed: int = 16) -> list[dict[str, Any]]:
    """Profiles as a person could give them on check.html: a background or not, up to six skills
    with levels, a level or not, a region or not; always a background or a skill."""
    import yaml

    def ids(name: str) -> list[str]:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return sorted(r["id"] for r in yaml.load((DATA / f"{name}.yaml").read_text(), Loader=loader)[name])

    backgrounds, skills, regions = ids("backgrounds"), ids("skills"), ids("regions")
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        chosen = rng.sample(skills, rng.randint(0, 6))
        profile = {
            "from": rng.choice(backgrounds) if rng.random() < 0.7 else None,
            "skills": [(s, rng.randint(1, 3)) for s in chosen],
            "level": rng.choice([None, *range(0, 9)]),
            "region": rng.choice([None, *regions]),
        }
        if profile["from"] or profile["skills"]:
            out.append(profile)
    return out


def engine_answer(profile: dict[str, Any]) -> list[tuple[str, str, bool]]:
    args = ["match", "--json", "--top", "1000"]
    if profile["from"]:
        args += ["--from", profile["from"]]
    for sid, level in profile["skills"]:
        args += ["--skill", f"{sid}={level}"]
    if profile["level"] is not None:
        args += ["--level", str(profile["level"])]
    if profile["region"]:
        args += ["--region", profile["region"]]
    result = run(*args)
    assert result.code == 0, result.err
    return [(m["role"], m["band"], m["direct"]) for m in result.json()["matches"]]


def check_query(profile: dict[str, Any]) -> str:
    pairs: list[tuple[str, str]] = []
    if profile["from"]:
        pairs.append(("from", profile["from"]))
    pairs += [("skill", f"{sid}:{level}") for sid, level in profile["skills"]]
    if profile["level"] is not None:
        pairs.append(("level", str(profile["level"])))
    if profile["region"]:
        pairs.append(("region", profile["region"]))
    return urlencode(pairs)


def page_answer(tab: Any) -> list[tuple[str, str, bool]]:
    found = tab.evaluate(
        "[...document.querySelectorAll('#results [data-role]')]"
        ".map(e => [e.dataset.role, e.dataset.band, e.dataset.direct === 'true'])"
    )
    return [tuple(row) for row in found]


NAVIGATED = 20  # of the profiles, opened as a new page; the rest change the address in place (quicker)


def test_the_skills_check_ranks_as_match_json_does_on_random_profiles(site: Path, page: Any) -> None:
    mismatches = []
    page.goto(url(site, "check.html"))
    for n, profile in enumerate(random_profiles(PROFILES)):
        query = "?" + check_query(profile)
        if n < NAVIGATED:
            page.goto(url(site, "check.html" + query))
        else:  # what the back button does: a new address, read by the page without a reload
            page.evaluate("q => { history.replaceState(null, '', q); cgtpathsCheck.refresh(); }", query)
        expected, shown = engine_answer(profile), page_answer(page)
        assert expected, profile
        if shown != expected:
            first = next(i for i, pair in enumerate(zip(shown, expected, strict=False)) if pair[0] != pair[1])
            mismatches.append((profile, first, shown[first : first + 2], expected[first : first + 2]))
    assert not mismatches, f"{len(mismatches)} of {PROFILES} profiles differ; first: {mismatches[0]}"


def test_the_check_reads_bad_addresses_without_failing(site: Path, page: Any) -> None:
    page.goto(url(site, "check.html?from=nope&skill=gmp:9&skill=%3Cb%3E:2&level=12&region=mars"))
    problems = page.evaluate("document.getElementById('problems').innerText")
    assert "background" in problems and "skill" in problems and "level" in problems and "region" in problems
    assert page.evaluate("document.querySelectorAll('#results li').length") == 0
    assert page.evaluate("document.querySelectorAll('#problems b').length") == 0  # shown as text


def test_the_search_box_finds_pages_from_its_own_index(site: Path, page: Any) -> None:
    page.goto(url(site, "index.html"))
    page.fill("#site-q", "aseptic technique")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search.html?q=aseptic+technique")
    found = page.evaluate("[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))")
    assert found[0] == "skills/aseptic-technique.html"  # the skill's own name (data/skills.yaml) ranks first
    assert all((site / href).is_file() for href in found)
    page.fill("#q", "zzzz")
    page.press("#q", "Enter")
    assert "Nothing found" in page.inner_text("#search-status")
    assert "q=zzzz" in page.url


# ---- private and self-contained --------------------------------------------------------------


def test_no_page_requests_another_site_or_breaks_its_policy(site: Path, page: Any) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    requested: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda event: requested.append(event["request"]["url"]))
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    for relative in KINDS.values():
        page.goto(url(site, relative))
        page.wait_for_load_state("load")
    assert requested, "the DevTools protocol saw no requests at all"
    assert [u for u in requested if not u.startswith(site.as_uri() + "/")] == []
    assert problems == []  # a script or style the policy blocked would be reported here
    assert page.context.cookies() == []
    assert page.evaluate("[document.cookie, localStorage.length, sessionStorage.length]") == ["", 0, 0]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for key in ("href", "src", "action"):
            if named.get(key) is not None:
                self.refs.append((tag, str(named[key])))
        if tag == "script" and "src" not in named:
            self.inline_scripts += 1
        self.handlers += [k for k in named if k.startswith("on") or k == "style"]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_link_is_relative_and_leads_to_a_page_of_the_site(site: Path) -> None:
    broken, absolute = [], []
    for path in html_files(site):
        refs = _Refs()
        refs.feed(path.read_text(encoding="utf-8"))
        assert refs.inline_scripts == 0 and refs.handlers == [], path
        for tag, ref in refs.refs:
            if tag == "a" and ref.startswith(("https://", "http://")):
                continue  # a source the reader may follow; nothing is fetched from it
            if ref.startswith("#"):
                assert f'id="{ref[1:]}"' in path.read_text(encoding="utf-8"), (path, ref)
                continue
            if ref.startswith("/") or re.match(r"^[a-z]+:", ref):
                absolute.append((path.name, ref))
                continue
            target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
            if not target.is_file():
                broken.append((str(path.relative_to(site)), ref))
    assert absolute == [] and broken == []


def test_the_site_has_every_page_and_each_is_under_100_kb(site: Path) -> None:
    import yaml

    def ids(name: str) -> list[str]:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return sorted(r["id"] for r in yaml.load((DATA / f"{name}.yaml").read_text(), Loader=loader)[name])

    names = {str(p.relative_to(site)) for p in html_files(site)}
    for folder in ("roles", "programmes", "backgrounds", "regions", "skills"):
        assert {f"{folder}/{i}.html" for i in ids(folder)} <= names
    assert {f"pathways/{b}/{r}.html" for b in ids("backgrounds") for r in ids("roles")} <= names
    sizes = {name: (site / name).stat().st_size for name in names}
    assert {n: s for n, s in sizes.items() if s > PAGE_LIMIT} == {}


def test_a_background_page_ranks_roles_as_match_does(site: Path) -> None:
    text = (site / "backgrounds" / "oil-and-gas-process-operator.html").read_text(encoding="utf-8")
    shown = re.findall(r'<tr data-role="([^"]+)"', text)
    expected = engine_answer({"from": "oil-and-gas-process-operator", "skills": [], "level": None, "region": None})
    assert shown == [role for role, _, _ in expected]


def test_a_pathway_page_is_the_pathway_command_s_summary(site: Path) -> None:
    result = run("pathway", "--from", "school-leaver-gcse", "--to", "qc-analyst", "--format", "html")
    assert result.code == 0, result.err
    printed = re.search(r"<article.*</article>", result.out, re.S)
    assert printed is not None
    built = (site / KINDS["pathway"]).read_text(encoding="utf-8")
    assert 'data-label="How long"' in built  # each cell names its column, for phones
    built = re.sub(r' data-label="[^"]*"', "", built)
    # the same summary: its heading and every section but the sources (on paper a short list and a
    # link to the site; on the site every source) and the printed date stamp
    header = re.search(r"<header>.*?</header>", printed.group(0), re.S)
    assert header is not None and header.group(0) in built
    sections = re.findall(r"<section.*?</section>", printed.group(0), re.S)
    assert len(sections) >= 3

    def plain(html: str) -> str:
        """Without the spelled-out acronyms, which each page gives on its own first use."""
        return re.sub(r" \([^()]*\)", "", html)

    for section in sections:
        if "ources" not in section:
            assert plain(section) in plain(built), section[:200]


# ---- the build: atomic, careful with folders, escaping ------------------------------------------

NASTY = "<script>alert(1)</script> & \"quoted\" 'single'"


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert run("--data-dir", str(MINI), "site", "build", "-o", str(out)).code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    from cgtpaths.site import pages

    def broken(*args: Any) -> str:
        raise RuntimeError("a page failed half way")

    monkeypatch.setattr(pages, "skill", broken)
    result = run("--data-dir", str(MINI), "site", "build", "-o", str(out))
    assert result.code == 70 and "a page failed half way" in result.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-built folder left beside it


def test_a_folder_it_did_not_build_is_never_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("keep me")
    result = run("--data-dir", str(MINI), "site", "build", "-o", str(mine))
    assert result.code == 1 and "not a site built by cgtpaths" in result.err and "Traceback" not in result.err
    assert [p.name for p in mine.iterdir()] == ["thesis.txt"]
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = run("--data-dir", str(MINI), "site", "build", "-o", str(a_file))
    assert result.code == 2 and "is a file" in result.err and a_file.read_text() == "x"  # a usage error


def test_a_rebuild_replaces_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("--data-dir", str(MINI), "site", "build", "-o", str(out)).code == 0
    (out / "stale.html").write_text("old")
    assert run("--data-dir", str(MINI), "site", "build", "-o", str(out)).code == 0
    assert not (out / "stale.html").exists() and (out / "roles" / "technician.html").is_file()


def test_data_strings_are_escaped_on_every_page(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    quoted = json.dumps(NASTY)
    (overlay / "roles.yaml").write_text(
        "roles:\n  - id: technician\n"
        f"    title: {quoted}\n"
        "    family: manufacturing\n    summary: S\n    entry_level: 3\n    entry_level_confidence: verified\n"
        "    skills: [{skill: gmp, level: 2, essential: true}, {skill: aseptic-technique, level: 2, essential: true}]\n"
        f"    sources: [{{url: 'https://example.org/x?a=1&b=2', title: {quoted}, seen: 2026-11-01}}]\n"
        "    verified: 2026-11-01\n"
    )
    out = tmp_path / "site"
    result = run("--data-dir", str(MINI), "--overlay", str(overlay), "site", "build", "-o", str(out))
    assert result.code == 0, result.err
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;"
    seen = 0
    for path in html_files(out):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        seen += escaped in text
    assert seen >= 5  # the role page, its pathway, the lists, the skill and programme pages naming it
    data = (out / "data" / "check.js").read_text(encoding="utf-8")
    assert json.loads(data.removeprefix("window.CGTPATHS_CHECK = ").removesuffix(";\n"))["roles"][1]["title"] == NASTY
