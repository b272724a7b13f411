"""A throwaway local PostgreSQL cluster, for the store tests and benchmarks.

Uses Debian's server binaries (``/usr/lib/postgresql/<version>/bin``): ``initdb`` into a temporary
directory, ``pg_ctl start`` listening only on a Unix socket in that directory on a random port,
and everything removed on exit. PostgreSQL refuses to run as root, so as root the binaries run as
the ``postgres`` user through ``runuser``. ``EVENTWIRE_TEST_PG_URL`` names an existing server
instead. Nothing here is used by eventwire itself.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

URL_ENV = "EVENTWIRE_TEST_PG_URL"


def _bindir() -> Optional[Path]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def unavailable_reason() -> Optional[str]:
    """Why no server can be had here, or None when one can."""
    if os.environ.get(URL_ENV):
        return None
    if _bindir() is None:
        return (f"no PostgreSQL: install Debian's postgresql (apt-get install postgresql) "
                f"or set {URL_ENV}")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
        if not shutil.which("runuser"):
            return "running as root without runuser to drop to the 'postgres' user"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the duration of the block (admin database ``postgres``)."""
    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV]
        return
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="eventwire-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd=root)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
            "-E", "UTF8", "--locale", "C.UTF-8")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
            "-o", f"-k {root} -p {port} -c listen_addresses='' -c fsync=off "
                  f"-c synchronous_commit=off -c full_page_writes=off", "start")
        try:
            yield f"postgresql://postgres@/postgres?host={root}&port={port}"
        finally:
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str, prefix: str = "eventwire_test") -> str:
    """Create an empty database on the server; returns its URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name we made: letters, digits, underscores
    return _with_dbname(server_url, name)


def _with_dbname(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))
