"""Configuration: the shipped file is valid, and every kind of mistake exits 2 with
file:line: field: message (cases in tests/cases/bad_configs.yaml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from monitor.config import check_config, load_config, parse_config, parse_duration, parse_size
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
BAD_CONFIGS = yaml.safe_load((Path(__file__).parent / "cases" / "bad_configs.yaml").read_text())


def test_shipped_sources_yaml_is_valid() -> None:
    config = load_config(ROOT / "sources.yaml", environ={})
    kinds = {s.kind for s in config.sources}
    assert kinds == {"ofsted", "feed", "page"}
    assert all(s.url.startswith("https://") for s in config.sources)
    assert config.subscribers, "the shipped file has an example subscriber"


@pytest.mark.parametrize("case", BAD_CONFIGS, ids=[c["id"] for c in BAD_CONFIGS])
def test_bad_config_is_located(case: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(case["config"])
    with pytest.raises(ConfigError) as raised:
        check_config(path, environ={})  # what `monitor check-config` runs
    assert str(raised.value) == f"{tmp_path}/{case['error']}"


@pytest.mark.parametrize("case", BAD_CONFIGS[:4], ids=[c["id"] for c in BAD_CONFIGS[:4]])
def test_check_config_exits_2_with_the_location(case: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(case["config"])
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "check-config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {case['error']}"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(tmp_path / "nope.yaml"), "check-config"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "nope.yaml: file not found" in result.stderr


def test_environment_substitution_and_defaults() -> None:
    text = (
        "settings:\n  contact: ${CONTACT}\n"
        "subscribers:\n  - name: desk\n    enabled: ${ON:-false}\n"
        "    notify: ['json://${HOST:-127.0.0.1}/hook']\n"
    )
    config = parse_config(text, environ={"CONTACT": "desk@example.org"})
    assert config.settings.contact == "desk@example.org"
    assert config.subscribers[0].enabled is False
    assert config.subscribers[0].notify == ["json://127.0.0.1/hook"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (30, 30.0),
        ("45s", 45.0),
        ("30m", 1800.0),
        ("6h", 21600.0),
        ("1d", 86400.0),
        ("1.5h", 5400.0),
    ],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "size"), [(1024, 1024), ("512KB", 524288), ("20MB", 20 * 1024**2)]
)
def test_sizes(text: object, size: int) -> None:
    assert parse_size(text) == size


def test_defaults_are_polite() -> None:
    config = parse_config("{}", environ={})
    assert config.settings.per_host_concurrency == 1
    assert config.settings.min_delay > 0
    assert config.settings.obey_robots
    assert "ofsted-monitor" in config.settings.full_user_agent
