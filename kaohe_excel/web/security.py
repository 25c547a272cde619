"""What keeps the local page the clerk's own.

* Loopback (the default): the server listens on 127.0.0.1 only and answers only requests
  whose Host is 127.0.0.1/localhost at its port, so a web site cannot reach it by pointing
  a name of its own at 127.0.0.1 (DNS rebinding).
* Another --host (a colleague's machine on the office network): a random token is
  required; the printed address carries it once (?token=…), the browser then keeps it in
  a cookie for that server only (HttpOnly, SameSite=Strict).
* Every POST: its Origin must be this page's own origin, and it must carry the page's CSRF
  token (a form field or the X-CSRF-Token header); its body is bounded (MAX_REQUEST_BYTES,
  with a Content-Length, which the server holds the body to).
* Pages say no framing, no scripts but our own, no sniffing.
"""

from __future__ import annotations

import ipaddress
import secrets
import urllib.parse
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

MAX_REQUEST_BYTES = 200 * 1024 * 1024  # one upload, every file together
COOKIE = "kaohe_token"
_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
]


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None  # required when host is not loopback
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    allowed_hosts: set[str] | None = None  # Host headers accepted without a token (loopback)

    def __post_init__(self):
        if self.token is None and not is_loopback(self.host):
            self.token = secrets.token_urlsafe(18)
        if self.allowed_hosts is None:
            self.allowed_hosts = {f"{h}:{self.port}" for h in ("127.0.0.1", "localhost", "[::1]")}

    def check_csrf(self, request: Request, value) -> None:
        if not isinstance(value, str) or not secrets.compare_digest(value, self.csrf):
            raise HTTPException(403, "页面已过期或请求不是来自本页面（安全校验未通过）。请刷新页面后重试。")


def _refuse(scope, page, status: int, title: str, message: str):
    request = Request(scope)
    return page(request, "message.html", status, title=title, message=message, link="/")


class Guard:
    """ASGI middleware applying the rules in the module doc before any route runs."""

    def __init__(self, app, settings: Settings, page):
        self.app, self.settings, self.page = app, settings, page

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        s = self.settings
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").lower()
        response = None
        if s.token is None and host not in s.allowed_hosts:
            response = _refuse(scope, self.page, 400, "地址不对",
                               f"请用启动时显示的地址 http://127.0.0.1:{s.port}/ 打开本页面。")
        elif s.token is not None:
            query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = (query.get("token") or [""])[0]
            cookie = Request(scope).cookies.get(COOKIE, "")
            if given and secrets.compare_digest(given, s.token):
                rest = {k: v for k, v in query.items() if k != "token"}
                url = scope["path"] + ("?" + urllib.parse.urlencode(rest, doseq=True) if rest else "")
                response = RedirectResponse(url, status_code=303)
                response.set_cookie(COOKIE, s.token, httponly=True, samesite="strict")
            elif not (cookie and secrets.compare_digest(cookie, s.token)):
                response = _refuse(scope, self.page, 403, "需要访问口令",
                                   "请使用启动 kaohe serve 时显示的完整网址（带 token=…）打开本页面。")
        if response is None and scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin", "")
            length = headers.get("content-length", "")
            if origin != f"http://{host}" and origin != f"https://{host}":
                response = _refuse(scope, self.page, 403, "请求被拒绝",
                                   "这个请求不是从本页面发出的（来源不符），为安全起见没有执行。请在本页面上操作。")
            elif not length.isdigit():
                response = _refuse(scope, self.page, 411, "请求被拒绝", "请求缺少长度信息，请在本页面上重新操作。")
            elif int(length) > MAX_REQUEST_BYTES:
                response = _refuse(scope, self.page, 413, "文件太大",
                                   f"一次上传的文件合计超过 {MAX_REQUEST_BYTES // 1048576} MB，请分几次上传。")
        if response is not None:
            return await response(scope, receive, _with_headers(send))
        return await self.app(scope, receive, _with_headers(send))


def _with_headers(send):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            message["headers"] = list(message["headers"]) + _HEADERS
        await send(message)
    return wrapped


__all__ = ["Settings", "Guard", "MAX_REQUEST_BYTES", "is_loopback", "COOKIE"]
