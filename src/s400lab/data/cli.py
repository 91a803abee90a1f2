"""``python -m s400lab validate [DIR]``: check a data directory, print OK or every problem."""

from __future__ import annotations

import sys

USAGE = "usage: python -m s400lab validate [DIR]   (default: $S400LAB_DATA or the repository's data/)"


def main_validate(argv: list[str]) -> int:
    """Validate a data directory and print the result.

    Parameters
    ----------
    argv : list of str
        Command-line arguments after ``validate``: at most one directory.

    Returns
    -------
    int
        0 if valid, 1 if there are problems, 2 for a usage error.
    """
    from s400lab.data.problems import DataError
    from s400lab.data.validation import default_data_dir, inspect

    if any(a in ("-h", "--help") for a in argv):
        print(USAGE)
        return 0
    if len(argv) > 1 or any(a.startswith("-") for a in argv):
        print(USAGE, file=sys.stderr)
        return 2
    path = argv[0] if argv else default_data_dir()
    ins = inspect(path, use_memo=False)
    if ins.problems:
        print(str(DataError(ins.problems, str(ins.path))), file=sys.stderr)
        return 1
    rows = sum(len(t.rows) for t in ins.tables.values())
    print(f"OK: {len(ins.tables)} tables, {rows} rows ({ins.path})")
    return 0
