"""CI runs what the README says: the last command of .ci/run is, character for
character, the README's test command, and it installs with the pinned constraints and
checks lint, format and types before the tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Run the tests") :]
    command = re.search(r"```sh\n(.+?)\n```", section, re.S)
    assert command is not None
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == command.group(1)
    steps = [step.strip() for step in ci[-1].split("&&")]
    assert 'pip install -c constraints.txt -e ".[test]"' in steps
    assert steps.index("pytest") > max(
        steps.index(check) for check in ("ruff check .", "ruff format --check .", "mypy")
    )


def test_the_constraints_pin_every_runtime_dependency() -> None:
    import tomllib

    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in constraints.txt"


def test_every_type_ignore_says_why() -> None:
    """A ``# type: ignore[code]`` carries its reason: after it on the line, or in the
    comment line just above."""
    unexplained = []
    for folder in ("rtdash", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            lines = path.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines):
                if "# type: ignore" not in line:
                    continue
                assert re.search(r"# type: ignore\[[-a-z, ]+\]", line), f"{path}:{number + 1}"
                reason_after = re.search(r"# type: ignore\[[-a-z, ]+\]  # \S", line)
                reason_above = number > 0 and lines[number - 1].strip().startswith("#")
                if not (reason_after or reason_above):
                    unexplained.append(f"{path.relative_to(ROOT)}:{number + 1}")
    assert unexplained == []
