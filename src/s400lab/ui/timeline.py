"""Background widgets: the interactive timeline and "the sources behind any row".

* :class:`TimelineExplorer` -- filter the events (actor, type, confidence, months), see them on
  a timeline figure that is created once and redrawn in place, in a table, and pick one event
  to read its description, its conflicting variants and its sources.
* :class:`SourcesViewer` -- pick any row of events / deals / deliveries / promises and read the
  sources it cites, and the variant rows (other sources' versions) next to it.

The filtering helpers (:func:`~s400lab.analysis.events.filter_events`, ``sources_of``,
``related_variants``, ``disagreements``) live in :mod:`s400lab.analysis.events`; the HTML
rendering here is plain functions too, tested without a browser. All text from the data is
escaped with :func:`html.escape` before it reaches HTML.
The figure is a PNG in an ``ipywidgets.Image``, so it works the same in JupyterLab, in Voila
and under nbclient.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
import pandas as pd
import traitlets
from matplotlib.figure import Figure

# The pure table helpers live in the analysis layer; the widgets use them, and older notebooks
# imported them from this module (re-exported: see __all__).
from s400lab.analysis.events import (
    _blank,
    _table,
    disagreements,
    filter_events,
    precision_span,
    related_variants,
    sources_of,
    split_ids,
)
from s400lab.plots.style import PROJECTOR_RC
from s400lab.plots.timeline import CONFIDENCE_ORDER, format_date, plot_timeline
from s400lab.ui.panel import Panel

__all__ = [
    "CONFIDENCE_HELP",
    "ID_COLUMNS",
    "SOURCED_TABLES",
    "CheckGroup",
    "SourcesViewer",
    "TimelineExplorer",
    "disagreements",
    "filter_events",
    "html_table",
    "related_variants",
    "row_detail_html",
    "sources_of",
    "split_ids",
]

#: Primary-key column of each table that cites sources.
ID_COLUMNS = {"events": "event_id", "deals": "deal_id", "deliveries": "delivery_id", "promises": "promise_id"}

#: Tables offered by :class:`SourcesViewer`, in menu order.
SOURCED_TABLES = ("events", "deals", "deliveries", "promises")

#: What each grade means (shown in notebooks and help texts); from reference/domain_facts.md.
CONFIDENCE_HELP = {
    "official": "a government or manufacturer statement, or law text (incl. state agencies "
    "such as TASS or Anadolu relaying it)",
    "reported": "a mainstream or trade outlet citing sources",
    "claimed": "a party to the conflict or a single interested outlet asserts it, unverified",
    "disputed": "sources conflict; the versions are kept as variant rows",
}


def _esc(value) -> str:
    return "" if _blank(value) else html.escape(str(value))


def _link(url) -> str:
    if _blank(url):
        return ""
    url = str(url).strip()
    text = html.escape(url)
    if not url.lower().startswith(("http://", "https://")):
        return text  # never make a javascript: or data: URL clickable
    return f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">{text}</a>'


def _precision_column(table_or_row, col: str) -> str | None:
    names = table_or_row.index if isinstance(table_or_row, pd.Series) else table_or_row.columns
    for cand in (
        f"{col}_precision",
        f"{col.removesuffix('_date')}_precision",
        f"{col.removesuffix('_on')}_precision",
    ):
        if cand in names and cand != col:
            return cand
    return None


def _format_cell(row: pd.Series, col: str) -> str:
    value = row[col]
    if isinstance(value, (pd.Timestamp, np.datetime64)) or (
        col.endswith(("date", "_on", "published")) and not _blank(value)
    ):
        prec = _precision_column(row, col)
        return format_date(value, row[prec] if prec else "day")
    if isinstance(value, float) and not _blank(value):
        return f"{value:g}"
    return "" if _blank(value) else str(value)


_TABLE_STYLE = "border-collapse:collapse;font-size:13px;line-height:1.35;"
_CELL = "padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;"


def html_table(
    df: pd.DataFrame,
    columns: Sequence[str],
    headers: Sequence[str] | None = None,
    *,
    max_height: str | None = None,
) -> str:
    """An escaped HTML table of ``df[columns]`` (dates written to their precision)."""
    headers = list(headers or columns)
    head = "".join(f'<th style="{_CELL}">{html.escape(h)}</th>' for h in headers)
    body = []
    for _, r in df.iterrows():
        cells = []
        for c in columns:
            if c == "url":
                cells.append(_link(r.get(c)))
            else:
                cells.append(_esc(_format_cell(r, c)) if c in r.index else "")
        body.append("<tr>" + "".join(f'<td style="{_CELL}">{v}</td>' for v in cells) + "</tr>")
    table = (
        f'<table style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    if max_height:
        return f'<div style="max-height:{max_height};overflow:auto">{table}</div>'
    return table


SOURCE_COLUMNS = ["publication", "original_outlet", "title", "url", "published"]
SOURCE_HEADERS = ["publication", "relays", "title", "link", "published"]


def row_detail_html(row: pd.Series, sources: pd.DataFrame, variants: pd.DataFrame, id_column: str) -> str:
    """HTML for one row: its fields, the variant rows next to it, and its sources."""
    skip = {"source_ids", "variant_of", id_column}
    skip |= {c for c in row.index if c.endswith("_precision")}
    title = row.get("title", row.get("description", row[id_column]))
    parts = [
        f"<h4 style='margin:4px 0'>{_esc(title)}</h4>",
        f"<div style='color:#555'>{html.escape(id_column)} = <code>{_esc(row[id_column])}</code></div>",
    ]
    fields = [(c, _format_cell(row, c)) for c in row.index if c not in skip]
    fields = [(c, v) for c, v in fields if v != ""]
    parts.append(
        f'<table style="{_TABLE_STYLE}">'
        + "".join(
            f'<tr><th style="{_CELL}">{html.escape(c)}</th><td style="{_CELL}">{html.escape(v)}</td></tr>'
            for c, v in fields
        )
        + "</table>"
    )
    if not variants.empty:
        if not _blank(row.get("variant_of")):
            intro = (
                f"This row is a <b>variant</b> of <code>{_esc(row.get('variant_of'))}</code>: "
                "another source reports the same fact differently."
            )
        else:
            intro = "Other sources report this differently (variant rows):"
        both = pd.concat([row.to_frame().T, variants])
        differ = [
            c
            for c in both.columns
            if c not in skip | {"notes"} and both[c].astype(str).nunique(dropna=False) > 1
        ]
        cols = [id_column] + differ + ["confidence", "source_ids"]
        cols = list(dict.fromkeys(c for c in cols if c in variants.columns))
        parts.append(f"<h4 style='margin:10px 0 4px'>Where sources disagree</h4><p>{intro}</p>")
        parts.append(html_table(variants, cols))
    parts.append(f"<h4 style='margin:10px 0 4px'>Sources ({len(sources)})</h4>")
    if sources.empty:
        parts.append("<p><i>No source cited.</i></p>")
    else:
        parts.append(html_table(sources, SOURCE_COLUMNS, SOURCE_HEADERS))
    return "".join(parts)


def _row_label(table_name: str, r: pd.Series) -> str:
    variant = "" if _blank(r.get("variant_of")) else " (variant)"
    if table_name == "events":
        return f"{format_date(r['date'], r.get('date_precision'))} \u00b7 {r['title']}{variant}"
    if table_name == "deals":
        return f"{r['deal_id']} \u00b7 {r['buyer']} ({r['status']}){variant}"
    if table_name == "deliveries":
        return f"{r['delivery_id']} \u00b7 {r['description']}"
    if table_name == "promises":
        return (
            f"{r['promise_id']} \u00b7 promised "
            f"{format_date(r['promised_date'], r.get('promised_precision'))}, stated "
            f"{format_date(r['stated_on'], r.get('stated_precision'))}"
        )
    return str(r.iloc[0])


# --------------------------------------------------------------------------- widgets
class SourcesViewer(widgets.VBox):
    """Pick a row of a sourced table and read its fields, variants and sources.

    Parameters
    ----------
    dataset : object or dict
        Has DataFrames ``sources`` and the tables named in ``tables`` (attributes or keys),
        e.g. the result of ``s400lab.data.load()``.
    tables : sequence of str, optional
        Which tables to offer (default: those of events, deals, deliveries, promises present).
    table : str, optional
        The table shown first.

    Attributes
    ----------
    table_select, row_select : ipywidgets.Dropdown
    detail : ipywidgets.HTML
    """

    def __init__(self, dataset, tables: Sequence[str] | None = None, *, table: str | None = None):
        self._dataset = dataset
        self._sources = _table(dataset, "sources")
        if tables is None:
            tables = [t for t in SOURCED_TABLES if _has(dataset, t)]
        self._tables = list(tables)
        self._rows: pd.DataFrame | None = None
        self.table_select = widgets.Dropdown(
            options=self._tables,
            value=table or self._tables[0],
            description="Table",
            tooltip="Which table to pick a row from",
        )
        self.row_select = widgets.Dropdown(
            options=[],
            description="Row",
            layout=widgets.Layout(width="95%"),
            tooltip="The row whose sources you want to read",
        )
        self.detail = widgets.HTML()
        self.table_select.observe(self._on_table, names="value")
        self.row_select.observe(self._on_row, names="value")
        children = [self.row_select, self.detail]
        if len(self._tables) > 1:
            children.insert(0, self.table_select)
        super().__init__(children=children)
        self._on_table()

    # -- public ---------------------------------------------------------------------------
    @property
    def table_name(self) -> str:
        return self.table_select.value

    @property
    def full_table(self) -> pd.DataFrame:
        return _table(self._dataset, self.table_name)

    @property
    def id_column(self) -> str:
        return ID_COLUMNS.get(self.table_name) or next(
            c for c in self.full_table.columns if c.endswith("_id")
        )

    @property
    def row(self) -> pd.Series | None:
        """The selected row (``None`` when the list is empty)."""
        if self.row_select.value is None or self._rows is None:
            return None
        hit = self._rows[self._rows[self.id_column].astype(str) == self.row_select.value]
        return None if hit.empty else hit.iloc[0]

    @property
    def selected_sources(self) -> pd.DataFrame:
        """The sources cited by the selected row."""
        row = self.row
        return self._sources.iloc[0:0] if row is None else sources_of(row, self._sources)

    def set_rows(self, rows: pd.DataFrame) -> None:
        """Offer only these rows of the current table (variants still come from the full table).

        Keeps the current selection when it is still offered.
        """
        self._rows = rows
        current = self.row_select.value
        options = [(_row_label(self.table_name, r), str(r[self.id_column])) for _, r in rows.iterrows()]
        values = [v for _, v in options]
        self.row_select.options = options
        self.row_select.value = current if current in values else (values[0] if values else None)
        self._render()

    def select(self, row_id: str) -> None:
        """Select a row by id."""
        self.row_select.value = str(row_id)

    # -- internals ------------------------------------------------------------------------
    def _on_table(self, change=None) -> None:
        self.row_select.value = None
        self.set_rows(self.full_table)

    def _on_row(self, change=None) -> None:
        self._render()

    def _render(self) -> None:
        row = self.row
        if row is None:
            self.detail.value = "<p><i>No row to show: widen the filters.</i></p>"
            return
        variants = related_variants(self.full_table, str(row[self.id_column]), self.id_column)
        self.detail.value = row_detail_html(row, sources_of(row, self._sources), variants, self.id_column)


def _has(dataset, name: str) -> bool:
    try:
        return isinstance(_table(dataset, name), pd.DataFrame)
    except (AttributeError, KeyError):
        return False


def _month_options(events: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    """``("Apr 2015", Timestamp("2015-04-01")), ...`` from the first to the last event's month.

    Labels are ``Mon YYYY``: the range slider writes its readout as ``first-last``, and
    ``2015-04-2026-07`` (ISO months) would be unreadable.
    """
    start, end = precision_span(events["date"], events["date_precision"])
    first = start.min().to_period("M")
    last = (end.max() - pd.Timedelta(days=1)).to_period("M")
    return [(p.strftime("%b %Y"), p.start_time) for p in pd.period_range(first, last, freq="M")]


class CheckGroup(widgets.VBox):
    """Pick several options with one checkbox each, plus *all* / *none* buttons.

    Used instead of ``ipywidgets.SelectMultiple``: in JupyterLab the notebook's command-mode
    shortcuts take the arrow keys from a focused ``<select>`` (a student cannot change the
    selection by keyboard there), whereas Tab + Space on a checkbox works in JupyterLab, Voila
    and the classic notebook alike. It also shows at a glance what is switched off.

    Parameters
    ----------
    options : sequence of str
    value : sequence of str, optional
        The options ticked at the start (default: all).
    description : str
        Heading shown above the boxes.
    columns : int
        Checkboxes per row.
    tooltip : str
        Hover text of the heading.

    Attributes
    ----------
    value : tuple of str
        The ticked options, in the order of ``options`` (observable, like a widget's value;
        one change notification per assignment).
    options : tuple of str
    checkboxes : dict of str -> ipywidgets.Checkbox
    """

    value = traitlets.Tuple()

    def __init__(
        self,
        options: Sequence[str],
        value: Sequence[str] | None = None,
        *,
        description: str = "",
        columns: int = 1,
        tooltip: str = "",
    ) -> None:
        self.options = tuple(str(o) for o in options)
        self._syncing = False
        self.checkboxes = {
            o: widgets.Checkbox(
                value=True, description=o, indent=False, layout=widgets.Layout(width="auto", margin="0")
            )
            for o in self.options
        }
        self.all_button = widgets.Button(
            description="all",
            tooltip=f"tick every {description}",
            layout=widgets.Layout(width="auto", height="24px"),
        )
        self.none_button = widgets.Button(
            description="none",
            tooltip=f"untick every {description}",
            layout=widgets.Layout(width="auto", height="24px"),
        )
        self.all_button.on_click(lambda _b: setattr(self, "value", self.options))
        self.none_button.on_click(lambda _b: setattr(self, "value", ()))
        title = html.escape(tooltip, quote=True)
        head = widgets.HBox(
            [
                widgets.HTML(f"<b title='{title}'>{html.escape(description)}</b>"),
                self.all_button,
                self.none_button,
            ],
            layout=widgets.Layout(align_items="center"),
        )
        grid = widgets.GridBox(
            list(self.checkboxes.values()),
            layout=widgets.Layout(
                grid_template_columns=f"repeat({max(1, int(columns))}, max-content)", grid_gap="0 14px"
            ),
        )
        super().__init__([head, grid], layout=widgets.Layout(margin="0 18px 6px 0"))
        for o, box in self.checkboxes.items():
            box.observe(lambda change, o=o: self._on_box(o, change), names="value")
        self.observe(self._on_value, names="value")
        self.value = self.options if value is None else tuple(value)
        self._on_value()

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        picked = tuple(str(v) for v in proposal["value"])
        unknown = [v for v in picked if v not in self.options]
        if unknown:
            raise traitlets.TraitError(f"not an option: {unknown}")
        return tuple(o for o in self.options if o in set(picked))

    def _on_value(self, change=None) -> None:
        self._syncing = True
        try:
            for o, box in self.checkboxes.items():
                box.value = o in self.value
        finally:
            self._syncing = False

    def _on_box(self, option: str, change) -> None:
        if self._syncing:
            return
        ticked = {o for o, box in self.checkboxes.items() if box.value}
        self.value = tuple(o for o in self.options if o in ticked)


class TimelineExplorer(Panel):
    """Filter the event timeline; figure, table and sources update together.

    Parameters
    ----------
    dataset : object or dict
        Provides DataFrames ``events`` and ``sources`` (e.g. ``s400lab.data.load()``).
    max_labels : int
        Write every title on the chart when at most this many events are shown; otherwise
        only the event picked in the sources view is labelled.
    figsize : tuple of float
        Size of the figure (inches), created once.

    Attributes
    ----------
    actors, event_types, grades : CheckGroup
        One checkbox per option (``.value`` is the tuple of ticked options).
    months : ipywidgets.SelectionRangeSlider
        Date range, in whole months (inclusive).
    lanes : ipywidgets.ToggleButtons
    image : ipywidgets.Image
        The timeline figure (PNG), redrawn in place on every change.
    table : ipywidgets.HTML
    sources : SourcesViewer
    busy, n_redraws, last_error
        The panel convention (:mod:`s400lab.ui.panel`): ``busy`` while the filters are set or
        applied (filter callbacks wait), ``n_redraws`` counts figure renders, ``last_error`` is
        the message of the last failed redraw (also shown in the status line).
    """

    def __init__(self, dataset, *, max_labels: int = 12, figsize=(12.0, 5.6)):
        self._events = _table(dataset, "events").reset_index(drop=True)
        self.max_labels = max_labels
        ev = self._events
        self._build_filters(ev)
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.table = widgets.HTML()
        self.sources = SourcesViewer({"events": ev, "sources": _table(dataset, "sources")}, tables=["events"])
        for w, name in ((self.status, "status"), (self.image, "image"), (self.table, "table")):
            w.add_class(f"s400-tl-{name}")
        self.add_class("s400-timeline")
        self.sources.row_select.description = "Event"

        with mpl.rc_context(PROJECTOR_RC):
            self._fig = Figure(figsize=figsize, layout="constrained", dpi=96)
            self._ax = self._fig.add_subplot()
        self._filtered = ev
        for w in (self.actors, self.event_types, self.grades, self.months, self.lanes):
            w.observe(self._on_filter, names="value")
        self.sources.row_select.observe(self._on_pick, names="value")
        self.reset.on_click(self._on_reset)

        tabs = widgets.Tab(children=[self.table, self.sources])
        tabs.set_title(0, "Events table")
        tabs.set_title(1, "Sources of an event")
        super().__init__(
            children=[
                widgets.HBox(
                    [self.actors, self.event_types, self.grades], layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.months,
                widgets.HBox([self.lanes, self.reset]),
                self.status,
                self.image,
                tabs,
            ]
        )
        self.update()

    def _build_filters(self, ev: pd.DataFrame) -> None:
        """Actor, event-type and grade checkboxes, the month range, the lane choice and the
        reset button, with the options the events have."""
        actors = [a for a in _ordered(ev["actor"])]
        types = sorted(str(t) for t in pd.unique(ev["event_type"].dropna()))
        grades = [g for g in CONFIDENCE_ORDER if g in set(ev["confidence"])]
        grades += sorted(set(ev["confidence"].dropna().astype(str)) - set(grades))
        self.actors = CheckGroup(actors, description="Actors", columns=2, tooltip="Who acted (tick several)")
        self.event_types = CheckGroup(
            types, description="Event type", columns=3, tooltip="Kinds of event to show"
        )
        self.grades = CheckGroup(
            grades,
            description="Confidence",
            columns=1,
            tooltip="; ".join(f"{g}: {CONFIDENCE_HELP.get(g, '')}" for g in grades),
        )
        for name, group in (("actors", self.actors), ("types", self.event_types), ("grades", self.grades)):
            group.add_class(f"s400-tl-{name}")
        months = _month_options(ev)
        self.months = widgets.SelectionRangeSlider(
            options=months,
            index=(0, len(months) - 1),
            description="Months",
            continuous_update=False,
            layout=widgets.Layout(width="95%", max_width="900px"),
            style={"description_width": "initial"},
            tooltip="First and last month shown (inclusive); arrow keys move a handle by one month",
        )
        self.months.add_class("s400-tl-months")
        self.lanes = widgets.ToggleButtons(
            options=[("one lane per actor", "actor"), ("one lane per event type", "event_type")],
            value="actor",
            description="Lanes",
            style={"button_width": "auto"},
            tooltips=["lanes = actors", "lanes = event types"],
        )
        self.reset = widgets.Button(description="Show everything", icon="undo", tooltip="Clear all filters")

    # -- public ---------------------------------------------------------------------------
    @property
    def events(self) -> pd.DataFrame:
        """All events (unfiltered)."""
        return self._events

    @property
    def filtered(self) -> pd.DataFrame:
        """The events passing the current filters, in date order."""
        return self._filtered

    @property
    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """``[start, end)`` of the month slider: first day of the first month, first day after
        the last month."""
        lo, hi = self.months.value
        return pd.Timestamp(lo), pd.Timestamp(hi) + pd.DateOffset(months=1)

    @property
    def figure(self) -> Figure:
        """The one figure this widget draws into."""
        return self._fig

    def update(self) -> None:
        """Re-apply the filters, then refresh the sources list, table and figure."""
        with self._busy():
            start, end = self.date_range
            f = filter_events(
                self._events,
                actors=self.actors.value,
                event_types=self.event_types.value,
                confidence=self.grades.value,
                start=start,
                end=end,
            )
            self._filtered = f.sort_values("date", kind="stable")
            self.sources.set_rows(self._filtered)
            self.table.value = html_table(
                self._filtered,
                ["date", "actor", "event_type", "title", "confidence", "variant_of"],
                ["date", "actor", "type", "title", "confidence", "variant of"],
                max_height="360px",
            )
        self.redraw()

    def redraw(self) -> None:
        """Clear the one Axes, draw the filtered events, and refresh the image."""
        try:
            with mpl.rc_context(PROJECTOR_RC):
                self._ax.clear()
                art = plot_timeline(
                    self._ax,
                    self._filtered,
                    lanes=self.lanes.value,
                    max_labels=self.max_labels,
                    highlight=self.sources.row_select.value,
                )
                buf = io.BytesIO()
                self._fig.savefig(buf, format="png")
            self.image.value = buf.getvalue()
            n = len(self._filtered)
            hint = (
                ""
                if n <= self.max_labels
                else (
                    f" Titles are written when at most {self.max_labels} are shown; the event "
                    "picked under <i>Sources of an event</i> is ringed and labelled."
                )
            )
            self.status.value = (
                f"<div style='line-height:1.4'><b>{n}</b> of "
                f"{len(self._events)} events shown ({art.n_points} markers)."
                f"{hint}</div>"
            )
            self.last_error = None
            self.n_redraws += 1
        except Exception as exc:  # shown to the user instead of vanishing in a callback
            self.status.value = self._fail(f"Could not redraw: {exc!r}")

    # -- callbacks ------------------------------------------------------------------------
    def _on_filter(self, change=None) -> None:
        if not self.busy:
            self.update()

    def _on_pick(self, change=None) -> None:
        if not self.busy:
            self.redraw()

    def _on_reset(self, _button=None) -> None:
        with self._busy():
            self.actors.value = tuple(self.actors.options)
            self.event_types.value = tuple(self.event_types.options)
            self.grades.value = tuple(self.grades.options)
            self.months.index = (0, len(self.months.options) - 1)
        self.update()


def _ordered(actors: pd.Series) -> list[str]:
    from s400lab.plots.style import ACTOR_COLOURS

    present = set(actors.dropna().astype(str))
    return [a for a in ACTOR_COLOURS if a in present] + sorted(present - set(ACTOR_COLOURS))
