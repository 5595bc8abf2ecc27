"""Fuzzing the configuration loader: whatever text ``sources.yaml`` holds, ``parse_config``
either returns a ``Config`` or raises ``ConfigError`` (which the CLI turns into exit code 2
with a located message); never a traceback."""

from __future__ import annotations

import copy
import math
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.config import Config, parse_config
from monitor.errors import ConfigError

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

VALID = {
    "settings": {"min_delay": "0s", "interval": "30m", "max_body": "10MB", "contact": "a@b.c"},
    "sources": [
        {"name": "paper", "kind": "feed", "url": "https://example.org/feed.xml"},
        {"name": "council", "kind": "page", "url": "https://example.org/news", "links": "a"},
        {"name": "ofsted", "kind": "ofsted", "url": "https://example.org/search", "rows": 10},
    ],
    "subscribers": [
        {
            "name": "desk",
            "notify": ["mailto://user:${SMTP_PASSWORD:-x}@example.org"],
            "councils": ["Stockport"],
            "changes": ["downgrade"],
            "digest": "daily",
        }
    ],
}

# Structured examples cost more to build and dump; fewer of them cover the shapes.
FUZZ_STRUCTURES = settings(FUZZ, max_examples=60)

KEYS = [
    "settings",
    "sources",
    "subscribers",
    "name",
    "kind",
    "url",
    "interval",
    "links",
    "notify",
    "councils",
    "regions",
    "changes",
    "digest",
    "enabled",
    "selectors",
    "rows",
    "max_body",
    "min_delay",
    "timeout",
    "max_retries",
    "timezone",
    "fetch_articles",
]
# Fragments that exercise YAML's corners: anchors, aliases, tags, flow style, merges,
# environment references, tabs, odd quoting, documents.
FRAGMENTS = [
    *KEYS,
    ":",
    ": ",
    "- ",
    "  ",
    "\t",
    "\n",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!timestamp ",
    "!!binary ",
    "!!python/object:os.system ",
    "!custom ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    '"',
    "#",
    "|",
    ">",
    "---",
    "...",
    "? ",
    "${HOME}",
    "${NOPE}",
    "${X:-",
    "feed",
    "page",
    "ofsted",
    "https://example.org/x",
    "30m",
    "-1",
    "1e400",
    "nan",
    "~",
    "yes",
    "0x1F",
    "2026-11-23",
    "\u2028",
    "\x00",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["feed", "page", "ofsted", "30m", "https://example.org/f", "a.story", "1d"]),
    st.dates(),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5
        ),
    ),
    max_leaves=12,
)


def _load(text: str) -> Config | None:
    """Parse; any exception but ConfigError fails the test (with the text that caused it)."""
    try:
        return parse_config(text, path="sources.yaml", environ={"HOME": "/home/x"})
    except ConfigError as exc:
        assert str(exc).startswith("sources.yaml"), str(exc)  # every error names the file
        return None


@FUZZ
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    _load(text)


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=60))
@example(["!!int "])  # PyYAML: IndexError
@example(["settings: !!float x"])  # PyYAML: ValueError
@example(["sources: !!timestamp 2026-13-45"])  # PyYAML: ValueError (month 13)
def test_yaml_like_text(fragments: list[str]) -> None:
    _load("".join(fragments))


@FUZZ_STRUCTURES
@given(
    st.dictionaries(
        st.sampled_from(["settings", "sources", "subscribers"]) | st.text(max_size=6),
        structures,
        max_size=4,
    )
)
def test_random_structures(data: dict[str, Any]) -> None:
    _load(yaml.safe_dump(data, allow_unicode=True))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(VALID)[1:]


@FUZZ_STRUCTURES
@given(st.lists(st.tuples(st.sampled_from(PATHS), structures), min_size=1, max_size=3))
def test_mutated_valid_config(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(VALID)
    for path, value in mutations:
        node: Any = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    config = _load(yaml.safe_dump(data, allow_unicode=True))
    if config is not None:
        # What validates is usable: durations are finite numbers the scheduler can use.
        for source in config.sources:
            assert config.interval_of(source) >= 0
        assert not math.isnan(config.settings.interval)


def test_the_unmutated_config_is_valid() -> None:
    # Guards the fuzzing above: mutations start from a configuration that loads.
    config = _load(yaml.safe_dump(VALID))
    assert config is not None and len(config.sources) == 3


def test_self_referencing_yaml_is_a_config_error() -> None:
    # An anchor that contains itself builds a cyclic structure in PyYAML.
    text = "sources: &loop\n  - *loop\n"
    assert _load(text) is None


def test_alias_bomb_is_bounded() -> None:
    # "Billion laughs": nine levels of nine aliases each.
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    assert _load("\n".join(lines) + "\n") is None
