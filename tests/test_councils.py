"""The shipped reference list of local authorities."""

from __future__ import annotations

import pytest

from monitor.councils import load_councils


def test_every_current_authority_is_listed() -> None:
    councils = load_councils()
    assert len(councils.current()) == 153
    assert {c.la_code for c in councils if c.defunct} == {"909", "928", "836"}
    assert all(len(c.la_code) == 3 and c.urn.isdigit() for c in councils)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("356", "Stockport"),
        ("80562", "Stockport"),
        ("stockport council", "Stockport"),
        ("Hull", "Kingston Upon Hull, City of"),
        ("Cumbria", "Cumbria"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
    ],
)
def test_lookup(text: str, name: str) -> None:
    council = load_councils().lookup(text)
    assert council is not None and council.name == name


def test_an_alias_shared_by_several_councils_names_none() -> None:
    assert load_councils().lookup("Achieving for Children") is None
