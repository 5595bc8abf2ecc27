"""The reference list of English local authorities (package data), looked up by code, URN or
official name. Finding councils in free text is the gazetteer's job (``classify.gazetteer``)."""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

from .models import Council

# Predecessor authorities: kept so old reports and news still resolve, never polled as current.
DEFUNCT_LA_CODES = frozenset({"909", "928", "836"})  # Cumbria, Northamptonshire, Poole


class CouncilRegistry:
    """Every council of the reference list, with exact-key lookups."""

    def __init__(self, councils: list[Council]):
        self.councils = tuple(councils)
        self._by_code = {c.la_code: c for c in councils}
        self._by_urn = {c.urn: c for c in councils}
        self._by_name = {_key(c.name): c for c in councils}
        # An alias shared by several councils (Achieving for Children) names none of them.
        aliases: dict[str, list[Council]] = {}
        for council in councils:
            for alias in council.aliases:
                aliases.setdefault(_key(alias), []).append(council)
        self._by_alias = {k: v[0] for k, v in aliases.items() if len(v) == 1}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.councils)

    def __len__(self) -> int:
        return len(self.councils)

    def by_code(self, la_code: str) -> Council | None:
        return self._by_code.get(la_code.strip().zfill(3))

    def by_urn(self, urn: str | int) -> Council | None:
        return self._by_urn.get(str(urn).strip())

    def by_name(self, name: str) -> Council | None:
        """The council whose official name is ``name`` (case and punctuation aside)."""
        return self._by_name.get(_key(name))

    def lookup(self, text: str) -> Council | None:
        """A council by DfE code, URN, official name or alias (exact, case aside)."""
        text = text.strip()
        if text.isdigit():
            return self.by_code(text) if len(text) <= 3 else self.by_urn(text)
        return self._by_name.get(_key(text)) or self._by_alias.get(_key(text))

    def current(self) -> tuple[Council, ...]:
        return tuple(c for c in self.councils if not c.defunct)


def _key(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").replace(",", " ").split())


def parse_councils(text: str) -> list[Council]:
    """Councils from the CSV layout of ``data/local_authorities.csv``."""
    rows = csv.DictReader(io.StringIO(text))
    return [
        Council(
            la_code=row["la_code"].strip().zfill(3),
            name=row["name"].strip(),
            urn=row["ofsted_urn"].strip(),
            ons_code=row["ons_code"].strip(),
            region=row["region"].strip(),
            la_type=row["la_type"].strip(),
            domain=row["domain"].strip(),
            aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            defunct=row["la_code"].strip() in DEFUNCT_LA_CODES,
        )
        for row in rows
    ]


@functools.cache
def load_councils() -> CouncilRegistry:
    """The shipped reference list (read once per process)."""
    text = resources.files("monitor").joinpath("data/local_authorities.csv").read_text("utf-8")
    return CouncilRegistry(parse_councils(text))
