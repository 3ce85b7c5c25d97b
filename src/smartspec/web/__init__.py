"""The smartspec web application (FastAPI + Jinja2 + plotly.js served locally).

``create_app(store_path, allowed_hosts=())`` returns the ASGI app serving a results store built by
:func:`smartspec.store.build_store`; ``smartspec serve`` runs it with uvicorn.
View models shared with the report live in :mod:`smartspec.views`; routes in
:mod:`smartspec.web.routes` (pages, the JSON API, static assets), with the monitoring and
organisation routes in :mod:`smartspec.web.monitor_routes` and :mod:`smartspec.web.orgs_routes`;
rendering and response caching in :mod:`smartspec.web.render`; the app itself in
:mod:`smartspec.web.app`.
"""
from __future__ import annotations


def create_app(store_path=None, allowed_hosts=()):
    """The FastAPI application for the store at ``store_path`` (see :func:`smartspec.web.app.create_app`)."""
    from smartspec.web.app import create_app as _create

    return _create(store_path, allowed_hosts=allowed_hosts)


__all__ = ["create_app"]
