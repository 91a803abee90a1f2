"""Trade-off explorer: weight sliders per stakeholder criterion -> live ranking.

Wires :mod:`s400lab.analysis.tradeoffs` (outcomes matrix, normalisation, ranking,
robustness) to ipywidgets and :mod:`s400lab.plots.seminar`. One slider (0-10) per
criterion, grouped by stakeholder; every change re-ranks the options and redraws the
matrix, the weighted scores and the share of nearby weightings under which each option
ranks first. The figure is created once; a change clears and redraws its three Axes and
renders it once, as a PNG in an ``ipywidgets.Image`` (so it works the same in JupyterLab,
Voila and under nbclient).
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from s400lab.analysis import tradeoffs as tr
from s400lab.plots.seminar import plot_first_place_shares, plot_outcomes_matrix
from s400lab.plots.style import OKABE_ITO, PROJECTOR_RC

__all__ = ["TradeoffExplorer", "preset_labels"]

#: Stakeholder groups of sliders: as many 560 px columns as fit, else one. (A fixed two-column
#: grid of 1120 px overflowed a 1366x768 projector with JupyterLab's file browser open and
#: hid the second column's sliders.)
GRID_COLUMNS = "repeat(auto-fill, minmax(min(560px, 100%), 1fr))"


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

    Attributes
    ----------
    weights : dict
        Current slider values.
    ranking : pandas.DataFrame
        ``score`` and ``rank`` per option (best first), updated on every change.
    robustness : pandas.DataFrame
        ``share_first`` and ``mean_rank`` under weights drawn around the current ones.
    figure : matplotlib.figure.Figure
        The one figure, created once and redrawn in place.
    image : ipywidgets.Image
        The figure as PNG, replaced once per change.
    n_redraws : int
        How many times the figure has been rendered (one per change).
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
    ) -> None:
        by_id = {c.criterion_id: c for c in criteria}
        missing = [c for c in matrix.columns if c not in by_id]
        if missing:
            raise KeyError(f"no Criterion for matrix columns {missing}")
        self.criteria = [by_id[c] for c in matrix.columns]
        self.matrix, self.units = matrix, units
        self.normalised = tr.normalise(matrix, self.criteria)
        self.n_robust, self.seed = n_robust, seed
        self.option_labels = dict(preset_labels() if option_labels is None else option_labels)
        init = {c: 5.0 for c in matrix.columns} | dict(weights or {})
        self._sliders = {
            c.criterion_id: widgets.IntSlider(
                value=int(init[c.criterion_id]),
                min=0,
                max=10,
                step=1,
                description="",
                continuous_update=False,
                layout=widgets.Layout(width="220px"),
            )
            for c in self.criteria
        }
        self._equal = widgets.Button(description="Equal weights", icon="balance-scale")
        self._equal.on_click(lambda _b: self.set_weights({c: 5 for c in self._sliders}))
        self._error = widgets.HTML()
        self._busy = widgets.HTML()
        self._busy.add_class("s400-tradeoffs-busy")
        self._table = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.n_redraws = 0
        with mpl.rc_context(PROJECTOR_RC):
            # the matrix across the full width (it needs it: up to ten criteria with units),
            # the ranking and its robustness side by side underneath
            self.figure = Figure(figsize=(14, 11), layout="constrained", dpi=96)
            mosaic = self.figure.subplot_mosaic(
                [["matrix", "matrix"], ["score", "robust"]], height_ratios=[1.6, 1]
            )
            self._axes = (mosaic["matrix"], mosaic["score"], mosaic["robust"])
        self._canvas = FigureCanvasAgg(self.figure)
        self._background = None
        self._suspend = False
        for s in self._sliders.values():
            s.observe(self._on_change, names="value")
        super().__init__([self._controls(), self._busy, self._error, self._table, self.image])
        self.ranking = self.robustness = pd.DataFrame()
        self.update()

    @classmethod
    def from_presets(
        cls, criteria: Sequence[tr.Criterion] = tr.DEFAULT_CRITERIA, **kwargs
    ) -> TradeoffExplorer:
        """Build the matrix by running every preset (central values), then the explorer."""
        matrix, units = tr.preset_matrix(criteria)
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
                layout=widgets.Layout(width="340px"),
            )
            groups.setdefault(c.stakeholder, []).append(widgets.HBox([label, self._sliders[c.criterion_id]]))
        boxes = [
            widgets.VBox([widgets.HTML(f"<b>{html.escape(s)}</b>"), *rows]) for s, rows in groups.items()
        ]
        return widgets.VBox(
            [
                widgets.HTML(
                    "<b>Weights</b> (0 = ignore, 10 = most important; hover a label for its rationale)"
                ),
                widgets.GridBox(
                    boxes, layout=widgets.Layout(grid_template_columns=GRID_COLUMNS, grid_gap="4px 24px")
                ),
                self._equal,
            ]
        )

    @property
    def weights(self) -> dict[str, float]:
        """Current slider values per criterion id."""
        return {k: float(s.value) for k, s in self._sliders.items()}

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Set several sliders at once and update once."""
        unknown = [k for k in weights if k not in self._sliders]
        if unknown:
            raise KeyError(f"unknown criteria {unknown}")
        self._suspend = True
        try:
            for k, v in weights.items():
                self._sliders[k].value = int(v)
        finally:
            self._suspend = False
        self.update()

    def _on_change(self, _change) -> None:
        if not self._suspend:
            self.update()

    def update(self) -> None:
        """Re-rank, recompute robustness and redraw."""
        try:
            self.ranking = tr.rank_options(self.normalised, self.weights)
        except ValueError as exc:
            self._error.value = f"<span style='color:#D55E00'>{html.escape(str(exc))}</span>"
            return
        self._error.value = ""
        self.robustness = tr.weight_robustness(
            self.normalised, n=self.n_robust, seed=self.seed, around=self.weights
        )
        view = self.ranking.join(self.robustness["share_first"])
        view["share_first"] = (100 * view["share_first"]).round().astype(int).astype(str) + " %"
        view = view.rename(
            columns={"score": "weighted score (0-1)", "share_first": "first under nearby weights"}
        )
        view.index = [self.option_labels.get(o, str(o)) for o in view.index]
        self._table.value = view.round(3).to_html(border=0)
        self._draw()

    def _draw(self) -> None:
        """Clear and redraw the three Axes of the one figure, then render it once.

        A busy sign shows while it renders. The layout is solved once (constrained layout on
        the first render) and then frozen, so a change redraws the artists without solving
        the layout again (several times faster)."""
        self._busy.value = "<span role='status' style='font-weight:600'>Updating the figure...</span>"
        try:
            self._render()
        finally:
            self._busy.value = ""

    def _png(self, redraw_matrix: bool) -> bytes:
        """Render to PNG. The matrix (most of the text) is kept as cached pixels while the
        ranking order holds; only the two lower panels are drawn again over it."""
        canvas = self._canvas
        lower = self._axes[1:]
        if redraw_matrix or self._background is None:
            for ax in lower:
                ax.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for ax in lower:
            ax.set_animated(True)
            self.figure.draw_artist(ax)
        w, h = canvas.get_width_height(physical=True)
        buf = io.BytesIO()
        Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB").save(
            buf, format="png", compress_level=3
        )
        return buf.getvalue()

    def _render(self) -> None:
        order = self.ranking.index
        ax_m, ax_s, ax_r = self._axes
        same_order = list(order) == getattr(self, "_drawn_order", None)
        with mpl.rc_context(PROJECTOR_RC):
            if not same_order:
                ax_m.clear()
                plot_outcomes_matrix(
                    ax_m,
                    self.normalised.loc[order],
                    matrix=self.matrix.loc[order],
                    units=self.units,
                    labels={c.criterion_id: c.label for c in self.criteria},
                    option_labels=self.option_labels,
                    fontsize=11,
                )
                ax_m.set_title("Outcomes matrix (rows: your ranking, best first)")
            for ax in (ax_s, ax_r):
                ax.clear()
            ax_s.barh(range(len(order)), self.ranking["score"], color=OKABE_ITO["blue"])
            for yi, v in enumerate(self.ranking["score"]):
                ax_s.annotate(
                    f"{v:.2f}", (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=12
                )
            ax_s.set_yticks(range(len(order)), [self.option_labels.get(o, str(o)) for o in order])
            ax_s.set(
                xlim=(0, 1.15),
                ylim=(len(order) - 0.5, -0.5),
                xlabel="weighted score (0 = worst on every criterion, 1 = best)",
                title="Your ranking",
            )
            ax_s.grid(axis="y", visible=False)
            plot_first_place_shares(ax_r, self.robustness, option_labels=self.option_labels)
            ax_r.set_title("Ranks first under nearby weights")
            ax_r.set_xlabel("share of nearby weightings where it ranks first (%)")
            if self.n_redraws == 0:  # solve the layout once (constrained), then keep it
                self.figure.savefig(io.BytesIO(), format="png")
                self.figure.set_layout_engine("none")
            png = self._png(redraw_matrix=not same_order)
        self._drawn_order = list(order)
        self.image.value = png
        self.n_redraws += 1
