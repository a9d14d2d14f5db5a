"""Valid identifiers for synthetic data (demo, tests, benchmarks): never real ones.

Each function turns a number into a code that passes the same validators real data must pass,
so generated registries exercise the real import and form paths.
"""

from __future__ import annotations

import datetime

from stdnum.cn import ric, uscc

from weijian.core.identifiers import USCC_ALPHABET


def make_uscc(n: int, *, region_code: str = "360300") -> str:
    """A valid 统一社会信用代码 for number `n`: 12 (事业单位), the region, a base-31 serial."""
    serial = ""
    value = n
    for _ in range(9):
        value, digit = divmod(value, len(USCC_ALPHABET))
        serial = USCC_ALPHABET[digit] + serial
    body = "12" + region_code[:6] + serial
    return body + uscc.calc_check_digit(body)


def make_license_number(n: int, *, region_code: str = "360300", category: str = "A1001") -> str:
    """A 22-character 执业许可证登记号 for number `n` (see `supervision.identifiers`)."""
    return f"{n % 10**9:09d}{region_code[:6]}11{category}"


def make_resident_id(
    n: int, *, region_code: str = "360321", born: datetime.date | None = None
) -> str:
    """A valid 18-digit 身份证号: the region, a birth date, a three-digit sequence, the check."""
    # Born 1993–2003: the 3603xx codes exist in stdnum's table from 1992 on.
    born = born or datetime.date(1993, 1, 1) + datetime.timedelta(days=(n * 37) % 3900)
    body = f"{region_code[:6]}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character
