"""One-page HTML brief of a scenario: choices, assumptions with sources, outcomes vs baseline.

Command line::

    python -m s400lab brief --scenario full_return_cash --out brief.html
    python -m s400lab brief --scenario my_scenario.json --out brief.html --draws 2000 --seed 7

From Python (the explorer's "export brief" button calls this)::

    from s400lab.brief import write_brief
    write_brief("full_return_cash", "briefs/full_return_cash.html")

The brief is one self-contained HTML file (no external requests): a Jinja2 template with
autoescaping, the figure embedded as a base64 PNG, print CSS for A4 and US Letter. It
shows the scenario's choices and every assumption that differs from the register with
its range and sources, the key outcomes against the baseline (status quo) at central
values, the 5-95 % range (or probability) over an ensemble of ``n_draws`` draws with
the same seed for both scenarios, and the package and data versions. An existing file
is never replaced unless ``force=True`` (``--force``).

This module sits at the UI level: it may import model, analysis, plots and data, but no
widgets.
"""

from __future__ import annotations

import argparse
import base64
import io
import math
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import matplotlib.pyplot as plt
import numpy as np
from jinja2 import Environment, FileSystemLoader

from s400lab._files import write_new_file

__all__ = ["KEY_OUTCOMES", "FIGURE_SERIES", "resolve_scenario", "brief_context",
           "render_brief", "write_brief", "main"]

#: Outcomes in the key-figures table, in order.
KEY_OUTCOMES = (
    "legal_conditions_met",
    "battalions_divested",
    "returned_to_russia",
    "sanctions_lifted_q",
    "f35_readmission_q",
    "f35_first_delivery_q",
    "tr_recovered_usd_bn",
    "ru_net_usd_bn",
    "ru_stock_end",
    "india_sq5_q",
    "alliance_score",
)

#: Per-quarter variables drawn as fan charts (scenario vs baseline).
FIGURE_SERIES = ("ru_stock", "india_squadrons", "tr_recovered_usd_bn")

#: Short panel titles (the model's labels are longer).
FIGURE_TITLES = {"ru_stock": "Russian S-400 stock", "india_squadrons": "Indian squadrons delivered",
                 "tr_recovered_usd_bn": "Turkiye: money recovered"}

TEMPLATE = "brief.html.j2"
DEFAULT_SEED = 20261125


def resolve_scenario(scenario: Any) -> tuple[Any, str, str]:
    """Turn a preset name, a scenario file or a Scenario into ``(scenario, name, notes)``.

    Parameters
    ----------
    scenario : str, path-like or Scenario
        A preset id (``"full_return_cash"``), a path to a JSON scenario file (read with
        :func:`s400lab.scenario_io.load_scenario`, validated), or a Scenario.

    Returns
    -------
    tuple
        The Scenario, a display name and free-text notes (from a file; else "").

    Raises
    ------
    ValueError
        Unknown preset or invalid file (the message names it).
    """
    from s400lab.model import Scenario, presets

    if isinstance(scenario, Scenario):
        return scenario, scenario.label, ""
    text = os.fspath(scenario)
    available = presets()
    if text in available:
        sc = available[text]
        return sc, sc.label, ""
    path = Path(text)
    if path.suffix.lower() == ".json" or path.exists():
        from s400lab.scenario_io import load_scenario

        loaded = load_scenario(path)
        return loaded.scenario, loaded.name or path.stem, loaded.notes
    raise ValueError(f"{text!r} is neither a preset ({', '.join(available)}) nor a scenario "
                     f"file (*.json)")


def _fmt_value(value: Any, unit: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    x = float(value)
    if not math.isfinite(x):
        return "n/a"
    text = f"{x:,.0f}" if x == int(x) and abs(x) >= 1 else f"{x:,.3g}"
    return f"{text} {unit}".strip()


def _fmt_outcome(value: float, unit: str) -> str:
    from s400lab.model import quarter_label

    if unit == "year":
        return quarter_label(value)
    if unit == "0/1":
        return "n/a" if not math.isfinite(value) else ("yes" if value >= 0.5 else "no")
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.2f} {unit}".strip()


def _fmt_diff(value: float, base: float, unit: str) -> str:
    if unit == "0/1":
        return "same" if value == base else ("now yes" if value > base else "now no")
    if not (math.isfinite(value) and math.isfinite(base)):
        if math.isfinite(value) == math.isfinite(base):
            return "same"
        return "now within horizon" if math.isfinite(value) else "no longer within horizon"
    d = value - base
    if abs(d) < 1e-9:
        return "same"
    if unit == "year":
        return f"{d * 4:+.0f} quarters"
    return f"{d:+,.2f} {unit}".strip()


def _fmt_spread(x: np.ndarray, unit: str) -> str:
    from s400lab.model import quarter_label

    x = np.asarray(x, dtype=float)
    finite = x[np.isfinite(x)]
    if unit == "0/1":
        return f"probability {np.nan_to_num(x).mean():.0%}"
    if unit == "year":
        share = finite.size / x.size
        if finite.size == 0:
            return "never within horizon"
        q05, q50, q95 = np.quantile(finite, [0.05, 0.5, 0.95])
        return (f"{share:.0%} within horizon; median {quarter_label(q50)} "
                f"({quarter_label(q05)} - {quarter_label(q95)})")
    if finite.size == 0:
        return "n/a"
    q05, q50, q95 = np.quantile(finite, [0.05, 0.5, 0.95])
    return f"{q05:,.2f} - {q95:,.2f} (median {q50:,.2f})"


def _figure_png(ens, base_ens, label: str) -> str:
    from s400lab.model import SERIES
    from s400lab.plots.style import OKABE_ITO, PROJECTOR_RC
    from s400lab.plots.uncertainty import fan_chart

    rc = {**PROJECTOR_RC, "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9,
          "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 7,
          "lines.linewidth": 1.6}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(1, len(FIGURE_SERIES), figsize=(10.5, 3.0),
                                 layout="constrained")
        for ax, var in zip(axes, FIGURE_SERIES, strict=True):
            unit, title = SERIES[var]
            base = fan_chart(ax, base_ens.bands(var), colour=OKABE_ITO["grey"])
            this = fan_chart(ax, ens.bands(var), colour=OKABE_ITO["blue"], unit=unit)
            ax.set_title(FIGURE_TITLES.get(var, title))
            ax.get_legend().remove()
        fig.legend([base["median"], this["median"]],
                   ["status quo: median, 50 % and 90 % bands", f"{label}: median and bands"],
                   loc="outside lower center", ncols=2, frameon=False)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=150)
        plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _safe_url(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    return url if urlparse(url).scheme in ("http", "https") else None


def _assumptions(sc) -> tuple[list[dict], list[dict], list[str]]:
    reg = sc.register
    defaults = reg.defaults()
    choices, assumptions, cited = [], [], []
    for name in reg.names():
        p = reg[name]
        value = sc.values[name]
        changed = value != defaults[name]
        row = {"name": name, "label": p.label, "value": _fmt_value(value, p.unit),
               "changed": changed, "sources": list(p.source_ids), "confidence": p.confidence,
               "rationale": p.rationale}
        if p.kind == "lever":
            choices.append(row)
        elif p.kind == "uncertainty" or changed:
            row["range"] = ("" if p.type == "choice" or not math.isfinite(p.low)
                            else f"{_fmt_value(p.low, '')} - {_fmt_value(p.high, p.unit)}")
            assumptions.append(row)
        else:
            continue
        cited.extend(p.source_ids)
    return choices, assumptions, list(dict.fromkeys(cited))


def brief_context(scenario: Any, n_draws: int = 2000, seed: int = DEFAULT_SEED,
                  baseline: str = "status_quo") -> dict[str, Any]:
    """Compute everything the brief shows (no HTML).

    Parameters
    ----------
    scenario : str, path-like or Scenario
        See :func:`resolve_scenario`.
    n_draws : int, default 2000
        Ensemble size for the uncertainty ranges (>= 100).
    seed : int
        Same seed for scenario and baseline (common random numbers).
    baseline : str, default "status_quo"
        Preset to compare against.

    Returns
    -------
    dict
        Template context: ``scenario``, ``choices``, ``assumptions``, ``outcomes``,
        ``sources``, ``figure_png``, ``verdict``, versions, ``n_draws``, ``seed``.
    """
    from s400lab import __version__
    from s400lab.data import load
    from s400lab.model import OUTCOMES, Scenario, run, run_ensemble

    if int(n_draws) < 100:
        raise ValueError(f"n_draws must be at least 100; got {n_draws}")
    sc, name, notes = resolve_scenario(scenario)
    base = Scenario.preset(baseline)
    res, base_res = run(sc), run(base)
    ens = run_ensemble(sc, n=int(n_draws), seed=seed)
    base_ens = run_ensemble(base, n=int(n_draws), seed=seed)
    rows = []
    for key in KEY_OUTCOMES:
        unit, label = OUTCOMES[key]
        v, b = float(res[key]), float(base_res[key])
        rows.append({"key": key, "label": label, "unit": unit,
                     "value": _fmt_outcome(v, unit), "baseline": _fmt_outcome(b, unit),
                     "diff": _fmt_diff(v, b, unit),
                     "spread": _fmt_spread(ens.outcomes[key].to_numpy(), unit)})
    choices, assumptions, cited = _assumptions(sc)
    ds = load()
    src = ds.sources_for(cited) if cited else ds.sources.iloc[0:0]
    sources = [{"id": r.source_id, "publication": r.publication, "title": r.title,
                "url": _safe_url(r.url), "raw_url": str(r.url),
                "published": "" if r.published is None or str(r.published) == "NaT"
                else str(r.published)[:10]} for r in src.itertuples()]
    return {
        "name": name, "notes": notes, "scenario": sc, "baseline": base,
        "verdict": res.verdict, "choices": choices, "assumptions": assumptions,
        "outcomes": rows, "sources": sources,
        "figure_png": _figure_png(ens, base_ens, name),
        "n_draws": int(n_draws), "seed": seed, "package_version": __version__,
        "data_version": ds.version,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def render_brief(context: dict[str, Any]) -> str:
    """Render the brief template (autoescaped) with a context from :func:`brief_context`."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template(TEMPLATE).render(**context)


def write_brief(scenario: Any, path: str | os.PathLike, n_draws: int = 2000,
                seed: int = DEFAULT_SEED, *, baseline: str = "status_quo",
                force: bool = False) -> Path:
    """Write a one-page HTML brief of ``scenario`` to ``path``.

    Parameters
    ----------
    scenario : str, path-like or Scenario
        Preset id, scenario file (JSON) or Scenario.
    path : path-like
        Output file (``*.html``); its folder is created if missing.
    n_draws : int, default 2000
        Ensemble size for uncertainty ranges.
    seed : int
        Random seed (same seed -> same numbers).
    baseline : str, default "status_quo"
    force : bool, default False
        Replace an existing file. Without it an existing file raises
        :class:`FileExistsError` and is left untouched.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    hint = "choose another name or use --force (force=True) to replace it"
    if path.exists() and not force:  # fail before the (slower) ensemble runs
        raise FileExistsError(f"{path}: already exists; not overwritten ({hint})")
    html = render_brief(brief_context(scenario, n_draws=n_draws, seed=seed, baseline=baseline))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new_file(path, lambda fh: fh.write(html), overwrite=force, hint=hint)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line entry: ``python -m s400lab brief --scenario NAME|FILE --out FILE``."""
    parser = argparse.ArgumentParser(prog="python -m s400lab brief",
                                     description="Write a one-page HTML brief of a scenario.")
    parser.add_argument("--scenario", required=True, help="preset id or scenario file (.json)")
    parser.add_argument("--out", required=True, help="output HTML file")
    parser.add_argument("--draws", type=int, default=2000, help="ensemble size (default 2000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--baseline", default="status_quo", help="preset to compare against")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    try:
        out = write_brief(args.scenario, args.out, n_draws=args.draws, seed=args.seed,
                          baseline=args.baseline, force=args.force)
    except (ValueError, FileExistsError, KeyError, OSError) as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0
