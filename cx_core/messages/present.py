"""Messages of presenting and sharing: presenter mode, exports, reports, workspace files."""

MESSAGES = {
    "present.switch": {"en": "Presenter mode", "ja": "プレゼンモード"},
    "present.switch_help": {
        "en": "Hides the controls, enlarges charts and text, and shows one insight per screen. The link keeps it on.",
        "ja": "操作部品を隠し、グラフと文字を大きくして、1画面に1つの示唆を表示します。リンクにも保存されます。",
    },
    "present.exit": {"en": "Exit presenter mode", "ja": "プレゼンモードを終了"},
    "present.previous": {"en": "← Previous", "ja": "← 前へ"},
    "present.next": {"en": "Next →", "ja": "次へ →"},
    "present.position": {"en": "{current} of {total}", "ja": "{current} / {total}"},
    "present.filters_all": {"en": "all responses", "ja": "全回答"},
    "present.chart_title": {"en": "{finding} ({detail})", "ja": "{finding}（{detail}）"},
    "present.footer": {
        "en": "Filters: {filters} · data as of {date} (answers {dates}) · n = {n}",
        "ja": "フィルター: {filters} · データ基準日 {date}（回答期間 {dates}） · n = {n}",
    },
    "present.generated": {"en": "Report generated on {date}", "ja": "レポート作成日 {date}"},
    "present.report_title": {"en": "Customer experience report", "ja": "顧客体験（CX）レポート"},
    "present.rows_cut": {
        "en": "First {shown} of {total} rows; the full table is in the CSV/XLSX export.",
        "ja": "{total}行のうち先頭{shown}行を表示しています。全行はCSV/XLSXで出力できます。",
    },
    "present.chart_failed": {
        "en": "This chart could not be drawn; its numbers are in the table.",
        "ja": "このグラフは描画できませんでした。数値は表をご覧ください。",
    },
    "present.col_metric": {"en": "Metric", "ja": "指標"},
    "present.col_score": {"en": "Score", "ja": "スコア"},
    "present.col_top2": {"en": "Top-2 box (%)", "ja": "上位2段階の割合 (%)"},
    "present.small_tag": {"en": "small n", "ja": "少数"},
    "present.headline_title": {"en": "NPS is {nps}", "ja": "NPSは{nps}"},
    "present.headline_finding": {
        "en": "NPS {nps} ({ci}) from {n} answers across {accounts} accounts.",
        "ja": "NPSは{nps}（{ci}）。{accounts}社・{n}件の回答に基づきます。",
    },
    "present.split_finding": {
        "en": "{promoters} are promoters and {detractors} are detractors",
        "ja": "推奨者は{promoters}、批判者は{detractors}",
    },
    "present.distribution_finding": {
        "en": "The most common answer is {score} ({count} answers)",
        "ja": "最も多い回答は{score}（{count}件）",
    },
    "present.group_finding": {
        "en": "{best} leads at {best_nps}; {worst} trails at {worst_nps} ({gap} points apart)",
        "ja": "{best}が{best_nps}で最も高く、{worst}が{worst_nps}で最も低い（差{gap}ポイント）",
    },
    "present.group_no_clear_gap": {
        "en": "No clear gap: {best} at {best_nps} and {worst} at {worst_nps} are within the margin of error",
        "ja": "明確な差はありません: {best}（{best_nps}）と{worst}（{worst_nps}）の差は誤差の範囲内です",
    },
    "present.group_too_few": {
        "en": "Fewer than two groups have {min_n} answers or more: no ranking",
        "ja": "回答{min_n}件以上のグループが2つ未満のため、順位付けしません",
    },
    "present.download_png": {"en": "PNG", "ja": "PNG"},
    "present.download_svg": {"en": "SVG", "ja": "SVG"},
    "present.download_csv": {"en": "CSV", "ja": "CSV"},
    "present.download_xlsx": {"en": "Excel", "ja": "Excel"},
    "present.download_chart": {"en": "Download chart", "ja": "グラフを保存"},
    "present.download_table": {"en": "Download table", "ja": "表を保存"},
    "present.report_heading": {"en": "Share this view", "ja": "この画面を共有"},
    "present.report_help": {
        "en": "A report of the current view with the filters, data date and n on every page.",
        "ja": "現在の画面のレポートです。各ページにフィルター・データ基準日・nを記載します。",
    },
    "present.report_html": {"en": "Report (HTML)", "ja": "レポート（HTML）"},
    "present.report_pptx": {"en": "Report (PowerPoint)", "ja": "レポート（PowerPoint）"},
    "present.link_help": {
        "en": "The address in your browser keeps this page, the filters, the language and presenter mode: copy it to share the view.",
        "ja": "ブラウザのアドレスに、このページ・フィルター・言語・プレゼンモードが保存されます。コピーして共有できます。",
    },
    "present.section_table": {"en": "Numbers", "ja": "数値"},
    # workspace files
    "present.ws_heading": {"en": "Save or reopen a workspace", "ja": "ワークスペースの保存と再開"},
    "present.ws_help": {
        "en": "One file with the loaded data, mapping, driver catalogue, role weights and follow-up notes. Open it later to continue.",
        "ja": "読み込んだデータ、項目の対応付け、ドライバー定義、役割の重み、フォローアップメモを1つのファイルに保存します。後で開いて続きから作業できます。",
    },
    "present.ws_download": {"en": "Save workspace", "ja": "ワークスペースを保存"},
    "present.ws_upload": {"en": "Open a saved workspace (.cxw)", "ja": "保存したワークスペース（.cxw）を開く"},
    "present.ws_open_button": {"en": "Open workspace", "ja": "ワークスペースを開く"},
    "present.ws_opened": {
        "en": "Workspace opened: {responses} responses, saved on {saved}.",
        "ja": "ワークスペースを開きました: 回答{responses}件（保存日 {saved}）。",
    },
    "present.ws_dataset": {"en": "saved workspace", "ja": "保存したワークスペース"},
    "present.ws_not_zip": {
        "en": "This file is not a saved workspace (expected a .cxw file saved from the Data page).",
        "ja": "このファイルは保存されたワークスペースではありません（データページで保存した .cxw ファイルを選んでください）。",
    },
    "present.ws_corrupt": {
        "en": "The workspace file is damaged or incomplete ({detail}). Save it again from the app.",
        "ja": "ワークスペースファイルが壊れているか不完全です（{detail}）。アプリからもう一度保存してください。",
    },
    "present.ws_version": {
        "en": "This workspace was saved by a newer version of the app (format {version}); update the app to open it.",
        "ja": "このワークスペースは新しいバージョンのアプリで保存されています（形式 {version}）。アプリを更新してから開いてください。",
    },
    "present.ws_too_big": {
        "en": "The workspace file is too large to open (more than {limit} MB once unpacked).",
        "ja": "ワークスペースファイルが大きすぎて開けません（展開後 {limit} MB 超）。",
    },
    "present.filters_responses": {"en": "{label} ({n} respondents)", "ja": "{label}（回答者 {n} 人）"},
    "present.notes_moved": {
        "en": "Notes on this slide are in the speaker notes.",
        "ja": "このスライドの注記はスピーカーノートにあります。",
    },
    "present.more_rows": {
        "en": "Shown: the first {shown} of this chart's {total} rows, in its order; {more} more are on the page with presenter mode off.",
        "ja": "このグラフの全{total}行のうち、グラフの順で先頭{shown}行を表示しています。残り{more}行はプレゼンモードをオフにしたページにあります。",
    },
    "present.note": {"en": "Note on this chart", "ja": "このグラフの注記"},
}
