"""Build the API reference (HTML) from the docstrings with pdoc.

Run: ``.venv/bin/python docs/build_api.py [OUTPUT_DIR]`` (default ``build/api``); open
``OUTPUT_DIR/index.html``. Every module of the package gets a page, also those a package's
``__all__`` does not re-export. The test suite builds it too (tests/test_docs.py), so a
docstring pdoc cannot read fails CI.
"""
from __future__ import annotations

import pkgutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules() -> list[str]:
    """Every module of smartspec, by dotted name (the CLI entry point included)."""
    import smartspec

    names = ["smartspec"] + [m.name for m in pkgutil.walk_packages(smartspec.__path__, "smartspec.")]
    return sorted(n for n in names if not n.rsplit(".", 1)[-1].startswith("_"))


def build(output: Path) -> list[Path]:
    """Write the reference into ``output``; returns the HTML pages written."""
    import pdoc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdoc.render.configure(docformat="numpy", footer_text="smartspec API reference")
        pdoc.pdoc(*modules(), output_directory=output)
    return sorted(output.rglob("*.html"))


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "api"
    pages = build(out)
    print(f"wrote {len(pages)} pages to {out}")
