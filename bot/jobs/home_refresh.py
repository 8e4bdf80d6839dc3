"""Publishing the App Home tab: at once when it is opened, and soon after anything that changes
what it shows."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from contextvars import Context, copy_context

from slack_sdk import WebClient

from bot.blocks.admin import admin_lines, admin_section
from bot.blocks.home import home_view
from bot.db.team_library import WorkspaceLibraries
from bot.domain.clock import Clock
from bot.domain.people import SlackUser
from bot.domain.workspace_defaults import WorkspaceDefaults
from bot.jobs.requests_in_flight import RequestsInFlight
from bot.services.admin import AdminService
from bot.services.progress import ProgressService

logger = logging.getLogger(__name__)


class HomeTab:
    """Builds and publishes people's Home tabs.

    `publish` does it now, for someone opening the tab. `refresh` queues it for a thread of its
    own, after a Done click or a settings change: rebuilding the tab (the person's whole
    progress) is most of the cost of such a click, and it only has to be done before the person
    next looks. So it must not hold up Bolt's listener threads, which every request needs before
    it can be acknowledged, and it waits for a quiet moment between Slack's requests — at most
    `MAX_DELAY` — so that a burst of clicks is acknowledged first. Changes for one person that
    arrive while an earlier one waits are published once.
    """

    QUIET = 0.05  # seconds without a request in flight that count as a quiet moment
    MAX_DELAY = 2.0  # seconds a refresh may wait for one
    # A refresh believes Slack's "not an admin" this long instead of asking `users.info` again
    # (half a Home refresh's cost, and Tier 4): see `_admin_defaults`.
    NOT_ADMIN_FOR = 600.0
    NOT_ADMIN_KEPT = 10_000  # people remembered so, the least recently seen forgotten first

    def __init__(
        self,
        progress: ProgressService,
        admin: AdminService,
        libraries: WorkspaceLibraries,
        clock: Clock,
        requests: RequestsInFlight,
    ) -> None:
        self._progress = progress
        self._admin = admin
        self._libraries = libraries
        self._clock = clock
        self._requests = requests
        # Who waits: the client, when it was queued, and the context of the request that queued
        # it, whose language the tab is published in (see bot.listeners.speech).
        self._waiting: dict[SlackUser, tuple[WebClient, float, Context]] = {}
        self._not_admin: OrderedDict[SlackUser, float] = OrderedDict()
        self._not_admin_lock = threading.Lock()
        self._changed = threading.Condition()
        self._closed = False
        self._worker = threading.Thread(target=self._refresh_waiting, name="home-tab", daemon=True)
        self._worker.start()

    def publish(self, client: WebClient, who: SlackUser, *, opened: bool = True) -> None:
        """`opened`: the person opened the tab (else it is a refresh after a change)."""
        home = self._progress.home(who)
        defaults = self._admin_defaults(client, who, opened)
        view = home_view(
            self._libraries.of_user(who),
            home.reminders,
            home.progress,
            home.challenges,
            self._clock.now(),
            days_off=home.days_off,
            admin=admin_section(admin_lines(defaults)) if defaults else [],
        )
        client.views_publish(user_id=who.user_id, view=view)

    def refresh(self, client: WebClient, who: SlackUser) -> None:
        with self._changed:
            queued_at = self._waiting.get(who, (client, time.monotonic(), None))[1]
            self._waiting[who] = (client, queued_at, copy_context())
            self._changed.notify()

    def close(self) -> None:
        """Publish what is still waiting, then stop."""
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._worker.join(timeout=10)

    def _refresh_waiting(self) -> None:
        while True:
            with self._changed:
                while not self._waiting and not self._closed:
                    self._changed.wait()
                if not self._waiting:
                    return
                who, (client, queued_at, context) = next(iter(self._waiting.items()))
                wait = self._wait_before_publishing(queued_at)
                if wait > 0:
                    self._changed.wait(wait)
                    continue
                del self._waiting[who]
            try:
                context.run(self.publish, client, who, opened=False)
            except Exception:  # the thread must outlive any one person's failure
                logger.exception("Home tab of %s not refreshed", who.user_id)

    def _admin_defaults(
        self, client: WebClient, who: SlackUser, opened: bool
    ) -> WorkspaceDefaults | None:
        """The admin section's defaults, None unless Slack says admin. Opening the tab always
        asks Slack; a refresh after a Done believes a "not an admin" heard within
        `NOT_ADMIN_FOR` (most people's answer, and asking cost each Done a `users.info`). Only
        that answer is kept: an admin is asked again each time, so a demoted admin's tab loses
        the section at the next refresh, and a promoted one gets it when they next open it."""
        now = time.monotonic()
        if not opened:
            with self._not_admin_lock:
                heard = self._not_admin.get(who)
            if heard is not None and now - heard < self.NOT_ADMIN_FOR:
                return None
        defaults = self._admin.home_section(client, who)
        with self._not_admin_lock:
            if defaults is None:
                self._not_admin[who] = now
                self._not_admin.move_to_end(who)
                while len(self._not_admin) > self.NOT_ADMIN_KEPT:
                    self._not_admin.popitem(last=False)
            else:
                self._not_admin.pop(who, None)
        return defaults

    def _wait_before_publishing(self, queued_at: float) -> float:
        """0 when the app is quiet, the refresh has waited long enough, or we are closing."""
        if self._closed:
            return 0.0
        overdue_in = queued_at + self.MAX_DELAY - time.monotonic()
        quiet_in = self.QUIET - self._requests.quiet_for()
        return max(0.0, min(quiet_in, overdue_in))
