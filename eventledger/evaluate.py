"""Score extraction records against gold annotations, exactly as ../shared/corpus/README.md
describes.

Records meet gold by the basename (extension dropped) of ``document.source``. Per category,
micro precision, recall and F1 over documents with one-to-one matching (a maximum bipartite
matching, so the count is the best possible); geo accuracy over matched gold places that have
coordinates; published accuracy over documents whose gold states a date. The report is a
JSON-serialisable dict with a per-document breakdown of what was missed and what was spurious.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from eventledger.errors import EventLedgerError

__all__ = ["CATEGORIES", "evaluate_records", "format_report", "load_gold", "norm_name", "read_predictions"]

CATEGORIES = ("people", "organizations", "places", "figures_strict", "figures_loose", "events")
_KIND = {"people": "person", "organizations": "organization", "places": "place"}
_PREC_LEN = {"day": 10, "month": 7, "year": 4}
_Doc = dict[str, Any]


def norm_name(s: str) -> str:
    """The README's name normalisation: casefolded, punctuation (’ included) and diacritics
    stripped, spaces collapsed, a leading "the" dropped. ``"The U.S. Marines"`` -> ``"us marines"``.

    Not ``profile.norm_key``: that keeps underscores (``\\w``), which are punctuation here.
    """
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if c.isalnum() or c.isspace())  # drops combining marks and punctuation
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def _published_scored(gold: _Doc, document: _Doc) -> bool:
    """The README's rule: a gold date counts where the text states it; a date stated only in the
    article's URL counts only for inputs that carry the URL (HTML, JSON Lines, feeds, WARC), never
    for a ``.txt`` file. Gold without ``published_source`` is taken as stated in the text."""
    if not gold.get("published"):
        return False
    if gold.get("published_source") == "url":
        return bool(document.get("url")) and not str(document.get("source", "")).endswith(".txt")
    return True


def load_gold(dirs: Iterable[Path]) -> dict[str, _Doc]:
    """Every ``*.json`` in each folder, keyed by basename; a later folder wins on a clash."""
    gold: dict[str, _Doc] = {}
    for d in map(Path, dirs):
        if not d.is_dir():
            raise EventLedgerError(f"{d}: gold folder not found")
        for f in sorted(d.glob("*.json")):
            try:
                doc = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as e:
                raise EventLedgerError(f"{f}: cannot read gold: {e}") from e
            except json.JSONDecodeError as e:
                raise EventLedgerError(f"{f}:{e.lineno}: gold is not JSON: {e.msg}") from e
            if not isinstance(doc, dict):
                raise EventLedgerError(f"{f}: gold is not a JSON object")
            gold[f.stem] = doc
    return gold


def read_predictions(path: Path) -> list[_Doc]:
    """Extraction records from a JSON Lines file; blank lines are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise EventLedgerError(f"{path}: cannot read predictions: {e}") from e
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise EventLedgerError(f"{path}:{n}: not JSON: {e.msg}") from e
        if not isinstance(rec, dict) or not isinstance(rec.get("document"), dict):
            raise EventLedgerError(f"{path}:{n}: not an extraction record (no 'document' object)")
        out.append(rec)
    return out


def _match(pred: list[Any], gold: list[Any], ok: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    """Maximum bipartite matching by augmenting paths: sorted (pred index, gold index) pairs."""
    adj = [[j for j, g in enumerate(gold) if ok(p, g)] for p in pred]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:  # depth is bounded by len(gold)
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(pred)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _same_num(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _keys(e: dict[str, Any]) -> set[str]:
    names = [e.get("name"), *(e.get("aliases") or [])]
    return {k for k in (norm_name(n) for n in names if isinstance(n, str)) if k}


def _date_at(date: Any, precision: Any) -> str | None:
    """A date cut to its stated precision ("2025-06-07" at month -> "2025-06"); None if unusable."""
    if not isinstance(date, str) or not date:
        return None
    n = _PREC_LEN.get(precision, 10) if isinstance(precision, str) else 10
    return date[: min(n, len(date))]


def _event_ok(p: dict[str, Any], g: dict[str, Any]) -> bool:
    """Same type and same date, at the gold's precision (day: equal; month: same month)."""
    gd = _date_at(g.get("date"), g.get("precision"))
    pd = _date_at(p.get("date"), p.get("date_precision"))
    return p.get("type") == g.get("type") and gd is not None and pd is not None and pd[: len(gd)] == gd


def _figures(items: Iterable[Any], strict: bool) -> list[tuple[Any, ...]]:
    """Distinct (kind, value, high) (strict) or (value, high) (loose), kind ``other`` left out."""
    out: list[tuple[Any, ...]] = []
    for f in items:
        if not isinstance(f, dict) or f.get("kind") == "other":
            continue
        value = _num(f.get("value"))
        high = _num(f.get("high")) if f.get("high") is not None else value
        key = (str(f.get("kind")), value, high) if strict else (value, high)
        if not any(_same_fig(key, k) for k in out):
            out.append(key)
    return out


def _same_fig(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(_same_num(x, y) if not isinstance(x, str) else x == y for x, y in zip(a, b))


def _stem(source: Any) -> str:
    name = re.split(r"[\\/]", str(source or "").rstrip("/\\"))[-1]
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def _score(cat: dict[str, int], d: _Doc, name: str, pred: list[Any], gold: list[Any],
           pairs: list[tuple[int, int]], show: Callable[[Any], Any]) -> None:
    cat["tp"] += len(pairs)
    cat["fp"] += len(pred) - len(pairs)
    cat["fn"] += len(gold) - len(pairs)
    mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
    d[name] = {"missed": [show(g) for j, g in enumerate(gold) if j not in mg],
               "spurious": [show(p) for i, p in enumerate(pred) if i not in mp]}


def _g(x: float | None) -> str:
    return "?" if x is None else format(x, ".12g")


def _show_fig(k: tuple[Any, ...]) -> str:
    *kind, value, high = k
    rng = _g(value) if value == high else f"{_g(value)}-{_g(high)}"
    return f"{kind[0]}:{rng}" if kind else rng


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def evaluate_records(records: list[_Doc], gold: dict[str, _Doc]) -> dict[str, Any]:
    """Score records against gold; see the module docstring. The result is JSON-serialisable."""
    cats = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    geo = {"checked": 0, "within": 0}
    pub = {"documents": 0, "correct": 0}
    undated = {"events": 0}
    by_stem: dict[str, _Doc] = {}
    without_gold: list[str] = []
    duplicates: list[str] = []
    for r in records:
        stem = _stem((r.get("document") or {}).get("source"))
        if stem not in gold:
            without_gold.append(stem)
        elif stem in by_stem:
            duplicates.append(stem)  # the first record of a document is the one scored
        else:
            by_stem[stem] = r
    docs: dict[str, _Doc] = {}
    no_record = sorted(set(gold) - set(by_stem))
    for stem, g in sorted(gold.items()):
        r = by_stem.get(stem, {})
        d: _Doc = {"missing_record": stem not in by_stem}
        ents = [e for e in r.get("entities") or [] if isinstance(e, dict)]
        for cat, kind in _KIND.items():
            pred = [e for e in ents if e.get("kind") == kind]
            gl = g.get(cat) or []
            pairs = _match([_keys(e) for e in pred], [_keys(e) for e in gl], lambda a, b: bool(a & b))
            _score(cats[cat], d, cat, pred, gl, pairs, lambda e: e.get("name"))
            if cat == "places":
                d["geo_off"] = []
                for i, j in pairs:
                    ge, pe = gl[j], pred[i]
                    glat, glon, tol = _num(ge.get("lat")), _num(ge.get("lon")), _num(ge.get("tolerance_km"))
                    if glat is None or glon is None or tol is None:
                        continue
                    geo["checked"] += 1
                    plat, plon = _num(pe.get("lat")), _num(pe.get("lon"))
                    km = None if plat is None or plon is None else _haversine_km(plat, plon, glat, glon)
                    if km is not None and km <= tol:
                        geo["within"] += 1
                    else:
                        d["geo_off"].append({"name": ge.get("name"), "km": None if km is None else round(km, 1),
                                             "tolerance_km": tol})
        for cat, strict in (("figures_strict", True), ("figures_loose", False)):
            pf, gf = _figures(r.get("figures") or [], strict), _figures(g.get("figures") or [], strict)
            _score(cats[cat], d, cat, pf, gf, _match(pf, gf, _same_fig), _show_fig)
        # Gold lists only the events its text dates (README: "only what the text dates"), so an
        # undated prediction (date null, as spec/extraction.md asks for undated happenings) can be
        # neither confirmed nor refuted by it: counted apart, not scored, like figures of kind other.
        pe = [e for e in r.get("events") or [] if isinstance(e, dict) and e.get("date")]
        undated["events"] += sum(1 for e in r.get("events") or [] if isinstance(e, dict) and not e.get("date"))
        ge = g.get("events") or []
        _score(cats["events"], d, "events", pe, ge, _match(pe, ge, _event_ok),
               lambda e: f"{e.get('type')}@{e.get('date')}")
        if _published_scored(g, r.get("document") or {}):
            got = (r.get("document") or {}).get("published")
            pub["documents"] += 1
            pub["correct"] += got == g["published"]
            d["published"] = {"gold": g["published"], "predicted": got, "correct": got == g["published"]}
        docs[stem] = d
    for c in cats.values():
        c.update(precision=_ratio(c["tp"], c["tp"] + c["fp"]), recall=_ratio(c["tp"], c["tp"] + c["fn"]),
                 f1=_ratio(2 * c["tp"], 2 * c["tp"] + c["fp"] + c["fn"]))
    return {
        "categories": cats,
        "geo_accuracy": _ratio(geo["within"], geo["checked"]) if geo["checked"] else None,
        "geo": geo,
        "published_accuracy": _ratio(pub["correct"], pub["documents"]) if pub["documents"] else None,
        "published": pub,
        "undated_events": undated["events"],
        "documents": docs,
        "coverage": {"gold": len(gold), "scored_records": len(by_stem),
                     "records_without_gold": len(without_gold), "records_without_gold_names": sorted(without_gold),
                     "duplicate_records": sorted(duplicates),
                     "gold_without_record": len(no_record), "gold_without_record_names": no_record},
    }


def format_report(report: dict[str, Any]) -> str:
    """The per-document misses first, then the summary table as the last lines (fits ``tail -n 15``)."""
    lines = []
    for stem, d in report["documents"].items():
        bits = [f"  {cat}: missed {d[cat]['missed']} spurious {d[cat]['spurious']}"
                for cat in CATEGORIES if d[cat]["missed"] or d[cat]["spurious"]]
        bits += [f"  geo: {o['name']}: " + ("no predicted point" if o["km"] is None else f"{o['km']} km off")
                 + f" (tolerance {o['tolerance_km']:g} km)" for o in d.get("geo_off", [])]
        if "published" in d and not d["published"]["correct"]:
            bits.append(f"  published: gold {d['published']['gold']} predicted {d['published']['predicted']}")
        if bits:
            lines.append(stem + (" (no record)" if d["missing_record"] else ""))
            lines.extend(bits)
    cov = report["coverage"]
    dup = f", {len(cov['duplicate_records'])} duplicate records ignored" if cov["duplicate_records"] else ""
    lines += ["", f"documents: {cov['gold']} with gold, {cov['scored_records']} scored, "
                  f"{cov['records_without_gold']} records without gold (ignored), "
                  f"{cov['gold_without_record']} gold without record (all missed){dup}",
              f"{'category':16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for cat, c in report["categories"].items():
        lines.append(f"{cat:16} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} "
                     f"{c['tp']:5d} {c['fp']:5d} {c['fn']:5d}")
    for label, acc, ok, n, what in (
            ("geo accuracy", report["geo_accuracy"], report["geo"]["within"], report["geo"]["checked"],
             "matched places within tolerance"),
            ("published", report["published_accuracy"], report["published"]["correct"],
             report["published"]["documents"], "documents with a gold date")):
        lines.append(f"{label:16} {'-' if acc is None else format(acc, '6.3f'):>6} ({ok}/{n} {what})")
    ev = report["categories"]["events"]
    strict = _ratio(2 * ev["tp"], 2 * ev["tp"] + ev["fp"] + ev["fn"] + report.get("undated_events", 0))
    lines.append(f"{'undated events':16} {report.get('undated_events', 0):6d} (not scored: gold lists only dated "
                 f"events; events F1 counting them as spurious {strict:.3f})")
    return "\n".join(lines)
