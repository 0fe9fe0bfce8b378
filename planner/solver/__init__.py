"""All CP-SAT: the model of a scenario, one module per constraint family.

OR-Tools' ``cp_model`` imports pandas only to accept pandas objects, which
planner never passes, and pandas takes about half a second to import: a
sixth of the time budget of ``planner solve`` on a week. So, unless pandas
is already loaded, ``cp_model`` is imported here against a stand-in that
has just the two names it needs at import time; the stand-in is removed
afterwards so that a real ``import pandas`` elsewhere still works.
"""

from __future__ import annotations

import sys
import types


def _import_cp_model_without_pandas() -> None:
    if "pandas" in sys.modules or "ortools.sat.python.cp_model" in sys.modules:
        return
    stand_in = types.ModuleType("pandas")
    stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
    stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
    sys.modules["pandas"] = stand_in
    try:
        import ortools.sat.python.cp_model
    except AttributeError:  # a newer OR-Tools needs more of pandas: import it for real
        sys.modules.pop("ortools.sat.python.cp_model", None)
        del sys.modules["pandas"]
        import ortools.sat.python.cp_model  # noqa: F401
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]


_import_cp_model_without_pandas()

from ortools.sat.python import cp_model  # noqa: E402  (after the stand-in above)

__all__ = ["cp_model"]
