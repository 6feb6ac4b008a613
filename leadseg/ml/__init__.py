"""Machine-learning steps on top of the dbt warehouse: the predictive score and personas.

The Dagster assets call `run_conversion_model` and `run_clustering`; both read the
point-in-time feature tables dbt builds and write to the `ml` schema.
"""

from .clustering import ClusterConfig, ClusterResult, run_clustering
from .predictive import ModelConfig, ModelResult, run_conversion_model

__all__ = [
    "ClusterConfig",
    "ClusterResult",
    "ModelConfig",
    "ModelResult",
    "run_clustering",
    "run_conversion_model",
]
