"""A bound on calls that can hang on a service: a database frozen by a network partition answers neither
yes nor no, and its socket waits for ever (PostgreSQL's own statement_timeout runs in the frozen server).
The call runs in a worker thread; the caller waits at most ``seconds``. While one call is still stuck, the next
ones fail at once instead of queueing behind it: one stuck thread at most, never a pile of them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class Bounded:
    def __init__(self, name: str, seconds: float):
        self.name, self.seconds = name, seconds
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._pending: Future | None = None

    def __call__(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)``, or TimeoutError (an OSError) after ``seconds`` or while a call is stuck."""
        with self._lock:
            if self._pending is not None and not self._pending.done():
                raise TimeoutError(f"{self.name} : l'appel précédent attend encore")
            self._pending = future = self._worker.submit(function, *args)
        return future.result(timeout=self.seconds)
