"""One canonical spelling per URL, so that the same story reached by two links is one item.

``canonical_url`` resolves a relative link, lower-cases the scheme and host, drops the default
port, the fragment and tracking parameters (``utm_*``, ``fbclid``, ...), removes ``.``/``..``
path segments and sorts the query. It deliberately does not guess at site conventions: a
trailing slash, ``/index.html`` or ``www.`` are kept, because some sites serve different
pages with and without them.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived (campaigns, click ids, share widgets).
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "cmp",
        "ito",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "s_cid",
        "wt.mc_id",
        "xtor",
        "spm",
        "share",
        "smid",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "at_link_id",
        "at_link_origin",
        "at_link_type",
        "at_ptr_name",
        "at_bbc_team",
        "at_format",
    }
)
_TRACKING_PREFIXES = ("utm_", "hsa_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HIERARCHICAL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def canonical_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of ``url`` (resolved against ``base`` when relative).

    URLs without an authority (``mailto:``, ``data:``) come back stripped but unchanged.
    """
    url = url.strip()
    try:
        if base:
            url = urljoin(base.strip(), url)
        if not _HIERARCHICAL.match(url):
            return url
        parts = urlsplit(url)
    except ValueError:  # an unparseable authority such as "http://[::1": not a usable link
        return url
    scheme = parts.scheme.lower()
    netloc = _netloc(scheme, parts.netloc)
    path = _remove_dot_segments(parts.path) or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` without port ('' when it has none)."""
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:  # an unparseable authority, e.g. a bad IPv6 literal
        return ""


def registrable_domain(url: str) -> str:
    """The part of ``url``'s host that one owner registers, by the Public Suffix List:
    'files.ofsted.gov.uk' -> 'ofsted.gov.uk', 'www.bbc.co.uk' -> 'bbc.co.uk'. An address, or a
    name under no known suffix ('localhost', 'news.example'), is its own whole host; '' when
    there is no host."""
    host = host_of(url)
    if not host or host.startswith("[") or host.replace(".", "").isdigit() or ":" in host:
        return host
    from tld import get_fld  # the list (bundled with tld, never fetched) loads on first use

    found = get_fld(host, fix_protocol=True, fail_silently=True)
    return found.lower() if isinstance(found, str) else host


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _netloc(scheme: str, netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    host, port = hostport, ""
    # Split off a port, minding IPv6 literals such as [::1]:8080.
    if ":" in hostport and not hostport.endswith("]"):
        host, _, port = hostport.rpartition(":")
    host = host.lower().rstrip(".")
    if port and port.isdigit() and int(port) == _DEFAULT_PORTS.get(scheme):
        port = ""
    return f"{userinfo}{at}{host}{':' + port if port else ''}"


def _clean_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
    return urlencode(sorted(kept))


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: '/a/./b/../c' -> '/a/c'."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)
