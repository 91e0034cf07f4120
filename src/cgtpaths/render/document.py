"""A printable document in no particular format: pages of sections holding paragraphs, lists,
tables and label/value facts.

summary.py builds documents from the engine's results; html.py and markdown.py write them out.
Every string in a document is plain data, never markup: each renderer escapes all of it for its
own format, so a title holding `<script>`, `|` or `*` prints as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cgtpaths.render.plain import safe

# Text styles a renderer must support. Only these words ever become markup; the text never does.
STRONG = "strong"
TAG = "tag"  # a confidence word such as 'inferred', printed as '(inferred)' in italics
URL = "url"  # a web address, shown in full because paper cannot be clicked
LINE_BREAK = "break"  # a new line inside a table cell (text is empty)


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""


BREAK = Span("", LINE_BREAK)


Inline = tuple[Span, ...]


def inline(*parts: str | Span | Inline | None) -> Inline:
    """Join plain strings, spans and other inlines; None parts are skipped."""
    out: list[Span] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            if part:
                out.append(Span(part))
        elif isinstance(part, Span):
            out.append(part)
        else:
            out.extend(part)
    return tuple(out)


def plain_text(content: Inline) -> str:
    """The words of an inline as a reader sees them (tags in brackets)."""
    return "".join(f"({s.text})" if s.style == TAG else s.text for s in content)


@dataclass(frozen=True)
class Para:
    content: Inline
    style: str = ""  # "" | "lead" (larger, under the title) | "small"


@dataclass(frozen=True)
class Items:
    items: tuple[Inline, ...]
    ordered: bool = False
    run_in: bool = False  # printed as one run of text separated by semicolons, to save paper


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]
    row_headers: bool = False  # the first cell of each row names the row


@dataclass(frozen=True)
class Facts:
    """Label/value pairs, e.g. Typical entry: RQF 3."""

    pairs: tuple[tuple[str, Inline], ...]


Block = Para | Items | Table | Facts


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]
    style: str = ""  # "" | "small" (sources: smaller type)


@dataclass(frozen=True)
class Link:
    """Where the reader finds the rest online: printed as a short address and a QR code."""

    url: str
    shown: str


@dataclass(frozen=True)
class Page:
    """One summary; printed starting on a new sheet."""

    title: str
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]
    stamp: Inline = ()
    link: Link | None = None
    appendix: bool = False  # a reference list (all the sources): flows over as many pages as it needs


@dataclass(frozen=True)
class Document:
    title: str
    pages: tuple[Page, ...]


# Bidirectional overrides and isolates can make printed text read differently from the data;
# they are shown as escapes like the C0/C1 controls `safe()` already handles.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def clean(text: object) -> str:
    """Data text made safe to print: controls visible, whitespace (newlines too) as single spaces."""
    shown = _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", safe(text))
    return _SPACE.sub(" ", shown)
