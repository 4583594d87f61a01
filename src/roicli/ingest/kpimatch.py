"""Recognise a configured KPI from the name a data source gives it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from roicli.config import Kpi

_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The form names are compared in: NFC, case-folded, inner spaces collapsed, ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().casefold()


def kpi_lookup(kpis: Mapping[str, Kpi]) -> dict[str, str]:
    """Every key, label and alias of the configured KPIs, in compared form, to the KPI's key."""
    lookup: dict[str, str] = {}
    for key, kpi in kpis.items():
        names: Iterable[str] = (key, *([kpi.label] if kpi.label else []), *kpi.aliases)
        for name in names:
            lookup.setdefault(name_key(name), key)
    # A KPI's own key always wins over another KPI's label or alias of the same spelling.
    lookup.update({name_key(key): key for key in kpis})
    return lookup


def kpi_names(lookup: Mapping[str, str]) -> tuple[str, ...]:
    """The long table's KPI names: every configured KPI key, sorted."""
    return tuple(sorted(set(lookup.values())))


def match_kpi(name: str, kpis: Mapping[str, Kpi]) -> str | None:
    """The configured KPI a data name stands for (by key, label or alias), or None."""
    return kpi_lookup(kpis).get(name_key(name))
