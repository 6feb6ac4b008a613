"""How values look in real exports: mixed spellings, formats and a few broken rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_text import concat, format_ts, format_ts_mixed, take, where
from .reference import COUNTRIES


def choice(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=size, p=w / w.sum())


def ts(
    rng: np.random.Generator,
    ms: np.ndarray,
    styles: Sequence[str],
    weights: Sequence[float] | None = None,
) -> pa.Array:
    """Timestamps, each row in one of ``styles`` (random by ``weights``)."""
    if len(styles) == 1:
        return format_ts(ms, styles[0])
    which = choice(rng, weights or [1.0] * len(styles), len(ms))
    return format_ts_mixed(ms, which, styles)


def dates(ms: np.ndarray) -> pa.Array:
    return format_ts(ms, "date")


_BOOLS = ["false", "true", "FALSE", "TRUE"]


def bools(
    rng: np.random.Generator,
    values: np.ndarray,
    style: str = "lower",
    valid: np.ndarray | None = None,
) -> pa.Array:
    """``true``/``false`` (lower), ``TRUE``/``FALSE`` (upper) or both (mixed); blank = null."""
    v = np.asarray(values, dtype=bool).astype(np.int64)
    if style == "upper":
        v = v + 2
    elif style == "mixed":
        v = v + 2 * (rng.random(len(v)) < 0.5)
    if valid is not None:
        v = np.where(valid, v, -1)
    return take(_BOOLS, v)


# country spellings: English name, native name, ISO-2, ISO-3, and some case accidents
_COUNTRY_VARIANTS = []
for _iso2, _iso3, _name, _native, *_ in COUNTRIES:
    _COUNTRY_VARIANTS += [
        _name,
        _native,
        _iso2,
        _iso3,
        _name.lower(),
        _iso2.lower(),
        _iso3.title(),
        _name.upper(),
    ]
_N_VARIANTS = 8
VARIANT_WEIGHTS = [0.46, 0.12, 0.2, 0.1, 0.04, 0.03, 0.03, 0.02]


def countries(
    rng: np.random.Generator, country: np.ndarray, variant: np.ndarray | None = None
) -> pa.Array:
    """Country names, native names, ISO-2/ISO-3 codes and case accidents, per row."""
    v = choice(rng, VARIANT_WEIGHTS, len(country)) if variant is None else variant
    return take(_COUNTRY_VARIANTS, np.asarray(country) * _N_VARIANTS + v)


def emails(
    rng: np.random.Generator,
    values: pa.Array,
    case_rate: float = 0.05,
    space_rate: float = 0.02,
    noise: np.ndarray | None = None,
) -> pa.Array:
    """Stray capitals and whitespace, as typed into forms and CRMs. ``noise`` (n, 2) fixes
    the draws, so one record keeps its spelling across versions."""
    n = len(values)
    r, s = (rng.random(n), rng.random(n)) if noise is None else (noise[:, 0], noise[:, 1])
    titled = pc.utf8_title(values)
    upper = pc.utf8_upper(values)
    out = where(r < case_rate * 0.8, titled, values)
    out = where((r >= case_rate * 0.8) & (r < case_rate), upper, out)
    out = where(s < space_rate * 0.5, concat(" ", out), out)
    out = where((s >= space_rate * 0.5) & (s < space_rate), concat(out, "  "), out)
    return out


@dataclass
class BadRowSpec:
    """Which columns of a table can carry which kind of bad value."""

    id_col: str | None = "id"
    ts_cols: tuple[str, ...] = ()
    num_cols: tuple[str, ...] = ()  # numbers that cannot be negative
    future_ts: int = 0  # epoch ms used for "future" timestamps


_BAD_TS = [
    "2026-13-45 25:61:00",
    "not a date",
    "31/02/2026 10:00",
    "0000-00-00 00:00:00",
    "2026-02-30T99:00:00Z",
    "yesterday",
]
_BAD_NUM = ["n/a", "unknown", "1.2M", "ten", "#VALUE!", "12,5k"]


def inject_bad_rows(
    rng: np.random.Generator, table: pa.Table, spec: BadRowSpec, rate: float, ts_style: str = "sf"
) -> tuple[pa.Table, int]:
    """Break about ``rate`` of the rows in one of the ways the spec lists; all text columns."""
    n = table.num_rows
    if rate <= 0 or n == 0:
        return table, 0
    k = int(rng.binomial(n, min(rate, 1.0)))
    if k == 0:
        return table, 0
    rows = np.sort(rng.choice(n, size=k, replace=False))
    kinds = []
    if spec.ts_cols:
        kinds += ["bad_ts", "future_ts"]
    if spec.id_col:
        kinds.append("missing_id")
    if spec.num_cols:
        kinds += ["negative", "text_number"]
    if not kinds:
        return table, 0
    kind = rng.integers(0, len(kinds), k)
    cols = {name: table.column(name).combine_chunks() for name in table.column_names}
    for ki, name in enumerate(kinds):
        sel = rows[kind == ki]
        if not len(sel):
            continue
        mask = np.zeros(n, dtype=bool)
        mask[sel] = True
        if name in ("bad_ts", "future_ts"):
            col = spec.ts_cols[int(rng.integers(0, len(spec.ts_cols)))]
            if name == "bad_ts":
                vals = take(_BAD_TS, rng.integers(0, len(_BAD_TS), n))
            else:
                fut = spec.future_ts + rng.integers(0, 400, n) * 86_400_000
                vals = format_ts(fut, ts_style)
            cols[col] = where(mask, vals, cols[col])
        elif name == "missing_id":
            col = spec.id_col
            cols[col] = where(mask, pa.scalar(None, pa.string()), cols[col])
        else:
            col = spec.num_cols[int(rng.integers(0, len(spec.num_cols)))]
            if name == "negative":
                neg = concat("-", pc.fill_null(cols[col], "1500"))
                cols[col] = where(mask, neg, cols[col])
            else:
                vals = take(_BAD_NUM, rng.integers(0, len(_BAD_NUM), n))
                cols[col] = where(mask, vals, cols[col])
    return pa.table(cols), k
