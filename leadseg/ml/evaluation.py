"""How good a conversion score is on held-out leads: ranking, top-decile lift, calibration."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

CALIBRATION_BINS = 10


@dataclass(frozen=True)
class Evaluation:
    roc_auc: float | None
    precision_top_decile: float | None
    lift_top_decile: float | None
    brier_score: float | None
    base_rate: float | None
    calibration: pd.DataFrame = field(repr=False)

    def metrics(self) -> dict[str, float | None]:
        return {
            "roc_auc": self.roc_auc,
            "precision_top_decile": self.precision_top_decile,
            "lift_top_decile": self.lift_top_decile,
            "brier_score": self.brier_score,
            "base_rate": self.base_rate,
        }


def auc_or_none(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """ROC AUC, or None when it is undefined (one class only, or no usable scores)."""
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    usable = ~np.isnan(scores)
    if usable.sum() == 0 or len(np.unique(labels[usable])) < 2:
        return None
    return float(roc_auc_score(labels[usable], scores[usable]))


def precision_at_top(labels: np.ndarray, scores: np.ndarray, share: float = 0.1) -> float | None:
    """The conversion rate among the top `share` of leads by score (ties broken by position)."""
    labels = np.asarray(labels, dtype=float)
    if len(labels) == 0:
        return None
    top = max(1, math.ceil(len(labels) * share))
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    return float(labels[order[:top]].mean())


def calibration_table(labels: np.ndarray, probabilities: np.ndarray) -> pd.DataFrame:
    """Ten equal-count bins by predicted probability: mean prediction vs observed rate."""
    labels = np.asarray(labels, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    n = len(labels)
    order = np.argsort(probabilities, kind="stable")
    bins = np.empty(n, dtype=int)
    bins[order] = np.arange(n) * CALIBRATION_BINS // max(n, 1) + 1
    frame = pd.DataFrame({"bin": bins, "p": probabilities, "y": labels})
    table = (
        frame.groupby("bin", sort=True)
        .agg(lead_count=("y", "size"), mean_predicted=("p", "mean"), observed_rate=("y", "mean"))
        .reset_index()
    )
    return table.astype({"bin": "int64", "lead_count": "int64"})


def evaluate(labels: np.ndarray, probabilities: np.ndarray) -> Evaluation:
    labels = np.asarray(labels, dtype=int)
    probabilities = np.asarray(probabilities, dtype=float)
    if len(labels) == 0:
        return Evaluation(None, None, None, None, None, calibration_table(labels, probabilities))
    base_rate = float(labels.mean())
    precision = precision_at_top(labels, probabilities)
    lift = precision / base_rate if precision is not None and base_rate > 0 else None
    return Evaluation(
        roc_auc=auc_or_none(labels, probabilities),
        precision_top_decile=precision,
        lift_top_decile=lift,
        brier_score=float(np.mean((probabilities - labels) ** 2)),
        base_rate=base_rate,
        calibration=calibration_table(labels, probabilities),
    )
