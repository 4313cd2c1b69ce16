"""What every verb shares: the Typer apps, common options, parameter types, and how errors reach the terminal.

Errors: the toolkit's own (:class:`~npt_coder.errors.NptCoderError`), a bad option value, an option that takes one
value given more than once (Click would keep the last and drop the others unsaid) and an unreadable file each
become one line ``error: …`` on stderr and exit status 1. Anything else is a bug: the terminal gets one line,
``error: unexpected TypeError; details in <project>/logs/npt-coder.log``, and the log gets the traceback's frames
without the exception's message, because a message can quote transcript text. ``--traceback`` (or
``NPT_CODER_TRACEBACK=1``) prints the whole traceback instead, for a user who chooses to see it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import traceback
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from typer.core import TyperCommand, TyperGroup

try:  # newer Typer releases carry their own copy of Click; older ones use Click itself
    from typer._click import exceptions as _click
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as _click

from .._version import __version__
from ..errors import NptCoderError
from ..ingest import UNITS as SEGMENT_UNITS
from ..store import Project, find_project, open_project

__all__ = [
    "AllowOpt", "app", "check_choice", "codebook_app", "DenyOpt", "echo_json", "filter_pairs", "for_display",
    "InterviewerOpt", "JsonOpt", "KEY_VALUE", "logic_model_app", "NoNerOpt", "one_line_errors", "OneOf",
    "output_files", "PROGRESS_DELAY", "project_at", "ProjectOpt", "QuietOpt", "SEGMENT_UNIT", "SpeakerPatternOpt",
    "split_coders", "term_lists", "Verbs",
]

LOG_NAME = "npt-coder.log"
_state: dict = {"project_root": None, "traceback": os.environ.get("NPT_CODER_TRACEBACK") == "1"}


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return " ".join(lines)


def _log_folder() -> Path:
    root = _state["project_root"]
    if root is None:
        try:
            root = find_project()  # the folder itself (a Path, whose .root would be "/")
        except NptCoderError:
            root = None
    if root is not None:
        return Path(root) / "logs"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "npt-coder"


def _log_unexpected(err: BaseException) -> str:
    """Append the traceback's frames (never the message: it may quote transcript text) to the log; its path."""
    # file, line and function of each frame; no source lines and no message, so nothing of the data can appear
    frames = "".join(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
                     for f in traceback.extract_tb(err.__traceback__))
    entry = (f"--- {_dt.datetime.now().isoformat(timespec='seconds')} npt-coder {__version__} "
             f"(Python {sys.version.split()[0]})\ncommand: npt-coder {' '.join(sys.argv[1:2])} …\n"
             f"Traceback (most recent call last):\n{frames}{type(err).__module__}.{type(err).__name__} "
             "(message left out: it may quote transcript text; rerun with --traceback to see it)\n")
    try:
        folder = _log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOG_NAME, "a", encoding="utf-8") as log:
            log.write(entry)
        return str(folder / LOG_NAME)
    except OSError:
        return "no log (the log folder cannot be written)"


def _examples_as_written(text: Optional[str]) -> Optional[str]:
    """``text`` with each paragraph after ``Example:`` marked (Click's ``\\b``) to be printed line for line, so that an
    example is never rewrapped and reads as one command that can be copied.

    >>> _examples_as_written("Do it.\\n\\nExample:\\n\\n  npt-coder a \\\\\\n      --b c")
    'Do it.\\n\\nExample:\\n\\n\\x08\\n  npt-coder a \\\\\\n      --b c'
    """
    if not text or "Example:" not in text:
        return text
    head, _, examples = text.partition("Example:")
    paragraphs = examples.split("\n\n")
    return head + "Example:" + "\n\n".join(p if not p.strip() or p.startswith("\b") else "\b\n" + p
                                             for p in paragraphs)


def _keep_examples(command) -> None:
    """Mark the examples of ``command`` and of every command under it (see :func:`_examples_as_written`)."""
    command.help = _examples_as_written(command.help)
    for sub in getattr(command, "commands", {}).values():
        _keep_examples(sub)


class _Group(TyperGroup):
    """The top-level group: turns usage errors and unexpected exceptions into one line and exit status 1, and prints
    every verb's examples as written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _keep_examples(self)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: D102
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        _state.update(project_root=None, traceback=os.environ.get("NPT_CODER_TRACEBACK") == "1")
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except getattr(_click, "NoArgsIsHelpError", ()) as err:  # Click >= 8.2: a bare group shows its help
            err.show()
            sys.exit(0)
        except _click.ClickException as err:
            typer.echo(f"error: {_one_line(err.format_message())}", err=True)
            sys.exit(1)
        except NptCoderError as err:  # raised while the command line is parsed (a bad choice, KEY=VALUE)
            typer.echo(f"error: {_one_line(str(err))}", err=True)
            sys.exit(1)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            typer.echo("error: interrupted", err=True)
            sys.exit(130)
        except Exception as err:  # a bug: one line here, the frames in the log
            if _state["traceback"]:
                traceback.print_exception(err)
            else:
                typer.echo(f"error: unexpected {type(err).__name__}; details in {_log_unexpected(err)}", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


class _Command(TyperCommand):
    """A verb that refuses an option taking one value given twice (``-o a.docx -o a.xlsx``, ``--coder A --coder
    B``): Click keeps the last and drops the others unsaid. Options that take several (``multiple``) and flags
    are left alone."""

    def make_parser(self, ctx):  # noqa: D102
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_once(args):
            opts, rest, order = parse(args=args)
            seen: dict[str, int] = {}
            for param in order:  # a parameter comes once per time it was given
                if (param.param_type_name == "option" and not param.multiple and not param.is_flag
                        and not param.count):
                    seen[param.name] = seen.get(param.name, 0) + 1
                    if seen[param.name] == 2:
                        names = " / ".join(param.opts)
                        raise _click.UsageError(f"{names} was given more than once; it takes one value", ctx)
            return opts, rest, order

        parser.parse_args = parse_once
        return parser


class Verbs(typer.Typer):
    """A Typer app whose verbs are :class:`_Command`: every verb group of the CLI is one."""

    def command(self, *args, cls=None, **kwargs):  # noqa: D102
        return super().command(*args, cls=cls or _Command, **kwargs)


app = Verbs(
    name="npt-coder",
    cls=_Group,
    help=(
        "Code interview and focus-group transcripts with Normalisation Process Theory in a Context-Mechanism-"
        "Outcome frame.\n\nExample:\n\n  npt-coder init mystudy && cd mystudy && npt-coder add ../transcripts/*.docx "
        "--attributes ../attributes.csv && npt-coder list"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
codebook_app = Verbs(help="Show, check, export or change the codebook.\n\nExample:\n\n  npt-coder codebook show",
                     no_args_is_help=True, rich_markup_mode=None)
app.add_typer(codebook_app, name="codebook")
logic_model_app = Verbs(
    help="Draft, check, draw and describe logic models (programme theory as Context / Activities / Mechanisms / "
         "Intended impact columns and an unintended-harms box).\n\nExample:\n\n"
         "  npt-coder logic-model draft -o model.yaml --attribute-filter site=S1",
    no_args_is_help=True, rich_markup_mode=None)
app.add_typer(logic_model_app, name="logic-model")


# --- parameter types -------------------------------------------------------------------------------------------

class CommandLineError(NptCoderError):
    """A command line the toolkit cannot act on: a value outside its choices, a malformed ``KEY=VALUE``."""


def check_choice(name: str, value: str, choices) -> str:
    """``value`` if it is one of ``choices`` (an Enum class or a sequence of strings), else the one-line error
    ``NAME must be one of a, b, c; got 'x'`` (a :class:`CommandLineError`, so it shows as ``error: …``)."""
    allowed = [c.value for c in choices] if isinstance(choices, type) and issubclass(choices, Enum) else list(choices)
    if value not in allowed:
        raise CommandLineError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


class OneOf:
    """A choice checked by Typer while it parses the command line (``typer.Option(parser=OneOf(...))``), with the
    valid values in the message.

    ``OneOf("unit", ("turn", "paragraph", "sentence"))`` (or an Enum class) hands the command the plain string.
    """

    def __init__(self, name: str, choices) -> None:
        self.name, self.choices = name, choices
        self.__name__ = name  # Typer names the parameter type after its parser

    def __call__(self, value) -> str:
        return check_choice(self.name, value.value if isinstance(value, Enum) else str(value), self.choices)


class _KeyValue:
    """``KEY=VALUE`` → ``(key, value)``, for ``typer.Option(parser=KEY_VALUE)``; both stripped."""

    __name__ = "KEY=VALUE"

    def __call__(self, value) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        if "=" not in value:
            raise CommandLineError(f"expected KEY=VALUE, got {value!r}")
        key, val = value.split("=", 1)
        if not key.strip():
            raise CommandLineError(f"{value!r} has no key before '='")
        return key.strip(), val.strip()


KEY_VALUE = _KeyValue()


# The valid values live with the layer that defines them; the CLI only checks against them.
SEGMENT_UNIT = OneOf("unit", SEGMENT_UNITS)


# --- common options --------------------------------------------------------------------------------------------

ProjectOpt = Annotated[Optional[Path], typer.Option("--project", "-p", help="Project folder (default: the current "
                                                      "folder or the nearest parent holding a project).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars (they are drawn only on a terminal, "
                                        "for steps that take more than a couple of seconds).")]
#: seconds an operation runs before its progress bars appear
PROGRESS_DELAY = 2.0
DenyOpt = Annotated[Optional[Path], typer.Option(help="Deny list: a text file (one term a line) or CSV with a 'term' "
                                                 "column of real names of sites, staff and families to catch.")]
AllowOpt = Annotated[Optional[Path], typer.Option(help="Allow list: terms that are fine to keep (e.g. Early Help).")]
NoNerOpt = Annotated[bool, typer.Option("--no-ner", help="Patterns only: do not use the trained English pipeline "
                                        "for names.")]
SpeakerPatternOpt = Annotated[Optional[str], typer.Option(help="Regular expression for speaker labels with a "
                                                          "(?P<speaker>...) group, replacing the built-in detection.")]
InterviewerOpt = Annotated[list[str], typer.Option(help="Label (regular expression) of an interviewer or "
                                                   "facilitator; repeatable; replaces the default list and a speaker "
                                                   "legend.")]


def output_files(paths: list[Path], formats, what: str) -> list[Path]:
    """The ``-o`` files of a verb that writes several: every suffix checked against ``formats`` before anything is
    written (the error names the file, and ``what`` the files), and refused when one file is named twice."""
    from ..render import check_format

    if not paths:
        raise CommandLineError("give at least one --output file")
    for path in paths:
        check_format(path, formats, f"{path.name}: {what}")
    names = [str(p.resolve()) for p in paths]
    twice = next((p for p, n in zip(paths, names) if names.count(n) > 1), None)
    if twice is not None:
        raise CommandLineError(f"{twice} is given twice with --output; name each file once")
    return paths


def term_lists(deny: Optional[Path], allow: Optional[Path]) -> tuple[list[str], list[str]]:
    from ..anon import load_terms

    return (load_terms(deny) if deny else []), (load_terms(allow) if allow else [])


def split_coders(value: Optional[str]) -> Optional[list[str]]:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


def filter_pairs(pairs) -> dict[str, list[str]]:
    """``KEY=V1,V2`` pairs (parsed by :data:`KEY_VALUE`) → ``{key: [v1, v2]}``."""
    out: dict[str, list[str]] = {}
    for key, value in pairs or []:
        out.setdefault(key, []).extend(v.strip() for v in value.split(",") if v.strip())
    return out


# --- running a verb --------------------------------------------------------------------------------------------

@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn the toolkit's deliberate errors into one line on stderr and exit code 1."""
    try:
        yield
    except NptCoderError as err:
        typer.echo(f"error: {_one_line(str(err))}", err=True)
        raise typer.Exit(code=1) from None
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        raise typer.Exit(code=0) from None
    except OSError as err:
        typer.echo(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), err=True)
        raise typer.Exit(code=1) from None


def project_at(path: Optional[Path]) -> Project:
    """The project at ``path`` (or found from the current folder); remembered so a bug's log goes beside it."""
    project = open_project(path)
    _state["project_root"] = project.root
    return project


def for_display(frame):
    """A table as a terminal should show it: whole numbers as integers (a count read back as float, ``244.0``, shows
    as ``244``), and blanks for missing values (never ``NaN``/``None``; no ``fillna("")`` on a numeric column, which
    pandas 3 deprecates)."""
    import pandas as pd

    from ._table import is_count

    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_float_dtype(out[name]) and is_count(out[name]):
            out[name] = out[name].astype("Int64")
    return out.astype(object).where(out.notna(), "")


def echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"npt-coder {__version__}")
        raise typer.Exit()


def _traceback(value: bool) -> None:
    if value:
        _state["traceback"] = True


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    show_traceback: Annotated[bool, typer.Option("--traceback", callback=_traceback, is_eager=True,
                                                 help="On an unexpected error, print the whole traceback (it may "
                                                 "quote transcript text) instead of writing it to the log.")] = False,
) -> None:
    """npt-coder: NPT/CMO coding, agreement and reporting for qualitative transcripts."""
