"""Problems found in the data, and the one exception that reports all of them."""

from __future__ import annotations

from dataclasses import dataclass

#: How rows are counted in every message (also printed as the first line of a DataError).
ROW_CONVENTION = (
    "row = row number in the file as a spreadsheet shows it, header is row 1; "
    "it equals the line number unless a quoted cell spans several lines, then the line is added"
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data.

    Parameters
    ----------
    file : str
        The file, shown as ``<data dir name>/<file>``, e.g. ``data/events.csv``.
    row : int or None
        Row number in the file with the header as row 1 (``None`` for file-level problems).
    column : str or None
        Column name (``None`` when the problem is not about one column).
    message : str
        What is wrong and, where useful, what was expected.
    line : int or None
        Line in the file where the row starts, only when it differs from ``row``
        (a quoted cell above it spans several lines).
    """

    file: str
    row: int | None
    column: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            where = f"row {self.row}"
            if self.line is not None and self.line != self.row:
                where += f" (line {self.line})"
            parts.append(where)
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts) + ": " + self.message


class DataError(ValueError):
    """The data package is invalid; ``.problems`` lists every problem found.

    Parameters
    ----------
    problems : list of Problem
        All problems, in file then row order.
    path : str, optional
        The data directory that was checked (shown in the message header).
    """

    def __init__(self, problems: list[Problem], path: str | None = None) -> None:
        self.problems = list(problems)
        self.path = path
        n = len(self.problems)
        where = f" in {path}" if path else ""
        header = f"{n} problem{'s' if n != 1 else ''}{where} ({ROW_CONVENTION}):"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))
