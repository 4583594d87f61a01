"""What a database source in the config may say, and a server that does not answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from roicli.config import Source
from roicli.errors import DataError
from roicli.ingest import load_sources
from roicli.sqlsource import password_in

COLUMNS = {"date": "day", "kpi": "metric", "value": "value"}


@pytest.mark.parametrize(
    ("url", "holds"),
    [
        ("postgresql+psycopg://roicli@db.example.com/crm", False),
        ("postgresql+psycopg://roicli:s3cret@db.example.com/crm", True),
        ("postgresql://roicli:@db.example.com/crm", True),  # an empty one is still written
        ("postgresql://db.example.com/crm?user=roicli&password=s3cret", True),
        ("snowflake://roicli@account/db/schema?warehouse=wh&PWD=x", True),
        ("duckdb:///kpis.duckdb", False),
        ("sqlite:///data/kpis.sqlite", False),
        ("bigquery://project/dataset", False),
    ],
)
def test_a_password_in_the_url_is_found(url: str, holds: bool) -> None:
    assert password_in(url) is holds


def _error(**keys: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Source.model_validate({"columns": COLUMNS, **keys})
    (error,) = caught.value.errors()
    return str(error["ctx"]["error"])


def test_each_kind_of_source_takes_its_own_keys() -> None:
    assert _error(url="sqlite:///a.sqlite", path="a.csv", table="t") == (
        "give one of path: (files), url: or url_env: (a database), not path and url"
    )
    assert _error(url="sqlite:///a.sqlite") == "a database source needs one of table: or query:"
    assert _error(url="sqlite:///a.sqlite", table="t", query="SELECT 1") == (
        "a database source needs one of table: or query:"
    )
    assert _error(url="sqlite:///a.sqlite", table="t", delimiter=";") == (
        "delimiter: is for a file source (path:)"
    )
    assert _error(path="a.csv", table="t") == "table: is for a database source (url: or url_env:)"
    assert _error(path="a.csv", timeout=5) == "timeout: is for a database source (url: or url_env:)"
    assert _error(url="sqlite:///a.sqlite", table="t", overlap="sum") == (
        "overlap: is for a file source (path:)"
    )
    assert _error(url="sqlite:///a.sqlite", query="SELECT 1", schema="s") == (
        "schema: goes with table:; a query: names its own tables"
    )
    assert _error(
        url="sqlite:///a.sqlite",
        table="t",
        layout="dates_in_columns",
        columns={"kpi": "k"},
    ) == ("a database source has layout: long or wide")
    assert Source.model_validate({"url": "sqlite:///a.sqlite", "table": "t", "columns": COLUMNS})


def test_a_server_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    nowhere = f"postgresql+psycopg://roicli@/kpis?host={tmp_path}&port=1"
    source = Source.model_validate({"url": nowhere, "table": "t", "columns": COLUMNS})
    with pytest.raises(DataError) as caught:
        load_sources([source], {})
    text = str(caught.value)
    folder = str(tmp_path).replace("/", "%2F")
    assert text.startswith(f"postgresql+psycopg://roicli@/kpis?host={folder}&port=1: ")
    assert ": sources[0]: cannot connect: connection " in text
    assert "failed: No such file or directory (" in text
    assert text.endswith(
        "(check the URL's user, host and database, and the password in its environment variable)"
    )
