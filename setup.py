"""The line reader's two parts in C (rtdash/api/_lines.c: lines cut into head and
tail; rtdash/api/_heads.c: the rows by head) are built where a compiler is found;
``optional``: without one rtdash installs all the same and does both in Python
(rtdash/api/line_cut.py, rtdash/api/line_table.py). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("rtdash.api._lines", ["rtdash/api/_lines.c"], optional=True),
        Extension("rtdash.api._heads", ["rtdash/api/_heads.c"], optional=True),
    ]
)
