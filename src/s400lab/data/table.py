"""One CSV table of the data package as read for validation (shared by the readers and the checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Table"]


@dataclass
class Table:
    """A CSV file read as text (no type conversion), kept for the cross-table checks."""

    name: str
    file: str  # shown in messages, e.g. "data/events.csv"
    path: Path
    schema: dict[str, Any] | None = None
    header: list[str] | None = None
    rows: list[list[str]] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)  # index 0 = header row
    readable: bool = False  # file parsed and header usable: frictionless may check it
    raw: bytes = b""  # the file's bytes as read (Frictionless and the version hash use these)
    _records: Any = field(default=None, repr=False, compare=False)

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """Data rows as ``(row number, {column: text})``; the header is row 1.

        Built once per header and rows (a dozen rules read them: on a 200,000-row table building
        them again for each rule cost seconds); a rule must not change the dicts it gets."""
        if not self.header:
            return []
        key = (id(self.header), len(self.header), id(self.rows), len(self.rows))
        if self._records is not None and self._records[0] == key:
            return self._records[1]
        width = len(self.header)
        out = [
            (i + 2, dict(zip(self.header, r + [""] * (width - len(r)))))
            for i, r in enumerate(self.rows)
            if r  # a blank line is reported by frictionless
        ]
        self._records = (key, out)
        return out

    def line_of(self, row: int | None) -> int | None:
        if row is None or row - 1 >= len(self.line_starts) or row < 1:
            return None
        return self.line_starts[row - 1]
