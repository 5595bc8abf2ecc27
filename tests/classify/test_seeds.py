"""The five shared seed items (real news about Stockport, in ../shared/seeds) read exactly as
their labels say, through ``monitor classify --json``: the product path a user runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.cli import cli

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FIELDS = ("council", "la_code", "framework", "overall", "previous", "change", "judgements")

pytestmark = pytest.mark.skipif(
    not (SEEDS / "labels.json").is_file(), reason=f"shared seeds not present at {SEEDS}"
)


def _labels() -> list[dict[str, Any]]:
    return list(json.loads((SEEDS / "labels.json").read_text("utf-8")))


def test_every_seed_reads_as_labelled() -> None:
    labels = _labels()
    paths = [str(SEEDS / label["path"]) for label in labels]
    result = CliRunner().invoke(cli, ["classify", "--json", *paths], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == len(labels)
    for label, row in zip(labels, rows, strict=True):
        got = sorted(({k: e[k] for k in FIELDS} for e in row["events"]), key=lambda e: e["la_code"])
        want = sorted(
            ({k: e[k] for k in FIELDS} for e in label["events"]), key=lambda e: e["la_code"]
        )
        assert got == want, label["path"]
        assert row["relevant"] is label["relevant"]
