"""Messages of issue 21's first visit: a page that failed, a draft that cannot be opened."""

MESSAGES = {
    "guard.failed": {
        "en": "This page could not be drawn with the data in use. Nothing you loaded is lost; go back to the "
        "Data page to check the mapping, or open the sample data.",
        "ja": "現在のデータではこのページを表示できませんでした。読み込んだデータは失われていません。"
        "データページに戻ってマッピングを確認するか、サンプルデータを開いてください。",
    },
    "guard.to_data": {"en": "Back to the Data page", "ja": "データページに戻る"},
    "guard.sample": {"en": "Open the sample data instead", "ja": "代わりにサンプルデータを開く"},
    "guard.delete_draft": {
        "en": "Delete this draft (the unnamed copy of your upload that this link reopens)",
        "ja": "この下書きを削除する（このリンクで開き直される、アップロードの名前のないコピー）",
    },
    "guard.draft_deleted": {
        "en": "The draft was deleted; the sample data is shown. Upload the file again on the Data page.",
        "ja": "下書きを削除しました。サンプルデータを表示しています。データページでファイルをもう一度アップロードしてください。",
    },
    "guard.link_failed": {
        "en": "The workspace of this link could not be opened; the sample data is shown instead.",
        "ja": "このリンクのワークスペースを開けませんでした。代わりにサンプルデータを表示しています。",
    },
    "error.nothing_to_show": {
        "en": "The data in use has no answers to show here.",
        "ja": "現在のデータには、ここに表示できる回答がありません。",
    },
    "segments.no_groupings": {
        "en": "Your data has no column to group answers by (segment, role, region, or another column with a few "
        "repeating values). On the Data page, pick such a column as a grouping, or load a CRM file with segments.",
        "ja": "回答をグループ分けする列（セグメント、役割、地域、または少数の値が繰り返される列）がデータにありません。"
        "データページでそのような列をグループとして選ぶか、セグメントを含むCRMファイルを読み込んでください。",
    },
    "overview.caption_accounts": {
        "en": "{responses} responses from {accounts} accounts",
        "ja": "{accounts}社・{responses}件の回答",
    },
    "overview.caption_responses": {"en": "{responses} responses", "ja": "{responses}件の回答"},
    "overview.caption_days": {"en": "{first} to {last}", "ja": "{first} 〜 {last}"},
    "overview.caption_no_dates": {"en": "no answer dates in the data", "ja": "回答日のデータなし"},
    "overview.caption_filters": {"en": "filters: {filters}", "ja": "フィルター: {filters}"},
    "themes.engine_offline": {"en": "offline", "ja": "オフライン"},
    # decoding repairs counted per character (cx_core/ingest/decode.py); lines have "ingest.repair.lines"
    "ingest.repair.cp850_chars": {
        "en": "{n:,} letter(s) typed on a DOS machine (code page 850) read as such inside Windows-1252 lines",
        "ja": "Windows-1252 の行の中にある DOS (コードページ 850) の文字 {n:,} 件をその文字として読み込み",
    },
    "ingest.repair.cp1252_chars": {
        "en": "{n:,} Windows-1252 character(s) inside UTF-8 lines read as such",
        "ja": "UTF-8 の行の中にある Windows-1252 の文字 {n:,} 件をその文字として読み込み",
    },
    "data.kind_survey": {"en": "Survey", "ja": "アンケート"},
    "data.kind_crm": {"en": "CRM", "ja": "CRM"},
    "data.kind_cases": {"en": "Support cases", "ja": "サポートケース"},
    "field.role_label": {"en": "Role as written in the file", "ja": "ファイル上の役職の表記"},
    "field.source_row": {"en": "Row in your file", "ja": "ファイルの行番号"},
    "data.driver_label": {"en": "Shown as", "ja": "表示名"},
    "drivers.one_rating": {
        "en": "Key drivers explain a score with the other ratings, and this data has one rating only. On the Data "
        "page, map the NPS, CSAT or CES column (a 0-10 'score' may be the NPS), or more rating columns.",
        "ja": "キードライバーは、あるスコアを他の評価項目で説明します。このデータには評価項目が1つしかありません。"
        "データページでNPS・CSAT・CESの列（0〜10の「score」はNPSかもしれません）や、ほかの評価項目の列を対応付けてください。",
    },
}
