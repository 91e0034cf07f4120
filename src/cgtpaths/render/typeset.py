"""A printable document as PDF, typeset by Typst (the `typst` wheel) with the font shipped in
the package: no browser, no system fonts, the same layout on every machine.

Why Typst (measured, see pyproject.toml and docs/performance.md): it is one self-contained
wheel from PyPI, typesets a 30-page handout in about a second, and can measure its own layout,
which is how each summary is made to fit: every page is set at the largest type size, from a
fixed ladder, at which its content fits one A4 page (`--large`: two pages, from 16 pt down).

Every data string is written as a Typst string literal (only `\\` and `"` escaped), never as
markup, so no data can start a heading, call a function or read a file. The QR code (segno,
pure Python) is an SVG passed in the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from cgtpaths.errors import CgtpathsError
from cgtpaths.fileio import atomic_path
from cgtpaths.render.document import (
    LINE_BREAK,
    STRONG,
    TAG,
    URL,
    Block,
    Document,
    Facts,
    Inline,
    Items,
    Page,
    Para,
    Section,
    Table,
    clean,
)

FONT = "Liberation Sans"
# The body's type size, in points: the largest in this range at which the page fits.
SIZES = (6.0, 10.0)
LARGE_SIZES = (10.5, 18.0)
LARGE_PAGES = 2
APPENDIX_SIZE = {False: 8.5, True: 14.0}
START = {False: 8.0, True: 13.0}  # about the median fitted size over every background and role (measured)
QR_MM = 22
PAGE_MM = (210, 297)  # A4
MARGIN_MM = (12, 12)  # the page footer sits in the bottom margin


@dataclass(frozen=True)
class Options:
    large: bool = False
    duplex: bool = False  # each summary starts on an odd page, so on the front of a sheet


def string(text: object) -> str:
    """A Typst string literal holding the text exactly (controls already made visible by clean)."""
    body = clean(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{body}"'


def _inline(content: Inline) -> str:
    """Content in markup mode built only from `#"..."` pieces and a few known functions."""
    out = []
    for span in content:
        if span.style == STRONG:
            out.append(f"#strong({string(span.text)})")
        elif span.style == TAG:
            out.append(f'#" "#emph({string("(" + span.text + ")")})')
        elif span.style == URL and span.text.startswith(("https://", "http://")):
            shown = span.text.removeprefix("https://")
            out.append(f"#link({string(span.text)}, {string(shown)})")
        elif span.style == LINE_BREAK:
            out.append("#linebreak()")
        elif span.text:
            out.append(f"#{string(span.text)}")
    return "[" + "".join(out) + "]"


def _block(block: Block, large: bool) -> str:
    if isinstance(block, Para):
        body = _inline(block.content)
        return f"small({body})" if block.style == "small" else f"par({body})"
    if isinstance(block, Items):
        if block.run_in:
            joined = ', "; ", '.join(_inline(i) for i in block.items)
            return f"par([#({joined},).join()])"
        kind = "enum" if block.ordered else "list"
        return f"{kind}({', '.join(_inline(i) for i in block.items)})"
    if isinstance(block, Facts):
        rows = ", ".join(f"[#strong({string(label + ': ')})#{_inline(value)}]" for label, value in block.pairs)
        return f"stack(spacing: 0.35em, {rows})"
    if large and len(block.columns) > 4:  # as html.CARD_COLUMNS: 14 pt text needs the width
        return _cards(block)
    return _table(block)


def _widths(table: Table) -> str:
    """Column widths in proportion to each column's longest word run (headers included), within
    bounds, so a short column (a level, a step number) takes little room and prose wraps."""
    from cgtpaths.render.document import plain_text

    widths = []
    for i, name in enumerate(table.columns):
        longest = max([len(name) + 1, *(len(plain_text(row[i])) for row in table.rows if i < len(row))])
        widths.append(min(max(longest, 4), 36))
    return "(" + ", ".join(f"{w}fr" for w in widths) + ",)"


def _table(table: Table) -> str:
    widths = _widths(table)
    head = ", ".join(f"strong({string(c)})" for c in table.columns)
    cells = []
    for row in table.rows:
        for i, cell in enumerate(row):
            cells.append(f"strong({_inline(cell)})" if i == 0 and table.row_headers else _inline(cell))
    return f"table(columns: {widths}, table.header({head}), {', '.join(cells)})"


def _cards(table: Table) -> str:
    """A wide table in large print: each row one boxed paragraph of label: value parts, read in order."""
    cards = []
    for row in table.rows:
        parts = [
            f"[#strong({string(label + ': ')})#{_inline(cell)}]"
            for label, cell in zip(table.columns, row, strict=True)
            if cell
        ]
        cards.append(f"card(({', '.join(parts)},))")
    return "{" + "; ".join(cards) + "}"


def _section(section: Section, large: bool) -> str:
    blocks = [_block(b, large) for b in section.blocks]
    body = "{" + "; ".join(blocks) + "}"
    if section.style == "small":
        body = f"small({body})"
    return f"{{heading(level: 2, {string(section.heading)}); {body}}}"


def _page(page: Page, large: bool) -> str:
    parts = [f"heading(level: 1, {string(page.title)})"]
    parts += [_block(b, large) for b in page.lead]
    parts += [_section(s, large) for s in page.sections]
    if page.link:
        parts.append(f"more({string(page.link.url)}, {string(page.link.shown)}, {string(_qr(page.link.url))})")
    if page.stamp:
        parts.append(f"stamp({_inline(page.stamp)})")
    return "{" + "; ".join(parts) + "}"


def _qr(url: str) -> str:
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", border=0, xmldecl=False, svgns=True, dark="#000")
    return out.getvalue().decode("ascii")


PREAMBLE = """
#set document(title: TITLE)
#set page(paper: "a4", margin: (x: MARGINXmm, y: MARGINYmm))
#set text(font: "FONT", lang: "en", region: "GB", hyphenate: false, fallback: false)
#set par(justify: false, leading: 0.45em, spacing: 0.55em)
#set list(spacing: 0.4em, indent: 0.2em)
#set enum(spacing: 0.4em, indent: 0.2em)
#set table(inset: (x: 0.35em, y: 0.3em), stroke: 0.5pt)
#show heading.where(level: 1): set text(size: 1.6em)
#show heading.where(level: 2): it => block(above: 0.9em, below: 0.4em, width: 100%,
  stroke: (bottom: 1pt), inset: (bottom: 0.2em), text(size: 1.15em, it.body))
#show link: set text(fill: black)
#let small(body) = text(size: 0.88em, body)
#let card(parts) = block(stroke: (left: 1.5pt), inset: (left: 0.5em, y: 0.15em), width: 100%, breakable: false,
  parts.join(h(0.6em)))
#let more(url, shown, svg) = block(above: 0.8em, grid(columns: (auto, 1fr), column-gutter: 0.8em, align: horizon,
  image(bytes(svg), format: "svg", width: QRmm),
  [#strong("The full list of sources, and more on this role: ")#link(url, shown)]))
#let stamp(body) = block(above: 0.8em, stroke: (top: 0.5pt), inset: (top: 0.3em), width: 100%,
  text(size: 0.85em, body))
#let fitted(low, high, start, height, body) = {
  let tall(s) = measure(block(width: WIDTH, {set text(size: s * 1pt); body})).height
  // text height grows about as the square of the type size: aim just under the page, check,
  // and stop when the next aim is within a quarter point (each check is a full layout)
  let best = low
  let size = start
  let tries = 0
  while tries < 3 {
    let got = tall(size)
    tries += 1
    let fits = got <= height
    if fits and size > best { best = size }
    let aim = calc.min(high, calc.max(low, calc.floor(size * calc.sqrt(height / got) * 0.985 * 20) / 20))
    if fits and (aim - size < 0.25 or size >= high) { break }
    if not fits and size <= low { break }
    if not fits and aim <= best { break }
    size = aim
  }
  best
}
"""


def render(doc: Document, options: Options = Options()) -> str:
    """The Typst source of the whole document: each page fitted, each on a new sheet."""
    sizes = LARGE_SIZES if options.large else SIZES
    pages_allowed = LARGE_PAGES if options.large else 1
    # two pages of flowing text lose a little to the break between them
    share = 0.88 if options.large else 1.0
    preamble = (
        PREAMBLE.replace("TITLE", string(doc.title))
        .replace("FONT", FONT)
        .replace("MARGINX", str(MARGIN_MM[0]))
        .replace("MARGINY", str(MARGIN_MM[1]))
        .replace("QRmm", f"{QR_MM}mm")
        .replace("WIDTH", f"{PAGE_MM[0] - 2 * MARGIN_MM[0]}mm")
    )
    height = (PAGE_MM[1] - 2 * MARGIN_MM[1]) * pages_allowed * share
    out = [preamble]
    # Pages alike in all but their title (a class going the same way) share one fitting, measured
    # with the longest of their titles: each fitting is several full layouts.
    groups: dict[Page, int] = {}
    longest: dict[int, Page] = {}
    group_of = []
    for page in doc.pages:
        key = replace(page, title="")
        g = groups.setdefault(key, len(groups))
        group_of.append(g)
        if g not in longest or len(page.title) > len(longest[g].title):
            longest[g] = page
    fit = ", ".join(
        f"{sizes[0]}"
        if page.appendix
        else f"fitted({sizes[0]}, {sizes[1]}, {START[options.large]}, {height:.1f}mm, {_page(page, options.large)})"
        for g, page in sorted(longest.items())
    )
    # the sizes are measured in one context (measuring needs one), then every page flows from it
    out.append(f"#context {{\nlet sizes = ({fit},)")
    breaker = 'pagebreak(to: "odd")' if options.duplex else "pagebreak()"
    for n, page in enumerate(doc.pages):
        if n:
            out.append(breaker)
        size = f"{APPENDIX_SIZE[options.large]}pt" if page.appendix else f"sizes.at({group_of[n]}) * 1pt"
        out.append(f"{{set text(size: {size}); {_page(page, options.large)}}}")
    out.append("}")
    return "\n".join(out) + "\n"


def fonts_dir() -> Path:
    return Path(str(resources.files("cgtpaths") / "fonts"))


def pdf_bytes(doc: Document, options: Options = Options()) -> bytes:
    import typst

    source = render(doc, options)
    try:
        # the stub ties the source's type to the font paths' (bytes source, str paths is what works)
        compile_: Any = typst.compile
        data: bytes = compile_(source.encode("utf-8"), font_paths=[str(fonts_dir())], ignore_system_fonts=True)
    except typst.TypstError as exc:  # our own source failed to typeset: a bug, not bad input
        raise RuntimeError(f"Typst could not typeset the summary: {exc}") from exc
    return data


def typeset_pdf(doc: Document, path: Path, options: Options = Options()) -> None:
    """Typeset `doc` into the PDF file `path`, replacing it only when the new one is complete."""
    data = pdf_bytes(doc, options)
    if not data.startswith(b"%PDF-"):
        raise CgtpathsError("the PDF could not be made")
    with atomic_path(path) as tmp, tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
