"""When a failed request is tried again, and how long to wait first.

Only requests that are safe to repeat are retried: reads (GET, HEAD, OPTIONS) and POSTs that
carry an ``Idempotency-Key``, which the server answers with the first result instead of acting
twice (DESIGN.md §4.4). Any other POST may already have taken effect when its answer was lost,
so its failure goes straight to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

IDEMPOTENCY_HEADER = "Idempotency-Key"

#: Answers that say "not now" rather than "no": a proxy that lost the backend, an overloaded or
#: restarting backend, a gateway that gave up waiting, and rate limiting.
RETRY_STATUSES = frozenset({429, 502, 503, 504})

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_repeatable(request: httpx.Request) -> bool:
    return request.method in _SAFE_METHODS or IDEMPOTENCY_HEADER in request.headers


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded exponential back-off with jitter.

    The n-th wait (n = 1, 2, …) is drawn from [c/2, c] with c = min(max_delay, base_delay·2ⁿ⁻¹):
    the growth keeps a struggling server from being hammered, the jitter keeps many clients
    from retrying in step, and the lower half-bound keeps a retry from following at once.
    """

    attempts: int = 4
    """Tries in all, the first included; 1 disables retrying."""
    base_delay: float = 0.5
    """Seconds; the ceiling of the first wait."""
    max_delay: float = 8.0
    """Seconds; no back-off wait is longer."""
    max_retry_after: float = 30.0
    """Seconds; a server asking for a longer pause is not waited for: the caller gets the error
    (e.g. ``RateLimited.retry_after``) and can tell the user when to come back."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if not 0 <= self.base_delay <= self.max_delay:
            raise ValueError("need 0 <= base_delay <= max_delay")

    def backoff(self, retry: int, rand: float) -> float:
        """The wait before retry number ``retry`` (1-based); ``rand`` is uniform in [0, 1)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return ceiling / 2 + rand * ceiling / 2

    def wait(self, retry: int, rand: float, retry_after: float | None) -> float | None:
        """The wait before retry number ``retry``, or None when it should not be made: all
        attempts are spent, or the server asks for a longer pause than we will sit through."""
        if retry >= self.attempts:
            return None
        if retry_after is None:
            return self.backoff(retry, rand)
        if retry_after > self.max_retry_after:
            return None
        return max(retry_after, self.backoff(retry, rand))
