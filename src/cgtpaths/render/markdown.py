r"""A printable document as Markdown (CommonMark with GFM tables), to paste into email or a
word processor.

Every data string goes through `esc()`, which escapes only what would change the meaning, so the
file reads as plain text too ("Good Manufacturing Practice (GMP)", "1.1 months", "**For:**"):
the marks that emphasise, quote code, link, strike through or split a table cell; `_` unless it
sits inside a word (where CommonMark never reads it as emphasis); `<` before what could be HTML
or an autolink; `&` before what could be an entity; `\` before punctuation; and at the start of
a block, whatever would begin a heading, quote, list or rule. Whitespace (newlines included)
becomes single spaces. Web addresses are autolinks, percent-encoded where they could end the
link early. tests/test_markdown.py checks, for any text, that the rendered Markdown reads back
as the text.
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

_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]")
_ALWAYS = frozenset("`*[]|~")  # emphasis, code, links, table cells, strikethrough (GFM)
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
# at the start of a block: ATX headings, quotes, bullets, setext underlines and rules, ordered lists
_BLOCK_START = re.compile(r"^(?:[#>+=-]|[0-9]{1,9}(?=[.)]))")


def esc(text: object, *, block_start: bool = True) -> str:
    """Data text for Markdown, escaped only where a character would otherwise be markup."""
    shown = clean(text).strip()
    out = []
    last = len(shown) - 1
    for i, ch in enumerate(shown):
        before = shown[i - 1] if i else " "
        after = shown[i + 1] if i < last else " "
        if (
            ch in _ALWAYS
            or (ch == "\\" and (after in _PUNCTUATION or i == last))
            or (ch == "_" and not (before.isalnum() and after.isalnum()))
            or (ch == "<" and (after.isalpha() or after in "/!?"))
            or (ch == "&" and _ENTITY.match(shown, i))
            or (ch == "#" and i == last)  # a closing '#' would be dropped from a heading
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if block_start:
        found = _BLOCK_START.match(escaped)
        if found:
            # '1.' starts a list: escape the dot, not the number; anything else, the mark itself
            end = found.end() if found.group().isdigit() else 0
            escaped = escaped[:end] + "\\" + escaped[end:]
    return escaped


def url(address: str) -> str:
    """A web address for an autolink (<...>), which shows it as written: anything that could end
    the link, break a table cell or be read as markup is percent-encoded."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), address)


def _inline(content: Inline, *, in_table: bool = False) -> str:
    # no raw HTML, not even <br>: a line break in a table cell becomes a dash
    out = []
    for n, span in enumerate(content):
        first = n == 0 and not in_table
        if span.style == STRONG:
            # '**' must touch the words, or CommonMark does not treat it as emphasis
            raw = clean(span.text)
            words = esc(raw, block_start=False)
            if words:
                out.append((" " if raw[:1] == " " else "") + f"**{words}**" + (" " if raw[-1:] == " " else ""))
            else:
                out.append(raw)
        elif span.style == TAG:
            out.append(f" *{esc('(' + span.text + ')', block_start=False)}*")
        elif span.style == URL and span.text.startswith(("https://", "http://")):
            out.append(f"<{url(span.text)}>")
        elif span.style == LINE_BREAK:
            out.append(" — " if in_table else " ")
        else:
            # spaces around a span are kept: esc() strips the text it escapes
            raw = clean(span.text)
            lead = " " if raw[:1] == " " and not first else ""
            tail = " " if raw[-1:] == " " else ""
            out.append(lead + esc(raw, block_start=first) + tail)
    return "".join(out).strip()


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return _inline(block.content)
    if isinstance(block, Items):
        if block.run_in:
            return "; ".join(_inline(i) for i in block.items)
        return "\n".join(f"{f'{n}.' if block.ordered else '-'} {_inline(i)}" for n, i in enumerate(block.items, 1))
    if isinstance(block, Facts):
        return "\n".join(f"- **{esc(label, block_start=False)}:** {_inline(value)}" for label, value in block.pairs)
    return _table(block)


def _table(table: Table) -> str:
    lines = [
        "| " + " | ".join(esc(c, block_start=False) for c in table.columns) + " |",
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
