"""Presenting a TOTP device for enrolment: the QR code and the secret in base32."""

from __future__ import annotations

import base64

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_base32(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the otpauth:// URL, as a data: URI (allowed by the CSP's img-src)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4))
