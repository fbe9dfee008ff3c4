"""How a user's name is written: Chinese names surname first, with no space."""

import re

_CJK = re.compile(r"[\u3400-\u9fff]")


def display_name(user) -> str:
    """``张翠怡`` for surname 张 and given name 翠怡; ``Jane Doe`` otherwise; the username if blank."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    name = f"{last}{first}" if _CJK.search(first + last) else f"{first} {last}".strip()
    return name or user.get_username()
