"""The web app: `create_app(store, profile, settings)` -> an ASGI app (FastAPI).

Server-rendered pages (Jinja2, autoescaped) and a JSON API with an OpenAPI description.
Routes call store queries and render; the store is the only place with SQL. Every
response carries a Content-Security-Policy without inline scripts; nothing is requested
from outside the machine except map tiles, whose URL is :attr:`WebSettings.tile_url` (the
map's basemap, state and country outlines, is served by the app itself).
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from eventledger.errors import EventLedgerError
from eventledger.profile import Profile
from eventledger.settings import Settings
from eventledger.store import Store, open_store
from eventledger.store.queries import EventIndex, event_index, ledger_head

__all__ = ["OSM_TILES", "WebSettings", "create_app", "vendor_missing"]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VENDOR_FILES = ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/markercluster/leaflet.markercluster.js",
                "vendor/markercluster/MarkerCluster.css", "vendor/markercluster/MarkerCluster.Default.css",
                "vendor/outlines/topojson-client.min.js", "vendor/outlines/countries-110m.json",
                "vendor/outlines/states-10m.json")
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Options of the web app (the CLI's `serve` options and environment variables)."""

    tile_url: str = ""
    """Map tile URL template ({z}/{x}/{y}, e.g. OSM_TILES), drawn over the built-in state and
    country outlines; the only thing fetched from outside. Empty (the default): no tiles."""
    tile_attribution: str = OSM_ATTRIBUTION
    secret_key: str | None = None
    """Signs session cookies; default $EVENTLEDGER_SECRET_KEY, else random (sessions end on restart)."""
    cookie_secure: bool | None = None
    """Secure cookies: None sends them Secure when the request came over HTTPS."""
    session_hours: float = 8.0
    page_size: int = 50
    login_attempts: int = 5
    """Failed logins allowed per client address and per name within login_window_s."""
    login_window_s: int = 900
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
    """Host names the app answers to (a DNS-rebinding page names its own): '*' for any."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed."""


def vendor_missing() -> list[str]:
    """The map library files that scripts/build-web.sh has not put in place."""
    return [f for f in VENDOR_FILES if not (STATIC / f).is_file()]


def _origin(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EventLedgerError(f"tile URL must be http(s)://host/...{{z}}/{{x}}/{{y}}, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


class Context:
    """What every route needs: a store per worker thread, templates, settings, a read cache."""

    def __init__(self, store: Store, profile: Profile, settings: Settings, web: WebSettings) -> None:
        self.path, self.profile, self.settings, self.web = store.path, profile, settings, web
        self._main, self._main_thread = store, threading.get_ident()
        self._local = threading.local()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}
        self.tile_origin = _origin(web.tile_url)
        self.secret = web.secret_key or os.environ.get("EVENTLEDGER_SECRET_KEY") or secrets.token_urlsafe(32)
        self.map_ready = not vendor_missing()
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True)

    def store(self) -> Store:
        """sqlite3 connections belong to one thread: each worker thread opens its own."""
        if threading.get_ident() == self._main_thread:
            return self._main
        s = getattr(self._local, "store", None)
        if s is None:
            s = self._local.store = open_store(self.path, self.profile)
        return s

    def cached(self, key: tuple[Any, ...], fn: Callable[[Store], Any]) -> Any:
        """fn(store), remembered until the ledger changes (a new log entry) or 256 other reads."""
        store = self.store()
        k = (ledger_head(store), *key)
        with self._lock:
            if k in self._cache:
                self._cache.move_to_end(k)
                return self._cache[k]
            computing = self._computing.setdefault(k, threading.Lock())
        with computing:  # one thread computes, the others wait for its answer
            with self._lock:
                if k in self._cache:
                    return self._cache[k]
            value = fn(store)
            with self._lock:
                self._cache[k] = value
                self._computing.pop(k, None)
                while len(self._cache) > 256:
                    self._cache.popitem(last=False)
        return value

    def warm(self) -> None:
        """Build the event index and the overview, so the first visitor does not wait for them."""
        try:
            from eventledger.store.queries import overview

            self.cached(("overview",), lambda st: overview(st, index=self.index()))
        except Exception:  # a warm-up is an optimisation: the request that needs it will report
            log.exception("warming the caches failed")

    def index(self) -> EventIndex:
        """The in-memory event index, rebuilt when the ledger changes."""
        return self.cached(("index",), event_index)

    def render(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        from eventledger.web import auth

        session = auth.read_session(request)
        html = self.env.get_template(name).render(request=request, user=session.get("u"), csrf=session.get("c", ""),
                                                  map_ready=self.map_ready, web=self.web, url_with=_url_with(request), **ctx)
        return HTMLResponse(html, status_code=status)


def _url_with(request: Request) -> Callable[..., str]:
    def url_with(**changes: Any) -> str:
        from urllib.parse import urlencode

        params = dict(request.query_params)
        params.pop("page", None)
        for k, v in changes.items():
            if v is None or v == "":
                params.pop(k, None)
            else:
                params[k] = str(v)
        qs = urlencode(params)
        return request.url.path + ("?" + qs if qs else "")
    return url_with


def context(request: Request) -> Context:
    return request.app.state.ctx


def create_app(store: Store, profile: Profile, settings: Settings, web: WebSettings | None = None) -> SecurityHeaders:
    """The ASGI app over one ledger: the FastAPI app (``.app``) inside the security headers.

    ``store`` must be a ledger file, not ``:memory:``: each worker thread opens its own
    connection to it.
    """
    from eventledger.web import api, auth, pages, review

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
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(auth.router)
    app.include_router(review.router)
    from eventledger.web import kit_pages  # the accountability kit (issue 10)
    app.include_router(kit_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _error_handlers(app)
    return SecurityHeaders(app, ctx)


# ---- errors: one JSON shape for the API, the same message on an HTML page ------------------

def error_body(status: int, detail: str) -> dict[str, Any]:
    """The one error shape of the JSON API."""
    return {"error": {"status": status, "title": HTTPStatus(status).phrase, "detail": detail}}


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

