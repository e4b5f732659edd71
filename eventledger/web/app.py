"""The web app: `create_app(store, profile, settings)` -> an ASGI app (FastAPI).

Server-rendered pages (Jinja2, autoescaped) and a JSON API with an OpenAPI description.
Routes call store queries and render; the store is the only place with SQL. Every
response carries a Content-Security-Policy without inline scripts; nothing is requested
from outside the machine except map tiles, whose URL is :attr:`WebSettings.tile_url` (the
map's basemap, state and country outlines, is served by the app itself).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from eventledger.errors import EventLedgerError
from eventledger.profile import Profile
from eventledger.settings import Settings
from eventledger.store import Store
from eventledger.web import api, auth, kit_pages, pages, review
from eventledger.web import context as web_context
from eventledger.web.context import OSM_TILES, Context, WebSettings, context, error_body, vendor_missing

__all__ = ["OSM_TILES", "WebSettings", "create_app", "vendor_missing"]

log = logging.getLogger(__name__)


def create_app(store: Store, profile: Profile, settings: Settings, web: WebSettings | None = None) -> SecurityHeaders:
    """The ASGI app over one ledger: the FastAPI app (``.app``) inside the security headers.

    ``store`` must be a ledger file, not ``:memory:``: each worker thread opens its own
    connection to it.
    """
    web = web or WebSettings()
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=app.state.ctx.warm, name="eventledger-warm", daemon=True).start()
        yield

    app = FastAPI(title="eventledger", version="0.1.0", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=lifespan,
                  description="Read-only JSON API of an eventledger ledger: events (the records of spec/ledger.md), "
                              "sources with their extracted spans, entities, reviews, and CSV/GeoJSON downloads. "
                              "Every value carries the document and character span that states it.")
    app.state.ctx = ctx = Context(store, profile, settings, web)
    ctx.read_session = auth.read_session
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(auth.router)
    app.include_router(review.router)
    app.include_router(kit_pages.router)  # the accountability kit (issue 10)
    app.mount("/static", StaticFiles(directory=web_context.STATIC), name="static")
    _error_handlers(app)
    return SecurityHeaders(app, ctx)


# ---- errors: one JSON shape for the API, the same message on an HTML page ------------------

def _error_response(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", "text/html"):
        return JSONResponse(error_body(status, detail), status_code=status, headers=headers)
    resp = context(request).render(request, "error.html", status=status, status_code=status,
                                   title=HTTPStatus(status).phrase, detail=detail)
    if headers:
        resp.headers.update(headers)
    return resp


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        msgs = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ())[1:]) or "request"
            msgs.append(f"{where}: {e.get('msg', 'invalid')}")
        return _error_response(request, 422, "; ".join(msgs))

    @app.exception_handler(EventLedgerError)
    async def ledger_error(request: Request, exc: EventLedgerError) -> Response:
        return _error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _error_response(request, 500, "internal error; the server log has the details")


# ---- headers on every response ----------------------------------------------------------------

class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response (pure ASGI, no buffering)."""

    def __init__(self, app: FastAPI, ctx: Context) -> None:
        self.app = app
        self.state = app.state
        img = "'self'" + (f" {ctx.tile_origin}" if ctx.tile_origin else "")
        csp = (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {img}; connect-src 'self'; "
               "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),  # tile servers and linked sites learn nothing; forms keep their Origin
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
        ]

    def _host_allowed(self, scope: Scope) -> bool:
        allowed = self.state.ctx.web.allowed_hosts
        if "*" in allowed:
            return True
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name.lower().rstrip(".") in allowed

    def __getattr__(self, name: str) -> Any:  # routes, openapi(), state... of the wrapped app
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._host_allowed(scope):
            body = b"unknown Host: this server answers only to its own names (see serve --allowed-host)\n"
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()), *self.headers]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in self.headers if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)

