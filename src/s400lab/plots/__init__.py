"""Plot layer: matplotlib functions that draw data onto Axes they are given.

No widgets here. Import from the submodules, e.g. ``from s400lab.plots.timeline import plot_timeline``.
Shared colours and projector-friendly styling live in :mod:`s400lab.plots.style`.
"""
