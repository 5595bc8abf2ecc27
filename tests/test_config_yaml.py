"""sources.yaml is parsed once, by libyaml when PyYAML has it, with the same results and the
same error messages as the pure-Python loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from monitor import config as config_module
from monitor.config import parse_config
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_libyaml_is_used_when_present() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert config_module._SafeLoader is expected


def test_one_parse_gives_what_safe_load_gives() -> None:
    text = (ROOT / "sources.yaml").read_text(encoding="utf-8")
    node, data = config_module._parse_yaml(text)
    assert data == yaml.safe_load(text)
    assert node is not None and node.start_mark.line >= 0


def test_an_error_keeps_the_pure_python_message(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "sources:\n  - name: a\n   kind: feed\n"
    messages = []
    for loader in (yaml.SafeLoader, config_module._SafeLoader):
        monkeypatch.setattr(config_module, "_SafeLoader", loader)
        with pytest.raises(ConfigError) as raised:
            parse_config(text, path="s.yaml", environ={})
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert (
        messages[0]
        == "s.yaml:3: invalid YAML: expected <block end>, but found '<block mapping start>'"
    )
