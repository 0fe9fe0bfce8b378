"""planner: plans cross-border coordination meetings and action days with CP-SAT."""

import time

STARTED = time.monotonic()
"""When planner was first imported: a command's time limit counts from here, so that
importing, reading and writing are inside it too."""

__version__ = "0.1.0"
