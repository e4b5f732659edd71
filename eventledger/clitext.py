"""What the CLI prints, said as people write it: counts, money, ranges, dates checked,
names looked up with "did you mean", and tables with a header row.

- :func:`plural` "1 report", "2 reports".
- :func:`say_number` "1,500", "2.5"; :func:`say_money` "$840 million", "$12,500";
  :func:`say_figure` a figure's value whole: "1,000-1,200", "~1,500", "$3.7 million".
- :func:`one_line` text with its newlines and runs of spaces folded to single spaces.
- :func:`check_date` a --from/--to value, or a QueryError saying what a date looks like.
- :func:`pick_name` a name or id resolved against the names the ledger knows, or a
  QueryError with the nearest names ("did you mean Los Angeles?").
- :func:`render_table` a table with a header row (rich), as lines: full width when piped,
  cut with an ellipsis to the terminal's width when shown.

Nothing here touches the store; rich and rapidfuzz are imported when first used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date as _date
from typing import Any

from eventledger.errors import QueryError

__all__ = ["check_date", "one_line", "pick_name", "plural", "render_table", "say_figure", "say_money",
           "say_date_at", "say_number", "suggest", "table_lines"]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_CURRENCY = re.compile(r"[$€£¥]")


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``n`` and the noun agreeing with it: "1 report", "3 reports", "2 independent sources"."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def say_number(v: float) -> str:
    """A count as written: thousands separated, no ".0", at most two decimals."""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def say_money(v: float, symbol: str = "$") -> str:
    """An amount as a reporter writes it: "$840 million", "$3.7 million", "$12,500"."""
    for scale, word in _SCALES:
        if abs(v) >= scale:
            return f"{symbol}{say_number(round(v / scale, 2))} {word}"
    return f"{symbol}{say_number(v)}"


def say_figure(f: Mapping[str, Any]) -> str:
    """A figure's value whole: its range ("1,000-1,200"), "~" when approximate, money with
    its currency sign (the one its own text uses; "$" when it shows none)."""
    value, high = f["value"], f.get("high")
    if f.get("kind") == "money":
        sign = _CURRENCY.search(str(f.get("text") or ""))
        sym = sign.group(0) if sign else "$"
        text = say_money(value, sym) if high in (None, value) else f"{say_money(value, sym)}-{say_money(high, sym)}"
    else:
        text = say_number(value) if high in (None, value) else f"{say_number(value)}-{say_number(high)}"
    return ("~" if f.get("approx") else "") + text


def one_line(text: str | None) -> str:
    """Text on one line: newlines, tabs and runs of spaces become one space."""
    return " ".join((text or "").split())


def check_date(option: str, value: str | None) -> str | None:
    """``value`` when it is a date YYYY, YYYY-MM or YYYY-MM-DD that exists; else a QueryError
    naming the option (the web app refuses the same values with 422)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    m = _DATE_RE.match(value)
    ok = m is not None
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        try:
            _date(y, int(mo or 1), int(d or 1))
        except ValueError:
            ok = False
    if not ok:
        raise QueryError(f"{option} {value!r}: a date is YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-06 or 2025-06-07")
    return value


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name)).lower()


def suggest(wanted: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names nearest ``wanted``: those it abbreviates ("LA": Los Angeles), then the
    closest spellings (rapidfuzz)."""
    from rapidfuzz import fuzz, process, utils

    pool = sorted(set(names))
    w = wanted.strip()
    out = [n for n in pool if w.isalpha() and 2 <= len(w) <= 5 and _initials(n) == w.lower()]
    out.sort(key=len)
    # a short name against long ones: WRatio's partial matching finds "la" in "Plaza"; compare whole
    scorer = fuzz.WRatio if len(w) > 4 else fuzz.ratio
    for name, _score, _ in process.extract(w, pool, scorer=scorer, processor=utils.default_process,
                                           limit=limit + len(out), score_cutoff=70):
        if name not in out:
            out.append(name)
    return out[:limit]


def pick_name(what: str, wanted: str | None, known: Mapping[str, str], where: str = " in the ledger") -> str | None:
    """The id ``wanted`` names, given ``known`` (every id, name and alias -> its id,
    matched without regard to case); a QueryError with the nearest names when none."""
    if wanted is None or not wanted.strip():
        return None
    folded = {k.casefold(): v for k, v in known.items()}
    hit = folded.get(wanted.strip().casefold())
    if hit is not None:
        return hit
    main: dict[str, str] = {}  # id -> its first name (entity_names gives the name before aliases)
    for k, v in known.items():
        if k != v or ":" not in k:
            main.setdefault(v, k)
    said: dict[str, str] = {}  # one suggestion per spelling, "Tulsa" rather than "TULSA"
    for n in (main[known[n]] for n in suggest(wanted, [k for k in known if k in main.values() or k != known[k]], 6)):
        if n.casefold() not in said or said[n.casefold()].isupper():
            said[n.casefold()] = n
    near = list(said.values())[:3]
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else f"; none{where} is close"
    raise QueryError(f"no {what} {wanted!r}{where}{hint}")


def render_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, width: int | None = None,
                 styled: bool = False, right: Iterable[int] = ()) -> list[str]:
    """The rows under a header row, columns aligned, as lines without trailing spaces.

    ``width`` None: as wide as the rows need (for pipes and files); else the last column
    is cut with an ellipsis to fit. ``styled`` bolds the header (a terminal)."""
    import io

    from rich.console import Console
    from rich.table import Table

    right = set(right)
    body = [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    table = Table(box=None, show_header=True, header_style="bold" if styled else "", pad_edge=False,
                  show_edge=False, padding=(0, 2, 0, 0))
    for i, h in enumerate(headers):
        last = i == len(headers) - 1
        table.add_column(h, justify="right" if i in right else "left", no_wrap=True,
                         overflow="ellipsis", min_width=None if last else widths[i])
    for row in body:
        table.add_row(*row)
    console = Console(file=io.StringIO(), width=width or 100_000, force_terminal=styled, no_color=not styled,
                      color_system="standard" if styled else None, highlight=False, emoji=False, markup=False)
    console.print(table)
    return [line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]], right: Iterable[int] = ()) -> list[str]:
    """render_table for standard output: the terminal's width and a bold header on a
    terminal, full width and plain in a pipe or file."""
    import shutil
    import sys

    tty = sys.stdout.isatty()
    return render_table(headers, rows, width=shutil.get_terminal_size().columns if tty else None, styled=tty,
                        right=right)


def say_date_at(date: str | None, precision: str | None) -> str:
    """"June 7, 2025 (day)", "June 2025 (month)", "unknown date"."""
    from eventledger.headline import say_date

    said = say_date(date, precision)
    return f"{said} ({precision})" if said and precision else (said or "unknown date")
