"""Messages of the two-period comparison (Overview and Themes pages)."""

MESSAGES = {
    "periods.title": {"en": "Compare two periods", "ja": "2つの期間を比較"},
    "periods.mode": {"en": "Periods", "ja": "期間"},
    "periods.mode_quarters": {"en": "Latest quarter vs the one before", "ja": "最新の四半期と前の四半期"},
    "periods.mode_ranges": {"en": "Two date ranges", "ja": "2つの日付範囲"},
    "periods.quarters_guess": {
        "en": "'This quarter' is the quarter of the latest answer in the data ({a}), compared with the quarter before ({b}).",
        "ja": "「今四半期」はデータの最新回答の四半期（{a}）とし、その前の四半期（{b}）と比べています。",
    },
    "periods.range_a": {"en": "Period A", "ja": "期間A"},
    "periods.range_b": {"en": "Period B", "ja": "期間B"},
    "periods.no_dates": {
        "en": "The data has no answer dates, so periods cannot be compared.",
        "ja": "回答日がないため、期間を比較できません。",
    },
    "periods.pick_two_days": {
        "en": "Choose a first and a last day for both periods.",
        "ja": "両方の期間の開始日と終了日を選んでください。",
    },
    "periods.col.measure": {"en": "Measure", "ja": "指標"},
    "periods.col.difference": {"en": "A − B", "ja": "A − B"},
    "periods.col.difference_points": {"en": "A − B (points)", "ja": "A − B（ポイント）"},
    "periods.col.p": {"en": "p (Holm)", "ja": "p（ホルム補正）"},
    "periods.col.reading": {"en": "Reading", "ja": "判定"},
    "periods.clear": {"en": "clear difference at 95%", "ja": "95%で明確な差"},
    "periods.not_clear": {"en": "no clear difference: could be chance", "ja": "明確な差なし（偶然の範囲）"},
    "periods.not_tested_small": {
        "en": "not tested: a period has fewer than {min_n} answers",
        "ja": "検定なし: 回答{min_n}件未満の期間があります",
    },
    "periods.not_tested": {
        "en": "not tested: not in the data or no variation",
        "ja": "検定なし: データなし、またはばらつきなし",
    },
    "periods.rose": {"en": "rose", "ja": "上昇"},
    "periods.fell": {"en": "fell", "ja": "低下"},
    "periods.finding_clear": {
        "en": "{metric} {verb} from {before} ({b}) to {now} ({a}), {diff}: a clear difference at 95% (p {p})",
        "ja": "{metric}は{before}（{b}）から{now}（{a}）へ{verb}（{diff}）: 95%で明確な差です（p {p}）",
    },
    "periods.finding_none": {
        "en": "No clear difference in the scores between {a} and {b}",
        "ja": "{a}と{b}のスコアに明確な差はありません",
    },
    "periods.note": {
        "en": "Each difference is tested with respondents clustered in accounts (the same account's answers are not independent); p-values Holm-adjusted over the {scores} scores compared; a period needs {min_n} answers to be tested. The same accounts answering in both periods are treated as independent samples, which errs on the side of 'no clear difference'.",
        "ja": "各差は企業内の回答の相関（クラスター）を考慮して検定しています。p値は比較した{scores}指標でホルム補正しています。検定には各期間{min_n}件以上の回答が必要です。両期間に回答した同じ企業は独立な標本として扱うため、判定は「明確な差なし」寄りになります。",
    },
    "periods.themes_title": {"en": "Themes: two periods compared", "ja": "テーマ: 2つの期間の比較"},
    "periods.finding_theme": {
        "en": "'{theme}' {verb} from {before} of comments ({b}) to {now} ({a}): a clear change at 95% (p {p})",
        "ja": "「{theme}」はコメントの{before}（{b}）から{now}（{a}）へ{verb}: 95%で明確な変化です（p {p}）",
    },
    "periods.finding_themes_none": {
        "en": "No theme's share of comments changed clearly between {b} and {a}",
        "ja": "{b}と{a}の間で、コメントに占める割合が明確に変わったテーマはありません",
    },
    "periods.finding_themes_small": {
        "en": "Not tested: each period needs {min_n} comments ({n_a} and {n_b})",
        "ja": "検定なし: 各期間{min_n}件のコメントが必要です（{n_a}件・{n_b}件）",
    },
    "periods.themes_note": {
        "en": "A theme's share is tested with comments clustered in accounts (twenty comments of one account are one account's view); p-values Holm-adjusted over the {themes} themes; each period needs {min_n} comments.",
        "ja": "テーマの割合は企業内のコメントの相関を考慮して検定しています（1社の20件のコメントは1社の意見です）。p値は{themes}テーマでホルム補正しています。各期間{min_n}件のコメントが必要です。",
    },
}
