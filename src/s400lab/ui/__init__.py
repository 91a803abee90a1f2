"""UI layer: ipywidgets applications wiring widgets -> model/analysis -> plots.

Import from the submodules, e.g. ``from s400lab.ui.explorer import ScenarioExplorer``.
"""
