"""The driver catalogue: every driver rating with its need and category, as a person confirmed it.

The catalogue starts from the suggestions made when the file was loaded (keywords in the column
name and question text, English and Japanese: :data:`cx_core.schema.NEED_KEYWORDS`). A person can
change any need; analyses take the catalogue as an argument, so an edit is used everywhere
without reloading the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import replace
from typing import Any

from ..errors import InvalidParameterError, MappingError
from ..ingest.mapping import Mapping
from ..schema import NEED_CATEGORY, NEEDS, Driver, driver_key
from ..workspace import Workspace

CatalogueInput = Iterable[Driver | MappingABC[str, Any]]
"""What analyses accept as a catalogue: :class:`Driver` objects or plain dicts (e.g. from JSON)."""


def to_driver(item: Driver | MappingABC[str, Any]) -> Driver:
    """One catalogue entry as a :class:`Driver`, its category always derived from its need."""
    if isinstance(item, Driver):
        need = item.need
        driver = item
    else:
        try:
            label = str(item.get("label") or item.get("key") or item["column"])
        except KeyError as exc:
            raise InvalidParameterError("error.driver_no_label") from exc
        need = str(item.get("need") or "other")
        driver = Driver(
            key=str(item.get("key") or driver_key(label)),
            label=label,
            need=need,
            category=NEED_CATEGORY.get(need, "other"),
            scale_min=_number(item.get("scale_min"), 1),
            scale_max=_number(item.get("scale_max"), 5),
        )
    if need not in NEEDS:
        raise InvalidParameterError("error.not_a_choice", value=str(need)[:40], choices=", ".join(NEEDS))
    if driver.scale_max <= driver.scale_min:
        raise InvalidParameterError("error.driver_no_scale", driver=driver.label[:60])
    return replace(driver, category=NEED_CATEGORY[need])


def _number(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number == number else default


def normalise_catalogue(catalogue: CatalogueInput) -> list[Driver]:
    """The catalogue as a list of :class:`Driver` (validated; duplicate keys keep the first)."""
    drivers: list[Driver] = []
    seen: set[str] = set()
    for item in catalogue:
        driver = to_driver(item)
        if driver.key not in seen:
            seen.add(driver.key)
            drivers.append(driver)
    return drivers


def catalogue_from_workspace(ws: Workspace) -> list[dict]:
    """The catalogue as loaded (suggested or from a saved mapping), one dict per driver.

    Each dict has ``key, label, column, need, category, scale_min, scale_max``; ``column`` is the
    column of the person's file the rating came from.
    """
    columns: dict[str, str] = {}
    if ws.loaded is not None:
        columns = {driver_key(d["label"]): d["column"] for d in ws.loaded.survey_mapping.drivers}
    return [d.to_dict() | {"column": columns.get(d.key, d.label)} for d in ws.drivers]


def set_need(catalogue: CatalogueInput, key: str, need: str) -> list[dict]:
    """A copy of the catalogue (as dicts) with the need of driver ``key`` changed."""
    if need not in NEEDS:
        raise InvalidParameterError("error.not_a_choice", value=str(need)[:40], choices=", ".join(NEEDS))
    out = []
    for item in catalogue:
        entry = dict(item) if not isinstance(item, Driver) else item.to_dict()
        if to_driver(entry).key == key:
            entry["need"], entry["category"] = need, NEED_CATEGORY[need]
        out.append(entry)
    return out


def catalogue_json(catalogue: CatalogueInput) -> str:
    """The catalogue as a JSON document (keeps ``column`` when the entries have one)."""
    rows = []
    for item in catalogue:
        driver = to_driver(item)
        row = driver.to_dict()
        if not isinstance(item, Driver) and item.get("column"):
            row["column"] = str(item["column"])
        rows.append(row)
    return json.dumps({"kind": "driver_catalogue", "drivers": rows}, ensure_ascii=False, indent=2)


def catalogue_from_json(text: str) -> list[dict]:
    """Read a catalogue saved with :func:`catalogue_json` (or a plain list of drivers)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        raise InvalidParameterError("error.catalogue_not_json") from exc
    items = data.get("drivers") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidParameterError("error.catalogue_no_drivers")
    return [to_driver(i).to_dict() | ({"column": str(i["column"])} if i.get("column") else {}) for i in items]


def apply_catalogue(mapping: Mapping, catalogue: CatalogueInput) -> Mapping:
    """A copy of the survey ``mapping`` whose drivers carry the catalogue's needs.

    Saved as JSON, it reloads with the same needs (``Mapping.from_dict`` keeps them).
    """
    if mapping.kind != "survey":
        raise MappingError("error.drivers_need_survey")
    needs = {d.key: d.need for d in normalise_catalogue(catalogue)}
    drivers = []
    for d in mapping.drivers:
        need = needs.get(driver_key(d["label"]), d.get("need", "other"))
        drivers.append({**d, "need": need, "category": NEED_CATEGORY.get(need, "other")})
    # everything else the mapping carries (evidence, scales, questions, outcome) stays as it was
    return replace(mapping, fields=dict(mapping.fields), drivers=drivers)


def catalogue_sql(catalogue: list[Driver], params: dict[str, Any], prefix: str = "cat") -> str:
    """A parameterised ``VALUES`` table ``cat(driver, label, need, category, lo, hi)``.

    Keys and needs are values (parameters), never SQL text, so any label is safe.
    """
    if not catalogue:
        raise InvalidParameterError("error.catalogue_empty")
    rows = []
    for i, d in enumerate(catalogue):
        names = [f"{prefix}_{part}{i}" for part in ("k", "l", "n", "c", "lo", "hi")]
        for name, value in zip(
            names, (d.key, d.label, d.need, d.category, float(d.scale_min), float(d.scale_max)), strict=True
        ):
            params[name] = value
        rows.append(
            f"(${names[0]}, ${names[1]}, ${names[2]}, ${names[3]}, CAST(${names[4]} AS DOUBLE), CAST(${names[5]} AS DOUBLE))"
        )
    return f"(VALUES {', '.join(rows)}) AS cat(driver, label, need, category, lo, hi)"


def top2_threshold(lo: float, hi: float) -> float:
    """The lowest answer in the top-2 box of a ``lo``-``hi`` scale: the top two points of the scale
    (the top tenth on a 0-100 scale), as :data:`cx_core.drivers.key_drivers.TOP2_SQL`."""
    return hi - (hi - lo) / 10 if hi - lo > 10 else hi - 1
