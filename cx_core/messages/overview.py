"""Messages of the Overview page."""

MESSAGES = {
    "overview.title": {"en": "Overview", "ja": "概要"},
    "overview.caption": {
        "en": "{responses} responses from {accounts} accounts · {first} to {last} · filters: {filters}",
        "ja": "{accounts}社・{responses}件の回答 · {first} 〜 {last} · フィルター: {filters}",
    },
    "overview.split_title": {
        "en": "Promoters, passives and detractors (n = {n})",
        "ja": "推奨者・中立者・批判者の割合 (n = {n})",
    },
    "overview.distribution_title": {
        "en": "Answers to 'How likely are you to recommend us?' (n = {n})",
        "ja": "「推奨する可能性」の回答分布 (n = {n})",
    },
    "overview.by_segment": {"en": "NPS by customer segment", "ja": "セグメント別NPS"},
    "overview.by_role": {"en": "NPS by role", "ja": "役割別NPS"},
    "overview.group": {"en": "Group", "ja": "グループ"},
    "overview.share": {"en": "Share (%)", "ja": "割合 (%)"},
    "overview.count": {"en": "Answers", "ja": "回答数"},
    "overview.score": {"en": "Score", "ja": "スコア"},
    "overview.category": {"en": "Category", "ja": "区分"},
    "overview.ci_low": {"en": "95% CI low", "ja": "95%区間 下限"},
    "overview.ci_high": {"en": "95% CI high", "ja": "95%区間 上限"},
    "overview.small": {"en": "Small sample", "ja": "少数サンプル"},
    "overview.no_crm": {
        "en": "Load a CRM file on the Data page to see scores by segment.",
        "ja": "セグメント別のスコアを見るには、データページでCRMファイルを読み込んでください。",
    },
}
