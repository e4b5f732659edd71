"""Reviewers' sessions: signed cookies, CSRF tokens, rate-limited logins.

The session is a cookie signed with itsdangerous (HttpOnly, SameSite=Strict, Secure over
HTTPS) holding the reviewer's name and a CSRF token. Every state-changing request must
carry that token in its form and, when the browser sends one, an Origin of this site.
A login page visit gets a token-only cookie first, so the login form is protected too;
a successful login issues a fresh token. Failed logins are counted per client address
and per name; past the limit the login answers 429 until the window has passed.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from eventledger.store.review import authenticate, end_sessions, session_generation, user_exists
from eventledger.web.context import context

__all__ = ["COOKIE", "LoginLimiter", "check_csrf", "client_address", "current_reviewer", "is_https", "read_session",
           "router"]

COOKIE = "el_session"
router = APIRouter(include_in_schema=False)


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(context(request).secret, salt="eventledger-session")


def read_session(request: Request) -> dict[str, Any]:
    """The verified session ({"u": name or None, "c": csrf token}), or {} when absent, forged or expired."""
    if "session" in request.scope.get("state", {}):
        return request.scope["state"]["session"]
    raw = request.cookies.get(COOKIE)
    data: dict[str, Any] = {}
    if raw:
        try:
            loaded = _serializer(request).loads(raw, max_age=int(context(request).web.session_hours * 3600))
            if isinstance(loaded, dict) and isinstance(loaded.get("c"), str):
                data = loaded
        except BadSignature:
            data = {}
        # a reviewer's session made before a logout or a password change is not one any more
        if data.get("u") and session_generation(context(request).store(), data["u"]) != data.get("g"):
            data = {"u": None, "c": data["c"]}
    request.scope.setdefault("state", {})["session"] = data
    return data


def _write_session(request: Request, response: Response, data: dict[str, Any]) -> None:
    web = context(request).web
    secure = web.cookie_secure if web.cookie_secure is not None else is_https(request)
    response.set_cookie(COOKIE, _serializer(request).dumps(data), max_age=int(web.session_hours * 3600), path="/",
                        httponly=True, samesite="strict", secure=secure)
    request.scope.setdefault("state", {})["session"] = data


def _trusted(request: Request) -> bool:
    """Whether the connection comes from a proxy the operator named (``--trusted-proxy``)."""
    peer = request.client.host if request.client else ""
    return bool(peer) and peer in context(request).web.trusted_proxies


def client_address(request: Request) -> str:
    """The client's address: the connection's, or, behind a trusted proxy only, the nearest
    address in X-Forwarded-For that is not itself a trusted proxy. Anyone else's
    X-Forwarded-For is ignored (it would let a guesser pick a fresh address per try)."""
    peer = request.client.host if request.client else "?"
    if not _trusted(request):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    trusted = context(request).web.trusted_proxies
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return peer


def is_https(request: Request) -> bool:
    """Served over HTTPS: this connection, or a trusted proxy's X-Forwarded-Proto."""
    if request.url.scheme == "https":
        return True
    return _trusted(request) and request.headers.get("x-forwarded-proto", "").split(",")[0].strip() == "https"


def check_csrf(request: Request, token: str | None) -> dict[str, Any]:
    """Refuse (403) a state-changing request without this session's token or from another origin."""
    session = read_session(request)
    good = session.get("c")
    if not good or not token or not hmac.compare_digest(good, token):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    origin = request.headers.get("origin")
    scheme = "https" if is_https(request) else request.url.scheme
    if origin is not None and origin not in (f"{request.url.scheme}://{request.url.netloc}", f"{scheme}://{request.url.netloc}"):
        raise HTTPException(403, "request from another site refused")
    return session


def current_reviewer(request: Request, token: str | None) -> str:
    """The logged-in reviewer of a state-changing request (CSRF checked), else 401/403."""
    session = check_csrf(request, token)
    name = session.get("u")
    if not name:
        raise HTTPException(401, "log in as a reviewer to do this")
    if not user_exists(context(request).store(), name):
        raise HTTPException(403, f"reviewer {name} is not active")
    return name


class LoginLimiter:
    """At most ``attempts`` failed logins per key within ``window`` seconds."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts, self.window = attempts, window
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def try_once(self, *keys: str) -> int:
        """Count one attempt against every key now, as a failure until :meth:`succeeded` says
        otherwise, unless a key is already at the limit: then the seconds to wait. One lock
        for both, so parallel guesses cannot all pass the check before any is counted."""
        now = time.monotonic()
        with self.lock:
            wait = self._wait(keys, now)
            if wait:
                return wait
            for k in keys:
                self.failures.setdefault(k, deque()).append(now)
            if len(self.failures) > 10000:
                for k in [k for k, q in self.failures.items() if not q or q[-1] <= now - self.window]:
                    del self.failures[k]
        return 0

    def succeeded(self, address_key: str, name_key: str) -> None:
        """A good password: the name's failures are forgotten, the address keeps the others."""
        with self.lock:
            self.failures.pop(name_key, None)
            q = self.failures.get(address_key)
            if q:
                q.pop()

    def retry_after(self, *keys: str) -> int:
        with self.lock:
            return self._wait(keys, time.monotonic())

    def _wait(self, keys: tuple[str, ...] | list[str], now: float) -> int:
        """Whole seconds until none of ``keys`` is at the limit (0: none is); old failures are
        dropped on the way. The caller holds the lock."""
        wait = 0.0
        for k in keys:
            q = self.failures.get(k)
            while q and q[0] <= now - self.window:
                q.popleft()
            if q is not None and len(q) >= self.attempts:
                wait = max(wait, q[0] + self.window - now)
        return int(wait) + 1 if wait else 0

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self.lock:
            for k in keys:
                self.failures.setdefault(k, deque()).append(now)
            if len(self.failures) > 10000:  # forget quiet keys so the table cannot grow without bound
                for k in [k for k, q in self.failures.items() if not q or q[-1] <= now - self.window]:
                    del self.failures[k]

    def clear(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self.failures.pop(k, None)


_LIMITER_LOCK = threading.Lock()


def _limiter(request: Request) -> LoginLimiter:
    ctx = context(request)
    with _LIMITER_LOCK:  # one limiter per app, even when its first logins arrive together
        if not hasattr(ctx, "limiter"):
            ctx.limiter = LoginLimiter(ctx.web.login_attempts, ctx.web.login_window_s)  # type: ignore[attr-defined]
    return ctx.limiter  # type: ignore[attr-defined]


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    session = read_session(request)
    fresh = None
    if not session.get("c"):  # a token-only session, so the login form itself is CSRF-protected
        fresh = {"u": None, "c": secrets.token_urlsafe(24)}
        request.scope["state"]["session"] = fresh
    resp = context(request).render(request, "login.html", next=_safe_next(next), error=None)
    if fresh:
        _write_session(request, resp, fresh)
    return resp


@router.post("/login")
def login(request: Request, name: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=1024)],
          csrf: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    check_csrf(request, csrf)
    limiter = _limiter(request)
    keys = (f"ip:{client_address(request)}", f"name:{name.lower()}")
    wait = limiter.try_once(*keys)
    if wait:
        raise HTTPException(429, f"too many failed logins; try again in {wait} s", headers={"Retry-After": str(wait)})
    store = context(request).store()
    if not authenticate(store, name, password):
        return context(request).render(request, "login.html", status=401, next=_safe_next(next),
                                       error="wrong name or password")
    limiter.succeeded(*keys)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    _write_session(request, resp, {"u": name, "c": secrets.token_urlsafe(24), "g": session_generation(store, name)})
    return resp


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    session = check_csrf(request, csrf)
    if session.get("u"):  # every session of this reviewer ends, a copied cookie included
        end_sessions(context(request).store(), session["u"])
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return resp
