"""Production settings: refuse a missing key, HTTPS hardening, and ``check --deploy`` passes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "HTTPS", "SESSION_IDLE_HOURS")
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_without_a_secret_key_and_debug_off_the_site_refuses_to_start(tmp_path):
    done = run_python("import django; django.setup()", LIAISON_VAR_DIR=str(tmp_path))
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr and "未设置 SECRET_KEY" in done.stderr


def test_debug_on_runs_with_the_embedded_key(tmp_path):
    done = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
        LIAISON_VAR_DIR=str(tmp_path),
        DEBUG="1",
    )
    assert done.returncode == 0, done.stderr
    assert "embedded" in done.stdout


def test_https_turns_on_hsts_and_the_redirect(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_AGE)"
    )
    environment = {"LIAISON_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 60, "HTTPS": "1"}
    done = run_python(code, **environment)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "31536000", "True", "True", "28800"]


def test_manage_check_deploy_passes_with_the_production_settings(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LIAISON_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
            "HTTPS": "1",
            "ALLOWED_HOSTS": "rd.example.gov.cn",
        }
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
