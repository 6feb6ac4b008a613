"""What was last sent to one destination for one segment, so the next export can send a delta.

Layout, under ``export_dir/<destination>/<segment_id>/``:

- ``_state.json``: the last export and the one before it (as_of dates and the file holding
  each one's members). The one before is kept so that re-running the last as_of computes
  its delta against the same base and reproduces the same files. It holds no lead ids.
- ``_members__<as_of>.csv``: ``lead_id,email_sha256`` of everyone exported that day.

Members are kept in CSV lines, not in the JSON, because ``leadseg forget`` erases a person
by deleting every line of an export file that mentions them: a CSV survives that, a JSON
document would not.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_csv_atomic, write_text_atomic

STATE_FILE = "_state.json"
STATE_FORMAT = 1
MEMBERS_PREFIX = "_members__"


class ExportOrderError(ValueError):
    """An export for an as_of earlier than the last export to that destination."""


class ExportStateError(RuntimeError):
    """The state of an audience is unreadable or points at a missing members file."""


@dataclass(frozen=True)
class ExportRecord:
    as_of: dt.date
    members_file: str
    members: int


@dataclass(frozen=True)
class AudienceState:
    """The exports remembered for one (destination, segment), oldest first (at most two)."""

    directory: Path
    destination: str
    segment_id: str
    segment_name: str | None
    exports: tuple[ExportRecord, ...] = ()

    @property
    def path(self) -> Path:
        return self.directory / STATE_FILE

    @property
    def last(self) -> ExportRecord | None:
        return self.exports[-1] if self.exports else None

    def base_for(self, as_of: dt.date) -> ExportRecord | None:
        """The export a delta for ``as_of`` is computed against: the latest one before it.

        Raises ExportOrderError when ``as_of`` is earlier than the last export, since
        exporting it would rewind what the destination holds and the state with it.
        """
        last = self.last
        if last is not None and as_of < last.as_of:
            raise ExportOrderError(
                f"refusing to export segment {self.segment_id!r} to {self.destination!r} as of "
                f"{as_of}: the last export there is as of {last.as_of}, and exports only move "
                f"forward (re-running {last.as_of} is allowed). To rebuild this audience from "
                f"scratch, delete {self.path}."
            )
        earlier = [e for e in self.exports if e.as_of < as_of]
        return earlier[-1] if earlier else None

    def read_members(self, record: ExportRecord) -> dict[str, str | None]:
        path = self.directory / record.members_file
        if not path.is_file():
            raise ExportStateError(
                f"{self.path} refers to {record.members_file}, which is missing: the delta "
                f"for {self.destination}/{self.segment_id} cannot be computed. Restore the "
                "file, or delete the state to start over (everyone will be 'entered')."
            )
        with open(path, encoding="utf-8", newline="") as fh:
            return {row["lead_id"]: row["email_sha256"] or None for row in csv.DictReader(fh)}

    def record(
        self, as_of: dt.date, members: dict[str, str | None], segment_name: str | None
    ) -> AudienceState:
        """Save ``members`` as the export for ``as_of`` and return the updated state.

        Call only after the export files are in place: a crash before this leaves the old
        state, and the re-run computes the same delta again.
        """
        base = self.base_for(as_of)
        members_file = f"{MEMBERS_PREFIX}{as_of.isoformat()}.csv"
        write_csv_atomic(
            self.directory / members_file,
            ["lead_id", "email_sha256"],
            ((lead_id, members[lead_id] or "") for lead_id in sorted(members)),
        )
        current = ExportRecord(as_of, members_file, len(members))
        updated = AudienceState(
            self.directory,
            self.destination,
            self.segment_id,
            segment_name if segment_name is not None else self.segment_name,
            (base, current) if base is not None else (current,),
        )
        write_text_atomic(updated.path, updated.to_json())
        updated.prune_members_files()
        return updated

    def prune_members_files(self) -> None:
        keep = {e.members_file for e in self.exports}
        for path in self.directory.glob(f"{MEMBERS_PREFIX}*.csv"):
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def to_json(self) -> str:
        document = {
            "format": STATE_FORMAT,
            "destination": self.destination,
            "segment_id": self.segment_id,
            "segment_name": self.segment_name,
            "exports": [
                {"as_of": e.as_of.isoformat(), "members_file": e.members_file, "members": e.members}
                for e in self.exports
            ],
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"


def load_state(directory: Path, destination: str, segment_id: str) -> AudienceState:
    path = directory / STATE_FILE
    if not path.exists():
        return AudienceState(directory, destination, segment_id, None)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != STATE_FORMAT:
            raise ValueError(f"unknown format {document.get('format')!r}")
        exports = tuple(
            ExportRecord(dt.date.fromisoformat(e["as_of"]), e["members_file"], int(e["members"]))
            for e in document["exports"]
        )
        for e in exports:
            # the name is joined to the audience folder: it must not point elsewhere
            if Path(e.members_file).name != e.members_file:
                raise ValueError(f"members file {e.members_file!r} is not a plain file name")
    except (ValueError, KeyError, TypeError) as exc:
        raise ExportStateError(f"cannot read export state {path}: {exc}") from exc
    return AudienceState(directory, destination, segment_id, document.get("segment_name"), exports)
