"""The Home tab's refresher: queued publishes, one per person however many changes wait, none
lost at close, a failure for one person does not stop the rest, and refreshes wait for a quiet
moment between Slack's requests — but not for ever."""

from __future__ import annotations

import threading
import time

from bot.domain.people import SlackUser
from bot.jobs.home_refresh import HomeTab
from bot.jobs.requests_in_flight import RequestsInFlight
from tests.support.reminder_helpers import wait_for


class BlockedHomeTab(HomeTab):
    """Publishing waits for `release`, and records who, instead of building a view; it also
    records whose publish it took up and the thread it publishes on (the refresher's)."""

    def __init__(self, fail_for: str = "", requests: RequestsInFlight | None = None) -> None:
        self.release = threading.Event()
        self.taken: list[str] = []
        self.publisher: threading.Thread | None = None
        self.published: list[str] = []
        self.published_at: list[float] = []
        self.fail_for = fail_for
        requests = requests or RequestsInFlight()
        super().__init__(progress=None, admin=None, libraries=None, clock=None, requests=requests)  # type: ignore[arg-type]

    def publish(self, client, who: SlackUser, *, opened: bool = True) -> None:
        self.taken.append(who.user_id)
        self.publisher = threading.current_thread()
        self.release.wait(timeout=10)
        self.published_at.append(time.monotonic())
        if who.user_id == self.fail_for:
            raise RuntimeError("Slack is down for this one")
        self.published.append(who.user_id)


def test_changes_for_one_person_that_wait_are_published_once():
    home = BlockedHomeTab()
    home.refresh(None, SlackUser("T1", "U1"))  # taken at once, blocked in publish
    wait_for(lambda: home.taken == ["U1"])  # none waiting
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
    assert not home.publisher.is_alive()


def test_requests_in_flight_counts_requests_in_flight_and_the_quiet_since():
    now = [100.0]
    requests = RequestsInFlight(monotonic=lambda: now[0])
    with requests.request():
        now[0] += 5
        assert requests.quiet_for() == 0.0
    now[0] += 0.5
    assert requests.quiet_for() == 0.5


def test_a_refresh_waits_for_a_quiet_moment():
    requests = RequestsInFlight()
    home = BlockedHomeTab(requests=requests)
    home.release.set()
    with requests.request():
        home.refresh(None, SlackUser("T1", "U1"))
        time.sleep(3 * HomeTab.QUIET)
        assert home.published == []  # a request is in flight
    ended = time.monotonic()
    wait_for(lambda: home.published == ["U1"])
    assert home.published_at[0] - ended >= HomeTab.QUIET * 0.9
    home.close()


def test_a_refresh_waits_for_quiet_at_most_the_max_delay():
    requests = RequestsInFlight()
    home = BlockedHomeTab(requests=requests)
    home.release.set()
    with requests.request():  # busy all along
        queued = time.monotonic()
        home.refresh(None, SlackUser("T1", "U1"))
        wait_for(lambda: home.published == ["U1"], timeout=HomeTab.MAX_DELAY + 5)
    waited = home.published_at[0] - queued
    assert HomeTab.MAX_DELAY * 0.9 <= waited < HomeTab.MAX_DELAY + 1
    home.close()
