"""Data-driven segments: k-means personas on behaviour and firmographics, each described in words.

Clusters are found on standardised features (log-scaled counts, so one heavy visitor does not
become a cluster of their own) and numbered by size, so `cluster_1` is the largest when fitted
and the same data and seed always give the same segments, names and descriptions.

A segment must mean the same thing from one day to the next, so the fitted scaler and k-means
model are kept (`clusters.joblib` in the model folder) and each daily run assigns the day's
leads to those clusters; the model is refitted only every `refit_days`, when the features or k
change, or when no fitted model exists. Descriptions are always written from the day's data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

from ..warehouse import Warehouse
from . import store
from .features import NEVER_DAYS, column_kind
from .phrases import COUNTS, SENIORITY, band_label, humanise

FEATURES_TABLE = "intermediate.int_lead_features_wide"

DEFAULT_CLUSTER_FEATURES = (
    "page_views_30d",
    "sessions_30d",
    "active_days_30d",
    "pricing_page_views_30d",
    "demo_page_views_30d",
    "docs_page_views_30d",
    "careers_page_views_30d",
    "form_submissions_90d",
    "demo_requests_90d",
    "trial_starts_90d",
    "webinar_registrations_90d",
    "emails_opened_90d",
    "emails_clicked_90d",
    "days_since_last_visit",
    "employee_band_order",
    "revenue_band_order",
    "seniority_rank",
    "is_business_email",
)
# Shown as "mostly X (62% vs 18%)" in descriptions; not clustered on directly.
PROFILE_CATEGORIES = (
    "seniority",
    "department",
    "industry",
    "region",
    "employee_band",
    "lead_source",
    "device_type",
)
SENIORITY_RANK = {
    "student": 0,
    "individual_contributor": 1,
    "other": 1,
    "manager": 2,
    "director": 3,
    "vp": 4,
    "c_level": 5,
}
# Features described through the composition of a category instead of a mean ("mostly VP").
DESCRIBED_BY_CATEGORY = {"employee_band_order", "revenue_band_order", "seniority_rank"}
NAME_LABELS: dict[str, tuple[str, str]] = {
    "page_views_30d": ("heavy browsers", "few page views"),
    "sessions_30d": ("frequent visitors", "rare visitors"),
    "active_days_30d": ("active on many days", "rarely active"),
    "pricing_page_views_30d": ("pricing researchers", "no pricing interest"),
    "demo_page_views_30d": ("demo-page viewers", "no demo interest"),
    "docs_page_views_30d": ("docs readers", "few docs views"),
    "careers_page_views_30d": ("careers-page visitors", "few careers views"),
    "form_submissions_90d": ("form fillers", "few forms"),
    "demo_requests_90d": ("demo requesters", "no demo requests"),
    "trial_starts_90d": ("trial starters", "no trials"),
    "webinar_registrations_90d": ("webinar registrants", "no webinars"),
    "emails_opened_90d": ("email readers", "email ignorers"),
    "emails_clicked_90d": ("email clickers", "no email clicks"),
    "days_since_last_visit": ("long inactive", "recent visitors"),
    "employee_band_order": ("large companies", "small companies"),
    "revenue_band_order": ("high-revenue companies", "low-revenue companies"),
    "seniority_rank": ("senior titles", "junior titles"),
    "is_business_email": ("business emails", "free-mail users"),
}
# Below this many standard deviations from the average lead a difference is not worth naming.
MIN_DISTINCT_Z = 0.3

LEAD_CLUSTERS = store.TableSpec(
    "ml",
    "lead_clusters",
    (("lead_id", "varchar"), ("as_of_date", "date"), ("segment_id", "varchar")),
)
CLUSTER_PROFILES = store.TableSpec(
    "ml",
    "cluster_profiles",
    (
        ("segment_id", "varchar"),
        ("as_of_date", "date"),
        ("segment_name", "varchar"),
        ("description", "varchar"),
        ("lead_count", "bigint"),
        ("profile", "varchar"),
    ),
)


@dataclass(frozen=True)
class ClusterConfig:
    k: int = 5
    random_state: int = 42
    n_init: int = 10
    features: tuple[str, ...] | None = None  # None: the defaults plus any interest_share_*
    # Where the fitted clusters are kept between runs (None: refit every run, keep nothing).
    model_dir: Path | None = None
    refit_days: int = 28

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ValueError("k must be at least 1")
        if self.refit_days < 1:
            raise ValueError("refit_days must be at least 1")

    @classmethod
    def from_env(cls, **overrides: Any) -> ClusterConfig:
        values: dict[str, Any] = {}
        if os.environ.get("LEADSEG_CLUSTER_K"):
            text = os.environ["LEADSEG_CLUSTER_K"]
            try:
                values["k"] = int(text)
            except ValueError as exc:
                raise ValueError(f"LEADSEG_CLUSTER_K={text!r} is not a whole number") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class FittedClusters:
    """What assigning a new day's leads to the same clusters needs."""

    features: tuple[str, ...]
    k: int
    random_state: int
    scaler: StandardScaler
    model: KMeans | None  # None when there is a single cluster
    segment_of: dict[int, str]
    fitted_on: dt.date

    def is_usable(self, config: ClusterConfig, features: tuple[str, ...], as_of: dt.date) -> bool:
        return (
            self.features == features
            and self.k <= config.k
            and self.random_state == config.random_state
            and self.fitted_on <= as_of < self.fitted_on + dt.timedelta(days=config.refit_days)
        )

    def assign(self, logged: pd.DataFrame) -> np.ndarray:
        if self.model is None:
            return np.zeros(len(logged), dtype=int)
        return self.model.predict(self.scaler.transform(logged))


@dataclass
class ClusterResult:
    as_of: dt.date
    k: int
    assignments: pd.DataFrame = field(repr=False)  # lead_id, segment_id
    profiles: pd.DataFrame = field(repr=False)  # segment_id, segment_name, description, ...
    features: tuple[str, ...] = ()
    message: str = ""
    fitted: FittedClusters | None = field(default=None, repr=False)
    refitted: bool = True

    def metadata(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "k": self.k,
            "leads": len(self.assignments),
            "features": list(self.features),
            "segments": {
                row.segment_id: f"{row.segment_name} ({row.lead_count})"
                for row in self.profiles.itertuples()
            },
            "refitted": self.refitted,
            "fitted_on": self.fitted.fitted_on.isoformat() if self.fitted else None,
            "message": self.message,
        }


FITTED_FILE = "clusters.joblib"


def load_fitted(model_dir: Path | None) -> FittedClusters | None:
    path = model_dir / FITTED_FILE if model_dir else None
    if path is None or not path.exists():
        return None
    try:
        fitted = joblib.load(path)
    except Exception:  # an unreadable or outdated file: refit rather than fail the run
        return None
    return fitted if isinstance(fitted, FittedClusters) else None


def save_fitted(model_dir: Path, fitted: FittedClusters) -> None:
    model_dir.mkdir(parents=True, exist_ok=True)
    tmp = model_dir / f"{FITTED_FILE}.tmp"
    joblib.dump(fitted, tmp)
    tmp.replace(model_dir / FITTED_FILE)


def run_clustering(
    wh: Warehouse, as_of: dt.date, config: ClusterConfig | None = None, *, write: bool = True
) -> ClusterResult:
    """Cluster `as_of`'s leads and replace that date's rows in the two `ml` cluster tables."""
    config = config or ClusterConfig()
    frame = store.read_frame(
        wh, f"select * from {FEATURES_TABLE} where as_of_date = ? order by lead_id", (as_of,)
    )
    previous = load_fitted(config.model_dir)
    result = cluster_leads(frame, config, as_of, previous)
    # A replay of a date before the kept model's fit never replaces it.
    replaces = previous is None or as_of >= previous.fitted_on
    if write and config.model_dir is not None and result.refitted and result.fitted and replaces:
        save_fitted(config.model_dir, result.fitted)
    if write:
        assignments = result.assignments.assign(as_of_date=as_of)
        profiles = result.profiles.assign(as_of_date=as_of)
        with store.transaction(wh):
            store.replace_rows(wh, LEAD_CLUSTERS, assignments, as_of)
            store.replace_rows(wh, CLUSTER_PROFILES, profiles, as_of)
    return result


def cluster_leads(
    frame: pd.DataFrame,
    config: ClusterConfig,
    as_of: dt.date,
    previous: FittedClusters | None = None,
) -> ClusterResult:
    """The pure part: segments and their profiles for one date's feature rows, assigned to
    `previous` clusters when those are still usable, else to freshly fitted ones."""
    frame = frame.sort_values("lead_id", kind="stable").reset_index(drop=True)
    raw = clustering_inputs(frame, config)
    empty_profiles = pd.DataFrame(
        columns=["segment_id", "segment_name", "description", "lead_count", "profile"]
    )
    if frame.empty or raw.shape[1] == 0:
        return ClusterResult(
            as_of=as_of,
            k=0,
            assignments=pd.DataFrame({"lead_id": frame["lead_id"], "segment_id": None}).iloc[:0],
            profiles=empty_profiles,
            features=tuple(raw.columns),
            message="no leads (or no usable features) to cluster",
        )
    logged = _log_scaled(raw)
    # Profiles always compare with today's average lead, whichever model assigns.
    scaled = StandardScaler().fit_transform(logged)
    features = tuple(raw.columns)
    if previous is not None and previous.is_usable(config, features, as_of):
        fitted, refitted = previous, False
        labels = fitted.assign(logged)
        k = fitted.k
    else:
        refitted = True
        scaler = StandardScaler().fit(logged)
        distinct = len(np.unique(np.round(scaled, 9), axis=0))
        k = min(config.k, len(frame), distinct)
        model = None
        if k == 1:
            labels = np.zeros(len(frame), dtype=int)
        else:
            model = KMeans(n_clusters=k, n_init=config.n_init, random_state=config.random_state)
            labels = model.fit_predict(scaled)
        fitted = FittedClusters(
            features=features,
            k=k,
            random_state=config.random_state,
            scaler=scaler,
            model=model,
            segment_of=_number_segments(labels, scaled),
            fitted_on=as_of,
        )
    segments = np.array([fitted.segment_of[label] for label in labels], dtype=object)
    zscores = pd.DataFrame(scaled, columns=raw.columns).groupby(segments).mean()
    profiles = [
        _profile(segment_id, segments == segment_id, frame, raw, zscores.loc[segment_id])
        for segment_id in sorted(set(segments), key=_segment_number)
    ]
    profile_frame = pd.DataFrame(profiles)
    profile_frame["segment_name"] = _unique_names(profile_frame["segment_name"].tolist())
    message = f"{k} segments over {len(frame):,} leads"
    if k < config.k:
        message += f" (asked for {config.k}; only {k} possible with this data)"
    if not refitted:
        message += f"; clusters fitted on {fitted.fitted_on.isoformat()}, refitted every"
        message += f" {config.refit_days} days"
    return ClusterResult(
        as_of=as_of,
        k=k,
        assignments=pd.DataFrame({"lead_id": frame["lead_id"], "segment_id": segments}),
        profiles=profile_frame,
        features=features,
        message=message,
        fitted=fitted,
        refitted=refitted,
    )


def clustering_inputs(frame: pd.DataFrame, config: ClusterConfig) -> pd.DataFrame:
    """Raw numeric inputs (NULLs filled), one column per usable clustering feature."""
    wanted = list(config.features or DEFAULT_CLUSTER_FEATURES)
    if config.features is None:
        wanted += sorted(c for c in frame.columns if c.startswith("interest_share_"))
    columns: dict[str, pd.Series] = {}
    for name in wanted:
        values = _feature_values(frame, name)
        if values is None:
            continue
        if name.startswith("days_since_"):
            fill = NEVER_DAYS
        elif name.endswith(("_7d", "_30d", "_90d")) or name.startswith("interest_share_"):
            fill = 0.0
        else:
            median = values.median(skipna=True)
            fill = 0.0 if pd.isna(median) else float(median)
        columns[name] = values.fillna(fill)
    return pd.DataFrame(columns, index=frame.index)


def _feature_values(frame: pd.DataFrame, name: str) -> pd.Series | None:
    if name == "seniority_rank":
        if "seniority" not in frame.columns:
            return None
        return frame["seniority"].map(SENIORITY_RANK).astype("float64")
    if name not in frame.columns or column_kind(frame[name]) not in ("numeric", "boolean"):
        return None
    raw = frame[name]
    present = raw.notna().to_numpy()
    values = np.full(len(raw), np.nan)
    # float() of each present value (booleans become 0.0/1.0), NULLs become NaN.
    values[present] = raw.to_numpy(dtype=object)[present].astype("float64")
    return pd.Series(values, index=frame.index, dtype="float64")


def _log_scaled(raw: pd.DataFrame) -> pd.DataFrame:
    out = raw.copy()
    for column in out.columns:
        if column in DESCRIBED_BY_CATEGORY or column.startswith(("interest_share_", "is_")):
            continue
        if (out[column] >= 0).all():
            out[column] = np.log1p(out[column])
    return out


def _number_segments(labels: np.ndarray, scaled: np.ndarray) -> dict[int, str]:
    """cluster_1 is the largest; equal sizes are ordered by centroid, never by k-means' labels."""
    keys = []
    for label in np.unique(labels):
        members = scaled[labels == label]
        centroid = tuple(np.round(members.mean(axis=0), 9))
        keys.append((-len(members), centroid, int(label)))
    return {label: f"cluster_{i}" for i, (_, _, label) in enumerate(sorted(keys), start=1)}


def _segment_number(segment_id: str) -> int:
    return int(segment_id.rsplit("_", 1)[1])


def _profile(
    segment_id: str,
    members: np.ndarray,
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    z: pd.Series,
) -> dict[str, Any]:
    size = int(members.sum())
    ranked = sorted(
        (c for c in z.index if abs(z[c]) >= MIN_DISTINCT_Z), key=lambda c: (-abs(z[c]), c)
    )
    categories = _distinct_categories(frame, members)
    name_parts = [NAME_LABELS.get(c, _generic_label(c))[0 if z[c] > 0 else 1] for c in ranked]
    name = ", ".join(name_parts[:3]) if name_parts else "typical leads"
    items = []
    for column in ranked:
        phrase = _numeric_phrase(column, raw[column][members].mean(), raw[column].mean())
        if phrase:
            items.append(phrase)
    items = items[:4] + [c["phrase"] for c in categories[:2]]
    share = size / len(frame)
    description = f"{size:,} leads ({share:.0%} of all). " + (
        "Compared with all leads: " + ", ".join(items) + "."
        if items
        else "Close to the average lead on every feature."
    )
    profile = {
        "lead_count": size,
        "share": round(share, 4),
        "distinctive_features": [
            {
                "feature": c,
                "z": round(float(z[c]), 4),
                "segment_mean": round(float(raw[c][members].mean()), 4),
                "overall_mean": round(float(raw[c].mean()), 4),
            }
            for c in ranked[:8]
        ],
        "distinctive_categories": [
            {k: v for k, v in c.items() if k != "phrase"} for c in categories[:4]
        ],
    }
    return {
        "segment_id": segment_id,
        "segment_name": name[:1].upper() + name[1:],
        "description": description,
        "lead_count": size,
        "profile": json.dumps(profile, sort_keys=True),
    }


def _numeric_phrase(column: str, segment_mean: float, overall_mean: float) -> str | None:
    if column in DESCRIBED_BY_CATEGORY:
        return None
    if column == "days_since_last_visit":
        return f"last visit {segment_mean:.0f} days ago on average (vs {overall_mean:.0f})"
    if column == "is_business_email":
        return f"{segment_mean:.0%} with a business email (vs {overall_mean:.0%})"
    if column.startswith("is_"):
        return f"{segment_mean:.0%} {humanise(column.removeprefix('is_'))} (vs {overall_mean:.0%})"
    if column.startswith("interest_share_"):
        topic = humanise(column.removeprefix("interest_share_"))
        return f"{segment_mean:.0%} of page views on {topic} (vs {overall_mean:.0%})"
    noun = _plural_noun(column)
    if overall_mean <= 0:
        return None
    if round(segment_mean, 1) == 0:
        amount = "no" if segment_mean == 0 else "almost no"
        return f"{amount} {noun} (vs {overall_mean:.1f} on average)"
    ratio = segment_mean / overall_mean
    if ratio >= 1.5:
        return f"{ratio:.1f}\u00d7 the {noun}"
    if ratio <= 0.67:
        return f"fewer {noun} ({segment_mean:.1f} vs {overall_mean:.1f})"
    return None


def _plural_noun(column: str) -> str:
    stem, _, window = column.rpartition("_")
    if window.endswith("d") and window[:-1].isdigit():
        plural = COUNTS.get(stem, ("", humanise(stem)))[1]
        return f"{plural} in {window[:-1]} days"
    return humanise(column)


def _distinct_categories(frame: pd.DataFrame, members: np.ndarray) -> list[dict[str, Any]]:
    """Category values clearly over-represented in the segment, strongest first (one per column)."""
    found = []
    for column in PROFILE_CATEGORIES:
        if column not in frame.columns:
            continue
        values = frame[column].astype(object).where(frame[column].notna(), None)
        overall = values.value_counts(normalize=True)
        inside = values[members].value_counts(normalize=True)
        best = None
        for value, share in inside.items():
            base = float(overall.get(value, 0.0))
            if share < 0.3 or share - base < 0.15 or not 0 < base < 1:
                continue
            score = (share - base) / math.sqrt(base * (1 - base))
            if best is None or (score, str(value)) > (best["score"], str(best["value"])):
                best = {"column": column, "value": value, "share": share, "base": base}
                best["score"] = score
        if best is not None:
            found.append(best)
    found.sort(key=lambda c: (-c["score"], c["column"]))
    return [
        {
            "column": c["column"],
            "value": str(c["value"]),
            "share": round(float(c["share"]), 4),
            "overall_share": round(float(c["base"]), 4),
            "phrase": _category_phrase(c["column"], c["value"], c["share"], c["base"]),
        }
        for c in found
    ]


def _category_phrase(column: str, value: Any, share: float, base: float) -> str:
    """'mostly VP titles (62% vs 18%)'."""
    amount = "mostly" if share >= 0.5 else "many"
    return f"{amount} {_category_label(column, value)} ({share:.0%} vs {base:.0%})"


def _category_label(column: str, value: Any) -> str:
    text = str(value)
    if column == "seniority":
        return SENIORITY.get(text, humanise(text) + " title").replace("title", "titles")
    if column == "employee_band":
        return f"companies of {band_label(text)} employees"
    if column == "department":
        return f"in {text.upper() if text in ('it', 'hr') else humanise(text)}"
    if column == "region":
        return f"in {text}"
    if column == "lead_source":
        return f"from {text}"
    if column == "device_type":
        return f"on {text}"
    return text


def _generic_label(column: str) -> tuple[str, str]:
    if column.startswith("interest_share_"):
        topic = humanise(column.removeprefix("interest_share_"))
        return f"{topic}-focused", f"little {topic} interest"
    return f"high {humanise(column)}", f"low {humanise(column)}"


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
