"""A throw-away PostgreSQL server for the tests.

`start()` returns a `PgServer` (an admin URL on loopback) or raises `Unavailable` with the
reason the tests print when they skip:

1. `STORYLINE_TEST_PG` (a `postgresql://` URL of a server to use as it is), when set;
2. otherwise Debian's server binaries (`/usr/lib/postgresql/*/bin`), installed with
   `apt-get install -y postgresql` when missing and running as root;
3. a cluster initialised in a temporary folder (owned by the `postgres` user when running
   as root: the server refuses to run as root), no fsync, on a free loopback port, stopped
   and removed by `PgServer.stop()` (and at exit).

Each test gets its own database (`PgServer.new_database()`), so tests never see each
other's rows.
"""
from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Optional

APT_TIMEOUT_S = 600
START_TIMEOUT_S = 60


class Unavailable(Exception):
    """No PostgreSQL server could be reached or started here (the message says why)."""


@dataclass
class PgServer:
    url: str  # admin URL (a superuser, database `postgres`)
    datadir: Optional[str] = None  # set when this process started the server
    bindir: Optional[str] = None
    user: Optional[str] = None  # the OS user running the server, when not ourselves
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    def new_database(self, prefix: str = "t") -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def drop_databases(self, names: list[str]) -> None:
        """Drop these databases (their sessions ended by force)."""
        if not names:
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if not self.datadir:
            return
        datadir, self.datadir = self.datadir, None
        _run_as(self.user, [os.path.join(self.bindir, "pg_ctl"), "stop", "-D", datadir, "-m", "immediate", "-s"],
                timeout=60, check=False)
        shutil.rmtree(os.path.dirname(datadir), ignore_errors=True)


def stand_ins(root: str) -> list[str]:
    """The databases of the stand-in files under `root` (the PostgreSQL pass's database
    files, `storyline.store.postgres.file_database`): each file's own database only, never
    the one a copied stand-in that was not opened since still names."""
    from storyline.store.postgres import STAND_IN, database_name

    names = []
    for folder, _dirs, files in os.walk(root):
        for f in files:
            path = os.path.join(folder, f)
            try:
                st = os.lstat(path)
                if not stat.S_ISREG(st.st_mode) or st.st_size > 200:  # a FIFO would block open()
                    continue
                with open(path, "rb") as fh:
                    head = fh.read(200)
            except OSError:
                continue
            if head.startswith(STAND_IN) and head[len(STAND_IN):].decode("ascii", "replace").strip() == (
                    name := database_name(path)):
                names.append(name)
    return names


def start() -> PgServer:
    url = os.environ.get("STORYLINE_TEST_PG")
    if url:
        _check_reachable(url)
        return PgServer(url=url)
    bindir = _bindir() or _install()
    return _start_cluster(bindir)


def _check_reachable(url: str) -> None:
    try:
        import psycopg
    except ImportError as exc:
        raise Unavailable(f"psycopg is not installed ({exc})") from None
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        raise Unavailable(f"STORYLINE_TEST_PG={url} is not reachable: {str(exc).strip().splitlines()[0]}") from None


def _bindir() -> Optional[str]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


def _install() -> str:
    if os.geteuid() != 0:
        raise Unavailable("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin) and not root to "
                          "`apt-get install postgresql`")
    if not shutil.which("apt-get"):
        raise Unavailable("no PostgreSQL server binaries and no apt-get to install them")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S)
        if done.returncode != 0:  # stale package lists: update once and try again
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=APT_TIMEOUT_S)
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise Unavailable(f"`{' '.join(cmd)}` took over {APT_TIMEOUT_S} s") from None
    bindir = _bindir()
    if done.returncode != 0 or bindir is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise Unavailable(f"`{' '.join(cmd)}` failed: {tail[0]}")
    return bindir


def _run_as(user: Optional[str], cmd: list[str], timeout: float, check: bool = True):
    if user:
        cmd = ["runuser", "-u", user, "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=check)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_cluster(bindir: str) -> PgServer:
    user = None
    if os.geteuid() == 0:  # the server refuses to run as root
        import pwd

        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            raise Unavailable("running as root and there is no `postgres` user to run the server") from None
        if not shutil.which("runuser"):
            raise Unavailable("running as root and there is no `runuser` to start the server as postgres")
    root = tempfile.mkdtemp(prefix="storyline-pg-")
    datadir = os.path.join(root, "data")
    if user:
        import pwd

        pw = pwd.getpwnam(user)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    server = PgServer(url="", datadir=datadir, bindir=bindir, user=user)
    try:
        _run_as(user, [os.path.join(bindir, "initdb"), "-D", datadir, "-U", "storyline", "-A", "trust",
                       "-E", "UTF8", "--locale=C", "--no-sync"], timeout=120)
        for _attempt in range(3):  # a port taken between choosing and binding: choose again
            port = _free_port()
            opts = (f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            done = _run_as(user, [os.path.join(bindir, "pg_ctl"), "start", "-D", datadir, "-w", "-t",
                                  str(START_TIMEOUT_S), "-l", os.path.join(root, "server.log"), "-o", opts],
                           timeout=START_TIMEOUT_S + 10, check=False)
            if done.returncode == 0:
                break
        else:
            log = open(os.path.join(root, "server.log"), encoding="utf-8", errors="replace").read()
            raise Unavailable("pg_ctl start failed: " + (log.strip().splitlines() or ["no log"])[-1])
    except subprocess.CalledProcessError as exc:
        server.stop()
        raise Unavailable(f"{exc.cmd[-1] if exc.cmd else 'initdb'} failed: "
                          + ((exc.stderr or "").strip().splitlines() or ["no output"])[-1]) from None
    except (subprocess.TimeoutExpired, Unavailable):
        server.stop()
        raise
    server.url = f"postgresql://storyline@127.0.0.1:{port}/postgres"
    atexit.register(server.stop)
    deadline = time.monotonic() + 10
    while True:
        try:
            _check_reachable(server.url)
            return server
        except Unavailable:
            if time.monotonic() > deadline:
                server.stop()
                raise
            time.sleep(0.2)
