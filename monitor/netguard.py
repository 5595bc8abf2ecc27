"""Which network addresses the fetcher may reach: never an internal one found in third-party
content.

Links in feeds and listings, redirects and the robots.txt of their hosts are chosen by whoever
wrote the page. Left alone they reach ``127.0.0.1/admin``, ``[::1]``, ``169.254.169.254`` (a
cloud's metadata service) or a machine on the private network. So:

- Internal addresses are refused: loopback, private, link-local, shared (CGNAT),
  unspecified, multicast, reserved and documentation ranges, also when wrapped in IPv6
  (``::ffff:127.0.0.1``, NAT64, 6to4, Teredo).
- The check is made on the address actually connected to, after the name is resolved, inside
  httpcore's network backend (``GuardedBackend``). Checking the URL's host name first and
  letting the HTTP library resolve it again would leave a gap: a hostile DNS server can answer
  a public address to the check and ``127.0.0.1`` to the connection (DNS rebinding). Here the
  name is resolved once, each address checked, and the connection made to that very address
  (TLS still verifies the certificate against the host name: httpcore passes the name, not
  our address, as the server name).
- The one exception is a host that a configured source URL names itself (a local fixture
  server, an intranet feed the operator chose): any address of *that* host is allowed. A link
  from it to another internal host is still refused.
- A followed link carrying ``user:password@`` is refused (a page must not make us send
  credentials, or pass a phishing-style URL off as another host), unless the configured
  source URL carries the same authority.

``AddressPolicy.check_url`` refuses what the URL alone shows (credentials, an internal address
literal) before any connection or robots.txt request; ``GuardedBackend`` refuses the rest when
connecting. Both raise ``errors.AddressRefused``; httpx lets it through unchanged, and the
fetcher neither retries it nor asks robots.txt about the host.

Proxy variables (``HTTPS_PROXY``...) are not used: a proxy resolves names itself, out of our
sight, so every connection is made directly and checked.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import select
import socket
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from .errors import AddressRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def is_internal(address: IPAddress) -> bool:
    """Whether ``address`` is anything but a public unicast address."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_internal(embedded)
    return (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    )


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address
    if address in _NAT64 or address in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


_LEGACY_IPV4 = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)


@functools.lru_cache(maxsize=1024)  # asked again for every request to the same hosts
def _ip(host: str) -> IPAddress | None:
    """The address a host literal names, including the legacy IPv4 spellings that the system
    resolver accepts ('2130706434', '0x7f.1', '127.1' are all 127.0.0.x)."""
    literal = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(literal)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(literal):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(literal.rstrip(".")))
        except OSError:
            return None
    return None


@functools.lru_cache(maxsize=1024)
def _normal_host(host: str) -> str:
    address = _ip(host)
    return str(address) if address is not None else host.lower().rstrip(".")


class AddressPolicy:
    """The hosts configured source URLs name (trusted to be internal) and the rule for the rest.

    ``trusted`` is every configured source URL; with none, no internal address is reachable.
    """

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self._hosts: set[str] = set()
        self._authorities: set[tuple[str, str, int | None]] = set()  # (userinfo, host, port)
        for url in trusted:
            try:
                parsed = httpx.URL(url)
            except (httpx.InvalidURL, ValueError, TypeError):
                continue
            if parsed.host:
                host = _normal_host(parsed.host)
                self._hosts.add(host)
                if parsed.userinfo:
                    self._authorities.add((parsed.userinfo.decode(), host, parsed.port))

    def trusts(self, host: str) -> bool:
        """Whether a configured source URL names ``host``."""
        return _normal_host(host) in self._hosts

    def check_url(self, url: httpx.URL) -> None:
        """Refuse what the URL alone shows: credentials, an internal address literal."""
        host = _normal_host(url.host)
        if url.userinfo and (url.userinfo.decode(), host, url.port) not in self._authorities:
            raise AddressRefused("refused: a followed link carries user:password@", url=str(url))
        address = _ip(url.host)
        if address is not None and host not in self._hosts and is_internal(address):
            raise AddressRefused(f"refused: {address} is an internal address", url=str(url))

    def check_address(self, host: str, address: IPAddress) -> bool:
        """Whether connecting to ``address`` for ``host`` is allowed."""
        return self.trusts(host) or not is_internal(address)


class _NetworkBackend(httpcore.AsyncNetworkBackend):
    """A backend that never opens a Unix socket: a fetched URL names a host, never a path."""

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("refused: Unix sockets are never fetched")


class GuardedBackend(_NetworkBackend):
    """httpcore's network backend with the address check at connect time (module docstring)."""

    def __init__(
        self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.policy = policy
        self._inner = inner or AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port, timeout)
        allowed = [a for a in addresses if self.policy.check_address(host, a)]
        if not allowed:
            shown = ", ".join(str(a) for a in addresses)
            raise AddressRefused(f"refused: {host} resolves to internal address {shown}")
        failure: Exception | None = None
        for address in allowed:  # in resolver order, as a plain connect would try them
            try:
                stream = await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
                return _KeptSocketStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _KeptSocketStream(httpcore.AsyncNetworkStream):
    """The backend's stream, with its raw socket looked up once.

    Before every request httpcore asks each idle pooled connection whether its server has
    hung up (``get_extra_info("is_readable")``); anyio answers that by rebuilding a table of
    attribute getters each time, about a tenth of an unchanged poll's CPU. The answer is the
    same poll of the same socket, with the socket kept."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return _KeptSocketStream(tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


class AsyncioBackend(_NetworkBackend):
    """httpcore's network backend on asyncio's own streams.

    httpcore's default goes through anyio, which per read or write opens a cancel scope,
    passes a checkpoint (one more turn of the event loop), and re-arms the socket in the
    event loop's selector for every read; that was about a sixth of an unchanged request's
    CPU. The same operations with the same errors (httpcore's ConnectError, ReadError,
    WriteError and their timeouts), on asyncio.open_connection and StreamWriter.start_tls."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(local_address, 0) if local_address else None
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"connecting to {host}:{port} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return _AsyncioStream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("read timed out") from None
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                if self._writer.is_closing():
                    raise httpcore.WriteError("the connection is closed")
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout("write timed out") from None
        except (OSError, ssl.SSLError, RuntimeError) as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        # As anyio closes a socket stream: no wait for the peer (a hostile one never answers).
        transport = self._writer.transport
        if not transport.is_closing():
            transport.close()
            await asyncio.sleep(0)
        transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            await self.aclose()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from None
        except (OSError, ssl.SSLError, ConnectionError) as exc:
            await self.aclose()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            sock = self._writer.get_extra_info("socket")
            return sock is None or _readable(sock)
        return None


def _readable(sock: socket.socket) -> bool:
    """Whether a read would return at once (data, or the b"" of a closed connection)."""
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


async def _resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    literal = _ip(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    found: dict[IPAddress, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        address = _ip(str(sockaddr[0]))
        if address is not None:
            found[address] = None
    if not found:
        raise httpcore.ConnectError(f"cannot resolve {host}: no address")
    return list(found)


def guarded_transport(
    policy: AddressPolicy, *, limits: httpx.Limits, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncHTTPTransport:
    """httpx's own transport with its connection pool on ``GuardedBackend``.

    httpx does not take a network backend as an argument, so it is set on the pool it built
    (``network_backend`` is httpcore's constructor argument, kept as ``_network_backend``).
    With an explicit transport httpx also ignores proxy variables, so nothing goes round it.
    """
    # The SSL context is made by the pool at its first https connection: loading the CA
    # certificates takes about 20 ms, which a run without one need not pay. httpx's own
    # pool gets a bare context meanwhile (never used: the pool is replaced below).
    transport = httpx.AsyncHTTPTransport(
        limits=limits, verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    )
    pool = transport._pool
    if not isinstance(pool, httpcore.AsyncConnectionPool):  # pragma: no cover - httpx changed
        raise RuntimeError("httpx's transport has no connection pool to guard")
    # The same pool (httpx's SSL context for ``verify``, the same limits), on the guarded
    # backend.
    transport._pool = _LinearPool(
        tls=functools.partial(httpx.create_ssl_context, verify=verify),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(policy),
    )
    return transport


class _LinearPool(httpcore.AsyncConnectionPool):
    """httpcore's pool, with its bookkeeping made linear in the number of connections.

    Before and after every request, httpcore 1.0 sweeps its connections and, for each idle
    one, counts all of them again (``len([c.is_idle() for c in connections])``, which is
    just their number): with one kept-alive connection per host polled, that is hosts
    squared calls per request, a tenth of an unchanged poll's CPU at ten hosts. This is the
    same sweep and the same assignment, in the same order, with the count taken once.

    ``tls`` makes the SSL context, at the first https connection."""

    def __init__(self, *, tls: Callable[[], ssl.SSLContext], **options: Any) -> None:
        super().__init__(ssl_context=None, **options)
        self._tls = tls

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        if origin.scheme == b"https" and self._ssl_context is None:
            self._ssl_context = self._tls()
        return super().create_connection(origin)

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        connections = self._connections
        for connection in list(connections):
            if connection.is_closed():
                connections.remove(connection)
            elif connection.has_expired() or (
                connection.is_idle() and len(connections) > self._max_keepalive_connections
            ):
                connections.remove(connection)
                closing.append(connection)
        for pool_request in [r for r in self._requests if r.is_queued()]:
            origin = pool_request.request.url.origin
            available = next(
                (c for c in connections if c.can_handle_request(origin) and c.is_available()),
                None,
            )
            if available is not None:
                pool_request.assign_to_connection(available)
            elif len(connections) < self._max_connections:
                connection = self.create_connection(origin)
                connections.append(connection)
                pool_request.assign_to_connection(connection)
            else:
                idle = next((c for c in connections if c.is_idle()), None)
                if idle is not None:
                    connections.remove(idle)
                    closing.append(idle)
                    connection = self.create_connection(origin)
                    connections.append(connection)
                    pool_request.assign_to_connection(connection)
        return closing
