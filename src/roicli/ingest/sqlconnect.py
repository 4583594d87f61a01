"""A database connection that can only read, gives up after the source's ``timeout:``, and
whose every failure is one line naming the source and the fix, never the password.

Read-only: PostgreSQL's ``SET TRANSACTION READ ONLY``; SQLite opened with ``mode=ro`` and
``PRAGMA query_only``; DuckDB files opened ``read_only``. Elsewhere the database's own grants
decide (give roicli a role that can only read). The timeout: PostgreSQL's ``statement_timeout``
for the transaction; elsewhere roicli interrupts (SQLite, DuckDB) or cancels (a driver with
``cancel()``) a query still running when the time is up.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roicli.errors import DataError, Location

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL, Connection

    from roicli.config import Source

INSTALL_FIX = (
    "install roicli[postgres] for PostgreSQL, roicli[duckdb] for DuckDB, or roicli[sql] and "
    "your database's SQLAlchemy dialect"
)
_FILE_DIALECTS = frozenset({"sqlite", "duckdb"})
_IN_MEMORY = frozenset({"", ":memory:"})
# SQLSTATE codes (PostgreSQL's, shared by other engines) that say what went wrong.
_TIMEOUT, _READ_ONLY = "57014", "25006"
_NO_TABLE, _NO_COLUMN = "42P01", "42703"
_LOGIN = frozenset({"28P01", "28000", "3D000"})


@dataclass(frozen=True)
class Blame:
    """How a source is named in its errors: its URL without the password, its place in the
    config, and the secrets no message may echo."""

    label: str  # the URL as shown: no password
    where: str  # "sources[0]"
    timeout: float
    secrets: tuple[str, ...] = ()

    def error(self, message: str, *, fix: str, key: str | None = None) -> DataError:
        field_ = f"{self.where}.{key}" if key else self.where
        return DataError(message, location=Location(self.label), field=field_, fix=fix)

    def scrub(self, text: str) -> str:
        """A driver's message without the password or the URL that holds it."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def failure(self, exc: BaseException, *, timed_out: bool = False) -> DataError:
        """The one line for a failed statement: what the database said, and the fix."""
        state = _sqlstate(exc)
        said = self.scrub(_first_line(exc))
        lowered = said.lower()
        if timed_out or state == _TIMEOUT:
            return self.error(
                f"the query ran longer than timeout: {self.timeout:g} s and was stopped",
                fix="raise the source's timeout:, or give the database an index or a "
                "narrower table",
            )
        if state == _READ_ONLY or "read-only" in lowered or "readonly" in lowered:
            return self.error(
                f"the query tried to write, which roicli refuses ({said})",
                fix="give roicli a query that only reads",
            )
        if state in _LOGIN:
            return self.error(f"cannot log in: {said}", fix=_CONNECT_FIX)
        if state == _NO_TABLE or "no such table" in lowered or "catalog error: table" in lowered:
            return self.error(said, fix=_TABLE_FIX)
        if state == _NO_COLUMN or "no such column" in lowered:
            return self.error(said, fix=_COLUMN_FIX)
        return self.error(
            f"the database refused the query: {said}",
            fix="check the source's table:, query: and columns:",
        )

    def unreachable(self, exc: BaseException) -> DataError:
        """The line for a connection that failed."""
        said = self.scrub(_first_line(exc))
        if _sqlstate(exc) in _LOGIN or "password" in said.lower():
            return self.error(f"cannot log in: {said}", fix=_CONNECT_FIX)
        return self.error(f"cannot connect: {said}", fix=_CONNECT_FIX)


@dataclass
class Session:
    """An open read-only transaction on a source's database, and what was sent to it."""

    connection: Connection
    blame: Blame
    sent: list[str] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    def run(self, statement: sa.Executable, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row of a statement, the statement recorded as sent (values written in)."""
        self.sent.append(shown_sql(statement, self.connection, params))
        with self._deadline() as fired:
            try:
                result = self.connection.execute(statement, dict(params or {}))
                return list(result.all()) if result.returns_rows else []
            except Exception as exc:
                raise self.blame.failure(exc, timed_out=fired.is_set()) from None

    def columns(self, statement: sa.Executable) -> list[str]:
        """The names of the columns a statement gives (its rows are not read)."""
        self.sent.append(shown_sql(statement, self.connection, None))
        try:
            result = self.connection.execute(statement)
            names = list(map(str, result.keys()))
            result.close()
        except Exception as exc:
            raise self.blame.failure(exc) from None
        return names

    @contextmanager
    def _deadline(self) -> Iterator[threading.Event]:
        """Interrupt the running statement when the timeout passes (where the server has no
        statement timeout of its own)."""
        fired = threading.Event()
        stop = _stopper(self.connection) if self.dialect != "postgresql" else None
        if stop is None:
            yield fired
            return

        def interrupt() -> None:
            fired.set()
            stop()

        timer = threading.Timer(self.blame.timeout, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield fired
        finally:
            timer.cancel()


_TABLE_FIX = "check the source's table: and schema:, or its query:"
_COLUMN_FIX = "check the source's columns:, or its query:"
_CONNECT_FIX = (
    "check the URL's user, host and database, and the password in its environment variable"
)


def url_of(source: Source, index: int) -> str:
    """The source's URL: as written, or from the environment variable it names."""
    if source.url is not None:
        return source.url
    name = source.url_env
    assert name is not None  # validated with the config
    value = os.environ.get(name, "").strip()
    if not value:
        raise DataError(
            f"the environment variable {name} is not set",
            field=f"sources[{index}].url_env",
            fix=f"set {name} to the database's URL, e.g. "
            f"{name}=postgresql+psycopg://user:password@host/database",
        )
    return value


@contextmanager
def session(source: Source, index: int, *, base: Path | None) -> Iterator[Session]:
    """A read-only transaction on the source's database, rolled back at the end."""
    where = f"sources[{index}]"
    text = url_of(source, index)
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    secrets = _secrets(text)
    try:
        url = make_url(text)
    except Exception:
        raise DataError(
            "the URL is not an SQLAlchemy URL such as postgresql+psycopg://user@host/database",
            field=f"{where}.url" if source.url is not None else f"{where}.url_env",
            fix="write it as dialect+driver://user@host:port/database",
        ) from None
    secrets = (*secrets, *([url.password] if url.password else []))
    label = shown_url(url)
    url, options = _file_database(url, base, where=where)
    try:
        engine = sa.create_engine(url, poolclass=NullPool, **options)
    except Exception as exc:
        raise DataError(
            f"no SQLAlchemy dialect or driver for {url.drivername} ({_scrubbed(exc, secrets)})",
            location=Location(label),
            field=where,
            fix=INSTALL_FIX,
        ) from None
    blame = Blame(label=label, where=where, timeout=source.timeout, secrets=secrets)
    try:
        connection = engine.connect()
    except Exception as exc:
        raise blame.unreachable(exc) from None
    opened = Session(connection=connection, blame=blame)
    try:
        with connection.begin() as transaction:
            _guard(opened)
            try:
                yield opened
            finally:
                transaction.rollback()
    finally:
        connection.close()
        engine.dispose()


def _guard(session: Session) -> None:
    """Make the transaction read-only and bounded in time, where the dialect can."""
    import sqlalchemy as sa

    if session.dialect == "postgresql":
        session.run(sa.text("SET TRANSACTION READ ONLY"))
        milliseconds = str(max(1, round(session.blame.timeout * 1000)))
        timeout = sa.func.set_config("statement_timeout", milliseconds, True)
        session.run(sa.select(timeout))
    elif session.dialect == "sqlite":
        session.run(sa.text("PRAGMA query_only = ON"))


def _file_database(url: URL, base: Path | None, *, where: str) -> tuple[URL, dict[str, Any]]:
    """SQLite and DuckDB files: relative to the config's folder, opened read-only; a missing
    file is an error rather than a new empty database. DuckDB reads the files a query names
    (``read_parquet('exports/*.parquet')``) from the config's folder too."""
    name = url.get_backend_name()
    if name not in _FILE_DIALECTS:
        return url, _network_options(url)
    config = {"file_search_path": str(base)} if base is not None else {}
    if (url.database or "") in _IN_MEMORY:
        if name == "duckdb":
            return url, {"connect_args": {"config": config}}
        return url, {}
    path = Path(url.database or "")
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.is_file():
        raise DataError(
            "database file not found",
            location=Location(path),
            field=where,
            fix=f"check {where}.url (a relative path starts at the config file's folder)",
        )
    if name == "duckdb":
        return url.set(database=str(path)), {"connect_args": {"read_only": True, "config": config}}
    import sqlite3

    uri = path.resolve().as_uri() + "?mode=ro"
    return url.set(database=None), {
        "creator": lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    }


def _network_options(url: URL) -> dict[str, Any]:
    """A connection attempt that gives up: a server that does not answer is a failure."""
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        return {"connect_args": {"connect_timeout": 10}}
    return {}


def _stopper(connection: Connection) -> Any:
    """The driver's way to stop a running statement from another thread, if it has one."""
    raw = connection.connection.dbapi_connection
    for name in ("interrupt", "cancel"):
        stop = getattr(raw, name, None)
        if callable(stop):
            return stop
    return None


def shown_url(url: URL) -> str:
    """The URL as the audit and messages show it: no password, no password parameter."""
    hidden = {key for key in url.query if key.lower() in {"password", "pwd", "passwd"}}
    return url.difference_update_query(hidden).render_as_string(hide_password=True)


def shown_sql(statement: Any, connection: Connection, params: Mapping[str, Any] | None) -> str:
    """A statement in the connection's dialect with its values written in, on one line (each
    line break and the spaces around it as one space), as the audit shows it."""
    if params:
        statement = statement.params(**params)
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    text = str(compiled)
    if connection.dialect.paramstyle in ("format", "pyformat"):
        text = text.replace("%%", "%")  # no placeholders left: the doubled marks are escapes
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _secrets(text: str) -> tuple[str, ...]:
    """Every form of the URL's password that a driver might echo."""
    from urllib.parse import unquote, urlsplit

    try:
        password = urlsplit(text).password
    except ValueError:
        password = None
    found = [text]
    if password:
        found += [password, unquote(password)]
    return tuple(sorted(set(found), key=len, reverse=True))


def _sqlstate(exc: BaseException) -> str | None:
    original = getattr(exc, "orig", exc)
    for name in ("sqlstate", "pgcode"):
        code = getattr(original, name, None)
        if isinstance(code, str):
            return code
    return None


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


def _scrubbed(exc: BaseException, secrets: tuple[str, ...]) -> str:
    text = _first_line(exc)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text
