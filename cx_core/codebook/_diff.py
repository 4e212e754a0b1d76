"""What changed between two versions of a codebook: renamed, added, removed and merged themes."""

from __future__ import annotations

from ._model import Codebook, CodebookTheme
from ._rules import normalise

_MERGED_SHARE = 0.5  # a removed theme whose examples/rules live on in a kept theme at least this much was merged


def _evidence(theme: CodebookTheme) -> set[str]:
    return {normalise(x) for x in (*theme.examples, *theme.include)}


def diff_codebooks(old: Codebook, new: Codebook) -> dict:
    """``{"renamed": [{id, old, new}], "added": [{id, label}], "removed": [{id, label}],
    "merged": [{from: [ids], into: id, label}]}``.

    Themes are matched by id. A theme that is gone from ``new`` counts as merged into the theme of
    ``new`` that now holds at least half of its examples and include phrases (a merge moves them);
    otherwise it is removed.

    >>> a = Codebook((CodebookTheme("a", "Delivery", examples=("late truck",)), CodebookTheme("b", "Price")))
    >>> b = Codebook((CodebookTheme("a", "Deliveries", examples=("late truck",)), CodebookTheme("c", "App")))
    >>> diff_codebooks(a, b)["renamed"], [t["id"] for t in diff_codebooks(a, b)["removed"]]
    ([{'id': 'a', 'old': 'Delivery', 'new': 'Deliveries'}], ['b'])
    """
    new_by_id = {t.id: t for t in new.themes}
    old_by_id = {t.id: t for t in old.themes}
    renamed = [
        {"id": t.id, "old": t.label, "new": new_by_id[t.id].label}
        for t in old.themes
        if t.id in new_by_id and new_by_id[t.id].label != t.label
    ]
    added = [{"id": t.id, "label": t.label} for t in new.themes if t.id not in old_by_id]
    removed: list[dict] = []
    merged_into: dict[str, list[str]] = {}
    for t in old.themes:
        if t.id in new_by_id:
            continue
        evidence = _evidence(t)
        target = None
        if evidence:
            scored = [(len(evidence & _evidence(n)) / len(evidence), n.id) for n in new.themes]
            share, best = max(scored, default=(0.0, ""))
            if share >= _MERGED_SHARE and best in old_by_id:
                target = best
        if target is None:
            removed.append({"id": t.id, "label": t.label})
        else:
            merged_into.setdefault(target, []).append(t.id)
    merged = [
        {"from": sorted(ids), "into": target, "label": new_by_id[target].label}
        for target, ids in sorted(merged_into.items())
    ]
    return {"renamed": renamed, "added": added, "removed": removed, "merged": merged}
