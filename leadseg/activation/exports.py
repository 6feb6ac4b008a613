"""Segment exports: the audience files an email tool or an ad platform loads.

For each (destination, segment) in ``activation.fct_segment_activation`` this writes, under
``export_dir/<destination>/<segment_id>/``:

- ``<segment_id>__<as_of>.csv``: the full audience, sorted by lead_id.
  email: ``lead_id,email,email_sha256,lead_score,grade,conversion_probability``;
  ads:   ``lead_id,email_sha256,lead_score,grade`` (never a plain address).
- ``<segment_id>__<as_of>__delta.csv``: ``lead_id,email_sha256,change`` where change is
  ``entered`` or ``exited`` against the previous export to the same destination
  (see ``state.py``); sorted by change (entered first), then lead_id.

The mart already applies the rules, but a wrong row here would reach a customer, so each
row is checked again, and the first rule it fails decides which counter it lands in:

1. holdout (``is_holdout`` true or NULL, or inside ``holdout_share`` when given): withheld
   from every destination, so the control group stays untouched;
2. email only: opted out of email, or consent unknown (NULL): dropped;
3. no usable email (email destination) or no usable hash (ads): dropped.

Each audience's files are renamed into place whole, and its state is saved only after them.
Every state is checked before anything is written, so a refused as_of writes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..warehouse import Warehouse
from .atomic import write_csv_atomic
from .hashing import email_sha256, is_holdout
from .state import AudienceState, ExportRecord, load_state

EMAIL = "email"  # owned channel: our email tool, gets plain addresses
ADS = "ads"  # paid customer-match audiences, get hashes only
DESTINATIONS = (EMAIL, ADS)

AUDIENCE_COLUMNS = {
    EMAIL: ["lead_id", "email", "email_sha256", "lead_score", "grade", "conversion_probability"],
    ADS: ["lead_id", "email_sha256", "lead_score", "grade"],
}
DELTA_COLUMNS = ["lead_id", "email_sha256", "change"]
ENTERED, EXITED = "entered", "exited"

# one share for every segment, or a share per segment_id (segments not named: none)
HoldoutShare = float | Mapping[str, float] | None

MART = "activation.fct_segment_activation"
REQUIRED_COLUMNS = (
    "segment_id",
    "destination",
    "lead_id",
    "email",
    "email_sha256",
    "has_opted_out_of_email",
    "is_holdout",
    "lead_score",
    "grade",
)
OPTIONAL_COLUMNS = ("segment_name", "conversion_probability", "as_of_date")
MART_COLUMNS = (
    "segment_id",
    "segment_name",
    "destination",
    "lead_id",
    "email",
    "email_sha256",
    "has_opted_out_of_email",
    "is_holdout",
    "lead_score",
    "grade",
    "conversion_probability",
    "as_of_date",
)

# segment ids become directory and file names
_SAFE_SEGMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


@dataclass(frozen=True)
class ExportSummary:
    """What one export did for one (destination, segment): logged and put in asset metadata."""

    destination: str
    segment_id: str
    segment_name: str | None
    as_of: dt.date
    previous_as_of: dt.date | None  # the export the delta is against; None on the first
    rows_exported: int
    holdouts_withheld: int
    opted_out_dropped: int
    no_email_dropped: int
    entered: int
    exited: int
    audience_path: Path
    delta_path: Path
    state_path: Path

    def as_metadata(self) -> dict[str, str | int | None]:
        """Plain JSON values, ready for Dagster's ``MaterializeResult(metadata=...)``."""
        return {
            "destination": self.destination,
            "segment_id": self.segment_id,
            "segment_name": self.segment_name,
            "as_of": self.as_of.isoformat(),
            "previous_as_of": self.previous_as_of.isoformat() if self.previous_as_of else None,
            "rows_exported": self.rows_exported,
            "holdouts_withheld": self.holdouts_withheld,
            "opted_out_dropped": self.opted_out_dropped,
            "no_email_dropped": self.no_email_dropped,
            "entered": self.entered,
            "exited": self.exited,
            "audience_path": str(self.audience_path),
            "delta_path": str(self.delta_path),
            "state_path": str(self.state_path),
        }

    def describe(self) -> str:
        return (
            f"{self.destination}/{self.segment_id} as of {self.as_of}: "
            f"{self.rows_exported} exported, {self.holdouts_withheld} held out, "
            f"{self.opted_out_dropped} opted out, {self.no_email_dropped} without email; "
            f"+{self.entered} -{self.exited} since {self.previous_as_of or 'nothing'}"
        )


@dataclass
class _Audience:
    """The rows of one (destination, segment) after the rules, and what the rules removed."""

    destination: str
    segment_id: str
    segment_name: str | None
    lines: dict[str, list[str]]  # lead_id -> audience file cells
    members: dict[str, str]  # lead_id -> email_sha256 of everyone exported
    seen: set[str]  # every lead of the mart, exported or not, to catch duplicate rows
    holdouts_withheld: int = 0
    opted_out_dropped: int = 0
    no_email_dropped: int = 0


def export_segments(
    rows: pd.DataFrame,
    export_dir: Path,
    as_of: dt.date,
    *,
    holdout_share: HoldoutShare = None,
    drop_opted_out_from_ads: bool = False,
    also_export: Iterable[tuple[str, str]] = (),
) -> list[ExportSummary]:
    """Write the audience and delta files for every (destination, segment) in ``rows``.

    ``rows`` has the columns of ``activation.fct_segment_activation``. Options:

    - ``holdout_share`` (one share, or a share per segment_id): also withhold the leads the
      Python formula puts in the holdout, whether or not the mart flagged them;
    - ``drop_opted_out_from_ads``: keep email opt-outs out of ad audiences too (by default
      the email opt-out governs email only);
    - ``also_export``: (destination, segment_id) pairs to export even without rows, so the
      members of an emptied segment are sent as exited.

    Raises ValueError for rows that break the mart's contract and ExportOrderError (a
    ValueError) when ``as_of`` is earlier than a destination's last export; either way
    nothing is written.
    """
    export_dir = Path(export_dir)
    audiences = _build_audiences(rows, as_of, holdout_share, drop_opted_out_from_ads)
    for destination, segment_id in also_export:
        _check_destination(destination)
        _check_segment_id(segment_id)
        audiences.setdefault(
            (destination, segment_id), _Audience(destination, segment_id, None, {}, {}, set())
        )
    # Every state and previous membership is read before the first file is written, so a
    # refused as_of or a broken state stops the whole batch rather than half of it.
    states = {key: load_state(export_dir / key[0] / key[1], key[0], key[1]) for key in audiences}
    bases = {key: state.base_for(as_of) for key, state in states.items()}
    before = {
        key: states[key].read_members(base) if base is not None else {}
        for key, base in bases.items()
    }
    return [
        _write(export_dir, audiences[key], states[key], bases[key], before[key], as_of)
        for key in sorted(audiences)
    ]


def export_from_warehouse(
    wh: Warehouse, export_dir: Path, as_of: dt.date, **options: Any
) -> list[ExportSummary]:
    """Export the rows of ``activation.fct_segment_activation`` for ``as_of`` (see export_segments).

    An empty result is an error when the mart holds rows for other dates only: it was built
    for another as_of, and exporting nothing would hide that.
    """
    schema, table = MART.split(".")
    if not wh.table_exists(schema, table):
        raise LookupError(f"{MART} does not exist: build the dbt models first")
    columns = ", ".join(MART_COLUMNS)
    records = wh.query(f"select {columns} from {MART} where as_of_date = ?", (as_of,))
    if not records:
        built_for = wh.query(f"select distinct as_of_date from {MART} order by 1")
        if built_for:
            dates = ", ".join(str(r[0]) for r in built_for)
            raise ValueError(f"{MART} holds rows as of {dates}, none as of {as_of}")
    rows = pd.DataFrame.from_records(records, columns=list(MART_COLUMNS))
    return export_segments(rows, export_dir, as_of, **options)


def audience_file(export_dir: Path, destination: str, segment_id: str, as_of: dt.date) -> Path:
    return export_dir / destination / segment_id / f"{segment_id}__{as_of.isoformat()}.csv"


def delta_file(export_dir: Path, destination: str, segment_id: str, as_of: dt.date) -> Path:
    return export_dir / destination / segment_id / f"{segment_id}__{as_of.isoformat()}__delta.csv"


def _build_audiences(
    rows: pd.DataFrame,
    as_of: dt.date,
    holdout_share: HoldoutShare,
    drop_opted_out_from_ads: bool,
) -> dict[tuple[str, str], _Audience]:
    missing = [c for c in REQUIRED_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(f"activation rows lack column(s) {', '.join(missing)}")
    shares = holdout_share.values() if isinstance(holdout_share, Mapping) else [holdout_share]
    for share in shares:
        if share is not None and not 0.0 <= share <= 1.0:
            raise ValueError(f"holdout share must be between 0 and 1, got {share!r}")
    audiences: dict[tuple[str, str], _Audience] = {}
    for row in rows.to_dict("records"):
        destination = _text(row["destination"])
        segment_id = _text(row["segment_id"])
        lead_id = _text(row["lead_id"])
        _check_destination(destination)
        _check_segment_id(segment_id)
        if lead_id is None:
            raise ValueError(f"a row of segment {segment_id!r} has no lead_id")
        _check_as_of(row.get("as_of_date"), as_of, segment_id)
        key = (destination, segment_id)
        audience = audiences.get(key)
        if audience is None:
            name = _text(row.get("segment_name"))
            audience = audiences[key] = _Audience(destination, segment_id, name, {}, {}, set())
        if lead_id in audience.seen:
            raise ValueError(f"lead {lead_id!r} appears twice in {destination}/{segment_id}")
        audience.seen.add(lead_id)
        _admit(audience, lead_id, row, holdout_share, drop_opted_out_from_ads)
    return audiences


def _admit(
    audience: _Audience,
    lead_id: str,
    row: Mapping[str, Any],
    holdout_share: HoldoutShare,
    drop_opted_out_from_ads: bool,
) -> None:
    """Apply the rules to one row; add it to the audience or count why it was dropped."""
    if isinstance(holdout_share, Mapping):
        holdout_share = holdout_share.get(audience.segment_id)
    # NULL counts as held out: exporting a control lead would spoil the lift measurement
    held_out = _flag(row["is_holdout"]) is not False or (
        holdout_share is not None and is_holdout(lead_id, audience.segment_id, holdout_share)
    )
    if held_out:
        audience.holdouts_withheld += 1
        return
    # NULL consent is no consent
    opted_out = _flag(row["has_opted_out_of_email"]) is not False
    if opted_out and (audience.destination == EMAIL or drop_opted_out_from_ads):
        audience.opted_out_dropped += 1
        return
    # the hash is recomputed from the address when there is one: the mart's may differ in
    # how it trims, and an ad platform matches only the exact customer-match form
    email = _text(row["email"])
    digest = email_sha256(email) if email is not None else _valid_sha256(row["email_sha256"])
    score, grade = _cell(row["lead_score"]), _cell(row["grade"])
    if audience.destination == EMAIL:
        if email is None or digest is None:
            audience.no_email_dropped += 1
            return
        probability = _cell(row.get("conversion_probability"))
        audience.lines[lead_id] = [lead_id, email, digest, score, grade, probability]
    else:
        if digest is None:
            audience.no_email_dropped += 1
            return
        audience.lines[lead_id] = [lead_id, digest, score, grade]
    audience.members[lead_id] = digest


def _write(
    export_dir: Path,
    audience: _Audience,
    state: AudienceState,
    base: ExportRecord | None,
    before: Mapping[str, str | None],
    as_of: dt.date,
) -> ExportSummary:
    destination, segment_id = audience.destination, audience.segment_id
    members = audience.members
    entered = sorted(set(members) - set(before))
    exited = sorted(set(before) - set(members))

    audience_path = audience_file(export_dir, destination, segment_id, as_of)
    delta_path = delta_file(export_dir, destination, segment_id, as_of)
    write_csv_atomic(
        audience_path,
        AUDIENCE_COLUMNS[destination],
        (audience.lines[lead_id] for lead_id in sorted(audience.lines)),
    )
    write_csv_atomic(
        delta_path,
        DELTA_COLUMNS,
        [[lead_id, members[lead_id], ENTERED] for lead_id in entered]
        + [[lead_id, before[lead_id] or "", EXITED] for lead_id in exited],
    )
    state = state.record(as_of, members, audience.segment_name)
    return ExportSummary(
        destination=destination,
        segment_id=segment_id,
        segment_name=state.segment_name,
        as_of=as_of,
        previous_as_of=base.as_of if base is not None else None,
        rows_exported=len(members),
        holdouts_withheld=audience.holdouts_withheld,
        opted_out_dropped=audience.opted_out_dropped,
        no_email_dropped=audience.no_email_dropped,
        entered=len(entered),
        exited=len(exited),
        audience_path=audience_path,
        delta_path=delta_path,
        state_path=state.path,
    )


def _check_destination(destination: str | None) -> None:
    if destination not in DESTINATIONS:
        raise ValueError(
            f"unknown destination {destination!r}: expected one of {', '.join(DESTINATIONS)}"
        )


def _check_segment_id(segment_id: str | None) -> None:
    if segment_id is None or not _SAFE_SEGMENT_ID.fullmatch(segment_id):
        raise ValueError(
            f"segment id {segment_id!r} cannot name an export folder: use letters, digits,"
            " '_', '-' and '.', starting with a letter or digit"
        )


def _check_as_of(value: Any, as_of: dt.date, segment_id: str) -> None:
    if _missing(value):
        return
    day = pd.Timestamp(value).date()
    if day != as_of:
        raise ValueError(f"a row of segment {segment_id!r} is as of {day}, not {as_of}")


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value)))


def _text(value: Any) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    return text or None


def _flag(value: Any) -> bool | None:
    """A boolean from the warehouse or a DataFrame; None when unknown."""
    if _missing(value):
        return None
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(f"not a boolean: {value!r}")
    return bool(value)


def _valid_sha256(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    text = text.lower()
    return text if _SHA256_HEX.fullmatch(text) else None


def _cell(value: Any) -> str:
    """Text for a CSV cell, the same for the same value on every run."""
    if _missing(value):
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float | np.floating):
        return repr(float(value)) if math.isfinite(value) else ""
    return str(value)
