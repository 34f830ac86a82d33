"""The daemon's HTTP side on Starlette + uvicorn: /healthz, /metrics and /complete/<token> (which a
survey platform calls on completion), plus, when given, the operator console's routes.

uvicorn runs inside the daemon's own event loop (no signal handlers of its own: the daemon owns
SIGTERM). With http.completion_secret set, /complete/<token> must carry
?sig=<hex HMAC-SHA256(secret, token)>, so nobody can mark a person completed by guessing a token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from maildaemon.errors import ConfigError

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"^[a-z2-7]{26}$")
MAX_REQUEST = 16 * 1024
# Machine endpoints answer and close, as the hand-written server did: probes and platforms call once.
_CLOSE = {"Connection": "close"}

Health = Callable[[], Awaitable[tuple[bool, dict[str, object]]]]
Complete = Callable[[str], Awaitable[str]]  # token -> "completed" | "already" | "unknown"


class _JSON(JSONResponse):
    """Non-ASCII kept readable (Vietnamese agency names in health details)."""

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def json_response(status: int, obj: object) -> Response:
    return _JSON(obj, status_code=status, headers=_CLOSE)


def sign(secret: str, token: str) -> str:
    return hmac.new(secret.encode("utf-8"), token.encode("ascii"), hashlib.sha256).hexdigest()


def check_signature(secret: str, token: str, sig: str) -> bool:
    return hmac.compare_digest(sign(secret, token), sig)


def parse_listen(listen: str, key: str = "http.listen") -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"{key} must be HOST:PORT, got {listen!r}")
    return host.strip("[]"), int(port)


def machine_routes(*, health: Health, metrics: Callable[[], bytes], complete: Complete,
                   completion_secret: str = "") -> list[BaseRoute]:  # fmt: skip
    """/healthz, /metrics and /complete/<token>: same paths, codes and bodies as before the framework."""

    async def healthz(request: Request) -> Response:
        ok, detail = await health()
        return json_response(200 if ok else 503, {"status": "ok" if ok else "unhealthy", **detail})

    async def metrics_view(request: Request) -> Response:
        return Response(metrics(), 200, headers=_CLOSE, media_type="text/plain; version=0.0.4; charset=utf-8")

    async def complete_view(request: Request) -> Response:
        token = str(request.path_params["token"]).strip("/").lower()
        sig = request.query_params.get("sig", "")
        if not _TOKEN.match(token):
            log.warning("completion.rejected reason=malformed-token")
            return json_response(404, {"error": "unknown token"})
        if completion_secret and not check_signature(completion_secret, token, sig):
            log.warning("completion.rejected reason=bad-signature token=%s...", token[:6])
            return json_response(403, {"error": "bad signature"})
        result = await complete(token)
        if result == "unknown":
            log.warning("completion.rejected reason=unknown-token token=%s...", token[:6])
            return json_response(404, {"error": "unknown token"})
        return json_response(200, {"status": result})

    methods = ["GET", "POST", "HEAD"]
    return [
        Route("/healthz", healthz, methods=methods),
        Route("/metrics", metrics_view, methods=methods),
        Route("/complete/{token:path}", complete_view, methods=methods),
    ]


async def _not_found(request: Request, exc: Exception) -> Response:
    return json_response(404, {"error": "not found"})


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return json_response(405, {"error": "method not allowed"})


async def _internal(request: Request, exc: Exception) -> Response:
    log.error("http.error path=%s error=%s", request.url.path, exc)
    return json_response(500, {"error": "internal error"})


def machine_app(routes: Sequence[BaseRoute]) -> Starlette:
    return Starlette(
        routes=list(routes), exception_handlers={404: _not_found, 405: _not_allowed, 500: _internal}
    )


class AsgiServer:
    """One ASGI app served by uvicorn on ``listen`` inside the running loop; port 0 picks a free one."""

    def __init__(self, listen: str, app: ASGIApp, *, key: str = "http.listen", proxy_headers: bool = False,
                 forwarded_allow_ips: str = "127.0.0.1") -> None:  # fmt: skip
        self.host, self.port = parse_listen(listen, key)
        self.config = uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="off", proxy_headers=proxy_headers,
            forwarded_allow_ips=forwarded_allow_ips, h11_max_incomplete_event_size=MAX_REQUEST,
            timeout_keep_alive=5, server_header=False,
        )  # fmt: skip
        self._server = uvicorn.Server(self.config)
        self._sock: socket.socket | None = None
        self._main: asyncio.Task[None] | None = None

    async def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise ConfigError(f"cannot listen on {self.host}:{self.port}: {exc.strerror}") from exc
        sock.listen(128)
        sock.setblocking(False)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self.config.load()
        self._server.lifespan = self.config.lifespan_class(self.config)
        await self._server.startup(sockets=[sock])
        self._main = asyncio.create_task(self._server.main_loop(), name=f"http:{self.port}")
        log.info("http.listening address=%s:%d", self.host, self.port)

    async def close(self) -> None:
        if self._main is None:
            return
        self._server.should_exit = True
        await self._main
        await self._server.shutdown(sockets=[self._sock] if self._sock else None)
        self._main = None
        if self._sock is not None:
            self._sock.close()


class HttpServer(AsgiServer):
    """The daemon's machine endpoints on http.listen, as before the framework."""

    def __init__(self, listen: str, *, health: Health, metrics: Callable[[], bytes], complete: Complete,
                 completion_secret: str = "") -> None:  # fmt: skip
        routes = machine_routes(health=health, metrics=metrics, complete=complete,
                                completion_secret=completion_secret)  # fmt: skip
        super().__init__(listen, machine_app(routes))
