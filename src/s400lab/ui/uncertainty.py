"""Uncertainty panel: run an ensemble for a scenario, compare it with another, export the numbers.

:class:`UncertaintyPanel` wires widgets -> :mod:`s400lab.analysis.ensembles` -> the figures of
:mod:`s400lab.plots.uncertainty`. Choose a scenario (a preset or a saved scenario file), a
scenario to compare with, an outcome, a per-quarter variable for the fan chart, the number of
draws (1,000-100,000), the seed and the sampling method, then press *Run*. Long runs go in
chunks of 10,000 draws with a progress bar. The figure is created once and redrawn in place,
then shown as a PNG in an ``ipywidgets.Image`` (not through an Output widget and the kernel's
display machinery, which shows only ``<Figure size ...>`` when matplotlib's inline backend is
not active, e.g. with ``MPLBACKEND=agg``). Both scenarios use the same seed, so they share their
draws (common random numbers) and the difference between them is not blurred by sampling noise.
"""

from __future__ import annotations

import html
import io
import time
from pathlib import Path

import ipywidgets as widgets
import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from s400lab.analysis import ensembles as en
from s400lab.model import OUTCOMES, SERIES, Scenario, presets
from s400lab.plots import uncertainty as pu
from s400lab.plots.style import OKABE_ITO, PROJECTOR_RC
from s400lab.ui.panel import ERROR_STYLE, OK_STYLE, Panel

__all__ = ["UncertaintyPanel"]

_OK, _ERR = OK_STYLE, ERROR_STYLE
_STYLE = {"description_width": "initial"}

#: Up to this many draws the panel keeps every per-quarter variable of both runs.
KEEP_ALL_SERIES_UP_TO = 20_000

#: What the export button can write.
EXPORTS = {
    "probabilities (both scenarios)": "probabilities",
    "outcome summary (median, 50% and 90% bands)": "summary",
    "every run: draws and outcomes (scenario)": "runs",
    "fan-chart bands (both scenarios)": "bands",
}


def _option_text(label: str, unit: str) -> str:
    """Dropdown text of an outcome: timing outcomes are quarters (stored as decimal years)."""
    if unit == "year":
        return label if "(quarter)" in label else f"{label} (quarter)"
    return f"{label} [{unit}]"


class UncertaintyPanel(Panel):
    """Ensemble explorer: pick, run, compare, export.

    Parameters
    ----------
    scenario, compare : str
        Preset ids shown first (default ``full_return_cash`` against ``status_quo``).
    n : int
        Draws (1,000-100,000).
    seed : int
    method : {"lhs", "mc"}
    outcome : str
        Outcome for the distribution comparison.
    variable : str
        Per-quarter variable of the fan chart.
    run_now : bool
        Run once on creation.

    Attributes
    ----------
    run_a, run_b : analysis.ensembles.EnsembleRun or None
        The last runs (compared scenario, chosen scenario).
    table : DataFrame
        The last comparison of probabilities.
    figure : matplotlib.figure.Figure
        The one figure, redrawn on every run: fan chart and distribution side by side, the
        probabilities across the full width underneath (readable on a 1366 px projector).
    image : ipywidgets.Image
        The figure as PNG, replaced once per redraw.
    busy, n_redraws, last_error
        The panel convention (:mod:`s400lab.ui.panel`): ``busy`` while running or redrawing,
        ``n_redraws`` counts renders of the figure, ``last_error`` is the message of the last
        failed run, file load or export.
    """

    def __init__(
        self,
        scenario: str = "full_return_cash",
        compare: str = "status_quo",
        *,
        n: int = 10_000,
        seed: int = 1,
        method: str = "lhs",
        outcome: str = "india_sq5_q",
        variable: str = "ru_stock",
        run_now: bool = True,
    ) -> None:
        self._scenarios: dict[str, Scenario] = dict(presets())
        self._build_choices(scenario, compare, outcome, variable)
        self._build_run_controls(n, seed, method)
        self._build_outputs()
        self.run_a: en.EnsembleRun | None = None
        self.run_b: en.EnsembleRun | None = None
        self.table = pd.DataFrame()
        self.events = en.standard_events(self._scenarios[scenario])
        #: True when the choices above no longer match the results shown (until Run).
        self.stale = False
        self._ran_with: tuple | None = None
        self._connect()
        super().__init__(
            [
                widgets.HBox([self.scenario_w, self.compare_w]),
                widgets.HBox([self.file_w, self.load_w]),
                widgets.HBox([self.outcome_w, self.variable_w]),
                widgets.HBox([self.n_w, self.seed_w, self.method_w, self.run_w]),
                widgets.HBox([self.progress_w, self.status_w]),
                self.table_w,
                self.image,
                widgets.HBox([self.export_what_w, self.export_path_w, self.overwrite_w, self.export_w]),
                self.export_msg_w,
            ]
        )
        self._name_classes()
        if run_now:
            self.run()

    # ------------------------------------------------------------------ building
    def _build_choices(self, scenario: str, compare: str, outcome: str, variable: str) -> None:
        """The scenario, comparison, scenario-file, outcome and fan-chart choices."""
        options = [(sc.label, sid) for sid, sc in self._scenarios.items()]
        wide = widgets.Layout(width="420px")
        self.scenario_w = widgets.Dropdown(
            options=options, value=scenario, description="Scenario", style=_STYLE, layout=wide
        )
        self.compare_w = widgets.Dropdown(
            options=options, value=compare, description="Compare with", style=_STYLE, layout=wide
        )
        self.file_w = widgets.Text(
            placeholder="my_scenario.json",
            description="Scenario file",
            style=_STYLE,
            layout=widgets.Layout(width="420px"),
        )
        self.load_w = widgets.Button(description="Load file", icon="folder-open")
        self.outcome_w = widgets.Dropdown(
            options=[(_option_text(lab, unit), k) for k, (unit, lab) in OUTCOMES.items()],
            value=outcome,
            description="Outcome",
            style=_STYLE,
            layout=wide,
        )
        self.variable_w = widgets.Dropdown(
            options=[(f"{lab} [{unit}]", k) for k, (unit, lab) in SERIES.items()],
            value=variable,
            description="Fan chart",
            style=_STYLE,
            layout=wide,
        )

    def _build_run_controls(self, n: int, seed: int, method: str) -> None:
        """Draws, seed, method, the Run button and its progress bar."""
        self.n_w = widgets.BoundedIntText(
            value=n,
            min=1_000,
            max=100_000,
            step=1_000,
            description="Draws",
            style=_STYLE,
            layout=widgets.Layout(width="200px"),
        )
        self.seed_w = widgets.IntText(
            value=seed, description="Seed", style=_STYLE, layout=widgets.Layout(width="160px")
        )
        self.method_w = widgets.ToggleButtons(
            options=[("Latin hypercube", "lhs"), ("Monte Carlo", "mc")],
            value=method,
            tooltips=["stratified: steadier estimates for the same n", "independent draws"],
        )
        self.run_w = widgets.Button(description="Run", button_style="primary", icon="play")
        self.progress_w = widgets.IntProgress(
            value=0, min=0, max=100, description="", layout=widgets.Layout(width="420px")
        )

    def _build_outputs(self) -> None:
        """Status line, table, the one figure and its image, and the export controls."""
        self.status_w = widgets.HTML()
        self.table_w = widgets.HTML()
        self.export_what_w = widgets.Dropdown(
            options=list(EXPORTS), description="Export", style=_STYLE, layout=widgets.Layout(width="420px")
        )
        self.export_path_w = widgets.Text(placeholder="results.csv", description="to file", style=_STYLE)
        self.overwrite_w = widgets.Checkbox(value=False, description="overwrite if it exists")
        self.export_w = widgets.Button(description="Export CSV", icon="download")
        self.export_msg_w = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        with mpl.rc_context(PROJECTOR_RC):
            self.figure = Figure(figsize=(12, 8.6), layout="constrained", dpi=96)
            # two sub-figures, so the long event names of the bars underneath do not push the
            # two upper panels to the right
            top, bottom = self.figure.subfigures(2, 1, height_ratios=[1.3, 1])
            ax_fan, ax_dist = top.subplots(1, 2)
            ax_prob = bottom.subplots()
        self.axes = (ax_fan, ax_dist, ax_prob)

    def _connect(self) -> None:
        self.run_w.on_click(lambda _b: self.run())
        self.load_w.on_click(lambda _b: self.load_file())
        self.export_w.on_click(lambda _b: self.export())
        for w in (self.outcome_w, self.variable_w):
            w.observe(lambda _c: self.redraw(), names="value")
        for w in (self.scenario_w, self.compare_w, self.n_w, self.seed_w, self.method_w):
            w.observe(lambda _c: self._check_stale(), names="value")

    def _name_classes(self) -> None:
        """CSS classes the browser tests and the notebook's style find the parts by."""
        for w, name in (
            (self.status_w, "status"),
            (self.table_w, "table"),
            (self.image, "image"),
            (self.progress_w, "progress"),
            (self.run_w, "run"),
            (self.n_w, "n"),
            (self.seed_w, "seed"),
            (self.outcome_w, "outcome"),
            (self.export_msg_w, "export-msg"),
        ):
            w.add_class(f"s400-unc-{name}")
        self.add_class("s400-uncertainty")

    # ------------------------------------------------------------------ actions
    def load_file(self, path: str | None = None) -> Scenario | None:
        """Load a saved scenario file and select it (message on error; nothing changes)."""
        path = path if path is not None else self.file_w.value.strip()
        if not path:
            self.status_w.value = self._fail("Type the path of a scenario file.")
            return None
        try:
            from s400lab.model.scenario_io import load_scenario
        except ImportError:  # pragma: no cover - the module ships with the package
            self.status_w.value = self._fail("Scenario files are not available.")
            return None
        try:
            loaded = load_scenario(path)
        except ValueError as exc:
            self.status_w.value = self._fail(str(exc))
            return None
        key = f"file:{Path(path).name}"
        self._scenarios[key] = loaded.scenario
        label = f"{loaded.name or Path(path).stem} (file)"
        opts = [o for o in self.scenario_w.options if o[1] != key] + [(label, key)]
        self.scenario_w.options = opts
        self.compare_w.options = opts
        self.scenario_w.value = key
        self.last_error = None
        self.status_w.value = f"<span style='{_OK}'>Loaded {html.escape(str(path))}.</span>"
        return loaded.scenario

    def _choices(self) -> tuple:
        return (
            self.scenario_w.value,
            self.compare_w.value,
            int(self.n_w.value),
            int(self.seed_w.value),
            self.method_w.value,
        )

    def _check_stale(self) -> None:
        """Mark the results out of date when a choice above differs from the last run."""
        stale = self._ran_with is not None and self._choices() != self._ran_with
        if stale == self.stale:
            return
        self.stale = stale
        if stale:
            self.add_class("s400-unc-stale")
            self.status_w.value = (
                f"<span style='{_ERR}'>Out of date: the table and figure "
                "still show the last run. Press Run to update them.</span>"
            )
            self.table_w.value = self.table_w.value.replace(
                "<table class='s400-probs' style='", "<table class='s400-probs stale' style='opacity:0.45;", 1
            )
        else:
            self.remove_class("s400-unc-stale")
            self.redraw()

    def _progress(self, done: int, total: int) -> None:
        self.progress_w.value = int(round(100 * done / total))

    def run(self) -> None:
        """Run both scenarios with the chosen draws, seed and method, then redraw."""
        with self._busy():
            self._run()

    def _run(self) -> None:
        n, seed, method = int(self.n_w.value), int(self.seed_w.value), self.method_w.value
        var = self.variable_w.value
        sc_b = self._scenarios[self.scenario_w.value]
        sc_a = self._scenarios[self.compare_w.value]
        self.run_w.disabled = True
        self.progress_w.value = 0
        self.status_w.value = f"running {2 * n:,} model runs ..."
        t0 = time.perf_counter()
        # keep every per-quarter variable for moderate n (switching the fan chart is then
        # instant); for large n only the chosen one, to keep memory modest
        keep = list(SERIES) if n <= KEEP_ALL_SERIES_UP_TO else [var]
        try:
            self.run_a = en.run_chunked(
                sc_a, n, seed, method, series=keep, callback=lambda d, t: self._progress(d, 2 * t)
            )
            self.run_b = en.run_chunked(
                sc_b, n, seed, method, series=keep, callback=lambda d, t: self._progress(t + d, 2 * t)
            )
        except ValueError as exc:
            self.status_w.value = self._fail(str(exc))
            return
        finally:
            self.run_w.disabled = False
        self._ran_with = (self.scenario_w.value, self.compare_w.value, n, seed, method)
        self.last_error = None
        self.stale = False
        self.remove_class("s400-unc-stale")
        self.redraw()
        self.status_w.value = (
            f"<span style='{_OK}'>{2 * n:,} runs in "
            f"{time.perf_counter() - t0:.1f} s (seed {seed}, {method}).</span>"
        )

    def names(self) -> tuple[str, str]:
        """Display names of the compared and the chosen scenario."""
        a = self._scenarios[self.compare_w.value].label
        b = self._scenarios[self.scenario_w.value].label
        if a == b:
            return (f"{a} (compare)", b)
        return a, b

    def redraw(self) -> None:
        """Redraw the figure and the table from the last runs (no model run)."""
        if self.run_a is None or self.run_b is None:
            return
        name_a, name_b = self.names()
        var = self.variable_w.value
        if var not in self.run_a.series:
            self.status_w.value = (
                "This variable was not kept for a run this large; press Run to draw its fan chart."
            )
            var = next(iter(self.run_a.series))
        with self._busy():
            self.events = en.standard_events(self._scenarios[self.scenario_w.value])
            png = self._figure_png(self.run_a, self.run_b, (name_a, name_b), self.outcome_w.value, var)
            self.table = en.compare_probabilities(
                self.run_a.outcomes, self.run_b.outcomes, self.events, names=("A", "B")
            )
            self._show_table(name_a, name_b)
            self.image.value = png
            self.n_redraws += 1

    def _figure_png(
        self, run_a: en.EnsembleRun, run_b: en.EnsembleRun, names: tuple[str, str], out: str, var: str
    ) -> bytes:
        """Draw the fan chart of ``var``, the distribution of ``out`` and B's probabilities
        into the one figure; return it as PNG."""
        name_a, name_b = names
        ax_fan, ax_dist, ax_prob = self.axes
        with mpl.rc_context(PROJECTOR_RC):
            for ax in self.axes:
                ax.clear()
            self.figure.suptitle(
                f"A = {name_a}    B = {name_b}    ({len(run_b):,} runs each, seed {run_b.seed})",
                fontsize=13,
            )
            pu.fan_compare(
                ax_fan,
                run_a.bands(var),
                run_b.bands(var),
                names=("A", "B"),
                unit=SERIES[var][0],
                title=SERIES[var][1],
                legend_below=True,
            )
            unit, label = OUTCOMES[out]
            pu.distribution_comparison(
                ax_dist,
                run_a.outcomes[out],
                run_b.outcomes[out],
                names=("A", "B"),
                unit=unit,
                quarters=unit == "year",
                legend_below=True,
            )
            ax_dist.set_title(label)
            probs = en.probability_table(run_b.outcomes, self.events)
            pu.probability_bars(
                ax_prob,
                probs,
                colour=OKABE_ITO["vermillion"],
                title=f"B ({_short(name_b, 40)}): probabilities",
            )
            buf = io.BytesIO()
            self.figure.savefig(buf, format="png")
        return buf.getvalue()

    def _show_table(self, name_a: str, name_b: str) -> None:
        t = self.table
        rows = "".join(
            f"<tr data-event='{html.escape(r.event, quote=True)}'>"
            f"<td style='{_TD}'>{html.escape(r.event)}</td>"
            f"<td class='pA' style='{_TDN}'>{format_percent(r.p_A)}</td>"
            f"<td class='pB' style='{_TDN}'>{format_percent(r.p_B)}</td>"
            f"<td class='diff' style='{_TDN}'>{100 * r.diff:+.1f} pts "
            f"({100 * r.diff_low:+.1f} to {100 * r.diff_high:+.1f})</td></tr>"
            for r in t.itertuples()
        )
        n = len(self.run_b) if self.run_b is not None else 0
        self.table_w.value = (
            f"<table class='s400-probs' style='border-collapse:collapse;font-size:14px;line-height:1.35'>"
            f"<tr><th style='{_TD}'>event</th><th style='{_TDN}'>A: {html.escape(name_a)}</th>"
            f"<th style='{_TDN}'>B: {html.escape(name_b)}</th>"
            f"<th style='{_TDN}'>B - A (95% interval)</th></tr>{rows}</table>"
            f"<p style='font-size:90%;line-height:1.4'>{n:,} runs per scenario, same draws in both. The "
            "intervals show sampling error only: how sure we are about what the model says "
            "under its assumption ranges, not whether those ranges are right.</p>"
        )

    def export_frame(self, what: str | None = None) -> pd.DataFrame:
        """The table the export button writes (see :data:`EXPORTS`)."""
        if self.run_a is None or self.run_b is None:
            raise ValueError("run the ensembles first")
        kind = EXPORTS[what or self.export_what_w.value]
        name_a, name_b = self.names()
        meta = {"seed": self.run_b.seed, "method": self.run_b.method, "n": len(self.run_b)}
        if kind == "probabilities":
            pa = en.probability_table(self.run_a.outcomes, self.events).assign(scenario=name_a)
            pb = en.probability_table(self.run_b.outcomes, self.events).assign(scenario=name_b)
            df = pd.concat([pa, pb], ignore_index=True)
        elif kind == "summary":
            sa = en.quantile_summary(self.run_a.outcomes).assign(scenario=name_a)
            sb = en.quantile_summary(self.run_b.outcomes).assign(scenario=name_b)
            df = pd.concat([sa, sb]).rename_axis("outcome").reset_index()
        elif kind == "runs":
            df = pd.concat([self.run_b.draws, self.run_b.outcomes], axis=1)
            df.insert(0, "scenario", name_b)
        else:
            var = self.variable_w.value
            if var not in self.run_a.series:
                var = next(iter(self.run_a.series))
            ba = self.run_a.bands(var).reset_index().assign(scenario=name_a, variable=var)
            bb = self.run_b.bands(var).reset_index().assign(scenario=name_b, variable=var)
            df = pd.concat([ba, bb], ignore_index=True)
        return df.assign(**meta)

    def export(self, path: str | None = None, *, overwrite: bool | None = None) -> Path | None:
        """Write the chosen table to CSV; an existing file is kept unless overwrite is ticked."""
        path = path if path is not None else self.export_path_w.value.strip()
        overwrite = self.overwrite_w.value if overwrite is None else overwrite
        if not path:
            self.export_msg_w.value = self._fail("Type a file name first.")
            return None
        try:
            out = en.export_csv(self.export_frame(), path, overwrite=overwrite)
        except FileExistsError:
            kept = "already exists and was kept. Tick <i>overwrite if it exists</i> to replace it"
            self.export_msg_w.value = self._fail(
                f"{path} {kept.replace('<i>', '').replace('</i>', '')}, or type another file name.",
                f"<span style='{_ERR}'>{html.escape(path)} {kept}, or type another file name.</span>",
            )
            return None
        except (FileNotFoundError, ValueError, OSError) as exc:
            self.export_msg_w.value = self._fail(str(exc))
            return None
        self.last_error = None
        note = " (from results that are out of date: press Run first)" if self.stale else ""
        self.export_msg_w.value = f"<span style='{_OK}'>Wrote {html.escape(str(out))}{note}.</span>"
        return out


_TD = "padding:2px 10px;border-bottom:1px solid #ddd;text-align:left"
_TDN = "padding:2px 10px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap"


def format_percent(p: float) -> str:
    """A probability as the panel's table writes it: ``0.6834`` -> ``"68.3%"``."""
    return f"{100 * p:.1f}%"


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[: width - 1] + "\u2026"
