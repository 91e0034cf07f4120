"""Property-based fuzzing (hypothesis): the loader fed random bytes, YAML-ish text, mutated files
and random values in every field; every command fed random arguments; the free-text matcher
checked against a plain reference implementation.

Whatever comes in, the answer is an exit code of 0, 1 or 2 with at most one message and never a
traceback. The runs are derandomised with a fixed number of examples each, so every run tries the
same inputs and docs/reliability.md can state how many (scripts/reliability_counts.py); each test
checks that it really ran that many.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import DATA, MINI, Result, invoke

from cgtpaths.catalogue import Catalogue
from cgtpaths.load import load
from cgtpaths.profile import TextMatch, _variants, match_text

EXAMPLES = {  # test -> examples per run; the counts docs/reliability.md states
    "test_loader_random_bytes": 100,
    "test_loader_yamlish_text": 150,
    "test_loader_mutated_file": 200,
    "test_loader_random_value_in_a_field": 150,
    "test_profile_file_random_content": 100,
    "test_command_arguments": 30,  # per command
    "test_text_matching_equals_the_reference": 100,
    "test_environment": 100,
}


def fuzz(name: str) -> Callable[[Any], Any]:
    return settings(
        max_examples=EXAMPLES[name],
        derandomize=True,  # the same inputs every run: a failure is reproducible, never flaky
        database=None,
        deadline=None,  # speed is measured in bench/, not here
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def run_strict(*args: str) -> Result:
    """conftest.run(), but stdout and stderr encode like a real UTF-8 terminal's (strict), so output
    that a terminal could not take (a lone surrogate from an argument that was not UTF-8) fails here
    as it would for a user. The bytes written must decode as UTF-8."""
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="strict", write_through=True)
    code = invoke(args, out, err)
    return Result(code, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode("utf-8"))


def calm(result: Result, codes: tuple[int, ...] = (0, 1)) -> None:
    """An exit code we mean, at most one message, never a traceback or an internal error."""
    assert result.code in codes, (result.code, result.err[-3000:])
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err[-3000:]
    if result.code:
        messages = result.err.count("cgtpaths: ") + len(re.findall(r"^Error: ", result.err, flags=re.M))
        assert messages == 1, result.err[-3000:]


def counted(name: str, body: Callable[..., None], *strategies: Any) -> None:
    """Run `body` under hypothesis and check it ran exactly the stated number of examples."""
    ran = 0

    @fuzz(name)
    @given(st.tuples(*strategies))
    def wrapped(args: tuple[Any, ...]) -> None:
        nonlocal ran
        ran += 1
        body(*args)

    wrapped()
    assert ran == EXAMPLES[name], f"{name} ran {ran} examples, not {EXAMPLES[name]}"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def validate(data_dir: Path) -> Result:
    return run_strict("--data-dir", str(data_dir), "data", "validate")


# ---- the loader ---------------------------------------------------------------------------------------

YAML_TOKENS = [
    "roles:", "skills:", "- ", "  ", "    ", "\n", "\r\n", "\t", ": ", "id", "title", "technician", "gmp",
    "{", "}", "[", "]", ", ", "&a ", "*a", "<<: ", "? ", "!!str ", "!!python/object ", "!x ", "|", ">-",
    "'", '"', "#", "---", "...", "%YAML 1.2", "~", "null", "yes", "NO", "010", "1:30", "2026-13-45",
    "1e999", ".nan", "0x1F", "\\e", "\ufeff", "\u2028", "\x85", "é", "😀", "\x1b", "9" * 30,
]  # fmt: skip


def test_loader_random_bytes(mini: Path) -> None:
    def body(raw: bytes) -> None:
        (mini / "roles.yaml").write_bytes(raw)
        result = validate(mini)
        calm(result)
        if result.code:
            assert "roles.yaml" in result.err.splitlines()[0]

    counted("test_loader_random_bytes", body, st.binary(max_size=2000))


def test_loader_yamlish_text(mini: Path) -> None:
    def body(tokens: list[str]) -> None:
        (mini / "skills.yaml").write_text("".join(tokens), encoding="utf-8", errors="surrogatepass")
        calm(validate(mini))

    counted("test_loader_yamlish_text", body, st.lists(st.sampled_from(YAML_TOKENS), max_size=80))


def test_loader_mutated_file(mini: Path) -> None:
    """The fixture's roles.yaml with bytes cut out and YAML-ish tokens spliced in: mostly still YAML,
    so the schema checks and the positions of their messages get fuzzed too."""
    original = (MINI / "roles.yaml").read_bytes()
    edits = st.lists(
        st.tuples(st.integers(0, len(original)), st.integers(0, 12), st.sampled_from(YAML_TOKENS)),
        min_size=1,
        max_size=4,
    )

    def body(changes: list[tuple[int, int, str]]) -> None:
        raw = original
        for at, cut, token in changes:
            at = min(at, len(raw))
            raw = raw[:at] + token.encode("utf-8", "surrogatepass") + raw[at + cut :]
        (mini / "roles.yaml").write_bytes(raw)
        result = validate(mini)
        calm(result)
        located = re.match(r"cgtpaths: error: \S+:(\d+):\d+: ", result.err) if result.code else None
        if located:  # a located problem quotes its line, unless that line is blank
            lines = raw.decode("utf-8-sig", "replace").splitlines()
            line = int(located[1])
            if line <= len(lines) and lines[line - 1].strip():
                assert re.match(r" +\d+ \| ", result.err.splitlines()[1]), result.err[:1000]

    counted("test_loader_mutated_file", body, edits)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORD_FIELDS = (
    [
        ("roles", 1, key)
        for key in ("id", "title", "family", "entry_level", "skills", "gates", "salary", "progression", "sources")
    ]
    + [("programmes", 0, key) for key in ("kind", "duration_months", "regions", "funding", "teaches", "leads_to")]
    + [("skills", 1, key) for key in ("aliases", "related", "category")]
)


def test_loader_random_value_in_a_field(mini: Path) -> None:
    data = {kind: yaml.safe_load((MINI / f"{kind}.yaml").read_text()) for kind in ("roles", "programmes", "skills")}

    def body(where: tuple[str, int, str], value: Any) -> None:
        kind, index, key = where
        changed = json.loads(json.dumps(data[kind], default=str))
        changed[kind][index][key] = value
        text = yaml.safe_dump(changed, allow_unicode=True, sort_keys=False)
        (mini / f"{kind}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            calm(validate(mini))
        finally:
            shutil.copy(MINI / f"{kind}.yaml", mini / f"{kind}.yaml")

    counted("test_loader_random_value_in_a_field", body, st.sampled_from(RECORD_FIELDS), JSONISH)


def test_profile_file_random_content(tmp_path: Path) -> None:
    keys = st.sampled_from(["from", "skills", "level", "region", "age", "colour", ""])
    profiles = st.one_of(
        st.dictionaries(keys, JSONISH, max_size=5),
        st.dictionaries(keys, st.sampled_from(["operator", "gmp", "north", 3, [], {}, {"gmp": 2}]), max_size=5),
        JSONISH,
    )
    path = tmp_path / "me.yaml"

    def body(content: Any) -> None:
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8", errors="surrogatepass")
        calm(run_strict("--data-dir", str(MINI), "match", "--profile", str(path)), (0, 1, 2))

    counted("test_profile_file_random_content", body, profiles)


# ---- every command's arguments -------------------------------------------------------------------------


def commands() -> dict[str, list[Any]]:
    """Every command (e.g. 'data audit') and its parameters, from the CLI itself: a new command or
    option is fuzzed without anyone adding it here."""
    import typer

    from cgtpaths.cli import app

    found: dict[str, list[Any]] = {}

    def walk(group: Any, prefix: str) -> None:
        for name, sub in group.commands.items():
            if hasattr(sub, "commands"):
                walk(sub, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = list(sub.params)

    walk(typer.main.get_command(app), "")
    return found


ODD = [
    "", " ", "-", "--", "technician", "supervisor", "operator", "gmp", "gmp=3", "gmp=0", "gmp=", "=2",
    "aseptic-course", "north", "uk", "TECHNICIAN", "technicián", "\u202etechnician", "tech\u200bnician",
    "\udcff", "\udcc3\udca9", "[bold]x[/]", "\x1b[2J", "ＧＭＰ", "-1", "0", "9" * 40, "1e309", "٣",
]  # fmt: skip
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=12)


def values_for(param: Any, out: Path) -> Any:
    """Values for one parameter, by its type; files written only inside `out`."""
    kind = param.type.name
    if kind in ("integer", "int range", "int"):
        return st.sampled_from(["0", "-1", "3", "8", "9", "9" * 30, "-" + "9" * 30, "x", "", "٣"])
    if kind == "choice":
        choices = [c for c in param.type.choices if c != "pdf"]  # pdf starts a browser: test_print's job
        return st.sampled_from([*choices, "PDF", "", "htm"])
    if kind in ("file", "directory", "path"):
        if param.name in ("output", "write"):
            return st.sampled_from([str(out / "o.html"), str(out / "o.md"), str(out / "o.txt"), str(out / "d")])
        return st.sampled_from(["/dev/null", "/dev/zero", str(out / "missing.yaml"), str(out), "", "-"])
    return st.one_of(st.sampled_from(ODD), TEXT)


def argv_for(command: str, params: list[Any], out: Path) -> Any:
    options = [p for p in params if p.param_type_name == "option"]
    tokens: list[Any] = [st.sampled_from(ODD).map(lambda v: [v]), TEXT.map(lambda v: [v])]
    for p in options:
        name = st.sampled_from(p.opts)
        if getattr(p, "is_flag", False):
            tokens.append(name.map(lambda n: [n]))
        else:
            tokens.append(st.tuples(name, values_for(p, out)).map(list))
            tokens.append(st.tuples(name, values_for(p, out)).map(lambda nv: [f"{nv[0]}={nv[1]}"]))
    body = st.lists(st.one_of(tokens), max_size=6).map(lambda parts: [t for part in parts for t in part])
    before = st.sampled_from([[], [], ["--debug"], ["--json"], ["--data-dir", str(out / "missing")]])
    return st.tuples(before, body).map(lambda ab: [*ab[0], *command.split(), *ab[1]])


@pytest.mark.parametrize("command", sorted(commands()))
def test_command_arguments(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def body(argv: list[str]) -> None:
        result = run_strict("--data-dir", str(MINI), *argv)
        calm(result, (0, 1, 2))

    counted("test_command_arguments", body, argv_for(command, commands()[command], out))


# ---- the free-text matcher -------------------------------------------------------------------------------


def reference_match_text(cat: Catalogue, text: str) -> list[TextMatch]:
    """The straightforward matcher (one scan of the text per phrase) that profile.match_text speeds
    up: the fast one must give exactly the same answer."""
    phrases = sorted(
        ((v, sid) for sid, rec in cat.skills.items() for p in [rec["name"], *rec["aliases"]] for v in _variants(p)),
        key=lambda p: (-len(p[0]), p[0]),
    )
    taken: list[tuple[int, int]] = []
    found: dict[str, TextMatch] = {}
    for phrase, sid in phrases:
        words = [re.escape(w) + "s?" for w in phrase.split()]
        pattern = r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            found.setdefault(sid, TextMatch(sid, phrase, m.group(0)))
    return sorted(found.values(), key=lambda x: x.skill)


def test_text_matching_equals_the_reference() -> None:
    loaded = load(DATA)
    every = loaded.data["skills"]
    some = every[::3]  # a third of the real skills: the reference is slow (a full scan per phrase)
    cat = Catalogue({**loaded.data, "skills": some}, loaded.dataset)
    words = sorted({w for rec in some for p in [rec["name"], *rec["aliases"]] for w in re.split(r"[\s-]+", p)})
    pieces = st.one_of(
        st.sampled_from(words),
        st.sampled_from([rec["name"] for rec in some] + [a for rec in some for a in rec["aliases"]]),
        st.sampled_from([" ", "  ", "-", "\n", "\r\n", "s ", ", ", "/", "(", ")", "_", "'", "İ", "ı", "ſ", "K"]),
        TEXT,
    )
    shout = st.booleans()

    def body(parts: list[str], upper: bool) -> None:
        text = "".join(parts)
        text = text.upper() if upper else text
        assert match_text(cat, text) == reference_match_text(cat, text)

    counted("test_text_matching_equals_the_reference", body, st.lists(pieces, max_size=40), shout)


# ---- the environment -------------------------------------------------------------------------------------

ENV_TEXT = st.sampled_from(
    ["", " ", "0", "00", "-1", "abc", "9" * 5000, "100000", "80", "٣", "²", "1e3", "0x50", "relative", "/dev/null", "é"]
)
ENV = {
    "COLUMNS": ENV_TEXT,
    "LINES": ENV_TEXT,
    "HOME": ENV_TEXT,
    "XDG_CACHE_HOME": ENV_TEXT,
    "TERM": st.sampled_from(["", "dumb", "xterm-256color", "\x1b[2J", "nonsense"]),
    "NO_COLOR": ENV_TEXT,
    "CGTPATHS_DATA_DIR": st.sampled_from(["", "/dev/null", "missing", str(MINI)]),
    "_CGTPATHS_COMPLETE": st.sampled_from(
        ["complete_bash", "complete_zsh", "complete_fish", "complete_powershell", "source_bash", "bash_complete", "x"]
    ),
    "COMP_WORDS": st.sampled_from(["", "cgtpaths", "cgtpaths ro", "cgtpaths roles te", '"unclosed']),
    "COMP_CWORD": ENV_TEXT,
    "_TYPER_COMPLETE_ARGS": st.sampled_from(["", "cgtpaths ro", '"unclosed', "cgtpaths --data-dir"]),
}
ENV_COMMANDS = [
    ["roles"],
    ["match", "--from", "operator"],
    ["roles", "technician", "--json"],
    ["search", "gmp"],
    ["explore"],
]


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No environment, however odd (a width of 0 or of 5,000 digits, a relative HOME, a malformed
    shell-completion request), ends in an internal error: 0, 1 or 2 and at most one message."""
    names = sorted(ENV)

    def body(chosen: dict[str, str], command: list[str]) -> None:
        with monkeypatch.context() as patch:
            for name, value in chosen.items():
                patch.setenv(name, value)
            result = run_strict("--data-dir", str(MINI), *command)
        calm(result, (0, 1, 2))

    environments = st.fixed_dictionaries({}, optional={name: ENV[name] for name in names})
    counted("test_environment", body, environments, st.sampled_from(ENV_COMMANDS))
