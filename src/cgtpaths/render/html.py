"""A printable document as one self-contained HTML file.

Inline CSS only: no scripts, no fonts, images or styles from the network (a Content-Security-
Policy forbids them even if one slipped in), so the file opens and prints offline. The print CSS
sets A4 pages, starts each summary on a new sheet and keeps table rows whole; everything is
black on white and nothing is said by colour alone, so it photocopies well. Accessible: lang
en-GB, one h1, headings in order, real lists, tables with captions and scoped header cells,
sizes in rem so 200% zoom reflows rather than cuts off. `large=True` gives a large-print copy
(16 pt and up on paper, 150% on screen). Every data string goes through `esc()`.
"""

from __future__ import annotations

import html

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

CARD_COLUMNS = 4  # in large print, wider tables become stacked cards: 16 pt text needs the width
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"

CSS = """
*{box-sizing:border-box}
html{font-family:Arial,"Liberation Sans","Helvetica Neue",Helvetica,"DejaVu Sans",sans-serif;
 font-size:100%;line-height:1.3;color:#000;background:#fff}
body{margin:0 auto;max-width:60rem;padding:1rem}
h1,h2,h3{line-height:1.2;margin:0;break-after:avoid;page-break-after:avoid}
.title{font-size:1.55rem;margin:0 0 .3rem}
.heading{font-size:1.12rem;margin:.5rem 0 .15rem;padding-bottom:.05rem;border-bottom:1.5pt solid #000}
.doc-title{font-size:1.8rem;margin:0 0 1rem}
p{margin:.15rem 0}
.lead{font-size:1.1rem}
.small,.stamp{font-size:.8rem;line-height:1.25}
ul,ol{margin:.15rem 0;padding-left:1.3rem}
ol{padding-left:2.1em}
li{margin:.05rem 0}
ul.run-in{padding:0;list-style:none}
ul.run-in li{display:inline}
ul.run-in li:not(:last-child)::after{content:"; "}
table{border-collapse:collapse;width:100%;margin:.25rem 0;font-size:.93rem}
th,td{border:.75pt solid #000;padding:.1rem .3rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th{border-bottom:1.5pt solid #000;background:#eee}
tbody th{font-weight:bold}
tr{break-inside:avoid;page-break-inside:avoid}
dl{margin:.2rem 0}
dl div{margin:.05rem 0}
dt{display:inline;font-weight:bold}
dt::after{content:": "}
dd{display:inline;margin:0}
.tag{font-style:italic}
a{color:#000}
.url{overflow-wrap:anywhere;word-break:break-all}
.stamp{margin-top:.4rem;padding-top:.2rem;border-top:.75pt solid #000}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;
 clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
html.large{font-size:150%}
html.large .small,html.large .stamp,html.large table{font-size:1rem}
ul.cards{list-style:none;padding:0;margin:.3rem 0}
ul.cards>li{border:.75pt solid #000;padding:.2rem .4rem;margin:0 0 .3rem;break-inside:avoid;page-break-inside:avoid}
ul.cards dl{margin:0}
ul.cards dl div{margin:.1rem 0}
@page{size:A4;margin:10mm 12mm;
 @bottom-right{content:"Page " counter(page) " of " counter(pages);font:7pt Arial,"Liberation Sans",sans-serif}}
@media print{
 html{font-size:8.6pt}
 html.large{font-size:16pt}
 body{max-width:none;padding:0}
 .page+.page{break-before:page;page-break-before:always}
 .screen-only{display:none}
 a{text-decoration:none}
 thead th{background:none}
 section.small ol{columns:2;column-gap:5mm;padding-left:0}
 section.small ol li{margin-left:2.1em}
 html.large section.small ol{columns:1}
 section.small li{break-inside:avoid}
}
"""


LARGE_PAGE = """
@page{@bottom-right{content:"Page " counter(page) " of " counter(pages);font:12pt Arial,"Liberation Sans",sans-serif}}
"""


def esc(text: object) -> str:
    """Data text for HTML: controls made visible, then every special character escaped."""
    return html.escape(clean(text), quote=True)


def _inline(content: Inline) -> str:
    out = []
    for span in content:
        if span.style == STRONG:
            out.append(f"<strong>{esc(span.text)}</strong>")
        elif span.style == TAG:
            out.append(f' <em class="tag">({esc(span.text)})</em>')
        elif span.style == URL and span.text.startswith(("https://", "http://")):
            # on paper 'https://' is noise a browser adds back; plain http stays visible
            shown = span.text.removeprefix("https://")
            out.append(f'<a class="url" href="{esc(span.text)}">{esc(shown)}</a>')
        elif span.style == LINE_BREAK:
            out.append("<br>")
        else:
            out.append(esc(span.text))
    return "".join(out)


def _block(block: Block, large: bool = False) -> str:
    if isinstance(block, Para):
        cls = f' class="{block.style}"' if block.style else ""
        return f"<p{cls}>{_inline(block.content)}</p>"
    if isinstance(block, Items):
        tag = "ol" if block.ordered else "ul"
        cls = ' class="run-in"' if block.run_in else ""
        items = "".join(f"<li>{_inline(item)}</li>" for item in block.items)
        return f"<{tag}{cls}>{items}</{tag}>"
    if isinstance(block, Facts):
        rows = "".join(f"<div><dt>{esc(label)}</dt><dd>{_inline(value)}</dd></div>" for label, value in block.pairs)
        return f"<dl>{rows}</dl>"
    if large and len(block.columns) > CARD_COLUMNS:
        return _cards(block)
    return _table(block)


def _cards(table: Table) -> str:
    """A wide table in large print: each row a list item of label/value pairs, read top to bottom."""
    rows = []
    for row in table.rows:
        pairs = "".join(
            f"<div><dt>{esc(label)}</dt><dd>{_inline(cell)}</dd></div>"
            for label, cell in zip(table.columns, row, strict=True)
            if cell
        )
        rows.append(f"<li><dl>{pairs}</dl></li>")
    return f'<ul class="cards" aria-label="{esc(table.caption)}">{"".join(rows)}</ul>'


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0 and table.row_headers:
                cells.append(f'<th scope="row">{_inline(cell)}</th>')
            else:
                cells.append(f"<td>{_inline(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table><caption class="visually-hidden">{esc(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _section(section: Section, level: int, anchor: str, large: bool) -> str:
    cls = f' class="{section.style}"' if section.style else ""
    blocks = "\n".join(_block(b, large) for b in section.blocks)
    return (
        f'<section{cls} aria-labelledby="{anchor}">\n'
        f'<h{level} class="heading" id="{anchor}">{esc(section.heading)}</h{level}>\n{blocks}\n</section>'
    )


def _page(page: Page, number: int, level: int, large: bool) -> str:
    anchor = f"p{number}"
    parts = [
        f'<article class="page" aria-labelledby="{anchor}">',
        f'<header><h{level} class="title" id="{anchor}">{esc(page.title)}</h{level}>',
        *(_block(b, large) for b in page.lead),
        "</header>",
        *(_section(s, level + 1, f"{anchor}s{i}", large) for i, s in enumerate(page.sections, 1)),
    ]
    if page.stamp:
        parts.append(f'<footer class="stamp"><p>{_inline(page.stamp)}</p></footer>')
    parts.append("</article>")
    return "\n".join(parts)


DUPLEX = "@media print{.page+.page{break-before:right;page-break-before:right}}"


def render(doc: Document, *, large: bool = False, duplex: bool = False) -> str:
    """The whole document as one HTML file. Several pages: an h1 for the set, h2 for each page."""
    several = len(doc.pages) > 1
    level = 2 if several else 1
    body = [f'<h1 class="doc-title screen-only">{esc(doc.title)}</h1>'] if several else []
    body += [_page(page, n, level, large) for n, page in enumerate(doc.pages, 1)]
    html_class = ' class="large"' if large else ""
    css = CSS + LARGE_PAGE if large else CSS
    if duplex:
        css += DUPLEX
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"{html_class}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(doc.title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
