"""Render the region report from the results store (see :mod:`smartspec.report`)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from smartspec._version import __version__
from smartspec.errors import DataNotFoundError, InputError
from smartspec.report import svg
from smartspec.store import Store, open_store
from smartspec import views as v
from smartspec.views.i18n import translator

HERE = Path(__file__).parent

#: Flags for headless chromium on machines without a GPU or network (see docs/web.md).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    env.globals["zip"] = zip
    return env


def render_html(region: str, store: Store | str | os.PathLike | None = None, lang: str = "en") -> str:
    """The report of ``region`` (code or name) as one self-contained HTML string.

    Parameters
    ----------
    region : str
        NUTS code or name in any language the data has.
    store : Store or path, optional
        The results store (default: the default store).
    lang : {"en", "it"}
        Language of the labels.
    """
    st = store if isinstance(store, Store) else open_store(store)
    t = translator(lang)
    prof = v.region_view(st, region, top=20, lang=lang)
    geo = json.loads(st.geojson_bytes or b'{"features": []}')
    mp = v.map_data(st, "eci")
    names = dict(zip(mp.regions, mp.names))
    charts = {
        "spec": svg.bar_chart([f"{s.activity} {s.name}" for s in prof.specialisations[:15]],
                              [s.rca for s in prof.specialisations[:15]], axis_label=t("rca")),
        "map": svg.choropleth(geo, dict(zip(mp.regions, mp.values)), highlight=[prof.region], focus=[prof.region],
                              legend=t("metric_eci"), names=names, height=380),
    }
    if prof.opportunities:
        charts["opp"] = svg.quadrant_chart(
            [{"x": o.density, "y": o.pci, "quadrant": o.quadrant, "label": o.activity, "rank": o.rank}
             for o in prof.opportunities],
            x_thr=prof.density_threshold, y_thr=prof.pci_threshold,
            labels={k: t("q_" + k) for k in ("high_high", "low_high", "high_low", "low_low")},
            x_label=t("density"), y_label=t("complexity"))
    partner_col = _region_column(prof.partners.rows, set(mp.regions), prof.region) if prof.partners.available else None
    if partner_col:
        ranks = {r[partner_col]: float(i + 1) for i, r in enumerate(prof.partners.rows)}
        charts["partners"] = svg.choropleth(geo, ranks, highlight=[prof.region], focus=list(ranks) + [prof.region],
                                            legend=t("partner_rank_legend"), names=names, height=420, reverse=True)
    html = _env().get_template("report.html").render(
        p=prof, t=t, lang=lang, info=v.info(st), charts=charts, version=__version__,
        generated=time.strftime("%Y-%m-%d"), networks=v.networks(st),
    )
    return html


def _region_column(rows: list[dict], known: set, own: str) -> str | None:
    if not rows:
        return None
    for col in rows[0]:
        vals = [r.get(col) for r in rows]
        if all(isinstance(v, str) and v in known for v in vals) and any(v != own for v in vals):
            return col
    return None


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def html_to_pdf(html_path: Path, pdf_path: Path, timeout: float = 120) -> Path:
    """Print an HTML file to PDF with headless chromium."""
    exe = find_chromium()
    if exe is None:
        raise DataNotFoundError("the PDF report needs chromium, which is not installed",
                                fix="install it (Debian: apt-get install chromium) or use --format html")
    with tempfile.TemporaryDirectory(prefix="smartspec-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
               html_path.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise InputError(f"chromium did not write the PDF (exit {proc.returncode}): {proc.stderr[-500:]}",
                         where=str(pdf_path), fix="check that chromium runs headless on this machine")
    return pdf_path


def write_report(region: str, output: str | os.PathLike | None = None, fmt: str | None = None,
                 store_path: str | os.PathLike | None = None, lang: str = "en") -> Path:
    """Write the report of ``region`` to ``output`` as HTML or PDF; returns the path written.

    ``fmt`` is ``"html"`` or ``"pdf"``; by default the suffix of ``output`` says which (see
    :func:`document_format`)."""
    fmt = document_format(fmt, output)
    st = open_store(store_path)
    code = st.resolve_region(region)
    if "has_data" in st.regions and not bool(st.regions.at[code, "has_data"]):
        man = st.manifest
        raise InputError(f"{st.region_name(code)} ({code}) has no value in {man.get('dataset', 'the dataset')} "
                         f"{man.get('year', '')}: there is nothing to report", where="REGION",
                         fix="choose another region (`smartspec regions` lists them)")
    out = output_path(output, f"{code}-report.{fmt}")
    return save_document(render_html(code, st, lang=lang), out, fmt)


#: The document formats, by the file suffixes that name them.
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def document_format(fmt: str | None, output: str | os.PathLike | None = None) -> str:
    """``"html"`` or ``"pdf"``: ``fmt`` (any case) if given, else the one ``output``'s suffix names.

    Without either, HTML. A format that contradicts the suffix (``--format html -o r.pdf``), or
    no format and a suffix that names neither (``-o r.docx``), is refused: the file written would
    not be what its name says.
    """
    suffix = Path(output).suffix.lower() if output else ""
    named = _SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        if suffix and named is None:
            raise InputError(f"cannot tell the document format from the suffix {suffix!r} of {str(output)!r}",
                             where="--output", fix="name the file .html or .pdf, or give --format html or --format pdf")
        return named or "html"
    chosen = str(fmt).lower()
    if chosen not in ("html", "pdf"):
        raise InputError(f"unknown document format {fmt!r}", where="--format", fix="use --format html or --format pdf")
    if named is not None and named != chosen:
        raise InputError(f"--format {chosen} but the output file {str(output)!r} ends in {suffix}",
                         where="--output", fix=f"name the file .{chosen}, or give --format {named}")
    return chosen


def output_path(output, default: str) -> Path:
    """The file to write (``default`` in the working folder), refused if its folder is missing."""
    out = Path(output) if output else Path(default)
    if out.parent and not out.parent.exists():
        raise InputError(f"the folder {str(out.parent)!r} does not exist", where="--output",
                         fix="create it or choose another output file")
    return out


def save_document(html: str, out: Path, fmt: str) -> Path:
    """Write a self-contained HTML document to ``out``, as HTML or printed to PDF by chromium."""
    if fmt == "html":
        out.write_text(html, encoding="utf-8")
        return out
    with tempfile.TemporaryDirectory(prefix="smartspec-") as tmp:
        src = Path(tmp) / "document.html"
        src.write_text(html, encoding="utf-8")
        shutil.copyfile(html_to_pdf(src, Path(tmp) / "document.pdf"), out)
    return out
