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
    "error.weights_file_shape": {
        "en": 'The margins are not in a shape we read: a CSV with the columns column,value,share (or one column per dimension and share), or JSON such as {"segment": {"Enterprise": 0.2, "SMB": 0.8}}.',
        "ja": '母集団の構成比を読み取れません。column,value,share の列を持つCSV（または項目ごとの列と share 列）、あるいは {"segment": {"Enterprise": 0.2, "SMB": 0.8}} のようなJSONにしてください。',
    },
    "error.weights_file_size": {
        "en": "The margins file is too large (at most {limit} KB and 10,000 shares).",
        "ja": "構成比のファイルが大きすぎます（{limit} KB・10,000行まで）。",
    },
    "error.weights_share": {
        "en": "'{value}' is not a share: give a number from 0 to 1 (0.25 for 25 %).",
        "ja": "「{value}」は構成比ではありません。0〜1の数値（25%なら0.25）にしてください。",
    },
    "error.weights_sum": {
        "en": "The shares of {column} add up to {total}, not 1.",
        "ja": "{column}の構成比の合計が1ではなく{total}です。",
    },
    "error.weights_duplicate": {
        "en": "The margins give {column} = '{value}' twice.",
        "ja": "{column}の「{value}」の構成比が2回指定されています。",
    },
    "error.weights_value_absent": {
        "en": "The margins give a share to {column} = '{value}', but the selected answers have none with that value: correct the value, or set its share to 0 and the others to add up to 1.",
        "ja": "{column}の「{value}」に構成比が指定されていますが、選択中の回答にその値はありません。値を直すか、構成比を0にして合計を1にしてください。",
    },
    "error.weights_value_unnamed": {
        "en": "The answers have {column} = '{value}', which the margins give no share: add it (a share of 0 leaves those answers out).",
        "ja": "回答には{column}の「{value}」がありますが、構成比に含まれていません。追加してください（0にするとその回答は除外されます）。",
    },
    "error.weights_no_fit": {
        "en": "The margins cannot all hold at once (after {iterations} rounds the shares were still {gap} away): check that joint and separate margins agree.",
        "ja": "指定された構成比を同時に満たせません（{iterations}回の調整後も差が{gap}残りました）。組み合わせの構成比と個別の構成比が矛盾していないか確認してください。",
    },
}
