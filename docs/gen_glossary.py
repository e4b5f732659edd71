"""Regenerate docs/glossary.md from the profile's labels (labels.toml).

    python docs/gen_glossary.py           # rewrite docs/glossary.md
    python docs/gen_glossary.py --check   # exit 1 if docs/glossary.md is out of date

The glossary maps each plain label the ledger shows ("Raid") to the PLOVER type and mode
kept in the data and the exports (COERCE seize), with the words a headline uses.
tests/test_profile_labels.py compares the file with what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GLOSSARY_MD = REPO / "docs" / "glossary.md"
HEADER = """\
# Glossary: plain labels and PLOVER codes

The ledger names each kind of event in plain words; the data and every export keep the
[PLOVER](https://github.com/openeventdata/PLOVER) root type and mode those words stand for.
This table is generated from the profile's `labels.toml`: run `python docs/gen_glossary.py`
after changing it (tests/test_profile_labels.py fails until you do). A type's own row (mode "—")
is the label of any mode that has no row of its own.

Headlines are built from the same rows: the actor, the verb in the present tense, the place
(after the preposition shown, or as the object of the verb shown for sites such as a store or
a station), then the date at its precision: "ICE raids Home Depot in Paramount, June 7, 2025";
"Troop deployment to Portland, September 2025" when the record names no actor.
"""


def render(profile_path: str | Path | None = None) -> str:
    from eventledger.headline import glossary
    from eventledger.profile import load_profile

    rows = glossary(load_profile(profile_path))
    out = [HEADER, "| label | PLOVER type | mode | verb (site) | place word | what it covers |",
           "|---|---|---|---|---|---|"]
    for lab in rows:
        verb = lab.verb + (f" ({lab.verb_site})" if lab.verb_site else "")
        out.append(f"| {lab.label} | {lab.type} | {lab.mode or '—'} | {verb} | {lab.prep} | {lab.means} |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if GLOSSARY_MD.read_text(encoding="utf-8") != text:
            print("docs/glossary.md is out of date: run python docs/gen_glossary.py", file=sys.stderr)
            return 1
        return 0
    GLOSSARY_MD.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
