"""Reporting layer: the two-page HTML brief (:mod:`s400lab.reporting.brief`) and its template.

It sits above plots and below ui: it may use data, model, analysis and plots; the explorer
(ui) calls it for *Export brief*.
"""
