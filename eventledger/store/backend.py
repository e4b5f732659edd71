"""Where a ledger lives: an SQLite file or a PostgreSQL database, behind one connection.

``connect(location)`` opens an SQLite file for a path and a PostgreSQL database for a
``postgresql://`` URL. Either way the store gets an object with the part of
``sqlite3.Connection`` it uses: ``execute(sql, params)`` returning a cursor (``fetchone``,
``fetchall``, iteration; rows indexable by position and column name, ``dict(row)``),
``executemany``, ``in_transaction``, ``close``, and sqlite3's exception classes.

For PostgreSQL, :class:`PgConnection` translates the store's SQLite SQL mechanically, once
per statement text (cached):

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``);
- ``BEGIN IMMEDIATE`` (SQLite's "take the write lock now") becomes ``BEGIN`` plus a
  transaction-scoped advisory lock, so writers to one ledger, in any number of processes,
  run their read-compute-write sections one at a time, as on SQLite;
- ``INSERT OR IGNORE`` becomes ``INSERT ... ON CONFLICT DO NOTHING``;
- ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores ASCII case), ``COLLATE NOCASE`` finds
  the case-insensitive ``nocase`` collation the schema makes;
- ``json_each(x) a`` becomes ``json_array_elements_text(x::json) AS a(value)``;
- ``LIMIT ?`` takes a negative value as "no limit", as SQLite does;
- ``ORDER BY`` keeps SQLite's NULL order (NULLs first ascending, last descending);
- ``rowid`` is ``seq`` (documents, documents_fts and log number their rows with it) and
  ``<fts table> MATCH ?`` is a ``tsvector`` match of the same quoted-words query;
- ``PRAGMA`` statements are SQLite file housekeeping and do nothing.

Text columns use the "C" collation, so comparisons and sort order are SQLite's byte order.
Anything else is written so it means the same on both (the suite runs on both).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from eventledger.errors import StoreError

__all__ = ["PgConnection", "connect", "display_location", "is_postgres", "pg_create_database", "pg_database_url",
           "pg_drop_database"]

_PG_SCHEMES = ("postgresql://", "postgres://")
# Both ingest and review writers take this lock (a constant: advisory locks are per database).
WRITER_LOCK = 0x6576_6C65_6467_6572 & 0x7FFF_FFFF_FFFF_FFFF  # "evledger"


def is_postgres(location: str | Path) -> bool:
    return str(location).startswith(_PG_SCHEMES)


def display_location(location: str | Path) -> str:
    """The location with any password in a URL masked, for messages and logs."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*):[^@/]*@", r"\1:***@", str(location))


def connect(location: str | Path) -> Any:
    """An open connection to the ledger at ``location`` (a file path or a postgresql:// URL)."""
    loc = str(location)
    if re.match(r"^postgres(ql)?:/[^/]", loc):
        raise StoreError(f"{display_location(loc)}: not a PostgreSQL URL (a path mangled it?): "
                         "write postgresql://user:password@host:port/database")
    if is_postgres(loc):
        return PgConnection(loc)
    from eventledger.store.guard import GuardedConnection

    db = sqlite3.connect(loc, isolation_level=None, timeout=60, factory=GuardedConnection)
    db.where = display_location(loc)  # named by every DatabaseError (store/guard.py)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    # checkpoint at ~40 MB of log instead of SQLite's 4 MB: an ingested document's transaction
    # dirties ~50 pages across the tables and indexes, and checkpointing (with its fsync) every
    # 20 documents cost ~1 ms a document
    db.execute("PRAGMA wal_autocheckpoint=10000")
    # 64 MiB of page cache instead of SQLite's 2 MiB: each document's write reads index pages
    # all over a ledger of gigabytes (story keys, bands, the block's stories)
    db.execute("PRAGMA cache_size=-65536")
    db.execute("PRAGMA foreign_keys=ON")
    return db


# ---- PostgreSQL ---------------------------------------------------------------------------

class Row(tuple):  # type: ignore[type-arg]
    """A result row like sqlite3.Row: by position, by column name, ``dict(row)``."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[bytes, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for i, n in enumerate(names):
        index.setdefault(n.decode(), i)
    return type("Row", (Row,), {"__slots__": (), "_index": index})


class Cursor:
    """What ``execute`` returns: the rows of one statement."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur
        res = cur.pgresult  # column names straight from the result: cheaper than cur.description
        n = res.nfields if res is not None else 0
        self._cls = _row_class(tuple(res.fname(i) for i in range(n))) if n else None
        self.rowcount = cur.rowcount

    def fetchone(self) -> Row | None:
        if self._cls is None:
            return None
        r = self._cur.fetchone()
        return None if r is None else self._cls(r)

    def fetchall(self) -> list[Row]:
        if self._cls is None:
            return []
        cls = self._cls
        return [cls(r) for r in self._cur.fetchall()]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class _NoRows:
    rowcount = -1
    pgresult = None


def _sqlite_error(e: Exception) -> sqlite3.Error:
    """A psycopg error as a DatabaseError of the sqlite3 class the store's callers already catch."""
    import psycopg

    from eventledger.store.guard import as_store_error

    cls: type[sqlite3.Error]
    if isinstance(e, psycopg.IntegrityError):
        cls = sqlite3.IntegrityError
    elif isinstance(e, psycopg.DataError):
        cls = sqlite3.DataError
    elif isinstance(e, psycopg.InterfaceError):
        cls = sqlite3.InterfaceError
    else:
        cls = sqlite3.OperationalError
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return as_store_error(cls(msg), "PostgreSQL")


class PgConnection:
    """A psycopg 3 connection that takes the store's SQLite SQL (see the module docstring)."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.adapt import Loader

        class _Numeric(Loader):  # SUM() of integers is numeric: give int, as SQLite does
            def load(self, data: Any) -> int | float:
                s = bytes(data).decode()
                return float(s) if ("." in s or "e" in s.lower() or s.lower() in ("nan", "infinity", "-infinity")) else int(s)

        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=30,
                                         application_name="eventledger")
        except psycopg.Error as e:
            raise StoreError(f"{display_location(url)}: cannot connect to PostgreSQL: {str(e).strip()}") from e
        self._conn.adapters.register_loader("numeric", _Numeric)
        self._psycopg = psycopg

    # the sqlite3.Connection surface ---------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> Cursor:
        stmt = translate(sql)
        if stmt.kind == "noop":
            return Cursor(_NoRows())
        try:
            if stmt.kind == "begin_write":
                self._conn.execute("BEGIN")
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                return Cursor(_NoRows())
            cur = self._conn.execute(stmt.sql, tuple(params or ()))
        except self._psycopg.Error as e:
            raise _sqlite_error(e) from e
        return Cursor(cur)

    def executemany(self, sql: str, seq_of_params: Any) -> Cursor:
        stmt = translate(sql)
        rows = [tuple(p) for p in seq_of_params]
        if not rows:
            return Cursor(_NoRows())
        multi = _MULTI_VALUES.match(stmt.sql)
        try:
            if multi and len(rows) > 1:  # one INSERT of many rows: one round trip, not one per row
                head, group, tail = multi.group(1), multi.group(2), multi.group(3) or ""
                per = max(1, min(_MAX_ROWS, 65535 // max(1, len(rows[0]))))
                for i in range(0, len(rows), per):
                    chunk = rows[i : i + per]
                    self._conn.execute(head + ",".join([group] * len(chunk)) + tail,
                                       [v for row in chunk for v in row])
            else:
                with self._conn.cursor() as cur:
                    cur.executemany(stmt.sql, rows)
        except self._psycopg.Error as e:
            raise _sqlite_error(e) from e
        return Cursor(_NoRows())

    def executescript(self, script: str) -> None:
        """Run PostgreSQL DDL as written (no translation), in the current transaction if any."""
        try:
            self._conn.execute(script.encode())  # bytes: no placeholder parsing, many statements
        except self._psycopg.Error as e:
            raise _sqlite_error(e) from e

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR)

    def commit(self) -> None:
        if self.in_transaction:
            self.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---- SQLite SQL -> PostgreSQL SQL ---------------------------------------------------------

class _Stmt:
    __slots__ = ("kind", "sql")

    def __init__(self, kind: str, sql: str) -> None:
        self.kind, self.sql = kind, sql


# single-quoted literals, double-quoted identifiers, everything else
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[^'\"]+|['\"]")
_JSON_EACH = re.compile(r"\bjson_each\s*\(((?:[^()]|\([^()]*\))*)\)(\s+(?:AS\s+)?(?!(?:WHERE|ON|JOIN|LEFT|INNER|CROSS|ORDER|GROUP|LIMIT|UNION|AND|OR)\b)([A-Za-z_]\w*))?",
                        re.IGNORECASE)
_MULTI_VALUES = re.compile(r"^(INSERT\s+INTO\s+[^;]*?\bVALUES\s*)(\(\s*%s(?:\s*,\s*%s)*\s*\))(\s+ON CONFLICT DO NOTHING)?$",
                           re.IGNORECASE | re.DOTALL)
_MAX_ROWS = 1000
_KEYWORD_END = re.compile(r"\b(LIMIT|OFFSET|UNION|INTERSECT|EXCEPT|FOR|RETURNING)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> _Stmt:
    """The PostgreSQL form of one statement the store wrote for SQLite."""
    head = sql.strip().rstrip(";").strip()
    up = " ".join(head.upper().split())
    if up.startswith("PRAGMA"):
        return _Stmt("noop", "")
    if up in ("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "BEGIN IMMEDIATE TRANSACTION", "BEGIN EXCLUSIVE TRANSACTION"):
        return _Stmt("begin_write", "BEGIN")
    if up in ("BEGIN", "BEGIN DEFERRED", "BEGIN TRANSACTION", "BEGIN DEFERRED TRANSACTION"):
        return _Stmt("sql", "BEGIN")
    if up in ("END", "COMMIT", "END TRANSACTION", "COMMIT TRANSACTION"):
        return _Stmt("sql", "COMMIT")
    parts = []
    for tok in _TOKEN.findall(head):
        if tok[0] in "'\"":
            parts.append(tok.replace("%", "%%"))
        else:
            parts.append(_code(tok.replace("%", "%%")))
    out = "".join(parts)
    if re.match(r"\s*INSERT\s+OR\s+IGNORE\b", head, re.IGNORECASE):
        out = re.sub(r"^\s*INSERT\s+OR\s+IGNORE\b", "INSERT", out, flags=re.IGNORECASE) + " ON CONFLICT DO NOTHING"
    elif re.match(r"\s*INSERT\s+OR\s+REPLACE\b|\s*REPLACE\s+INTO\b", head, re.IGNORECASE):
        raise sqlite3.OperationalError("PostgreSQL: INSERT OR REPLACE has no translation; write an upsert")
    return _Stmt("sql", _order_nulls(out))


def _code(s: str) -> str:
    """Translate SQL text that holds no quoted literal or identifier."""
    s = s.replace("?", "%s")
    s = re.sub(r"\bLIMIT\s+%s", "LIMIT NULLIF(GREATEST(%s, -1), -1)", s, flags=re.IGNORECASE)
    s = re.sub(r"\b(NOT\s+)?LIKE\b", lambda m: (m.group(1) or "") + "ILIKE", s, flags=re.IGNORECASE)
    s = re.sub(r"\browid\b", "seq", s, flags=re.IGNORECASE)
    s = re.sub(r"\b([A-Za-z_]\w*)\s+MATCH\s+%s", r"\1.tsv @@ websearch_to_tsquery('simple', %s)", s, flags=re.IGNORECASE)

    def _je(m: re.Match[str]) -> str:
        return f"json_array_elements_text(({m.group(1)})::json) AS {m.group(3) or '_je'}(value)"

    return _JSON_EACH.sub(_je, s)


def _order_nulls(sql: str) -> str:
    """Add SQLite's NULL order (first ascending, last descending) to every ORDER BY term."""
    if not re.search(r"\bORDER\s+BY\b", sql, re.IGNORECASE):
        return sql
    out, i = [], 0
    for m in re.finditer(r"\bORDER\s+BY\b", sql, re.IGNORECASE):
        if m.start() < i:
            continue
        out.append(sql[i:m.end()])
        j, depth, term_start, terms = m.end(), 0, m.end(), []
        while j < len(sql):
            c = sql[j]
            if c == "'":
                k = j + 1
                while k < len(sql) and not (sql[k] == "'" and (k + 1 >= len(sql) or sql[k + 1] != "'")):
                    k += 2 if sql[k] == "'" else 1
                j = k + 1
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                terms.append(sql[term_start:j])
                term_start = j + 1
            elif depth == 0 and _KEYWORD_END.match(sql, j) and (j == 0 or not (sql[j - 1].isalnum() or sql[j - 1] == "_")):
                break
            j += 1
        terms.append(sql[term_start:j])
        out.append(",".join(_null_order(t) for t in terms))
        i = j
    out.append(sql[i:])
    return "".join(out)


def _null_order(term: str) -> str:
    if re.search(r"\bNULLS\s+(FIRST|LAST)\b", term, re.IGNORECASE) or not term.strip():
        return term
    stripped = term.rstrip()
    tail = term[len(stripped):]
    if re.search(r"\bDESC$", stripped, re.IGNORECASE):
        return f"{stripped} NULLS LAST{tail}"
    return f"{stripped} NULLS FIRST{tail}"


# ---- databases on a PostgreSQL server (tests and benchmarks make and drop their own) ------

def pg_database_url(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server_url`` (same user, host, options)."""
    from urllib.parse import urlsplit

    return urlsplit(server_url)._replace(path="/" + name).geturl()


def pg_create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (a copy of ``template`` when given) and return its URL."""
    import psycopg
    from psycopg import sql

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise StoreError(f"bad database name {name!r}")
    with psycopg.connect(_admin_url(server_url, template), autocommit=True) as conn:
        q = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            q = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        for attempt in range(50):
            try:
                conn.execute(q)
                break
            except psycopg.errors.ObjectInUse:  # the template has a connection (autovacuum) for a moment
                if attempt == 49:
                    raise
                time.sleep(0.2)
    return pg_database_url(server_url, name)


def pg_drop_database(server_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, ending any connection still open to it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_admin_url(server_url, name), autocommit=True) as conn:
        for attempt in range(50):
            try:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                # an autovacuum worker (not ours to end) is in it for a moment: try again
                if attempt == 49:
                    raise
                time.sleep(0.2)


def _admin_url(server_url: str, busy: str | None) -> str:
    """Where to send CREATE/DROP DATABASE: the URL's database, unless that is the one being
    copied or dropped (which must have no connections), then the maintenance database."""
    from urllib.parse import urlsplit

    if busy and urlsplit(server_url).path.lstrip("/") == busy:
        return pg_database_url(server_url, "postgres")
    return server_url
