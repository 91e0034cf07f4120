"""The smallest typer CLI doing what `cgtpaths match --json` does on the outside: parse two options,
print a line. bench/run.py times it as a reference: what any typer 0.28 app pays before its own work."""

import typer

app = typer.Typer(add_completion=True, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command()
def match(background: str = typer.Option(..., "--from"), json_: bool = typer.Option(False, "--json")) -> None:
    print("{}" if json_ else background)


@app.command()
def other() -> None:
    """A second command, so typer builds a group as cgtpaths does."""


if __name__ == "__main__":
    app()
