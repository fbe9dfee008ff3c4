"""Settings for the test suite, the lint's migration check and the benchmarks: the production
settings with a throw-away key (``config.settings`` refuses to start without one when DEBUG
is off) and a long idle timeout. Everything else still comes from the environment, so the suite runs on SQLite by
default and on PostgreSQL with ``DATABASE_URL``."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
# Many tests move the clock days ahead while a client stays signed in; the idle timeout is
# tested on its own (tests/config/test_sign_in.py) with the production value.
os.environ.setdefault("SESSION_IDLE_HOURS", str(24 * 366))

from .settings import *  # noqa: F403
