"""The JSON API under ``/api``: the pages' data as response models (:mod:`smartspec.views.models`)."""
from __future__ import annotations

import io
from typing import Literal, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from smartspec import views as v
from smartspec.store import Store
from smartspec.views import models as m
from smartspec.web.render import Asset

NOT_FOUND = {404: {"model": m.ErrorBody, "description": "Unknown region, activity, network or table"}}


def router(store: Store, page) -> APIRouter:
    r = APIRouter(prefix="/api")
    info = page.info

    @r.get("/info", response_model=m.StoreInfo, summary="What the store holds")
    def api_info(request: Request):
        return page.json(request, ("info",), lambda: info)

    @r.get("/regions", response_model=list[m.RegionHit], summary="Search regions by code or name")
    def api_regions(request: Request,
                    q: str = Query(..., min_length=1, max_length=100, description="Code or name in any language"),
                    limit: int = Query(10, ge=1, le=100)):
        return page.json_list(request, ("regions", q, limit), lambda: v.search_regions(store, q, limit))

    @r.get("/map", response_model=m.MapData, responses=NOT_FOUND, summary="Values for the choropleth map")
    def api_map(request: Request, metric: Literal["eci", "diversity", "rca"] = "eci",
                activity: Optional[str] = Query(None, max_length=200)):
        act = store.resolve_activity(activity) if metric == "rca" and activity else None
        return page.json(request, ("map", metric, act), lambda: v.map_data(store, metric, act))

    @r.get("/region/{region}", response_model=m.RegionView, responses=NOT_FOUND,
           summary="A region's profile: specialisations, opportunities, competences, paths, niches, partners")
    def api_region(request: Request, region: str = Path(..., examples=["ITC4", "Lombardia", "Lombardy", "DE11"]),
                   lang: Literal["en", "it"] = Query("en", description="Language of the names and reasons")):
        code = store.resolve_region(region)
        return page.json(request, ("region", code, lang), lambda: v.region_view(store, code, lang=lang))

    @r.get("/activity/{activity}", response_model=m.ActivityDetail, responses=NOT_FOUND,
           summary="An activity: where it is specialised, related activities, complexity, recent entrants")
    def api_activity(request: Request, activity: str = Path(..., examples=["C13", "C28", "Manufacture of textiles"]),
                     lang: Literal["en", "it"] = Query("en", description="Language of the names")):
        code = store.resolve_activity(activity)
        return page.json(request, ("activity", code, lang), lambda: v.activity_detail(store, code, lang=lang))

    @r.get("/space", response_model=m.Space, responses=NOT_FOUND, summary="The activity space network")
    def api_space(request: Request, color: Literal["presence", "ecosystem"] = "presence",
                  region: Optional[str] = Query(None, max_length=200)):
        code = store.resolve_region(region) if region else None
        return page.json(request, ("space", color, code), lambda: v.space(store, color, code))

    @r.get("/compare", response_model=m.Compare, responses=NOT_FOUND, summary="Network benchmarking")
    def api_compare(request: Request, network: Optional[str] = Query(None, max_length=200),
                    lang: Literal["en", "it"] = Query("en", description="Language of the names and the note")):
        name = v.resolve_network(store, network)
        return page.json(request, ("compare", name, lang), lambda: v.compare(store, name, lang=lang))

    @r.get("/backtest", response_model=m.Backtest, summary="Backtest table and precision curves")
    def api_backtest(request: Request):
        return page.json(request, ("backtest",), lambda: v.backtest(store))

    @r.get("/tables", response_model=list[m.TableInfo], summary="Every downloadable table")
    def api_tables(request: Request):
        return page.json_list(request, ("tables",), lambda: v.tables(store))

    @r.get("/download/{name}", responses={**NOT_FOUND, 200: {"content": {"text/csv": {},
           "application/vnd.apache.parquet": {}}}}, response_class=Response, summary="A table as CSV or Parquet")
    def api_download(request: Request, name: str = Path(..., examples=["regions", "rca", "opportunities"]),
                     format: Literal["csv", "parquet"] = "csv"):
        df = store.table(name)

        def build() -> bytes:
            if format == "csv":
                return df.to_csv(index=False).encode()
            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            return buf.getvalue()

        media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
        asset = page.cache.get(("download", name, format), lambda: Asset(build(), media, compress=format == "csv"))
        return asset.response(request, max_age=None,
                              headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'})

    return r
