"""The hashes activation shares with SQL: customer-match email hashes and holdout buckets.

The dbt mart computes the same values, so each formula is spelled out exactly and mirrored
in ``HOLDOUT_BUCKET_DUCKDB_SQL`` and ``HOLDOUT_BUCKET_POSTGRES_SQL`` (tests check both
mirrors against Python).
"""

from __future__ import annotations

import hashlib
import math

# n / 2**64 rounds to exactly 1.0 for the top ~2**10 values of n; clamping keeps the promise
# of [0, 1) and makes share = 1.0 put every lead in the holdout. SQL applies the same clamp.
_LARGEST_BELOW_ONE = math.nextafter(1.0, 0.0)  # 1 - 2**-53 = 0.9999999999999999

# holdout_bucket in DuckDB SQL; fill {lead_id} and {segment_id} with SQL expressions (format).
HOLDOUT_BUCKET_DUCKDB_SQL = (
    "least(('0x' || left(sha256({lead_id} || '|' || {segment_id}), 16))::ubigint::double"
    " / 18446744073709551616.0, 0.9999999999999999)"
)

# The same for PostgreSQL. bit(64)::bigint would be signed, so the two 32-bit halves are
# joined in numeric; numeric -> double is correctly rounded, as Python's int / int is.
_PG_HEX = "encode(sha256(convert_to({lead_id} || '|' || {segment_id}, 'UTF8')), 'hex')"
HOLDOUT_BUCKET_POSTGRES_SQL = (
    "least((('x' || substr({hex}, 1, 8))::bit(32)::bigint::numeric * 4294967296"
    " + ('x' || substr({hex}, 9, 8))::bit(32)::bigint)::double precision"
    " / 18446744073709551616::double precision, 0.9999999999999999::double precision)"
).replace("{hex}", _PG_HEX)


def holdout_bucket(lead_id: str, segment_id: str) -> float:
    """A lead's fixed position in [0, 1) for one segment, the same on every run.

    Formula: d = SHA-256 of the UTF-8 text ``f"{lead_id}|{segment_id}"``; n = the first 8
    bytes of d as an unsigned big-endian integer (the first 16 hex digits of the hex digest);
    bucket = min(float(n) / 2**64, 0.9999999999999999), in IEEE-754 double precision.
    """
    digest = hashlib.sha256(f"{lead_id}|{segment_id}".encode()).digest()
    return min(int.from_bytes(digest[:8], "big") / 2**64, _LARGEST_BELOW_ONE)


def is_holdout(lead_id: str, segment_id: str, share: float) -> bool:
    """True when the lead belongs to the segment's control group: bucket < share."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"holdout share must be between 0 and 1, got {share!r}")
    return holdout_bucket(lead_id, segment_id) < share


def email_sha256(email: str | None) -> str | None:
    """Customer-match hash: hex SHA-256 of the stripped, lowercased address; None if empty.

    ``str.strip`` removes every kind of surrounding whitespace (tabs, newlines), not only
    spaces as SQL ``trim`` does; exports recompute the hash here, so this version wins.
    """
    if email is None:
        return None
    normalised = email.strip().lower()
    if not normalised:
        return None
    return hashlib.sha256(normalised.encode()).hexdigest()
