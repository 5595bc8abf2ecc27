"""Secrets out of everything shown or stored: ``user:password@`` and secret-looking query values.

Source URLs carry API keys (``?api_key=${NEWS_API_KEY}``) and notify URLs carry passwords
(``mailtos://desk:pw@smtp.example``). Whatever the monitor prints, logs or writes to the
database about a URL goes through ``redact_url`` (one URL) or ``redact_text`` (a message that
may contain URLs): the password part of userinfo (or a lone user part, often a token) and the
value of every query parameter whose name looks secret become ``***``. The URL itself, as
fetched, is never changed: only what is said about it.
"""

from __future__ import annotations

import functools
import logging
import re

MASK = "***"

# A parameter name is secret when one of its parts (split at - _ .) is one of these, or it
# ends with one of the suffixes ("apikey", "accessToken", "X-Amz-Signature").
_SECRET_PARTS = frozenset(
    {
        "key",
        "apikey",
        "token",
        "secret",
        "password",
        "passwd",
        "pass",
        "pwd",
        "sig",
        "signature",
        "auth",
        "authorization",
        "credential",
        "credentials",
        "session",
        "sessionid",
        "jwt",
        "hmac",
        "bearer",
    }
)
_SECRET_SUFFIXES = ("key", "token", "secret", "password", "passwd", "signature", "auth")
_NAME_PARTS = re.compile(r"[-_.\[\]]+")
# A query parameter in a raw query string: its name and its value, up to the next separator.
_PARAM = re.compile(r"(?P<sep>^|[&;?])(?P<name>[^=&;#]*)=(?P<value>[^&;#]*)")
# A URL inside free text: scheme:// up to whitespace or a quote/bracket that ends it in prose.
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s'\"<>]+")


def is_secret_name(name: str) -> bool:
    """Whether a query parameter called ``name`` probably carries a secret."""
    key = name.strip().lower()
    if not key:
        return False
    if any(part in _SECRET_PARTS for part in _NAME_PARTS.split(key)):
        return True
    return key.replace("-", "").replace("_", "").endswith(_SECRET_SUFFIXES)


@functools.lru_cache(maxsize=4096)  # the same source URLs are logged and stored every poll
def redact_url(url: str) -> str:
    """``url`` with its userinfo secret and secret-looking query values masked."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        # Not hierarchical ("mailto:desk:pw@smtp.example", a mistyped notify URL): after the
        # first ":" of what comes before the last "@" may be a password. A bare e-mail
        # address (no ":") holds none and is shown.
        head, at, tail = url.rpartition("@")
        if not at or ":" not in head:
            return _redact_query(url)
        return f"{head.partition(':')[0]}:{MASK}@{_redact_query(tail)}"
    authority_end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if found != -1:
            authority_end = min(authority_end, found)
    authority, tail = rest[:authority_end], rest[authority_end:]
    userinfo, at, host = authority.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        authority = f"{user}:{MASK}@{host}" if colon else f"{MASK}@{host}"
    return f"{scheme}://{authority}{_redact_query(tail)}"


def _redact_query(tail: str) -> str:
    query_at = tail.find("?")
    if query_at == -1:
        return tail

    def mask(match: re.Match[str]) -> str:
        if not is_secret_name(match["name"]) or not match["value"]:
            return match[0]
        return f"{match['sep']}{match['name']}={MASK}"

    return tail[:query_at] + _PARAM.sub(mask, tail[query_at:])


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted (``redact_url``)."""
    if "://" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        # Prose punctuation after a URL ("(see https://x/?k=v).") is not part of it.
        url = match[0].rstrip(").,;:!]")
        return redact_url(url) + match[0][len(url) :]

    return _URL_IN_TEXT.sub(one, text)


class RedactFilter(logging.Filter):
    """A handler filter that redacts every record's message (and traceback) before it is
    written, whichever library logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(_FORMATTER.formatException(record.exc_info))
        return True


_FORMATTER = logging.Formatter()
