from __future__ import annotations

import base64
from typing import ClassVar

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps
from pytest_django import Settings

from weijian.core.crypto import (
    VERSION_PREFIX,
    DecryptionError,
    EncryptedCharField,
    blind_index,
    decrypt,
    encrypt,
    sm3_hex,
)

KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
OTHER_KEY = bytes.fromhex("00112233445566778899aabbccddeeff")


@pytest.fixture(autouse=True)
def field_key(settings: Settings) -> None:
    settings.WEIJIAN_FIELD_KEY = KEY


# --- SM3 ---


def test_sm3_matches_gbt_32905_vector_for_abc() -> None:
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_matches_gbt_32905_vector_for_512_bits() -> None:
    assert sm3_hex(b"abcd" * 16) == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


# --- SM4-GCM ---


def test_round_trip_including_chinese_and_empty_text() -> None:
    for text in ["13812345678", "张三 360102199003070015", ""]:
        assert decrypt(encrypt(text)) == text


def test_token_shape() -> None:
    token = encrypt("13812345678")
    assert token.startswith(VERSION_PREFIX)
    blob = base64.b64decode(token[len(VERSION_PREFIX) :])
    assert len(blob) == 12 + len(b"13812345678") + 16


def test_same_text_encrypts_differently() -> None:
    assert encrypt("13812345678") != encrypt("13812345678")


def test_tampered_ciphertext_is_refused() -> None:
    token = encrypt("13812345678")
    blob = bytearray(base64.b64decode(token[len(VERSION_PREFIX) :]))
    blob[14] ^= 0x01
    tampered = VERSION_PREFIX + base64.b64encode(bytes(blob)).decode()
    with pytest.raises(DecryptionError, match="篡改"):
        decrypt(tampered)


def test_tampered_tag_and_nonce_are_refused() -> None:
    token = encrypt("13812345678")
    blob = base64.b64decode(token[len(VERSION_PREFIX) :])
    for index in (0, len(blob) - 1):
        changed = bytearray(blob)
        changed[index] ^= 0x80
        with pytest.raises(DecryptionError):
            decrypt(VERSION_PREFIX + base64.b64encode(bytes(changed)).decode())


def test_wrong_key_is_refused() -> None:
    with pytest.raises(DecryptionError):
        decrypt(encrypt("13812345678"), key=OTHER_KEY)


def test_malformed_tokens_are_refused() -> None:
    with pytest.raises(DecryptionError, match="sm4gcm1"):
        decrypt("13812345678")
    with pytest.raises(DecryptionError, match="Base64"):
        decrypt(VERSION_PREFIX + "not base64!")
    with pytest.raises(DecryptionError, match="长度不足"):
        decrypt(VERSION_PREFIX + base64.b64encode(b"short").decode())


def test_key_of_wrong_size_is_a_configuration_error(settings: Settings) -> None:
    settings.WEIJIAN_FIELD_KEY = b"too short"
    with pytest.raises(ImproperlyConfigured, match="16字节"):
        encrypt("x")


# --- blind index ---


def test_blind_index_is_stable_hex() -> None:
    first = blind_index("13812345678", purpose="phone")
    assert first == blind_index("13812345678", purpose="phone")
    assert len(first) == 64
    int(first, 16)


def test_blind_index_differs_by_purpose_key_and_value() -> None:
    phone = blind_index("13812345678", purpose="phone")
    assert phone != blind_index("13812345678", purpose="resident_id")
    assert phone != blind_index("13812345678", purpose="phone", key=OTHER_KEY)
    assert phone != blind_index("13812345679", purpose="phone")


def test_blind_index_normalises_the_value() -> None:
    reference = blind_index("11010519491231002X", purpose="resident_id")
    for variant in [" 11010519491231002x ", "110105 19491231 002X", "110105-19491231-002x"]:
        assert blind_index(variant, purpose="resident_id") == reference
    assert blind_index("１３８ １２３４ ５６７８", purpose="phone") == blind_index(
        "13812345678", purpose="phone"
    )


def test_blind_index_is_keyed_not_a_plain_hash() -> None:
    assert blind_index("abc", purpose="phone") != sm3_hex(b"ABC")


def test_blind_index_purpose_must_be_an_identifier() -> None:
    with pytest.raises(ValueError, match="purpose"):
        blind_index("13812345678", purpose="")
    with pytest.raises(ValueError, match="purpose"):
        blind_index("13812345678", purpose="电话")


# --- EncryptedCharField ---


def make_field(**kwargs: object) -> EncryptedCharField:
    field = EncryptedCharField(**kwargs)  # type: ignore[arg-type]
    field.set_attributes_from_name("phone")
    return field


def test_field_round_trip_without_a_model() -> None:
    field = make_field(max_length=20, blank=True)
    stored = field.get_prep_value("13812345678")
    assert isinstance(stored, str)
    assert stored.startswith(VERSION_PREFIX)
    assert "13812345678" not in stored
    assert field.from_db_value(stored, None, connection) == "13812345678"
    assert field.to_python(stored) == "13812345678"
    assert field.to_python("13812345678") == "13812345678"
    assert field.get_db_prep_save("13812345678", connection).startswith(VERSION_PREFIX)


def test_field_keeps_none_and_empty_string() -> None:
    field = make_field(null=True, blank=True)
    assert field.get_prep_value(None) is None
    assert field.get_prep_value("") == ""
    assert field.from_db_value(None, None, connection) is None
    assert field.from_db_value("", None, connection) == ""
    assert field.to_python(None) is None


def test_field_refuses_a_tampered_database_value() -> None:
    field = make_field()
    stored = field.get_prep_value("13812345678")
    with pytest.raises(DecryptionError):
        field.from_db_value(stored[:-4] + "AAAA", None, connection)
    with pytest.raises(ValidationError):
        field.to_python(stored[:-4] + "AAAA")


def test_field_refuses_lookups_other_than_isnull() -> None:
    field = make_field()
    assert field.get_lookup("isnull") is not None
    for lookup in ["exact", "iexact", "in", "contains", "startswith"]:
        with pytest.raises(TypeError, match="blind_index"):
            field.get_lookup(lookup)
    with pytest.raises(TypeError, match="blind_index"):
        field.get_transform("lower")


def test_field_deconstructs_for_migrations() -> None:
    field = make_field(max_length=20, blank=True, verbose_name="手机号")
    name, path, args, kwargs = field.deconstruct()
    assert name == "phone"
    assert path == "weijian.core.crypto.EncryptedCharField"
    assert args == []
    assert kwargs == {"max_length": 20, "blank": True, "verbose_name": "手机号"}
    rebuilt = EncryptedCharField(*args, **kwargs)
    assert rebuilt.deconstruct()[1:] == (path, args, kwargs)


def test_field_validates_plaintext_length_and_uses_a_text_input() -> None:
    field = make_field(max_length=11)
    with pytest.raises(ValidationError):
        field.run_validators("138123456789")
    field.run_validators("13812345678")
    form_field = field.formfield()
    assert isinstance(form_field, forms.CharField)
    assert isinstance(form_field.widget, forms.TextInput)
    assert form_field.max_length == 11


def test_field_serialises_a_token_not_the_plaintext() -> None:
    field = make_field()

    class Holder:
        phone = "13812345678"

    token = field.value_to_string(Holder())  # type: ignore[arg-type]
    assert token.startswith(VERSION_PREFIX)
    assert field.to_python(token) == "13812345678"


def test_field_check_refuses_unique_and_index() -> None:
    with isolate_apps("weijian.core"):

        class Bad(models.Model):
            phone = EncryptedCharField(unique=True)
            id_number = EncryptedCharField(db_index=True)
            note = EncryptedCharField(blank=True)

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return str(self.pk)

        errors = [error.id for field in Bad._meta.local_fields for error in field.check()]
    assert errors == ["weijian.E001", "weijian.E001"]


def test_field_is_a_text_field() -> None:
    assert issubclass(EncryptedCharField, models.TextField)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_field_on_a_real_table() -> None:
    with isolate_apps("weijian.core"):

        class Person(models.Model):
            phone = EncryptedCharField(null=True, blank=True)
            objects: ClassVar[models.Manager[Person]] = models.Manager()

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return str(self.pk)

    with connection.schema_editor() as editor:
        editor.create_model(Person)
    try:
        person = Person.objects.create(phone="13812345678")
        Person.objects.create(phone=None)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Person._meta.db_table)
            # The table name comes from the model, not from input.
            cursor.execute(f"SELECT phone FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
            (raw,) = cursor.fetchone()
        assert raw.startswith(VERSION_PREFIX)
        assert Person.objects.get(pk=person.pk).phone == "13812345678"
        assert Person.objects.filter(phone__isnull=True).count() == 1
        with pytest.raises(TypeError, match="blind_index"):
            Person.objects.filter(phone="13812345678")
        with pytest.raises(TypeError, match="blind_index"):
            Person.objects.filter(phone__in=["13812345678"])
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Person)
