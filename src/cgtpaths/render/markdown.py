"""A printable document as Markdown (CommonMark with GFM tables), to paste into email or a
word processor.

Every data string goes through `esc()`: each ASCII punctuation character Markdown, GFM or a
common extension gives meaning to is backslash-escaped, wherever it stands, and whitespace
(newlines included) becomes single spaces, so no data can start a heading, list, quote, code
block or table row, close a table cell, emphasise, link, or embed HTML. Web addresses are
autolinks, percent-encoded where they could end the link early.
"""

from __future__ import annotations

import re

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

# CommonMark's escapable punctuation that means something somewhere: inline marks, block starts
# (# + - . = > and numbers before . or )), table pipes, entities (&), GFM strikethrough (~),
# emoji shortcodes (:), maths ($).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|&~=:$])")
_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]")


def esc(text: object) -> str:
    return _SPECIAL.sub(r"\\\1", clean(text))


def url(address: str) -> str:
    """A web address for an autolink (<...>), which shows it as written: anything that could end
    the link, break a table cell or be read as markup is percent-encoded."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), address)


def _inline(content: Inline, *, in_table: bool = False) -> str:
    # no raw HTML, not even <br>: a line break in a table cell becomes a dash
    out = []
    for span in content:
        if span.style == STRONG:
            # '**' must touch the words, or CommonMark does not treat it as emphasis
            text = esc(span.text)
            words = text.strip()
            out.append(text.replace(words, f"**{words}**", 1) if words else text)
        elif span.style == TAG:
            out.append(f" *{esc('(' + span.text + ')')}*")
        elif span.style == URL and span.text.startswith(("https://", "http://")):
            out.append(f"<{url(span.text)}>")
        elif span.style == LINE_BREAK:
            out.append(" — " if in_table else " ")
        else:
            out.append(esc(span.text))
    return "".join(out).strip()


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return _inline(block.content)
    if isinstance(block, Items):
        if block.run_in:
            return "; ".join(_inline(i) for i in block.items)
        return "\n".join(f"{f'{n}.' if block.ordered else '-'} {_inline(i)}" for n, i in enumerate(block.items, 1))
    if isinstance(block, Facts):
        return "\n".join(f"- **{esc(label)}:** {_inline(value)}" for label, value in block.pairs)
    return _table(block)


def _table(table: Table) -> str:
    lines = [
        "| " + " | ".join(esc(c) for c in table.columns) + " |",
        "|" + "|".join("---" for _ in table.columns) + "|",
    ]
    for row in table.rows:
        cells = [_inline(cell, in_table=True) or " " for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _section(section: Section, level: int) -> str:
    parts = [f"{'#' * level} {esc(section.heading)}"]
    parts += [_block(b) for b in section.blocks]
    return "\n\n".join(p for p in parts if p)


def _page(page: Page, level: int) -> str:
    parts = [f"{'#' * level} {esc(page.title)}"]
    parts += [_block(b) for b in page.lead]
    parts += [_section(s, level + 1) for s in page.sections]
    if page.stamp:
        parts.append(f"*{_inline(page.stamp)}*")
    return "\n\n".join(p for p in parts if p)


def render(doc: Document) -> str:
    """The document as Markdown. Several pages: a title, then each page after a rule."""
    if len(doc.pages) == 1:
        return _page(doc.pages[0], 1) + "\n"
    parts = [f"# {esc(doc.title)}"] + [_page(page, 2) for page in doc.pages]
    return "\n\n---\n\n".join(parts) + "\n"
