"""The smartspec web application (FastAPI + Jinja2 + plotly.js served locally).

``create_app(store_path)`` returns the ASGI app serving a results store built by
:func:`smartspec.store.build_store`; ``smartspec serve`` runs it with uvicorn.
"""
from __future__ import annotations


def create_app(store_path=None):
    """The FastAPI application for the store at ``store_path`` (see :func:`smartspec.web.app.create_app`)."""
    from smartspec.web.app import create_app as _create

    return _create(store_path)


__all__ = ["create_app"]
