"""Production settings fail loudly without their secrets and pass Django's deployment checklist.

Each case starts a fresh interpreter, because settings are read once per process.
"""

import base64
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")


def production_environment(**overrides):
    environment = {key: value for key, value in os.environ.items() if key not in PRODUCTION_SECRETS}
    environment.update(
        DEBUG="0",
        ALLOWED_HOSTS="example.org",
        SECRET_KEY=secrets.token_urlsafe(48),
        FIELD_ENCRYPTION_KEYS=base64.b64encode(os.urandom(32)).decode(),
        BLIND_INDEX_KEY="x",
        DJANGO_SETTINGS_MODULE="congress.settings",
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def run(command, environment):
    return subprocess.run(  # noqa: S603
        command, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(autouse=True)
def no_local_env_file():
    env_file = settings.BASE_DIR / ".env"
    if env_file.exists() and any(name in env_file.read_text() for name in PRODUCTION_SECRETS):
        pytest.skip(".env sets production secrets, which would mask their absence")


SETUP = [sys.executable, "-c", "import django; django.setup()"]


@pytest.mark.parametrize("missing", PRODUCTION_SECRETS)
def test_production_settings_refuse_to_load_without_a_secret(missing):
    result = run(SETUP, production_environment(**{missing: None}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_load_with_every_secret():
    result = run(SETUP, production_environment())

    assert result.returncode == 0, result.stderr


def test_debug_settings_load_without_secrets():
    result = run(
        SETUP, production_environment(DEBUG="1", SECRET_KEY=None, FIELD_ENCRYPTION_KEYS=None, BLIND_INDEX_KEY=None)
    )

    assert result.returncode == 0, result.stderr


def test_deployment_checklist_is_clean_on_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    source = (settings.BASE_DIR / "congress" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    example = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))

    assert "FIELD_ENCRYPTION_KEYS" in read
    assert read - listed == set()
