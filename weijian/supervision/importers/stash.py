"""The rows of an upload, kept between the preview and the confirmation.

A file can hold tens of thousands of rows, too many for a session: they wait as JSON in a
private directory (under VAR_DIR, never served; `WEIJIAN_IMPORT_DIR` moves it), in a file named
by a random token and tied to the user who uploaded it. Files older than a day are removed.
The rows hold personal data (身份证号), so the file is SM4-encrypted with the field key, like the
database column: a stashed upload never lies on disk in clear.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404

from weijian.core import crypto
from weijian.supervision.importers.sheet import RawRow

MAX_AGE = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Stash:
    token: str
    kind: str
    user: int
    filename: str
    rows: list[RawRow]


def directory() -> Path:
    default = Path(settings.VAR_DIR) / "imports" / "supervision"
    path = Path(getattr(settings, "WEIJIAN_IMPORT_DIR", default))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(token: str) -> Path:
    if not _TOKEN.match(token):
        raise Http404("预览已过期，请重新上传文件。")
    return directory() / f"{token}.json"


def _prune(folder: Path) -> None:
    limit = time.time() - MAX_AGE
    for old in folder.glob("*.json"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:
            continue


def save(rows: list[RawRow], *, kind: str, user: int, filename: str) -> str:
    folder = directory()
    _prune(folder)
    token = secrets.token_urlsafe(24)
    payload = {"kind": kind, "user": user, "filename": filename, "rows": rows}
    descriptor = os.open(folder / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(crypto.encrypt(json.dumps(payload, ensure_ascii=False)))
    return token


def load(token: str, *, kind: str, user: int) -> Stash:
    """The stashed upload of this user and kind; anything else is a 404."""
    try:
        payload = json.loads(crypto.decrypt(_path(token).read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError, crypto.DecryptionError):
        raise Http404("预览已过期，请重新上传文件。") from None
    if payload.get("kind") != kind or payload.get("user") != user:
        raise Http404("预览已过期，请重新上传文件。")
    rows = [(int(line), dict(cells)) for line, cells in payload["rows"]]
    return Stash(token, kind, user, str(payload.get("filename", "")), rows)


def drop(token: str) -> None:
    _path(token).unlink(missing_ok=True)
