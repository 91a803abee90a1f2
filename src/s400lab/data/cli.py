"""``python -m s400lab validate [DIR]``: check a data directory, print OK or every problem."""

from __future__ import annotations

import sys

USAGE = (
    "usage: python -m s400lab validate [--debug] [DIR]   (default: $S400LAB_DATA or the repository's data/)"
)


def main_validate(argv: list[str]) -> int:
    """Validate a data directory and print the result.

    Parameters
    ----------
    argv : list of str
        Command-line arguments after ``validate``: at most one directory, and ``--debug`` to
        let an internal error show its traceback.

    Returns
    -------
    int
        0 if valid, 1 if there are problems, 2 for a usage error, 3 for an internal error
        (a bug: reported in one line, never as a traceback unless ``--debug``).
    """
    from s400lab._inputs import excerpt
    from s400lab.data.problems import DataError
    from s400lab.data.validation import default_data_dir, inspect

    if any(a in ("-h", "--help") for a in argv):
        print(USAGE)
        return 0
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    if len(argv) > 1 or any(a.startswith("-") or not a for a in argv):
        print(USAGE, file=sys.stderr)
        return 2
    path = argv[0] if argv else default_data_dir()
    try:
        ins = inspect(path, use_memo=False)
    except Exception as exc:  # a bug, not bad data: one line, the traceback only with --debug
        if debug:
            raise
        why = excerpt(f"{type(exc).__name__}: {exc}", 200)
        print(f"internal error while validating {path}: {why} (--debug shows the traceback)", file=sys.stderr)
        return 3
    if ins.problems:
        print(str(DataError(ins.problems, str(ins.path))), file=sys.stderr)
        return 1
    rows = sum(len(t.rows) for t in ins.tables.values())
    print(f"OK: {len(ins.tables)} tables, {rows} rows ({ins.path})")
    return 0
