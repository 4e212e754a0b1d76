"""Messages of the Data page."""

MESSAGES = {
    "data.title": {"en": "Data", "ja": "データ"},
    "data.loaded": {"en": "What is loaded", "ja": "読み込み済みのデータ"},
    "data.file": {"en": "File", "ja": "ファイル"},
    "data.kind": {"en": "Kind", "ja": "種類"},
    "data.format": {"en": "Format", "ja": "形式"},
    "data.encoding": {"en": "Encoding", "ja": "文字コード"},
    "data.rows_read": {"en": "Rows read", "ja": "読み込んだ行"},
    "data.rows_loaded": {"en": "Rows loaded", "ja": "取り込んだ行"},
    "data.rows_rejected": {"en": "Rows rejected", "ja": "除外した行"},
    "data.rejected_title": {"en": "Rejected rows and why", "ja": "除外した行とその理由"},
    "data.rejected_none": {"en": "No row was rejected.", "ja": "除外された行はありません。"},
    "data.rejected_download": {"en": "Download rejected rows (CSV)", "ja": "除外した行をダウンロード (CSV)"},
    "data.row": {"en": "Row in file", "ja": "ファイル内の行"},
    "data.reason": {"en": "Reason", "ja": "理由"},
    "data.join": {
        "en": "CRM join: {matched:,} of {responses:,} responses matched an account; {unmatched:,} did not.",
        "ja": "CRM照合: {responses:,}件中{matched:,}件の回答が取引先と一致、{unmatched:,}件は不一致。",
    },
    "data.unmatched_ids": {"en": "Account ids not found in the CRM file", "ja": "CRMに見つからない取引先ID"},
    "data.mapping": {"en": "Column mapping", "ja": "列の対応付け"},
    "data.field": {"en": "Field", "ja": "項目"},
    "data.column": {"en": "Column in your file", "ja": "ファイルの列"},
    "data.drivers": {"en": "Driver ratings", "ja": "ドライバー評価"},
    "data.need": {"en": "Need", "ja": "ニーズ"},
    "data.category": {"en": "Category", "ja": "区分"},
    "data.mapping_download": {"en": "Download mapping (JSON)", "ja": "対応付けをダウンロード (JSON)"},
    "data.preview": {"en": "Preview (first 20 responses)", "ja": "プレビュー（先頭20件）"},
    "data.upload": {"en": "Upload your own data", "ja": "自社データをアップロード"},
    "data.upload_help": {
        "en": (
            "A survey export (CSV, TSV or Excel; Qualtrics, SurveyMonkey, Typeform and Google Forms exports "
            "are recognised) is required; a CRM accounts export adds segments, ARR and owners. "
            "Files up to 200 MB."
        ),
        "ja": (
            "アンケートの出力 (CSV・TSV・Excel。Qualtrics、SurveyMonkey、Typeform、Googleフォームの出力に対応) は必須です。"
            "CRMの取引先データを加えるとセグメント・ARR・担当者が使えます。200 MBまで。"
        ),
    },
    "data.upload_survey": {"en": "Survey responses file", "ja": "アンケート回答ファイル"},
    "data.upload_crm": {"en": "CRM accounts file (optional)", "ja": "CRM取引先ファイル（任意）"},
    "data.confirm_mapping": {"en": "Confirm the column mapping", "ja": "列の対応付けを確認"},
    "data.not_mapped": {"en": "(not in my file)", "ja": "（ファイルにない）"},
    "data.driver_columns": {"en": "Driver rating columns", "ja": "ドライバー評価の列"},
    "data.dimension_columns": {
        "en": "Other grouping columns (filters and segments)",
        "ja": "その他の分類列（フィルターとセグメント）",
    },
    "data.dimension_help": {
        "en": (
            "Columns with a handful of repeating values, such as country, product line or plan. Each becomes a "
            "filter in the sidebar and a grouping on the Segments page."
        ),
        "ja": "国・製品ライン・プランなど、少数の値が繰り返される列です。サイドバーのフィルターとセグメント画面の分類に使えます。",
    },
    "data.dimension": {"en": "grouping: {name}", "ja": "分類: {name}"},
    "data.load_button": {"en": "Load these files", "ja": "このファイルを読み込む"},
    "data.loaded_ok": {
        "en": "Loaded {loaded:,} of {read:,} survey rows ({rejected:,} rejected, see below).",
        "ja": "アンケート{read:,}行中{loaded:,}行を読み込みました（除外{rejected:,}行、下記参照）。",
    },
    "data.back_to_sample": {"en": "Use the built-in sample data", "ja": "組み込みサンプルデータに戻す"},
    "data.notes": {"en": "Notes", "ja": "注記"},
    "data.header_rows": {"en": "Header rows", "ja": "見出し行数"},
    "data.sheet": {"en": "Sheet", "ja": "シート"},
    "data.sheet_survey": {"en": "Sheet of the survey workbook", "ja": "アンケートのシート"},
    "data.sheet_crm": {"en": "Sheet of the CRM workbook", "ja": "CRMのシート"},
    "data.upload_mapping": {
        "en": "Reuse a saved mapping (JSON, optional)",
        "ja": "保存した対応付けを使う (JSON、任意)",
    },
    "data.mapping_applied": {
        "en": "The saved mapping was applied; check it below.",
        "ja": "保存した対応付けを適用しました。下で確認してください。",
    },
    "data.detected": {
        "en": "Detected: {format} · {encoding} · {rows:,} data rows",
        "ja": "検出結果: {format} · {encoding} · データ{rows:,}行",
    },
    "data.open_overview": {"en": "Open the overview", "ja": "概要を開く"},
    "data.unmatched_more": {
        "en": "Showing the first {shown:,} unmatched ids.",
        "ja": "不一致のIDを先頭{shown:,}件表示しています。",
    },
    "field.response_id": {"en": "Response id", "ja": "回答ID"},
    "field.account_id": {"en": "Account id", "ja": "取引先ID"},
    "field.respondent_role": {"en": "Respondent role", "ja": "回答者の役割"},
    "field.submitted_at": {"en": "Submitted at", "ja": "回答日時"},
    "field.nps": {"en": "NPS: likelihood to recommend (0-10)", "ja": "NPS: 推奨度 (0-10)"},
    "field.csat": {"en": "CSAT: satisfaction (1-5)", "ja": "CSAT: 満足度 (1-5)"},
    "field.ces": {"en": "CES: ease (1-7)", "ja": "CES: 容易さ (1-7)"},
    "field.comment": {"en": "Comment", "ja": "コメント"},
    "field.journey_stage": {"en": "Journey stage", "ja": "ジャーニー段階"},
    "field.touchpoint": {"en": "Touchpoint", "ja": "タッチポイント"},
    "field.survey_type": {"en": "Survey type", "ja": "調査種別"},
    "field.account_name": {"en": "Account name", "ja": "取引先名"},
    "field.segment": {"en": "Segment", "ja": "セグメント"},
    "field.industry": {"en": "Industry", "ja": "業種"},
    "field.region": {"en": "Region", "ja": "地域"},
    "field.arr": {"en": "ARR (annual revenue)", "ja": "ARR（年間契約額）"},
    "field.renewal_date": {"en": "Renewal date", "ja": "更新日"},
    "field.churned": {"en": "Churned", "ja": "解約"},
    "field.owner": {"en": "Account owner", "ja": "担当者"},
}
