"""The gazetteer: the council names people write, and the lookalikes it must not take."""

from __future__ import annotations

import pytest

from monitor.classify.gazetteer import Gazetteer, find_councils, gazetteer
from monitor.councils import load_councils
from monitor.models import Council


def names(text: str) -> list[list[str]]:
    return [[c.name for c in m.councils] for m in find_councils(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stockport Council said", [["Stockport"]]),
        ("Stockport Metropolitan Borough Council said", [["Stockport"]]),
        ("services delivered by Stockport Family", [["Stockport"]]),
        ("the London Borough of Merton", [["Merton"]]),
        ("Kent County Council", [["Kent"]]),
        ("City of York Council", [["York"]]),
        ("Richmond's children", [["Richmond upon Thames"]]),
        ("Hull City Council and Hull", [["Kingston Upon Hull, City of"]] * 2),
        ("BCP Council", [["Bournemouth, Christchurch and Poole"]]),
        ("Doncaster Children's Services Trust", [["Doncaster"]]),
        ("Doncaster Children’s Services Trust", [["Doncaster"]]),
        ("Slough Children First and Slough Children's Services Trust", [["Slough"]] * 2),
        ("Together for Children", [["Sunderland"]]),
        ("Birmingham Children's Trust", [["Birmingham"]]),
        ("Sandwell Children's Trust", [["Sandwell"]]),
        ("Brighter Futures for Children", [["Reading"]]),
        ("Bradford Children and Families Trust", [["Bradford"]]),
        ("Worcestershire Children First", [["Worcestershire"]]),
        ("St Helens and St. Helens", [["St. Helens"]] * 2),
        ("Telford & Wrekin Council", [["Telford and Wrekin"]]),
        ("Stoke-on-Trent City Council", [["Stoke-on-Trent"]]),
        ("CHILDREN'S SERVICES IN STOCKPORT", [["Stockport"]]),
        ("Ofsted Rates Bristol Children's Services As Good", [["Bristol, City of"]]),
    ],
)
def test_names_people_write(text: str, expected: list[list[str]]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Longest match wins, and word boundaries keep city and county apart.
        ("Nottingham and Nottinghamshire", [["Nottingham"], ["Nottinghamshire"]]),
        (
            "Bedford Borough and Central Bedfordshire",
            [["Bedford Borough"], ["Central Bedfordshire"]],
        ),
        ("Derby and Derbyshire", [["Derby"], ["Derbyshire"]]),
        ("Leicester and Leicestershire", [["Leicester"], ["Leicestershire"]]),
        ("Southampton and Hampshire", [["Southampton"], ["Hampshire"]]),
        ("North Somerset and Somerset", [["North Somerset"], ["Somerset"]]),
        ("Bath and North East Somerset", [["Bath and North East Somerset"]]),
        ("York and North Yorkshire", [["York"], ["North Yorkshire"]]),
        ("Kingston upon Hull", [["Kingston Upon Hull, City of"]]),
        ("Kingston upon Thames and Kingston", [["Kingston upon Thames"]] * 2),
        ("Newcastle upon Tyne", [["Newcastle upon Tyne"]]),
        # Lookalikes: another place, organisation, team or person.
        ("New York", []),
        ("Newcastle-under-Lyme", []),
        ("Durham University and the University of Kent", []),
        ("Derby County and Stockport County fans", []),
        ("Hull City won", []),
        ("Kent Police and Durham Constabulary", []),
        ("the Stockport Express reported", []),
        ("Richmond, North Yorkshire", []),
        ("Sutton Coldfield", []),
        ("Jane Kent, the lead inspector", []),
        ("Mr Kent said", []),
        ("Reading the report, she said", []),
        ("the Greater Manchester council", []),
        ("the Sutton Trust and the Kent Messenger", []),
        # Welsh and Scottish councils are not in the list at all.
        ("Ceredigion, Cardiff and Glasgow City Council", []),
    ],
)
def test_traps(text: str, expected: list[list[str]]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Achieving for Children",
            ["Kingston upon Thames", "Richmond upon Thames", "Windsor and Maidenhead"],
        ),
        ("AfC", ["Kingston upon Thames", "Richmond upon Thames", "Windsor and Maidenhead"]),
        ("Northamptonshire Children's Trust", ["North Northamptonshire", "West Northamptonshire"]),
    ],
)
def test_shared_names_name_every_council(text: str, expected: list[str]) -> None:
    (mention,) = find_councils(text)
    assert mention.ambiguous
    assert [c.name for c in mention.councils] == expected


def test_defunct_authority_still_resolves() -> None:
    assert names("Cumbria County Council") == [["Cumbria"]]
    assert names("Northamptonshire County Council") == [["Northamptonshire"]]


def test_every_council_is_found_by_its_own_name() -> None:
    registry = load_councils()
    for council in registry:
        mentions = gazetteer(registry).find(
            f"Ofsted inspected {council.name.split(',')[0]} in May."
        )
        assert [m.councils for m in mentions] == [(council,)], council.name


def test_mention_spans_point_at_the_name() -> None:
    text = "Ofsted said the London Borough of Merton was good."
    (mention,) = find_councils(text)
    assert text[mention.start : mention.end] == mention.surface == "London Borough of Merton"


def test_a_custom_list_is_honoured() -> None:
    only = Council(la_code="999", name="Testshire", urn="1", aliases=("Testshire Council",))
    assert [c.name for c in Gazetteer([only]).councils_in("Testshire Council and Kent")] == [
        "Testshire"
    ]
