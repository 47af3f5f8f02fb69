"""Settings pushed by the central service: applied by a restart once no shopper is using the
kiosk, then in effect (above the device file, below the environment) and shown as such."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk, build
from kiosk.config import KioskConfig
from kiosk.exitcodes import EXIT_RESTART
from kiosk.main import with_pushed_settings
from sync.server import catalog
from sync.server.db import open_database
from tests.central import Central, enroll_data_dir
from tests.e2e.conftest import FAST_IDLE, Driver
from tests.e2e.test_shell import start

pytestmark = pytest.mark.e2e

PUSHED = {"session": {"idle_timeout_s": 95}}


@pytest.fixture
def config(
    make_config: Callable[..., KioskConfig], central: Central, data_dir: Path
) -> KioskConfig:
    enroll_data_dir(central, data_dir)
    return make_config(f'[sync]\nserver_url = "{central.base_url}"\n')


@pytest.fixture
def exits() -> list[int]:
    return []


@pytest.fixture
def kiosk(
    qapp, qtbot: QtBot, config: KioskConfig, exits: list[int], qt_messages
) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    k = build(
        config,
        qapp,
        idle_policy=FAST_IDLE,
        windowed=True,
        follow_pushed_settings=True,
    )
    k.request_exit = exits.append  # type: ignore[method-assign]  # the test's event loop stays
    qtbot.waitExposed(k.window)
    yield k
    k.close()
    qtbot.wait(50)
    assert qt_messages.problems() == []


def push(central: Central, doc: dict[str, object]) -> None:
    db = open_database(central.db_url)
    try:
        assert catalog.load_document(db, "settings", doc, central.venue_id)
    finally:
        db.dispose()


def test_new_settings_restart_the_kiosk_only_when_no_one_uses_it(
    driver: Driver, kiosk: Kiosk, central: Central, tmp_path: Path, exits: list[int]
) -> None:
    assert kiosk.sync_agent is not None
    start(driver)  # a shopper is at the kiosk
    push(central, PUSHED)
    kiosk.sync_agent.trigger()
    driver.wait_for(lambda: kiosk.restart_pending, timeout=10_000)
    assert exits == []  # not in the middle of a session
    # The session ends (idle): now the kiosk restarts to apply them.
    driver.wait_for(lambda: kiosk.nav.current == "attract", timeout=10_000)
    driver.wait_for(lambda: exits == [EXIT_RESTART])

    # What the next start runs with.
    device_file = tmp_path / "device.toml"  # the file make_config wrote
    pushed, effective = with_pushed_settings(kiosk.config, device_file)
    assert pushed == PUSHED
    assert effective.session.idle_timeout_s == 95
    assert kiosk.config.session.idle_timeout_s != 95
    assert effective.paths.data_dir == kiosk.config.paths.data_dir


def test_the_same_settings_again_change_nothing(
    driver: Driver, kiosk: Kiosk, central: Central, exits: list[int]
) -> None:
    assert kiosk.sync_agent is not None
    kiosk.sync_agent.trigger()
    driver.wait_for(
        lambda: (
            kiosk.sync.online
            and kiosk.sync_agent is not None
            and kiosk.sync_agent.snapshot.last_sync_at is not None
        ),
        timeout=10_000,
    )
    driver.qtbot.wait(200)
    assert exits == []
    assert not kiosk.restart_pending
