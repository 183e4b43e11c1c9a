"""rtdash's parts in C are built where a compiler is found: the line reader's three
(rtdash/api/_lines.c: lines cut into head and tail; rtdash/api/_heads.c: the rows by
head; rtdash/api/_line_read.c: plain new lines read into rows), the snapshots'
(rtdash/core/_drop.c: gone rows taken out of a group) and the rows'
(rtdash/api/_untrack.c: objects of atoms out of the garbage collector's sight).
``optional``: without a compiler rtdash installs all the same and does each in Python
(rtdash/api/line_cut.py, rtdash/api/line_table.py, rtdash/api/row_reader.py,
rtdash/core/row_order.py) or does without it (rtdash/api/untrack.py).
Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "rtdash.api._lines",
            ["rtdash/api/_lines.c"],
            depends=["rtdash/api/_lines_aes.h", "rtdash/api/_lines_words.h"],
            optional=True,
        ),
        Extension(
            "rtdash.api._line_read",
            ["rtdash/api/_line_read.c"],
            depends=["rtdash/api/_line_read_values.h", "rtdash/api/_line_read_plan.h"],
            optional=True,
        ),
        Extension(
            "rtdash.api._heads",
            ["rtdash/api/_heads.c"],
            depends=[
                "rtdash/api/_heads_slots.h",
                "rtdash/api/_heads_order.h",
                "rtdash/api/_heads_settle.h",
                "rtdash/api/_heads_keys.h",
                "rtdash/api/_tuning.h",
            ],
            optional=True,
        ),
        Extension(
            "rtdash.core._drop",
            ["rtdash/core/_drop.c"],
            depends=["rtdash/api/_tuning.h"],
            optional=True,
        ),
        Extension("rtdash.api._untrack", ["rtdash/api/_untrack.c"], optional=True),
    ]
)
