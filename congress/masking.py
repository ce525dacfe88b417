"""Masking of personal data for display and logs (SECURITY S17).

Phones and ID numbers are decrypted in Python but shown masked everywhere by default: in HTML,
the API, exports and log lines. Unmasking is a separate, permission-checked and logged act.
"""

MASK = "*"


def _mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        # Too short to keep both ends without revealing most of it: keep at most the last quarter.
        keep = len(value) // 4
        return MASK * (len(value) - keep) + (value[-keep:] if keep else "")
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_phone(value: str | None) -> str:
    """13812345678 → 138****5678; other lengths keep the first three and last four characters."""
    if not value:
        return ""
    compact = "".join(str(value).split())
    return _mask_middle(compact, keep_start=3, keep_end=4)


def mask_id_number(value: str | None) -> str:
    """350212198001011234 → 3502**********1234: the region prefix and the last four only."""
    if not value:
        return ""
    compact = "".join(str(value).split())
    return _mask_middle(compact, keep_start=4, keep_end=4)


def mask_name(value: str | None) -> str:
    """张三丰 → 张**: the family name only."""
    value = (value or "").strip()
    return value[:1] + MASK * (len(value) - 1) if value else ""
