"""What the benchmark scripts share: one fresh database per backend, each in its own process
(Django reads its settings once per process), timing with query counts, and the table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_env_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def default_pg_url() -> str:
    return os.environ.get("BENCH_PG_URL") or postgres_env_url() or DEFAULT_PG_URL


def run_child(script: str, backend: str, arguments: list[str]) -> dict:
    """Run ``script --worker backend …`` in a fresh process; its last stdout line is JSON."""
    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as var_dir:
        env = {**os.environ, "LIAISON_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, script, "--worker", backend, *arguments]
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"backend": backend, "error": reason}
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_database(backend: str, pg_url: str):
    """Point ``DATABASE_URL`` at an empty database for ``backend``; returns a cleanup callable."""
    sys.path.insert(0, str(ROOT))
    if backend == "postgres":
        url, drop = create_postgres_database(pg_url)
    elif backend == "sqlite":
        url, drop = f"sqlite:///{Path(os.environ['LIAISON_VAR_DIR']) / 'bench.sqlite3'}", (lambda: None)
    else:
        raise SystemExit(f"unknown backend {backend}")
    os.environ["DATABASE_URL"] = url
    return drop


def create_postgres_database(server_url: str):
    """A throwaway database on the server of ``server_url``; returns its URL and a dropper."""
    import psycopg2

    parsed = urlparse(server_url)
    name = f"liaison_bench_{os.getpid()}"
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

    return urlunparse(parsed._replace(path=f"/{name}")), drop


def database_version(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    version = connection.pg_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def timed(action, connection) -> tuple[object, dict]:
    """Run ``action()``; return its result and the wall time, CPU time and query count."""
    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    connection.ensure_connection()
    with connection.execute_wrapper(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = action()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return result, {"seconds": seconds, "cpu": cpu, "queries": counter["queries"]}
