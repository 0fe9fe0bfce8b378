"""The ``planner`` command line: parse, call, print. No modelling and no policy here.

One module per command group, each command parsing its arguments, calling the
workflow that does the work, and printing what it returns:

- :mod:`~planner.cli.validate`: ``validate``;
- :mod:`~planner.cli.planning`: ``solve`` and ``replan``;
- :mod:`~planner.cli.whatif`: ``whatif``;
- :mod:`~planner.cli.activity`: ``suggest`` and ``explain``;
- :mod:`~planner.cli.check`: ``check``;
- :mod:`~planner.cli.links`: ``links``;
- :mod:`~planner.cli.stress`: ``stress``;
- :mod:`~planner.cli.generate`: ``generate``;
- :mod:`~planner.cli.serve`: ``serve``;
- :mod:`~planner.cli.imports`: ``import`` (meeting requests from a spreadsheet);
- :mod:`~planner.cli.schema`: ``schema`` (the JSON Schema of scenario files).

What they share: the options declared once (:mod:`~planner.cli.options`), reading
inputs (:mod:`~planner.cli.inputs`), failing (:mod:`~planner.cli.errors`) and the
consoles (:mod:`~planner.cli.console`). The policy behind the answers — the time
budget, exit codes, what a re-plan may write — is in the workflow modules
(:mod:`planner.budget`, :mod:`planner.exits`, :mod:`planner.whatif`).
"""

from planner.cli import (
    activity,
    check,
    generate,
    imports,
    links,
    planning,
    schema,
    serve,
    stress,
    validate,
    whatif,
)
from planner.cli.group import main

for command in (
    validate.validate,
    planning.solve,
    planning.replan,
    whatif.whatif,
    activity.suggest,
    activity.explain,
    serve.serve,
    check.check,
    links.links,
    stress.stress,
    generate.generate,
    imports.import_requests,
    schema.schema,
):
    main.add_command(command)

__all__ = ["main"]
