"""The entry point: the console script and ``python -m monitor`` share monitor.launch.main,
which makes its start-up settings before pydantic (and the rest of the package) is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points

CHECK = """
import os, sys
import monitor.launch
assert "pydantic" not in sys.modules, "importing the entry point imported pydantic"
sys.argv = ["monitor", "--version"]
try:
    monitor.launch.main()
except SystemExit:
    pass
print(os.environ.get("PYDANTIC_DISABLE_PLUGINS"))
"""


def test_console_script_is_the_launcher() -> None:
    (script,) = entry_points(group="console_scripts", name="monitor")
    assert script.value == "monitor.launch:main"


def test_settings_are_made_before_the_imports_they_cover() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    run = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("monitor, version")
    assert lines[-1] == "__all__"
