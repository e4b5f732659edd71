"""docs/cli.md shows every command's current --help, and every command's help ends with an example.

After changing a command, run `python docs/gen_cli.py` and review the diff of docs/cli.md.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import typer.main

from eventledger.cli import app

REPO = Path(__file__).resolve().parents[1]
CLI_MD = REPO / "docs" / "cli.md"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def _load_gen_cli():
    spec = importlib.util.spec_from_file_location("gen_cli", REPO / "docs" / "gen_cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_cli = _load_gen_cli()


@pytest.fixture(scope="module")
def documented() -> dict[str, str]:
    """docs/cli.md's sections: title -> the help shown under `$ title --help`."""
    md = CLI_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"^## (.+?)\n\n```text\n\$ \1 --help\n(.*?)\n```$", md, flags=re.M | re.S)
    return dict(blocks)


@pytest.fixture(scope="module")
def current() -> dict[str | None, str]:
    return gen_cli.all_help()


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_command_help_in_docs_is_current(documented, current, command):
    title = gen_cli.title(command)
    assert title in documented, f"{title} is not in docs/cli.md: run python docs/gen_cli.py"
    assert documented[title] == current[command], f"docs/cli.md shows old help for {title}: run python docs/gen_cli.py"


def test_docs_list_no_other_commands(documented):
    assert set(documented) == {gen_cli.title(c) for c in [None, *COMMANDS]}


def test_docs_file_is_what_the_generator_writes(current):
    assert CLI_MD.read_text(encoding="utf-8") == gen_cli.render(current), "run python docs/gen_cli.py"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_help_ends_with_an_example(command):
    help_ = (COMMANDS[command].help or "").strip()
    assert help_, f"{command} has no help"
    last = help_.splitlines()[-1].strip()
    assert last.startswith("Example: eventledger "), f"{command}: help ends with {last!r}, not an example line"


def test_ci_runs_the_readme_test_command():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    assert "scripts/test\n" in blocks, "the README's test command is scripts/test"
    assert re.search(r"^scripts/test\b", ci, re.M), ".ci/run calls the README's test command"
