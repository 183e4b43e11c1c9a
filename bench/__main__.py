"""``python -m bench``: run every measure and write ``bench/RESULTS.md``."""

from bench.run import main

raise SystemExit(main())
