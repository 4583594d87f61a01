"""A real PostgreSQL server for the tests, started in a temporary folder on a Unix socket there.

Debian's ``postgresql`` package puts ``initdb`` and ``pg_ctl`` under /usr/lib/postgresql/N/bin
(not on PATH); PostgreSQL refuses to run as root, so under root (CI) the server runs as the
``postgres`` user the package creates, through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

USER = "roicli"
PASSWORD = "Pg-s3cret-7Qx"  # a test server's, on a socket only the test process can reach
DATABASE = "kpis"
PORT = 54329


def binaries() -> tuple[Path, Path] | None:
    """initdb and pg_ctl: on PATH, else the newest under /usr/lib/postgresql/*/bin."""
    found = [shutil.which("initdb"), shutil.which("pg_ctl")]
    if all(found):
        return Path(str(found[0])), Path(str(found[1]))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
    )
    for folder in reversed(versions):
        initdb, pg_ctl = Path(folder, "initdb"), Path(folder, "pg_ctl")
        if initdb.is_file() and pg_ctl.is_file():
            return initdb, pg_ctl
    return None


def missing() -> str | None:
    """What is missing to start a server here, or None."""
    if binaries() is None:
        return "initdb, pg_ctl (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "the postgres user (apt-get install postgresql)"
        if _runuser() is None:
            return "runuser (apt-get install util-linux)"
    return None


def _runuser() -> str | None:
    """runuser, on PATH or in the sbin folders a trimmed PATH leaves out."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which("runuser", path=path)


@dataclass(frozen=True)
class Server:
    """A running server: URLs to reach it, and a way to run set-up SQL as its owner."""

    folder: Path

    def url(self, *, password: str | None = PASSWORD, database: str = DATABASE) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql+psycopg://{USER}{secret}@/{database}?host={self.folder}&port={PORT}"

    def execute(self, *statements: str, rows: Sequence[Sequence[Any]] = ()) -> None:
        """Run set-up statements (the last one once per row of ``rows``, when given)."""
        import psycopg

        dsn = f"host={self.folder} port={PORT} user={USER} password={PASSWORD} dbname={DATABASE}"
        with psycopg.connect(dsn, autocommit=True) as connection, connection.cursor() as cursor:
            for statement in statements[:-1] if rows else statements:
                cursor.execute(statement)
            if rows:
                cursor.executemany(statements[-1], [tuple(row) for row in rows])


@contextmanager
def running() -> Iterator[Server]:
    """Start a throw-away server (fsync off, socket only) and stop it at the end."""
    found = binaries()
    assert found is not None
    initdb, pg_ctl = found
    folder = Path(tempfile.mkdtemp(prefix="roicli-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        prefix = [str(_runuser()), "-u", "postgres", "--"]
    data, log = folder / "data", folder / "server.log"
    secret = folder / "password"
    secret.write_text(PASSWORD + "\n")
    if prefix:
        os.chown(secret, pwd.getpwnam("postgres").pw_uid, -1)

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(
        str(initdb),
        "-D",
        str(data),
        "-U",
        USER,
        f"--pwfile={secret}",
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    )
    options = (
        f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    run(str(pg_ctl), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        server = Server(folder)
        _create_database(server)
        yield server
    finally:
        subprocess.run(
            [*prefix, str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _create_database(server: Server) -> None:
    import psycopg

    dsn = f"host={server.folder} port={PORT} user={USER} password={PASSWORD} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {DATABASE}")
