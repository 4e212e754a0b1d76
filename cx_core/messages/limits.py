"""Messages of the read limits (cx_core.ingest.limits) and of broken files found while reading."""

MESSAGES = {
    # FileLimitError keys: one sentence each, naming the limit and what to do
    "limits.columns": {
        "en": "{file} has {found:,} columns, more than the {limit:,} one file may have on this server: export only "
        "the questions you need, or ask whoever runs the server to raise CX_READ_MAX_COLUMNS.",
        "ja": "{file} には {found:,} 列あり、このサーバーで1つのファイルに読める上限（{limit:,} 列）を超えています。"
        "必要な設問だけを出力するか、サーバーの管理者に CX_READ_MAX_COLUMNS を上げるよう依頼してください。",
    },
    "limits.rows": {
        "en": "{file} has more than {limit:,} rows, the most one file may have on this server: export a shorter "
        "period or split the file, or ask whoever runs the server to raise CX_READ_MAX_ROWS.",
        "ja": "{file} は {limit:,} 行を超えており、このサーバーで1つのファイルに読める上限を超えています。"
        "期間を短くして出力するかファイルを分けるか、サーバーの管理者に CX_READ_MAX_ROWS を上げるよう依頼してください。",
    },
    "limits.cells": {
        "en": "{file} has {found:,} cells (rows × columns), more than the {limit:,} one file may have on this "
        "server: export fewer columns or a shorter period, or ask whoever runs the server to raise "
        "CX_READ_MAX_CELLS.",
        "ja": "{file} のセル数（行×列）は {found:,} で、このサーバーで1つのファイルに読める上限（{limit:,}）を"
        "超えています。列を減らすか期間を短くして出力するか、サーバーの管理者に CX_READ_MAX_CELLS を上げるよう"
        "依頼してください。",
    },
    "limits.bytes": {
        "en": "{file} unpacks to {found:,} MB, more than the {limit:,} MB one file may hold on this server: export "
        "fewer rows or columns (CSV is smaller), or ask whoever runs the server to raise CX_READ_MAX_MB.",
        "ja": "{file} は展開すると {found:,} MB になり、このサーバーで1つのファイルに読める上限（{limit:,} MB）を"
        "超えています。行や列を減らして出力する（CSV の方が小さくなります）か、サーバーの管理者に "
        "CX_READ_MAX_MB を上げるよう依頼してください。",
    },
    "limits.ratio": {
        "en": "{file} is packed {found:,} times, far more than a real export (the limit is {limit:,} times), as "
        "files made to exhaust a server are: save it again from Excel or as CSV, or ask whoever runs the server "
        "to raise CX_READ_MAX_RATIO.",
        "ja": "{file} は {found:,} 倍に圧縮されており、通常の出力ファイル（上限 {limit:,} 倍）をはるかに超えています"
        "（サーバーを停止させる目的のファイルと同じ特徴です）。Excel で保存し直すか CSV で出力するか、"
        "サーバーの管理者に CX_READ_MAX_RATIO を上げるよう依頼してください。",
    },
    # InputWarning codes found while reading
    "ingest.warning.unclosed_quote": {
        "en": "{file}: a quote opened on line {line:,} (row {row:,}) is never closed; it was read as a character "
        "so the rows after it load, but check that row and fix the quote in the file.",
        "ja": "{file}: {line:,} 行目（{row:,} 番目の行）で開いた引用符が閉じられていません。後続の行を読み込めるよう"
        "引用符は文字として読みましたが、その行を確認し、ファイルの引用符を直してください。",
    },
    "ingest.warning.duplicate_header": {
        "en": "{file} has {count:,} columns headed '{header}'; {field} is read from '{column}' and {others} "
        "kept as other columns: check which one is meant and change the mapping if it is another.",
        "ja": "{file} には見出しが「{header}」の列が {count:,} 列あります。{field} は「{column}」から読み、{others} は"
        "別の列として残しました。どの列が正しいか確認し、違う場合はマッピングを変えてください。",
    },
}
