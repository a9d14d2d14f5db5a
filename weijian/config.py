"""Reading settings from the environment, failing loudly on bad values.

Every reader names the variable it failed on, in Chinese with an English gloss, so an
operator sees at start-up what to fix. Pure functions over a mapping: tested without Django.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class Env:
    """A view over the process environment (or any mapping) with strict parsers."""

    def __init__(self, environ_map: Mapping[str, str]) -> None:
        self._env = environ_map

    def raw(self, name: str) -> str | None:
        value = self._env.get(name)
        return None if value is None else value.strip()

    def fail(self, name: str, why: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"环境变量 {name} 配置错误：{why}")

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise self.fail(
            name, f"应为 1/0、true/false、yes/no 或 on/off，实际为“{value}” (expected a boolean)"
        )

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        value = self.raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.fail(name, f"应为整数，实际为“{value}” (expected an integer)") from None
        if number < minimum:
            raise self.fail(name, f"不能小于 {minimum}，实际为 {number}")
        return number

    def text(self, name: str, default: str = "") -> str:
        value = self.raw(name)
        return default if value is None else value

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return default
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise self.fail(name, "不能为空 (a comma-separated list is expected)")
        return items

    def database(self, name: str, default: str) -> dict[str, Any]:
        value = self.raw(name) or default
        try:
            config = environ.Env.db_url_config(value)
        except Exception as exc:  # environ raises several kinds for a bad URL
            raise self.fail(name, f"无法解析数据库地址“{value}”：{exc}") from None
        engine = config.get("ENGINE", "")
        if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
            raise self.fail(name, f"只支持 sqlite:// 与 postgres:// 地址，实际为“{value}”")
        if not config.get("NAME"):
            raise self.fail(name, f"缺少数据库名“{value}”")
        return config

    def email(self, name: str, default: str) -> dict[str, Any]:
        value = self.raw(name) or default
        try:
            return environ.Env.email_url_config(value)
        except Exception as exc:
            raise self.fail(name, f"无法解析邮件地址“{value}”：{exc}") from None

    def secret(self, name: str, *, required: bool, keep_in: Path, make: Any) -> str:
        """A secret from the environment; in development generated once and kept in a file."""
        value = self.raw(name)
        if value:
            return value
        if required:
            raise self.fail(name, "生产模式（DEBUG=0）下必须设置 (required when DEBUG is off)")
        keep_in.parent.mkdir(parents=True, exist_ok=True)
        if not keep_in.exists():
            keep_in.write_text(make(), encoding="utf-8")
            keep_in.chmod(0o600)
        return keep_in.read_text(encoding="utf-8").strip()


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_field_key() -> str:
    return secrets.token_hex(16)


def field_key_bytes(env: Env, name: str, value: str) -> bytes:
    """The SM4 key: 32 hexadecimal characters (128 bits)."""
    try:
        key = bytes.fromhex(value)
    except ValueError:
        raise env.fail(name, "应为 32 位十六进制字符 (a 128-bit key in hex)") from None
    if len(key) != 16:
        raise env.fail(name, f"应为 32 位十六进制字符，实际为 {len(value)} 位")
    return key
