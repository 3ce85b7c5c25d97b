"""Route modules of the web application.

Each module exposes ``router(store, page) -> APIRouter``: ``store`` is the open results store,
``page`` the :class:`smartspec.web.render.Pages` renderer (``page(request, template, ctx,
status=200, lang=None, key=None)``). Handlers are plain ``def`` (run in FastAPI's threadpool).
"""
