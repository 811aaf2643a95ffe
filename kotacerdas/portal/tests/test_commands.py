"""The `kotacerdas` commands an operator runs: seed, create_api_key, check --deploy, serve."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from kotacerdas.accounts.models import ApiKey
from kotacerdas.accounts.queries import api_key_valid
from kotacerdas.agencies.models import Agency
from kotacerdas.checks import production_settings
from kotacerdas.regions.models import Region

KOTACERDAS = str(Path(sys.executable).parent / "kotacerdas")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


# --- seed -------------------------------------------------------------------------------


def test_seed_loads_the_reference_data(db):
    seed()

    assert Region.objects.filter(level=Region.Level.KELURAHAN).count() == 21
    assert Agency.objects.count() == 52
    assert apps.get_model("cases", "Holiday").objects.exists()


def test_seed_twice_leaves_the_same_rows(db):
    seed()
    first = row_counts()

    output = seed()

    assert row_counts() == first
    assert ("0 regions, 0 agencies, 0 holidays, 0 sample services, 0 report categories, "
            "0 data topics, 0 masterplan framework rows added") in output


def test_seed_with_demo_twice_leaves_the_same_rows(db):
    seed("--demo")
    first = row_counts()

    seed("--demo")

    assert row_counts() == first
    assert Region.objects.filter(is_demo=True).exists()


def test_seed_with_demo_prints_the_demo_logins(db):
    output = seed("--demo")

    assert "demo accounts (not for production)" in output
    assert "operator.dukcapil@pemkot.demo" in output
    assert "TOTP secret" in output


# --- create_api_key ---------------------------------------------------------------------


def test_create_api_key_prints_a_key_that_validates_as_the_last_line(db):
    out, err = StringIO(), StringIO()

    call_command("create_api_key", "satudata-jatim", stdout=out, stderr=err)

    key = out.getvalue().strip().splitlines()[-1]
    assert api_key_valid(key) == ApiKey.objects.get(name="satudata-jatim")
    assert "not shown again" in err.getvalue()
    assert key not in ApiKey.objects.get(name="satudata-jatim").key_hash


def test_a_made_up_key_does_not_validate(db):
    call_command("create_api_key", "satudata-jatim", stdout=StringIO(), stderr=StringIO())

    assert api_key_valid("kck_made-up") is None


def test_create_api_key_refuses_a_name_already_used(db):
    call_command("create_api_key", "satudata-jatim", stdout=StringIO(), stderr=StringIO())

    with pytest.raises(CommandError, match="'satudata-jatim' already exists; choose another name"):
        call_command("create_api_key", "satudata-jatim", stdout=StringIO(), stderr=StringIO())
    assert ApiKey.objects.filter(name="satudata-jatim").count() == 1


# --- production checks ------------------------------------------------------------------

GOOD_PRODUCTION = {
    "PRODUCTION": True,
    "DEBUG": False,
    "SECRET_KEY": "k" * 30 + "Q7x!" * 8,
    "ALLOWED_HOSTS": ["kotacerdas.blitarkota.go.id"],
    "SITE_URL": "https://kotacerdas.blitarkota.go.id",
}


def error_ids(**overrides) -> set[str]:
    with override_settings(**{**GOOD_PRODUCTION, **overrides}):
        return {problem.id for problem in production_settings(None) if problem.is_serious()}


def test_check_passes_a_complete_production_configuration():
    assert error_ids() == set()


def test_check_reports_missing_secret_key_hosts_and_https_site_url():
    ids = error_ids(SECRET_KEY="", ALLOWED_HOSTS=[], SITE_URL="http://localhost:8000")

    assert {"kotacerdas.E001", "kotacerdas.E002", "kotacerdas.E003"} <= ids


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SECRET_KEY": "short"}, "kotacerdas.E001"),
        ({"ALLOWED_HOSTS": []}, "kotacerdas.E002"),
        ({"SITE_URL": "http://kotacerdas.blitarkota.go.id"}, "kotacerdas.E003"),
        ({"DEBUG": True}, "kotacerdas.E004"),
    ],
)
def test_check_names_each_missing_production_setting(overrides, expected):
    assert error_ids(**overrides) == {expected}


def test_check_says_nothing_outside_production():
    with override_settings(PRODUCTION=False, SECRET_KEY="", ALLOWED_HOSTS=[], SITE_URL="http://x"):
        assert production_settings(None) == []


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server someone forgot to configure.

    Built from scratch, not copied from this process: settings the test run may carry
    (DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE, ...) must not leak into the "server".
    """
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8",
            "KOTACERDAS_ENV": "production", "KOTACERDAS_DATA_DIR": str(tmp_path), **extra}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([KOTACERDAS, *args], env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def test_check_deploy_command_fails_without_secret_key_and_says_how_to_fix(tmp_path):
    result = run("check", "--deploy", env=production_env(tmp_path))

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "kotacerdas.E001" in output
    assert "Set SECRET_KEY to a long random value" in output
    assert "Traceback" not in output


def test_check_deploy_command_passes_a_configured_production(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="k" * 30 + "Q7x!" * 8,
                         ALLOWED_HOSTS="kotacerdas.blitarkota.go.id",
                         SITE_URL="https://kotacerdas.blitarkota.go.id")

    result = run("check", "--deploy", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_serve_refuses_to_start_half_configured_and_says_what_to_fix(tmp_path):
    result = run("serve", "--port", "0", env=production_env(tmp_path))

    output = result.stdout + result.stderr
    assert result.returncode != 0
    for hint in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL must be the public https:// address"):
        assert hint in output
    assert "Traceback" not in output
