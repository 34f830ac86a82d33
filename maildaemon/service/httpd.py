"""The daemon's small HTTP endpoint (off by default, loopback by default): /healthz, /metrics and
/complete/<token>, which a survey platform calls (or redirects the respondent to) on completion.

A plain asyncio server: a handful of GET/POST routes need no web framework. With
http.completion_secret set, /complete/<token> must carry ?sig=<hex HMAC-SHA256(secret, token)>, so
nobody can mark a person completed by guessing or by being forwarded a survey link.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from maildaemon.errors import ConfigError

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"^[a-z2-7]{26}$")
MAX_REQUEST = 16 * 1024


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"


def json_response(status: int, obj: object) -> Response:
    return Response(status, json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8"))


def sign(secret: str, token: str) -> str:
    return hmac.new(secret.encode("utf-8"), token.encode("ascii"), hashlib.sha256).hexdigest()


def check_signature(secret: str, token: str, sig: str) -> bool:
    return hmac.compare_digest(sign(secret, token), sig)


def parse_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"http.listen must be HOST:PORT, got {listen!r}")
    return host.strip("[]"), int(port)


Health = Callable[[], Awaitable[tuple[bool, dict[str, object]]]]
Complete = Callable[[str], Awaitable[str]]  # token -> "completed" | "already" | "unknown"


class HttpServer:
    def __init__(self, listen: str, *, health: Health, metrics: Callable[[], bytes], complete: Complete,
                 completion_secret: str = "") -> None:  # fmt: skip
        self.host, self.port = parse_listen(listen)
        self.health, self.metrics, self.complete = health, metrics, complete
        self.secret = completion_secret
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        sock = self._server.sockets[0].getsockname()
        self.port = sock[1]
        log.info("http.listening address=%s:%d", self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
            if len(head) > MAX_REQUEST:
                raise ValueError("request too large")
            method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            response = await self.route(method, target)
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
            ValueError,
            UnicodeError,
        ):
            response = json_response(400, {"error": "bad request"})
        except Exception:
            log.exception("http.error")
            response = json_response(500, {"error": "internal error"})
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                  500: "Internal Server Error", 503: "Service Unavailable"}.get(response.status, "OK")  # fmt: skip
        writer.write(
            f"HTTP/1.1 {response.status} {reason}\r\nContent-Type: {response.content_type}\r\n"
            f"Content-Length: {len(response.body)}\r\nConnection: close\r\n\r\n".encode("latin-1")
            + response.body
        )
        try:
            await writer.drain()
        finally:
            writer.close()

    async def route(self, method: str, target: str) -> Response:
        url = urlsplit(target)
        path = url.path
        if method not in ("GET", "POST", "HEAD"):
            return json_response(405, {"error": "method not allowed"})
        if path == "/healthz":
            ok, detail = await self.health()
            return json_response(200 if ok else 503, {"status": "ok" if ok else "unhealthy", **detail})
        if path == "/metrics":
            return Response(200, self.metrics(), "text/plain; version=0.0.4; charset=utf-8")
        if path.startswith("/complete/"):
            token = path.removeprefix("/complete/").strip("/").lower()
            sig = parse_qs(url.query).get("sig", [""])[0]
            if not _TOKEN.match(token):
                log.warning("completion.rejected reason=malformed-token")
                return json_response(404, {"error": "unknown token"})
            if self.secret and not check_signature(self.secret, token, sig):
                log.warning("completion.rejected reason=bad-signature token=%s...", token[:6])
                return json_response(403, {"error": "bad signature"})
            result = await self.complete(token)
            if result == "unknown":
                log.warning("completion.rejected reason=unknown-token token=%s...", token[:6])
                return json_response(404, {"error": "unknown token"})
            return json_response(200, {"status": result})
        return json_response(404, {"error": "not found"})
