"""Sign-in rules that hold across sessions and attacks: how long a client waits after failed passwords (longer
each time, a reload does not reset it), how many password checks the whole server runs (a queue, never a lock
on everyone), what binds a staff sign-in to its browser rather than to a session id, and which identity-provider
accounts are staff."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace


class Refused(Exception):
    """An attempt not checked: ``seconds`` to wait, because of this client's failures (``server=False``) or
    because the server's queue of checks is full (``server=True``)."""

    def __init__(self, seconds: float, *, server: bool):
        super().__init__(seconds)
        self.seconds, self.server = seconds, server


class SignInGate:
    """Who may try a password now. Each client (an address) has ``free`` failures, then waits ``first_delay``
    seconds, doubled at each further failure up to ``max_delay``; its failures are forgotten ``forget`` seconds
    after the last one, or at a success. The whole server checks at most ``per_minute`` passwords a minute (a
    burst of ``burst`` at once): past that, attempts queue for their turn, up to ``max_queue`` seconds, so that
    failures from many addresses slow everyone a little and lock nobody out. An attempt is recorded as a failure
    *before* its check (simultaneous submits cannot all slip through) and cleared by ``succeeded``.
    Thread-safe, one per server."""

    def __init__(self, *, free: int = 3, first_delay: float = 2.0, max_delay: float = 300.0, forget: float = 900.0,
                 per_minute: int = 30, burst: int = 10, max_queue: float = 10.0, clock=time.monotonic,
                 sleep=time.sleep):
        self.free, self.first_delay, self.max_delay, self.forget = free, first_delay, max_delay, forget
        self.interval, self.burst, self.max_queue = 60.0 / per_minute, burst, max_queue
        self.clock, self.sleep = clock, sleep
        self._failures: dict[str, tuple[int, float]] = {}  # client → (failures, time of the last one)
        self._next_turn = 0.0  # the server's queue: when the next check may start (GCRA)
        self._lock = threading.Lock()

    def _count(self, client: str, now: float) -> tuple[int, float]:
        failures, last = self._failures.get(client, (0, 0.0))
        if failures and now - last >= self.forget:
            self._failures.pop(client, None)
            return 0, 0.0
        return failures, last

    def delay(self, failures: int) -> float:
        """Seconds a client waits after ``failures`` failures."""
        if failures < self.free:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** (failures - self.free))

    def wait(self, client: str) -> float:
        """Seconds this client must still wait before trying (0 when it may try)."""
        now = self.clock()
        with self._lock:
            failures, last = self._count(client, now)
        return max(0.0, last + self.delay(failures) - now) if failures else 0.0

    def admit(self, client: str) -> None:
        """Let one attempt from ``client`` through to the password check, recorded first as a failure; wait its
        turn in the server's queue. Raises ``Refused`` (nothing recorded) when the client must wait or the
        queue is full."""
        with self._lock:
            now = self.clock()
            failures, last = self._count(client, now)
            if failures and (left := last + self.delay(failures) - now) > 0:
                raise Refused(left, server=False)
            turn = max(self._next_turn, now)
            queued = turn - (self.burst - 1) * self.interval - now
            if queued > self.max_queue:
                raise Refused(queued - self.max_queue, server=True)
            self._next_turn = turn + self.interval
            self._failures[client] = (failures + 1, now)
        if queued > 0:
            self.sleep(queued)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()
            self._next_turn = 0.0


# What a staff sign-in became, checked on every run.
VALID, OTHER_CONNECTION, IDLE, EXPIRED = "valide", "autre connexion", "inactive", "expirée"


@dataclass(frozen=True)
class StaffPass:
    """A staff sign-in, bound to what a session id does not carry: the connection it was made on (a websocket
    handshake's own key) and a random secret that only that browser holds, in a cookie named ``cookie``, for
    when it reconnects. A websocket that names the session's id from elsewhere has neither. It ends after
    ``idle`` seconds without a run, and ``lifetime`` seconds after the sign-in whatever happens."""

    cookie: str
    secret: str
    connection: str
    started: float
    seen: float

    @classmethod
    def issue(cls, connection: str, now: float) -> StaffPass:
        return cls(cookie=f"carte_equipe_{secrets.token_hex(6)}", secret=secrets.token_urlsafe(32),
                   connection=connection, started=now, seen=now)

    def check(self, *, connection: str, cookies: Mapping[str, str], now: float, idle: float,
              lifetime: float) -> tuple[str, StaffPass]:
        """(verdict, the pass as it stands after this run): VALID on the sign-in's connection or with its
        cookie (which then binds the new connection), else why not."""
        if now - self.started >= lifetime:
            return EXPIRED, self
        if now - self.seen >= idle:
            return IDLE, self
        if not _same(connection, self.connection):
            if not _same(cookies.get(self.cookie, ""), self.secret):
                return OTHER_CONNECTION, self
            return VALID, replace(self, connection=connection, seen=now)
        return VALID, replace(self, seen=now)


def _same(given, expected: str) -> bool:
    """Constant-time equality of a value a client sent (anything) with a secret."""
    return hmac.compare_digest(str(given).encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def is_staff_email(email: str | None, emails, domains, *, verified=True) -> bool:
    """Whether an identity-provider account is staff: its e-mail listed, or its domain (none listed: nobody),
    and the provider says it verified that e-mail (an unverified address can be anyone's)."""
    email = (email or "").strip().lower()
    if "@" not in email or verified not in (True, "true"):
        return False
    allowed = {e.strip().lower() for e in emails}
    domain = email.rsplit("@", 1)[1]
    return email in allowed or domain in {d.strip().lower().lstrip("@") for d in domains}
