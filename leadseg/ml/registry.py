"""Model files on disk: versioned `.joblib` bundles and the `published.json` pointer.

Only a model that passed its evaluation is named in `published.json`; rejected candidates
are kept under `rejected/` for inspection and never served.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib

POINTER = "published.json"
REJECTED_DIR = "rejected"


@dataclass(frozen=True)
class PublishedModel:
    version: str
    bundle: dict[str, Any]
    pointer: dict[str, Any]


def save_bundle(model_dir: Path, version: str, bundle: dict[str, Any], *, rejected: bool) -> Path:
    folder = model_dir / REJECTED_DIR if rejected else model_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{version}.joblib"
    tmp = path.with_suffix(".joblib.tmp")
    joblib.dump(bundle, tmp)
    os.replace(tmp, path)
    return path


def publish(model_dir: Path, version: str, pointer: dict[str, Any]) -> None:
    """Point `published.json` at `version`; written atomically so a reader never sees half."""
    model_dir.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"version": version, **pointer}, indent=2, sort_keys=True, default=str)
    fd, tmp = tempfile.mkstemp(dir=model_dir, prefix=".published-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(body + "\n")
    os.replace(tmp, model_dir / POINTER)


def read_pointer(model_dir: Path) -> dict[str, Any] | None:
    path = model_dir / POINTER
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def load_published(model_dir: Path) -> PublishedModel | None:
    """The currently published model, or None when nothing was ever published."""
    pointer = read_pointer(model_dir)
    if pointer is None:
        return None
    version = pointer["version"]
    path = model_dir / f"{version}.joblib"
    if not path.exists():
        raise FileNotFoundError(f"{model_dir / POINTER} names {version}, but {path} is missing")
    return PublishedModel(version=version, bundle=joblib.load(path), pointer=pointer)
