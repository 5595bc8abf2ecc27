"""The README documents every command and every settings key, so it cannot drift silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import Settings, SubscriberConfig

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented_and_has_help(command: str) -> None:
    assert f"`monitor {command}" in README, f"README does not document `monitor {command}`"
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


@pytest.mark.parametrize("key", sorted(SubscriberConfig.model_fields))
def test_every_subscriber_key_is_in_the_configuration_reference(key: str) -> None:
    block = README.split("\nsubscribers:\n", 1)[1].split("```", 1)[0]
    assert f" {key}:" in block, f"README's subscribers: example lacks {key}"


@pytest.mark.parametrize("key", sorted(Settings.model_fields))
def test_every_setting_is_in_the_configuration_reference(key: str) -> None:
    assert f"  {key}:" in README, f"README's configuration reference lacks settings.{key}"
