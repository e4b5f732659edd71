"""The kit's commands: registered on the main app, each subcommand's help ending with an example,
and their modules light enough that `eventledger --help` imports none of the kit's libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from eventledger.cli import app

GROUP = typer.main.get_command(app)
KIT = {"exhibit": ["add", "list", "show", "link", "cite", "export", "correct", "release"],
       "request": ["add", "list", "update", "link", "ics"], "register": ["parcels", "add-site", "show"]}


def test_kit_commands_are_registered():
    for name in ("capture", "dossier", "verify-package", *KIT):
        assert name in GROUP.commands
    for group, subs in KIT.items():
        assert list(GROUP.commands[group].commands) == subs


@pytest.mark.parametrize(("group", "sub"), [(g, s) for g, subs in KIT.items() for s in subs])
def test_every_kit_subcommand_ends_with_an_example(group, sub):
    last = (GROUP.commands[group].commands[sub].help or "").strip().splitlines()[-1]
    assert last.startswith(f"Example: eventledger {group} {sub}"), last


def test_help_does_not_import_the_kit_libraries():
    code = ("import sys; from eventledger.cli import app; "
            "heavy = [m for m in ('PIL', 'pypdf', 'holidays', 'icalendar', 'mutagen', 'shapely', 'shapefile', 'warcio',"
            " 'cryptography', 'eventledger.kit.exhibits', 'eventledger.store.kit') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
