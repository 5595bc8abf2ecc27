"""The ``monitor`` command. Thin: parse, call, print. The only place errors become exit codes:
0 ok, 2 bad usage or bad configuration (naming file, line and field), 1 anything else."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import Config, load_config, parse_duration
from .config import check_config as load_config_thoroughly
from .errors import ConfigError, MonitorError
from .redact import RedactFilter, redact_text

F = TypeVar("F", bound=Callable[..., Any])
# store.outbox.STATES, written out so that `monitor --help` does not import the store.
OUTBOX_STATES = ("pending", "sending", "sent", "failed")


class State:
    def __init__(self, config_path: str, db_path: str):
        self.config_path = config_path
        self.db_path = db_path

    def config(self, *, thorough: bool = False) -> Config:
        """The configuration; ``thorough`` also tries each notify URL against apprise."""
        load = load_config_thoroughly if thorough else load_config
        config = load(self.config_path)
        start_up_over()
        return config


# The commands that load the configuration (State.config), which ends their start-up.
CONFIGURED_COMMANDS = frozenset({"run", "poll", "check-config", "sources", "notify-test"})
_gc_paused = False  # by main(), until start_up_over()


def start_up_over() -> None:
    """End main()'s start-up: what start-up made (modules, classes, the configuration) lives
    as long as the process, so it is frozen out of the collector's sight (never scanned
    again, not even at exit), and the collector resumes for what the command makes."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def exit_codes() -> Iterator[None]:
    """Turn the monitor's errors into messages and exit codes."""
    try:
        yield
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except MonitorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


class JsonLogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            # exc_text: the traceback as RedactFilter left it (no secret from a URL).
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry)


def setup_logging(verbose: int, quiet: bool, log_format: str) -> None:
    level = logging.WARNING
    if verbose == 1:
        level = logging.INFO
    elif verbose > 1:
        level = logging.DEBUG
    if quiet:
        level = logging.ERROR
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter())  # no API key or password from a URL reaches the log
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Library chatter stays out of the daemon's log unless asked for.
    for noisy in ("httpx", "httpcore", "apscheduler", "trafilatura", "htmldate", "apprise"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    default="sources.yaml",
    envvar="MONITOR_CONFIG",
    show_default=True,
    help="Configuration file (env MONITOR_CONFIG).",
)
@click.option(
    "--db",
    "db_path",
    default="db/monitor.db",
    envvar="MONITOR_DB",
    show_default=True,
    help="SQLite database (env MONITOR_DB).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors in the log.")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    envvar="MONITOR_LOG_FORMAT",
    help="Log lines as text or JSON lines (env MONITOR_LOG_FORMAT).",
)
@click.version_option(package_name="ofsted-monitor")
@click.pass_context
def cli(
    ctx: click.Context, config_path: str, db_path: str, verbose: int, quiet: bool, log_format: str
) -> None:
    """Watch Ofsted and the news for changes in English councils' children's-services ratings,
    and alert subscribers once per real change."""
    setup_logging(verbose, quiet, log_format)
    ctx.obj = State(config_path, db_path)
    if ctx.invoked_subcommand not in CONFIGURED_COMMANDS:
        start_up_over()  # no configuration to load


pass_state = click.make_pass_decorator(State)


@cli.command()
@pass_state
def run(state: State) -> None:
    """Run the daemon: poll every source on its interval, deliver alerts, send digests.

    One monitor per database: exits 1 if another holds DB.lock. Stops cleanly on SIGTERM or
    SIGINT (no job starts, in-flight polls finish or are cancelled, nothing half-written)."""
    from .scheduler import run_daemon

    with exit_codes():
        config = state.config(thorough=True)  # a daemon starts once: check it all
        logging.getLogger("monitor").setLevel(
            min(logging.getLogger().level, logging.INFO)
        )  # a daemon reports its polls
        asyncio.run(run_daemon(config, db_path=state.db_path))


@cli.command()
@click.option("--once", is_flag=True, help="One cycle of every source, then exit (for cron).")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--no-deliver", is_flag=True, help="Do not send the alerts that fall due.")
@click.option(
    "--wait",
    default="60s",
    show_default=True,
    help="How long to wait for another monitor on the database to finish, then exit 1.",
)
@pass_state
def poll(state: State, once: bool, sources: tuple[str, ...], no_deliver: bool, wait: str) -> None:
    """Poll the sources once and deliver the alerts that fall due, then exit.

    SIGTERM or SIGINT stops it cleanly (polls in flight cancelled, what they stored kept, the
    message being sent finished) with exit code 1."""
    if not once:
        raise click.UsageError("use `monitor poll --once` (or `monitor run` for the daemon)")
    try:
        lock_timeout = parse_duration(wait)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--wait") from None
    from .pipeline import SourceOutcome, poll_once

    with exit_codes():
        config = state.config()
        unknown = [s for s in sources if s not in {c.name for c in config.sources}]
        if unknown:
            raise ConfigError(
                f"no source named {unknown[0]!r}", path=state.config_path, field="sources"
            )
        selected = [s for s in config.sources if s.enabled and (not sources or s.name in sources)]
        done: list[str] = []

        def progress(outcome: SourceOutcome) -> None:
            # Long backfills take minutes: show progress, but only to a person at a terminal.
            done.append(outcome.name)
            if sys.stderr.isatty():
                click.echo(
                    f"\r[{len(done)}/{len(selected)}] {outcome.name:<40}", nl=False, err=True
                )

        summary = asyncio.run(
            poll_once(
                config,
                db_path=state.db_path,
                sources=sources or None,
                deliver=not no_deliver,
                on_outcome=progress,
                lock_timeout=lock_timeout,
                handle_signals=True,
            )
        )
        if sys.stderr.isatty():
            click.echo(err=True)
        for outcome in summary.outcomes:
            status = "ok" if outcome.ok else f"FAILED: {redact_text(outcome.error or '')}"
            click.echo(
                f"{outcome.name}: {status}; {outcome.documents} documents, {outcome.new_items} new,"
                f" {outcome.updated_items} updated, {outcome.changes} changes"
                + (" (backfill, silent)" if outcome.backfill else "")
                + (f", {len(outcome.item_errors)} item errors" if outcome.item_errors else "")
                + (f", {outcome.refused} fetches refused" if outcome.refused else "")
                + (f", {outcome.dropped} entries over the cap" if outcome.dropped else "")
            )
        click.echo(f"alerts: {summary.delivered} sent, {summary.delivery_failures} failed")
        if summary.delivery_error:
            click.echo(f"error: alerts not delivered: {summary.delivery_error}", err=True)
            sys.exit(1)
        if summary.interrupted:
            click.echo(
                "error: interrupted by a signal: stopped cleanly (what was stored is kept;"
                " the rest is fetched on the next run)",
                err=True,
            )
            sys.exit(1)
        if summary.outcomes and len(summary.failed) == len(summary.outcomes):
            sys.exit(1)


@cli.command("check-config")
@pass_state
def check_config(state: State) -> None:
    """Validate the configuration; exit 2 naming file, line and field on the first error.

    Also checks what only shows later: time zone, poll intervals (60 s minimum unless
    allow_short_interval), and that an apprise plug-in accepts each notify URL."""
    with exit_codes():
        config = state.config(thorough=True)
        click.echo(
            f"{state.config_path}: ok ({len(config.sources)} sources,"
            f" {len(config.subscribers)} subscribers)"
        )


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_state
def sources(state: State, fmt: str) -> None:
    """A table of sources: last success, last error, items seen, next run (reads the
    database without writing; with no database yet, every source shows as never polled)."""
    from .store import items as item_store
    from .store import open_read_only

    with exit_codes():
        config = state.config()
        if Path(state.db_path).exists():
            db = open_read_only(state.db_path)
            rows = {r.name: r for r in item_store.source_rows(db)}
            db.close()
        else:
            click.echo(f"note: no database at {state.db_path} yet: nothing polled", err=True)
            rows = {}
        if fmt == "json":
            from .views.serialize import source_json

            found = [
                source_json(s.name, s.kind, s.enabled, rows.get(s.name)) for s in config.sources
            ]
            click.echo(json.dumps(found, indent=2))
            return
        table = [("SOURCE", "KIND", "LAST SUCCESS", "ITEMS", "FAILS", "NEXT RUN", "LAST ERROR")]
        for source in config.sources:
            row = rows.get(source.name)
            table.append(
                (
                    source.name,
                    source.kind,
                    _when(row.last_success) if row else "never",
                    str(row.items_seen) if row else "0",
                    str(row.consecutive_failures) if row else "0",
                    _when(row.next_run) if row else "-",
                    (row.last_error or "")[:60] if row else "",
                )
            )
        click.echo(_table(table))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@click.option("--url", default=None, help="Where the (single) file was fetched from.")
def classify(paths: tuple[str, ...], as_json: bool, url: str | None) -> None:
    """Classify text, HTML or PDF files: which council, which grades, up or down."""
    from .classify import file_document
    from .parse_worker import ParseWorker

    if url is not None and len(paths) != 1:
        raise click.UsageError("--url names the source of one file; give one PATH with it")
    # The daemon's reader: a worker process under the same memory and time limits (closed at
    # exit), so a hostile file costs an error line, not this process.
    worker = ParseWorker()
    failed = False
    for path in paths:
        document = file_document(Path(path), url=url)
        try:
            classification = worker.read(document).classification
        except MonitorError as exc:
            failed = True
            if as_json:
                click.echo(
                    json.dumps({"path": path, "relevant": False, "events": [], "error": str(exc)})
                )
            else:
                click.echo(f"{path}: error: {exc}", err=True)
            continue
        events = [e.to_json() for e in classification.events]
        if as_json:
            line: dict[str, Any] = {
                "path": path,
                "relevant": classification.relevant,
                "events": events,
            }
            if classification.needs_review:  # a report whose council cannot be read, say
                line["needs_review"] = list(classification.needs_review)
            click.echo(json.dumps(line))
        else:
            click.echo(_describe_classification(path, classification))
    if failed:
        sys.exit(1)


def _describe_classification(path: str, classification: Any) -> str:
    if not classification.relevant:
        return f"{path}: not relevant ({classification.reason or 'no rating event'})"
    lines = [f"{path}:"]
    for event in classification.events:
        grades = ", ".join(f"{j.value}={g.value}" for j, g in event.grades.items())
        previous = event.previous.value if event.previous else "?"
        lines.append(
            f"  {event.council.name} ({event.council.la_code}) {event.framework.value}: {grades};"
            f" previous={previous}; change={event.change.value}"
        )
    return "\n".join(lines)


@cli.command()
@click.option("--since", default="7d", show_default=True, help="Window, e.g. 24h, 7d, 3w.")
@click.option("--council", default=None, help="Only this council (name or DfE code).")
@click.option("--region", default=None, help="Only this region, e.g. 'North West'.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@pass_state
def digest(state: State, since: str, council: str | None, region: str | None, fmt: str) -> None:
    """Recent rating changes, newest first, with evidence links."""
    from .councils import load_councils
    from .store import open_read_only
    from .views.digest import changes_since, render_digest
    from .views.ratings import parse_region

    seconds = _window(since, "--since")
    if region is not None:
        try:
            region = parse_region(load_councils(), region)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--region") from None
    with exit_codes():
        db = open_read_only(state.db_path)
        try:
            entries = changes_since(
                db, datetime.now(UTC) - timedelta(seconds=seconds), council=council, region=region
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        click.echo(render_digest(entries, fmt), nl=False)  # type: ignore[arg-type]


@cli.command()
@click.argument("council")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_state
def history(state: State, council: str, fmt: str) -> None:
    """The whole rating timeline of one council, every judgement."""
    from .councils import load_councils
    from .store import open_read_only
    from .views.history import render_history

    found = load_councils().lookup(council)
    if found is None:
        raise click.BadParameter(
            f"unknown council {council!r} (a name or DfE code)", param_hint="COUNCIL"
        )
    with exit_codes():
        db = open_read_only(state.db_path)
        if fmt == "json":
            from .store import quotes, timeline
            from .views.serialize import history_json

            records, visits = timeline.history(db, found), timeline.publications(db, found)
            data = history_json(found, records, visits, quotes.quotes(db, found.la_code))
            click.echo(json.dumps(data, indent=2))
            return
        click.echo(render_history(db, found), nl=False)


@cli.command()
@click.option(
    "--state",
    "row_state",
    type=click.Choice(OUTBOX_STATES),
    default=None,
    help="Only rows in this state.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_state
def alerts(state: State, row_state: str | None, fmt: str) -> None:
    """The alert outbox: what was sent, what is pending, what failed and why.

    States: pending (due, or waiting to retry), sending (claimed by a sender now; one left
    by a stopped process is resent at the next start), sent, failed (given up; see its error).

    The delivery promise is at least once: a process stopped between a receiver's answer and
    recording it resends that message. Every copy of one delivery carries the same key, in
    the X-Monitor-Delivery email header, the "delivery" field (and X-Monitor-Delivery header)
    of webhook JSON, and the last line of chat text; a receiver drops a key it has seen."""
    from .store import open_read_only, outbox

    with exit_codes():
        db = open_read_only(state.db_path)
        rows = outbox.outbox_rows(db, state=row_state)
        if fmt == "json":
            from .views.serialize import outbox_json

            click.echo(json.dumps([outbox_json(r) for r in rows], indent=2))
            return
        click.echo(outbox.render_outbox(rows))


@cli.command("notify-test")
@click.argument("subscriber")
@pass_state
def notify_test(state: State, subscriber: str) -> None:
    """Send a test message to every channel of SUBSCRIBER; exit 1 if any failed."""
    from .alerts.send import notify_test as send_test

    with exit_codes():
        config = state.config()
        match = [s for s in config.subscribers if s.name == subscriber]
        if not match:
            raise ConfigError(
                f"no subscriber named {subscriber!r}", path=state.config_path, field="subscribers"
            )
        if not match[0].enabled:
            raise ConfigError(
                f"subscriber {subscriber!r} is disabled (enabled: false): it gets no alerts and"
                " no test was sent; enable it first",
                path=state.config_path,
                field="subscribers",
            )
        results = send_test(match[0], config.settings)
        for url, ok, message in results:
            click.echo(f"{'ok' if ok else 'FAILED'}  {url}  {message}")
        if not all(ok for _, ok, _ in results):
            sys.exit(1)


@cli.command()
@click.option("--duration", default=60.0, show_default=True, help="Seconds of scripted activity.")
@click.option(
    "--keep-db",
    default="db/demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where the demo's database is left, for `monitor serve` (made afresh each run).",
)
def demo(duration: float, keep_db: str) -> None:
    """The whole product offline: a local fixture web, SMTP sink and webhook receiver, a
    scripted minute with two rating changes; prints what was received and the digest, and
    leaves the demo's database for `monitor --db db/demo.db serve`."""
    from .demo.world import run_demo

    sys.exit(run_demo(duration=duration, out=sys.stdout, keep_db=Path(keep_db)))


@cli.command()
@click.option("--region", default=None, help="Only this region, e.g. 'North West'.")
@click.option("--grade", default=None, help="Only this latest overall grade, e.g. inadequate.")
@click.option(
    "--changed-since",
    default=None,
    help="Only those whose grades moved since a date (2025-04-01) or in a window (90d).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json", "markdown", "xlsx"]),
    default="text",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file."
)
@pass_state
def ratings(
    state: State,
    region: str | None,
    grade: str | None,
    changed_since: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """The national table: every authority's latest inspection and grades, the previous overall
    grade and the direction; never-inspected authorities with empty grades. xlsx has two
    sheets, latest and history."""
    from .councils import load_councils
    from .views import ratings as table

    registry = load_councils()
    try:
        wanted_region = table.parse_region(registry, region) if region else None
        wanted_grade = table.parse_grade(grade) if grade else None
        since = _since_date(changed_since) if changed_since else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    with exit_codes():
        rows, timelines = table.load(state.db_path, registry)
        rows = table.filter_rows(
            rows, region=wanted_region, grade=wanted_grade, changed_since=since
        )
        if fmt == "xlsx":
            if output is None and sys.stdout.isatty():
                raise click.UsageError("xlsx is a binary file: use --output FILE")
            codes = {r.la_code for r in rows}
            history = table.history_rows(
                registry, {k: v for k, v in timelines.items() if k in codes}
            )
            data = table.render_xlsx(rows, history)
            if output is None:
                sys.stdout.buffer.write(data)
            else:
                Path(output).write_bytes(data)
            return
        text = table.render(rows, fmt)  # type: ignore[arg-type]
        if output is None:
            click.echo(text, nl=False)
        else:
            Path(output).write_text(text, encoding="utf-8")


def _window(text: str, option: str) -> float:
    """Seconds from a window such as 24h, 7d or 3w; a bare number is refused (which unit?)."""
    if text.strip().replace(".", "", 1).isdigit():
        raise click.BadParameter(
            f"{text!r} has no unit: write e.g. {text.strip()}d (units: s, m, h, d, w)",
            param_hint=option,
        )
    try:
        return parse_duration(text)
    except ValueError:
        raise click.BadParameter(
            f"expected a window like 24h, 7d or 3w, got {text!r}", param_hint=option
        ) from None


def _since_date(text: str) -> date:
    """A date (YYYY-MM-DD) or a window back from today (90d)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        seconds = parse_duration(text)
    except ValueError:
        raise ValueError(
            f"--changed-since: {text!r} is neither a date (2025-04-01) nor a window (90d)"
        ) from None
    return (datetime.now(UTC) - timedelta(seconds=seconds)).date()


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; keep 127.0.0.1 behind a reverse proxy.",
)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--root-path", default="", help="The URL prefix a reverse proxy serves it under, e.g. /ofsted."
)
@pass_state
def serve(state: State, host: str, port: int, root_path: str) -> None:
    """A read-only web view of the database: the national board, each council's timeline,
    recent changes and their Atom feed, the ratings as CSV and JSON. No write endpoint."""
    from .views.site.app import run_server  # starlette, jinja2, uvicorn: only this command

    with exit_codes():
        run_server(state.db_path, host=host, port=port, root_path=root_path)


def _when(value: Any) -> str:
    if value in (None, ""):
        return "never"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return str(value)


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def main() -> None:
    # httpx imports its own command-line tool (rich, pygments) and httpcore probes for trio
    # whenever those happen to be installed (development tools pull them in), about 0.1 s
    # of a poll's start-up. The monitor uses neither; in its own process, mark them absent.
    for unused in ("httpx._main", "trio"):
        sys.modules.setdefault(unused, None)  # type: ignore[arg-type]
    # Start-up (imports, then the configuration) makes many objects that live as long as the
    # process and almost no garbage: the cyclic collector, running dozens of times meanwhile
    # and once more over everything at exit, cost a fifth of `poll --once`'s start-up. It is
    # paused until the configuration is loaded (State.config) or the command needs none
    # (cli), then start_up_over(); `python -m monitor` pauses it before the first import.
    global _gc_paused
    gc.disable()
    _gc_paused = True
    cli(prog_name="monitor")
