"""The line scanner in C (rtdash/api/_lines.c) is built where a compiler is found;
``optional``: without one rtdash installs all the same and cuts lines with its pattern
(rtdash/api/line_cut.py). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("rtdash.api._lines", ["rtdash/api/_lines.c"], optional=True)])
