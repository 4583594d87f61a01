"""What a database source in the config may say: checked without importing SQLAlchemy.

A source is files (``path:``) or a database (``url:`` or ``url_env:``, then ``table:`` or
``query:``). The URL in the config never holds a password: it comes from an environment
variable (``url_env:``) or from the driver's own configuration (``~/.pgpass``, a service file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from roicli.enums import Layout

if TYPE_CHECKING:
    from roicli.config import Source

# Keys that describe how a file is read: meaningless for a database, where columns are typed.
FILE_KEYS = (
    "sheet",
    "delimiter",
    "decimal",
    "thousands",
    "encoding",
    "dayfirst",
    "skip_rows",
    "year",
)
SQL_KEYS = ("table", "schema_", "query")
_PASSWORD_FIX = (
    "put the whole URL in an environment variable and name it with url_env:, "
    "e.g. url_env: ROICLI_CRM_URL, or leave the password to the driver's own file (~/.pgpass)"
)


def password_in(url: str) -> bool:
    """Whether an URL carries a password (``user:secret@host`` or ``?password=``)."""
    try:
        parts = urlsplit(url)
        has = parts.password is not None
    except ValueError:
        return ":" in url.partition("://")[2].partition("@")[0] and "@" in url
    query = {key.lower() for key in parse_qs(parts.query, keep_blank_values=True)}
    return has or bool(query & {"password", "pwd", "passwd"})


def refuse_password(url: str | None) -> str | None:
    """The config's url:, refused when it holds a password."""
    if url is not None and password_in(url):
        raise ValueError(f"a password does not belong in the config ({_PASSWORD_FIX})")
    return url


def check_source(source: Source) -> None:
    """A source is one kind: files, or a database table or query with a long or wide layout."""
    given = [name for name in ("path", "url", "url_env") if getattr(source, name) is not None]
    if len(given) != 1:
        raise ValueError(
            "give one of path: (files), url: or url_env: (a database)"
            + (f", not {' and '.join(given)}" if given else "")
        )
    given_keys = source.model_fields_set  # keys with defaults count when written
    if source.path is not None:
        extra = [name.rstrip("_") for name in SQL_KEYS if getattr(source, name) is not None]
        extra += ["timeout"] * ("timeout" in given_keys)
        if extra:
            raise ValueError(f"{extra[0]}: is for a database source (url: or url_env:)")
        return
    extra = [name for name in FILE_KEYS if getattr(source, name) is not None]
    extra += ["overlap"] * ("overlap" in given_keys)
    if extra:
        raise ValueError(f"{extra[0]}: is for a file source (path:)")
    if (source.table is None) == (source.query is None):
        raise ValueError("a database source needs one of table: or query:")
    if source.query is not None and source.schema_ is not None:
        raise ValueError("schema: goes with table:; a query: names its own tables")
    if source.layout not in (Layout.LONG, Layout.WIDE):
        raise ValueError("a database source has layout: long or wide")
