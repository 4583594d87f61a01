"""The command line: parse options, call the core, render, choose the exit code.

Exit codes: 0 success; 1 a --fail-on condition holds (outputs are still written); 2 bad usage,
config or data (nothing written), or standard output cannot be written (it is written last,
after the report files); 3 an internal error (a bug: rerun with --debug and report it); 130
Ctrl-C and 143 SIGTERM (the report files are all new or all as they were).
Heavy libraries (pandas, openpyxl) are imported inside the commands that need them.
"""

from __future__ import annotations

import gc
import io
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click import exceptions as click_errors
from typer._click.core import Command, Context
from typer.core import TyperGroup, TyperOption

from roicli import __version__
from roicli.enums import FailOn, Lang, OutputFormat, Period, Template, TrendBy
from roicli.errors import RoicliError, UsageError, shorten

if TYPE_CHECKING:
    from rich.console import Console

    from roicli.model import Analysis
    from roicli.project import Project

EXIT_FAIL_ON = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 1  # Click's code for a reader that went away (roicli report | head)
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM
# Characters roicli prints (money, dashboard, sparklines): a stdout that cannot encode them is
# switched to UTF-8.
STDOUT_PROBE = "€·…²▁─"


class Terminated(BaseException):
    """SIGTERM (from `timeout`, CI, systemd), raised like Ctrl-C's KeyboardInterrupt so that
    clean-up runs."""


class StdoutError(RoicliError):
    """Standard output cannot be written (a full disk, an I/O error): exit 2."""

    def __init__(self, error: OSError) -> None:
        super().__init__(
            f"cannot write to standard output: {error.strerror or error}",
            fix="free space on the disk it goes to, or send it elsewhere",
        )


class _Stdout(io.TextIOWrapper):
    """Standard output whose write errors are a StdoutError, once: after one, the rest of the
    output is dropped. A reader that went away stays a BrokenPipeError (exit 1). It is flushed
    only after a write, as /dev/full refuses even an empty flush."""

    failed = False
    unflushed = False

    def write(self, text: str) -> int:
        if self.failed:
            return len(text)
        with self._guard():
            count = super().write(text)
        self.unflushed = self.unflushed or bool(text)
        return count

    def flush(self) -> None:
        if self.unflushed and not self.failed:
            with self._guard():
                super().flush()
            self.unflushed = False

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.failed = True
            raise StdoutError(exc) from exc


class _Cli(TyperGroup):
    """The top-level group: flags bare in the help, and bad usage as one line (exit 2).

    Typer's rich help prints ``<bool>`` after every flag, and its usage errors are a boxed
    block; the README promises ``roicli: error: ...`` on one line for every exit 2.
    """

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with _usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _bare_flags(self, ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Context) -> Any:
        with _usage_errors():
            return super().invoke(ctx)


def _bare_flags(command: Command, ctx: Context) -> None:
    """Show every flag of ``command`` and its subcommands (--help too) without a value type."""
    for param in command.get_params(ctx):
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _bare_flags(sub, ctx)


@contextmanager
def _usage_errors() -> Iterator[None]:
    """Click's usage errors (but the help shown for no arguments) as one line, exit 2."""
    try:
        yield
    except click_errors.NoArgsIsHelpError:
        raise
    except click_errors.UsageError as exc:
        _fail(f"roicli: error: {_usage_message(exc)}", EXIT_BAD_INPUT)


def _usage_message(exc: click_errors.UsageError) -> str:
    """Where, what and (how to fix it), like roicli's own usage errors."""
    fix = f"see '{exc.ctx.command_path if exc.ctx else 'roicli'} --help'"
    if isinstance(exc, click_errors.NoSuchOption):
        if exc.possibilities:
            fix = "did you mean " + " or ".join(sorted(exc.possibilities)) + "?"
        return f"{exc.option_name}: no such option ({fix})"
    if isinstance(exc, click_errors.BadParameter) and not isinstance(
        exc, click_errors.MissingParameter
    ):
        param = exc.param
        what = exc.message.removeprefix("Value error, ").rstrip(".")
        if param is None:
            return f"{_lower_first(what)} ({fix})"
        where = max(param.opts, key=len) if param.opts else param.display_name_raw
        if param.type_descriptor.is_choice:
            fix = "choose one of them"
        return f"{where}: {_lower_first(what)} ({fix})"
    what, _, suggestion = exc.format_message().partition(". Did you mean ")
    if suggestion:
        fix = "did you mean " + suggestion
    return f"{_lower_first(what.rstrip('.'))} ({fix})"


def _lower_first(text: str) -> str:
    """'Missing argument' as 'missing argument', but 'KEY' kept as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


app = typer.Typer(
    name="roicli",
    cls=_Cli,
    help="KPI and ROI toolkit for training and mentoring programmes: SMART objectives, "
    "Kirkpatrick levels and Phillips ROI from the KPI exports you already have.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
kpis_app = typer.Typer(help="The built-in catalogue of training and marketing KPIs.")
MAX_SUGGESTIONS = 20  # the most `kpis suggest --limit` shows
FALLBACK_QUESTIONS = 3  # level 1-3 KPIs whose questions are proposed when none is suggested
app.add_typer(kpis_app, name="kpis", no_args_is_help=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="PATH",
        help="Config file (default: $ROICLI_CONFIG, ./roicli.yaml, ./configs/roicli.yaml).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Date that fixes every 'current' figure, like 2026-10-31 (default: today).",
        show_default=False,
    ),
]
PeriodOption = Annotated[Period, typer.Option("--period", help="Reporting period.")]
LangOption = Annotated[
    Lang, typer.Option("--lang", help="Language of the dashboard and of the report files.")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing but errors and --format json.")
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show the traceback of an error.", hidden=True)
]
SkipBadRowsOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows", help="Skip unreadable data rows (counted and sampled in the audit)."
    ),
]
PartialOption = Annotated[
    bool,
    typer.Option(
        "--include-partial",
        help="Show the running period (the one holding --as-of) in the series, marked partial.",
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table: the dashboard; json: the JSON contract.")
]
FailOnOption = Annotated[
    list[FailOn] | None,
    typer.Option(
        "--fail-on",
        metavar="smart|off-track|negative-roi|stale-data|roi-objective",
        help="Exit 1 when this holds (repeatable).",
        show_default=False,
    ),
]

HistoryOption = Annotated[
    Path | None,
    typer.Option(
        "--history",
        metavar="PATH",
        help="The run history (SQLite; default: history: in the config, else "
        ".roicli/history.sqlite beside the config file).",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"roicli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """KPI and ROI toolkit for training and mentoring programmes."""


@contextmanager
def _boundary(debug: bool) -> Iterator[None]:
    """The one place where errors become a message on stderr and an exit code."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except RoicliError as exc:
        if debug:
            raise
        _fail(f"roicli: error: {exc}", EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        _fail("roicli: interrupted", EXIT_INTERRUPTED)
    except Terminated:
        _fail("roicli: terminated", EXIT_TERMINATED)
    except Exception as exc:  # a bug, not the user's mistake
        if debug:
            raise
        _fail(
            f"roicli: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --debug for the traceback, and please report it)",
            EXIT_INTERNAL,
        )


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(_printable(message), err=True)
    raise typer.Exit(code)


def _printable(text: str) -> str:
    """Text with control characters escaped (ESC as \\x1b, a newline as \\n): a hostile file
    quoted in a message cannot drive the terminal, and the message stays on one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    width = None if terminal or os.environ.get("COLUMNS") else 120
    # markup=False: a name such as "[/]" or "[bold]" from the inputs is text, not markup
    return Console(file=stream, width=width, highlight=False, soft_wrap=False, markup=False)


def _load(
    config: Path | None, *, skip_bad_rows: bool, quiet: bool, as_of: date | None = None
) -> Project:
    from roicli.config import find_config
    from roicli.progress_bar import silenced
    from roicli.project import load_project

    with silenced() if quiet else nullcontext():
        return load_project(find_config(config), skip_bad_rows=skip_bad_rows, as_of=as_of)


def _as_of(text: str | None) -> date:
    """The --as-of date (today when not given). Read inside the boundary, before any data, so
    that a bad date fails at once, in one line like any other usage error."""
    if text is None:
        return date.today()
    from roicli.periodspec import check_day

    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise UsageError(
            f"--as-of: expected a date like 2026-10-31, got {shorten(text)!r}"
        ) from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def _analyse(project: Project, *, as_of: date, period: Period, include_partial: bool) -> Analysis:
    from roicli.analysis import analyse

    return analyse(project, as_of=as_of, period=period, include_partial=include_partial)


def _analysis(
    config: Path | None,
    as_of: str | None,
    *,
    period: Period,
    include_partial: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> Analysis:
    """The --as-of date read, the project loaded and analysed: what every command but
    ``report`` (which reads the history in between) starts with."""
    day = _as_of(as_of)
    project = _load(config, skip_bad_rows=skip_bad_rows, quiet=quiet, as_of=day)
    return _analyse(project, as_of=day, period=period, include_partial=include_partial)


def _exit_for(analysis: Analysis, fail_on: list[FailOn] | None, *, quiet: bool, lang: Lang) -> None:
    from roicli.gates import failed_conditions
    from roicli.i18n import t

    failed = failed_conditions(analysis, fail_on or [])
    if failed:
        if not quiet:
            last_days = {stale.kpi: stale.data_to.isoformat() for stale in analysis.stale}
            for condition, subjects in failed:
                if condition is FailOn.STALE_DATA:
                    item = t("failon.stale_item", lang)
                    subjects = [item.format(kpi=k, day=last_days[k]) for k in subjects]
                line = t(f"failon.{condition.value}", lang).format(names=", ".join(subjects))
                typer.echo(_printable(f"roicli: --fail-on {condition.value}: {line}"), err=True)
        raise typer.Exit(EXIT_FAIL_ON)


@app.command()
def report(
    config: ConfigOption = None,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write a file; the suffix picks it: .xlsx .json .csv .md .html. Repeatable; "
            "'{as_of:%Y-%m}' in the name is replaced.",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    as_of: AsOfOption = None,
    period: PeriodOption = Period.MONTH,
    lang: LangOption = Lang.EN,
    fail_on: FailOnOption = None,
    skip_bad_rows: SkipBadRowsOption = False,
    include_partial: PartialOption = False,
    history: HistoryOption = None,
    no_history: Annotated[
        bool,
        typer.Option(
            "--no-history",
            help="Neither record this run in the history nor compare it with the last one.",
        ),
    ] = False,
    compare_to: Annotated[
        str | None,
        typer.Option(
            "--compare-to",
            metavar="FILE.json|YYYY-MM",
            help="Show what changed since this JSON report or this month's recorded run "
            "(default: the latest recorded run with an earlier as-of date).",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Everything in one run: SMART check, progress, trends and ROI, as a dashboard and files,
    with what changed since the last report; the run is recorded in the history.

    Example: roicli report -c configs/roicli.yaml -o "reports/roi-{as_of:%Y-%m}.xlsx"
    """
    with _boundary(debug):
        day = _as_of(as_of)
        project = _load(config, skip_bad_rows=skip_bad_rows, quiet=quiet, as_of=day)
        from roicli import since

        # "Since last report" is read now, before anything is rendered; the run is recorded
        # only once every output is written.
        run = since.start(
            project, as_of=day, history=history, no_history=no_history, compare_to=compare_to
        )
        analysis = _analyse(project, as_of=day, period=period, include_partial=include_partial)
        analysis = since.annotate(analysis, run)
        from roicli.render.json import render_json

        json_text = render_json(analysis)
        # Standard output is rendered first and written last, after every report file, so that
        # a full disk under it fails the run in one place (exit 2, the files already complete).
        if output_format is OutputFormat.JSON:
            shown = json_text
        elif quiet:
            shown = ""
        else:
            from roicli.render.terminal import render_dashboard

            console = _console()
            with console.capture() as captured:
                render_dashboard(console, analysis, lang)
            shown = captured.get()
        if output:
            from roicli.outputs import check_outputs, expand_template, write_outputs

            paths = [expand_template(text, analysis.as_of) for text in output]
            check_outputs(paths, _inputs(project))
            write_outputs(analysis, paths, lang=lang, json_text=json_text)
        sys.stdout.write(shown)
        sys.stdout.flush()
        warning = since.finish(run, analysis, json_text)
        if warning:
            typer.echo(_printable(warning), err=True)
        if not quiet:
            typer.echo(_summary_line(analysis, output or [], lang), err=True)
        _exit_for(analysis, fail_on, quiet=quiet, lang=lang)


def _inputs(project: Project) -> list[Path]:
    config = project.loaded.config
    paths = [project.loaded.path, *(s.path for s in config.sources if s.path is not None)]
    paths += [o.estimates for p in config.programs for o in p.objectives if o.estimates]
    paths += [e.path for p in config.programs for e in p.evaluations]
    return paths


def _summary_line(analysis: Analysis, outputs: list[str], lang: Lang) -> str:
    """The one-line run summary on stderr, in the report's language."""
    from roicli.enums import Status
    from roicli.i18n import plural, t
    from roicli.render.view import summary_money

    statuses = [o.status for _, o in analysis.objectives()]
    off_track = sum(1 for status in statuses if status in (Status.OFF_TRACK, Status.MISSED))
    written = t("summary.written", lang).format(files=plural("file", len(outputs), lang))
    return t("summary.line", lang).format(
        day=analysis.as_of.isoformat(),
        programmes=plural("programme", len(analysis.programs), lang),
        objectives=plural("objective", len(statuses), lang),
        off_track=off_track,
        money=summary_money(analysis, lang),
        written=written if outputs else "",
    )


@app.command()
def check(
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    period: PeriodOption = Period.MONTH,
    lang: LangOption = Lang.EN,
    fail_on: FailOnOption = None,
    skip_bad_rows: SkipBadRowsOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Validate the config and data, then run the SMART check of every objective.

    Example: roicli check -c configs/roicli.yaml --fail-on smart
    """
    with _boundary(debug):
        analysis = _analysis(
            config,
            as_of,
            period=period,
            include_partial=False,
            skip_bad_rows=skip_bad_rows,
            quiet=quiet,
        )
        if not quiet:
            from roicli.render.terminal import render_check

            render_check(_console(), analysis, lang)
        _exit_for(analysis, fail_on, quiet=quiet, lang=lang)


@app.command()
def roi(
    config: ConfigOption = None,
    output_format: FormatOption = OutputFormat.TABLE,
    as_of: AsOfOption = None,
    period: PeriodOption = Period.MONTH,
    lang: LangOption = Lang.EN,
    fail_on: FailOnOption = None,
    skip_bad_rows: SkipBadRowsOption = False,
    include_partial: PartialOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Costs, isolated benefits, net benefit, ROI %, BCR and payback per programme.

    Example: roicli roi --as-of 2026-10-31 --format json
    """
    with _boundary(debug):
        analysis = _analysis(
            config,
            as_of,
            period=period,
            include_partial=include_partial,
            skip_bad_rows=skip_bad_rows,
            quiet=quiet,
        )
        if output_format is OutputFormat.JSON:
            from roicli.render.json import render_json

            sys.stdout.write(render_json(analysis))
        elif not quiet:
            from roicli.render.terminal import render_roi

            render_roi(_console(), analysis, lang)
        _exit_for(analysis, fail_on, quiet=quiet, lang=lang)


@app.command()
def forecast(
    config: ConfigOption = None,
    output_format: FormatOption = OutputFormat.TABLE,
    as_of: AsOfOption = None,
    lang: LangOption = Lang.EN,
    skip_bad_rows: SkipBadRowsOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Forecast ROI before launch per programme, from each objective's forecast: (its KPI's
    expected change a month), and the change of each objective alone that pays the costs.

    Example: roicli forecast -c configs/roicli.yaml --format json
    """
    with _boundary(debug):
        analysis = _analysis(
            config,
            as_of,
            period=Period.MONTH,
            include_partial=False,
            skip_bad_rows=skip_bad_rows,
            quiet=quiet,
        )
        if output_format is OutputFormat.JSON:
            from roicli.render.json import render_forecast_json

            sys.stdout.write(render_forecast_json(analysis))
        elif not quiet:
            from roicli.render.terminal import render_forecast

            render_forecast(_console(), analysis, lang)


@app.command()
def trend(
    config: ConfigOption = None,
    kpi: Annotated[
        str | None, typer.Option("--kpi", help="Only this KPI (key, label or alias).")
    ] = None,
    by: Annotated[
        TrendBy | None,
        typer.Option("--by", help="Show each group side by side (trained vs control)."),
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    as_of: AsOfOption = None,
    period: PeriodOption = Period.MONTH,
    lang: LangOption = Lang.EN,
    skip_bad_rows: SkipBadRowsOption = False,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Per-KPI series (change, slope, R², sparkline), objectives' projections, cohorts.

    Example: roicli trend --kpi organic_sessions --by group --period quarter
    """
    with _boundary(debug):
        day = _as_of(as_of)
        project = _load(config, skip_bad_rows=skip_bad_rows, quiet=quiet, as_of=day)
        analysis = _analyse(project, as_of=day, period=period, include_partial=False)
        trends = analysis.kpis
        if kpi is not None:
            from roicli.ingest import match_kpi

            key = match_kpi(kpi, project.loaded.config.kpis)
            if key is None:
                raise UsageError(
                    f"--kpi {kpi!r} is not a configured KPI",
                    fix="choose one of " + ", ".join(project.loaded.config.kpis),
                )
            trends = tuple(t for t in trends if t.key == key)
        keys = {t.key for t in trends}
        cohorts = [c for c in analysis.cohorts if c.kpi in keys] if by else []
        if output_format is OutputFormat.JSON:
            from roicli.render.json import render_trends_json

            sys.stdout.write(render_trends_json(analysis, trends, cohorts))
        elif not quiet:
            from roicli.render.terminal import render_trends

            render_trends(_console(), analysis, trends, cohorts, lang)


@app.command("history")
def history_command(
    config: ConfigOption = None,
    history: HistoryOption = None,
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            metavar="NAME",
            help="How this programme's ROI to date, benefits and objectives' statuses moved, "
            "run by run.",
            show_default=False,
        ),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove every run but the latest --keep N.")
    ] = False,
    keep: Annotated[
        int | None,
        typer.Option(
            "--keep",
            metavar="N",
            min=1,
            help="How many runs --prune keeps (the latest as-of dates).",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    lang: LangOption = Lang.EN,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """The runs recorded by 'roicli report', one line each: as-of date, ROI per programme and
    objectives on track; --programme shows one programme run by run.

    Example: roicli history --programme "SEO and content cross-mentoring 2026"
    """
    with _boundary(debug):
        from roicli.config import find_config, load_config
        from roicli.history import prune as prune_runs
        from roicli.history import read_runs
        from roicli.paths import shown_path
        from roicli.since import history_path

        if prune != (keep is not None):
            raise UsageError(
                "--prune and --keep go together", fix="e.g. roicli history --prune --keep 24"
            )
        loaded = load_config(find_config(config))
        path = history_path(loaded, history)
        if path is None:
            raise UsageError(
                "the config is not a file, so it has no history beside it",
                fix="give --history PATH",
            )
        name, shown = loaded.path.name, shown_path(path)
        if keep is not None:
            from roicli.i18n import plural, t

            removed = prune_runs(path, name, keep)
            left = len(read_runs(path, name))
            if not quiet:
                line = t("history.pruned", lang).format(
                    path=shown,
                    removed=plural("run_removed", removed, lang),
                    left=plural("run_left", left, lang),
                )
                typer.echo(_printable(line), err=True)
            return
        runs = read_runs(path, name)
        _show_history(runs, programme, output_format, lang, path=shown, config=name, quiet=quiet)


def _show_history(
    runs: list[Any],
    programme: str | None,
    output_format: OutputFormat,
    lang: Lang,
    *,
    path: str,
    config: str,
    quiet: bool,
) -> None:
    """The runs (or one programme's) as a table or as JSON."""
    from roicli.render import history as views

    if output_format is OutputFormat.JSON:
        if programme is None:
            sys.stdout.write(views.runs_json(runs, path=path, config=config))
        else:
            sys.stdout.write(views.programme_json(runs, programme))
        return
    if quiet:
        return
    console = _console()
    if not runs:
        from roicli.i18n import t

        console.print(t("history.empty", lang).format(config=config, path=path))
    elif programme is None:
        console.print(views.runs_table(runs, lang))
    else:
        console.print(views.programme_table(runs, programme, lang))


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the example project.", show_default=True)
    ] = Path("."),
    template: Annotated[
        Template | None,
        typer.Option(
            "--template",
            help="A smaller starter project instead of the full example.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    debug: DebugOption = False,
) -> None:
    """Write a working project (config and sample data) into DIRECTORY: the full example, or
    a starter for mentoring, SEO, sales or content training.

    Example: roicli init my-programme --template mentoring && cd my-programme && roicli report
    """
    with _boundary(debug):
        if template is None:
            from roicli.example import write_example

            written = write_example(directory, force=force)
        else:
            from roicli.templates import write_template

            written = write_template(template.value, directory, force=force)
        for path in written:
            typer.echo(f"wrote {path}")
        typer.echo(f"next: cd {directory} && roicli report")


@app.command()
def schema(debug: DebugOption = False) -> None:
    """Print the JSON Schema of the config file (for editor completion).

    Example: roicli schema > roicli.schema.json
    """
    with _boundary(debug):
        import json

        from roicli.config import Config

        sys.stdout.write(json.dumps(Config.model_json_schema(by_alias=True), indent=2) + "\n")


LevelOption = Annotated[
    int | None,
    typer.Option("--level", min=0, max=5, help="Only KPIs at this level (0 inputs … 5 ROI)."),
]


@kpis_app.command("list")
def kpis_list(
    level: LevelOption = None,
    output_format: FormatOption = OutputFormat.TABLE,
    lang: LangOption = Lang.EN,
) -> None:
    """List the catalogue: key, name, level, unit and direction.

    Example: roicli kpis list --level 4 --lang fr
    """
    from roicli.catalog import entries_at_level
    from roicli.enums import Level

    entries = entries_at_level(None if level is None else list(Level)[level])
    if output_format is OutputFormat.JSON:
        _print_json([entry.to_dict() for entry in entries])
        return
    from roicli.render.catalog import catalog_table

    _console().print(catalog_table(entries, lang=lang))


@kpis_app.command("show")
def kpis_show(
    key: Annotated[str, typer.Argument(help="Catalogue key, e.g. organic_sessions.")],
    output_format: FormatOption = OutputFormat.TABLE,
    lang: LangOption = Lang.EN,
    debug: DebugOption = False,
) -> None:
    """Show one catalogue KPI: definition, level, lag, how to turn it into money, YAML snippet.

    Example: roicli kpis show cost_per_lead
    """
    with _boundary(debug):
        import difflib

        from roicli.catalog import config_snippet, get_entry, load_catalog

        entry = get_entry(key)
        if entry is None:
            keys = [e.key for e in load_catalog()]
            close = difflib.get_close_matches(key.strip().lower(), keys, n=1)
            raise UsageError(
                f"{key!r} is not in the catalogue"
                + (f" (did you mean {close[0]!r}?)" if close else ""),
                fix="see 'roicli kpis list'",
            )
        if output_format is OutputFormat.JSON:
            from roicli.evaluation.questions import proposals_for

            questions = [proposal.to_dict() for proposal in proposals_for([entry.key])]
            _print_json({**entry.to_dict(), "evaluation_questions": questions})
            return
        from roicli.render.catalog import entry_panel

        console = _console()
        console.print(entry_panel(entry, lang=lang))
        sys.stdout.write(config_snippet([entry], lang=lang.value))


@kpis_app.command("suggest")
def kpis_suggest(
    text: Annotated[str, typer.Argument(help="The learning objective, in English or French.")],
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_SUGGESTIONS, help="How many KPIs.")
    ] = 5,
    output_format: FormatOption = OutputFormat.TABLE,
    lang: LangOption = Lang.EN,
) -> None:
    """Suggest KPIs for a learning objective, the evaluation questions that measure its levels
    1-3, and print the YAML to paste into the config.

    Example: roicli kpis suggest "Réduire le coût par lead grâce au mentorat Google Ads"
    """
    from roicli.catalog import config_snippet, suggest
    from roicli.evaluation.questions import proposals_for
    from roicli.i18n import t

    suggestions = suggest(text, limit=limit)
    if output_format is OutputFormat.JSON:
        _print_json(
            [
                {
                    **s.to_dict(),
                    "evaluation_questions": [p.to_dict() for p in proposals_for([s.entry.key])],
                }
                for s in suggestions
            ]
        )
        return
    console = _console()
    if not suggestions:
        console.print(t("cat.no_match", lang))
        return
    from roicli.render.catalog import questions_table, suggestions_table

    console.print(suggestions_table(suggestions, lang=lang))
    # Levels 1-3 are measured by asking: the questions for the suggested KPIs that are, else
    # for the best such KPIs further down the ranking.
    proposals = proposals_for(s.entry.key for s in suggestions)
    if not proposals:
        ranked = suggest(text, limit=MAX_SUGGESTIONS)
        measured = [s.entry.key for s in ranked if proposals_for([s.entry.key])]
        proposals = proposals_for(measured[:FALLBACK_QUESTIONS])
    if proposals:
        console.print(questions_table(proposals, lang=lang))
    console.print(t("cat.paste", lang))
    sys.stdout.write(config_snippet([s.entry for s in suggestions], lang=lang.value))


def _print_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    """Console-script entry point: the process-wide tuning, then the command.

    Freed memory is kept for reuse (see ``allocator``). SIGTERM is handled like Ctrl-C (exit
    143). Standard output is switched to UTF-8 if it cannot encode roicli's text, and its write
    errors are one line, exit 2. The process ends without the interpreter's clean-up: every
    output is written and closed by then, and freeing a big frame object by object takes longer
    than the whole render.
    """
    from roicli.allocator import reuse_freed_memory

    # Imports make many objects and no garbage: collecting cycles every 700 new objects (the
    # default) spent 10 ms of a report's start here; cycles are still collected, less often.
    gc.set_threshold(50_000, 20, 50)
    reuse_freed_memory()
    signal.signal(signal.SIGTERM, _terminate)
    _guard_stdout()
    try:
        app()
    except SystemExit as done:
        code = done.code
    except StdoutError as exc:  # outside a command's boundary: --version, kpis list
        code = _last_words(f"roicli: error: {exc}", EXIT_BAD_INPUT)
    except Terminated:
        code = _last_words("roicli: terminated", EXIT_TERMINATED)
    else:
        code = 0
    if not isinstance(code, int):  # sys.exit("message"): Python prints it and exits with 1
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    except StdoutError as exc:  # a full disk under a redirected stdout
        code = _last_words(f"roicli: error: {exc}", EXIT_BAD_INPUT)
    except OSError:  # stderr itself cannot be written: nothing more can be said
        code = EXIT_BAD_INPUT
    os._exit(code)


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated


def _guard_stdout() -> None:
    """Standard output as a _Stdout, in UTF-8 (bad characters replaced) if its own encoding
    cannot encode the STDOUT_PROBE characters (PYTHONIOENCODING=ascii, a latin-1 locale)."""
    stream = sys.stdout
    if not isinstance(stream, io.TextIOWrapper):
        return
    encoding, errors = stream.encoding, stream.errors
    try:
        STDOUT_PROBE.encode(encoding)
    except UnicodeEncodeError:
        encoding, errors = "utf-8", "replace"
    line_buffering = stream.line_buffering
    sys.stdout = _Stdout(
        stream.detach(), encoding=encoding, errors=errors, line_buffering=line_buffering
    )


def _last_words(line: str, code: int) -> int:
    """Write a last line to stderr (straight to the descriptor, as stderr may be broken too)."""
    with suppress(OSError):
        os.write(2, (_printable(line) + "\n").encode(errors="backslashreplace"))
    return code
