"""The region report: a self-contained HTML (static SVG charts, no external requests) or a PDF
printed from it by headless chromium.

``smartspec report ITC4 --format html|pdf -o FILE`` calls :func:`write_report`.
"""
from __future__ import annotations

from smartspec.report.render import render_html, write_report

__all__ = ["render_html", "write_report"]
