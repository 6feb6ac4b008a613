"""Errors raised by the landing loader."""

from __future__ import annotations


class LandingFileError(Exception):
    """A landing file that cannot be loaded at all (not a row-level problem).

    The message always names the file (relative to the landing folder) and says what is
    wrong with it and what to do, e.g. ``salesforce/lead.csv: missing required column 'id'``.
    """

    def __init__(self, file_path: str, problem: str) -> None:
        self.file_path = file_path
        self.problem = problem
        super().__init__(f"{file_path}: {problem}")
