"""Analysis layer: ensembles, probabilities, sensitivity, scenario discovery, trade-offs, forecasts.

No widgets, no matplotlib here. Import from the submodules, e.g.
``from s400lab.analysis.sensitivity import tornado``.
"""
