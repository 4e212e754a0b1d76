"""Messages of the Segments page and of the sidebar's minimum-n setting."""

MESSAGES = {
    "nav.segments": {"en": "Segments", "ja": "セグメント"},
    "segments.title": {"en": "Segments and roles", "ja": "セグメントと役割"},
    "segments.caption": {
        "en": "{n} responses · filters: {filters} · groups under {min_n} answers are greyed and not ranked",
        "ja": "{n}件の回答 · フィルター: {filters} · 回答{min_n}件未満のグループは灰色表示・順位付けなし",
    },
    "segments.sidebar_min_n": {"en": "Minimum answers per group", "ja": "グループの最小回答数"},
    "segments.sidebar_min_n_help": {
        "en": "Groups, cells and periods with fewer answers are flagged as small samples: shown greyed, never ranked or tested.",
        "ja": "これより回答が少ないグループ・セル・期間は少数サンプルとして灰色表示し、順位付けや検定をしません。",
    },
    # scores by group
    "segments.by_group": {"en": "Scores by group", "ja": "グループ別スコア"},
    "segments.dimension": {"en": "Group by", "ja": "グループ分けの軸"},
    "segments.col_rank": {"en": "Rank", "ja": "順位"},
    "segments.col_group": {"en": "Group", "ja": "グループ"},
    "segments.col_ci": {"en": "NPS 95% CI", "ja": "NPS 95%信頼区間"},
    "segments.col_csat": {"en": "CSAT mean (1-5)", "ja": "CSAT平均 (1-5)"},
    "segments.col_csat_ci": {"en": "CSAT 95% CI", "ja": "CSAT 95%信頼区間"},
    "segments.col_ces": {"en": "CES mean (1-7)", "ja": "CES平均 (1-7)"},
    "segments.col_ces_ci": {"en": "CES 95% CI", "ja": "CES 95%信頼区間"},
    "segments.col_vs_rest": {"en": "NPS vs rest", "ja": "他との差 (NPS)"},
    "segments.col_p": {"en": "p (Holm)", "ja": "p値 (Holm補正)"},
    "segments.col_significant": {"en": "Significant at 95%", "ja": "95%で有意"},
    "segments.col_small": {"en": "Small sample", "ja": "少数サンプル"},
    "segments.yes": {"en": "yes", "ja": "はい"},
    "segments.no": {"en": "no", "ja": "いいえ"},
    "segments.not_tested": {"en": "not tested", "ja": "検定なし"},
    "segments.group_chart_title": {
        "en": "Highest NPS: {top} ({top_score:+.0f}); lowest: {bottom} ({bottom_score:+.0f})",
        "ja": "NPS最高: {top} ({top_score:+.0f})、最低: {bottom} ({bottom_score:+.0f})",
    },
    "segments.group_chart_title_none": {
        "en": "No group has {min_n} or more answers: scores are for reference only",
        "ja": "回答{min_n}件以上のグループがありません（参考値のみ）",
    },
    "segments.chart_subtitle": {"en": "n = {n} · filters: {filters}", "ja": "n = {n} · フィルター: {filters}"},
    "segments.holm_note": {
        "en": "Each group is tested against the rest of the selection. {k} groups were tested at once, so "
        "p-values are Holm-adjusted: the chance of any false alarm among them stays at 5%. "
        "Groups under {min_n} answers are not tested.",
        "ja": "各グループを残りの回答全体と比較しています。{k}グループを同時に検定したため、p値はHolm法で補正しています"
        "（全体で誤検出の確率を5%に抑えます）。回答{min_n}件未満のグループは検定しません。",
    },
    "segments.single_test_note": {
        "en": "Each group is tested against the rest of the selection (one test, no correction needed). "
        "Groups under {min_n} answers are not tested.",
        "ja": "各グループを残りの回答全体と比較しています（検定は1回のため補正不要）。回答{min_n}件未満のグループは検定しません。",
    },
    "segments.significant_groups": {
        "en": "Significantly different from the rest at 95%: {groups}.",
        "ja": "95%で残りと有意に異なるグループ: {groups}",
    },
    "segments.no_significant_groups": {
        "en": "No group differs significantly from the rest at 95%.",
        "ja": "95%で残りと有意に異なるグループはありません。",
    },
    # two chosen groups
    "segments.compare": {"en": "Compare two groups", "ja": "2つのグループを比較"},
    "segments.compare_a": {"en": "First group", "ja": "グループ1"},
    "segments.compare_b": {"en": "Second group", "ja": "グループ2"},
    "segments.sig_yes": {
        "en": "{metric}: {a} vs {b}: the difference of {diff} is significant at 95% (p {p}).",
        "ja": "{metric}: {a} と {b} の差 {diff} は95%で有意です (p {p})。",
    },
    "segments.sig_no": {
        "en": "{metric}: {a} vs {b}: the difference of {diff} is not significant at 95% (p {p}).",
        "ja": "{metric}: {a} と {b} の差 {diff} は95%で有意ではありません (p {p})。",
    },
    "segments.sig_small": {
        "en": "{metric}: {a} vs {b}: not tested, a group has fewer than {min_n} answers.",
        "ja": "{metric}: {a} と {b}: 回答{min_n}件未満のグループがあるため検定しません。",
    },
    "segments.sig_untestable": {
        "en": "{metric}: {a} vs {b}: cannot be tested (no variation or not in the data).",
        "ja": "{metric}: {a} と {b}: 検定できません（ばらつきがない、またはデータなし）。",
    },
    "segments.same_group": {"en": "Choose two different groups.", "ja": "異なる2つのグループを選んでください。"},
    "segments.one_group": {
        "en": "The selection has only one group: nothing to compare.",
        "ja": "選択範囲にグループが1つしかないため比較できません。",
    },
    # heatmap
    "segments.heatmap": {"en": "NPS by segment and role", "ja": "セグメント×役割のNPS"},
    "segments.heatmap_title": {
        "en": "Lowest NPS: {segment} × {role} ({score:+.0f}, n = {cell_n}); highest: {top_segment} × {top_role} ({top_score:+.0f})",
        "ja": "NPS最低: {segment} × {role} ({score:+.0f}, n = {cell_n})、最高: {top_segment} × {top_role} ({top_score:+.0f})",
    },
    "segments.heatmap_title_none": {
        "en": "No segment × role cell has {min_n} or more answers",
        "ja": "回答{min_n}件以上のセグメント×役割のセルがありません",
    },
    "segments.heatmap_note": {
        "en": "Each cell shows NPS and n; cells marked * have fewer than {min_n} answers (faded, not ranked).",
        "ja": "各セルにNPSとnを表示。*印は回答{min_n}件未満のセル（薄く表示、順位付けなし）。",
    },
    "segments.segment": {"en": "Segment", "ja": "セグメント"},
    "segments.role": {"en": "Role", "ja": "役割"},
    "segments.label": {"en": "Label", "ja": "表示"},
    # cross-tab
    "segments.crosstab": {"en": "Cross-tab builder", "ja": "クロス集計"},
    "segments.crosstab_rows": {"en": "Rows", "ja": "行"},
    "segments.crosstab_cols": {"en": "Columns", "ja": "列"},
    "segments.crosstab_metric": {"en": "Metric", "ja": "指標"},
    "segments.metric_nps": {"en": "NPS", "ja": "NPS"},
    "segments.metric_csat_mean": {"en": "CSAT mean", "ja": "CSAT平均"},
    "segments.metric_ces_mean": {"en": "CES mean", "ja": "CES平均"},
    "segments.metric_detractor_share": {"en": "Detractor share (%)", "ja": "批判者の割合 (%)"},
    "segments.metric_count": {"en": "Answers (count)", "ja": "回答数"},
    "segments.crosstab_note": {
        "en": "Each cell: value (n). * = fewer than {min_n} answers. The CSV has one row per cell with its n.",
        "ja": "各セル: 値 (n)。* = 回答{min_n}件未満。CSVはセルごとに1行でnを含みます。",
    },
    "segments.crosstab_download": {"en": "Download cross-tab (CSV)", "ja": "クロス集計をダウンロード (CSV)"},
    "segments.crosstab_empty": {
        "en": "No answers for this cross-tab.",
        "ja": "このクロス集計に該当する回答がありません。",
    },
    # weighted account NPS
    "segments.weighted": {"en": "Role-weighted account NPS", "ja": "役割で重み付けした取引先NPS"},
    "segments.weighted_help": {
        "en": "Each account's NPS where each role's voice counts by its weight (only roles that answered count). "
        "Defaults favour decision makers; the Accounts page uses the same weights.",
        "ja": "各取引先のNPSを、役割ごとの重みで加重平均します（回答した役割のみ）。既定値は意思決定者を重視します。取引先ページも同じ重みを使います。",
    },
    "segments.weight_for": {"en": "Weight: {role}", "ja": "重み: {role}"},
    "segments.weighted_title": {
        "en": "Median account weighted NPS {median:+.0f}; {share:.0f}% of {accounts} accounts are below 0",
        "ja": "取引先の加重NPS中央値 {median:+.0f}、{accounts}社中{share:.0f}%がマイナス",
    },
    "segments.weighted_none": {
        "en": "No account has answers in this selection.",
        "ja": "この条件で回答のある取引先がありません。",
    },
    "segments.weighted_axis": {"en": "Role-weighted NPS", "ja": "加重NPS"},
    "segments.accounts": {"en": "Accounts", "ja": "取引先数"},
    "segments.weighted_note": {
        "en": "Accounts with only one or two answers sit at the extremes; read single accounts on the Accounts page.",
        "ja": "回答が1〜2件の取引先は両端に寄ります。個別の取引先は取引先ページで確認してください。",
    },
    # trend
    "segments.trend": {"en": "NPS over time", "ja": "NPSの推移"},
    "segments.grain": {"en": "Period", "ja": "期間単位"},
    "segments.grain_month": {"en": "Month", "ja": "月"},
    "segments.grain_quarter": {"en": "Quarter", "ja": "四半期"},
    "segments.period": {"en": "Period", "ja": "期間"},
    "segments.trend_title_sig": {
        "en": "NPS {last:+.0f} in {last_period} vs {prev:+.0f} in {prev_period}: the change is significant at 95%",
        "ja": "{last_period}のNPS {last:+.0f}（前期 {prev_period}: {prev:+.0f}）: 変化は95%で有意",
    },
    "segments.trend_title_not_sig": {
        "en": "NPS {last:+.0f} in {last_period} vs {prev:+.0f} in {prev_period}: the change is not significant at 95%",
        "ja": "{last_period}のNPS {last:+.0f}（前期 {prev_period}: {prev:+.0f}）: 変化は95%で有意ではない",
    },
    "segments.trend_title_untested": {
        "en": "NPS by {grain}: the latest period cannot be tested against the previous one (fewer than {min_n} answers)",
        "ja": "{grain}ごとのNPS: 回答{min_n}件未満のため最新期間と前期間を検定できません",
    },
    "segments.trend_title_single": {
        "en": "NPS by {grain}: only one period in the selection",
        "ja": "{grain}ごとのNPS: 選択範囲に期間が1つしかありません",
    },
    "segments.trend_note": {
        "en": "The band is the 95% interval of each period's NPS; grey points have fewer than {min_n} answers.",
        "ja": "帯は各期間のNPSの95%信頼区間。灰色の点は回答{min_n}件未満です。",
    },
    "segments.trend_no_dates": {"en": "The data has no response dates.", "ja": "回答日のデータがありません。"},
    "segments.crosstab_finding": {
        "en": "{metric}: highest {top} ({top_value}), lowest {bottom} ({bottom_value})",
        "ja": "{metric}: 最高は{top}（{top_value}）、最低は{bottom}（{bottom_value}）",
    },
    "segments.crosstab_finding_none": {
        "en": "{metric}: fewer than two cells have {min_n} answers or more",
        "ja": "{metric}: 回答{min_n}件以上のセルが2つ未満です",
    },
    "segments.weighted_from": {"en": "Weighted NPS from", "ja": "加重NPS（から）"},
    "segments.weighted_to": {"en": "to", "ja": "まで"},
    # headlines claim a ranking only when a test supports it (issue 23)
    "segments.group_chart_title_unclear": {
        "en": "No clear difference in NPS between groups: the highest, {top} ({top_score:+.0f}), and the lowest, "
        "{bottom} ({bottom_score:+.0f}), are within the margin of error",
        "ja": "グループ間でNPSに明確な差はありません: 最高の{top}（{top_score:+.0f}）と最低の{bottom}"
        "（{bottom_score:+.0f}）の差は誤差の範囲内です",
    },
    "segments.heatmap_title_unclear": {
        "en": "No clear difference in NPS between segment × role cells: the lowest, {segment} × {role} ({score:+.0f}, "
        "n = {cell_n}), and the highest, {top_segment} × {top_role} ({top_score:+.0f}), are within the margin of error",
        "ja": "セグメント×役割のセル間でNPSに明確な差はありません: 最低の{segment} × {role}（{score:+.0f}、n = {cell_n}）と"
        "最高の{top_segment} × {top_role}（{top_score:+.0f}）の差は誤差の範囲内です",
    },
    "segments.extremes_note": {
        "en": "Highest and lowest are named only when they differ significantly at 95% after a Bonferroni "
        "correction over every pair of the {k} groups compared.",
        "ja": "最高・最低は、比較した{k}グループの全ペアでボンフェローニ補正したうえで95%で有意な差がある場合にのみ示します。",
    },
    "segments.crosstab_finding_clear": {
        "en": "{metric}: {count} of {cells} cells differ clearly from the rest of the table: {which}",
        "ja": "{metric}: {cells}セル中{count}セルが表の残りと明確に異なります: {which}",
    },
    "segments.crosstab_finding_unclear": {
        "en": "{metric}: no cell differs clearly from the rest of the table ({cells} cells tested)",
        "ja": "{metric}: 表の残りと明確に異なるセルはありません（{cells}セルを検定）",
    },
    "segments.crosstab_above": {"en": "{cell} above ({value})", "ja": "{cell}が高い（{value}）"},
    "segments.crosstab_below": {"en": "{cell} below ({value})", "ja": "{cell}が低い（{value}）"},
    "segments.crosstab_marks_note": {
        "en": "▲ / ▼: the cell is clearly above / below the rest of the table. Each cell of {min_n} answers or "
        "more is tested against every other answer; the {cells} p-values are adjusted by Benjamini-Hochberg "
        "(false discovery rate 5%), with respondents clustered in accounts.",
        "ja": "▲ / ▼: 表の残りより明確に高い / 低いセル。回答{min_n}件以上の各セルをそれ以外の全回答と比較し、"
        "{cells}個のp値をベンジャミーニ＝ホッホベルク法で補正しています（偽発見率5%、アカウント内の回答の相関を考慮）。",
    },
    "segments.effective_n_note": {
        "en": "Answers from one account are not independent: intervals and tests use the effective n "
        "(n divided by the design effect over accounts; here {effective_n} of {n} answers).",
        "ja": "同じアカウントの回答は独立ではないため、区間と検定は有効回答数"
        "（nをアカウント単位のデザイン効果で割った値。ここでは{n}件中{effective_n}件）で計算しています。",
    },
    "segments.weighted_interval": {
        "en": "Share of accounts below 0: 95% interval {low}% to {high}% (each account counts once, so accounts are the units and no design effect applies).",
        "ja": "マイナスの取引先の割合の95%区間: {low}%〜{high}%（各取引先を1回ずつ数えるため、取引先が単位で、デザイン効果はかかりません）。",
    },
}
