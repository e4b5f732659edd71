"""Score extraction records against gold annotations, exactly as
../shared/corpus/README.md describes: micro precision, recall and F1 per category with
one-to-one (maximum bipartite) matching, geo accuracy of places, published accuracy.
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

__all__ = ["evaluate_records", "format_report", "load_gold", "norm_name", "read_predictions"]

CATEGORIES = ("people", "organizations", "places", "figures_strict", "figures_loose", "events")
_KIND = {"people": "person", "organizations": "organization", "places": "place"}


def norm_name(s: str) -> str:
    """Casefolded, punctuation and diacritics stripped, spaces collapsed, leading "the" dropped."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = "".join(c if c.isalnum() or c.isspace() else "" for c in s)
    s = re.sub(r"\s+", " ", s).strip()
    return s[4:] if s.startswith("the ") else s


def load_gold(dirs: Iterable[Path]) -> dict[str, dict[str, Any]]:
    gold: dict[str, dict[str, Any]] = {}
    for d in dirs:
        d = Path(d)
        if not d.is_dir():
            raise EventLedgerError(f"{d}: gold folder not found")
        for f in sorted(d.glob("*.json")):
            try:
                gold[f.stem] = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
                raise EventLedgerError(f"{f}: cannot read gold: {e}") from e
    return gold


def read_predictions(path: Path) -> list[dict[str, Any]]:
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise EventLedgerError(f"{path}: cannot read predictions: {e}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise EventLedgerError(f"{path}:{n}: not JSON: {e.msg}") from e
        if not isinstance(rec, dict) or "document" not in rec:
            raise EventLedgerError(f"{path}:{n}: not an extraction record (no 'document')")
        out.append(rec)
    return out


def _match(pred: list[Any], gold: list[Any], ok: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths): pairs (pred index, gold index)."""
    adj = [[j for j, g in enumerate(gold) if ok(p, g)] for p in pred]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(pred)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _same_num(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    except (TypeError, ValueError):
        return False


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _event_ok(p: dict[str, Any], g: dict[str, Any]) -> bool:
    if p.get("type") != g.get("type") or not p.get("date") or not g.get("date"):
        return False
    prec = g.get("precision") or {10: "day", 7: "month", 4: "year"}.get(len(g["date"]))
    n = {"day": 10, "month": 7, "year": 4}.get(prec or "day", 10)
    return len(p["date"]) >= n and p["date"][:n] == g["date"][:n]


def _figures(items: Iterable[dict[str, Any]], strict: bool) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for f in items:
        if f.get("kind") == "other":
            continue
        key = (f.get("kind"), float(f["value"]), float(f.get("high", f["value"])))
        key = key if strict else key[1:]
        if not any(all(_same_num(a, b) if not isinstance(a, str) else a == b for a, b in zip(key, k)) for k in out):
            out.append(key)
    return out


def _cat() -> dict[str, Any]:
    return {"tp": 0, "fp": 0, "fn": 0}


def evaluate_records(records: list[dict[str, Any]], gold: dict[str, dict[str, Any]]) -> dict[str, Any]:
    cats = {c: _cat() for c in CATEGORIES}
    geo = {"checked": 0, "within": 0}
    pub = {"documents": 0, "correct": 0}
    docs: dict[str, Any] = {}
    by_name = {}
    unmatched_records = 0
    for r in records:
        name = Path(str(r["document"].get("source") or "")).name
        stem = name.rsplit(".", 1)[0] if "." in name else name
        if stem in gold:
            by_name[stem] = r
        else:
            unmatched_records += 1
    for stem, g in sorted(gold.items()):
        r = by_name.get(stem, {"document": {}, "entities": [], "figures": [], "events": []})
        d: dict[str, Any] = {"missing_record": stem not in by_name}
        for cat, kind in _KIND.items():
            pred = [e for e in r.get("entities", []) if e.get("kind") == kind]
            gl = g.get(cat, [])
            pk = [{norm_name(x) for x in [e.get("name", ""), *e.get("aliases", [])] if x} for e in pred]
            gk = [{norm_name(x) for x in [e["name"], *e.get("aliases", [])] if x} for e in gl]
            pairs = _match(pk, gk, lambda a, b: bool(a & b))
            _add(cats[cat], len(pairs), len(pred), len(gl))
            mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
            d[cat] = {"missed": [gl[j]["name"] for j in range(len(gl)) if j not in mg],
                      "spurious": [pred[i].get("name") for i in range(len(pred)) if i not in mp]}
            if cat == "places":
                for i, j in pairs:
                    ge, pe = gl[j], pred[i]
                    if ge.get("lat") is None or ge.get("lon") is None or ge.get("tolerance_km") is None:
                        continue
                    geo["checked"] += 1
                    if pe.get("lat") is not None and pe.get("lon") is not None and \
                            _haversine(pe["lat"], pe["lon"], ge["lat"], ge["lon"]) <= ge["tolerance_km"]:
                        geo["within"] += 1
        for cat, strict in (("figures_strict", True), ("figures_loose", False)):
            pf, gf = _figures(r.get("figures", []), strict), _figures(g.get("figures", []), strict)
            pairs = _match(pf, gf, lambda a, b: all(x == y if isinstance(x, str) or x is None else _same_num(x, y)
                                                  for x, y in zip(a, b)))
            _add(cats[cat], len(pairs), len(pf), len(gf))
            mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
            d[cat] = {"missed": [list(gf[j]) for j in range(len(gf)) if j not in mg],
                      "spurious": [list(pf[i]) for i in range(len(pf)) if i not in mp]}
        pe, ge = r.get("events", []), g.get("events", [])
        pairs = _match(pe, ge, _event_ok)
        _add(cats["events"], len(pairs), len(pe), len(ge))
        mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
        d["events"] = {"missed": [[ge[j]["type"], ge[j]["date"]] for j in range(len(ge)) if j not in mg],
                       "spurious": [[pe[i].get("type"), pe[i].get("date")] for i in range(len(pe)) if i not in mp]}
        if g.get("published"):
            pub["documents"] += 1
            ok = r["document"].get("published") == g["published"]
            pub["correct"] += ok
            d["published"] = {"gold": g["published"], "predicted": r["document"].get("published"), "correct": ok}
        docs[stem] = d
    for c in cats.values():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        rc = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        c.update(precision=round(p, 4), recall=round(rc, 4), f1=round(2 * p * rc / (p + rc), 4) if p + rc else 0.0)
    return {
        "categories": cats,
        "geo_accuracy": round(geo["within"] / geo["checked"], 4) if geo["checked"] else None,
        "geo": geo,
        "published_accuracy": round(pub["correct"] / pub["documents"], 4) if pub["documents"] else None,
        "published": pub,
        "documents": docs,
        "coverage": {"gold": len(gold), "scored_records": len(by_name), "records_without_gold": unmatched_records,
                     "gold_without_record": sum(1 for d in docs.values() if d["missing_record"])},
    }


def _add(c: dict[str, Any], tp: int, npred: int, ngold: int) -> None:
    c["tp"] += tp
    c["fp"] += npred - tp
    c["fn"] += ngold - tp


def format_report(report: dict[str, Any]) -> str:
    lines = []
    for stem, d in report["documents"].items():
        bits = []
        for cat in CATEGORIES:
            m, s = d[cat]["missed"], d[cat]["spurious"]
            if m or s:
                bits.append(f"  {cat}: missed {m} spurious {s}")
        if "published" in d and not d["published"]["correct"]:
            bits.append(f"  published: gold {d['published']['gold']} predicted {d['published']['predicted']}")
        if bits:
            lines.append(stem + (" (no record)" if d["missing_record"] else ""))
            lines.extend(bits)
    cov = report["coverage"]
    lines.append("")
    lines.append(f"documents: {cov['gold']} with gold, {cov['scored_records']} scored, "
                 f"{cov['records_without_gold']} records without gold, {cov['gold_without_record']} gold without record")
    lines.append(f"{'category':16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for cat, c in report["categories"].items():
        lines.append(f"{cat:16} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} {c['tp']:5d} {c['fp']:5d} {c['fn']:5d}")
    ga, pa = report["geo_accuracy"], report["published_accuracy"]
    lines.append(f"{'geo accuracy':16} {'-' if ga is None else f'{ga:6.3f}'} ({report['geo']['within']}/{report['geo']['checked']} places within tolerance)")
    lines.append(f"{'published':16} {'-' if pa is None else f'{pa:6.3f}'} ({report['published']['correct']}/{report['published']['documents']} documents)")
    return "\n".join(lines)
