"""One database for the published views' tests, filled once through the fixture web."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.demo.fixtureweb import FixtureWeb

from .world import PublishWorld, build_publish_db


@pytest.fixture(scope="session")
def publish_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PublishWorld]:
    folder = tmp_path_factory.mktemp("publish")
    with FixtureWeb() as web:
        world = build_publish_db(web, folder / "monitor.db")
    yield world
