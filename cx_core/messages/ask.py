"""Ask the data: the Ask page, its answer card and the parser's words."""

MESSAGES = {
    "nav.ask": {"en": "Ask the data", "ja": "データに質問"},
    "ask.title": {"en": "Ask the data", "ja": "データに質問する"},
    "ask.intro": {
        "en": "Ask in plain words, in English or Japanese: every answer shows its n, its 95% interval and the query behind it. It answers on all the data; the sidebar's filters do not apply here, the question's own do.",
        "ja": "英語でも日本語でも、普段の言葉で質問してください。答えには必ず n・95%区間・実行したクエリが付きます。サイドバーの絞り込みではなく、質問の中の条件で全データから答えます。",
    },
    "ask.box": {"en": "Your question", "ja": "質問"},
    "ask.box_placeholder": {
        "en": "e.g. NPS of enterprise decision makers last quarter vs the one before",
        "ja": "例: 購買担当のCSATが一番低いセグメントは?",
    },
    "ask.submit": {"en": "Ask", "ja": "質問する"},
    "ask.reading": {"en": "How I read your question", "ja": "質問の読み取り"},
    "ask.reading_help": {
        "en": "Change any of these and the answer follows.",
        "ja": "ここを変えると答えが変わります。",
    },
    "ask.chip_measure": {"en": "Measure", "ja": "指標"},
    "ask.chip_groups": {"en": "Groups", "ja": "グループ"},
    "ask.chip_filter": {"en": "Only {dimension}", "ja": "{dimension}で絞り込み"},
    "ask.chip_filters": {"en": "Filters", "ja": "絞り込み"},
    "ask.chip_add_filter": {"en": "Filter on", "ja": "絞り込む項目"},
    "ask.chip_period": {"en": "Period", "ja": "期間"},
    "ask.chip_compare": {"en": "Compare", "ja": "比較"},
    "ask.chip_order": {"en": "Order", "ja": "並び順"},
    "ask.order_none": {"en": "as on the page", "ja": "ページと同じ"},
    "ask.order_asc": {"en": "lowest first", "ja": "低い順"},
    "ask.order_desc": {"en": "highest first", "ja": "高い順"},
    "ask.period_all": {"en": "all dates", "ja": "全期間"},
    "ask.compare_none": {"en": "no comparison", "ja": "比較なし"},
    "ask.compare_previous": {"en": "vs the period before", "ja": "前の期間と比較"},
    "ask.grain_month": {"en": "Month", "ja": "月"},
    "ask.grain_quarter": {"en": "Quarter", "ja": "四半期"},
    "ask.all_drivers": {"en": "Every driver", "ja": "すべての評価項目"},
    "ask.show_sql": {"en": "The query behind this answer", "ja": "この答えのクエリ"},
    "ask.sql_help": {
        "en": "Read-only statements run by the same views the pages use, on this session's locked-down database.",
        "ja": "各ページと同じ集計処理が、このセッションのロックされたデータベースで実行した読み取り専用の文です。",
    },
    "ask.pin": {"en": "Pin to presenter mode and reports", "ja": "プレゼンモードとレポートに固定"},
    "ask.pinned": {
        "en": "Pinned: it is in presenter mode and in the HTML/PPTX report.",
        "ja": "固定しました。プレゼンモードと HTML/PPTX レポートに入ります。",
    },
    "ask.unpin": {"en": "Remove", "ja": "外す"},
    "ask.pinned_heading": {"en": "Pinned answers", "ja": "固定した答え"},
    "ask.no_pins": {
        "en": "No pinned answers yet: ask a question and pin its answer to show it here.",
        "ja": "固定した答えはまだありません。質問して答えを固定すると、ここに表示されます。",
    },
    "ask.recent": {"en": "Recent questions", "ja": "最近の質問"},
    "ask.recent_none": {"en": "No questions yet.", "ja": "まだ質問はありません。"},
    "ask.suggestions": {"en": "Questions this data can answer", "ja": "このデータで答えられる質問"},
    "ask.clear": {"en": "clear difference", "ja": "明確な差"},
    "ask.unclear": {"en": "no clear difference", "ja": "明確な差なし"},
    "ask.guesses": {"en": "Guesses", "ja": "推測"},
    "ask.llm_used": {"en": "Read by the LLM (names only were sent)", "ja": "LLM が読み取り (送信したのは項目名のみ)"},
    "ask.use_llm": {
        "en": "Let the LLM read questions the offline parser cannot",
        "ja": "読み取れない質問は LLM に読ませる",
    },
    "ask.guess_spelling": {"en": "read “{word}” as “{meant}”", "ja": "「{word}」を「{meant}」と読みました"},
    "ask.guess_measure": {"en": "no measure named: showing {measure}", "ja": "指標の指定がないため {measure} を表示"},
    "ask.unknown_measure": {
        "en": "“{name}” is not a measure of this data.",
        "ja": "「{name}」はこのデータの指標ではありません。",
    },
    "ask.unknown_dimension": {
        "en": "“{name}” is not a column of this data.",
        "ja": "「{name}」はこのデータの項目ではありません。",
    },
    "ask.unknown_value": {"en": "“{name}” is not a value in this data.", "ja": "「{name}」はこのデータにない値です。"},
    "ask.unknown_order": {
        "en": "The order or the number of groups is not one I can use.",
        "ja": "並び順または件数が使えません。",
    },
    "ask.did_you_mean": {"en": "Did you mean “{name}”?", "ja": "「{name}」のことですか?"},
    "ask.not_understood": {
        "en": "I could not read that as a question about this data.",
        "ja": "このデータについての質問として読み取れませんでした。",
    },
    "ask.not_understood_words": {
        "en": "I could not read that: {words} is not in this data.",
        "ja": "読み取れませんでした: {words} はこのデータにありません。",
    },
    "ask.no_answers": {
        "en": "No answers with {measure} match this question.",
        "ja": "この質問に当てはまる {measure} の回答はありません。",
    },
    "ask.too_few": {
        "en": "Cannot tell: only {n} answers give {measure} here (at least {min_n} are needed).",
        "ja": "判断できません: ここで {measure} の回答は {n} 件だけです (最低 {min_n} 件必要)。",
    },
    "ask.answer_one": {
        "en": "{measure} is {value} ({scope}; n = {n}, {ci}).",
        "ja": "{measure} は {value} です ({scope}、n = {n}、{ci})。",
    },
    "ask.answer_pair": {
        "en": "{measure}: {a} {a_value} (n = {a_n}) vs {b} {b_value} (n = {b_n}).",
        "ja": "{measure}: {a} {a_value} (n = {a_n}) 対 {b} {b_value} (n = {b_n})。",
    },
    "ask.diff_clear": {"en": "The difference ({diff}) is clear at 95%.", "ja": "差 ({diff}) は95%水準で明確です。"},
    "ask.diff_unclear": {
        "en": "The difference ({diff}) is within the margin of error: not clear.",
        "ja": "差 ({diff}) は誤差の範囲内で、明確ではありません。",
    },
    "ask.diff_small": {
        "en": "Cannot tell whether they differ: a side has fewer than {min_n} answers.",
        "ja": "差があるかは判断できません: 片方の回答が {min_n} 件未満です。",
    },
    "ask.diff_untested": {
        "en": "This difference cannot be tested (no interval).",
        "ja": "この差は検定できません (区間がありません)。",
    },
    "ask.answer_lowest": {
        "en": "Lowest {measure}: {group} at {value} (n = {n}).",
        "ja": "{measure} が最も低いのは {group} で {value} です (n = {n})。",
    },
    "ask.answer_highest": {
        "en": "Highest {measure}: {group} at {value} (n = {n}).",
        "ja": "{measure} が最も高いのは {group} で {value} です (n = {n})。",
    },
    "ask.answer_driver_lowest": {
        "en": "Rated lowest: {group} at {value} (n = {n}).",
        "ja": "最も評価が低いのは {group} で {value} です (n = {n})。",
    },
    "ask.answer_driver_highest": {
        "en": "Rated highest: {group} at {value} (n = {n}).",
        "ja": "最も評価が高いのは {group} で {value} です (n = {n})。",
    },
    "ask.answer_trend": {
        "en": "{measure} went from {first_value} ({first}) to {last_value} ({last}).",
        "ja": "{measure} は {first_value} ({first}) から {last_value} ({last}) になりました。",
    },
    "ask.gap_clear": {
        "en": "The gap between {a} and {b} ({diff}) is clear at 95%.",
        "ja": "{a} と {b} の差 ({diff}) は95%水準で明確です。",
    },
    "ask.gap_unclear": {
        "en": "The gap between {a} and {b} ({diff}) is within the margin of error: not clear.",
        "ja": "{a} と {b} の差 ({diff}) は誤差の範囲内で、明確ではありません。",
    },
    "ask.too_few_groups": {
        "en": "Cannot tell: no group has {min_n} answers or more.",
        "ja": "判断できません: {min_n} 件以上の回答があるグループがありません。",
    },
    "ask.small_groups": {
        "en": "{count} group(s) with fewer than {min_n} answers are flagged, not ranked.",
        "ja": "回答が {min_n} 件未満の {count} グループは参考扱いで、順位を付けていません。",
    },
    "ask.note_one_grouping": {
        "en": "Grouped by the first grouping only (a time grouping goes alone).",
        "ja": "最初のグループ分けだけを使いました (時間のグループ分けは単独で使います)。",
    },
    "ask.suggest_by": {"en": "{measure} by {dimension}", "ja": "{dimension}別の{measure}"},
    "ask.suggest_lowest": {
        "en": "Which {dimension} has the lowest {measure}?",
        "ja": "{measure}が一番低い{dimension}は?",
    },
    "ask.suggest_vs": {"en": "{measure} of {a} vs {b}", "ja": "{a}と{b}の{measure}を比較"},
    "ask.suggest_trend": {"en": "{measure} by quarter", "ja": "四半期ごとの{measure}"},
    "ask.suggest_drivers": {"en": "Which driver is rated lowest?", "ja": "一番低い評価項目は?"},
    "ask.pinned_title": {"en": "Asked: {question}", "ja": "質問: {question}"},
    "ask.group": {"en": "Group", "ja": "グループ"},
    "ask.value": {"en": "Value", "ja": "値"},
    "ask.small": {"en": "Too few to rank", "ja": "少数 (順位なし)"},
    "ask.chip_themes": {"en": "Who mention (themes)", "ja": "言及したテーマ"},
    "ask.theme_filter": {"en": "mention {themes}", "ja": "{themes}に言及"},
    "ask.guess_theme": {
        "en": "“{words}” read as the theme {themes}",
        "ja": "「{words}」をテーマ {themes} と読みました",
    },
    "ask.unknown_theme": {
        "en": "There is no theme “{name}” in this data.",
        "ja": "このデータにテーマ「{name}」はありません。",
    },
    "ask.reading_themes": {"en": "Reading the comments' themes…", "ja": "コメントのテーマを読み取っています…"},
}
