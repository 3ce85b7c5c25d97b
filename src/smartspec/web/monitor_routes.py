"""Web routes of the monitoring dashboard: ``/region/CODE/monitor`` and its JSON twin
``/api/region/CODE/monitor``. Both read the store's monitoring tables and assemble the region's
rows with :func:`smartspec.strategy.monitoring.tables.region_dashboard` (a selection)."""
from __future__ import annotations

import math
from typing import Literal, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from smartspec.web.routes.api import NOT_FOUND

def _clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
        return None if isinstance(v, float) and math.isnan(v) else v
    return v


def _records(df) -> list[dict]:
    return [{k: _clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]


def monitor_view(store, code: str, lang: str = "en") -> dict:
    """Everything the page and the API show for ``code`` (plain JSON-ready structures); the
    notes of the cells in ``lang``."""
    from smartspec.strategy.monitoring.indicators import CATALOGUE, PILLARS
    from smartspec.strategy.monitoring.tables import region_dashboard
    from smartspec.views.monitoring_text import with_cell_notes

    board = with_cell_notes(region_dashboard(store.table, code), lang)
    cat = CATALOGUE.set_index("key")
    units = board.drop_duplicates("unit")[["unit", "name", "role", "group"]]
    pillars = []
    for p in PILLARS:
        part = board[board["pillar"] == p]
        inds = []
        for (ind, brk), g in part.groupby(["indicator", "breakdown"], sort=False):
            years = sorted(g["year"].unique())
            cells = {u: {int(r.year): (_clean(r.value), r.note) for r in gu.itertuples(index=False)}
                     for u, gu in g.groupby("unit", sort=False)}
            inds.append({"key": ind, "label": cat.at[ind, "label"], "label_it": cat.at[ind, "label_it"],
                         "breakdown": brk, "unit": cat.at[ind, "unit"], "source": cat.at[ind, "source"],
                         "note": cat.at[ind, "note"], "years": [int(y) for y in years],
                         "rows": [{"unit": u, "cells": [cells.get(u, {}).get(int(y), (None, "")) for y in years]}
                                  for u in units["unit"]]})
        pillars.append({"key": p, "title": PILLARS[p], "indicators": inds})
    comp = store.table("monitor_composite")
    row = comp[comp["region"] == code]
    agree = store.table("monitor_agreement")
    targets = store.table("monitor_targets") if store.has("monitor_targets") else None
    own_targets = targets is not None and len(targets) and store.manifest.get("region") == code
    return {"region": code, "name": store.region_name(code), "units": _records(units), "pillars": pillars,
            "composite": _records(row)[0] if len(row) else None, "n_composite": int(len(comp)),
            "agreement": _records(agree), "targets": _records(targets) if own_targets else [],
            "dashboard": board}


def router(store, page) -> APIRouter:
    """The monitoring routes on ``store``; ``page`` is create_app's page renderer."""
    r = APIRouter()

    @r.get("/api/region/{region}/monitor", responses=NOT_FOUND, summary="A region's monitoring dashboard by pillar, composite and targets")
    def api_monitor(region: str = Path(..., examples=["ITC4", "Lombardia", "DE11"]),
                    lang: Literal["en", "it"] = Query("en", description="Language of the notes")):
        code = store.resolve_region(region)
        view = monitor_view(store, code, lang)
        view["dashboard"] = _records(view["dashboard"])
        view.pop("pillars")
        return JSONResponse(view)

    @r.get("/region/{region}/monitor", include_in_schema=False)
    def monitor_page(request: Request, region: str, lang: Optional[Literal["en", "it"]] = None):
        code = store.resolve_region(region)
        if code != region:
            return RedirectResponse(f"/region/{code}/monitor", status_code=303)

        def ctx():
            lg = lang or request.cookies.get("lang") or "en"
            return {"m": monitor_view(store, code, lg), "page": "region"}

        return page(request, "monitor.html", ctx, lang=lang, key=("monitor", code))

    return r
