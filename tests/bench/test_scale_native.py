"""``python -m bench.scale_native``: perf's samples of SCALE rounds, by part and symbol."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.scale_native import part_of, perf_problem, shares_in_ms, table
from tests.bench.running import kept_section

REPORT = """\
# Samples: 8K of event 'cpu-clock:pppH'
#
# Overhead  Shared Object                             Symbol
# ........  ........................................  ......
#
    50.00%  libpython3.11.so.1.0                      [.] _PyEval_EvalFrameDefault
    25.00%  [kernel.kallsyms]                         [k] _copy_to_iter
    12.50%  _lines.cpython-311-x86_64-linux-gnu.so    [.] head_key_aes
     2.50%  libc.so.6                                 [.] __memchr_evex_rtm
"""


def test_each_symbol_costs_its_share_of_the_threads_cpu_per_round() -> None:
    spent = shares_in_ms(REPORT, per_round=40.0)
    assert spent == {
        "libpython3.11.so.1.0\t_PyEval_EvalFrameDefault": 20.0,
        "[kernel.kallsyms]\t_copy_to_iter": 10.0,
        "_lines.cpython-311-x86_64-linux-gnu.so\thead_key_aes": 5.0,
        "libc.so.6\t__memchr_evex_rtm": 1.0,
    }


def test_the_parts_and_the_symbols_are_listed_by_what_they_grew_by() -> None:
    small = shares_in_ms(REPORT, per_round=10.0)
    big = shares_in_ms(REPORT.replace("25.00%", "45.00%"), per_round=40.0)
    lines = table([2000, 50_000], {2000: small, 50_000: big})
    assert lines[2] == "| Python's interpreter and objects | 5.00 | 20.00 | +15.00 |"
    assert "| the kernel (socket reads, page faults) | 2.50 | 18.00 | +15.50 |" in lines
    symbols = lines[lines.index("") + 3 :]
    assert symbols[0] == ("| `_copy_to_iter` ([kernel.kallsyms]) | 2.50 | 18.00 | +15.50 |")
    assert symbols[-1].startswith("| `__memchr_evex_rtm` (libc.so.6) | 0.25 | 1.00 |")
    assert part_of("_heads.cpython-311-x86_64-linux-gnu.so") == "rtdash's C parts"


@pytest.mark.skipif(perf_problem() is not None, reason=f"perf cannot sample: {perf_problem()}")
def test_perf_samples_real_rounds_into_a_kept_section(tmp_path: Path) -> None:
    section = kept_section(
        tmp_path, "bench.scale_native", "scale-native", "--calls", "200", "400", "--rounds", "3"
    )
    thread = re.findall(r"measuring thread ([\d.]+) of the process's ([\d.]+) ms", section)
    assert len(thread) == 2, section[:1200]
    for own, whole in thread:
        assert 0 < float(own) <= float(whole) + 0.5
    # the interpreter ran the rounds: its row has CPU at both sizes
    python = re.search(r"\| Python's interpreter and objects \| ([\d.]+) \| ([\d.]+) \|", section)
    assert python is not None, section[:1200]
    assert float(python.group(1)) > 0 and float(python.group(2)) > 0
