"""Trade-off explorer: weight sliders per stakeholder criterion -> live ranking.

Wires :mod:`s400lab.analysis.tradeoffs` (outcomes matrix, normalisation, ranking,
robustness) to ipywidgets. One slider (0-10) per criterion, grouped by stakeholder; every
change re-ranks the options and updates the live figure in place
(:class:`s400lab.plots.tradeoffs.RankingPanel`: bar widths only, over a cached static layer,
with the numbers laid over the picture by the browser), within the scenario explorer's
latency targets. The outcomes matrix (the options' natural values, which the weights do not
change) is drawn once, in the same row order as the live figure.

While an update is pending a busy sign shows. Updates are coalesced: changes that arrive
while the kernel is busy (a student dragging several sliders) are drawn once, with the newest
weights, never queued one by one. Works the same in JupyterLab, Voila and under nbclient.
"""

from __future__ import annotations

import asyncio
import html
import io
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from s400lab.analysis import tradeoffs as tr
from s400lab.plots.seminar import plot_outcomes_matrix
from s400lab.plots.style import PROJECTOR_RC
from s400lab.plots.tradeoffs import RankingPanel
from s400lab.ui.overlay import picture_html

__all__ = ["TradeoffExplorer", "figure_html", "preset_labels", "table_html"]

#: Width of the live figure beside the sliders (px). The sliders' column (~380 px) and the
#: figure fit side by side in JupyterLab at 1366x768 with the file browser open (~900 px of
#: output width); on a narrower page the figure wraps below the sliders. (The figure used to sit
#: 580 px below a two-column slider grid and was cut at the right.)
FIGURE_WIDTH_PX = 500
#: Width of a slider row: its visible name (wraps) and the slider.
LABEL_WIDTH_PX, SLIDER_WIDTH_PX = 180, 160

FIGURE_ALT = (
    "Two bar charts, one bar per option in the outcomes matrix's order. Top: each option's "
    "weighted score under your weights (best highlighted). Bottom: the share of nearby "
    "weightings under which each option ranks first."
)

#: Names each slider's handle (role=slider) after its weight: ipywidgets gives the handle no
#: accessible name, so screen readers say "slider" nine times and axe-core flags it
#: (aria-input-field-name, serious); the ranking's view, which scrolls sideways on a narrow pane,
#: gets keyboard access and a name (scrollable-region-focusable). Runs once per page; new explorers
#: are named as they appear.
NAME_HANDLES_JS = """
(function () {
  function name(root) {
    root.querySelectorAll('.s400-weight').forEach(function (el) {
      var lab = el.querySelector('.widget-label');  // ipywidgets puts the tooltip there
      var label = (lab && lab.getAttribute('title')) || el.getAttribute('title') || '';
      el.querySelectorAll('[role=slider]').forEach(function (h) {
        if (label && h.getAttribute('aria-label') !== label) { h.setAttribute('aria-label', label); }
      });
    });
    // the ranking's view scrolls sideways on a narrow pane: reachable by keyboard, named
    root.querySelectorAll('.s400-tradeoffs-view').forEach(function (v) {
      if (!v.hasAttribute('tabindex')) {
        v.setAttribute('tabindex', '0');
        v.setAttribute('role', 'region');
        v.setAttribute('aria-label', 'Ranking of the options under your weights');
      }
    });
  }
  if (!window.__s400NameHandles) {
    window.__s400NameHandles = new MutationObserver(function () { name(document); });
    window.__s400NameHandles.observe(document.body, {childList: true, subtree: true});
  }
  name(document);
})();
"""
_CSS = """<style>
.s400-tradeoffs-view { overflow-x: auto; }
.s400-tradeoffs-view .widget-html-content { position: relative; line-height: 1.1; }
.s400-tradeoffs-view img { display: block; max-width: none; }
.s400-tradeoffs-view .s400-ann { position: absolute; white-space: nowrap; font-size: 16px;
  color: #111; transform: translate(0, -50%); }
.s400-tradeoffs-view .s400-ann.best { font-weight: 700; color: #00573f; }
.s400-tradeoffs-busy { min-height: 1.4em; }
.s400-tradeoffs-row { flex-wrap: wrap; align-items: flex-start; gap: 8px 16px; }
.s400-tradeoffs-weights .widget-html-content { white-space: normal; line-height: 1.2; }
</style>"""


def figure_html(fig: Figure, alt: str):
    """A matplotlib figure as an HTML image with a text alternative (``alt``), for a notebook
    cell: a plain ``plt.show()`` output has none, which screen readers and axe-core flag.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        What the figure shows, in words (its main finding, not "a chart").

    Returns
    -------
    IPython.display.HTML
    """
    import base64

    from IPython.display import HTML

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    return HTML(
        f"<img alt='{html.escape(alt, quote=True)}' style='max-width:100%' src='data:image/png;base64,{b64}'>"
    )


def table_html(table: pd.DataFrame, caption: str, digits: int = 2):
    """A table for a notebook cell that a keyboard can scroll and a screen reader can name: a
    wide DataFrame in a focusable region (``tabindex=0``, ``role=region``, labelled by its
    caption) instead of an output box that overflows without keyboard access.

    Parameters
    ----------
    table : pandas.DataFrame
    caption : str
        What the table shows (also the region's name).
    digits : int, default 2
        Decimals for floats.

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    cap = html.escape(caption, quote=True)
    body = table.round(digits).to_html(border=0, na_rep="-", index_names=False)
    body = body.replace("<table", f"<table aria-label='{cap}'", 1)
    return HTML(
        f"<div role='region' aria-label='{cap}' tabindex='0' style='overflow-x:auto;max-width:100%'>"
        f"<p><b>{html.escape(caption)}</b></p>{body}</div>"
    )


def preset_labels() -> dict[str, str]:
    """Preset id -> the preset's plain-language label, for figure rows and bars.

    Returns
    -------
    dict
        e.g. ``{"status_quo": "Status quo: keep them stored", ...}``.
    """
    from s400lab.model import presets

    return {sid: sc.label for sid, sc in presets().items()}


class TradeoffExplorer(widgets.VBox):
    """Interactive Bardach outcomes matrix with student-set weights.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Options x criterion ids in natural units (from
        :func:`s400lab.analysis.tradeoffs.outcomes_matrix` or ``preset_matrix``).
    units : pandas.Series, optional
        Criterion id -> unit.
    criteria : sequence of Criterion
        Must cover the matrix's columns (labels, stakeholders, directions).
    weights : mapping, optional
        Initial slider values (0-10); default 5 for every criterion.
    n_robust : int, default 4000
        Weight draws for the robustness chart.
    seed : int, default 0
    option_labels : mapping, optional
        Option id -> row label in the figures; default: the presets' labels
        (:func:`preset_labels`) for ids that are presets, the id otherwise.
    worlds : pandas.DataFrame, optional
        The same options run under several worlds (from
        :func:`s400lab.analysis.tradeoffs.world_matrix`: index world, option; the same
        columns). When given, the ranking table also says in how many worlds each option wins
        under the current weights (:func:`~s400lab.analysis.tradeoffs.world_wins`).

    Attributes
    ----------
    weights : dict
        Current slider values.
    ranking : pandas.DataFrame
        ``score`` and ``rank`` per option (best first), updated on every change.
    robustness : pandas.DataFrame
        ``share_first`` and ``mean_rank`` under weights drawn around the current ones.
    panel : RankingPanel
        The live figure (one Figure, created once, bars updated in place).
    figure : matplotlib.figure.Figure
        ``panel.fig``.
    view : ipywidgets.HTML
        The live figure as a PNG at its pixel size with the numbers over it.
    matrix_image : ipywidgets.HTML
        The outcomes matrix, drawn once, as an image with a text alternative.
    n_redraws : int
        How many times the live figure has been rendered (at most one per update).
    n_updates : int
        Updates run (a burst of changes coalesced into one counts once).
    wins : pandas.DataFrame
        Worlds won per option under the current weights (empty without ``worlds``).
    """

    def __init__(
        self,
        matrix: pd.DataFrame,
        units: pd.Series | None = None,
        criteria: Sequence[tr.Criterion] = tr.DEFAULT_CRITERIA,
        weights: Mapping[str, float] | None = None,
        n_robust: int = 4000,
        seed: int = 0,
        option_labels: Mapping[str, str] | None = None,
        worlds: pd.DataFrame | None = None,
    ) -> None:
        by_id = {c.criterion_id: c for c in criteria}
        missing = [c for c in matrix.columns if c not in by_id]
        if missing:
            raise KeyError(f"no Criterion for matrix columns {missing}")
        self.criteria = [by_id[c] for c in matrix.columns]
        self.matrix, self.units = matrix, units
        self.normalised = tr.normalise(matrix, self.criteria)
        self.worlds = worlds
        self._world_tensor = None
        if worlds is not None:
            if list(worlds.columns) != list(matrix.columns):
                raise KeyError("the worlds' columns must be the matrix's criteria, in order")
            self._world_tensor = tr._world_tensor(worlds, self.criteria)
        self.wins = pd.DataFrame()
        self.n_robust, self.seed = n_robust, seed
        self.option_labels = dict(preset_labels() if option_labels is None else option_labels)
        self._sliders = self._weight_sliders({c: 5.0 for c in matrix.columns} | dict(weights or {}))
        self._equal = widgets.Button(description="Equal weights", icon="balance-scale")
        self._equal.on_click(lambda _b: self.set_weights({c: 5 for c in self._sliders}))
        self._error = widgets.HTML()
        self._busy_sign = widgets.HTML()
        self._busy_sign.add_class("s400-tradeoffs-busy")
        self._table = widgets.HTML()
        self.n_redraws = self.n_updates = 0
        self.last_error: str | None = None
        self._pending = False  # an update is scheduled on the event loop
        self.busy = False
        rows = [self.option_labels.get(o, str(o)) for o in matrix.index]
        self.panel = RankingPanel(rows, width_px=FIGURE_WIDTH_PX, stacked=True)
        self.figure = self.panel.fig
        self.view = widgets.HTML()
        self.view.add_class("s400-tradeoffs-view")
        self.matrix_image = widgets.HTML(self._matrix_html())
        for s in self._sliders.values():
            s.observe(self._on_change, names="value")
        figure_column = widgets.VBox(
            [self._busy_sign, self._error, self.view, self._table],
            layout=widgets.Layout(
                flex=f"1 1 {FIGURE_WIDTH_PX}px", min_width=f"{FIGURE_WIDTH_PX}px", overflow="auto"
            ),
        )
        row = widgets.HBox([self._controls(), figure_column])
        row.add_class("s400-tradeoffs-row")
        super().__init__([widgets.HTML(_CSS), row, self.matrix_image])
        self.ranking = self.robustness = pd.DataFrame()
        self.update()

    def _weight_sliders(self, init: Mapping[str, float]) -> dict[str, widgets.IntSlider]:
        """One 0-10 weight slider per criterion (updated on release, not while dragging), named
        after its criterion: ``tooltip`` (the element's title) and the handle's aria-label."""
        sliders = {}
        for c in self.criteria:
            s = widgets.IntSlider(
                value=int(init[c.criterion_id]),
                min=0,
                max=10,
                step=1,
                description="",
                tooltip=f"Weight: {c.label}",
                continuous_update=False,
                layout=widgets.Layout(width=f"{SLIDER_WIDTH_PX}px"),
            )
            s.add_class("s400-weight")
            s.add_class(f"s400-weight-{c.criterion_id}")
            sliders[c.criterion_id] = s
        return sliders

    @classmethod
    def from_presets(
        cls, criteria: Sequence[tr.Criterion] = tr.DEFAULT_CRITERIA, **kwargs
    ) -> TradeoffExplorer:
        """Build the matrix by running every preset (central values), then the explorer."""
        matrix, units = tr.preset_matrix(criteria)
        kwargs.setdefault("worlds", tr.world_matrix(criteria, option_ids=list(matrix.index))[0])
        return cls(matrix, units, criteria, **kwargs)

    def _controls(self) -> widgets.Widget:
        groups: dict[str, list] = {}
        for c in self.criteria:
            arrow = "higher is better" if c.direction == "higher" else "lower is better"
            unit = "" if self.units is None else f", {self.units.get(c.criterion_id, '')}"
            label = widgets.HTML(
                f"<span title='{html.escape(c.rationale, quote=True)}'>"
                f"{html.escape(c.label.split(': ', 1)[-1])} <small>({arrow}{html.escape(unit)})"
                f"</small></span>",
                layout=widgets.Layout(width=f"{LABEL_WIDTH_PX}px"),
            )
            groups.setdefault(c.stakeholder, []).append(widgets.HBox([label, self._sliders[c.criterion_id]]))
        boxes = [
            widgets.VBox([widgets.HTML(f"<b>{html.escape(s)}</b>"), *rows]) for s, rows in groups.items()
        ]
        box = widgets.VBox(
            [
                widgets.HTML(
                    "<b>Weights</b> (0 = ignore, 10 = most important; hover a label for its rationale)"
                ),
                *boxes,
                self._equal,
            ],
            layout=widgets.Layout(flex="0 0 auto", width=f"{LABEL_WIDTH_PX + SLIDER_WIDTH_PX + 20}px"),
        )
        box.add_class("s400-tradeoffs-weights")
        return box

    def show(self):
        """Display the explorer with the script that names its sliders for screen readers
        (:data:`NAME_HANDLES_JS`); the last line of a notebook cell.

        Returns
        -------
        None
            The explorer and the script are displayed.
        """
        from IPython.display import Javascript, display

        display(self, Javascript(NAME_HANDLES_JS))

    @property
    def weights(self) -> dict[str, float]:
        """Current slider values per criterion id."""
        return {k: float(s.value) for k, s in self._sliders.items()}

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Set several sliders at once and update once."""
        unknown = [k for k in weights if k not in self._sliders]
        if unknown:
            raise KeyError(f"unknown criteria {unknown}")
        self.busy = True
        try:
            for k, v in weights.items():
                self._sliders[k].value = int(v)
        finally:
            self.busy = False
        self.update()

    def _on_change(self, _change) -> None:
        if not self.busy:
            self.request_update()

    def request_update(self) -> None:
        """Show the busy sign and update soon: on the running event loop (a kernel), once for
        all the changes that arrive before it runs, with the newest weights; without a
        running loop (a script, a test), now."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.update()
            return
        if not self._pending:
            self._pending = True
            self._busy_sign.value = (
                "<span role='status' style='font-weight:600'>Updating the figure...</span>"
            )
            loop.call_soon(self._run_pending)

    def _run_pending(self) -> None:
        self._pending = False
        self.update()

    def update(self) -> None:
        """Re-rank, recompute robustness and update the live figure (newest weights)."""
        self.n_updates += 1
        try:
            try:
                self.ranking = tr.rank_options(self.normalised, self.weights)
            except ValueError as exc:
                self.last_error = str(exc)
                self._error.value = f"<span style='color:#D55E00'>{html.escape(str(exc))}</span>"
                return
            self._error.value = ""
            self.last_error = None
            self.robustness = tr.weight_robustness(
                self.normalised, n=self.n_robust, seed=self.seed, around=self.weights
            )
            if self._world_tensor is not None:
                tensor, opts = self._world_tensor
                self.wins = tr._wins_table(
                    tensor, opts, tr._weight_vector(self.weights, list(self.matrix.columns))
                )
            self._table.value = self._table_html()
            self._draw()
        finally:
            self._busy_sign.value = ""

    def _table_html(self) -> str:
        """The ranking as a table, best first (written directly: pandas' to_html costs more
        than the rest of an update)."""
        share = dict(zip(self.robustness.index, self.robustness["share_first"].to_numpy(), strict=True))
        wins = {}
        if self._world_tensor is not None and not self.wins.empty:
            n_worlds = self._world_tensor[0].shape[0]
            wins = {o: f"<td>{w:g} of {n_worlds}</td>" for o, w in self.wins["wins"].items()}
        rows = "".join(
            f"<tr><th>{html.escape(self.option_labels.get(o, str(o)))}</th>"
            f"<td>{score:.3f}</td><td>{int(rank)}</td><td>{100 * share[o]:.0f} %</td>{wins.get(o, '')}</tr>"
            for o, score, rank in zip(
                self.ranking.index,
                self.ranking["score"].to_numpy(),
                self.ranking["rank"].to_numpy(),
                strict=True,
            )
        )
        head = "<th>worlds won</th>" if wins else ""
        return (
            "<table class='dataframe'><thead><tr><th></th><th>weighted score (0-1)</th>"
            f"<th>rank</th><th>first under nearby weights</th>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def _draw(self) -> None:
        """Set the bars of the live figure (matrix row order) and render it once."""
        order = self.matrix.index  # positions of the matrix's rows (no pandas .loc per key press)
        rk, rb = self.ranking.index.get_indexer(order), self.robustness.index.get_indexer(order)
        rank, rob = self.ranking, self.robustness
        changed = self.panel.update(
            rank["score"].to_numpy()[rk],
            rank["rank"].to_numpy()[rk],
            rob["share_first"].to_numpy()[rb],
            rob["mean_rank"].to_numpy()[rb],
        )
        if changed or not self.view.value:
            png = self.panel.png()
            self.view.value = picture_html(
                png, self.panel.size_px, self.figure_alt(), "s400-tradeoffs-img", self.panel.labels
            )
            self.n_redraws += 1

    def figure_alt(self) -> str:
        """The live figure's text alternative: what it shows and the current ranking in words."""
        share = dict(zip(self.robustness.index, self.robustness["share_first"].to_numpy(), strict=True))
        ranked = "; ".join(
            f"{int(r)}. {self.option_labels.get(o, str(o))}: score {sc:.2f}, first under "
            f"{100 * share[o]:.0f} % of nearby weightings"
            for o, sc, r in zip(
                self.ranking.index,
                self.ranking["score"].to_numpy(),
                self.ranking["rank"].to_numpy(),
                strict=True,
            )
        )
        return f"{FIGURE_ALT} Ranking: {ranked}."

    def _matrix_html(self) -> str:
        """The outcomes matrix as an image with a text alternative."""
        import base64

        b64 = base64.b64encode(self._matrix_png()).decode("ascii")
        best = "; ".join(
            f"{c.label}: best {self.option_labels.get(str(self.normalised[c.criterion_id].idxmax()), '')}"
            for c in self.criteria
        )
        alt = (
            "Outcomes matrix: one row per option, one column per criterion, each cell the natural "
            f"value coloured from worst to best among the options. {best}."
        )
        return (
            f"<img alt='{html.escape(alt, quote=True)}' style='max-width:100%' "
            f"src='data:image/png;base64,{b64}'>"
        )

    def _matrix_png(self) -> bytes:
        """The outcomes matrix (natural values coloured by normalised score), drawn once."""
        n, k = self.matrix.shape
        with mpl.rc_context(PROJECTOR_RC):
            fig = Figure(figsize=(14, 2.2 + 0.45 * n + 0.05 * k), layout="constrained", dpi=96)
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
            plot_outcomes_matrix(
                ax,
                self.normalised,
                matrix=self.matrix,
                units=self.units,
                labels={c.criterion_id: c.label for c in self.criteria},
                option_labels=self.option_labels,
                fontsize=11,
            )
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
        return buf.getvalue()
