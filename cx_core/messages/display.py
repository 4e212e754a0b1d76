"""Words for how things are shown: metric definitions, table and download controls, settings, and
plain names for the codes that survey tools export (journey stages, survey types, needs)."""

MESSAGES = {
    "metric.nps_help": {
        "en": "Net Promoter Score: the share of promoters (9-10 on 'How likely are you to recommend us?', 0-10) "
        "minus the share of detractors (0-6). From -100 to +100.",
        "ja": "ネット・プロモーター・スコア：「この会社を薦める可能性」(0-10) で9-10と答えた推奨者の割合から、"
        "0-6と答えた批判者の割合を引いた値。-100〜+100。",
    },
    "metric.csat_help": {
        "en": "Customer Satisfaction: the average answer to the overall satisfaction question (higher is better). "
        "Top-2 is the share who chose one of the two best answers.",
        "ja": "顧客満足度：総合満足度の質問への回答の平均（高いほど良い）。上位2段階は、最も良い2つの選択肢を選んだ人の割合。",
    },
    "metric.ces_help": {
        "en": "Customer Effort Score: the average answer to 'How easy was it to deal with us?' (higher means less "
        "effort). Top-2 is the share who chose one of the two easiest answers.",
        "ja": "顧客努力指標：「取引のしやすさ」の質問への回答の平均（高いほど手間が少ない）。"
        "上位2段階は、最も楽な2つの選択肢を選んだ人の割合。",
    },
    "metric.top_box": {"en": "{share} gave one of the top two answers", "ja": "上位2つの選択肢を選んだ人 {share}"},
    "display.choose": {"en": "Choose", "ja": "選択してください"},
    "display.download": {"en": "Download", "ja": "ダウンロード"},
    "display.show_table": {"en": "Table", "ja": "表を表示"},
    "display.money_label": {"en": "{label} ({currency})", "ja": "{label}（{currency}）"},
    "display.currency": {"en": "Currency of ARR", "ja": "ARRの通貨"},
    "display.currency_help": {
        "en": "The currency your CRM export states ARR in. Only the label changes; no conversion.",
        "ja": "CRMのARRの通貨です。表示のみで、換算はしません。",
    },
    "account_page.llm_off": {
        "en": "These actions follow fixed rules. Wording them with an AI assistant can be switched on by "
        "whoever runs this app (see the README).",
        "ja": "これらのアクションは決まったルールに基づいています。AIアシスタントによる文章化は、"
        "このアプリの管理者が有効にできます（READMEを参照）。",
    },
    # codes that survey tools and the sample export, as words
    "code.awareness": {"en": "Awareness", "ja": "認知"},
    "code.evaluation": {"en": "Evaluation", "ja": "検討"},
    "code.purchase": {"en": "Purchase", "ja": "購入"},
    "code.onboarding": {"en": "Onboarding", "ja": "導入"},
    "code.use": {"en": "Use", "ja": "利用"},
    "code.support": {"en": "Support", "ja": "サポート"},
    "code.renewal": {"en": "Renewal", "ja": "更新"},
    "code.relationship": {"en": "Relationship", "ja": "関係全般"},
    "code.transactional": {"en": "Transactional", "ja": "取引時"},
    "code.feeling_valued": {"en": "Feeling valued", "ja": "大切にされている感"},
    "code.enterprise": {"en": "Enterprise", "ja": "大企業"},
    "code.mid-market": {"en": "Mid-market", "ja": "中堅企業"},
    "code.smb": {"en": "SMB", "ja": "中小企業"},
    "code.relationship_survey": {"en": "Relationship survey", "ja": "関係性調査"},
    "code.quote_and_contract": {"en": "Quote and contract", "ja": "見積・契約"},
    "code.support_case": {"en": "Support case", "ja": "サポート対応"},
    "code.order_delivery": {"en": "Order delivery", "ja": "納品"},
    "code.documentation": {"en": "Documentation", "ja": "ドキュメント"},
    "code.onboarding_training": {"en": "Onboarding training", "ja": "導入トレーニング"},
    "code.quarterly_business_review": {"en": "Quarterly business review", "ja": "四半期ビジネスレビュー"},
    "code.product_demo": {"en": "Product demo", "ja": "製品デモ"},
    "metric.effective_n": {
        "en": "effective n ≈ {n} (answers cluster in accounts)",
        "ja": "有効回答数 ≈ {n}（同じアカウントの回答は独立ではありません）",
    },
    "metric.effective_n_col": {"en": "Effective n", "ja": "有効回答数"},
}
