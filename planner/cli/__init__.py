"""The ``planner`` command line: parse, call, print. No modelling and no policy here.

One module per command group, each command parsing its arguments, calling the
workflow that does the work, and printing what it returns:

- :mod:`~planner.cli.validate`: ``validate``;
- :mod:`~planner.cli.planning`: ``solve`` and ``replan``;
- :mod:`~planner.cli.whatif`: ``whatif``;
- :mod:`~planner.cli.activity`: ``suggest`` and ``explain``;
- :mod:`~planner.cli.check`: ``check``;
- :mod:`~planner.cli.links`: ``links``;
- :mod:`~planner.cli.generate`: ``generate``;
- :mod:`~planner.cli.serve`: ``serve``;
- :mod:`~planner.cli.imports`: ``import`` (meeting requests from a spreadsheet);
- :mod:`~planner.cli.schema`: ``schema`` (the JSON Schema of scenario files).

Each command's module is imported when the command runs (:class:`~planner.cli.group.
Commands`), so that ``planner serve`` or ``planner validate`` do not wait for the
solver's imports. What they share: the options declared once (:mod:`~planner.cli.options`), reading
inputs (:mod:`~planner.cli.inputs`), failing (:mod:`~planner.cli.errors`) and the
consoles (:mod:`~planner.cli.console`). The policy behind the answers — the time
budget, exit codes, what a re-plan may write — is in the workflow modules
(:mod:`planner.budget`, :mod:`planner.exits`, :mod:`planner.whatif`).
"""

from planner.cli.group import main

__all__ = ["main"]
