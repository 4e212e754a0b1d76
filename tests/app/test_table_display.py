"""How tables and values are shown (ui/widgets/render.py): key columns first, long text wraps, whole-number NPS,
money with its currency, codes as words, and never "None", "nan" or an empty yes/no column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from cx_core import t
from cx_core.cells import ColumnKind
from cx_core.i18n_format import p_relation
from cx_core.report import Section
from cx_core.report.sections import columns_of
from ui.widgets.render import (
    LONG_TEXT,
    WRAP_ROW_HEIGHT,
    display_frame,
    section_frame,
    table_args,
    value_label,
)

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Group": ["Mid-market", "SMB"],
            "NPS": [23.1734, -13.9],
            "95% CI low": [19.81, -17.52],
            "95% CI high": [26.5, -10.2],
            "Mean (1-5)": [3.4167, 3.1],
            "Small sample": [False, False],
            "ARR": [1454300.0, 19000.0],
            "Why": ["A decision maker is a detractor; Renewal within 90 days; Weighted NPS fell", "x"],
        }
    )


def _format(args: dict, column: str) -> str | None:
    return (args["column_config"][column].get("type_config") or {}).get("format")


def _section() -> Section:
    frame = _groups()
    kinds = {
        "Group": ColumnKind.CODE,
        "NPS": ColumnKind.NPS,
        "95% CI low": ColumnKind.NPS,
        "95% CI high": ColumnKind.NPS,
        "Mean (1-5)": ColumnKind.SCORE,
        "Small sample": ColumnKind.FLAG,
        "ARR": ColumnKind.MONEY,
        "Why": ColumnKind.TEXT,
    }
    return Section("groups", "t", "f", 2, "all", frame, columns=columns_of(frame, kinds))


def test_a_section_table_is_written_by_its_kinds_not_its_headers():
    shown = section_frame(_section(), "en")
    assert list(shown["NPS"]) == ["+23", "-14"]  # 23.17 was shown
    assert list(shown["95% CI low"]) == ["+20", "-18"] and list(shown["Mean (1-5)"]) == ["3.42", "3.10"]
    assert list(shown["ARR (USD)"]) == ["1,454,300", "19,000"]  # money says its currency
    assert "Small sample" not in shown.columns  # no "yes" in it: says nothing


def test_an_empty_yes_no_column_is_left_out_and_a_used_one_kept():
    frame = _groups()
    assert "Small sample" not in table_args(frame, "en")["column_order"]
    frame.loc[1, "Small sample"] = True
    assert "Small sample" in table_args(frame, "en")["column_order"]


def test_missing_values_read_a_dash():
    args = table_args(_groups(), "en")
    assert _format(args, "ARR") == "%,.0f" and _format(args, "Mean (1-5)") == "%.2f"
    assert args["placeholder"] == "—"  # Streamlit writes "None" for a missing value otherwise


def test_long_text_wraps_and_key_columns_lead():
    args = table_args(_groups(), "en", first=["Why", "Group"])
    assert args["column_order"][:2] == ["Why", "Group"]
    assert args["row_height"] == WRAP_ROW_HEIGHT and args["column_config"]["Why"]["width"] == "large"
    short = table_args(pd.DataFrame({"Group": ["a" * LONG_TEXT]}), "en")
    assert "row_height" not in short


def test_codes_read_as_words_in_both_languages():
    assert value_label("use", "en") == "Use" and value_label("renewal", "ja") == "更新"
    assert value_label("feeling_valued", "en") == "Feeling valued"
    assert value_label("Order delivery (use)", "en") == "Order delivery (Use)"
    assert value_label("some_new_code", "en") == "Some new code"
    assert (
        value_label("ACC-0111", "en") == "ACC-0111"
        and value_label("Nippon Logistics 111", "ja") == "Nippon Logistics 111"
    )


def test_display_frame_never_shows_none_or_nan_text():
    frame = pd.DataFrame({"Stage": ["use", None, "nan", "None"], "Score": [1.0, None, 2.0, 3.0]})
    shown = display_frame(frame, "en")
    assert shown["Stage"].tolist()[0] == "Use" and shown["Stage"].iloc[1:].isna().all()


def test_p_values_read_p_less_than_not_p_equals_less_than():
    assert p_relation(0.0004) == "< 0.001" and p_relation(0.0123) == "= 0.012"
    sentence = t("segments.sig_yes", "en", metric="NPS", a="SMB", b="the rest", diff="-34.7", p=p_relation(0.0))
    assert "(p < 0.001)" in sentence and "p = <" not in sentence


def test_metric_cards_define_their_metric_in_both_languages():
    for lang in ("en", "ja"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["app_language"] = lang
        at.run()
        helps = {m.label: m.help for m in at.metric}
        assert helps[t("metric.nps", lang)] == t("metric.nps_help", lang)
        assert helps[t("metric.csat", lang)] == t("metric.csat_help", lang)
        assert helps[t("metric.ces", lang)] == t("metric.ces_help", lang)
        captions = " ".join(c.value for c in at.caption)
        # the top-box share in plain words, in the page's language (not "top-2")
        assert ("top two answers" in captions) == (lang == "en") and "top-2" not in captions
        assert ("上位2つの選択肢" in captions) == (lang == "ja")
