"""The CLI says what went wrong and what it found: one-line errors with one exit code per
kind (2 usage, 1 failure), empty results and cut lists said on standard error, header
rows, counts, money and ranges as people write them, headlines and labels beside the
PLOVER codes, reviewer accounts listed and removed.

Every test runs the real commands (Typer's CliRunner) on a real SQLite ledger built by
`eventledger ingest` from the corpus seeds and tests/data/cli/ (texts written for these
tests: a raid in Tulsa with a range of arrests and an amount of money).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventledger.cli import app

HERE = Path(__file__).resolve().parent
OWN = HERE / "data" / "cli"


def cli(*args: str, code: int = 0, input: str | None = None):  # type: ignore[no-untyped-def]
    r = CliRunner().invoke(app, list(args), input=input)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert r.exit_code == code, (args, r.exit_code, r.stdout, r.stderr)
    return r


def one_error(r) -> str:  # type: ignore[no-untyped-def]
    """The single `error: ...` line a failed command printed, with nothing on stdout."""
    lines = r.stderr.strip().splitlines()
    assert r.stdout == "" and len(lines) == 1 and lines[0].startswith("error: "), (r.stdout, r.stderr)
    return lines[0]


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def db(corpus, tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "ledger.db")
    r = cli("ingest", str(corpus / "seeds"), str(OWN), "--db", path, "-q")
    assert "failed 0" in r.stderr
    return path


# ---- usage errors: exit 2, one line ---------------------------------------------------------

@pytest.mark.parametrize("command", ["events", "export"])
@pytest.mark.parametrize(("args", "says"), [
    (["--from", "June"], r"--from 'June': a date is YYYY, YYYY-MM or YYYY-MM-DD"),
    (["--to", "2025-13"], r"--to '2025-13': a date is"),
    (["--from", "2025-02-30"], r"--from '2025-02-30': a date is"),
    (["--from", "2025-06", "--to", "2024"], r"--to 2024 is before --from 2025-06"),
    (["--place", "LA"], r"no place 'LA' in the ledger; did you mean 'Los Angeles'"),
    (["--place", "Tulsaa"], r"no place 'Tulsaa' in the ledger; did you mean 'Tulsa'"),
    (["--place", "Xyzzyville"], r"no place 'Xyzzyville' in the ledger; none in the ledger is close"),
    (["--actor", "Immigration and Customs Enforcment"], r"no actor .*did you mean '(U\.S\. )?Immigration and Customs Enforcement'"),
    (["--type", "COERSE"], r"no PLOVER type 'COERSE' in the profile or the ledger; did you mean 'COERCE'"),
    (["--outlet", "Nowhere Gazette"], r"no outlet 'Nowhere Gazette' in the ledger"),
])
def test_bad_filters_are_one_line_usage_errors_everywhere(db, command, args, says):
    r = cli(command, *args, "--db", db, code=2)
    assert re.search(says, one_error(r)), r.stderr


def test_bad_date_is_refused_by_the_web_app_too(db):
    """The CLI and the web app refuse the same value."""
    from fastapi.testclient import TestClient

    from eventledger.settings import load_settings
    from eventledger.store import Store
    from eventledger.web import WebSettings, create_app

    cli("events", "--from", "June", "--db", db, code=2)
    store = Store(db)
    try:
        client = TestClient(create_app(store, store.profile, load_settings(None), WebSettings(tile_url="")),
                            base_url="http://127.0.0.1")  # an allowed Host
        assert client.get("/api/events", params={"from": "June"}).status_code == 422
    finally:
        store.close()


def test_missing_ledger_and_bad_profile_are_usage_errors(tmp_path):
    for args in (["events"], ["figures"], ["search", "ICE"], ["show", "ev-1"], ["user", "list"], ["export"]):
        one_error(cli(*args, "--db", str(tmp_path / "none.db"), code=2))
    one_error(cli("extract", str(OWN / "tulsa_raid.txt"), "--profile", str(tmp_path / "nope"), code=2))


@pytest.mark.parametrize("command", [["extract", str(OWN / "tulsa_raid.txt")], ["ingest", str(OWN)],
                                     ["evaluate", "--gold", str(OWN), "--texts", str(OWN / "tulsa_raid.txt")]])
def test_a_bad_settings_or_profile_file_is_the_same_usage_error_in_every_command(command, tmp_path):
    bad = tmp_path / "settings.toml"
    bad.write_text("no_such_setting = 3\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "ledger.db")] if command[0] == "ingest" else []
    assert "unknown setting(s): no_such_setting" in one_error(cli(*command, *db, "--settings", str(bad), code=2))
    bad.write_text("this is = not [toml\n", encoding="utf-8")
    assert "cannot read settings" in one_error(cli(*command, *db, "--settings", str(bad), code=2))
    assert "profile folder not found" in one_error(cli(*command, *db, "--profile", str(tmp_path / "nope"), code=2))


# ---- failures: exit 1, one line -------------------------------------------------------------

def test_a_file_that_is_not_a_ledger_is_a_usage_error_not_a_traceback(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an SQLite file at all " * 200)
    for args in (["events"], ["figures"], ["search", "ICE"], ["ingest", str(OWN)], ["user", "list"]):
        assert "junk.db: not a ledger" in one_error(cli(*args, "--db", str(junk), code=2))
    # verify's answer about a file is a verdict: damaged or not a ledger is a failure (1), in one line
    r = cli("verify", "--db", str(junk), code=1)
    assert "Traceback" not in r.stdout + r.stderr and "junk.db" in r.stdout + r.stderr


def test_an_id_or_name_that_names_nothing_is_a_usage_error_in_every_command(db):
    """An unknown event id, figure kind, entity or reviewer is asked wrongly (2), as an unknown
    place is, wherever it is typed."""
    for args, says in ((["show", "ev-0000000000000000"], "no event ev-0000000000000000 in the ledger"),
                       (["figures", "--event", "ev-0000000000000000"], "no event ev-0000000000000000 in the ledger"),
                       (["figures", "--kind", "arests"], "no figure kind 'arests' in the ledger; did you mean 'arrests'?"),
                       (["figures", "--entity", "Tulsaa"], "no actor or place 'Tulsaa' in the ledger; did you mean 'Tulsa'"),
                       (["user", "remove", "nobody"], "no reviewer 'nobody' in the ledger")):
        assert one_error(cli(*args, "--db", db, code=2)).startswith(f"error: {says}"), args


def test_a_database_error_stops_one_document_not_the_ingest(tmp_path):
    """A real database error (a trigger refusing one source) is reported for that document,
    with the ledger named; the other documents are stored and the exit status is 1."""
    path = tmp_path / "ledger.db"
    one = tmp_path / "in" / "kept.txt"
    two = tmp_path / "in" / "refused.txt"
    one.parent.mkdir()
    one.write_text((OWN / "tulsa_raid.txt").read_text(encoding="utf-8"), encoding="utf-8")
    two.write_text("Sheriff's deputies in Boise arrested 12 people at a protest on May 2, 2024.\n", encoding="utf-8")
    cli("ingest", str(one), "--db", str(path), "-q")  # the ledger exists, with one document
    with sqlite3.connect(path) as con:
        con.execute("CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.source LIKE '%refused%'"
                    " BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
    three = tmp_path / "in" / "later.txt"
    three.write_text("Police in Omaha detained 7 protesters outside the federal building on June 3, 2024.\n",
                     encoding="utf-8")
    r = cli("ingest", str(tmp_path / "in"), "--db", str(path), "-q", code=1)
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "refused.txt" in errors[0] and "refused by a test trigger" in errors[0]
    assert "database error" in errors[0] and str(path) in errors[0]
    assert "added 1, already stored 1" in r.stderr and "failed 1" in r.stderr
    with sqlite3.connect(path) as con:
        assert sorted(Path(s).name for (s,) in con.execute("SELECT source FROM documents")) == ["kept.txt", "later.txt"]


def test_store_raises_store_errors_that_are_still_the_driver_class(ledger_db):
    """On either backend a failed statement is a StoreError naming the ledger (a password
    never shown), and still the sqlite3 class the store's own handlers catch."""
    from eventledger.errors import DatabaseError, StoreError
    from eventledger.store import Store

    store = Store(ledger_db)
    try:
        with pytest.raises(StoreError, match=r"database error: .*nowhere") as e:
            store.db.execute("SELECT * FROM nowhere")
        assert isinstance(e.value, DatabaseError) and isinstance(e.value, sqlite3.OperationalError)
        assert e.value.__cause__ is not None
        where = "PostgreSQL" if store.backend == "postgresql" else ledger_db
        assert str(e.value).startswith(f"{where}: database error: ")
        add = "INSERT INTO users(name, password_hash, created_at) VALUES ('ana', 'x', 'y')"
        store.db.execute(add)
        with pytest.raises(sqlite3.IntegrityError) as e:  # the store's handlers still see the sqlite3 class
            store.db.execute(add)
        assert isinstance(e.value, StoreError)
    finally:
        store.close()


# ---- nothing found, lists cut: said on stderr, exit 0 ---------------------------------------

def test_empty_results_are_said_aloud(db):
    for args, says in ((["events", "--from", "2099"], "no events match these filters"),
                       (["events", "--place", "Tulsa", "--type", "PROTEST"], "no events match these filters"),
                       (["figures", "--kind", "personnel", "--entity", "Tulsa"], "no figures match these filters"),
                       (["search", "xylophonequartz"], "no documents match 'xylophonequartz'")):
        for json_flag in ([], ["--json"]):
            r = cli(*args, *json_flag, "--db", db)
            assert r.stdout == "" and r.stderr.strip() == says, (args, r.stderr)


def test_figures_and_search_say_when_the_limit_cuts(db):
    all_figs = jsonl(cli("figures", "--json", "--limit", "100000", "--db", db).stdout)
    assert len(all_figs) > 2
    r = cli("figures", "--limit", "2", "--db", db)
    assert len(r.stdout.splitlines()) == 3  # the header and two rows
    assert r.stderr.strip() == "showing the first 2 figures; more match (raise --limit to see them)"
    assert cli("figures", "--limit", str(len(all_figs)), "--db", db).stderr == ""
    hits = jsonl(cli("search", "ICE", "--json", "--limit", "1000", "--db", db).stdout)
    assert len(hits) > 1
    r = cli("search", "ICE", "--limit", "1", "--db", db)
    assert len(r.stdout.splitlines()) == 2 and "showing the first 1 documents" in r.stderr
    assert cli("search", "ICE", "--limit", str(len(hits)), "--db", db).stderr == ""


# ---- how values and rows read ---------------------------------------------------------------

def tulsa_events(db: str) -> list[dict]:
    return jsonl(cli("events", "--place", "Tulsa", "--json", "--db", db).stdout)


def test_events_show_headlines_and_labels_beside_plover(db):
    evs = tulsa_events(db)
    assert {e["type"] for e in evs} == {"COERCE"}  # the PLOVER codes stay in the data
    for e in evs:
        assert e["headline"].endswith("March 4, 2024") and "Tulsa" in e["headline"]
        assert e["label"] and e["label"] != e["type"]
        shown = json.loads(cli("show", e["id"], "--json", "--db", db).stdout)
        assert shown["headline"] == e["headline"] and shown["label"] == e["label"]
        text = cli("show", e["id"], "--db", db).stdout.splitlines()
        assert text[0] == e["headline"]
        assert f"{e['label']} (PLOVER COERCE {e['mode']})" in text[1] and "March 4, 2024 (day)" in text[1]
    table = cli("events", "--place", "Tulsa", "--db", db).stdout.splitlines()
    assert table[0].split() == ["ID", "Date", "Event", "Headline", "Sources", "Figures", "Review"]
    assert [line.split()[0] for line in table[1:]] == [e["id"] for e in evs]
    for line, e in zip(table[1:], evs):
        n = len(e["reports"])
        said = f"{n} report{'' if n == 1 else 's'}, {e['independent_sources']} independent"
        assert e["headline"] in line and said in line and "1 reports" not in line


def test_figures_print_money_and_ranges_as_written(db):
    ids = {e["id"] for e in tulsa_events(db)}
    rows = [f for f in jsonl(cli("figures", "--json", "--limit", "100000", "--db", db).stdout)
            if Path(f["source"]).name == "tulsa_raid.txt"]
    assert {(f["kind"], f["value"], f["high"]) for f in rows} >= {("arrests", 1000, 1200), ("money", 2.5e6, 2.5e6)}
    table = cli("figures", "--limit", "100000", "--db", db).stdout.splitlines()
    mine = [line for line in table if "tulsa_raid.txt" in line]
    assert any(re.match(r"^arrests\s+1,000-1,200\s", line) for line in mine), mine
    assert any(re.match(r"^money\s+\$2\.5 million\s", line) for line in mine), mine
    assert not any("e+0" in line for line in table)
    arrests = next(e for e in tulsa_events(db) if any(g["kind"] == "arrests" for g in e["figures"]))
    assert arrests["id"] in ids
    assert re.search(r"^\s+1,000-1,200, according to the company: 1 source \(1 independent\): between 1,000 and 1,200 workers$",
                     cli("show", arrests["id"], "--db", db).stdout, re.M)


def test_search_rows_are_one_line_each(db):
    hits = jsonl(cli("search", "zorblat", "--json", "--db", db).stdout)
    assert len(hits) == 1 and "\n" in hits[0]["snippet"]  # the stored snippet spans a line break
    header, *rows = cli("search", "zorblat", "--db", db).stdout.splitlines()
    assert header.split() == ["ID", "Source", "Title", "Words"]
    assert len(rows) == 1 and rows[0].startswith(hits[0]["id"][:12]) and "[zorblat]" in rows[0]
    assert "Federal agents raid a meatpacking plant in Tulsa" in rows[0]


def test_a_place_alias_finds_the_same_events_as_its_name(db):
    by_name = cli("events", "--place", "Los Angeles", "--json", "--db", db).stdout
    assert by_name
    assert cli("events", "--place", "City of Los Angeles", "--json", "--db", db).stdout == by_name
    assert cli("events", "--place", "place:los-angeles-ca", "--json", "--db", db).stdout == by_name
    assert cli("events", "--place", "los angeles", "--json", "--db", db).stdout == by_name


@pytest.mark.parametrize("command", [["events"], ["show"], ["figures"], ["search"], ["user", "list"], ["extract"],
                                     ["ingest"], ["user", "add"]])
def test_flags_read_as_flags_in_help(command):
    out = cli(*command, "--help").stdout
    assert "<bool>" not in out
    if command[0] in ("events", "show", "figures", "search"):
        assert re.search(r"^  --json\s{2,}Print JSON Lines", out, re.M), out


# ---- reviewer accounts ----------------------------------------------------------------------

def test_user_list_and_remove(tmp_path):
    from eventledger.store import Store
    from eventledger.store.review import authenticate

    path = str(tmp_path / "ledger.db")
    cli("ingest", str(OWN), "--db", path, "-q")
    assert cli("user", "list", "--db", path).stderr.startswith("no reviewers")
    for name in ("rita", "omar"):
        cli("user", "add", name, "--password-stdin", "--db", path, input="a long enough password\n")
    header, *rows = cli("user", "list", "--db", path).stdout.splitlines()
    assert header.split() == ["Name", "Added", "Reviews", "Status"]
    assert [r.split()[0] for r in rows] == ["omar", "rita"] and all(r.split()[2:] == ["0", "active"] for r in rows)
    assert "reviewer rita removed" in cli("user", "remove", "rita", "--db", path).stderr
    assert [u["name"] for u in jsonl(cli("user", "list", "--json", "--db", path).stdout)] == ["omar"]
    listed = jsonl(cli("user", "list", "--all", "--json", "--db", path).stdout)
    assert [(u["name"], u["active"]) for u in listed] == [("omar", True), ("rita", False)]
    assert "already removed" in one_error(cli("user", "remove", "rita", "--db", path, code=1))
    assert "no reviewer 'nobdy' in the ledger; did you mean 'omar'" not in cli("user", "remove", "nobdy", "--db", path,
                                                                           code=2).stderr
    assert "did you mean 'omar'?" in one_error(cli("user", "remove", "Omra", "--db", path, code=2))
    cli("user", "add", "dora", "--password-stdin", "--db", path, input="a long enough password\n")
    assert "reviewer dora removed" in cli("user", "remove", "DORA", "--db", path).stderr  # any case: the stored name
    store = Store(path)
    try:
        assert not authenticate(store, "rita", "a long enough password")
        assert authenticate(store, "omar", "a long enough password")
        assert store.verify() == []  # the removal is in the log, and the log verifies
        assert [a for (a,) in store.db.execute("SELECT action FROM log WHERE subject = 'user:rita' ORDER BY seq")] == [
            "user-add", "user-remove"]
    finally:
        store.close()
    cli("user", "add", "rita", "--replace", "--password-stdin", "--db", path, input="another long password\n")
    assert [u["name"] for u in jsonl(cli("user", "list", "--json", "--db", path).stdout)] == ["omar", "rita"]


# ---- the formatting on its own ---------------------------------------------------------------

@pytest.mark.parametrize(("fig", "said"), [
    ({"value": 8.4e8, "high": 8.4e8, "kind": "money", "text": "$840 million"}, "$840 million"),
    ({"value": 1.25e9, "high": 1.25e9, "kind": "money", "text": "€1.25 billion", "approx": True}, "~€1.25 billion"),
    ({"value": 12500.0, "high": 12500.0, "kind": "money", "text": "12,500 dollars"}, "$12,500"),
    ({"value": 2e6, "high": 3e6, "kind": "money", "text": "$2 million to $3 million"}, "$2 million-$3 million"),
    ({"value": 1000, "high": 1200, "kind": "arrests"}, "1,000-1,200"),
    ({"value": 1500.0, "high": 1500.0, "kind": "personnel", "approx": True}, "~1,500"),
    ({"value": 2.5, "high": 2.5, "kind": "percent"}, "2.5"),
])
def test_say_figure(fig, said):
    from eventledger.clitext import say_figure

    assert say_figure(fig) == said


def test_plural_and_one_line():
    from eventledger.clitext import one_line, plural

    assert [plural(n, "report") for n in (0, 1, 2, 1200)] == ["0 reports", "1 report", "2 reports", "1,200 reports"]
    assert plural(1, "independent source") == "1 independent source"
    assert one_line("a\n\nb\tc  d\r\n") == "a b c d"


@pytest.mark.parametrize(("wanted", "names", "first"), [
    ("SF", ["San Francisco", "Santa Fe Springs", "Seattle"], "San Francisco"),
    ("Sacramneto", ["Sacramento", "San Antonio"], "Sacramento"),
    ("NYC", ["New York City", "Newark"], "New York City"),
])
def test_suggest_finds_abbreviations_then_spellings(wanted, names, first):
    from eventledger.clitext import suggest

    assert suggest(wanted, names)[0] == first


def test_every_example_prints_whole_in_help():
    """Examples are printed as written, never wrapped mid-command (COLUMNS=80 in CliRunner)."""
    import typer.main

    def commands(group, path=()):  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from commands(cmd, (*path, name))
            else:
                yield (*path, name), cmd

    found = 0
    for path, cmd in commands(typer.main.get_command(app)):
        example = cmd.help.strip().splitlines()[-1].strip()
        assert example.startswith("Example: eventledger ")
        assert f"  {example}\n" in cli(*path, "--help").stdout, path
        found += 1
    assert found >= 12


def test_a_mode_a_reviewer_set_is_a_known_mode(tmp_path):
    """A mode the profile never triggers but a reviewer wrote is found, not refused."""
    from eventledger.store import Store
    from eventledger.store.review import add_user, review_event

    path = str(tmp_path / "ledger.db")
    cli("ingest", str(OWN), "--db", path, "-q")
    ev = jsonl(cli("events", "--json", "--db", path).stdout)[0]
    one_error(cli("events", "--mode", "workplace-sweep", "--db", path, code=2))
    store = Store(path)
    try:
        add_user(store, "rita", "a long enough password")
        review_event(store, ev["id"], "rita", "correct", "the article calls it a sweep", {"mode": "workplace-sweep"})
    finally:
        store.close()
    got = jsonl(cli("events", "--mode", "workplace-sweep", "--json", "--db", path).stdout)
    assert [e["id"] for e in got] == [ev["id"]]
