"""Errors the core raises with a key and values (see :mod:`cx_core.errors`), in plain language."""

MESSAGES = {
    "error.not_a_dimension": {
        "en": "'{name}' is not a column of the loaded data you can filter or group by.",
        "ja": "「{name}」は読み込んだデータの項目ではありません。",
    },
    "error.not_filterable": {
        "en": "'{name}' is not a filterable dimension.",
        "ja": "「{name}」では絞り込みできません。",
    },
    "error.not_a_date": {
        "en": "'{value}' is not a date (YYYY-MM-DD).",
        "ja": "「{value}」は日付（YYYY-MM-DD）ではありません。",
    },
    "error.not_a_choice": {
        "en": "'{value}' is not one of: {choices}.",
        "ja": "「{value}」は選べる値（{choices}）ではありません。",
    },
    "error.unknown_groups": {
        "en": "Choose two groups that exist in the current selection.",
        "ja": "現在の選択範囲にある2つのグループを選んでください。",
    },
    "error.column_name": {
        "en": "A column name must be text without control characters.",
        "ja": "列名は制御文字を含まない文字列にしてください。",
    },
    "error.not_a_column": {
        "en": "'{name}' is not one of the available columns.",
        "ja": "「{name}」は使用できる列ではありません。",
    },
    "error.no_responses": {
        "en": "No survey responses are loaded.",
        "ja": "アンケートの回答が読み込まれていません。",
    },
}
