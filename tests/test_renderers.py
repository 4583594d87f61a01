"""Every report format has exactly one renderer, and each one writes the same analysis."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from roicli.analysis import analyse
from roicli.enums import Lang
from roicli.model import Analysis
from roicli.outputs import RENDERERS, OutputKind, render_output
from roicli.project import load_project
from roicli.render.json import render_json

EXAMPLE = Path(__file__).resolve().parents[1] / "configs" / "roicli.yaml"


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(load_project(EXAMPLE), as_of=date(2026, 10, 31))


def test_the_registry_is_exhaustive() -> None:
    assert set(RENDERERS) == set(OutputKind)


def text_of(kind: OutputKind, data: bytes) -> str:
    """What a report says, as text (a workbook's cells, one per line)."""
    if kind is OutputKind.XLSX:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("kind", list(OutputKind))
def test_each_format_writes_every_objective(analysis: Analysis, kind: OutputKind) -> None:
    data = render_output(kind, analysis, lang=Lang.EN, json_text=render_json(analysis))
    text = text_of(kind, data)
    for _, objective in analysis.objectives():
        assert objective.id in text
    assert "2981.27" in text.replace(",", "") or "2,981.27" in text
