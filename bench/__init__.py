"""rtdash's benchmark harness: ``python -m bench`` measures rtdash against a naive peer.

The peer (:mod:`bench.baseline`) shows the same data in the same widgets but clears and
refills every table on each poll and each one-second tick. Both run in the same harness
run on the same simulated loads, so the results are ratios that hold on a noisy machine.
See ``bench/RESULTS.md`` for the last run and ``python -m bench --help`` for options.
"""
