"""The one exception type for expected failures, and the exit codes it maps to.

Imported by every run before anything else of ours: no dataclasses, and no `__future__` import
(its module is otherwise not loaded at all by `--help`)."""

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    BAD_INPUT = 1  # bad data file, unknown id, unreadable file
    USAGE = 2  # wrong or missing flags
    INTERRUPTED = 130


class Problem:
    """One problem in a data file, located as precisely as we can. Immutable and compared by value,
    like the frozen dataclass it was: a plain class because creating that dataclass cost ~1.5 ms of
    every run's start-up."""

    __match_args__ = ("file", "line", "column", "message", "context")
    file: str
    line: int  # 1-based; 0 when the whole file is at fault
    column: int  # 1-based; 0 when unknown
    message: str
    context: str  # the offending source line, shown under the message

    def __init__(self, file: str, line: int, column: int, message: str, context: str = "") -> None:
        set_ = object.__setattr__
        set_(self, "file", file)
        set_(self, "line", line)
        set_(self, "column", column)
        set_(self, "message", message)
        set_(self, "context", context)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}'")

    def _fields(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.message, self.context)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Problem) and other.__class__ is self.__class__:
            return self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Problem(file={self.file!r}, line={self.line!r}, column={self.column!r}, "
            f"message={self.message!r}, context={self.context!r})"
        )

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    def render(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.context:
            gutter = f"{self.line:>5} | "
            context, caret = _window(self.context, max(self.column - 1, 0))
            text += f"\n{gutter}{context}"
            if self.column:
                text += "\n" + " " * (len(gutter) - 2) + "| " + " " * caret + "^"
        return text

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


CONTEXT_WIDTH = 100


def _window(line: str, col0: int) -> tuple[str, int]:
    """At most CONTEXT_WIDTH characters of a source line around the column (a one-line 9 MB file
    must not flood the terminal), and where the caret goes in what is shown."""
    if len(line) <= CONTEXT_WIDTH:
        return line, col0
    start = max(0, min(col0 - CONTEXT_WIDTH // 3, len(line) - CONTEXT_WIDTH))
    shown = line[start : start + CONTEXT_WIDTH]
    head = "..." if start else ""
    tail = "..." if start + CONTEXT_WIDTH < len(line) else ""
    return head + shown + tail, len(head) + col0 - start


class CgtpathsError(Exception):
    """An expected failure: shown to the user as one clear message, never a traceback."""

    exit_code: Exit = Exit.BAD_INPUT

    def __init__(self, message: str, *, hint: str = "", exit_code: Exit | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message + (f"\n{self.hint}" if self.hint else "")


class UsageError(CgtpathsError):
    exit_code = Exit.USAGE


SHOW_AT_MOST = 40


class DataError(CgtpathsError):
    """The data failed to load; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.more = int(getattr(problems, "more", 0))  # found but not kept (load.MAX_PROBLEMS)
        count = len(problems) + self.more
        shown = problems[:SHOW_AT_MOST]
        body = "\n".join(p.render() for p in shown)
        if count > len(shown):
            listed = "" if self.more else " (all of them: `cgtpaths data validate --json`)"
            body += f"\n... and {count - len(shown):,} more{listed}"
        super().__init__(
            f"{body}\n\n{count:,} problem{'s' if count != 1 else ''} in the data; "
            "fix them and run `cgtpaths data validate` again."
        )


SHORT = 60  # characters of a typed value or key quoted in a message
LINE = 1000  # characters of any one line of a message


def shorten(text: object, width: int = SHORT) -> str:
    """A value as a message quotes it: at most `width` characters, then how many more there were
    (a 100 KB --skill value or a 1 MB YAML key must not flood the terminal)."""
    text = str(text)
    if len(text) <= width:
        return text
    return f"{text[:width]}... ({len(text) - width:,} more characters)"


def clip_lines(message: str, width: int = LINE) -> str:
    """Every line of a message at most `width` characters: the last guard before the terminal."""
    if len(message) <= width:
        return message
    return "\n".join(shorten(line, width) for line in message.split("\n"))


def odd_characters(word: str) -> str:
    """Why an id that looks right is not: ' (it contains U+200B, not an ASCII character)' for an id
    holding an invisible or look-alike character; '' for plain ASCII."""
    import unicodedata

    odd = [ch for ch in word if not ch.isascii() or not ch.isprintable()]
    if not odd:
        return ""
    ch = odd[0]
    name = unicodedata.name(ch, "")
    what = f"U+{ord(ch):04X}" + (f" {name}" if name else "")
    visible = "an invisible character" if unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp") else "a character"
    return f" (it contains {visible}, {what}, which is not ASCII: ids are plain ASCII; retype it)"


def closest(word: str, choices: list[str], n: int = 3) -> list[str]:
    """Ids that look like `word`, for a 'did you mean' hint."""
    import difflib

    hits = difflib.get_close_matches(word, choices, n=n, cutoff=0.5)
    if not hits:
        hits = [c for c in choices if word and word in c][:n]
    return hits


def unknown_id(kind: str, word: str, choices: list[str], listing: str = "") -> CgtpathsError:
    """'unknown role id ...' with the closest ids; an id with an invisible or look-alike character
    is told so (a near-identical suggestion would only puzzle). `listing`: where the list is, when
    it is not `cgtpaths {kind}s`."""
    shown = shorten(word)
    odd = odd_characters(word)
    if odd:
        return CgtpathsError(f"unknown {kind} id '{shown}'{odd}")
    hits = closest(word, choices) if len(word) <= 200 else []
    if hits:
        hint = f"Did you mean: {', '.join(hits)}?" + (f" {listing}" if listing else "")
    else:
        hint = listing or f"See `cgtpaths {kind}s` for the list."
    return CgtpathsError(f"unknown {kind} id '{shown}'", hint=hint)
