"""The predictive lead score: a conversion model trained on point-in-time feature snapshots.

Training uses only snapshots whose outcome is known (`is_label_complete`) and splits them by
time: the latest complete snapshot date(s) evaluate a model trained on the earlier ones, as a
model in production only ever predicts dates after the ones it learned from. A model is
published only if it had enough conversions to learn from and clears the AUC floor; otherwise
the previously published model keeps scoring (and the rule score runs regardless).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ..config import PROJECT_DIR
from ..warehouse import Warehouse
from . import registry, store
from .evaluation import Evaluation, auc_or_none, evaluate, precision_at_top
from .features import FeatureSpec, combine_category_name, infer_feature_spec, prepare
from .features import source_feature as _source_feature
from .phrases import describe

TARGET = "converted_within_horizon"
LABEL = "is_converted_within_horizon"
FEATURES_TABLE = "intermediate.int_lead_features_wide"
LABELS_TABLE = "intermediate.int_lead_conversion_labels"
RULE_SCORES = ("intermediate", "int_lead_rule_scores")

PUBLISHED = "published"
REFUSED_TOO_FEW_CONVERSIONS = "refused_too_few_conversions"
REFUSED_BELOW_AUC_FLOOR = "refused_below_auc_floor"
# Not enough complete snapshot dates to hold the latest one(s) out for evaluation.
REFUSED_TOO_LITTLE_HISTORY = "refused_too_little_history"
# The evaluation snapshots hold a single class, so AUC is undefined and the floor can't be checked.
REFUSED_CANNOT_EVALUATE = "refused_cannot_evaluate"

UP, DOWN = "+", "\u2212"  # a real minus sign reads better than a hyphen in the CRM
# Contributions smaller than this (in log-odds) are noise, not a reason worth a salesperson's time.
MIN_REASON_WEIGHT = 0.05
_WINDOWED = re.compile(r"^(?P<stem>.+)_\d+d$")

PREDICTIONS = store.TableSpec(
    "ml",
    "lead_predictions",
    (
        ("lead_id", "varchar"),
        ("as_of_date", "date"),
        ("conversion_probability", "double precision"),
        ("score_reasons", "varchar"),
        ("model_version", "varchar"),
    ),
)
EVALUATIONS = store.TableSpec(
    "ml",
    "model_evaluations",
    (
        ("model_version", "varchar"),
        ("as_of_date", "date"),
        ("trained_at", "timestamp"),
        ("target", "varchar"),
        ("status", "varchar"),
        ("message", "varchar"),
        ("train_rows", "bigint"),
        ("eval_rows", "bigint"),
        ("train_conversions", "bigint"),
        ("eval_conversions", "bigint"),
        ("roc_auc", "double precision"),
        ("rule_score_auc", "double precision"),
        ("precision_top_decile", "double precision"),
        ("lift_top_decile", "double precision"),
        ("brier_score", "double precision"),
        ("is_published", "boolean"),
    ),
)
CALIBRATION = store.TableSpec(
    "ml",
    "model_calibration",
    (
        ("model_version", "varchar"),
        ("as_of_date", "date"),
        ("bin", "integer"),
        ("lead_count", "bigint"),
        ("mean_predicted", "double precision"),
        ("observed_rate", "double precision"),
    ),
)


@dataclass(frozen=True)
class ModelConfig:
    model_dir: Path
    min_conversions: int = 100
    auc_floor: float = 0.6
    eval_snapshots: int = 1
    random_state: int = 42
    # Strong L2 regularisation: conversions are rare (a few dozen to a few hundred), and a
    # weakly regularised fit gives near-certain probabilities to a handful of leads.
    regularisation_c: float = 0.1
    class_weight: str | None = None
    min_category_count: int = 10
    max_reasons_up: int = 3
    max_reasons_down: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "model_dir", Path(self.model_dir).expanduser().resolve())
        if self.min_conversions < 1:
            raise ValueError("min_conversions must be at least 1")
        if not 0.0 <= self.auc_floor <= 1.0:
            raise ValueError(f"auc_floor must be between 0 and 1, not {self.auc_floor}")
        if self.eval_snapshots < 1:
            raise ValueError("eval_snapshots must be at least 1")

    @classmethod
    def from_env(cls, model_dir: Path | None = None, **overrides: Any) -> ModelConfig:
        """Defaults, then LEADSEG_MODEL_* variables, then explicit keyword overrides."""
        env = os.environ
        values: dict[str, Any] = {}
        if env.get("LEADSEG_MODEL_MIN_CONVERSIONS"):
            values["min_conversions"] = _env_number("LEADSEG_MODEL_MIN_CONVERSIONS", int)
        if env.get("LEADSEG_MODEL_AUC_FLOOR"):
            values["auc_floor"] = _env_number("LEADSEG_MODEL_AUC_FLOOR", float)
        if model_dir is None:
            model_dir = Path(env.get("LEADSEG_MODEL_DIR") or PROJECT_DIR / "data" / "models")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(model_dir=model_dir, **values)

    def model_params(self) -> dict[str, Any]:
        """The settings that change the fitted model (and so go into its version hash)."""
        return {
            "random_state": self.random_state,
            "regularisation_c": self.regularisation_c,
            "class_weight": self.class_weight,
            "min_category_count": self.min_category_count,
            "eval_snapshots": self.eval_snapshots,
        }


def _env_number(name: str, kind: type) -> Any:
    text = os.environ[name]
    try:
        return kind(text)
    except ValueError as exc:
        raise ValueError(f"{name}={text!r} is not a valid {kind.__name__}") from exc


@dataclass
class ModelResult:
    """What one run did, for the Dagster asset's log and metadata."""

    as_of: dt.date
    status: str
    message: str
    version: str | None  # the candidate trained in this run (None when none was trained)
    serving_version: str | None  # the model whose predictions were written for as_of
    is_published: bool
    metrics: dict[str, float | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    train_dates: tuple[dt.date, ...] = ()
    eval_dates: tuple[dt.date, ...] = ()
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def refused(self) -> bool:
        return self.status != PUBLISHED

    def metadata(self) -> dict[str, Any]:
        """JSON-friendly summary (dates as ISO strings, None kept)."""
        return {
            "as_of": self.as_of.isoformat(),
            "status": self.status,
            "message": self.message,
            "version": self.version,
            "serving_version": self.serving_version,
            "is_published": self.is_published,
            **{k: (None if v is None else round(float(v), 4)) for k, v in self.metrics.items()},
            **self.counts,
            "train_dates": [d.isoformat() for d in self.train_dates],
            "eval_dates": [d.isoformat() for d in self.eval_dates],
        }


@dataclass(frozen=True)
class TimeSplit:
    train: pd.DataFrame
    evaluation: pd.DataFrame
    train_dates: tuple[dt.date, ...]
    eval_dates: tuple[dt.date, ...]


def load_labelled_snapshots(wh: Warehouse, as_of: dt.date) -> pd.DataFrame:
    """Feature rows with a known outcome, from snapshots up to `as_of` (never later ones)."""
    frame = store.read_frame(
        wh,
        f"select f.*, l.{LABEL} from {FEATURES_TABLE} f"
        f" join {LABELS_TABLE} l on l.lead_id = f.lead_id and l.as_of_date = f.as_of_date"
        " where l.is_label_complete and f.as_of_date <= ?"
        " order by f.as_of_date, f.lead_id",
        (as_of,),
    )
    frame = frame[frame[LABEL].notna()].copy()
    frame[LABEL] = frame[LABEL].astype(bool)
    return frame.reset_index(drop=True)


def load_current_leads(wh: Warehouse, as_of: dt.date) -> pd.DataFrame:
    return store.read_frame(
        wh, f"select * from {FEATURES_TABLE} where as_of_date = ? order by lead_id", (as_of,)
    )


def split_by_time(frame: pd.DataFrame, eval_snapshots: int) -> TimeSplit | None:
    """Latest `eval_snapshots` dates evaluate, earlier ones train; None if too few dates."""
    dates = sorted(set(frame["as_of_date"]))
    if len(dates) <= eval_snapshots:
        return None
    train_dates, eval_dates = dates[:-eval_snapshots], dates[-eval_snapshots:]
    is_eval = frame["as_of_date"].isin(eval_dates)
    return TimeSplit(
        train=frame[~is_eval].reset_index(drop=True),
        evaluation=frame[is_eval].reset_index(drop=True),
        train_dates=tuple(train_dates),
        eval_dates=tuple(eval_dates),
    )


def build_pipeline(spec: FeatureSpec, config: ModelConfig) -> Pipeline:
    transformers: list[tuple[str, Any, list[str]]] = []
    if spec.passthrough_columns:
        transformers.append(("num", "passthrough", spec.passthrough_columns))
    if spec.categorical:
        encoder = OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            min_frequency=config.min_category_count,
            sparse_output=False,
            feature_name_combiner=combine_category_name,
        )
        transformers.append(("cat", encoder, list(spec.categorical)))
    return Pipeline(
        [
            ("columns", ColumnTransformer(transformers)),
            ("scale", StandardScaler()),
            (
                "model",
                LogisticRegression(
                    C=config.regularisation_c,
                    class_weight=config.class_weight,
                    max_iter=5000,
                    random_state=config.random_state,
                ),
            ),
        ]
    )


def train(frame: pd.DataFrame, config: ModelConfig) -> tuple[Pipeline, FeatureSpec]:
    spec = infer_feature_spec(frame.drop(columns=[LABEL]))
    pipeline = build_pipeline(spec, config)
    pipeline.fit(prepare(frame, spec), frame[LABEL].astype(int).to_numpy())
    return pipeline, spec


def predict(pipeline: Pipeline, spec: FeatureSpec, frame: pd.DataFrame) -> np.ndarray:
    return pipeline.predict_proba(prepare(frame, spec))[:, 1]


def contributions(pipeline: Pipeline, spec: FeatureSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Per lead and raw feature: its push on the log-odds relative to the average lead.

    With standardised inputs, coefficient x value is exactly the term the model adds; the
    one-hot levels and missing flags of one raw column are summed into that column.
    """
    preprocess = pipeline[:-1]
    values = preprocess.transform(prepare(frame, spec))
    terms = values * pipeline[-1].coef_[0]
    sources = [_source_feature(n) for n in preprocess.get_feature_names_out()]
    per_column = pd.DataFrame(terms, index=frame.index, columns=sources)
    return per_column.T.groupby(level=0, sort=True).sum().T


def score_reasons(
    pipeline: Pipeline, spec: FeatureSpec, frame: pd.DataFrame, config: ModelConfig
) -> list[str]:
    """'+ VP title; + 4 pricing page views in 30 days; − free-mail address' per lead.

    The 7/30/90-day windows of one count are strongly correlated, so the model often gives
    them opposite signs; listing "+ 1 bounced email in 30 days; − 4 bounced emails in 90
    days" would confuse. Each family of windows counts as one reason (their net push), told
    through the window that pushed hardest in that direction.
    """
    chosen = reason_columns(contributions(pipeline, spec, frame), config)
    rows = _Rows(frame)
    reasons = []
    for lead, (ups, downs) in enumerate(chosen):
        row = rows.row(lead)
        parts = [f"{UP} {describe(column, row)}" for column in ups]
        parts += [f"{DOWN} {describe(column, row)}" for column in downs]
        reasons.append("; ".join(parts))
    return reasons


def reason_columns(terms: pd.DataFrame, config: ModelConfig) -> list[tuple[list[str], list[str]]]:
    """Per lead, the columns that tell its reasons: (pushing up, pushing down), strongest first.

    A family counts when its net push exceeds MIN_REASON_WEIGHT either way; ties on the net
    go to the strongest column's name (in Python's string order). Computed for all leads at
    once: the family loop runs over the columns, never over the leads.
    """
    columns = list(terms.columns)
    families: dict[str, list[int]] = {}
    for position, column in enumerate(columns):
        families.setdefault(reason_family(column), []).append(position)
    net, strongest = _family_pushes(terms.to_numpy(), columns, list(families.values()))
    name_rank = np.empty(len(columns), dtype=np.int64)
    name_rank[sorted(range(len(columns)), key=columns.__getitem__)] = np.arange(len(columns))
    ranks = name_rank[strongest]
    ups = _top_pushes(-net, net > MIN_REASON_WEIGHT, ranks, config.max_reasons_up)
    downs = _top_pushes(net, net < -MIN_REASON_WEIGHT, ranks, config.max_reasons_down)
    names = np.array(columns, dtype=object)
    return [
        (names[strongest[lead, up]].tolist(), names[strongest[lead, down]].tolist())
        for lead, (up, down) in enumerate(zip(ups, downs, strict=True))
    ]


def _family_pushes(
    weights: np.ndarray, columns: list[str], families: list[list[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """(net push, position of the strongest column) per lead and family.

    The net adds the members' weights in column order. The strongest member is the largest
    (weight, column name) when the net is positive, the smallest otherwise: ties on the
    weight go to the later name for a push up, to the earlier name for a push down.
    """
    leads = weights.shape[0]
    net = np.zeros((leads, len(families)))
    strongest = np.zeros((leads, len(families)), dtype=np.int64)
    for f, members in enumerate(families):
        by_name = sorted(members, key=columns.__getitem__)
        total = np.zeros(leads)
        for member in members:
            total = total + weights[:, member]
        high = np.full(leads, by_name[0])
        low = np.full(leads, by_name[0])
        high_weight = weights[:, by_name[0]].copy()
        low_weight = high_weight.copy()
        for member in by_name[1:]:
            w = weights[:, member]
            is_higher = w >= high_weight  # equal weight: the later name is the larger tuple
            high[is_higher], high_weight[is_higher] = member, w[is_higher]
            is_lower = w < low_weight  # equal weight: the earlier name stays the smaller
            low[is_lower], low_weight[is_lower] = member, w[is_lower]
        net[:, f] = total
        strongest[:, f] = np.where(total > 0, high, low)
    return net, strongest


def _top_pushes(
    keys: np.ndarray, eligible: np.ndarray, ranks: np.ndarray, limit: int
) -> list[np.ndarray]:
    """Per lead, the eligible families ordered by (key, name rank), sliced `[:limit]`."""
    order = np.lexsort((ranks, keys, ~eligible), axis=1)  # eligible first
    chosen = np.take_along_axis(eligible, order, axis=1)
    return [
        row_order[row_chosen][:limit] for row_order, row_chosen in zip(order, chosen, strict=True)
    ]


class _Rows:
    """A frame read lead by lead, with the values `to_dict("records")` would give (Python
    scalars), converting only the columns the phrases actually read."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._values: dict[str, list[Any]] = {}

    def row(self, position: int) -> _Row:
        return _Row(self, position)

    def value(self, column: str, position: int) -> Any:
        values = self._values.get(column)
        if values is None:
            if column not in self.frame.columns:
                raise KeyError(column)
            values = self.frame[column].to_frame().to_dict("list")[column]
            self._values[column] = values
        return values[position]


class _Row(Mapping[str, Any]):
    """One lead's raw values by column name (what `describe` reads)."""

    __slots__ = ("_position", "_rows")

    def __init__(self, rows: _Rows, position: int) -> None:
        self._rows, self._position = rows, position

    def __getitem__(self, column: str) -> Any:
        return self._rows.value(column, self._position)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows.frame.columns)

    def __len__(self) -> int:
        return len(self._rows.frame.columns)


def reason_family(column: str) -> str:
    """'emails_bounced_30d' and 'emails_bounced_90d' -> 'emails_bounced'; others unchanged."""
    match = _WINDOWED.match(column)
    if match and match["stem"] != "page_views_prev":
        return match["stem"]
    return column


def model_version(as_of: dt.date, train_frame: pd.DataFrame, config: ModelConfig) -> str:
    """`conv-<as_of>-<hash>`: the same training rows and settings give the same version."""
    ordered = train_frame.sort_values(["as_of_date", "lead_id"]).reset_index(drop=True)
    ordered = ordered[sorted(ordered.columns)].astype(str)
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
    digest.update(json.dumps(config.model_params(), sort_keys=True).encode())
    digest.update(",".join(ordered.columns).encode())
    return f"conv-{as_of.isoformat()}-{digest.hexdigest()[:10]}"


def rule_score_auc(wh: Warehouse, evaluation: pd.DataFrame) -> tuple[float | None, float | None]:
    """(AUC, top-decile precision) of the rule score on the same evaluation rows, if it exists."""
    if evaluation.empty or not wh.table_exists(*RULE_SCORES):
        return None, None
    dates = sorted(set(evaluation["as_of_date"]))
    rules = store.read_frame(
        wh,
        f"select lead_id, as_of_date, lead_score from {'.'.join(RULE_SCORES)}"
        " where as_of_date >= ? and as_of_date <= ?",
        (dates[0], dates[-1]),
    )
    merged = evaluation[["lead_id", "as_of_date", LABEL]].merge(
        rules, on=["lead_id", "as_of_date"], how="left"
    )
    scores = pd.to_numeric(merged["lead_score"], errors="coerce").to_numpy(dtype=float)
    labels = merged[LABEL].astype(int).to_numpy()
    auc = auc_or_none(labels, scores)
    if auc is None:
        return None, None
    usable = ~np.isnan(scores)
    return auc, precision_at_top(labels[usable], scores[usable])


def run_conversion_model(
    wh: Warehouse, as_of: dt.date, config: ModelConfig, *, write: bool = True
) -> ModelResult:
    """Train, evaluate, maybe publish, score `as_of`'s leads and write the `ml` tables.

    `wh` must be writable (DuckDB opened with read_only=False) unless `write` is False.
    """
    result = ModelResult(
        as_of=as_of, status="", message="", version=None, serving_version=None, is_published=False
    )
    has_labels = wh.table_exists(*LABELS_TABLE.split("."))
    labelled = load_labelled_snapshots(wh, as_of) if has_labels else pd.DataFrame()
    split = split_by_time(labelled, config.eval_snapshots) if has_labels else None
    counts: dict[str, int] = {"labelled_rows": len(labelled)}
    candidate: tuple[Pipeline, FeatureSpec] | None = None

    if not has_labels:
        result.status = REFUSED_TOO_LITTLE_HISTORY
        result.message = (
            f"not training: {LABELS_TABLE} does not exist yet, so no outcomes are known. "
            "The rule score still runs."
        )
    elif split is None:
        dates = sorted(set(labelled["as_of_date"])) if len(labelled) else []
        result.status = REFUSED_TOO_LITTLE_HISTORY
        result.message = (
            f"not training: {len(dates)} snapshot date(s) with a known outcome, but "
            f"{config.eval_snapshots + 1} are needed (earlier ones to train, the latest "
            f"{config.eval_snapshots} to evaluate). The rule score still runs."
        )
    else:
        result.train_dates, result.eval_dates = split.train_dates, split.eval_dates
        counts |= _split_counts(split)
        candidate, evaluation = _train_and_evaluate(wh, as_of, split, config, result, counts)
        if evaluation is not None:
            result.calibration = evaluation.calibration
    result.counts = counts

    current = load_current_leads(wh, as_of)
    predictions = _score_current(current, as_of, config, result, candidate)
    counts["scored_leads"] = len(predictions)
    if write:
        write_results(wh, result, predictions)
    return result


def _split_counts(split: TimeSplit) -> dict[str, int]:
    return {
        "train_rows": len(split.train),
        "eval_rows": len(split.evaluation),
        "train_conversions": int(split.train[LABEL].sum()),
        "eval_conversions": int(split.evaluation[LABEL].sum()),
    }


def _train_and_evaluate(
    wh: Warehouse,
    as_of: dt.date,
    split: TimeSplit,
    config: ModelConfig,
    result: ModelResult,
    counts: dict[str, int],
) -> tuple[tuple[Pipeline, FeatureSpec] | None, Evaluation | None]:
    conversions = counts["train_conversions"]
    train_span = _span(split.train_dates)
    if conversions < config.min_conversions:
        result.status = REFUSED_TOO_FEW_CONVERSIONS
        result.message = (
            f"not training: only {conversions} conversions in the training snapshots "
            f"({train_span}), at least {config.min_conversions} are needed. "
            "The rule score still runs."
        )
        return None, None
    if conversions == counts["train_rows"]:
        result.status = REFUSED_TOO_FEW_CONVERSIONS
        result.message = (
            f"not training: every one of the {conversions} training leads ({train_span}) "
            "converted, so there is nothing to tell apart. The rule score still runs."
        )
        return None, None

    pipeline, spec = train(split.train, config)
    version = model_version(as_of, split.train, config)
    result.version = version
    labels = split.evaluation[LABEL].astype(int).to_numpy()
    evaluation = evaluate(labels, predict(pipeline, spec, split.evaluation))
    rule_auc, rule_precision = rule_score_auc(wh, split.evaluation)
    result.metrics = {
        **evaluation.metrics(),
        "rule_score_auc": rule_auc,
        "rule_precision_top_decile": rule_precision,
    }
    bundle = {
        "pipeline": pipeline,
        "spec": spec,
        "version": version,
        "as_of_date": as_of.isoformat(),
        "metrics": result.metrics,
        "counts": dict(counts),
        "train_dates": [d.isoformat() for d in split.train_dates],
        "eval_dates": [d.isoformat() for d in split.eval_dates],
        "config": config.model_params(),
        "sklearn_version": sklearn.__version__,
    }
    auc = evaluation.roc_auc
    summary = _metrics_sentence(result.metrics, split)
    if auc is None:
        registry.save_bundle(config.model_dir, version, bundle, rejected=True)
        result.status = REFUSED_CANNOT_EVALUATE
        result.message = (
            f"not publishing {version}: the evaluation snapshots ({_span(split.eval_dates)}) "
            "hold only one outcome, so AUC is undefined. The rule score still runs."
        )
        return None, evaluation
    if auc < config.auc_floor:
        registry.save_bundle(config.model_dir, version, bundle, rejected=True)
        result.status = REFUSED_BELOW_AUC_FLOOR
        result.message = (
            f"not publishing {version}: ROC AUC {auc:.3f} is below the floor "
            f"{config.auc_floor:.3f} ({summary}). The rule score still runs."
        )
        return None, evaluation

    registry.save_bundle(config.model_dir, version, bundle, rejected=False)
    registry.publish(
        config.model_dir,
        version,
        {
            "as_of_date": as_of.isoformat(),
            "metrics": result.metrics,
            "counts": dict(counts),
            "published_at": _now().isoformat(),
        },
    )
    result.status = PUBLISHED
    result.is_published = True
    result.message = f"published {version}: {summary}"
    return (pipeline, spec), evaluation


def _score_current(
    current: pd.DataFrame,
    as_of: dt.date,
    config: ModelConfig,
    result: ModelResult,
    candidate: tuple[Pipeline, FeatureSpec] | None,
) -> pd.DataFrame:
    """Predictions for `as_of` from the new model, else the previously published one."""
    empty = pd.DataFrame(columns=PREDICTIONS.column_names)
    if candidate is not None:
        pipeline, spec = candidate
        result.serving_version = result.version
    else:
        try:
            previous = registry.load_published(config.model_dir)
        except Exception as exc:  # a broken or incompatible file must not stop the rule score
            result.message += f" The published model could not be loaded ({exc}); no predictions."
            return empty
        if previous is None:
            result.message += " No model was ever published, so no predictions for this date."
            return empty
        trained_for = dt.date.fromisoformat(str(previous.pointer.get("as_of_date", "0001-01-01")))
        if trained_for > as_of:
            # Serving a model trained on later snapshots to an earlier date would leak the future.
            result.message += (
                f" The published model {previous.version} was trained for {trained_for}, after "
                f"{as_of}, so it is not used; no predictions for this date."
            )
            return empty
        pipeline, spec = previous.bundle["pipeline"], previous.bundle["spec"]
        result.serving_version = previous.version
        result.message += f" Predictions come from the previously published {previous.version}."
    if current.empty:
        return empty
    return pd.DataFrame(
        {
            "lead_id": current["lead_id"].to_numpy(),
            "as_of_date": as_of,
            "conversion_probability": predict(pipeline, spec, current),
            "score_reasons": score_reasons(pipeline, spec, current, config),
            "model_version": result.serving_version,
        }
    )


def write_results(wh: Warehouse, result: ModelResult, predictions: pd.DataFrame) -> None:
    """Replace `as_of`'s rows in the three `ml` tables in one transaction."""
    metrics, counts = result.metrics, result.counts
    evaluation_row = pd.DataFrame(
        [
            {
                "model_version": result.version,
                "as_of_date": result.as_of,
                "trained_at": _now(),
                "target": TARGET,
                "status": result.status,
                "message": result.message,
                "train_rows": counts.get("train_rows"),
                "eval_rows": counts.get("eval_rows"),
                "train_conversions": counts.get("train_conversions"),
                "eval_conversions": counts.get("eval_conversions"),
                "roc_auc": metrics.get("roc_auc"),
                "rule_score_auc": metrics.get("rule_score_auc"),
                "precision_top_decile": metrics.get("precision_top_decile"),
                "lift_top_decile": metrics.get("lift_top_decile"),
                "brier_score": metrics.get("brier_score"),
                "is_published": result.is_published,
            }
        ]
    )
    calibration = result.calibration.copy()
    if calibration.empty:
        calibration = pd.DataFrame(columns=CALIBRATION.column_names)
    else:
        calibration["model_version"] = result.version
        calibration["as_of_date"] = result.as_of
    with store.transaction(wh):
        store.replace_rows(wh, PREDICTIONS, predictions, result.as_of)
        store.replace_rows(wh, EVALUATIONS, evaluation_row, result.as_of)
        store.replace_rows(wh, CALIBRATION, calibration, result.as_of)


def _metrics_sentence(metrics: dict[str, float | None], split: TimeSplit) -> str:
    def fmt(value: float | None, pattern: str = "{:.3f}") -> str:
        return "n/a" if value is None else pattern.format(value)

    return (
        f"ROC AUC {fmt(metrics.get('roc_auc'))} vs rule score "
        f"{fmt(metrics.get('rule_score_auc'))}, top-decile lift "
        f"{fmt(metrics.get('lift_top_decile'), '{:.2f}')}x on {len(split.evaluation):,} leads "
        f"of {_span(split.eval_dates)}; trained on {len(split.train):,} rows of "
        f"{_span(split.train_dates)} with {int(split.train[LABEL].sum()):,} conversions"
    )


def _span(dates: tuple[dt.date, ...] | list[dt.date]) -> str:
    if not dates:
        return "no dates"
    first, last = min(dates), max(dates)
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
