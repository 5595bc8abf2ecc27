"""A small web server on 127.0.0.1 whose pages can be changed while it runs.

Tests, the offline demo and the benchmarks all serve their fixture sites with it: real HTTP,
real sockets, no mocks. It answers conditional requests (ETag / If-None-Match and
Last-Modified / If-Modified-Since) like a well-behaved site, records every request, and counts
how many requests were in flight at once and how many connections it accepted (a client that
keeps its connections alive opens one per host, not one per request). Given an
``ssl.SSLContext`` it serves HTTPS instead (the handshake runs in the connection's thread).
"""

from __future__ import annotations

import email.utils
import hashlib
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Page:
    """What one path answers. ``handler``, when set, builds the answer per request."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts, concurrency checks)
    conditional: bool = True  # answer 304 to a matching If-None-Match / If-Modified-Since
    last_modified: float = field(default_factory=time.time)
    handler: Callable[[Request], Page] | None = None


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # path with query string
    headers: Mapping[str, str]
    started: float
    body: bytes = b""


class FixtureWeb:
    """``with FixtureWeb() as web: web.set("/feed.xml", b"..."); web.url("/feed.xml")``"""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, ssl_context: ssl.SSLContext | None = None
    ):
        self._pages: dict[str, Page] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.connections = 0  # TCP connections accepted since start (or the last reset_log)
        self._server = _Server((host, port), self._handler_class())
        self._server.web = self
        self._server.ssl_context = ssl_context
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> FixtureWeb:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FixtureWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        scheme = "https" if self._server.ssl_context is not None else "http"
        return f"{scheme}://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- content ------------------------------------------------------------------------------
    def set(self, path: str, body: bytes | str = b"", **options: object) -> Page:
        """Serve ``body`` at ``path`` (with the query string, if any) from now on."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        page = Page(body=body, **options)  # type: ignore[arg-type]
        with self._lock:
            self._pages[path] = page
        return page

    def remove(self, path: str) -> None:
        with self._lock:
            self._pages.pop(path, None)

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = 0
            self.connections = 0

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    # -- serving ------------------------------------------------------------------------------
    def _lookup(self, path: str) -> Page | None:
        with self._lock:
            page = self._pages.get(path)
            if page is None:
                page = self._pages.get(urlsplit(path).path)
        return page

    def _enter(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms to every request

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_POST(self) -> None:
                self._serve()

            def _serve(self, head: bool = False) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = self.rfile.read(length) if length else b""
                except ConnectionResetError:
                    body = b""
                if len(body) < length:
                    # The client died mid-body (a test killed it): like any real server,
                    # never hand a truncated request on, and do not count it as received.
                    self.close_connection = True
                    return
                request = Request(self.command, self.path, dict(self.headers), time.time(), body)
                web._enter(request)
                try:
                    page = web._lookup(self.path)
                    if page is not None and page.handler is not None:
                        page = page.handler(request)
                    if page is None:
                        page = Page(body=b"not found", status=404, content_type="text/plain")
                    if page.delay:
                        time.sleep(page.delay)
                    self._answer(page, head)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    web._leave()

            def _answer(self, page: Page, head: bool) -> None:
                etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(page.last_modified, usegmt=True)
                if page.conditional and page.status == 200 and self._not_modified(etag, page):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                if page.conditional and page.status == 200:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", modified)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in page.headers:
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                if not head:
                    self.wfile.write(page.body)

            def _not_modified(self, etag: str, page: Page) -> bool:
                if_none_match = self.headers.get("If-None-Match")
                if if_none_match is not None:
                    return etag in [t.strip() for t in if_none_match.split(",")]
                since = self.headers.get("If-Modified-Since")
                if since:
                    parsed = email.utils.parsedate_to_datetime(since)
                    return int(page.last_modified) <= parsed.timestamp()
                return False

        return Handler


class _Server(ThreadingHTTPServer):
    """Counts accepted connections; with an SSL context, speaks TLS on each of them."""

    web: FixtureWeb
    ssl_context: ssl.SSLContext | None = None

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: object
    ) -> None:
        self.web._connected()
        super().process_request(request, client_address)

    def finish_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: object
    ) -> None:
        if self.ssl_context is None or not isinstance(request, socket.socket):
            super().finish_request(request, client_address)
            return
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):  # a client that gave up or did not trust us
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request: object, client_address: object) -> None:
        # A client killed mid-request (the crash tests do it on purpose) is not a server fault.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]
