"""Normalisation of the text that people type into spreadsheets and forms.

Chinese offices produce full-width digits and spaces, stray blanks around values and phone
numbers written with spaces or dashes. Everything that compares or stores such text goes
through these helpers so that "１３８ ０００-１１１１" and "13800001111" are the same number.
"""

import functools
import re
import unicodedata

_PHONE_NOISE = re.compile(r"[\s\-()（）.]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
CN_DIGITS = "零一二三四五六七八九"
_CN_TENS = re.compile(f"[{CN_DIGITS[2:]}]?十[{CN_DIGITS[1:]}]?")


def clean_text(value) -> str:
    """Return ``value`` as a string in NFKC form, trimmed, with inner runs of blanks collapsed."""
    if value is None:
        return ""
    # str.split() splits on the same blanks as the regex \s, and is several times faster.
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def compact_text(value) -> str:
    """Like :func:`clean_text` but with every blank removed (for Chinese names and codes)."""
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def normalize_phone(value) -> str:
    """Return the phone number as bare digits, or raise ``ValueError`` when it is not one.

    Accepts mobile numbers (11 digits starting 13–19), landlines with area code
    (``0766-3821234``) and a leading ``+86``. An empty value gives ``""``.
    """
    text = _PHONE_NOISE.sub("", clean_text(value))
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return text
    raise ValueError(text)


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number: ``13800001111`` → ``138****1111``."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def format_phone(phone: str) -> str:
    """Display form of a stored phone: landlines get their area-code dash back."""
    if phone.startswith("0") and len(phone) >= 10:
        area = 3 if phone[1] in "12" else 4
        return f"{phone[:area]}-{phone[area:]}"
    return phone


def chinese_number(number: int) -> str:
    """Write 1–99 in Chinese numerals as used in congress terms (18 → 十八)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    prefix = "" if tens == 1 else CN_DIGITS[tens]
    return prefix + "十" + (CN_DIGITS[ones] if ones else "")


def parse_chinese_number(value) -> int:
    """Read 1–99 written in digits or Chinese numerals (``18``, ``十八``, ``二十``, ``一八``).

    The inverse of :func:`chinese_number`; raises ``ValueError`` for anything else.
    """
    text = compact_text(value)
    if text.isascii() and text.isdigit():
        number = int(text)
    elif text and all(char in CN_DIGITS for char in text):
        number = int("".join(str(CN_DIGITS.index(char)) for char in text))
    elif _CN_TENS.fullmatch(text):
        tens, _, ones = text.partition("十")
        number = (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    else:
        raise ValueError(text)
    if not 0 < number < 100:
        raise ValueError(text)
    return number


def split_list(value, separators: str = "、,;/|") -> list[str]:
    """Split a cell holding several values (``县、乡镇``, ``省,市``) into clean items.

    Full-width separators are folded to their ASCII twins by :func:`clean_text` first, so
    ``，`` and ``；`` split like ``,`` and ``;``. Line breaks inside a cell always separate
    items. Items are trimmed; empty items are dropped.
    """
    if value is None:
        return []
    splitter = _splitter(separators + "\n\r")
    items = (" ".join(item.split()) for item in splitter.split(unicodedata.normalize("NFKC", str(value))))
    return [item for item in items if item]


@functools.lru_cache(maxsize=16)
def _splitter(separators: str) -> re.Pattern:
    return re.compile("[" + re.escape(separators) + "]")
