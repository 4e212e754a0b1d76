"""Messages of the Needs & drivers and Moments of truth pages."""

MESSAGES = {
    "nav.drivers": {"en": "Needs & drivers", "ja": "ニーズとドライバー"},
    "nav.moments": {"en": "Moments of truth", "ja": "真実の瞬間"},
    "drivers.title": {"en": "Needs and drivers", "ja": "ニーズとドライバー"},
    "drivers.tab_catalogue": {"en": "Driver catalogue", "ja": "ドライバー一覧"},
    "drivers.tab_needs": {"en": "Needs: rational vs emotional", "ja": "ニーズ：合理的 vs 感情的"},
    "drivers.tab_key_drivers": {"en": "Key drivers", "ja": "重要ドライバー"},
    "drivers.no_drivers": {
        "en": "No driver ratings are mapped. On the Data page, pick the columns that rate specific aspects "
        "(delivery, price clarity, account manager…) as drivers.",
        "ja": "ドライバー評価の列が設定されていません。データページで、個別の項目（納期、価格の分かりやすさ、"
        "営業担当など）を評価する列をドライバーとして選んでください。",
    },
    "drivers.catalogue_help": {
        "en": "Each driver rating with the customer need it serves. Needs were suggested from the column name "
        "and question text; change any need here and every analysis on this page uses your choice.",
        "ja": "各ドライバー評価と、それが応える顧客ニーズです。ニーズは列名と設問文から推定しています。"
        "ここで変更すると、このページのすべての分析に反映されます。",
    },
    "drivers.driver": {"en": "Driver", "ja": "ドライバー"},
    "drivers.column": {"en": "Column in your file", "ja": "ファイルの列"},
    "drivers.need": {"en": "Need", "ja": "ニーズ"},
    "drivers.category": {"en": "Category", "ja": "区分"},
    "drivers.group": {"en": "Group", "ja": "グループ"},
    "drivers.need.product": {"en": "Product strength", "ja": "製品力"},
    "drivers.need.price": {"en": "Price", "ja": "価格力"},
    "drivers.need.fulfilment": {"en": "Fulfilment", "ja": "契約履行"},
    "drivers.need.reassurance": {"en": "Reassurance", "ja": "安心感"},
    "drivers.need.feeling_valued": {"en": "Feeling valued", "ja": "大切にされている感"},
    "drivers.need.trust": {"en": "Trust", "ja": "信頼感"},
    "drivers.need.effort": {"en": "Low effort", "ja": "手間の少なさ"},
    "drivers.need.other": {"en": "Other", "ja": "その他"},
    "drivers.category.rational": {"en": "Rational", "ja": "合理的ニーズ"},
    "drivers.category.emotional": {"en": "Emotional", "ja": "感情的ニーズ"},
    "drivers.category.other": {"en": "Other", "ja": "その他"},
    "drivers.download_catalogue": {"en": "Download catalogue (JSON)", "ja": "ドライバー一覧をダウンロード (JSON)"},
    "drivers.download_mapping": {
        "en": "Download mapping with these needs (JSON)",
        "ja": "このニーズ設定を含むマッピングをダウンロード (JSON)",
    },
    "drivers.reset_catalogue": {"en": "Back to suggested needs", "ja": "推定されたニーズに戻す"},
    "drivers.overall": {"en": "Overall", "ja": "全体"},
    "drivers.all_responses": {"en": "All responses", "ja": "全回答"},
    "drivers.needs_help": {
        "en": "Score of each need: a response's ratings of the need's drivers are averaged (on 1-5), then "
        "averaged over responses. Intervals are 95%, counting each response once. Rational needs are the "
        "entry ticket; emotional needs turn a deal into a lasting relationship.",
        "ja": "各ニーズのスコア：回答ごとに該当ドライバーの評価を平均（1〜5）し、回答全体で平均しています。"
        "区間は95%信頼区間（1回答を1件として計算）。合理的ニーズは取引の前提条件、感情的ニーズは長期的な関係を築く要素です。",
    },
    "drivers.needs_by": {"en": "Show", "ja": "表示単位"},
    "drivers.measure": {"en": "Measure", "ja": "指標"},
    "drivers.measure.mean": {"en": "Mean (1-5)", "ja": "平均 (1〜5)"},
    "drivers.measure.top2": {"en": "Top-2-box share (%)", "ja": "上位2段階の割合 (%)"},
    "drivers.needs_chart_title": {
        "en": "Needs: {measure}, with 95% intervals",
        "ja": "ニーズ別：{measure}（95%信頼区間）",
    },
    "drivers.kd_help": {
        "en": "Which drivers move the outcome most (importance) and how well you do on them (performance). "
        "Importance is each driver's share of the explained variance (Johnson's relative weights), which stays "
        "fair when drivers are correlated.",
        "ja": "どのドライバーが成果指標に最も影響するか（重要度）と、その評価の高さ（パフォーマンス）です。"
        "重要度は説明された分散に占める各ドライバーの割合（ジョンソンの相対的重要度）で、ドライバー同士が相関していても公平に配分されます。",
    },
    "drivers.outcome": {"en": "Outcome", "ja": "成果指標"},
    "drivers.outcome.nps": {"en": "Likelihood to recommend (NPS, 0-10)", "ja": "推奨意向 (NPS, 0〜10)"},
    "drivers.outcome.csat": {"en": "Satisfaction (CSAT, 1-5)", "ja": "満足度 (CSAT, 1〜5)"},
    "drivers.performance": {"en": "Performance", "ja": "パフォーマンス"},
    "drivers.split_by": {"en": "Analyse for", "ja": "分析対象"},
    "drivers.method_options": {"en": "Method options", "ja": "分析方法の設定"},
    "drivers.missing": {"en": "Missing ratings", "ja": "未回答の扱い"},
    "drivers.missing.listwise": {
        "en": "Listwise: only responses that rated every driver",
        "ja": "リストワイズ：すべてのドライバーに回答した回答のみ",
    },
    "drivers.missing.pairwise": {
        "en": "Pairwise: each correlation from the responses that rated both",
        "ja": "ペアワイズ：相関ごとに両方に回答した回答を使用",
    },
    "drivers.quadrant_split": {"en": "Quadrant lines at", "ja": "4象限の境界"},
    "drivers.split.median": {"en": "the medians", "ja": "中央値"},
    "drivers.split.mean": {"en": "the means", "ja": "平均値"},
    "drivers.too_few": {
        "en": "Too few responses with ratings ({n}) to estimate driver importance. Widen the filters.",
        "ja": "評価のある回答が少なすぎる（{n}件）ため、重要度を推定できません。フィルターを広げてください。",
    },
    "drivers.ranking_uncertain": {
        "en": "Ranking uncertain: {reasons} Read the order as a hint, not a finding.",
        "ja": "順位は不確かです：{reasons} 順位は参考程度にご覧ください。",
    },
    "drivers.reason_small_n": {
        "en": "only {n} responses for {drivers} drivers (at least 10 per driver and 30 overall are needed).",
        "ja": "{drivers}個のドライバーに対して回答が{n}件しかありません（1ドライバーあたり10件以上かつ合計30件以上が必要）。",
    },
    "drivers.reason_top_unstable": {
        "en": "the top driver stays first in only {share}% of {resamples} bootstrap resamples.",
        "ja": "最上位のドライバーが1位になるのはブートストラップ{resamples}回中{share}%のみです。",
    },
    "drivers.top_driver": {"en": "Top driver", "ja": "最重要ドライバー"},
    "drivers.r_squared": {"en": "Explained (R²)", "ja": "説明率 (R²)"},
    "drivers.kd_method": {
        "en": "Outcome: {outcome}. Importance = share of R² (Johnson's relative weights), 95% intervals from "
        "{resamples} bootstrap resamples (fixed seed). Missing ratings: {missing}; n = {n} of {responses} "
        "responses. Quadrant lines at {split}.",
        "ja": "成果指標：{outcome}。重要度＝R²に占める割合（ジョンソンの相対的重要度）、95%区間はブートストラップ"
        "{resamples}回（乱数固定）。未回答の扱い：{missing}。n = {n}（全{responses}件中）。4象限の境界：{split}。",
    },
    "drivers.excluded": {
        "en": "Left out of the model (no ratings or no variation in this selection): {drivers}",
        "ja": "この条件では評価がない、またはばらつきがないため分析から除外：{drivers}",
    },
    "drivers.importance": {"en": "Importance (% of R²)", "ja": "重要度 (R²に占める%)"},
    "drivers.chart_key": {"en": "Numbered on the chart: {names}", "ja": "図中の番号: {names}"},
    "drivers.quadrant": {"en": "Priority", "ja": "優先度"},
    "drivers.quadrant_title": {
        "en": "Importance × performance: fix first what matters and scores low",
        "ja": "重要度 × パフォーマンス：重要なのに評価が低いものから改善",
    },
    "drivers.quadrant.fix_first": {"en": "Fix first", "ja": "最優先で改善"},
    "drivers.quadrant.keep_up": {"en": "Keep it up", "ja": "強みを維持"},
    "drivers.quadrant.maintain": {"en": "Maintain", "ja": "現状維持"},
    "drivers.quadrant.lower_priority": {"en": "Lower priority", "ja": "優先度低"},
    "moments.title": {"en": "Moments of truth", "ja": "真実の瞬間"},
    "moments.no_journey": {
        "en": "Your survey has no journey stage or touchpoint, so moments of truth cannot be shown. Add a "
        "'Touchpoint' column saying what each answer is about (e.g. Product demo, Quote and contract, "
        "Onboarding, Order delivery, Support case, Quarterly review) and, if you have it, a 'Journey stage' "
        "column (research, evaluation, purchase, onboarding, use/support, renewal); send short transactional "
        "surveys after those moments; then map the columns on the Data page.",
        "ja": "アンケートにジャーニー段階やタッチポイントの列がないため、真実の瞬間を表示できません。各回答が何に"
        "ついてのものかを示す「タッチポイント」列（例：製品デモ、見積・契約、導入研修、納品、サポート対応、"
        "四半期レビュー）と、可能なら「ジャーニー段階」列（情報収集、評価、購入、導入、利用・サポート、更新）を"
        "追加してください。これらの場面の直後に短いトランザクション調査を送り、データページで列を設定します。",
    },
    "moments.caption": {
        "en": "Overall NPS of the selection {nps} (n = {n}, {ci}). Gaps are measured against it. "
        "{excluded} relationship-survey answers are not a moment and are left out of the list.",
        "ja": "選択範囲全体のNPS {nps}（n = {n}、{ci}）。差はこの値との比較です。"
        "定期的なリレーションシップ調査の回答{excluded}件は特定の場面ではないため一覧から除いています。",
    },
    "moments.include_relationship": {
        "en": "Include relationship surveys as a moment",
        "ja": "リレーションシップ調査も場面として含める",
    },
    "moments.none_in_selection": {
        "en": "No answers in this selection have a journey stage or touchpoint.",
        "ja": "この条件の回答にはジャーニー段階・タッチポイントがありません。",
    },
    "moments.worst": {"en": "Most harmful moment", "ja": "最も悪影響の大きい場面"},
    "moments.worst_delta": {
        "en": "{gap} NPS points vs overall · {impact} net promoters",
        "ja": "全体比 {gap} ポイント · 正味推奨者 {impact}",
    },
    "moments.chart_title": {
        "en": "Impact: net promoters won or lost vs an average answer (volume × gap)",
        "ja": "影響度：平均的な回答と比べて増減した正味推奨者数（件数 × 差）",
    },
    "moments.volume": {"en": "Answers", "ja": "回答数"},
    "moments.detractor_share": {"en": "Detractors (%)", "ja": "批判者 (%)"},
    "moments.gap": {"en": "Gap to overall NPS", "ja": "全体NPSとの差"},
    "moments.impact": {"en": "Impact (net promoters)", "ja": "影響度（正味推奨者数）"},
    "moments.impact_help": {
        "en": "Impact = answers × (moment NPS − overall NPS) / 100; most negative first.",
        "ja": "影響度 = 回答数 ×（場面のNPS − 全体NPS）/ 100。マイナスが大きい順に表示。",
    },
    "moments.by_role": {"en": "Top moments to fix, by role", "ja": "役割別：改善すべき上位の場面"},
    "moments.role_caption": {
        "en": "{role}: NPS {nps} (n = {n}); gaps measured against this role's NPS.",
        "ja": "{role}：NPS {nps}（n = {n}）。差はこの役割のNPSとの比較です。",
    },
    "moments.role_none": {
        "en": "No moment with enough answers scores below this role's average.",
        "ja": "十分な回答数があり、この役割の平均を下回る場面はありません。",
    },
    "drivers.needs_by_group_finding": {
        "en": "weakest: {need} for {group} ({score})",
        "ja": "最も低いのは{group}の{need}（{score}）",
    },
    "drivers.needs_by_group_unclear": {
        "en": "no need is clearly weaker in one group than in the others (lowest: {need} for {group}, {score})",
        "ja": "特定のグループで明確に低いニーズはありません（最も低いのは{group}の{need}：{score}）",
    },
}
