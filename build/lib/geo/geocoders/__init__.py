"""One module per geocoding step, each with a ``locate(query) -> Position | None`` method.

Online steps go through geopy and may raise geopy errors; offline steps read shipped files
and never touch the network. A step raises ``Rejected`` when it got an answer it will not keep.
"""


class Rejected(Exception):
    """The step had an answer but it is not good enough (low score, too coarse...)."""


class Skipped(Exception):
    """The step was not asked at all (a service paused after a refusal, a query that just failed); the message
    says why, in French."""
