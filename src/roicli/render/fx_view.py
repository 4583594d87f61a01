"""What every report's audit says about an amount converted from another currency."""

from __future__ import annotations

from roicli.enums import Lang
from roicli.i18n import fmt_date, fmt_money, fmt_number, t
from roicli.model import Analysis, Conversion


def conversion_pairs(analysis: Analysis, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) per converted amount: ("Exchange rate · Consultative selling · Content
    licence (amount)", "4,800.00 USD × 0.95 (rate from 1 Jul 2026, for 1 Sep 2026) =
    €4,560.00")."""
    return [
        (
            t("audit.fx_label", lang).format(
                program=item.program, item=item.item, field=item.field
            ),
            conversion_text(item, analysis.currency, lang),
        )
        for item in analysis.audit.conversions
    ]


def conversion_text(item: Conversion, currency: str, lang: Lang) -> str:
    """ "4,800.00 USD × 0.95 (rate from 1 Jul 2026, for 1 Sep 2026) = €4,560.00"."""
    return t("audit.fx", lang).format(
        amount=fmt_money(item.amount, item.currency, lang),
        rate=fmt_number(item.rate, lang, 6),
        rate_from=fmt_date(item.rate_from, lang),
        day=fmt_date(item.day, lang),
        converted=fmt_money(item.converted, currency, lang),
    )
