"""Commands of the accountability kit, registered on the main app by :func:`register`.

    exhibit add|list|show|link|cite|export|correct|release
    capture URL...
    request add|list|update|link|ics
    register parcels|add-site|show
    dossier EVENT --pdf FILE --package FILE.zip
    verify-package FILE.zip --key LEDGER.pub

Only typer and the standard library are imported here; each command imports what it uses,
so `eventledger --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from eventledger.kit._cli_common import ByOpt, DbOpt, WhyOpt
from eventledger.kit._cli_common import fail as _fail
from eventledger.kit._cli_common import need_by as _need_by
from eventledger.kit._cli_common import open_ledger as _open

__all__ = ["register"]


# ---- dossiers and packages --------------------------------------------------------------------

def dossier(
    event: Annotated[str, typer.Argument(help="A ledger event id (ev-...), or a story id (st-...) for all its events.")],
    pdf: Annotated[Optional[Path], typer.Option("--pdf", help="Print the dossier page to this PDF.")] = None,
    package: Annotated[Optional[Path], typer.Option("--package", help="Write a signed zip: originals, manifest, custody log.")] = None,
    by: ByOpt = "",
    why: WhyOpt = None,
    db: DbOpt = "ledger.db",
) -> None:
    """An event's or a story's dossier as a PDF and/or a signed package of its originals.

    The PDF is the web app's dossier page printed by headless Chromium. The package (a zip)
    holds the originals, a SHA-256 manifest, the custody log and an Ed25519 signature that
    `eventledger verify-package` checks with the ledger's public key.

    Example: eventledger dossier ev-1a2b --pdf dossier.pdf --package dossier.zip --by maria --why "for counsel"
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.pdf import fetch_page, render_pdf, served
    from eventledger.kit.package import build_package
    from eventledger.signing import key_paths, load_or_create_key
    from eventledger.store.backend import is_postgres

    if not pdf and not package:
        raise _fail("give --pdf FILE and/or --package FILE.zip", 2)
    who = _need_by(by) if package else (by or "")
    store = _open(db)
    store.close()  # the dossier is read by the web app's own connections
    try:
        if pdf:
            html = render_pdf(db, event, pdf)
            typer.echo(f"wrote {pdf}", err=True)
        if package:
            if is_postgres(db):
                raise _fail("packages are signed with the key beside an SQLite ledger file; a PostgreSQL ledger has none yet")
            if not pdf:
                with served(db) as base:
                    html = fetch_page(base, f"/kit/dossier/{event}")
            pdf_bytes = pdf.read_bytes() if pdf else None
            key, made = load_or_create_key(db)
            if made:
                typer.echo(f"made the ledger's signing key; its public half is {key_paths(db)[1]}: {key.public_line}", err=True)
            store = _open(db)
            try:
                info = build_package(store, event, package, key, who, why or "", html, pdf_bytes)
            finally:
                store.close()
            typer.echo(f"wrote {package}: {info['files']} files ({info['exhibits']} exhibits, {info['sources']} sources),"
                       f" {info['custody_entries']} custody entries; manifest SHA-256 {info['manifest_sha256']}", err=True)
    except EventLedgerError as e:
        raise _fail(str(e)) from e


def verify_package_cmd(
    file: Annotated[Path, typer.Argument(help="The package (.zip).")],
    key: Annotated[Optional[Path], typer.Option("--key", help="The signer's public key file (<ledger>.pub).")] = None,
) -> None:
    """Check a signed package: its manifest's signature and every file's SHA-256.

    Changed, missing and added files are named. Needs only the package and the ledger's
    public key (the .pub file beside the ledger), not the ledger.

    Exit status 0 when intact, 1 when anything is wrong.

    Example: eventledger verify-package dossier.zip --key ledger.db.pub
    """
    from eventledger.errors import EventLedgerError
    from eventledger.kit.package import verify_package

    public = None
    if key is not None:
        try:
            public = key.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as e:
            raise _fail(f"{key}: cannot read the public key: {e}", 2) from e
    try:
        problems, info = verify_package(file, public)
    except EventLedgerError as e:
        raise _fail(str(e), 2) from e
    for p in problems:
        typer.echo(p)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found in {file}", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {info['files']} files and {info['custody_entries']} custody entries match the manifest signed by key "
               f"{info['fingerprint'][:16]}…" + (" (the key inside the package: compare it with the ledger's published key,"
                                                 " or give --key)" if info["key_from_package"] else ""))


def register(app: typer.Typer) -> None:
    """Add the kit's commands to the main app."""
    from eventledger.kit.cli_exhibits import capture, exhibit_app
    from eventledger.kit.cli_records import register_app, request_app

    app.add_typer(exhibit_app, name="exhibit")
    app.add_typer(request_app, name="request")
    app.add_typer(register_app, name="register")
    app.command("capture")(capture)
    app.command("dossier")(dossier)
    app.command("verify-package")(verify_package_cmd)
