"""Login hardening around Gradio's own login: back-off after failed attempts, password
checks off the event loop, sessions that end with their account, and login that turns on
when the first account is added to a running server.

Gradio keeps sessions in ``app.tokens`` (cookie token -> user name) and reads ``app.auth``
on every request; ``LoginGate`` is an ASGI middleware that reaches both through
``scope["app"]`` (the Gradio app it wraps).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from reportbot.config import Settings
from reportbot.errors import AccessError
from reportbot.stores.users import User, Users

log = logging.getLogger(__name__)
Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
MAX_LOGIN_BODY = 16 * 1024  # a login form is two short fields; anything larger is not one
MAX_KEY = 128  # characters of a typed user name kept as its back-off key (names are <= 64)


class Throttle:
    """Failed attempts per key: after ``free`` failures each further one doubles the wait."""

    def __init__(self, free: int, base: float, cap: float, window: float, max_keys: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.base, self.cap, self.window = free, base, cap, window
        self.max_keys = max_keys
        self.clock = clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds before the key may try again (0.0: now)."""
        with self._lock:
            return self._wait(key, self.clock())

    def _wait(self, key: str, now: float) -> float:
        count, last = self._failures.get(key, (0, 0.0))
        if count < self.free or now - last > self.window:
            return 0.0
        delay = min(self.cap, self.base * 2 ** min(count - self.free, 30))
        return max(0.0, last + delay - now)

    def attempt(self, key: str) -> float:
        """Count an attempt as failed up front, unless the key must wait (returns the wait).

        Counting first means concurrent guesses cannot all slip in before the first fails.
        """
        with self._lock:
            now = self.clock()
            wait = self._wait(key, now)
            if wait > 0:
                return wait
            count, last = self._failures.pop(key, (0, 0.0))
            self._failures[key] = (1 if now - last > self.window else count + 1, now)
            while len(self._failures) > self.max_keys:  # forget the stalest keys first
                self._failures.popitem(last=False)
            return 0.0

    def undo(self, key: str, forget: bool = False) -> None:
        """An attempt counted by ``attempt`` succeeded: take it back (or forget the key)."""
        with self._lock:
            count, last = self._failures.pop(key, (0, 0.0))
            if not forget and count > 1:
                self._failures[key] = (count - 1, last)


class LoginGuard:
    """The users file, the back-off of accounts and client addresses, the hashing threads."""

    def __init__(self, users: Users, settings: Settings) -> None:
        self.users = users
        args = (settings.login_backoff_seconds, settings.login_backoff_max_seconds,
                settings.login_failure_window, settings.login_tracked_keys)
        self.accounts = Throttle(settings.login_free_failures, *args)
        self.addresses = Throttle(settings.login_free_failures_address, *args)
        self._pool = ThreadPoolExecutor(settings.login_hash_threads, "login-check")
        self.auth = self.check  # one bound method, so Gradio's app.auth can be compared to it
        self.ever_on = users.enabled()  # started with accounts: login on from the start
        # session token -> the password hash its login was checked against: a reset
        # password ends the sessions opened with the old one.
        self.sessions: OrderedDict[str, str] = OrderedDict()
        self.max_sessions = settings.login_tracked_keys
        users.dummy_hash()  # made now, so even the first unknown name costs one check

    async def check(self, username: str, password: str) -> bool:
        """Gradio's auth callable: the scrypt check runs in a thread, never on the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._check, username, password)

    def _check(self, username: str, password: str) -> bool:
        try:
            return self.users.check(username, password)
        except AccessError as exc:
            log.error("login refused: %s", exc.message)
            return False

    def attempt(self, name: str, address: str) -> float:
        """Seconds the account or the address must still wait (0.0: go ahead, counted)."""
        wait = max(self.accounts.wait(name[:MAX_KEY]), self.addresses.wait(address))
        if wait > 0:
            return wait
        return max(self.accounts.attempt(name[:MAX_KEY]), self.addresses.attempt(address))

    def succeeded(self, name: str, address: str) -> None:
        """A correct password: the account starts afresh; the address gets this try back."""
        self.accounts.undo(name[:MAX_KEY], forget=True)
        self.addresses.undo(address)

    def opened(self, token: str, password_hash: str) -> None:
        """Remember which password a new session logged in with."""
        self.sessions[token] = password_hash
        while len(self.sessions) > self.max_sessions:
            self.sessions.popitem(last=False)

    def end_stale_sessions(self, gradio: Any, scope: Scope, accounts: dict[str, User]) -> None:
        """Forget the session token of this request when its account was removed or its
        password reset, so Gradio treats this request and every later one as logged out."""
        cookies = _cookies(scope)
        cookie_id = gradio.cookie_id
        for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
            token = cookies.get(name)
            user = gradio.tokens.get(token) if token else None
            if user is None:
                continue
            account = accounts.get(user)
            opened_with = self.sessions.get(token or "")
            if account is None or (opened_with and opened_with != account.password_hash):
                gradio.tokens.pop(token, None)
                self.sessions.pop(token or "", None)
                log.warning("ended a session of %r: account removed or password reset", user)

    def sync(self, app: Any, names: set[str]) -> None:
        """Login on once any account exists; it stays on while the server runs (removing
        the last account locks everyone out rather than opening the server)."""
        self.ever_on = self.ever_on or bool(names)
        wanted = self.auth if self.ever_on else None
        if app.auth != wanted:
            app.auth = wanted
            if wanted is not None:
                log.warning("an account exists now: login is on from this request")


class LoginGate:
    """ASGI middleware: login state, sessions of removed accounts, back-off on /login."""

    def __init__(self, app: ASGIApp, guard: LoginGuard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check every request against the users file before Gradio sees it."""
        gradio = scope.get("app")
        if scope["type"] not in ("http", "websocket") or gradio is None:
            await self.app(scope, receive, send)
            return
        try:
            accounts = self.guard.users.load()
        except AccessError as exc:  # fail closed: an unreadable users file lets nobody in
            log.error("refusing requests: %s", exc.message)
            if scope["type"] == "http":
                await _reply(send, 503, f"login unavailable: {exc.message}")
            else:
                await send({"type": "websocket.close", "code": 1011})
            return
        self.guard.sync(gradio, set(accounts))
        if gradio.auth is not None:
            self.guard.end_stale_sessions(gradio, scope, accounts)
            if scope["type"] == "http" and scope.get("method") == "POST" and _is_login(scope):
                await self._login(scope, receive, send, accounts)
                return
        await self.app(scope, receive, send)

    async def _login(self, scope: Scope, receive: Receive, send: Send,
                     accounts: dict[str, User]) -> None:
        """Refuse while in back-off (no password check at all), else let Gradio log in."""
        body = await _read_body(receive, MAX_LOGIN_BODY)
        if body is None:
            await _reply(send, 413, "login form too large")
            return
        name = await _form_username(scope, body, receive)
        address = str((scope.get("client") or ("",))[0])
        wait = self.guard.attempt(name, address)
        if wait > 0:
            seconds = math.ceil(wait)
            await _reply(send, 429, f"登录失败次数过多，请 {seconds} 秒后再试（too many failed "
                                    f"logins for this account or address; try again in "
                                    f"{seconds} s）", [(b"retry-after", str(seconds).encode())])
            return
        status: list[int] = []
        tokens: list[str] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
                tokens.extend(_session_tokens(message.get("headers", [])))
            await send(message)

        await self.app(scope, _replay(body, receive), watch)
        if status[:1] == [200]:
            self.guard.succeeded(name, address)
            if name in accounts:  # the password as it was when this login was checked
                for token in tokens:
                    self.guard.opened(token, accounts[name].password_hash)


def _is_login(scope: Scope) -> bool:
    """True for Gradio's login route (below the root path the app may be mounted at)."""
    path, root = str(scope.get("path", "")), str(scope.get("root_path", ""))
    if root and path.startswith(root):
        path = path[len(root):]
    return path.rstrip("/") == "/login"


def _cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, val = part.strip().partition("=")
                out[name] = val
    return out


def _session_tokens(headers: list[tuple[bytes, bytes]]) -> list[str]:
    """The session tokens Gradio sets in a login response's cookies."""
    out = []
    for key, value in headers:
        if key.lower() == b"set-cookie":
            name, _, token = value.decode("latin-1").split(";")[0].partition("=")
            if name.strip().startswith("access-token-") and token:
                out.append(token.strip())
    return out


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives the body already read, then the client's own."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _form_username(scope: Scope, body: bytes, receive: Receive) -> str:
    """The user name of a login form (urlencoded or multipart), as Gradio strips it."""
    from starlette.requests import Request

    try:
        form = await Request(scope, _replay(body, receive)).form(max_files=0, max_fields=20)
    except Exception:  # a malformed form: Gradio refuses it; it still counts for the address
        return ""
    value = form.get("username")
    return value.strip() if isinstance(value, str) else ""


async def _reply(send: Send, status: int, message: str,
                 headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
