"""``python -m rtdash``: the same command as the ``rtdash`` console script."""

from rtdash.cli import main

raise SystemExit(main())
