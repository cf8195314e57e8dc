"""The ``policyterms`` command: parse options, call the library, render. Nothing else.

One module per command group over two shared ones: ``options`` (every option, declared once) and
``running`` (errors, progress, the end of a run). Start-up: only what --help needs (the options'
types and defaults) is imported at the top of each; a command imports the modules it runs when it
runs, so `count` does not import what `report` needs.
"""

from __future__ import annotations

import copy
import os
import signal
import sys

import typer

from . import analysis, counting, pictures, store, vocabulary  # noqa: F401 - each registers its commands
from .app import HELP_OPTIONS, app, help_without_ranges
from .running import EXIT_ERROR, EXIT_OK

__all__ = ["app", "command_line", "entry_point", "exit_status", "main"]


def main() -> None:
    # `policyterms count … | head` must end quietly, as other Unix tools do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # SIGTERM (what `timeout` and cron's kill send) unwinds as an exit: the worker pool is torn
    # down, a half-written output's temporary file removed, a --db transaction rolled back.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    command_line(sys.argv[1:])()


def command_line(arguments: list[str]) -> typer.Typer:
    """The app with only the command that ``arguments`` name (none for a bare --version): Typer
    builds every registered command's options from its signature before it parses anything
    (25 ms for all of them, at every start), and a run needs only its own. Without a known
    command name (the overall --help, a typo that gets suggestions) it is the whole app."""
    if HELP_OPTIONS & set(arguments):
        help_without_ranges()
    name = next((argument for argument in arguments if not argument.startswith("-")), None)
    if name is None and "--version" in arguments and not HELP_OPTIONS & set(arguments):
        commands, groups = [], []
    else:
        commands = [info for info in app.registered_commands
                    if (info.name or typer.main.get_command_name(info.callback.__name__)) == name]
        groups = [info for info in app.registered_groups if info.name == name]
        if not commands and not groups:
            return app
    lean = copy.copy(app)
    lean.registered_commands, lean.registered_groups = commands, groups
    return lean


def _exit_on_signal(number: int, frame) -> None:
    signal.signal(number, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise SystemExit(128 + number)


def entry_point() -> None:
    """The console script: ``main()``, then, once stdout and stderr are flushed, the process ends
    with main's exit status without tearing the interpreter down (freeing every object and
    module a run made: about 50 ms of a one-document run). Every file a command writes is closed (and
    renamed into place) before main returns; should a flush fail, the interpreter ends as usual
    and reports it. Only here: the library and ``main()`` end as Python does."""
    try:
        main()
        status = EXIT_OK
    except SystemExit as stop:
        status = exit_status(stop.code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with the descriptor closed
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(status) from None
    os._exit(status)


def exit_status(code: object) -> int:
    """What the interpreter makes of ``SystemExit(code)``: None is 0, an int itself, anything
    else printed to stderr and 1."""
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_ERROR
