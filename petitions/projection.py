"""Where a petition is going: its current signing rate and when it would reach a threshold.

Pure functions over stored snapshots (fetched_at, signature_count). The central date extrapolates the
average rate of the last day of history ("at this rate"). The plausible range runs from the fast end of
the rates between consecutive snapshots in that day (their 90th percentile, weighted by duration) to the
later of their slow end (10th percentile) and a slowing-down case: petitions mostly sign fastest early
and slow down, so when the rates of the last week fall, their exponential decay is fitted and followed
(it may never get there). A steady series gives a narrow range, a jumpy or slowing one a wide range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from petitions.model import DEBATE_THRESHOLD, RESPONSE_THRESHOLD, Petition

THRESHOLDS = (RESPONSE_THRESHOLD, DEBATE_THRESHOLD)
RECENT = timedelta(days=1)  # the history the rate is measured over
TREND = timedelta(days=7)  # the history a slowing down is measured over
MIN_INTERVALS = 3  # fewer in the last day: the last three intervals, however long ago
QUANTILES = (0.1, 0.9)  # the slow and the fast end of the recent rates
TOLERANCE = 0.9  # "the last hour" may be measured from a snapshot 54 minutes before the latest
HORIZON = timedelta(days=3650)  # beyond ten years a date is meaningless (and overflows)

Status = Literal["reached", "projected", "not_before_close", "not_growing", "closed", "no_history"]


@dataclass(frozen=True)
class Rate:
    """Signatures per hour between two snapshots."""

    per_hour: float
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Projection:
    """When a petition reaches (or reached) one threshold.

    `eta` is at the recent average rate, `earliest` at the fast recent rate, `latest` at the slow one or, when
    later, if it keeps slowing down (None: it may never get there); `took` is opening → threshold from the
    document's own dates.
    """

    threshold: int
    status: Status
    reached_at: datetime | None = None
    took: timedelta | None = None
    eta: datetime | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    closes: datetime | None = None


@dataclass(frozen=True)
class Outlook:
    """A petition's rates and its projections to each threshold."""

    last_hour: Rate | None
    last_day: Rate | None
    recent: Rate | None  # the rate the projections use
    low: float | None  # the slow and fast ends of the recent interval rates (per hour)
    high: float | None
    slowing: tuple[float, float] | None  # (rate now, decay per hour) when the rates of the last week fall
    projections: tuple[Projection, ...]


def _series(snapshots: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Times (UTC datetimes) and counts, oldest first, one entry per distinct time."""
    s = snapshots[["fetched_at", "signature_count"]].dropna().sort_values("fetched_at", kind="stable")
    s = s.drop_duplicates("fetched_at", keep="last")
    times = np.asarray(pd.to_datetime(s["fetched_at"], utc=True).dt.to_pydatetime(), dtype=object)
    return times, s["signature_count"].to_numpy(dtype="float64")


def rate_over(snapshots: pd.DataFrame, window: timedelta) -> Rate | None:
    """The rate over about `window` before the newest snapshot: from the newest snapshot at least 0.9 of the
    window earlier. None when the history is shorter, or has no snapshot within two windows of that time."""
    times, counts = _series(snapshots)
    if len(times) < 2:
        return None
    end = times[-1]
    for i in range(len(times) - 2, -1, -1):
        span = end - times[i]
        if span >= window * TOLERANCE:
            if span > window * 2:
                return None
            return Rate((counts[-1] - counts[i]) / (span.total_seconds() / 3600), times[i], end)
    return None


def _intervals(times: np.ndarray, counts: np.ndarray, window: timedelta
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The last `window` of history (at least MIN_INTERVALS intervals when there are that many): each
    interval's midpoint (hours before the newest snapshot, negative), length in hours and rate."""
    first = len(times) - 1
    while first > 0 and (times[-1] - times[first - 1] <= window or len(times) - first <= MIN_INTERVALS):
        first -= 1
    t, c = times[first:], counts[first:]
    hours = np.array([(b - a).total_seconds() / 3600 for a, b in zip(t[:-1], t[1:])])
    ends = np.array([(b - times[-1]).total_seconds() / 3600 for b in t[1:]])
    return ends - hours / 2, hours, np.diff(c) / hours


def recent_rates(snapshots: pd.DataFrame) -> tuple[Rate | None, float | None, float | None]:
    """The average rate over the last day of history (at least MIN_INTERVALS intervals when there are
    that many) and the slow and fast ends of the interval rates in it (None with a single interval)."""
    times, counts = _series(snapshots)
    if len(times) < 2:
        return None, None, None
    _, hours, rates = _intervals(times, counts, RECENT)
    start = times[-1] - timedelta(hours=float(hours.sum()))
    mean = Rate(float(rates @ hours / hours.sum()), start, times[-1])
    if len(rates) < 2:
        return mean, None, None
    low, high = (weighted_quantile(rates, hours, q) for q in QUANTILES)
    return mean, low, high


def slowing(snapshots: pd.DataFrame) -> tuple[float, float] | None:
    """(rate now, decay per hour) of an exponential fit to the falling rates of the last week, or None when
    they do not fall (or there are fewer than three intervals with signatures)."""
    times, counts = _series(snapshots)
    if len(times) < 2:
        return None
    mid, hours, rates = _intervals(times, counts, TREND)
    keep = rates > 0
    if keep.sum() < MIN_INTERVALS:
        return None
    x, y, w = mid[keep], np.log(rates[keep]), hours[keep]
    xm, ym = (x @ w) / w.sum(), (y @ w) / w.sum()
    var = ((x - xm) ** 2) @ w
    if var <= 0:
        return None
    slope = ((x - xm) * (y - ym)) @ w / var
    if slope >= 0:
        return None
    return float(np.exp(ym - slope * xm)), float(-slope)  # the fitted rate at the newest snapshot (x = 0)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of values each counted in proportion to its weight (linear between midpoints)."""
    order = np.argsort(values, kind="stable")
    v, w = np.asarray(values, dtype="float64")[order], np.asarray(weights, dtype="float64")[order]
    mid = (np.cumsum(w) - w / 2) / w.sum()
    return float(np.interp(q, mid, v))


def closing_time(p: Petition) -> datetime | None:
    """When signing ends: the document's closing time, else the end of the deadline day (six months)."""
    if p.closed_at is not None:
        return _utc(p.closed_at)
    day: date | None = p.deadline
    return datetime.combine(day, time(23, 59, 59), UTC) if day else None


def outlook(p: Petition, snapshots: pd.DataFrame, thresholds: tuple[int, ...] = THRESHOLDS) -> Outlook:
    """Rates from the stored snapshots and a projection per threshold."""
    mean, low, high = recent_rates(snapshots)
    decay = slowing(snapshots)
    times, counts = _series(snapshots)
    latest = (times[-1], counts[-1]) if len(times) else None
    projections = tuple(project(p, threshold, latest, mean, low, high, decay) for threshold in thresholds)
    return Outlook(rate_over(snapshots, timedelta(hours=1)), rate_over(snapshots, timedelta(days=1)), mean, low,
                   high, decay, projections)


def project(p: Petition, threshold: int, latest: tuple[datetime, float] | None, mean: Rate | None,
            low: float | None, high: float | None, decay: tuple[float, float] | None = None) -> Projection:
    """One threshold: reached (and how long it took), or when the recent rate gets there."""
    closes = closing_time(p)
    reached = p.signature_count >= threshold or (latest is not None and latest[1] >= threshold)
    if reached:
        at = {RESPONSE_THRESHOLD: p.response_threshold_reached_at,
              DEBATE_THRESHOLD: p.debate_threshold_reached_at}.get(threshold)
        took = _utc(at) - _utc(p.opened_at) if at and p.opened_at else None
        return Projection(threshold, "reached", reached_at=at, took=took)
    if p.state != "open":
        return Projection(threshold, "closed", closes=closes)
    if latest is None or mean is None:
        return Projection(threshold, "no_history", closes=closes)
    if mean.per_hour <= 0:
        return Projection(threshold, "not_growing", closes=closes)
    start, count = latest
    eta = _at(start, threshold - count, mean.per_hour)
    earliest = _at(start, threshold - count, high) if high is not None else eta
    latest_eta = _at(start, threshold - count, low) if low is not None else eta
    if decay is not None and latest_eta is not None:
        slow = _decaying(start, threshold - count, *decay)
        latest_eta = None if slow is None else max(latest_eta, slow)
    late = eta is None or (closes is not None and eta > closes)
    return Projection(threshold, "not_before_close" if late else "projected", eta=eta, earliest=earliest,
                      latest=latest_eta, closes=closes)


def _at(start: datetime, remaining: float, per_hour: float | None) -> datetime | None:
    if per_hour is None or per_hour <= 0:
        return None
    wait = timedelta(hours=remaining / per_hour)
    return start + wait if wait <= HORIZON else None


def _decaying(start: datetime, remaining: float, rate: float, decay: float) -> datetime | None:
    """When a rate falling as rate·e^(−decay·t) has added `remaining` (None: it levels off below that)."""
    ceiling = rate / decay  # all it will ever add
    if remaining >= ceiling:
        return None
    wait = timedelta(hours=-np.log1p(-remaining / ceiling) / decay)
    return start + wait if wait <= HORIZON else None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def duration_text(span: timedelta) -> str:
    """'3 days 4 hours', '5 hours 20 minutes', '12 minutes' (two units at most)."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    first = next((i for i, (n, _) in enumerate(parts) if n), None)
    if first is None:
        return "under a minute"
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts[first:first + 2] if n)
