"""Reading values from query strings that anyone can type: never an error page for junk."""

MAX_ID = 2**63 - 1  # the largest key PostgreSQL's bigint and SQLite's INTEGER hold


def positive_id(value) -> int | None:
    """``value`` as a row id if it is one (digits, 1 … 2**63-1); ``None`` for anything else,
    which a filter then treats as "no such filter" or "nothing found", never as a 500."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
