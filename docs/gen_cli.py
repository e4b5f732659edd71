"""Regenerate docs/cli.md from the real `--help` output of every eventledger command.

    python docs/gen_cli.py           # rewrite docs/cli.md
    python docs/gen_cli.py --check   # exit 1 if docs/cli.md is out of date

Each help text comes from running `python -m eventledger [COMMAND] --help` in a fresh
process, at a fixed width and without colour, so the file shows what a user sees.
tests/test_docs.py compares the file with the same output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI_MD = REPO / "docs" / "cli.md"
WIDTH = "100"
HEADER = """\
# Command-line reference

Every command's `--help`, as printed by the installed tool. This file is generated:
run `python docs/gen_cli.py` after changing a command (tests/test_docs.py fails until
you do). The record that `extract` prints is described in
[../shared/spec/extraction.md](../../shared/spec/extraction.md).
"""


def command_names() -> list[str]:
    """The commands of the Typer app, in the order `eventledger --help` lists them."""
    import typer.main

    from eventledger.cli import app

    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def help_text(command: str | None = None) -> str:
    """`eventledger [COMMAND] --help` as printed, trailing spaces removed."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "COLUMNS")}
    env.update({"TERMINAL_WIDTH": WIDTH, "_TYPER_FORCE_DISABLE_TERMINAL": "1", "NO_COLOR": "1"})
    args = [sys.executable, "-m", "eventledger", *([command] if command else []), "--help"]
    proc = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", check=True)
    lines = [line.rstrip() for line in proc.stdout.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def all_help() -> dict[str | None, str]:
    """The root help (key None) and every command's, in listing order."""
    commands: list[str | None] = [None, *command_names()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(commands, pool.map(help_text, commands)))


def title(command: str | None) -> str:
    return f"eventledger {command}" if command else "eventledger"


def section(command: str | None, text: str) -> str:
    return f"## {title(command)}\n\n```text\n$ {title(command)} --help\n{text}\n```\n"


def render(helps: dict[str | None, str] | None = None) -> str:
    helps = all_help() if helps is None else helps
    return "\n".join([HEADER, *(section(c, text) for c, text in helps.items())])


def main(argv: list[str]) -> int:
    new = render()
    if "--check" in argv:
        old = CLI_MD.read_text(encoding="utf-8") if CLI_MD.exists() else ""
        if old != new:
            print(f"{CLI_MD} is out of date: run python docs/gen_cli.py", file=sys.stderr)
            return 1
        return 0
    CLI_MD.write_text(new, encoding="utf-8")
    print(f"wrote {CLI_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
