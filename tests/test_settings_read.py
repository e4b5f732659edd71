"""Every setting is read somewhere (issue 11): a field of Settings or WebSettings that no code
reads is a promise the program does not keep, so the test fails on one."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

import eventledger
from eventledger.settings import Settings
from eventledger.web.context import WebSettings

PACKAGE = Path(eventledger.__file__).resolve().parent
DEFINED_IN = {PACKAGE / "settings.py", PACKAGE / "web" / "context.py"}


def _attributes_read() -> set[str]:
    """Names read as attributes (``x.name``) anywhere in the package, outside the definitions;
    in templates, ``web.name``."""
    names: set[str] = set()
    for p in PACKAGE.rglob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                if p not in DEFINED_IN or not (isinstance(node.value, ast.Name) and node.value.id == "self"):
                    names.add(node.attr)
    for p in (PACKAGE / "web" / "templates").glob("*.html"):
        text = p.read_text(encoding="utf-8")
        names.update(f.name for f in fields(WebSettings) if f"web.{f.name}" in text)
    return names


def test_every_setting_is_read():
    read = _attributes_read()
    unread = [f"Settings.{f.name}" for f in fields(Settings) if f.name not in read]
    unread += [f"WebSettings.{f.name}" for f in fields(WebSettings) if f.name not in read]
    assert not unread, f"settings never read: {unread}"


def test_a_removed_setting_is_refused_by_name(tmp_path):
    import pytest

    from eventledger.errors import SettingsError
    from eventledger.settings import load_settings

    f = tmp_path / "s.toml"
    f.write_text("[eventledger]\nmin_us_city_population = 500\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting.*min_us_city_population"):
        load_settings(f)


def test_with_text_false_leaves_the_text_out_of_extract_records(tmp_path):
    import json

    from typer.testing import CliRunner

    from eventledger.cli import app

    doc = tmp_path / "note.txt"
    doc.write_text("Sheriff's deputies arrested 12 people in Tacoma on March 3, 2024.\n", encoding="utf-8")
    quiet = tmp_path / "quiet.toml"
    quiet.write_text("[eventledger]\nwith_text = false\n", encoding="utf-8")
    for extra, has_text in (([], True), (["--settings", str(quiet)], False), (["--no-text"], False)):
        r = CliRunner().invoke(app, ["extract", str(doc), *extra])
        assert r.exit_code == 0, r.output
        (rec,) = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        assert ("text" in rec["document"]) is has_text, extra
