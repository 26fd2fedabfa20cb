"""One online service's etiquette for the whole server, shared by the visitors' searches and the staff's
imports and edits: at most ``per_second`` requests; after a refusal (HTTP 429) a pause as long as the service
asked (capped), after ``trip_after`` failures in a row a pause of ``trip_seconds`` (an incident); and a query
that just failed is not asked again for ``forget_failures`` seconds. Thread-safe, one per server."""

from __future__ import annotations

import threading
import time

from cachetools import TTLCache
from geopy.exc import GeocoderRateLimited, GeopyError

from geo import logs
from geo.geocoders import Rejected, Skipped
from geo.geocoders.retry import describe
from geo.position import Position, Query

LOG = logs.get("geocodage")


class ServiceGuard:
    def __init__(self, name: str, *, per_second: float = 5.0, max_pause: float = 300.0, trip_after: int = 2,
                 trip_seconds: float = 60.0, forget_failures: float = 600.0, clock=time.monotonic,
                 sleep=time.sleep):
        self.name, self.interval, self.max_pause = name, 1.0 / per_second, max_pause
        self.trip_after, self.trip_seconds = trip_after, trip_seconds
        self.clock, self.sleep = clock, sleep
        self._failed: TTLCache = TTLCache(maxsize=5000, ttl=forget_failures, timer=clock)
        self._lock = threading.Lock()
        self._next_request = 0.0
        self._paused_until = 0.0
        self._failures_in_a_row = 0

    def paused_for(self) -> float:
        with self._lock:
            return max(0.0, self._paused_until - self.clock())

    def turn(self, max_wait: float = 0.0) -> str:
        """Take a turn to ask the service, waiting at most ``max_wait`` seconds for it; '' when granted,
        else why not (in French)."""
        with self._lock:
            now = self.clock()
            if now < self._paused_until:
                return f"en pause encore {self._paused_until - now:.0f} s"
            wait = self._next_request - now
            if wait > max_wait:
                return "trop de demandes en ce moment"
            self._next_request = max(now, self._next_request) + self.interval
        if wait > 0:
            self.sleep(wait)
        return ""

    def recently_failed(self, key: str) -> bool:
        with self._lock:
            return key in self._failed

    def answered(self) -> None:
        with self._lock:
            self._failures_in_a_row = 0

    def failed(self, key: str, error: BaseException) -> None:
        """Remember a failed query; a refusal pauses the service as long as it asked, repeated failures for
        ``trip_seconds``."""
        with self._lock:
            self._failed[key] = True
            self._failures_in_a_row += 1
            pause = 0.0
            if isinstance(error, GeocoderRateLimited):
                pause = min(float(error.retry_after or 60), self.max_pause)
            elif self._failures_in_a_row >= self.trip_after:
                pause = self.trip_seconds
            if pause:
                self._paused_until = max(self._paused_until, self.clock() + pause)
                self._failures_in_a_row = 0
        if pause:
            LOG.warning("%s : %s, service laissé en pause %.0f s pour tout le serveur", self.name, describe(error),
                        pause)


class GuardedStep:
    """An online step of the geocoding chain that asks its service only when the guard allows (waiting up to
    ``max_wait`` s for its turn), so that a file of addresses and the visitors share one pause."""

    def __init__(self, step, guard: ServiceGuard, *, max_wait: float = 2.0):
        self.step, self.guard, self.max_wait = step, guard, max_wait
        self.name = step.name

    def locate(self, query: Query) -> Position | None:
        if self.guard.recently_failed(query.key):
            raise Skipped("demande en échec il y a peu, pas reposée")
        refused = self.guard.turn(self.max_wait)
        if refused:
            raise Skipped(refused)
        try:
            position = self.step.locate(query)
        except Rejected:
            self.guard.answered()
            raise
        except GeopyError as error:
            self.guard.failed(query.key, error)
            raise
        self.guard.answered()
        return position
