"""What the web app's routers share, built by :func:`eventledger.web.app.create_app`: the
settings of the web app, the per-request :class:`Context` (a store per worker thread,
templates, a read cache) and the one error shape of the JSON API.

The routers (api, pages, auth, review, kit_pages) import this module; nothing here imports
a router or the app, so the app can import the routers without an import cycle.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from eventledger.errors import EventLedgerError
from eventledger.profile import Profile
from eventledger.settings import Settings
from eventledger.store import Store, open_store
from eventledger.store.queries import EventIndex, event_index, ledger_head

__all__ = ["OSM_ATTRIBUTION", "OSM_TILES", "STATIC", "Context", "WebSettings", "context", "error_body", "vendor_missing"]

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
        self.read_session: Callable[[Request], dict[str, Any]] = lambda request: {}
        """The reviewer's session of a request ({"u": name, "c": csrf token}): set by the app to
        web/auth.py's reader, so this module needs no router."""
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
        session = self.read_session(request)
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


def error_body(status: int, detail: str) -> dict[str, Any]:
    """The one error shape of the JSON API."""
    return {"error": {"status": status, "title": HTTPStatus(status).phrase, "detail": detail}}

