"""The dashboard's first requests, sent as soon as the settings are read.

The first data on screen waits for the service's first answer. Asked for from the
app's event loop, that request leaves only once Textual is imported and the screen is
built, and the service's latency comes on top of the start. Begun here instead, on a
thread with its own event loop right after the settings are read, the requests (and
the reading of the answers) overlap the imports and the building of the screen; the
poller's first poll of each route then takes the answer (:class:`HeadStartClient`)
rather than asking the service a second time.

Each answer is handed out once, to a client of the same installation, query and
``exclude_pii``; anything else (a route polled with other options, an answer that
waited longer than a poll interval) is simply asked for again as before. A failed
request is handed over as its error, as the poller's own first try would have failed.

Kept free of Textual: :mod:`rtdash.cli` starts it before the app is imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal

from rtdash.api.client import FetchResult, InfinityClient
from rtdash.connect import client_for
from rtdash.warmup import tls_context

if TYPE_CHECKING:
    from rtdash.config import Installation, Settings

CALLS = "calls"
USERS = "users"


class AskAgain(Exception):
    """No answer to hand over (one the head start does not read): the first poll asks
    the service itself."""


#: (base URL, installation, time zone, route, exclude_pii): what makes two requests alike
Key = tuple[str, int, str, str, bool]


class HeadStart:
    """The first answers of every installation of one start, as futures the thread
    fulfils; ``max_age``: seconds an answer may wait to be taken (the poll interval)."""

    def __init__(self, settings: Settings, *, max_age: float) -> None:
        self.settings = settings
        self.max_age = max_age
        self._lock = threading.Lock()
        self._answers: dict[Key, Future[FetchResult[Any]]] = {}
        #: monotonic time each answer came in (set on the thread)
        self._came: dict[Key, float] = {}
        #: the client that read each answer (set on the thread once it is done with it):
        #: the poller's client reads the next body as it would (InfinityClient.adopt)
        self._readers: dict[Key, InfinityClient] = {}
        #: the first of :attr:`threads`
        self.thread: threading.Thread | None = None
        self.threads: list[threading.Thread] = []

    def take(self, client: InfinityClient, route: str, exclude_pii: bool) -> Awaitable[Any] | None:
        """The answer to this client's first request on ``route``, once; None when
        there is none to give (asked already, other options, too old)."""
        key = (client.base_url, client.igrp, client.tz, route, exclude_pii)
        with self._lock:
            answer = self._answers.pop(key, None)
            came = self._came.get(key)
        if answer is None:
            return None
        if came is not None and time.monotonic() - came > self.max_age:
            return None  # waited longer than a poll: the screen's first data is asked for anew
        return asyncio.wrap_future(answer)

    def read_by(
        self, client: InfinityClient, route: str, exclude_pii: bool
    ) -> InfinityClient | None:
        """The client that read the answer :meth:`take` handed ``client`` (once)."""
        key = (client.base_url, client.igrp, client.tz, route, exclude_pii)
        with self._lock:
            return self._readers.pop(key, None)

    def forget(self) -> None:
        """Drop the answers nobody took (a route polled with other options): a big
        answer is not held for the rest of the run."""
        with self._lock:
            self._answers.clear()
            self._came.clear()
            self._readers.clear()

    @property
    def pending(self) -> int:
        """Answers not taken yet."""
        with self._lock:
            return len(self._answers)

    # --- the thread -------------------------------------------------------------------

    def _begin(self, jobs: list[tuple[Installation, bool]]) -> None:
        """Every installation asked together on one thread with its own event loop."""
        for installation, exclude_pii in jobs:
            connection = installation.connection
            assert connection.igrp is not None
            base_url = connection.base_url.rstrip("/")
            for route in (CALLS, USERS):
                key = (base_url, connection.igrp, connection.timezone, route, exclude_pii)
                self._answers[key] = Future()
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self._fetch_all(jobs)), name="rtdash-first", daemon=True
        )
        self.threads = [self.thread]
        self.thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for every request of the head start (tests)."""
        for thread in self.threads:
            thread.join(timeout)

    async def _fetch_all(self, jobs: list[tuple[Installation, bool]]) -> None:
        tls = tls_context()
        clients = [
            (client_for(item.connection, item.mapping, tls=tls), exclude_pii)
            for item, exclude_pii in jobs
        ]
        try:
            await asyncio.gather(
                *(
                    self._fetch(client, route, exclude_pii)
                    for client, exclude_pii in clients
                    for route in (CALLS, USERS)
                )
            )
        finally:
            for client, _ in clients:
                await client.aclose()

    async def _fetch(self, client: InfinityClient, route: str, exclude_pii: bool) -> None:
        key = (client.base_url, client.igrp, client.tz, route, exclude_pii)
        answer = self._answers.get(key)
        if answer is None or not answer.set_running_or_notify_cancel():
            return
        try:
            if route == CALLS:
                result: FetchResult[Any] = await client.active_calls(exclude_pii=exclude_pii)
            else:
                result = await client.user_status()
        except Exception as exc:  # the poller's first try gets the same error
            self._came_in(key)
            answer.set_exception(exc)
            return
        self._came_in(key)
        with self._lock:
            self._readers[key] = client
        answer.set_result(result)

    def _settle(
        self,
        client: InfinityClient,
        route: str,
        exclude_pii: bool,
        ask: Callable[[], FetchResult[Any]],
    ) -> None:
        """``ask()``'s answer (or its error) for the route; :class:`AskAgain` tells
        the first poll to ask the service itself."""
        key = (client.base_url, client.igrp, client.tz, route, exclude_pii)
        answer = self._answers.get(key)
        if answer is None or not answer.set_running_or_notify_cancel():
            return
        try:
            result = ask()
        except Exception as exc:  # the poller's first try gets the same error
            self._came_in(key)
            answer.set_exception(exc)
            return
        self._came_in(key)
        answer.set_result(result)

    def _came_in(self, key: Key) -> None:
        with self._lock:
            self._came[key] = time.monotonic()


class HeadStartClient(InfinityClient):
    """A client whose first request on each polled route takes the head start's
    answer, if it has one for the same query."""

    def __init__(self, *, head_start: HeadStart, **options: Any) -> None:
        super().__init__(**options)
        self.head_start = head_start

    async def active_calls(  # the same call, answered early once
        self, *, exclude_pii: bool = False, keep_raw: bool = False, **more: Any
    ) -> Any:
        answer = None if keep_raw or more else self.head_start.take(self, CALLS, exclude_pii)
        if answer is not None:
            with contextlib.suppress(AskAgain):
                result = await answer
                self._adopt(CALLS, exclude_pii, "call")
                return result
        return await super().active_calls(exclude_pii=exclude_pii, keep_raw=keep_raw, **more)

    async def user_status(  # the same call, answered early once
        self, *, descending: bool = False, keep_raw: bool = False, **more: Any
    ) -> Any:
        early = not (descending or keep_raw or more)
        answer = self.head_start.take(self, USERS, False) if early else None
        if answer is not None:
            with contextlib.suppress(AskAgain):
                result = await answer
                self._adopt(USERS, False, "user")
                return result
        return await super().user_status(descending=descending, keep_raw=keep_raw, **more)

    def _adopt(self, route: str, exclude_pii: bool, kind: Literal["call", "user"]) -> None:
        """The next poll of ``route`` reads its body against the answer handed out (its
        rows reused, what changed known), as if this client had read that answer."""
        source = self.head_start.read_by(self, route, exclude_pii)
        if source is not None:
            self.adopt(source, kind)


def excluded_pii(settings: Settings, installation: Installation) -> bool:
    """Whether an installation's view asks without personal data: the setting, the
    installation's own (a profile's), and always on the wallboard (a screen anyone
    can read). The app's views ask the same way, or the answer would not fit."""
    return (
        settings.connection.exclude_pii
        or settings.display.wallboard
        or installation.connection.exclude_pii
    )


#: the head start begun for the dashboard about to run (claimed by its settings)
_pending: HeadStart | None = None


def begin(settings: Settings) -> HeadStart | None:
    """Send every installation's first two requests on a thread; None when the
    dashboard will not poll them itself (no installation id or no usable credentials:
    the welcome screen; a config the app will refuse)."""
    global _pending
    from rtdash.config import ConfigError

    try:
        installations = settings.installations()
    except ConfigError:
        return None
    if not installations:
        return None
    for installation in installations:
        connection = installation.connection
        if connection.igrp is None:
            return None
        if not settings.profiles and not connection.credentials().usable:
            return None  # the welcome screen, which asks nothing
    head_start = HeadStart(settings, max_age=settings.polling.interval)
    head_start._begin([(item, excluded_pii(settings, item)) for item in installations])
    _pending = head_start
    return head_start


def claim(settings: Settings) -> HeadStart | None:
    """The head start begun for these very settings, once (the dashboard's run)."""
    global _pending
    head_start, _pending = _pending, None
    if head_start is None or head_start.settings is not settings:
        return None
    return head_start
