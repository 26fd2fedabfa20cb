"""Sign-in rules that hold across sessions: failed attempts counted per server and per client address
(a reload does not reset them), a cap on password length, and which identity-provider accounts are staff."""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_PASSWORD_LENGTH = 200


class Lockout:
    """At most ``per_client`` failures a minute from one client address, and ``per_server`` from all of them
    together; past either, that client (or everyone) waits ``pause`` seconds. Thread-safe, one per server."""

    def __init__(self, *, per_client: int = 5, per_server: int = 20, window: float = 60.0, pause: float = 60.0,
                 clock=time.monotonic):
        self.per_client, self.per_server, self.window, self.pause = per_client, per_server, window, pause
        self.clock = clock
        self._failures: dict[str, deque] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds this client must still wait before trying (0 when it may try)."""
        now = self.clock()
        with self._lock:
            until = max(self._locked_until.get(client, 0.0), self._locked_until.get("*", 0.0))
        return max(0.0, until - now)

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            for key, limit in ((client, self.per_client), ("*", self.per_server)):
                recent = self._failures.setdefault(key, deque())
                recent.append(now)
                while recent and recent[0] <= now - self.window:
                    recent.popleft()
                if len(recent) >= limit:
                    self._locked_until[key] = now + self.pause
                    recent.clear()

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def is_staff_email(email: str | None, emails, domains) -> bool:
    """Whether an identity-provider account is staff: its e-mail listed, or its domain (none listed: nobody)."""
    email = (email or "").strip().lower()
    if "@" not in email:
        return False
    allowed = {e.strip().lower() for e in emails}
    domain = email.rsplit("@", 1)[1]
    return email in allowed or domain in {d.strip().lower().lstrip("@") for d in domains}
