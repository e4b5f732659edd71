"""The web app over a ledger: server-rendered pages, a JSON API, reviewers' forms."""

from __future__ import annotations

from eventledger.web.app import WebSettings, create_app, vendor_missing

__all__ = ["WebSettings", "create_app", "vendor_missing"]
