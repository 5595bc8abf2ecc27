"""One verified TLS context for apprise's email plug-in, instead of one per message.

apprise 2.2's SMTP controller calls ``ssl.create_default_context()`` for every message, even
for plain SMTP, and loading the system's CA certificates is three quarters of an email's CPU
(about 17 ms of 24 on the benchmark machine: bench/delivery_throughput.py). An SSL context
may be shared by any number of connections and threads; what must never be shared is a
*changed* one: the controller turns verification off on its context for a ``verify=no`` URL.

So ``install()`` gives that module an ``ssl`` whose ``create_default_context()`` returns a
``SharedContext``: a view of one process-wide verified context that, the moment someone sets
an attribute on it (``check_hostname``, ``verify_mode``), becomes a private fresh context
with that change, leaving the shared one as it was. Everything else is the real ``ssl``.
If apprise no longer has the attribute this patches, nothing is patched.
"""

from __future__ import annotations

import ssl
import threading
import types
from typing import Any

_PATCHED_MODULE = "apprise.plugins.email.smtp"
_lock = threading.Lock()
_shared: ssl.SSLContext | None = None


def shared_context() -> ssl.SSLContext:
    """The process's verified default context, made once."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = ssl.create_default_context()
        return _shared


class SharedContext:
    """The shared context until written to; then a private copy with the write applied."""

    def __init__(self) -> None:
        object.__setattr__(self, "_own", None)

    def _target(self) -> ssl.SSLContext:
        own: ssl.SSLContext | None = object.__getattribute__(self, "_own")
        return own if own is not None else shared_context()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if object.__getattribute__(self, "_own") is None:
            object.__setattr__(self, "_own", ssl.create_default_context())
        setattr(object.__getattribute__(self, "_own"), name, value)


def _create_default_context(*args: Any, **kwargs: Any) -> Any:
    if args or kwargs:  # a caller with its own purpose or CA files gets a context of its own
        return ssl.create_default_context(*args, **kwargs)
    return SharedContext()


def install() -> bool:
    """Patch apprise's SMTP controller (once); False if apprise has changed shape."""
    import importlib

    try:
        module = importlib.import_module(_PATCHED_MODULE)
    except ImportError:
        return False
    current = getattr(module, "ssl", None)
    if isinstance(current, types.SimpleNamespace):  # done already
        return True
    if current is not ssl:
        return False
    shim = types.SimpleNamespace(**{k: getattr(ssl, k) for k in dir(ssl) if not k.startswith("__")})
    shim.create_default_context = _create_default_context
    module.ssl = shim  # type: ignore[attr-defined]
    return True
