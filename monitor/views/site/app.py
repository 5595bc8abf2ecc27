"""The read-only web view: a small Starlette app with Jinja2 templates (autoescape on).

Pages: ``/`` the national board, ``/council/<la_code>`` one council's timeline, ``/changes``
and ``/changes.atom`` the alerted changes, ``/ratings.csv`` and ``/ratings.json`` the
national table exactly as ``monitor ratings`` prints it. GET and HEAD only: there is no write
endpoint. Each request opens the database read-only (``store.reads.open_read_only``), so a
web process can never change what the daemon records, and a page never sees half a write.
Every value is escaped by the templates; links from elsewhere are kept only when they are
http(s); no script runs on any page (the Content-Security-Policy says so).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ...alerts.render import change_line, short, subject_line
from ...councils import CouncilRegistry, load_councils
from ...errors import MonitorError, StoreError
from ...models import COUNCIL_JUDGEMENTS, Grade, Judgement
from ...records import ChangeRecord, InspectionRecord, PublicationRecord
from ...store import quotes as quote_store
from ...store import timeline
from ...store.reads import open_read_only, recent_change_ids
from ...timeline.changes import detect_changes
from .. import ratings as table
from ..serialize import history_json
from . import charts
from .feed import atom_feed

CHANGED_WITHIN = timedelta(days=90)  # the board marks authorities whose grades moved since
FEED_ENTRIES = 100
SORTS = ("name", "region", "date", "grade")
# Security headers of every response: no script, no framing, nothing fetched from elsewhere.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STYLE = (Path(__file__).parent / "static" / "board.css").read_text("utf-8")


@dataclass(frozen=True)
class Site:
    """What every request needs: where the database is, the councils, and the clock."""

    db_path: str
    registry: CouncilRegistry
    now: Callable[[], datetime]
    templates: jinja2.Environment

    def render(
        self, request: Request, name: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        # Links are absolute from the app's root, which a reverse proxy may move (--root-path).
        root = request.scope.get("root_path", "").rstrip("/") + "/"
        body = self.templates.get_template(name).render(root=root, **context)
        return HTMLResponse(body, status_code=status, headers=HEADERS)


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor.views.site", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["grade_class"] = grade_class
    env.filters["grade_label"] = grade_label
    env.filters["short"] = lambda grade: short(grade) if grade else ""
    env.filters["http_url"] = http_url
    env.filters["day"] = _day
    env.globals["judgements"] = COUNCIL_JUDGEMENTS
    return env


def grade_class(grade: Grade | None) -> str:
    return "g-" + charts.category(grade).replace(" ", "-")


def grade_label(grade: Grade | None) -> str:
    return grade.label if grade else ""


def http_url(url: str | None) -> str | None:
    """``url`` when it is http(s), else None: a ``javascript:`` link from a feed stays text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def create_app(
    db_path: str | Path,
    *,
    registry: CouncilRegistry | None = None,
    now: Callable[[], datetime] | None = None,
) -> Starlette:
    site = Site(
        db_path=str(db_path),
        registry=registry or load_councils(),
        now=now or (lambda: datetime.now(UTC)),
        templates=templates(),
    )

    def board(request: Request) -> Response:
        return _board(site, request)

    def council(request: Request) -> Response:
        return _council(site, request)

    def changes(request: Request) -> Response:
        records = _recent(site)
        return site.render(
            request,
            "changes.html",
            records=records,
            change_line=_change_lines,
            subject=subject_line,
        )

    def changes_atom(request: Request) -> Response:
        body = atom_feed(_recent(site), base_url=str(request.base_url), now=site.now())
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=HEADERS)

    def ratings_csv(request: Request) -> Response:
        rows = _filtered(site, request)
        body = table.render(rows, "csv")
        headers = {**HEADERS, "Content-Disposition": 'inline; filename="ratings.csv"'}
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)

    def ratings_json(request: Request) -> Response:
        body = table.render(_filtered(site, request), "json")
        return Response(body, media_type="application/json", headers=HEADERS)

    def style(request: Request) -> Response:
        return Response(STYLE, media_type="text/css", headers=HEADERS)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
        return site.render(request, "error.html", status, status_code=status, detail=detail)

    async def unavailable(request: Request, exc: Exception) -> Response:
        # The database went away or cannot be read: say so, without a traceback page.
        return site.render(request, "error.html", 503, status_code=503, detail=str(exc))

    routes = [
        Route("/", board, methods=["GET"]),
        Route("/council/{la_code}", council, methods=["GET"]),
        Route("/changes", changes, methods=["GET"]),
        Route("/changes.atom", changes_atom, methods=["GET"]),
        Route("/ratings.csv", ratings_csv, methods=["GET"]),
        Route("/ratings.json", ratings_json, methods=["GET"]),
        Route("/static/board.css", style, methods=["GET"]),
    ]
    return Starlette(
        routes=routes, exception_handlers={HTTPException: not_found, StoreError: unavailable}
    )


# -- pages -----------------------------------------------------------------------------------


def _board(site: Site, request: Request) -> Response:
    params = request.query_params
    rows, timelines = table.load(site.db_path, site.registry)
    chart = charts.national_chart(charts.grades_by_year(list(site.registry), timelines))
    region = params.get("region") or None
    if region is not None:
        try:
            region = table.parse_region(site.registry, region)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
    shown = table.filter_rows(rows, region=region)
    sort = params.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    descending = params.get("order", "desc" if sort == "date" else "asc") == "desc"
    shown = _sorted(shown, sort, descending)
    today = site.now().date()
    recent = today - CHANGED_WITHIN

    def sort_link(key: str) -> str:
        order = "asc"
        if key == sort:
            order = "asc" if descending else "desc"
        elif key == "date":
            order = "desc"
        query = {"sort": key, "order": order} | ({"region": region} if region else {})
        return "?" + urlencode(query)

    return site.render(
        request,
        "board.html",
        rows=shown,
        total=len(rows),
        regions=table.regions(site.registry),
        region=region,
        sort=sort,
        descending=descending,
        sort_link=sort_link,
        chart=chart,
        recent=recent,
        today=today,
        inspected=sum(1 for r in rows if r.latest is not None),
        csv_link="ratings.csv" + ("?" + urlencode({"region": region}) if region else ""),
    )


def _sorted(rows: list[table.RatingRow], sort: str, descending: bool) -> list[table.RatingRow]:
    """Name, region, date (latest publication) or grade (best first); blanks always last."""
    by_name = sorted(rows, key=lambda r: r.council.casefold())
    if sort == "name":
        return by_name[::-1] if descending else by_name
    if sort == "region":
        key: Callable[[table.RatingRow], Any] = lambda r: r.region.casefold()  # noqa: E731
        known = [r for r in by_name if r.region]
    elif sort == "date":
        key = lambda r: r.latest.published or r.latest.when  # type: ignore[union-attr]  # noqa: E731
        known = [r for r in by_name if r.latest and (r.latest.published or r.latest.when)]
    else:
        key = lambda r: r.overall.rank  # type: ignore[union-attr]  # noqa: E731
        known = [r for r in by_name if r.overall is not None]
    rest = [r for r in by_name if r not in known]
    return sorted(known, key=key, reverse=descending) + rest


def _council(site: Site, request: Request) -> Response:
    code = request.path_params["la_code"]
    council = site.registry.by_code(code) if code.isdigit() and len(code) <= 3 else None
    if council is None:
        raise HTTPException(404, f"no authority with DfE code {code!r}")
    db = open_read_only(site.db_path)
    try:
        records = timeline.history(db, council)
        visits = timeline.publications(db, council)
        quoted = quote_store.quotes(db, council.la_code)
    finally:
        db.close()
    if request.query_params.get("format") == "json":
        data = history_json(council, records, visits, quoted)
        return Response(json.dumps(data, indent=2), media_type="application/json", headers=HEADERS)
    return site.render(
        request,
        "council.html",
        council=council,
        entries=_timeline(records, visits),
        latest=records[-1] if records else None,
        chart=charts.council_chart(records, site.now().date()),
        quotes={url: _grouped(said) for url, said in quoted.items()},
        change_lines=_changes_since,
    )


@dataclass(frozen=True)
class Entry:
    """One line of a council's timeline, newest first: an inspection or an ungraded visit."""

    day: date | None
    inspection: InspectionRecord | None = None
    previous: InspectionRecord | None = None
    visit: PublicationRecord | None = None


def _timeline(records: list[InspectionRecord], visits: list[PublicationRecord]) -> list[Entry]:
    entries = [
        Entry(r.when, inspection=r, previous=records[i - 1] if i else None)
        for i, r in enumerate(records)
    ]
    entries += [Entry(v.published, visit=v) for v in visits]
    entries.sort(key=lambda e: e.day or date.min, reverse=True)
    return entries


def _changes_since(entry: Entry) -> list[str]:
    if entry.inspection is None or entry.previous is None:
        return []
    return [change_line(c) for c in detect_changes(entry.previous.graded, entry.inspection.graded)]


def _grouped(said: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(fields, sentence): a sentence that supports several fields is quoted once."""
    fields: dict[str, list[str]] = {}
    for field, text in said:
        fields.setdefault(text, []).append(_field_label(field))
    return [(", ".join(names), text) for text, names in fields.items()]


def _field_label(field: str) -> str:
    if field == "council":
        return "council"
    if field == "previous":
        return "previous grade"
    try:
        return Judgement(field).label
    except ValueError:
        return field


def _recent(site: Site) -> list[ChangeRecord]:
    db = open_read_only(site.db_path)
    try:
        return [timeline.change_record(db, i) for i in recent_change_ids(db, limit=FEED_ENTRIES)]
    finally:
        db.close()


def _change_lines(record: ChangeRecord) -> list[str]:
    return [change_line(c) for c in record.changes]


def _filtered(site: Site, request: Request) -> list[table.RatingRow]:
    """The national table with ``monitor ratings``'s filters as query parameters."""
    params = request.query_params
    try:
        region = params.get("region")
        grade = params.get("grade")
        since = params.get("changed_since")
        wanted_region = table.parse_region(site.registry, region) if region else None
        wanted_grade = table.parse_grade(grade) if grade else None
        wanted_since = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    rows, _ = table.load(site.db_path, site.registry)
    return table.filter_rows(
        rows, region=wanted_region, grade=wanted_grade, changed_since=wanted_since
    )


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def run_server(db_path: str | Path, *, host: str, port: int, root_path: str = "") -> None:
    """Serve the view until SIGTERM or SIGINT (uvicorn's own handling: in-flight requests
    finish). Refuses to start, with one line, on a database that is missing or unreadable
    or on an address it cannot listen on."""
    import uvicorn

    open_read_only(db_path).close()  # fail now rather than on every request
    _check_address(host, port)
    try:
        uvicorn.run(
            create_app(db_path),
            host=host,
            port=port,
            root_path=root_path,
            proxy_headers=True,  # X-Forwarded-Proto/For from the reverse proxy...
            forwarded_allow_ips="127.0.0.1",  # ...only when it is on this machine
            server_header=False,
            access_log=True,
            log_level="info",
        )
    except SystemExit as exc:  # uvicorn exits 3 when it cannot start: our code for that is 1
        if exc.code not in (0, None):
            raise MonitorError(f"monitor serve could not start on {host}:{port}") from None


def _check_address(host: str, port: int) -> None:
    try:
        family, kind, _, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise MonitorError(f"--host {host!r}: {exc.strerror}") from None
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise MonitorError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
