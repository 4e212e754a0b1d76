"""Messages of the ingestion report: warnings about a file, repairs and row rejections."""

MESSAGES = {
    # warnings (InputWarning.code)
    "ingest.warning.encoding_repaired": {
        "en": "The text of {file} needed repairs while reading it ({repairs}); check a few answers.",
        "ja": "{file} の文字を読み込み時に修復しました（{repairs}）。いくつかの回答を確認してください。",
    },
    "ingest.warning.duplicate_rows": {
        "en": "{file}: {exact:,} exact duplicate row(s) were left out; {repeated:,} respondent id(s) answered "
        "more than once, and only their {rule} answer is kept.",
        "ja": "{file}: 完全に重複した {exact:,} 行を除外しました。{repeated:,} 件の回答者IDが複数回回答しており、"
        "{rule}の回答のみを使います。",
    },
    "ingest.warning.duplicate_rows_exact": {
        "en": "{file}: {exact:,} exact duplicate row(s) were left out.",
        "ja": "{file}: 完全に重複した {exact:,} 行を除外しました。",
    },
    "ingest.warning.not_an_account_table": {
        "en": "{file} is not an account table: {ids:,} account id(s) repeat over {rows:,} rows (it looks like "
        "{looks_like}). Load it as support cases instead, or export one row per account.",
        "ja": "{file} は取引先の表ではありません。{rows:,} 行で {ids:,} 件の取引先IDが繰り返されています"
        "（{looks_like}のようです）。サポートケースとして読み込むか、取引先ごとに1行の出力にしてください。",
    },
    "ingest.warning.not_a_survey": {
        "en": "{file} does not look like a survey: no score or comment column was found. Columns seen: {columns}.",
        "ja": "{file} はアンケートではないようです。スコアやコメントの列が見つかりません。見つかった列: {columns}。",
    },
    "ingest.the_file": {"en": "The file", "ja": "このファイル"},
    "ingest.looks_like.cases": {"en": "a support case or ticket export", "ja": "サポートケース／チケットの出力"},
    "ingest.looks_like.other": {"en": "a list of events or records", "ja": "イベントや記録の一覧"},
    "ingest.rule.latest": {"en": "latest (by date)", "ja": "日付が最新"},
    "ingest.rule.last": {"en": "last (in file order)", "ja": "ファイル内で最後"},
    # repairs (InputReport.repairs keys)
    "ingest.repair.mojibake_cells": {
        "en": "{n:,} cell(s) of garbled UTF-8 fixed",
        "ja": "文字化けしたセル {n:,} 件を修正",
    },
    "ingest.repair.c1_controls_repaired": {
        "en": "{n:,} invisible control character(s) turned back into punctuation",
        "ja": "不可視の制御文字 {n:,} 件を記号に復元",
    },
    "ingest.repair.c1_controls_removed": {
        "en": "{n:,} invisible control character(s) removed",
        "ja": "不可視の制御文字 {n:,} 件を削除",
    },
    "ingest.repair.replaced_characters": {
        "en": "{n:,} undecodable character(s) replaced",
        "ja": "読めない文字 {n:,} 件を置換",
    },
    "ingest.repair.lines": {
        "en": "{n:,} line(s) read as {codec}",
        "ja": "{n:,} 行を {codec} として読み込み",
    },
    # row rejections (Rejection.code)
    "ingest.reject.duplicate_row": {"en": "duplicate of row {row}", "ja": "{row} 行目と重複"},
    "ingest.reject.superseded_answer": {
        "en": "respondent {id} answered again (row {row} is kept)",
        "ja": "回答者 {id} が再回答（{row} 行目を使用）",
    },
    "ingest.reject.empty_row": {"en": "empty row", "ja": "空の行"},
    "ingest.reject.case_id_missing": {"en": "case has no account id", "ja": "ケースに取引先IDがありません"},
}

# Account health: support cases (cx_core.accounts._cases)
MESSAGES.update(
    {
        "accounts.reason.escalated_cases": {
            "en": "Escalated support cases in the last 90 days",
            "ja": "直近90日にエスカレーションされたサポートケースあり",
        },
        "accounts.action.reason.escalated_cases": {
            "en": "Review the escalated support cases with the support lead before the next call",
            "ja": "次回の連絡前に、エスカレーションされたケースをサポート責任者と確認する",
        },
        "accounts.cases_line": {
            "en": "{escalated:,} escalated case(s) in 90 days, {open:,} open, {total:,} in all",
            "ja": "直近90日のエスカレーション {escalated:,} 件、未解決 {open:,} 件、合計 {total:,} 件",
        },
        "accounts.cases_reasons": {"en": "Top case reasons: {reasons}", "ja": "主なケース理由: {reasons}"},
    }
)

# The support cases uploader of the Data page (ui/widgets/cases.py)
MESSAGES.update(
    {
        "cases.title": {"en": "Support cases (optional)", "ja": "サポートケース（任意）"},
        "cases.help": {
            "en": "A case or ticket export (Salesforce Case, HubSpot or Zendesk tickets) with an account id column. "
            "Open and escalated cases join the account view and the account health reasons.",
            "ja": "取引先IDの列があるケース／チケットの出力（Salesforce ケース、HubSpot・Zendesk チケット）。"
            "未解決・エスカレーションのケースが取引先ビューと取引先の健全性の理由に加わります。",
        },
        "cases.upload": {"en": "Support cases file", "ja": "サポートケースのファイル"},
        "cases.loaded": {
            "en": "{cases:,} support cases for {accounts:,} accounts: {open:,} open, "
            "{escalated:,} escalated in the last 90 days.",
            "ja": "{accounts:,} 社の {cases:,} 件のサポートケース: 未解決 {open:,} 件、直近90日のエスカレーション {escalated:,} 件。",
        },
        "cases.no_crm": {
            "en": "Load a CRM accounts file too to see the cases in the account view.",
            "ja": "取引先ビューでケースを見るには、CRMの取引先ファイルも読み込んでください。",
        },
    }
)
