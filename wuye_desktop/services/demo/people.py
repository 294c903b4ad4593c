"""Made-up people and organisations with numbers that pass the real checks."""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric, uscc

from wuye_desktop.services.demo.content import GIVEN, RARE_GIVEN, REGION_CODES, SURNAMES

_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                    "152", "153", "155", "156", "157", "158", "159", "166", "177", "180", "181",
                    "182", "183", "185", "186", "187", "188", "189", "191", "199")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.005:
        return surname + rng.choice(RARE_GIVEN)
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN) for _ in range(length))


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def resident_id(rng: random.Random, today: date) -> tuple[str, date, str]:
    """(18-character ID with a correct check character, birth date, gender)."""
    birth = today - timedelta(days=rng.randint(20 * 365, 85 * 365))
    serial = rng.randrange(1000)
    body = f"{rng.choice(REGION_CODES)}{birth:%Y%m%d}{serial:03d}"
    gender = "男" if serial % 2 else "女"
    # stdnum's calc_check_digit takes the whole number and ignores its last character.
    return body + ric.calc_check_digit(body + "?"), birth, gender


def credit_code(rng: random.Random) -> str:
    """A 统一社会信用代码 of a limited company registered in the county."""
    body = "91" + rng.choice(REGION_CODES) + "".join(rng.choice(_USCC_ALPHABET) for _ in range(9))
    code: str = body + uscc.calc_check_digit(body)
    return code
