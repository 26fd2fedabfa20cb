"""Retries for online geocoders: timeouts, HTTP 429 (honouring Retry-After) and 5xx, with backoff."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from geopy.exc import (
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from tenacity import Retrying, retry_if_exception, stop_after_attempt

T = TypeVar("T")
MAX_WAIT_SECONDS = 120.0


def is_transient(error: BaseException) -> bool:
    """Worth another try: a timeout, a 429, an unreachable service or a 5xx answer."""
    if isinstance(error, (GeocoderTimedOut, GeocoderRateLimited, GeocoderUnavailable)):
        return True
    status = getattr(error.__cause__, "status_code", 0) or 0
    return isinstance(error, GeocoderServiceError) and status >= 500


def _wait(base_delay: float, max_wait: float):
    def wait(retry_state) -> float:
        backoff = base_delay * 2 ** (retry_state.attempt_number - 1)
        retry_after = getattr(retry_state.outcome.exception(), "retry_after", None) or 0
        return min(max(backoff, float(retry_after)), max_wait)

    return wait


def with_retries(call: Callable[[], T], *, attempts: int = 3, base_delay: float = 1.0,
                 max_wait: float = MAX_WAIT_SECONDS) -> T:
    """Run ``call``, retrying transient errors with exponential backoff (or Retry-After when
    longer, up to ``max_wait`` seconds); the last error is raised when every attempt failed."""
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=_wait(base_delay, max_wait),
        retry=retry_if_exception(is_transient),
        reraise=True,
    )
    return retrying(call)


def describe(error: BaseException) -> str:
    """A short French description of a geocoder error for the build report."""
    if isinstance(error, GeocoderRateLimited):
        return "trop de requêtes (HTTP 429)"
    if isinstance(error, GeocoderTimedOut):
        return "délai dépassé"
    if isinstance(error, GeocoderUnavailable):
        return "service injoignable"
    status = getattr(error.__cause__, "status_code", None)
    return f"erreur du service (HTTP {status})" if status else f"erreur du service ({error})"
