"""The yardstick for ``roicli --help``: a bare Typer app with one command and one option."""

import typer

app = typer.Typer()


@app.command()
def main(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"Hello {name}")


if __name__ == "__main__":
    app()
