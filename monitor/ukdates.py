"""Month names as British writers spell them (full or abbreviated), for the day-first dates
of reports, provider pages and articles. One table, used by every reader of dates."""

from __future__ import annotations

_NAMES = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
FULL_NAMES: tuple[str, ...] = tuple(names[0] for names in _NAMES)  # "january" .. "december"
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_NAMES, start=1) for name in names
}


def month_number(name: str) -> int | None:
    """1-12 for 'April', 'apr', 'Sept.'; None for anything else."""
    return MONTHS.get(name.strip().rstrip(".").lower())
