"""Settings read from the environment fail loudly, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from weijian.config import Env, field_key_bytes

ROOT = Path(__file__).resolve().parents[3]


def test_booleans_accept_the_usual_words_and_refuse_others():
    env = Env({"A": "yes", "B": "0", "C": "maybe"})
    assert env.flag("A", False) is True
    assert env.flag("B", True) is False
    assert env.flag("MISSING", True) is True
    with pytest.raises(ImproperlyConfigured, match="DEBUG|C"):
        env.flag("C", False)


def test_integer_errors_name_the_variable():
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS.*整数"):
        Env({"SECURE_HSTS_SECONDS": "一年"}).integer("SECURE_HSTS_SECONDS", 1)


def test_database_url_must_be_sqlite_or_postgres():
    env = Env({"DATABASE_URL": "mysql://root@localhost/x"})
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database("DATABASE_URL", "sqlite:///x.db")
    config = Env({"DATABASE_URL": "postgres://u@127.0.0.1:5432/weijian"}).database(
        "DATABASE_URL", ""
    )
    assert config.get("ENGINE") == "django.db.backends.postgresql"
    assert config["NAME"] == "weijian"


def test_field_key_must_be_128_bits_of_hex():
    env = Env({})
    assert field_key_bytes(env, "WEIJIAN_FIELD_KEY", "00" * 16) == bytes(16)
    with pytest.raises(ImproperlyConfigured, match="WEIJIAN_FIELD_KEY"):
        field_key_bytes(env, "WEIJIAN_FIELD_KEY", "not-hex")
    with pytest.raises(ImproperlyConfigured, match="WEIJIAN_FIELD_KEY.*32"):
        field_key_bytes(env, "WEIJIAN_FIELD_KEY", "abcd")


def test_dev_secret_is_generated_once_and_kept(tmp_path):
    env = Env({})
    keep = tmp_path / "var" / "secret_key"
    first = env.secret("SECRET_KEY", required=False, keep_in=keep, make=lambda: "generated")
    second = env.secret("SECRET_KEY", required=False, keep_in=keep, make=lambda: "other")
    assert first == second == "generated"
    assert oct(keep.stat().st_mode & 0o777) == "0o600"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "WEIJIAN_FIELD_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
    "WEIJIAN_FIELD_KEY": "0123456789abcdef0123456789abcdef",
    "ALLOWED_HOSTS": "weijian.example.gov.cn",
}


def test_production_mode_requires_the_field_key():
    env = {key: value for key, value in PRODUCTION.items() if key != "WEIJIAN_FIELD_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "WEIJIAN_FIELD_KEY" in result.stderr


def test_bad_boolean_fails_at_start_naming_the_variable():
    result = _manage("check", **{**PRODUCTION, "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "环境变量 DEBUG 配置错误" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_mode_is_refused_in_production_mode():
    result = _manage("check", **{**PRODUCTION, "WEIJIAN_DEMO": "1"})
    assert result.returncode != 0
    assert "环境变量 WEIJIAN_DEMO 配置错误" in result.stderr
