"""Field encryption (SM4-GCM), keyed lookup hashes (HMAC-SM3) and the encrypted model field.

Personal data (身份证号, phone numbers) is stored as an SM4-GCM token and found through a blind
index: a keyed HMAC-SM3 of the normalised value, stored in its own indexed column. The key is
`settings.WEIJIAN_FIELD_KEY` (16 bytes, kept outside the database).

Token format: ``sm4gcm1:`` + base64(nonce (12 bytes) + ciphertext + tag (16 bytes)). The prefix
names the algorithm and version so a later key or algorithm can coexist with old rows.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core import checks, validators
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

VERSION_PREFIX = "sm4gcm1:"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16


class DecryptionError(ValueError):
    """A token that cannot be decrypted: not a token, tampered with, or made with another key."""


def _field_key(key: bytes | None) -> bytes:
    key = settings.WEIJIAN_FIELD_KEY if key is None else key
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ImproperlyConfigured("WEIJIAN_FIELD_KEY 应为16字节（128位）的SM4密钥")
    return key


def encrypt(plaintext: str, *, key: bytes | None = None) -> str:
    """Encrypt with SM4-GCM under a fresh random nonce; the same text never encrypts alike."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_field_key(key)), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    blob = nonce + ciphertext + encryptor.tag
    return VERSION_PREFIX + base64.b64encode(blob).decode("ascii")


def is_token(value: object) -> bool:
    return isinstance(value, str) and value.startswith(VERSION_PREFIX)


def decrypt(token: str, *, key: bytes | None = None) -> str:
    """Decrypt a token from `encrypt`; raise `DecryptionError` if it was altered in any way."""
    if not is_token(token):
        raise DecryptionError(f"不是可识别的加密数据（应以“{VERSION_PREFIX}”开头）")
    try:
        blob = base64.b64decode(token[len(VERSION_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("加密数据已损坏：不是有效的Base64编码") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("加密数据已损坏：长度不足")
    nonce, ciphertext, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_field_key(key)), modes.GCM(nonce, tag)).decryptor()
    try:
        plaintext = decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError(
            "解密失败：加密数据被篡改，或加密时使用的密钥与当前密钥不一致"
        ) from None
    return plaintext.decode("utf-8")


def normalize_for_index(value: str) -> str:
    """The form hashed by `blind_index`: NFKC, no whitespace or hyphens, upper case."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def _index_key(purpose: str, key: bytes | None) -> bytes:
    if not purpose or not purpose.isascii() or not purpose.isidentifier():
        raise ValueError(f"blind index purpose must be an ASCII identifier, got {purpose!r}")
    return _derive_index_key(purpose, _field_key(key))


@functools.lru_cache(maxsize=32)
def _derive_index_key(purpose: str, field_key: bytes) -> bytes:
    """HKDF per (purpose, key), derived once: an import hashes thousands of values."""
    hkdf = HKDF(
        algorithm=hashes.SM3(),
        length=32,
        salt=None,
        info=b"weijian blind index v1:" + purpose.encode("ascii"),
    )
    return hkdf.derive(field_key)


def blind_index(value: str, *, purpose: str, key: bytes | None = None) -> str:
    """Hex HMAC-SM3 of the normalised value under a key derived for `purpose` (e.g. "phone").

    Equal values give equal indexes for one purpose; different purposes give unrelated ones,
    so a phone index cannot be matched against an ID-number index.
    """
    mac = hmac.HMAC(_index_key(purpose, key), hashes.SM3())
    mac.update(normalize_for_index(value).encode("utf-8"))
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    """The SM3 digest (GB/T 32905-2016) of `data`, in hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


LOOKUP_REFUSED = (
    "EncryptedCharField {name!r} cannot be filtered with {lookup!r}: the column holds "
    "randomised SM4-GCM ciphertext. Store blind_index(value, purpose=...) in a separate "
    "indexed column and filter on that; only 'isnull' is supported here."
)


class EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """A text value stored encrypted with SM4-GCM; Python code sees the plaintext.

    None and "" are stored as they are (so `blank` and `null` keep their meaning). The column
    cannot be searched: every lookup except `isnull` raises TypeError; use a blind index.
    `max_length` limits the plaintext (validated in forms and `full_clean`).
    Serialisation (`dumpdata`) writes the token, never the plaintext.
    """

    description = "Encrypted text (SM4-GCM)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        indexed = getattr(self, "db_index", False)  # set by Field.__init__, absent from the stubs
        if self.unique or indexed or self.primary_key:
            errors.append(
                checks.Error(
                    "EncryptedCharField cannot be unique, indexed or a primary key: its "
                    "ciphertext is randomised. Put unique/db_index on a blind-index column.",
                    obj=self,
                    id="weijian.E001",
                )
            )
        return errors

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if is_token(value):
            try:
                return decrypt(value)
            except DecryptionError as exc:
                raise ValidationError(str(exc), code="invalid_token") from None
        result = super().to_python(value)
        return None if result is None else str(result)

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None or value == "" else encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(LOOKUP_REFUSED.format(name=self.name, lookup=lookup_name))
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise TypeError(LOOKUP_REFUSED.format(name=self.name, lookup=lookup_name))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # A single-line input, not TextField's textarea: these are phone and ID numbers.
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(
            form_class=form_class, choices_form_class=choices_form_class, **kwargs
        )
