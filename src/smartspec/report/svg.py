"""Static SVG charts for the region report (no JavaScript, so the HTML prints exactly as shown)."""
from __future__ import annotations

import hashlib
import math
from html import escape

FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'


def _nice(v: float, d: int = 2) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{d}f}"


def bar_chart(labels: list[str], values: list[float], *, width: int = 680, bar_h: int = 20, label_w: int = 330,
              ref: float | None = 1.0, colour: str = "#2a6f97", axis_label: str = "") -> str:
    """Horizontal bars, largest first, with the value at the end of each bar and a reference line."""
    n = len(values)
    if n == 0:
        return ""
    top, bottom = 8, 34
    h = top + n * bar_h + bottom
    vmax = max([v for v in values if v is not None] + [ref or 0, 1e-9]) * 1.12
    plot_w = width - label_w - 50
    sx = lambda v: label_w + plot_w * (v / vmax)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {h}" width="100%" {FONT} font-size="11">']
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = top + i * bar_h
        lab = lab if len(lab) <= 52 else lab[:51] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.68:.1f}" text-anchor="end">{escape(lab)}</text>')
        if v is not None:
            out.append(f'<rect x="{label_w}" y="{y + 3}" width="{max(sx(v) - label_w, 0):.1f}" height="{bar_h - 6}" fill="{colour}"/>')
            out.append(f'<text x="{sx(v) + 4:.1f}" y="{y + bar_h * 0.68:.1f}">{_nice(v)}</text>')
    base = top + n * bar_h
    out.append(f'<line x1="{label_w}" y1="{base}" x2="{label_w + plot_w}" y2="{base}" stroke="#999"/>')
    for k in range(0, 6):
        v = vmax * k / 5
        out.append(f'<text x="{sx(v):.1f}" y="{base + 14}" text-anchor="middle" fill="#555">{_nice(v, 1)}</text>')
    if ref is not None and ref < vmax:
        out.append(f'<line x1="{sx(ref):.1f}" y1="{top}" x2="{sx(ref):.1f}" y2="{base}" stroke="#888" stroke-dasharray="3,3"/>')
    if axis_label:
        out.append(f'<text x="{label_w + plot_w / 2:.1f}" y="{h - 4}" text-anchor="middle" fill="#333">{escape(axis_label)}</text>')
    out.append("</svg>")
    return "".join(out)


QUADRANT_COLOURS = {"high_high": "#2a9d8f", "low_high": "#e9c46a", "high_low": "#8ab17d", "low_low": "#bbbbbb"}


def quadrant_chart(points: list[dict], *, x_thr: float | None, y_thr: float | None, labels: dict[str, str],
                   x_label: str, y_label: str, width: int = 680, height: int = 440, n_labels: int = 12) -> str:
    """Scatter of relatedness density (x) against complexity (y), quadrant lines and the top points labelled.

    ``points``: dicts with ``x``, ``y``, ``quadrant``, ``label`` and ``rank``.
    """
    pts = [p for p in points if p.get("x") is not None and p.get("y") is not None]
    if not pts:
        return ""
    ml, mr, mt, mb = 52, 16, 14, 42
    xs = [p["x"] for p in pts] + ([x_thr] if x_thr is not None else [])
    ys = [p["y"] for p in pts] + ([y_thr] if y_thr is not None else [])
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    px, py = (x1 - x0) * 0.06 or 0.1, (y1 - y0) * 0.06 or 0.1
    x0, x1, y0, y1 = x0 - px, x1 + px, y0 - py, y1 + py
    sx = lambda v: ml + (width - ml - mr) * (v - x0) / (x1 - x0)  # noqa: E731
    sy = lambda v: height - mb - (height - mt - mb) * (v - y0) / (y1 - y0)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" {FONT} font-size="10.5">',
           f'<rect x="{ml}" y="{mt}" width="{width - ml - mr}" height="{height - mt - mb}" fill="#fafbfc" stroke="#ccc"/>']
    for k in range(5):
        xv = x0 + (x1 - x0) * k / 4
        yv = y0 + (y1 - y0) * k / 4
        out.append(f'<text x="{sx(xv):.1f}" y="{height - mb + 14}" text-anchor="middle" fill="#555">{_nice(xv)}</text>')
        out.append(f'<text x="{ml - 5}" y="{sy(yv) + 3:.1f}" text-anchor="end" fill="#555">{_nice(yv, 1)}</text>')
    if x_thr is not None:
        out.append(f'<line x1="{sx(x_thr):.1f}" y1="{mt}" x2="{sx(x_thr):.1f}" y2="{height - mb}" stroke="#555" stroke-dasharray="5,4"/>')
    if y_thr is not None:
        out.append(f'<line x1="{ml}" y1="{sy(y_thr):.1f}" x2="{width - mr}" y2="{sy(y_thr):.1f}" stroke="#555" stroke-dasharray="5,4"/>')
    corner = [("high_high", width - mr - 6, mt + 14, "end"), ("low_high", ml + 6, mt + 14, "start"),
              ("high_low", width - mr - 6, height - mb - 6, "end"), ("low_low", ml + 6, height - mb - 6, "start")]
    for key, x, y, anchor in corner:
        out.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="11.5" font-weight="bold" '
                   f'fill="{QUADRANT_COLOURS.get(key, "#555")}">{escape(labels.get(key, key))}</text>')
    for p in pts:
        c = QUADRANT_COLOURS.get(p.get("quadrant", ""), "#777")
        out.append(f'<circle cx="{sx(p["x"]):.1f}" cy="{sy(p["y"]):.1f}" r="4.5" fill="{c}" stroke="#333" stroke-width="0.5"/>')
    ranked = sorted(pts, key=lambda p: p.get("rank") or 1e9)[:n_labels]
    for p in ranked:
        out.append(f'<text x="{sx(p["x"]) + 6:.1f}" y="{sy(p["y"]) - 5:.1f}" fill="#222">{escape(str(p["label"]))}</text>')
    out.append(f'<text x="{(ml + width - mr) / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="#333">{escape(x_label)} →</text>')
    out.append(f'<text transform="translate(13,{(mt + height - mb) / 2:.1f}) rotate(-90)" text-anchor="middle" fill="#333">{escape(y_label)} →</text>')
    out.append("</svg>")
    return "".join(out)


def _ramp(t: float) -> str:
    """Light yellow -> dark red."""
    t = min(max(t, 0.0), 1.0)
    a, b = (255, 237, 160), (189, 0, 38)
    return "#%02x%02x%02x" % tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def choropleth(geojson: dict, values: dict[str, float], *, highlight: list[str] = (), focus: list[str] | None = None,
               width: int = 680, height: int = 460, legend: str = "", names: dict[str, str] | None = None,
               reverse: bool = False) -> str:
    """A NUTS map: regions in ``values`` coloured (light to dark; ``reverse``: the lowest value
    darkest, for ranks), ``highlight`` outlined in blue.

    The view is the bounding box of ``focus`` (default: every coloured region), padded, in an
    equirectangular projection corrected for latitude.
    """
    feats = geojson.get("features", [])
    focus = list(focus or list(values) + list(highlight))

    def coords(geom):
        if geom["type"] == "Polygon":
            return [geom["coordinates"]]
        return geom["coordinates"]

    xs, ys = [], []
    for f in feats:
        if f["id"] in focus:
            for poly in coords(f["geometry"]):
                for x, y in poly[0]:
                    if x > -30 or f["id"] in highlight:
                        xs.append(x)
                        ys.append(y)
    if not xs:
        return ""
    bx0, bx1, by0, by1 = min(xs), max(xs), min(ys), max(ys)
    pad = max(bx1 - bx0, by1 - by0) * 0.08 + 0.5
    bx0, bx1, by0, by1 = bx0 - pad, bx1 + pad, by0 - pad, by1 + pad
    k = math.cos(math.radians((by0 + by1) / 2))
    sw, sh = (bx1 - bx0) * k, by1 - by0
    scale = min((width - 20) / sw, (height - 50) / sh)
    ox = (width - sw * scale) / 2
    oy = 10 + ((height - 50) - sh * scale) / 2
    P = lambda x, y: f"{ox + (x - bx0) * k * scale:.1f},{oy + (by1 - y) * scale:.1f}"  # noqa: E731
    vals = [v for v in values.values() if v is not None]
    vmin, vmax = (min(vals), max(vals)) if vals else (0, 1)
    fmt = "{:.0f}" if all(float(v).is_integer() for v in vals) else "{:.2f}"
    # ids are global to the HTML page: each map needs its own clip path, or a second map is cut
    # to the first one's height and runs under its own legend
    clip = "clip-" + hashlib.sha1(repr((width, height, legend, sorted(focus), sorted(values.items()))).encode()).hexdigest()[:10]

    def colour(t: float) -> str:
        return _ramp(1 - t if reverse else t)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" {FONT} font-size="10">',
           f'<clipPath id="{clip}"><rect x="0" y="0" width="{width}" height="{height - 40}"/></clipPath>'
           f'<g clip-path="url(#{clip})">']
    top = []
    for f in feats:
        code = f["id"]
        d = " ".join("M" + " L".join(P(x, y) for x, y in ring) + "Z" for poly in coords(f["geometry"]) for ring in poly)
        v = values.get(code)
        fill = "#e3e3e3" if v is None else colour((v - vmin) / ((vmax - vmin) or 1))
        title = escape((names or {}).get(code, code) + (": " + fmt.format(v) if v is not None else ""))
        el = f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="0.4"><title>{title}</title></path>'
        if code in highlight:
            top.append(f'<path d="{d}" fill="none" stroke="#1d4e89" stroke-width="2.2"/>')
        out.append(el)
    out.extend(top)
    out.append("</g>")
    if vals:
        for i in range(60):
            out.append(f'<rect x="{20 + i * 3}" y="{height - 22}" width="3.2" height="9" fill="{colour(i / 59)}"/>')
        out.append(f'<text x="20" y="{height - 26}" fill="#333">{escape(legend)}</text>')
        out.append(f'<text x="20" y="{height - 2}" fill="#555">{fmt.format(vmin)}</text>')
        out.append(f'<text x="200" y="{height - 2}" text-anchor="end" fill="#555">{fmt.format(vmax)}</text>')
    out.append("</svg>")
    return "".join(out)
