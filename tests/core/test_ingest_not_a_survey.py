"""Files that are not surveys get one clear sentence (EN/JA) naming the columns seen; a survey
with only a comment, or only a score, is still a survey (the minimum the mapping follows too)."""

from __future__ import annotations

import pytest

from cx_core.ingest import NotASurveyError, load_inputs, preview_upload

# The layout of a Shopify product export (its documented CSV template) with made-up products.
SHOPIFY_HEADER = (
    "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,"
    "Variant Grams,Variant Inventory Qty,Variant Price,Image Src,Status"
)
PRODUCTS = [
    ("desk-lamp", "Desk lamp", "<p>Adjustable arm, warm LED light for long evenings.</p>", "Lights", "12", "34.00"),
    (
        "office-chair",
        "Office chair",
        "<p>Ergonomic chair with lumbar support and armrests.</p>",
        "Seats",
        "7",
        "189.00",
    ),
    ("mug", "Ceramic mug", "<p>Holds 350 ml, dishwasher safe, matte glaze finish.</p>", "Kitchen", "240", "6.50"),
    ("kettle", "Kettle", "<p>1.7 litre kettle with keep-warm mode and filter.</p>", "Kitchen", "31", "45.00"),
]
FACILITIES = (
    "Facility ID,Facility Name,Address,City,State,ZIP Code,Phone Number,Beds\n"
    "F001,St Mary Hospital,12 Main St,Springfield,IL,62701,217-555-0100,250\n"
    "F002,County Clinic,400 Oak Ave,Peoria,IL,61602,309-555-0101,40\n"
    "F003,Lakeside Care Center,9 Lake Rd,Chicago,IL,60601,312-555-0102,120\n"
    "F004,Valley Medical,77 Hill St,Urbana,IL,61801,217-555-0103,8\n"
)


def _catalogue() -> bytes:
    lines = [SHOPIFY_HEADER]
    for handle, title, body, kind, qty, price in PRODUCTS:
        lines.append(f'{handle},{title},"{body}",Acme,{kind},,TRUE,Title,Default,{handle}-1,500,{qty},{price},,active')
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("name", "data", "columns"),
    [
        ("products_export.csv", _catalogue(), SHOPIFY_HEADER.split(",")),
        ("facilities.csv", FACILITIES.encode(), FACILITIES.splitlines()[0].split(",")),
    ],
)
def test_not_a_survey_is_one_sentence_naming_the_columns(name, data, columns):
    with pytest.raises(NotASurveyError) as caught:
        load_inputs(data, name)
    error = caught.value
    assert error.code == "not_a_survey" and error.warning.code == "not_a_survey"
    assert list(error.warning.columns) == columns
    english = str(error)
    assert english.startswith(f"{name} does not look like a survey: no score or comment column was found.")
    assert ", ".join(columns[:12]) in english and "\n" not in english
    japanese = error.text("ja")
    assert "アンケートではないようです" in japanese and columns[0] in japanese
    with pytest.raises(NotASurveyError):
        preview_upload(data, name)  # the Data page says it before asking for a mapping


def test_comments_only_file_is_a_survey():
    data = b"id,What could we do better?\n1,Faster delivery please\n2,Clearer invoices\n3,Nothing\n"
    table = preview_upload(data, "reviews.csv")[0]
    assert table.mapping.fields["comment"] == "What could we do better?"


def test_a_file_with_a_rating_column_is_not_refused():
    data = b"Ref,Score\nA,9\nB,3\nC,7\nD,10\n"
    preview, _ = preview_upload(data, "ratings.csv")  # a bare 0-10 column: asked about, not refused
    assert preview.columns == ["Ref", "Score"]
