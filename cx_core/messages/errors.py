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
    "error.driver_no_label": {
        "en": "A driver in the catalogue has no label.",
        "ja": "カタログに名前のないドライバーがあります。",
    },
    "error.driver_no_scale": {
        "en": "The scale of '{driver}' is empty.",
        "ja": "「{driver}」の尺度が空です。",
    },
    "error.catalogue_not_json": {
        "en": "The catalogue file is not valid JSON.",
        "ja": "カタログのファイルが正しいJSONではありません。",
    },
    "error.catalogue_no_drivers": {
        "en": "The catalogue file has no list of drivers.",
        "ja": "カタログのファイルにドライバーの一覧がありません。",
    },
    "error.drivers_need_survey": {
        "en": "Only a survey mapping has drivers.",
        "ja": "ドライバーを持てるのはアンケートの対応付けだけです。",
    },
    "error.catalogue_empty": {"en": "The driver catalogue is empty.", "ja": "ドライバーのカタログが空です。"},
    "error.no_driver_ratings": {
        "en": "No driver ratings are mapped.",
        "ja": "ドライバーの評価項目が対応付けられていません。",
    },
    "error.unknown_account": {
        "en": "This account is not in the loaded CRM file.",
        "ja": "このアカウントは読み込んだCRMファイルにありません。",
    },
    "error.follow_up_no_id": {"en": "A follow-up item needs its id.", "ja": "フォローアップ項目にはIDが必要です。"},
    "error.no_crm": {
        "en": "Load a CRM accounts file (account id, ARR, renewal date, owner) on the Data page to see accounts.",
        "ja": "アカウントを見るには、データページでCRMのアカウントファイル（アカウントID・ARR・更新日・担当者）を読み込んでください。",
    },
}
