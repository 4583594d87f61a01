"""Numbers as exports write them: locale styles, percent, durations, currency, placeholders."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roicli.ingest.numbers import (
    Decimal,
    decide_decimal,
    file_decimal,
    grouping_decimal,
    number_parts,
    proven_decimal,
    thousands_seen,
    to_numbers,
)


def texts(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def read(values: list[str | None], decimal: Decimal) -> list[float]:
    numbers, _ = to_numbers(number_parts(pd.Series(values, dtype="str")), decimal)
    return numbers.tolist()


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1,234.5", ".", 1234.5),
        ("1.234,5", ",", 1234.5),
        ("1 234,5", ",", 1234.5),
        ("1\u00a0234,5", ",", 1234.5),
        ("1\u202f234,5", ",", 1234.5),
        ("1'234.5", ".", 1234.5),
        ("45.67%", ".", 45.67),
        ("99,88%", ",", 99.88),
        ("00:01:23", ".", 83.0),
        ("01:00:00", ",", 3600.0),
        ("US$\u00a00,00", ",", 0.0),
        ("1 234,50 €", ",", 1234.5),
        ("$1,234.50", ".", 1234.5),
        ("EUR 12", ".", 12.0),
        ("12 USD", ".", 12.0),
        ("-1.8", ".", -1.8),
        ("−2.5", ".", -2.5),
        ("(12.5)", ".", -12.5),
        ("-$3.00", ".", -3.0),
        ("1.5e-3", ".", 0.0015),
        ("28.629271", ".", 28.629271),
        (".5", ".", 0.5),
        ("7", ",", 7.0),
    ],
)
def test_reads_every_style(text: str, decimal: Decimal, expected: float) -> None:
    assert read([text], decimal) == [expected]


@pytest.mark.parametrize("text", ["", "--", " --", "-", "(not set)", "n/a", "N/A", None])
def test_placeholders_are_missing_not_zero_nor_bad(text: str | None) -> None:
    parts = number_parts(texts(text))
    numbers, bad = to_numbers(parts, ".")
    assert parts.missing.tolist() == [True]
    assert math.isnan(numbers[0])
    assert bad.tolist() == [False]


@pytest.mark.parametrize("text", ["twelve", "12 clicks", "1.2.3", "(12", "1,5", "12:75:00"])
def test_unreadable_values_are_bad(text: str) -> None:
    numbers, bad = to_numbers(number_parts(texts(text)), ".")
    assert bad.tolist() == [True]
    assert math.isnan(numbers[0])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1.15", "2.546"], "."),  # 1.15 cannot be thousands
        (["1,15", "2,16"], ","),
        (["2.546", "1234"], "."),  # an ungrouped 1234 proves "." is no thousands separator
        (["1.234,5", "12"], ","),
        (["1,234.5", "12"], "."),
        (["2.546", "449"], None),  # fits both readings
        (["1.500"], None),
    ],
)
def test_decides_the_decimal_mark_from_the_column(
    values: list[str], expected: Decimal | None
) -> None:
    assert decide_decimal(number_parts(texts(*values)).core) == expected


def test_grouping_reads_small_plain_integers_beside_grouped_ones_as_thousands() -> None:
    # GA UA en-US "Sessions": "2,533" among integers under 1000.
    assert grouping_decimal(number_parts(texts("2,533", "437", "389")).core) == "."
    assert grouping_decimal(number_parts(texts("2.546", "449")).core) == ","
    assert grouping_decimal(number_parts(texts("1.500", "2.250")).core) is None


def test_file_decimal_votes_with_fully_numeric_columns_only() -> None:
    # GA UA nl-NL: "Pagina's/sessie" and "% nieuwe sessies" prove ","; "Browserversie" is text.
    columns = [texts("1,15", "2,16"), texts("99,88%", "73,05%"), texts("40.0.2214.111", "8.0")]
    assert file_decimal(columns) == ","
    assert file_decimal([texts("a", "b"), texts("", "")]) is None


def test_proven_decimal_needs_exactly_one_reading() -> None:
    assert proven_decimal(number_parts(texts("1,15")).core) == ","
    assert proven_decimal(number_parts(texts("2.546")).core) is None
    assert proven_decimal(number_parts(texts("12")).core) is None


def test_thousands_seen() -> None:
    assert thousands_seen(number_parts(texts("1.234,5")).core, ",") == "."
    assert thousands_seen(number_parts(texts("1\u00a0234,5")).core, ",") == " "
    assert thousands_seen(number_parts(texts("12.5")).core, ".") is None


# pandas calls vary in duration; what these tests check is correctness, not speed.
PROPERTY = settings(deadline=None)

# Property-based: a number written in any locale style reads back to the same value.

STYLES: dict[str, tuple[str, Decimal]] = {
    "en": (",", "."),
    "de": (".", ","),
    "fr": (" ", ","),
    "fr-nbsp": ("\u00a0", ","),
    "fr-narrow": ("\u202f", ","),
    "ch": ("'", "."),
}


def write(whole: int, fraction: str, style: str, grouped: bool) -> str:
    thousands, decimal = STYLES[style]
    digits = f"{whole:,}".replace(",", thousands) if grouped else str(whole)
    return digits + (decimal + fraction if fraction else "")


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, float, str]:
    whole = draw(st.integers(min_value=0, max_value=10**9))
    fraction = draw(st.text(alphabet="0123456789", max_size=4))
    style = draw(st.sampled_from(sorted(STYLES)))
    text = write(whole, fraction, style, grouped=draw(st.booleans()))
    value = float(f"{whole}.{fraction or 0}")
    decoration = draw(st.sampled_from(["", "%", "€", "$", "EUR", "US$"]))
    if decoration == "%":
        text += "%"
    elif decoration in ("€", "EUR"):
        text = f"{text} {decoration}"
    elif decoration:
        text = decoration + ("\u00a0" if decoration == "US$" else "") + text
    negative = draw(st.sampled_from(["", "-", "()"]))
    if negative == "-":
        text, value = "-" + text, -value
    elif negative == "()":
        text, value = f"({text})", -value
    return text, value, style


@PROPERTY
@given(written_numbers())
def test_any_style_reads_back_with_its_decimal_mark(case: tuple[str, float, str]) -> None:
    text, value, style = case
    assert read([text], STYLES[style][1]) == [value]


@PROPERTY
@given(st.lists(written_numbers(), min_size=1, max_size=8), st.sampled_from(sorted(STYLES)))
def test_detection_never_misreads_a_column(cases: list[tuple[str, float, str]], style: str) -> None:
    """Grouped integers alone never prove the wrong mark; with one value that proves the style,
    the detected mark reads the whole column back."""
    thousands, decimal = STYLES[style]
    column = [write(int(abs(v)), "", style, grouped=True) for _, v, _ in cases]
    assert decide_decimal(number_parts(texts(*column)).core) in (None, decimal)
    column.append(f"0{decimal}25")
    detected = decide_decimal(number_parts(texts(*column)).core)
    assert detected == decimal
    numbers, bad = to_numbers(number_parts(texts(*column)), detected)
    assert not bad.any()
    assert numbers.tolist() == [float(int(abs(v))) for _, v, _ in cases] + [0.25]
    assert thousands  # every style groups thousands with something
