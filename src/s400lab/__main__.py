"""Command line: ``python -m s400lab {validate,freshness,brief} ...``.

Speed figures are not part of the installed package: ``make bench`` (``benchmarks/run.py``)."""

from __future__ import annotations

import sys

USAGE = """usage: python -m s400lab COMMAND [ARGS]

commands:
  validate [DIR]                       check data/ (or DIR) against its datapackage.json
  freshness [DIR] [--today D] [--stale-days N] [--strict]
                                       newest event date, stale areas, overdue promises
  brief --scenario NAME|FILE --out F   write a two-page HTML brief for a scenario
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "validate":
        from s400lab.data.cli import main_validate

        return main_validate(rest)
    if command == "freshness":
        from s400lab.data.freshness import main_freshness

        return main_freshness(rest)
    if command == "bench":
        print(
            "the benchmarks live outside the installed package: run `make bench` "
            "(or `python benchmarks/run.py`) from a clone of the repository",
            file=sys.stderr,
        )
        return 2
    if command == "brief":
        from s400lab.reporting.brief import main as brief_main

        return brief_main(rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
