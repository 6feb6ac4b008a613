"""Time helpers: the event window and weekday/diurnal-weighted timestamp sampling."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .arrow_text import DAY_MS

HOUR_MS = 3_600_000
MIN_MS = 60_000
_EPOCH = dt.date(1970, 1, 1)
# UTC hour-of-day activity (Europe mornings + US afternoons)
_HOURS = np.array(
    [
        1.2,
        1.0,
        0.8,
        0.6,
        0.5,
        0.6,
        1.0,
        2.0,
        3.5,
        4.5,
        5.0,
        5.0,
        4.6,
        5.0,
        5.6,
        6.0,
        6.0,
        5.5,
        4.5,
        3.6,
        3.0,
        2.5,
        2.0,
        1.6,
    ]
)
_HOURS = _HOURS / _HOURS.sum()


def date_ms(day: dt.date) -> int:
    return (day - _EPOCH).days * DAY_MS


class Clock:
    """Samples timestamps in [lo, hi) with fewer events at weekends and at night."""

    def __init__(self, t0: int, t1: int, back_days: int = 1200) -> None:
        self.t0, self.t1 = t0, t1
        self.base = t0 // DAY_MS - back_days
        n_days = t1 // DAY_MS - self.base + 2
        days = self.base + np.arange(n_days)
        weekday = (days + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
        weights = np.where(weekday >= 5, 0.3, 1.0)
        self.cum = np.concatenate([[0.0], np.cumsum(weights)])
        self.n_days = n_days

    def sample(self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        lo = np.asarray(lo, dtype=np.int64)
        hi = np.maximum(np.asarray(hi, dtype=np.int64), lo + 1)
        n = len(lo)
        lo_d = np.clip(lo // DAY_MS - self.base, 0, self.n_days - 1)
        hi_d = np.clip((hi - 1) // DAY_MS - self.base, 0, self.n_days - 1)
        u = self.cum[lo_d] + rng.random(n) * (self.cum[hi_d + 1] - self.cum[lo_d])
        d = np.clip(np.searchsorted(self.cum, u, side="right") - 1, lo_d, hi_d)
        hour = rng.choice(24, size=n, p=_HOURS)
        t = (self.base + d) * DAY_MS + hour * HOUR_MS + rng.integers(0, HOUR_MS, size=n)
        # rows whose range is shorter than a day: fall back to uniform inside the range
        out = (t < lo) | (t >= hi)
        if out.any():
            t[out] = lo[out] + (rng.random(out.sum()) * (hi[out] - lo[out])).astype(np.int64)
        return t
