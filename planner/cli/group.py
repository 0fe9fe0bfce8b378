"""The ``planner`` command group: usage errors as JSON with ``--json``, and SIGTERM ending
a command the way SIGINT does."""

from __future__ import annotations

import importlib
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

import click

from planner.budget import command_begins
from planner.cli.errors import fail, terminate_as_interrupt
from planner.exits import signal_exit
from planner.models.interruption import Interrupted

COMMANDS = {
    "validate": "planner.cli.validate:validate",
    "solve": "planner.cli.planning:solve",
    "replan": "planner.cli.planning:replan",
    "whatif": "planner.cli.whatif:whatif",
    "suggest": "planner.cli.activity:suggest",
    "explain": "planner.cli.activity:explain",
    "serve": "planner.cli.serve:serve",
    "check": "planner.cli.check:check",
    "links": "planner.cli.links:links",
    "stress": "planner.cli.stress:stress",
    "generate": "planner.cli.generate:generate",
    "import": "planner.cli.imports:import_requests",
    "schema": "planner.cli.schema:schema",
}
"""Every command, by name: the module and attribute that define it."""


class Commands(click.Group):
    """The command group; with ``--json`` among the arguments, usage errors too are
    reported as one JSON object. Each command's module is imported when it is asked
    for, so that a command that needs no solver does not wait for its imports."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, in alphabetical order (as click lists them)."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command of a name, its module imported now; ``None`` for an unknown name."""
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, attribute = where.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        """Run a command; turn click's usage errors and aborts into the exit codes and
        messages of README "Commands" (2 for usage, 130/143 for a signal)."""
        command_begins()
        arguments = list(sys.argv[1:] if args is None else args)
        kwargs["standalone_mode"] = False
        try:
            return super().main(arguments, *pargs, **kwargs)
        except click.ClickException as error:
            if "--json" in arguments:
                fail(error.exit_code, error.format_message(), True)
            error.show()
            sys.exit(error.exit_code)
        except click.Abort as abort:  # click's word for a KeyboardInterrupt outside a command
            cause = abort.__cause__ or abort.__context__
            signum = cause.signum if isinstance(cause, Interrupted) else signal.SIGINT
            fail(signal_exit(signum), "interrupted", "--json" in arguments)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planner")
def main() -> None:
    """Plan cross-border coordination meetings and action days."""
    # SIGTERM ends a command the way SIGINT does: by an exception, so that a file being
    # written is cleaned up, and with a message instead of silence.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminate_as_interrupt)
