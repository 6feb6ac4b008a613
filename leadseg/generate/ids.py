"""Salesforce ids: 15-character case-sensitive ids and their 18-character checksum form."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_text import fixed_width

_BASE62 = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SUFFIX_U8 = np.frombuffer(_SUFFIX.encode(), dtype=np.uint8)

PREFIXES = {
    "lead": "00Q",
    "contact": "003",
    "account": "001",
    "opportunity": "006",
    "task": "00T",
    "campaign": "701",
    "campaign_member": "00v",
    "user": "005",
    "opportunity_contact_role": "00K",
}


def sf18(id15: str) -> str:
    """The standard 15 -> 18 character conversion (one checksum character per 5 characters)."""
    if len(id15) != 15:
        raise ValueError(f"not a 15-character id: {id15!r}")
    suffix = ""
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(id15[chunk * 5 : chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix += _SUFFIX[bits]
    return id15 + suffix


def sf_ids(rng: np.random.Generator, prefix: str, n: int, pod: str = "5e") -> pa.StringArray:
    """``n`` distinct 18-character ids of one object type, in creation order."""
    head = (prefix + pod + "0").encode()
    buf = np.empty((n, 18), dtype=np.uint8)
    buf[:, :6] = np.frombuffer(head, dtype=np.uint8)
    counter = rng.integers(62**5, 62**6) + np.cumsum(rng.integers(1, 4000, size=n))
    for i in range(9):
        buf[:, 14 - i] = _BASE62[counter % 62]
        counter //= 62
    upper = (buf[:, :15] >= 65) & (buf[:, :15] <= 90)
    weights = 1 << np.arange(5)
    for chunk in range(3):
        bits = (upper[:, chunk * 5 : chunk * 5 + 5] * weights).sum(axis=1)
        buf[:, 15 + chunk] = _SUFFIX_U8[bits]
    return fixed_width(buf)


def to15(ids: pa.Array) -> pa.Array:
    return pc.utf8_slice_codeunits(ids, 0, 15)
