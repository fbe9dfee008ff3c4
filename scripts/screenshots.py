"""Take the README's screenshots from the demo county, in Debian's chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/img]

Seeds a fresh demo county in a temporary folder, starts the development server on a free
port, logs in as the demo accounts and saves PNG files of the main pages.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = [
    # file, account, path, viewport
    ("workbench.png", "county", "/admin/", (1280, 900)),
    ("station-page.png", None, "/stations/{station}/", (420, 900)),
    ("department-queue.png", "department", "/dept/", (420, 900)),
    ("deputy-home.png", "deputy", "/me/", (420, 900)),
    ("suggestion-desk.png", "county", "/admin/suggestions/suggestion/", (1280, 800)),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="liaison-shots-") as var_dir:
        env = {**os.environ, "LIAISON_VAR_DIR": var_dir, "DEBUG": "1"}
        env.pop("DATABASE_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "seed_demo", "-v", "0"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        station = (
            subprocess.run(
                [
                    *manage,
                    "shell",
                    "-c",
                    "from stations.models import Station; print(Station.objects.filter(kind='village')"
                    ".exclude(assignments=None).order_by('code').first().code)",
                ],
                env=env,
                check=True,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(60):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            shoot(base, out, station)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str, out: Path, station: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for filename, account, path, (width, height) in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            page = context.new_page()
            if account:
                page.goto(f"{base}/admin/login/" if width > 800 else f"{base}/accounts/login/")
                page.fill("input[name=username]", account)
                page.fill("input[name=password]", "demo1234")
                page.click("[type=submit]")
                page.wait_for_load_state()
            page.goto(base + path.format(station=station))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / filename), full_page=False)
            print(out / filename)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
