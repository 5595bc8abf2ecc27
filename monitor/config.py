"""``sources.yaml`` -> frozen ``Config`` (settings, sources, subscribers).

Every error is a ``ConfigError`` located as ``file:line: field: message`` so that a user can
go straight to the mistake; unknown keys are errors, and ``${VAR}`` is taken from the
environment (a missing variable is an error naming it; ``${VAR:-default}`` has a default).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .councils import load_councils
from .errors import ConfigError
from .redact import redact_url

DEFAULT_USER_AGENT = "ofsted-monitor/0.1 (+https://github.com/ofsted-monitor/ofsted-monitor)"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)?\s*$", re.IGNORECASE)
_DURATION_UNITS = {
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    None: 1,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, None: 1}
MIN_INTERVAL = 60.0  # seconds; a shorter poll interval needs allow_short_interval: true
MAX_CONFIG_NODES = 100_000  # far above any real configuration; refuses YAML alias bombs
_ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def parse_duration(value: Any) -> float:
    """Seconds from ``30``, ``"45s"``, ``"30m"``, ``"6h"``, ``"1d"`` or ``"2w"``."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like 30m")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError("expected a duration like 30m")
        unit = match.group(2).lower() if match.group(2) else None
        seconds = float(match.group(1)) * _DURATION_UNITS[unit]
    if seconds < 0:
        raise ValueError("expected a duration like 30m")
    return seconds


def parse_size(value: Any) -> int:
    """Bytes from ``1048576``, ``"512KB"`` or ``"10MB"``."""
    if isinstance(value, bool):
        raise ValueError("expected a size like 10MB")
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE.match(str(value))
        if not match:
            raise ValueError("expected a size like 10MB")
        unit = match.group(2).lower() if match.group(2) else None
        size = int(float(match.group(1)) * _SIZE_UNITS[unit])
    if size <= 0:
        raise ValueError("expected a size like 10MB")
    return size


Duration = Annotated[float, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]


# Set by check_config: also try each notify URL against apprise's plug-ins. That loads apprise
# (about 0.1 s), which every start of `poll --once` should not pay.
_CHECK_CHANNELS: ContextVar[bool] = ContextVar("check_channels", default=False)


def _usable_apprise_url(url: str) -> str:
    """With check_config, a notify URL that an apprise plug-in accepts."""
    if not _CHECK_CHANNELS.get() or "://" not in url:
        return url  # not checked now; a URL without a scheme is the list's error
    import apprise
    from apprise.manager_plugins import NotificationManager

    scheme = url.split("://", 1)[0].lower()
    if scheme not in NotificationManager():  # type: ignore[no-untyped-call]
        raise ValueError(
            f"no apprise plug-in handles {scheme}:// URLs (e.g. mailtos://, json://, slack://)"
        )
    quiet = logging.getLogger("apprise")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL + 1)  # apprise logs why; the message below says it once
    try:
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    finally:
        quiet.setLevel(level)
    if plugin is None:
        raise ValueError(
            f"apprise's {scheme}:// plug-in cannot use this URL: check its form in apprise's"
            " documentation"
        )
    return url


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Settings(_Strict):
    """How the daemon behaves as a whole; every field has a sensible default."""

    user_agent: str = DEFAULT_USER_AGENT
    contact: str = ""  # appended to the User-Agent, e.g. an e-mail address
    allow_short_interval: bool = False  # permit an interval under MIN_INTERVAL (tests, demos)
    interval: Duration = 1800.0
    jitter: Duration = 60.0
    timeout: Duration = 30.0
    max_body: Size = 20 * 1024**2
    max_redirects: int = Field(default=5, ge=0, le=30)
    max_retries: int = Field(default=3, ge=0, le=10)
    backoff: Duration = 2.0  # first retry delay; doubles each time, with jitter
    # The longest a Retry-After holds a host (a long one is never slept: the poll gives up).
    max_retry_after: Duration = 3600.0
    per_host_concurrency: int = Field(default=1, ge=1, le=16)
    max_connections: int = Field(default=64, ge=1, le=1000)  # in flight across all hosts
    min_delay: Duration = 1.0  # between two requests to one host
    obey_robots: bool = True
    ca_bundle: str = ""  # a PEM file of CAs to trust instead of the built-in ones (private CA)
    max_articles_per_poll: int = Field(default=50, ge=1)  # page sources: new links fetched
    # New entries taken from one poll of one source, of any kind; the rest wait (and are
    # counted as dropped in `monitor sources`): a 100,000-entry feed is not one poll's work.
    max_items_per_poll: int = Field(default=500, ge=1)
    alert_retry_limit: int = Field(default=8, ge=1)  # deliveries tried before giving up
    alert_backoff: Duration = 60.0
    # Messages sent at once to one host (SMTP server or webhook site), each on a connection
    # of its own; 1 sends one message at a time.
    alert_senders_per_host: int = Field(default=4, ge=1, le=16)
    # How long a claimed alert is another sender's; past it, a sender without the database's
    # lock takes the row over. Longer than any one send (apprise's timeouts are seconds).
    alert_lease: Duration = 300.0
    timezone: str = "Europe/London"
    # Reading one fetched document (monitor.parse_worker): a wall-clock limit and the worker's
    # address-space cap. A document past either is recorded as failed and not read again.
    parse_timeout: Duration = Field(default=60.0, ge=1.0)
    parse_memory: Size = Field(default=1536 * 1024**2, ge=512 * 1024**2)

    @field_validator("ca_bundle")
    @classmethod
    def _loadable_ca_bundle(cls, value: str) -> str:
        if value:
            import ssl

            try:
                ssl.create_default_context(cafile=value)
            except (OSError, ssl.SSLError) as exc:
                raise ValueError(f"cannot load CA certificates from {value!r}: {exc}") from None
        return value

    @field_validator("interval")
    @classmethod
    def _polite_interval(cls, value: float, info: ValidationInfo) -> float:
        return _check_interval(value, allowed=bool(info.data.get("allow_short_interval")))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/London)"
            ) from None
        return value

    @property
    def full_user_agent(self) -> str:
        return f"{self.user_agent} {self.contact}".strip() if self.contact else self.user_agent


class _SourceBase(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    url: str
    allow_short_interval: bool = False  # permit an interval under MIN_INTERVAL
    interval: Duration | None = None  # None: the settings' default
    enabled: bool = True

    @field_validator("interval")
    @classmethod
    def _polite_interval(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        return _check_interval(value, allowed=bool(info.data.get("allow_short_interval")))

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return value


class FeedSourceConfig(_SourceBase):
    """An RSS or Atom feed; each entry is an item. With ``fetch_articles`` (the default) each
    new entry's page is fetched and read; without it, the entry's title and summary are."""

    kind: Literal["feed"]
    fetch_articles: bool = True


class PageSourceConfig(_SourceBase):
    """An HTML listing (a council's news page); ``links`` selects the article links."""

    kind: Literal["page"]
    links: str = Field(min_length=1)


class OfstedSelectors(_Strict):
    """Where things are on reports.ofsted.gov.uk (observed on the live site)."""

    provider_links: str = "a[href*='/provider/']"
    next_page: str = "ul.pagination li.next a, a.pagination__next"
    provider_name: str = "h1.heading--title, h1"
    publication: str = "ol.timeline li.timeline__day a.publication-link"
    publication_text: str = "span.nonvisual"


class OfstedSourceConfig(_SourceBase):
    """The Ofsted reports site: search -> provider pages -> report PDFs."""

    kind: Literal["ofsted"]
    rows: int = Field(default=100, ge=1, le=100)
    max_pages: int = Field(default=10, ge=1)
    selectors: OfstedSelectors = OfstedSelectors()


SourceConfig = Annotated[
    FeedSourceConfig | PageSourceConfig | OfstedSourceConfig, Field(discriminator="kind")
]
CHANGE_FILTERS = ("upgrade", "downgrade", "new", "any")


class SubscriberConfig(_Strict):
    """Someone who hears of changes: apprise URLs, and optional filters."""

    name: str = Field(min_length=1)
    notify: list[Annotated[str, AfterValidator(_usable_apprise_url)]] = Field(min_length=1)
    councils: list[str] = []
    regions: list[str] = []
    changes: list[Literal["upgrade", "downgrade", "new", "any"]] = ["any"]
    digest: Literal["none", "daily", "weekly"] = "none"
    immediate: bool = True  # alert at once; False: only the periodic digest
    # True: a change read from the news alone waits until the official report confirms it
    # (news is wrong about one change in four; the report reader is exact), then alerts.
    wait_for_report: bool = False
    enabled: bool = True

    @field_validator("councils")
    @classmethod
    def _known_councils(cls, names: list[str]) -> list[str]:
        registry = load_councils()
        for name in names:
            if registry.lookup(name) is None:
                raise ValueError(
                    f"unknown council {name!r} (use a name or DfE code, e.g. Stockport or 356)"
                )
        return names

    @field_validator("regions")
    @classmethod
    def _known_regions(cls, names: list[str]) -> list[str]:
        regions = {c.region.lower() for c in load_councils()}
        for name in names:
            if name.lower() not in regions:
                raise ValueError(f"unknown region {name!r}; one of: {', '.join(sorted(regions))}")
        return names

    @field_validator("notify")
    @classmethod
    def _apprise_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if "://" not in url:
                # Redacted: the URL may hold a password from the environment.
                raise ValueError(
                    f"expected an apprise URL like mailtos://..., got {redact_url(url)!r}"
                )
        return urls


class Config(_Strict):
    settings: Settings = Settings()
    sources: list[SourceConfig] = []
    subscribers: list[SubscriberConfig] = []

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        for label, names in (
            ("sources", [s.name for s in self.sources]),
            ("subscribers", [s.name for s in self.subscribers]),
        ):
            seen: set[str] = set()
            for index, name in enumerate(names):
                if name in seen:
                    raise _DuplicateName(label, index, name)
                seen.add(name)
        return self

    def source(self, name: str) -> FeedSourceConfig | PageSourceConfig | OfstedSourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def interval_of(self, source: _SourceBase) -> float:
        return source.interval if source.interval is not None else self.settings.interval


def _check_interval(value: float, *, allowed: bool) -> float:
    if value <= 0:
        raise ValueError("must be more than 0s")
    if value < MIN_INTERVAL and not allowed:
        raise ValueError(
            f"{value:g}s is below the {MIN_INTERVAL:g}s minimum (polling a site that often is"
            " impolite); add allow_short_interval: true beside it if you mean it"
        )
    return value


def check_config(path: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    """``load_config`` and the checks too slow for every start: each notify URL is one that
    an apprise plug-in accepts."""
    token = _CHECK_CHANNELS.set(True)
    try:
        return load_config(path, environ)
    finally:
        _CHECK_CHANNELS.reset(token)


class _DuplicateName(ValueError):
    def __init__(self, label: str, index: int, name: str):
        self.loc = (label, index, "name")
        super().__init__(f"duplicate name {name!r}")


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate a configuration file; raise ConfigError naming file, line, field."""
    path = Path(path)
    env = os.environ if environ is None else environ
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "file not found (set --config or MONITOR_CONFIG)", path=str(path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
    return parse_config(text, path=str(path), environ=env)


def parse_config(text: str, *, path: str = "<config>", environ: Mapping[str, str]) -> Config:
    try:
        node, data = _parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(f"invalid YAML: {exc.problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=path) from None
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        # PyYAML's constructors raise these on a bad tagged scalar such as "!!int x".
        raise ConfigError(f"invalid YAML: {exc}", path=path) from None
    if data is None:
        raise ConfigError(
            "the file is empty: expected settings, sources and subscribers (see the README)",
            path=path,
            line=1,
        )
    if _expanded_size(data) > MAX_CONFIG_NODES:
        raise ConfigError(
            f"too large: more than {MAX_CONFIG_NODES} values once YAML aliases are expanded",
            path=path,
        )
    if not isinstance(data, dict):
        raise ConfigError(
            "expected a mapping with settings, sources, subscribers", path=path, line=1
        )
    data = _substitute_env(data, (), node, path, environ)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the key it meant "required": the unknown key is the cause.
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(error["loc"])
        message = _message(error)
        ctx_error = (error.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _DuplicateName):
            loc, message = ctx_error.loc, str(ctx_error)
        loc = _drop_union_tags(loc, data)
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")
        line = _line_of(node, loc, at_key=error["type"] == "extra_forbidden")
        raise ConfigError(message, path=path, line=line, field=_field(loc)) from None


# libyaml's parser when PyYAML was built with it (many times faster than the pure-Python one).
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, loader_class: Any = None) -> tuple[yaml.Node | None, Any]:
    """One parse: the node tree (for line numbers in errors) and the data built from it.

    A document libyaml refuses is parsed again by the pure-Python loader, whose messages
    ("expected <block end>, but found ...") are the ones users and tests know."""
    loader = (loader_class or _SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError:
        if loader_class is not None or _SafeLoader is yaml.SafeLoader:
            raise
        _parse_yaml(text, yaml.SafeLoader)  # raises its own error for the same mistake
        raise
    finally:
        loader.dispose()
    return node, data


def _expanded_size(value: Any, memo: dict[int, int] | None = None) -> int:
    """How many values the document has with aliases expanded (memoised on shared objects,
    so an alias bomb is measured in linear time and refused before anything walks it).
    A recursive alias counts as infinitely large."""
    memo = {} if memo is None else memo
    key = id(value)
    if key in memo:
        return memo[key]
    if not isinstance(value, dict | list):
        return 1
    memo[key] = MAX_CONFIG_NODES + 1  # still being measured: a cycle back here is too large
    children = list(value.values()) if isinstance(value, dict) else value
    size = 1 + len(children) + sum(_expanded_size(v, memo) for v in children)
    memo[key] = size
    return size


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the README's configuration reference)"
    if kind == "missing":
        return "required"
    if kind == "union_tag_invalid":
        got = (error.get("ctx") or {}).get("tag", "")
        return f"must be one of ofsted, feed, page, got {got!r}"
    if kind == "union_tag_not_found":
        return "required (one of ofsted, feed, page)"
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "string_pattern_mismatch" and error["loc"][-1:] == ("name",):
        return "use letters, digits, - _ . (starting with a letter or digit)"
    if kind == "too_short" and error["loc"][-1:] == ("notify",):
        return "list at least one apprise URL (mailtos://..., json://..., slack://...)"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected}, got {got!r}"
    plain = _PLAIN.get(kind)
    if plain is not None:
        return plain.format(got=got, **ctx)
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


# pydantic's error types, in the words of the README's configuration reference.
_PLAIN = {
    "int_parsing": "expected a whole number, got {got!r}",
    "int_type": "expected a whole number, got {got!r}",
    "int_from_float": "expected a whole number, got {got!r}",
    "float_parsing": "expected a number, got {got!r}",
    "float_type": "expected a number, got {got!r}",
    "bool_parsing": "expected true or false, got {got!r}",
    "bool_type": "expected true or false, got {got!r}",
    "string_type": "expected text, got {got!r}",
    "string_too_short": "must not be empty",
    "too_short": "must list at least {min_length} value(s)",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "list_type": "expected a list (lines starting with -, or [a, b])",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
}


def _drop_union_tags(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Pydantic puts the discriminator value ('page') in the location; the YAML has no such key."""
    out: list[Any] = []
    current = data
    for part in loc:
        tag = isinstance(current, dict) and isinstance(part, str) and part not in current
        if tag and current.get("kind") == part:
            continue
        out.append(part)
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(out)


def _field(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...], *, at_key: bool = False) -> int | None:
    """The 1-based line of the deepest YAML node along ``loc`` (of its key, if ``at_key``)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        child = _child(node, part, key=at_key and last)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any, *, key: bool = False) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == part:
                # A null value has no position of its own worth reporting; point at the key.
                null = value.tag == "tag:yaml.org,2002:null"
                found: yaml.Node = key_node if key or null else value
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


def _substitute_env(
    value: Any, loc: tuple[Any, ...], root: yaml.Node | None, path: str, env: Mapping[str, str]
) -> Any:
    if isinstance(value, dict):
        return {k: _substitute_env(v, (*loc, k), root, path, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute_env(v, (*loc, i), root, path, env) for i, v in enumerate(value)]
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name not in env and default is not None:
                return default
            if name not in env:
                raise ConfigError(
                    f"environment variable {name} is not set",
                    path=path,
                    line=_line_of(root, loc),
                    field=_field(loc),
                )
            return env[name]

        return _ENV_VAR.sub(replace, value)
    return value
