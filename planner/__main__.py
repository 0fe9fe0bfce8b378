"""``python -m planner``: the same command line as ``planner``."""

from planner.cli import main

if __name__ == "__main__":
    main()
