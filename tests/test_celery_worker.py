"""A real Celery worker process, on Redis, runs the reminder scan end to end.

The worker is started here as a separate process (``celery -A config worker``) against the
local Redis and the test database; the scan task is queued through Redis, the worker sends
the reminders, and the test reads the inbox rows and the e-mails the worker wrote.
Skipped when Redis is not reachable, unless ``REQUIRE_WORKER=1`` (CI), where it fails.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from kombu import Connection

from config.celery import app as celery_app
from liaison.models import Delivery, Notification, ReminderLog
from suggestions import workflow
from suggestions.models import HandlingMode, Tier
from tests import factories as f

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture
def worker(tmp_path):
    if not redis_reachable():
        if os.environ.get("REQUIRE_WORKER") == "1":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379 and REQUIRE_WORKER=1")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    queue = f"liaison-test-{uuid.uuid4().hex[:8]}"  # parallel test runs never share a queue
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "LIAISON_VAR_DIR": str(tmp_path / "var"),
        "NOTIFY_BY_SMS": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent,
    )
    celery_app.conf.task_always_eager = False
    yield {"mail": mail_dir, "log": tmp_path / "worker.log", "queue": queue}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_worker_runs_the_scan_and_sends_inbox_and_mail(worker, network):
    from liaison.tasks import scan_reminders

    county = f.StaffProfileFactory(user=f.UserFactory(username="county"), role="county_staff").user
    handler = f.UserFactory(username="handler", email="jtj@example.gov.cn")
    department = f.DepartmentFactory(name="县交通运输局")
    department.contact_users.add(handler)
    deputy = network["deputy_a"]
    deputy.user = f.UserFactory(username="deputy")
    deputy.save()
    suggestion = workflow.suggestion_create(
        actor=deputy.user,
        lead_deputy=deputy,
        title="修缮道路",
        content="东门村道路",
        category=f.category(),
        station=network["a_village"],
    )
    workflow.suggestion_accept(suggestion=suggestion, actor=county, tier=Tier.FAST, jurisdiction="county")
    workflow.suggestion_assign(suggestion=suggestion, actor=county, lead=department, mode=HandlingMode.TAKE_AND_DO)
    assigned_on = suggestion.assignments.get().assigned_at.date()
    when = dt.datetime.combine(assigned_on + dt.timedelta(days=30), dt.time(10, 0)).isoformat() + "+08:00"

    with Connection(BROKER) as broker:
        scan_reminders.apply_async(args=[when], connection=broker, queue=worker["queue"])

    delivered = wait_for(lambda: Delivery.objects.filter(status="sent").exists())
    assert delivered, worker["log"].read_text()[-3000:]
    assert ReminderLog.objects.filter(clock__in=["acceptance", "due_soon", "due_today", "overdue"]).exists()
    assert Notification.objects.filter(recipient=handler, kind__startswith="reminder_").exists()
    mails = "".join(p.read_text() for p in worker["mail"].iterdir())
    assert "jtj@example.gov.cn" in mails
