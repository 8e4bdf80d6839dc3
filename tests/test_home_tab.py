"""The Home tab's refresher: queued publishes, one per person however many changes wait, none
lost at close, and a failure for one person does not stop the rest."""

from __future__ import annotations

import threading

from bot.listeners.home import HomeTab
from bot.services.people import SlackUser
from tests.reminder_helpers import wait_for


class BlockedHomeTab(HomeTab):
    """Publishing waits for `release`, and records who, instead of building a view."""

    def __init__(self, fail_for: str = "") -> None:
        self.release = threading.Event()
        self.published: list[str] = []
        self.fail_for = fail_for
        super().__init__(progress=None, library=None, clock=None)  # type: ignore[arg-type]

    def publish(self, client, who: SlackUser) -> None:
        self.release.wait(timeout=10)
        if who.user_id == self.fail_for:
            raise RuntimeError("Slack is down for this one")
        self.published.append(who.user_id)


def test_changes_for_one_person_that_wait_are_published_once():
    home = BlockedHomeTab()
    home.refresh(None, SlackUser("T1", "U1"))  # taken at once, blocked in publish
    wait_for(lambda: not home._waiting)
    for _ in range(5):
        home.refresh(None, SlackUser("T1", "U2"))
    home.refresh(None, SlackUser("T1", "U3"))
    home.release.set()
    wait_for(lambda: len(home.published) == 3)
    home.close()
    assert home.published == ["U1", "U2", "U3"]


def test_close_publishes_what_still_waits_and_a_failure_does_not_stop_the_rest():
    home = BlockedHomeTab(fail_for="U1")
    for user in ("U1", "U2", "U3"):
        home.refresh(None, SlackUser("T1", user))
    home.release.set()
    home.close()
    assert home.published == ["U2", "U3"]
    assert not home._worker.is_alive()
