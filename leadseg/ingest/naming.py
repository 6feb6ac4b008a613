"""Name normalisation: column names and landing table names to snake_case."""

from __future__ import annotations

import re

from leadseg.schema import RAW_TABLES, SOURCES

_NON_WORD = re.compile(r"[^0-9A-Za-z_]+")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")


def snake_case(name: str) -> str:
    """``ConvertedContactId`` -> ``converted_contact_id``,
    ``Custom_Score__c`` -> ``custom_score__c``.

    Existing underscores are kept as they are (so ``__c`` custom-field suffixes survive);
    runs of other punctuation and spaces become one underscore.
    """
    text = _NON_WORD.sub("_", name.strip())
    text = _ACRONYM.sub(r"\1_\2", text)
    text = _LOWER_UPPER.sub(r"\1_\2", text)
    text = text.lower()
    # strip separators that came from punctuation at the ends, but keep a leading
    # underscore the source really wrote (``_fivetran_synced``)
    leading = "_" if name.strip().startswith("_") else ""
    text = text.strip("_")
    return (leading + text) or "column"


def _table_names(source: str) -> set[str]:
    return {t.name for t in RAW_TABLES if t.source == source}


def match_table(source: str, name: str) -> str | None:
    """Map a landing file/folder name to a schema table name of ``source``, or None.

    ``Lead`` -> ``lead``, ``OpportunityContactRole`` -> ``opportunity_contact_role``,
    and one plural/singular slip (``leads`` -> ``lead``, ``page`` -> ``pages``) when it
    matches exactly one table.
    """
    if source not in SOURCES:
        return None
    known = _table_names(source)
    snake = snake_case(name).lstrip("_")
    if snake in known:
        return snake
    candidates = {snake + "s", snake + "es"}
    if snake.endswith("s"):
        candidates.add(snake[:-1])
    if snake.endswith("es"):
        candidates.add(snake[:-2])
    if snake.endswith("ies"):
        candidates.add(snake[:-3] + "y")
    if snake.endswith("y"):
        candidates.add(snake[:-1] + "ies")
    hits = sorted(candidates & known)
    return hits[0] if len(hits) == 1 else None
