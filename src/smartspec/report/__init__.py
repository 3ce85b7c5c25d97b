"""The region report: a self-contained HTML (static SVG charts, no external requests) or a PDF
printed from it by headless chromium.

``smartspec report ITC4 --format html|pdf -o FILE`` calls :func:`write_report`.

Where each part lives: the report and the HTML/PDF output in :mod:`smartspec.report.render`;
its charts in :mod:`smartspec.report.svg`; the evidence pack for the enabling condition in
:mod:`smartspec.report.evidence`. The data come from :mod:`smartspec.views`, shared with the web.
"""
from __future__ import annotations

from smartspec.report.render import render_html, write_report

__all__ = ["render_html", "write_report"]
