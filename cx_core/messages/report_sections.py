"""Messages of the report sections beyond the overview: segments, trend, drivers, needs, moments,
themes, accounts at risk and the follow-up list (titles, findings and table columns)."""

MESSAGES = {
    "rsec.rest": {"en": "the rest", "ja": "その他全体"},
    "rsec.col_segment": {"en": "Segment", "ja": "セグメント"},
    "rsec.col_role": {"en": "Role", "ja": "役割"},
    "rsec.col_period": {"en": "Period", "ja": "期間"},
    "rsec.col_quotes": {"en": "Quotes (response ID)", "ja": "コメント例（回答ID）"},
    "rsec.col_accounts": {"en": "Accounts", "ja": "アカウント数"},
    "rsec.col_arr_share": {"en": "Share of ARR (%)", "ja": "ARR構成比 (%)"},
    "rsec.col_mean": {"en": "Mean (1-5)", "ja": "平均 (1〜5)"},
    "rsec.col_moment": {"en": "Moment", "ja": "場面"},
    "rsec.segments_heading": {"en": "NPS by segment and role", "ja": "セグメント×役割のNPS"},
    "rsec.trend_heading": {"en": "NPS over time", "ja": "NPSの推移"},
    "rsec.month": {"en": "month", "ja": "月"},
    "rsec.quarter": {"en": "quarter", "ja": "四半期"},
    "rsec.drivers_finding": {
        "en": "Top driver of {outcome}: {driver} ({importance}% of the explained variance, R² {r2}); fix first: {fix}",
        "ja": "{outcome}の最大の要因は{driver}（説明できる変動の{importance}%、R² {r2}）。最優先で改善: {fix}",
    },
    "rsec.none": {"en": "none", "ja": "なし"},
    "rsec.drivers_uncertain": {
        "en": "The ranking is uncertain (few answers per driver or an unstable top driver): read it as a direction.",
        "ja": "順位は不確かです（ドライバーあたりの回答が少ない、または首位が安定しない）。傾向として読んでください。",
    },
    "rsec.needs_finding": {
        "en": "Rational needs score {rational} and emotional needs {emotional} (mean on 1-5); weakest need: {weakest} ({weakest_score})",
        "ja": "合理的ニーズは{rational}、感情的ニーズは{emotional}（1〜5の平均）。最も低いニーズ: {weakest}（{weakest_score}）",
    },
    "rsec.needs_gap_note": {
        "en": "Rational vs emotional: the 95% intervals {overlap}.",
        "ja": "合理的ニーズと感情的ニーズ: 95%信頼区間は{overlap}。",
    },
    "rsec.overlap_yes": {"en": "overlap (no clear difference)", "ja": "重なっています（明確な差はありません）"},
    "rsec.overlap_no": {"en": "do not overlap (a clear difference)", "ja": "重なっていません（明確な差があります）"},
    "rsec.moments_finding": {
        "en": "Most harmful moment: {moment}, NPS {nps} ({gap} points vs overall), {impact} net promoters",
        "ja": "最も悪影響の大きい場面: {moment}。NPS {nps}（全体比{gap}ポイント）、正味推奨者{impact}人",
    },
    "rsec.moments_none_harmful": {
        "en": "No moment with {min_n} or more answers scores below the overall NPS",
        "ja": "回答{min_n}件以上の場面で、全体NPSを下回るものはありません",
    },
    "rsec.themes_finding": {
        "en": "Most mentioned: {theme}, in {share} of comments (mean score {mean})",
        "ja": "最も多い話題は{theme}。コメントの{share}（平均スコア{mean}）",
    },
    "rsec.themes_note": {
        "en": "Quotes are the customers' own words (response ID in brackets). Themes found by the offline engine.",
        "ja": "コメント例はお客様の言葉そのままです（括弧内は回答ID）。テーマはオフラインエンジンで抽出しました。",
    },
    "rsec.accounts_finding": {
        "en": "ARR at risk: {arr} in {accounts} high-risk accounts ({share} of ARR), as of {as_of}",
        "ja": "リスクのあるARR: {arr}（高リスク{accounts}社、ARRの{share}）。基準日 {as_of}",
    },
    "rsec.follow_up_finding": {
        "en": "{items} follow-ups ({open} open): {accounts} high-risk accounts and {detractors} detractors; the top {top} are listed",
        "ja": "フォローアップ{items}件（未完了{open}件）: 高リスクアカウント{accounts}社、批判者{detractors}件。上位{top}件を表示",
    },
    "rsec.follow_up_note": {
        "en": "Largest ARR first. Due dates are relative to {as_of}. The full list is on the Follow-up page and in its exports.",
        "ja": "ARRの大きい順です。期限は{as_of}を基準にしています。全件はフォローアップページと出力ファイルにあります。",
    },
    # pages
    "rsec.downloads_heading": {"en": "Download charts and tables", "ja": "グラフと表をダウンロード"},
}
