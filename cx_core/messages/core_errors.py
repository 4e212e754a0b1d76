"""Errors of reading files, of the workspace store and of the command line, as message keys.

The English texts are the sentences these errors carried before they had keys (scripts and logs
read the same words); :mod:`cx_core.errors` words them in the reader's language at the edge.
"""

MESSAGES = {
    # parts of sentences (cx_core.errors.Phrase)
    "error.kind_survey": {"en": "survey", "ja": "アンケート"},
    "error.kind_crm": {"en": "CRM", "ja": "CRM"},
    "error.kind_cases": {"en": "support cases", "ja": "サポートケース"},
    "error.kind_mapping": {"en": "mapping", "ja": "マッピング"},
    "error.kind_workspace": {"en": "workspace", "ja": "ワークスペース"},
    "error.binary_png": {"en": "a PNG image", "ja": "PNG 画像"},
    "error.binary_jpeg": {"en": "a JPEG image", "ja": "JPEG 画像"},
    "error.binary_gif": {"en": "a GIF image", "ja": "GIF 画像"},
    "error.binary_pdf": {"en": "a PDF document", "ja": "PDF 文書"},
    "error.binary_gzip": {"en": "a gzip archive", "ja": "gzip 圧縮ファイル"},
    "error.binary_7z": {"en": "a 7-Zip archive", "ja": "7-Zip 圧縮ファイル"},
    "error.binary_rar": {"en": "a RAR archive", "ja": "RAR 圧縮ファイル"},
    "error.binary_old_office": {
        "en": "an old Excel (.xls) or Word file: save it as .xlsx or CSV",
        "ja": "古い形式の Excel（.xls）か Word のファイル（.xlsx か CSV で保存し直してください）",
    },
    "error.binary_media": {"en": "a media file", "ja": "音声・動画ファイル"},
    "error.binary_icon": {"en": "an icon image", "ja": "アイコン画像"},
    "error.binary_tiff": {"en": "a TIFF image", "ja": "TIFF 画像"},
    # reading files (cx_core.ingest)
    "error.file_empty": {"en": "The file is empty.", "ja": "ファイルが空です。"},
    "error.file_too_big": {
        "en": "The file is {size_mb} MB; the limit on this server is {limit_mb} MB. Export fewer columns or a "
        "shorter period, or ask whoever runs the server to raise CX_UPLOAD_MAX_MB.",
        "ja": "ファイルは {size_mb} MB あり、このサーバーの上限は {limit_mb} MB です。列を減らすか期間を短くして"
        "書き出すか、サーバーの管理者に CX_UPLOAD_MAX_MB を上げるよう依頼してください。",
    },
    "error.file_looks_like": {
        "en": "This file looks like {what}, not a CSV or Excel export.",
        "ja": "このファイルは{what}のようです。CSV か Excel の書き出しではありません。",
    },
    "error.file_binary": {
        "en": "This file contains binary data, not text: export it as CSV or XLSX.",
        "ja": "このファイルはテキストではなくバイナリデータです。CSV か XLSX で書き出してください。",
    },
    "error.file_unclosed_quote": {
        "en": "The file could not be read as a table (a quote is never closed).",
        "ja": "ファイルを表として読めませんでした（引用符が閉じられていません）。",
    },
    "error.file_no_columns": {"en": "The file has no columns.", "ja": "ファイルに列がありません。"},
    "error.file_no_rows": {
        "en": "The file has a header but no data rows.",
        "ja": "ファイルには見出し行だけがあり、データの行がありません。",
    },
    "error.xlsx_unreadable": {
        "en": "This file is not a readable Excel workbook (.xlsx): save it again as .xlsx or CSV.",
        "ja": "このファイルは読める Excel ブック（.xlsx）ではありません。.xlsx か CSV で保存し直してください。",
    },
    "error.xlsx_broken": {
        "en": "This Excel workbook could not be read: save it again as .xlsx or CSV.",
        "ja": "この Excel ブックを読めませんでした。.xlsx か CSV で保存し直してください。",
    },
    "error.xlsx_no_sheets": {"en": "The workbook has no worksheets.", "ja": "ブックにワークシートがありません。"},
    "error.xlsx_no_sheet_named": {
        "en": "The workbook has no sheet named '{sheet}'.",
        "ja": "ブックに「{sheet}」という名前のシートはありません。",
    },
    "error.xlsx_sheet_broken": {
        "en": "This Excel sheet could not be read: save it again as .xlsx or CSV.",
        "ja": "この Excel シートを読めませんでした。.xlsx か CSV で保存し直してください。",
    },
    "error.xlsx_sheet_empty": {"en": "The sheet '{sheet}' is empty.", "ja": "シート「{sheet}」は空です。"},
    "error.row_accounting": {
        "en": "Internal error: the row accounting of the file does not add up.",
        "ja": "内部エラー：ファイルの行数の集計が合いません。",
    },
    "error.nothing_loaded": {
        "en": "None of the {rows} rows of the {what} file could be loaded.{reason} Check the column mapping.",
        "ja": "{what}ファイルの {rows} 行をどれも読み込めませんでした。{reason}列の対応付けを確認してください。",
    },
    "error.most_common_reason": {
        "en": " Most common reason: {reason} ({count} rows).",
        "ja": "最も多い理由：{reason}（{count} 行）。",
    },
    "error.cases_no_account": {
        "en": "The support cases file has no account id column (AccountId, Associated Company ID, "
        "Organization...): cases cannot be joined to accounts.",
        "ja": "サポートケースのファイルに取引先IDの列（AccountId、Associated Company ID、Organization など）が"
        "ありません。ケースを取引先に結び付けられません。",
    },
    "error.mapping_not_json": {
        "en": "The mapping file is not valid JSON.",
        "ja": "マッピングファイルが正しい JSON ではありません。",
    },
    "error.mapping_invalid": {
        "en": "The mapping file is not a valid mapping.",
        "ja": "マッピングファイルの内容が正しくありません。",
    },
    "error.mapping_invalid_parts": {
        "en": "The mapping file is not a valid mapping (expected kind, fields and drivers).",
        "ja": "マッピングファイルの内容が正しくありません（kind、fields、drivers が必要です）。",
    },
    "error.mapping_missing_columns": {
        "en": "The mapping names column(s) not in the file: {columns}",
        "ja": "マッピングにファイルにない列があります：{columns}",
    },
    "error.mapping_no_metric": {
        "en": "No score or comment column is mapped: choose at least one score (NPS, CSAT, CES or another "
        "rating) or one open-text comment column.",
        "ja": "スコアの列もコメントの列も対応付けられていません。スコア（NPS、CSAT、CES などの評価）か"
        "自由回答のコメントの列を少なくとも1つ選んでください。",
    },
    "error.mapping_no_account": {
        "en": "Choose which CRM column holds the account id.",
        "ja": "CRM のどの列が取引先IDかを選んでください。",
    },
    "error.unknown_need": {"en": "'{need}' is not a known need.", "ja": "「{need}」は既知のニーズではありません。"},
    "error.not_a_driver_column": {
        "en": "'{column}' is not a driver column.",
        "ja": "「{column}」はドライバーの列ではありません。",
    },
    # the workspace store (cx_core.store)
    "error.store_unreachable": {
        "en": "The workspace store cannot be reached.",
        "ja": "ワークスペースの保存先に接続できません。",
    },
    "error.store_data_dir": {
        "en": "The data folder '{path}' cannot be created.",
        "ja": "データフォルダー「{path}」を作成できません。",
    },
    "error.store_database_url": {
        "en": "The database URL (CX_DATABASE_URL) cannot be used.",
        "ja": "データベースの URL（CX_DATABASE_URL）を使用できません。",
    },
    "error.store_no_workspace": {"en": "There is no workspace '{ref}'.", "ja": "ワークスペース「{ref}」はありません。"},
    "error.store_workspace_name": {"en": "A workspace needs a name.", "ja": "ワークスペースには名前が必要です。"},
    "error.store_workspace_exists": {
        "en": "A workspace named '{name}' exists already.",
        "ja": "「{name}」という名前のワークスペースはすでにあります。",
    },
    "error.store_owner_only": {
        "en": "Only the workspace's owner may do this.",
        "ja": "この操作はワークスペースの所有者だけが行えます。",
    },
    "error.store_done_flag": {"en": "'done' must be true or false.", "ja": "「done」は true か false にしてください。"},
    "error.store_due_date": {"en": "The due date must be a date.", "ja": "期限は日付にしてください。"},
    "error.store_item_id": {"en": "A follow-up item needs its id.", "ja": "フォローアップ項目には ID が必要です。"},
    "error.store_follow_up_conflict": {
        "en": "Someone else saved this item while you were editing it; nothing was overwritten.",
        "ja": "編集中に他の人がこの項目を保存しました。何も上書きしていません。",
    },
    "error.store_follow_up_busy": {
        "en": "The follow-up item could not be saved: it kept changing. Try again.",
        "ja": "フォローアップ項目を保存できませんでした（変更が続いています）。もう一度お試しください。",
    },
    "error.store_no_follow_up_item": {
        "en": "The workspace '{name}' has no follow-up item '{item}'.",
        "ja": "ワークスペース「{name}」にフォローアップ項目「{item}」はありません。",
    },
    "error.store_codebook_conflict": {
        "en": "Someone else changed the codebook since this edit started; nothing was overwritten.",
        "ja": "この編集を始めた後に他の人がコードブックを変更しました。何も上書きしていません。",
    },
    "error.store_codebook_undo_conflict": {
        "en": "Someone else changed the codebook since; nothing was undone.",
        "ja": "その後に他の人がコードブックを変更しました。何も元に戻していません。",
    },
    "error.datasets_options_json": {
        "en": "CX_DATASETS_OPTIONS is not valid JSON.",
        "ja": "CX_DATASETS_OPTIONS が正しい JSON ではありません。",
    },
    "error.datasets_options_object": {
        "en": "CX_DATASETS_OPTIONS must be a JSON object.",
        "ja": "CX_DATASETS_OPTIONS は JSON オブジェクトにしてください。",
    },
    "error.dataset_location": {
        "en": "The data set location '{location}' cannot be used: {reason}",
        "ja": "データセットの保存先「{location}」を使用できません：{reason}",
    },
    "error.dataset_save": {"en": "The data set could not be saved.", "ja": "データセットを保存できませんでした。"},
    "error.dataset_missing": {
        "en": "The workspace's data set is missing or damaged.",
        "ja": "ワークスペースのデータセットが見つからないか、壊れています。",
    },
    "error.dataset_list": {
        "en": "The data sets could not be listed.",
        "ja": "データセットの一覧を取得できませんでした。",
    },
    "error.dataset_delete": {"en": "The data set could not be deleted.", "ja": "データセットを削除できませんでした。"},
    # the command line (cx_core.cli and its subcommands)
    "error.cli_file_missing": {
        "en": "The {what} file '{path}' does not exist.",
        "ja": "{what}のファイル「{path}」がありません。",
    },
    "error.cli_path_is_folder": {
        "en": "The {what} path '{path}' is a folder, not a file.",
        "ja": "{what}のパス「{path}」はファイルではなくフォルダーです。",
    },
    "error.cli_file_unreadable": {
        "en": "The {what} file '{path}' cannot be read.",
        "ja": "{what}のファイル「{path}」を読み込めません。",
    },
    "error.cli_report_suffix": {
        "en": "The report file must end in .html or .pptx, not '{suffix}'.",
        "ja": "レポートのファイル名は .html か .pptx で終わる必要があります（「{suffix}」は使えません）。",
    },
    "error.cli_report_unwritable": {
        "en": "The report cannot be written to '{path}'.",
        "ja": "レポートを「{path}」に書き込めません。",
    },
    "error.cli_codebook_unreadable": {
        "en": "The codebook file '{path}' cannot be read.",
        "ja": "コードブックのファイル「{path}」を読み込めません。",
    },
    "error.cli_codebook_unwritable": {
        "en": "The codebook cannot be written to '{path}'.",
        "ja": "コードブックを「{path}」に書き込めません。",
    },
    "error.cli_codebook_source": {
        "en": "Give --survey FILE (a proposal for that data) or --workspace NAME (its saved codebook).",
        "ja": "--survey FILE（そのデータからの提案）か --workspace NAME（保存したコードブック）を指定してください。",
    },
    "error.cli_weights_both": {
        "en": "Give either --weight-by or --weights, not both.",
        "ja": "--weight-by と --weights はどちらか一方だけを指定してください。",
    },
}
