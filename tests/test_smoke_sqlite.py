"""The README's run command works on SQLite: migrate, seed the demo, sign in, look around."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
from django.test import Client

client = Client()
response = client.post("/accounts/login/", {
    "login": "karin.koordinator@vastnatet.demo.example", "password": "mentor-demo-2026",
})
assert response.status_code == 302, ("login", response.status_code)
for path in ["/", "/vastnatet/", "/vastnatet/manage/", "/vastnatet/manage/organisations/"]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    print("OK", path)
page = client.get("/vastnatet/manage/organisations/").content.decode()
assert "Älvby stad" in page, "demo organisation missing"
assert "Högskolan i Åbacka" in page, "demo organisation missing"
print("SMOKE PASSED")
"""


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_sqlite_run_path(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DATABASE_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mentorship.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONIOENCODING="utf-8",
    )
    manage(env, "migrate", "--noinput")
    first = manage(env, "seed_demo")
    assert "karin.koordinator@vastnatet.demo.example" in first
    # That a second run (as `make run` does on every start) changes nothing is tested on
    # PostgreSQL (tests/applications/test_demo.py); here SQLite only has to take the demo.
    out = manage(env, "shell", "-c", CHECK)
    assert "SMOKE PASSED" in out, out
    assert (tmp_path / "db.sqlite3").exists()
