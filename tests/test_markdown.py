"""Markdown that reads raw (issue 17): escapes only where a character would be markup, and for any
text, rendering the Markdown (markdown-it, CommonMark with GFM tables and strikethrough) gives
back exactly that text: in a heading, a paragraph, a list item, a label and a table cell."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cgtpaths.render.document import STRONG, Document, Facts, Items, Page, Para, Section, Span, Table, clean, inline
from cgtpaths.render.markdown import esc, render

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Markdown's punctuation, digits, letters and spaces, so that every marker is tried in every place
TEXT = st.text(alphabet=st.sampled_from(list("#>*_-+=.)(|[]<>`\\&;~!:$1230aZ é ")), min_size=1, max_size=24)


def read_back(tokens: list[Any]) -> list[str]:
    """The text of each inline token, as a reader sees it: escapes resolved, marks dropped."""
    out = []
    for token in tokens:
        if token.type != "inline":
            continue
        words = []
        for child in token.children or []:
            if child.type in ("text", "text_special", "code_inline"):
                words.append(child.content)
            elif child.type == "softbreak":
                words.append(" ")
        out.append("".join(words))
    return out


def page(text: str) -> Document:
    content = inline(text)
    return Document(
        "t",
        (
            Page(
                text,
                (Para(content),),
                (
                    Section(text, (Items((content,)), Facts(((text, content),)), Para(inline(Span(text, STRONG))))),
                    Section("table", (Table("c", ("a", "b"), ((content, content),)),)),
                ),
            ),
        ),
    )


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_rendered_markdown_reads_back_as_the_text(text: str) -> None:
    expected = clean(text).strip()
    if not expected:
        return
    shown = read_back(PARSER.parse(render(page(text))))
    # the h1, the lead, h2, the list item, the label with its value, the strong line, the table cells
    assert shown[0] == expected, render(page(text))
    assert shown[1] == expected
    assert shown[2] == expected
    assert shown[3] == expected
    assert shown[4] == f"{expected}: {expected}"
    assert shown[5] == expected
    assert shown[-2:] == [expected, expected]


def test_plain_words_are_not_escaped() -> None:
    # what the issue found escaped: brackets, a decimal point, a colon, dashes, a word's underscore
    for text in ("Good Manufacturing Practice (GMP)", "about 1.1 months", "For:", "2026-11-25", "COGSCIM3_03"):
        assert esc(text) == text
    # what would change the meaning still is
    assert esc("*not emphasis*") == r"\*not emphasis\*"
    assert esc("# not a heading") == r"\# not a heading"
    assert esc("1. not a list") == r"1\. not a list"
    assert esc("<b>not html</b>") == r"\<b>not html\</b>"
    assert esc("a | b") == r"a \| b"
