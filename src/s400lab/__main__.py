"""Command line: ``python -m s400lab {validate,freshness,brief,dashboard} ...``.

Speed figures are not part of the installed package: ``make bench`` (``benchmarks/run.py``).

No command prints a traceback for a bad input: a known error (a bad file, value or option:
:data:`KNOWN_ERRORS`) is one line on stderr and exit code 2; anything else is one line naming
the error type and exit code 1. ``--debug`` (anywhere on the line) shows the traceback instead."""

from __future__ import annotations

import sys

USAGE = """usage: python -m s400lab COMMAND [ARGS] [--debug]

commands:
  validate [DIR]                       check data/ (or DIR) against its datapackage.json
  freshness [DIR] [--today D] [--stale-days N] [--strict]
                                       newest event date, stale areas, overdue promises
  brief --scenario NAME|FILE --out F [--draws N] [--seed S] [--force]
                                       write a two-page HTML brief for a scenario
  dashboard [--viewers N] [--port P]  serve the explorer as a Voila dashboard (N kernels ready)

--debug shows the traceback of an error instead of its one-line message.
"""

#: Errors that a bad input or a bad option raises: reported in one line, exit code 2.
KNOWN_ERRORS = (ValueError, OSError, KeyError, OverflowError)


def _dispatch(command: str, rest: list[str], debug: bool) -> int:
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
    if command == "dashboard":
        from s400lab.ui.dashboard import main as dashboard_main

        return dashboard_main(rest)
    if command == "brief":
        from s400lab.reporting.brief import main as brief_main

        return brief_main(rest + ["--debug"] if debug else rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


def _one_line(exc: BaseException) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return " / ".join(line.strip() for line in text.splitlines() if line.strip()) or type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (never raises for a bad input unless ``--debug``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    try:
        return _dispatch(command, rest, debug)
    except KeyboardInterrupt:
        print(f"s400lab {command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place that turns any error into a line, not a traceback
        if debug:
            raise
        if isinstance(exc, KNOWN_ERRORS):
            print(f"s400lab {command}: {_one_line(exc)}", file=sys.stderr)
            return 2
        print(
            f"s400lab {command}: unexpected {type(exc).__name__}: {_one_line(exc)} "
            "(run again with --debug to see the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
