"""Encoding, separator, header line and table end of text exports; KPI name matching."""

from __future__ import annotations

import codecs

import pytest
from tests.ingest.conftest import kpis

from roicli.ingest import match_kpi
from roicli.ingest.detect import decode, find_header, guess_header, table_end


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Libellé,Valeur\r\n".encode(), "Libellé,Valeur\n", "utf-8"),
        (codecs.BOM_UTF8 + "Libellé\n".encode(), "Libellé\n", "utf-8-sig"),
        ("Libellé – €\n".encode("cp1252"), "Libellé – €\n", "cp1252"),
        (b"Libell\xe9 \x81\n", "Libellé \x81\n", "latin-1"),  # 0x81 is not cp1252
        ("Date\tValue\n".encode("utf-16"), "Date\tValue\n", "utf-16"),
    ],
)
def test_decode_tries_bom_then_utf8_then_cp1252_then_latin1(
    data: bytes, text: str, encoding: str
) -> None:
    assert decode(data) == (text, encoding)


def test_decode_honours_an_override() -> None:
    assert decode("é".encode("cp1252"), "latin-1") == ("é", "latin-1")
    with pytest.raises(UnicodeDecodeError):
        decode(b"\xe9", "utf-8")


GA4 = """# ----------------------------------------
# Reports snapshot
# Start date: 20250101
# End date: 20251231
Nth week,Active users
0000,13
0001,22

# Start date: 20250101
# End date: 20251231
Nth week,New users
0000,13
"""


def test_header_is_the_first_line_holding_the_mapped_columns() -> None:
    header = find_header(GA4, ["nth WEEK", "New users"])
    assert header is not None
    assert (header.line, header.delimiter, header.names) == (11, ",", ("Nth week", "New users"))
    assert header.start_date == "20250101"
    assert GA4[header.offset :].startswith("Nth week,New users")


def test_a_stacked_table_ends_at_the_blank_line_before_the_next_block() -> None:
    header = find_header(GA4, ["Nth week"])
    assert header is not None
    assert header.line == 5
    table = GA4[header.offset : table_end(GA4, header)]
    assert table == "Nth week,Active users\n0000,13\n0001,22\n"


def test_a_table_goes_on_after_a_blank_line_followed_by_rows_of_the_same_width() -> None:
    text = "Date,Clicks\n2026-01-01,1\n\n2026-01-02,2\n\nDagindex,Sessies,Extra\n1,2,3\n"
    header = find_header(text, ["date"])
    assert header is not None
    assert text[: table_end(text, header)] == "Date,Clicks\n2026-01-01,1\n\n2026-01-02,2\n"


def test_blank_lines_inside_quotes_do_not_end_a_table() -> None:
    text = 'Date,Note\n2026-01-01,"one\n\n# two"\n2026-01-02,x\n'
    header = find_header(text, ["Date"])
    assert header is not None
    assert table_end(text, header) == len(text)


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("Date,Clicks,Impressions", ","),
        ("Date;Clicks;Impressions", ";"),
        ("Date\tClicks\tImpressions", "\t"),
        ('"Date";"Clicks";"Impressions"', ";"),
        ('Date,"Clicks; all",Impressions', ","),
    ],
)
def test_separator_is_the_one_that_splits_the_header_into_the_mapped_columns(
    line: str, delimiter: str
) -> None:
    preamble = 'Report, with commas; and semicolons\n"January 20, 2026 - January 21, 2026"\n'
    header = find_header(preamble + line + "\n1,2,3\n", ["date", "impressions"])
    assert header is not None
    assert (header.line, header.delimiter) == (3, delimiter)


def test_skip_rows_points_at_the_header() -> None:
    text = "Date,X\nnoise\nDate,Clicks\n"
    header = find_header(text, ["Date"], skip_rows=2)
    assert header is not None
    assert header.line == 3
    assert find_header(text, ["Date"], skip_rows=1) is None


def test_guess_header_names_the_likeliest_line() -> None:
    text = 'Ad report\n"January 20, 2026 - January 21, 2026"\nAd status,Cost,Impr.\nA,1,2\n'
    guess = guess_header(text, ["Day", "Cost"])
    assert guess is not None
    assert (guess.line, guess.names) == (3, ("Ad status", "Cost", "Impr."))
    plain = guess_header("a;b;c\n1;2;3\n", ["Day"])
    assert plain is not None
    assert plain.names == ("a", "b", "c")
    assert guess_header("# only comments\n", ["Day"]) is None


CONFIGURED = kpis(
    qualified_leads={"label": "Qualified leads", "aliases": ["Leads qualifiés", "MQL"]},
    sessions={"aliases": ["Sessies"]},
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("qualified_leads", "qualified_leads"),
        ("  QUALIFIED_LEADS ", "qualified_leads"),
        ("Qualified leads", "qualified_leads"),
        ("qualified  leads", "qualified_leads"),
        ("LEADS QUALIFIÉS", "qualified_leads"),
        ("Leads qualifie\u0301s", "qualified_leads"),  # decomposed accent
        ("mql", "qualified_leads"),
        ("Sessies\u00a0", "sessions"),
        ("Leads qualifies", None),  # accents are not ignored
        ("Sessions total", None),
    ],
)
def test_match_kpi_by_key_label_or_alias(name: str, expected: str | None) -> None:
    assert match_kpi(name, CONFIGURED) == expected


def test_a_key_wins_over_another_kpis_alias() -> None:
    configured = kpis(leads={"aliases": ["mql"]}, mql={})
    assert match_kpi("MQL", configured) == "mql"


def test_header_names_match_across_no_break_spaces() -> None:
    header = find_header("Mois,Leads\u00a0qualifiés\n", ["Leads qualifiés"])
    assert header is not None
    assert header.names == ("Mois", "Leads\u00a0qualifiés")
