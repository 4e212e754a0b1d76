"""Messages of the account views: Accounts, Account and Follow-up pages, risk reasons, actions."""

MESSAGES = {
    "nav.accounts": {"en": "Accounts", "ja": "アカウント"},
    "nav.account": {"en": "Account", "ja": "アカウント詳細"},
    "nav.follow_up": {"en": "Follow-up", "ja": "フォローアップ"},
    # shared by the three pages
    "accounts.as_of": {"en": "As of", "ja": "基準日"},
    "accounts.as_of_help": {
        "en": "Renewals, periods and due dates are counted from this date.",
        "ja": "更新日・期間・期限はこの日付を基準に計算します。",
    },
    "accounts.no_crm": {
        "en": "Account views need a CRM file. On the Data page, load your CRM accounts export "
        "(account id, ARR, renewal date, owner, segment, churned) together with the survey.",
        "ja": "アカウント画面にはCRMファイルが必要です。データページで、アンケートと一緒にCRMのアカウント一覧"
        "（アカウントID、ARR、更新日、担当者、セグメント、解約フラグ）を読み込んでください。",
    },
    "accounts.periods": {
        "en": "Latest period: {latest_from} to {as_of} ({days} days); change compares it with {previous_from} "
        "to {previous_to}. Weighted NPS weights each role's NPS by its influence. Segment, industry, region "
        "and owner filters apply; the date range does not.",
        "ja": "直近期間: {latest_from} 〜 {as_of}（{days}日間）。変化はその前の {previous_from} 〜 {previous_to} "
        "との比較です。加重NPSは役割ごとのNPSを影響度で重み付けしたものです。セグメント・業種・地域・担当者の"
        "フィルターを適用し、期間フィルターは適用しません。",
    },
    "accounts.risk.high": {"en": "High", "ja": "高"},
    "accounts.risk.medium": {"en": "Medium", "ja": "中"},
    "accounts.risk.low": {"en": "Low", "ja": "低"},
    "accounts.reason.churned": {"en": "Marked churned in the CRM", "ja": "CRMで解約済み"},
    "accounts.reason.detractor_decision_maker": {
        "en": "A decision maker is a detractor",
        "ja": "意思決定者が批判者",
    },
    "accounts.reason.renewal_soon": {"en": "Renewal within {days} days", "ja": "{days}日以内に更新"},
    "accounts.reason.nps_drop": {
        "en": "Weighted NPS fell by more than {points} points",
        "ja": "加重NPSが{points}ポイント超低下",
    },
    "accounts.reason.negative_nps": {"en": "Weighted NPS below zero", "ja": "加重NPSがマイナス"},
    "accounts.reason.key_roles_silent": {
        "en": "No decision maker answered",
        "ja": "意思決定者の回答なし",
    },
    "accounts.category.promoter": {"en": "Promoter accounts (≥ +30)", "ja": "推奨アカウント（+30以上）"},
    "accounts.category.passive": {"en": "Passive accounts (0 to +30)", "ja": "中立アカウント（0〜+30）"},
    "accounts.category.detractor": {"en": "Detractor accounts (< 0)", "ja": "批判アカウント（0未満）"},
    "accounts.category.no_response": {"en": "No recent answer", "ja": "直近の回答なし"},
    # Accounts page
    "accounts.title": {"en": "Accounts", "ja": "アカウント"},
    "accounts.health_title": {"en": "Account health", "ja": "アカウントの健全性"},
    "accounts.count_caption": {
        "en": "{accounts} accounts · {high} high risk · {medium} medium · {low} low",
        "ja": "{accounts}社 · 高リスク {high} · 中 {medium} · 低 {low}",
    },
    "accounts.metric_arr_at_risk": {"en": "ARR at risk", "ja": "リスクのあるARR"},
    "accounts.metric_accounts_at_risk": {"en": "High-risk accounts", "ja": "高リスクのアカウント"},
    "accounts.metric_total_arr": {"en": "Total ARR", "ja": "ARR合計"},
    "accounts.arr_at_risk_help": {
        "en": "ARR of the high-risk accounts: {share}% of the ARR shown.",
        "ja": "高リスクのアカウントのARR（表示中ARRの{share}%）。",
    },
    "accounts.risk_filter": {"en": "Risk level", "ja": "リスクレベル"},
    "accounts.rules_title": {"en": "How the risk level is set", "ja": "リスクレベルの決め方"},
    "accounts.rules_text": {
        "en": "High: the CRM marks the account churned, or the renewal is within {renewal_days} days while the "
        "survey shows a warning (a decision maker is a detractor, weighted NPS fell by more than {drop} points, "
        "weighted NPS below zero, or no decision maker answered). Medium: any of those survey warnings without a "
        "renewal coming up. Low: none. Decision makers are: {key_roles}. One survey wave of a few people moves an "
        "account's NPS a lot, so survey warnings alone make an account medium, not high; every detractor is on "
        "the follow-up list anyway.",
        "ja": "高: CRMで解約済み、または{renewal_days}日以内に更新があり、アンケートに警告（意思決定者が批判者、"
        "加重NPSが{drop}ポイント超低下、加重NPSがマイナス、意思決定者の回答なし）がある場合。中: 更新が近くない"
        "がアンケートの警告がある場合。低: いずれもない場合。意思決定者: {key_roles}。少人数の1回の調査で"
        "アカウントのNPSは大きく動くため、アンケートの警告だけでは「中」とします。批判者は全員フォローアップ"
        "リストに載ります。",
    },
    "accounts.outcomes_title": {"en": "CX and business outcomes", "ja": "CXと事業成果"},
    "accounts.outcomes_caption": {
        "en": "Accounts grouped by their weighted NPS of the latest period; churn is the CRM's churn flag. "
        "An association, not proof of cause. Intervals are 95% (Wilson).",
        "ja": "直近期間の加重NPSでアカウントを分類。解約はCRMの解約フラグです。相関であり因果の証明ではありません。"
        "区間は95%（ウィルソン法）。",
    },
    "accounts.by_category": {"en": "By account NPS category", "ja": "アカウントNPS区分別"},
    "accounts.by_band": {"en": "By weighted NPS band", "ja": "加重NPS帯別"},
    "accounts.small_data": {
        "en": "Too little data to compare churn rates: {accounts} accounts and {churned} churned "
        "(at least {min_accounts} accounts and {min_churned} churned are needed). Read these as anecdotes.",
        "ja": "解約率を比較するにはデータが少なすぎます: {accounts}社、解約{churned}社（最低{min_accounts}社・"
        "解約{min_churned}社が必要）。参考程度にご覧ください。",
    },
    "accounts.col.group": {"en": "Group", "ja": "グループ"},
    "accounts.col.accounts": {"en": "Accounts", "ja": "アカウント数"},
    "accounts.col.churned": {"en": "Churned", "ja": "解約"},
    "accounts.col.churn_rate": {"en": "Churn rate (%)", "ja": "解約率 (%)"},
    "accounts.col.churn_ci_low": {"en": "95% CI low", "ja": "95%区間 下限"},
    "accounts.col.churn_ci_high": {"en": "95% CI high", "ja": "95%区間 上限"},
    "accounts.col.arr": {"en": "ARR", "ja": "ARR"},
    "accounts.col.churned_arr": {"en": "Churned ARR", "ja": "解約ARR"},
    "accounts.col.arr_share": {"en": "Share of ARR (%)", "ja": "ARR構成比 (%)"},
    "accounts.col.small_sample": {"en": "Small sample", "ja": "少数サンプル"},
    "accounts.col.account_id": {"en": "Account ID", "ja": "アカウントID"},
    "accounts.col.account_name": {"en": "Account", "ja": "アカウント名"},
    "accounts.col.segment": {"en": "Segment", "ja": "セグメント"},
    "accounts.col.owner": {"en": "Owner", "ja": "担当者"},
    "accounts.col.renewal_date": {"en": "Renewal", "ja": "更新日"},
    "accounts.col.days_to_renewal": {"en": "Days to renewal", "ja": "更新まで（日）"},
    "accounts.col.respondents": {"en": "Respondents (latest)", "ja": "回答者数（直近）"},
    "accounts.col.roles_responded": {"en": "Roles that answered", "ja": "回答した役割"},
    "accounts.col.roles_missing": {"en": "Key roles silent", "ja": "未回答の重要な役割"},
    "accounts.col.weighted_nps": {"en": "Weighted NPS", "ja": "加重NPS"},
    "accounts.col.nps_change": {"en": "Change", "ja": "変化"},
    "accounts.col.detractors": {"en": "Detractors", "ja": "批判者数"},
    "accounts.col.latest_comments": {"en": "Latest comments", "ja": "最新のコメント"},
    "accounts.col.risk": {"en": "Risk", "ja": "リスク"},
    "accounts.col.reasons": {"en": "Reasons", "ja": "理由"},
    "accounts.col.churned_flag": {"en": "Churned", "ja": "解約"},
    # next best actions, by need and by risk reason
    "accounts.action.need.product": {
        "en": "Review the account's recent defects with quality assurance and share a corrective-action plan.",
        "ja": "品質保証部門と直近の不具合を確認し、是正計画を共有する。",
    },
    "accounts.action.need.price": {
        "en": "Walk procurement through a clear price breakdown and explain changes in recent quotes and invoices.",
        "ja": "購買担当に価格の内訳を説明し、直近の見積もり・請求の変更点を明確にする。",
    },
    "accounts.action.need.fulfilment": {
        "en": "Review recent delivery performance with logistics; agree firm dates and early warning of delays.",
        "ja": "物流部門と直近の納期実績を確認し、確実な納期と遅延時の事前連絡を約束する。",
    },
    "accounts.action.need.reassurance": {
        "en": "Give the account a named support contact and a response-time commitment; check open cases.",
        "ja": "専任のサポート窓口と回答時間を約束し、未解決の問い合わせを確認する。",
    },
    "accounts.action.need.feeling_valued": {
        "en": "Recognise the buyer's contribution: prepare a savings and value report they can share internally.",
        "ja": "購買担当の貢献を認め、社内で共有できるコスト削減・価値のレポートを用意する。",
    },
    "accounts.action.need.trust": {
        "en": "Set up an executive meeting with the account manager to review the relationship and business goals.",
        "ja": "担当営業と経営層の面談を設定し、関係と事業目標を確認する。",
    },
    "accounts.action.need.effort": {
        "en": "Make us easier to work with: fix the documentation and ordering steps they struggle with.",
        "ja": "取引の手間を減らす：分かりにくいマニュアルや発注手順を改善する。",
    },
    "accounts.action.need.other": {
        "en": "Call the respondent to understand the issue and agree next steps.",
        "ja": "回答者に連絡して課題を確認し、次のステップを合意する。",
    },
    "accounts.action.reason.churned": {
        "en": "Confirm the churn with the owner and plan a win-back conversation.",
        "ja": "担当者と解約状況を確認し、再獲得に向けた対話を計画する。",
    },
    "accounts.action.reason.detractor_decision_maker": {
        "en": "Owner and an executive sponsor call the detractor decision makers before the renewal.",
        "ja": "担当者と役員が、更新前に批判者である意思決定者に連絡する。",
    },
    "accounts.action.reason.renewal_soon": {
        "en": "Prepare the renewal conversation with the account team.",
        "ja": "アカウントチームと更新の商談を準備する。",
    },
    "accounts.action.reason.nps_drop": {
        "en": "Find out what changed since the previous period: review the latest comments with the account team.",
        "ja": "前期から何が変わったかを確認する：アカウントチームと最新のコメントを見直す。",
    },
    "accounts.action.reason.negative_nps": {
        "en": "Agree a recovery plan on the weakest drivers with the account team.",
        "ja": "最も評価の低い項目について、アカウントチームと改善計画を合意する。",
    },
    "accounts.action.reason.key_roles_silent": {
        "en": "Reach the silent decision makers before the renewal: ask for a meeting or a short interview.",
        "ja": "更新前に回答のない意思決定者に連絡し、面談または短いヒアリングを依頼する。",
    },
    "accounts.evidence.driver": {
        "en": "{label}: {account} vs {segment} in the segment (n = {n})",
        "ja": "{label}: {account}（セグメント平均 {segment}、n = {n}）",
    },
    "accounts.evidence.theme": {
        "en": 'Theme "{label}": {count} recent comment(s) from a non-promoter (e.g. {response_id})',
        "ja": "テーマ「{label}」: 推奨者以外の最近のコメント {count}件（例: {response_id}）",
    },
    "accounts.need.product": {"en": "Product", "ja": "製品力"},
    "accounts.need.price": {"en": "Price", "ja": "価格力"},
    "accounts.need.fulfilment": {"en": "Fulfilment", "ja": "契約履行"},
    "accounts.need.reassurance": {"en": "Reassurance", "ja": "安心感"},
    "accounts.need.feeling_valued": {"en": "Feeling valued", "ja": "大切にされている感"},
    "accounts.need.trust": {"en": "Trust", "ja": "信頼感"},
    "accounts.need.effort": {"en": "Effort", "ja": "手間の少なさ"},
    "accounts.need.other": {"en": "Other", "ja": "その他"},
    # Account page
    "account_page.title": {"en": "Account", "ja": "アカウント詳細"},
    "account_page.pick": {"en": "Account", "ja": "アカウント"},
    "account_page.summary": {
        "en": "{segment} · owner {owner} · renewal {renewal} · {respondents} respondents in the latest period",
        "ja": "{segment} · 担当 {owner} · 更新日 {renewal} · 直近期間の回答者 {respondents}名",
    },
    "account_page.metric_arr": {"en": "ARR", "ja": "ARR"},
    "account_page.metric_risk": {"en": "Risk", "ja": "リスク"},
    "account_page.metric_wnps": {"en": "Weighted NPS (latest)", "ja": "加重NPS（直近）"},
    "account_page.metric_change": {"en": "Change vs previous period", "ja": "前期比"},
    "account_page.reasons": {"en": "Why: {reasons}", "ja": "理由: {reasons}"},
    "account_page.silent": {
        "en": "No answer in the latest period from: {roles}",
        "ja": "直近期間に回答のない役割: {roles}",
    },
    "account_page.timeline_title": {"en": "Every answer over time, by role", "ja": "役割別の回答の推移"},
    "account_page.timeline_caption": {
        "en": "Mean likelihood to recommend (0-10) per day and role; the size of a point is the number of answers.",
        "ja": "日別・役割別の推奨度（0-10）の平均。点の大きさは回答数です。",
    },
    "account_page.verbatims": {"en": "What they said", "ja": "コメント"},
    "account_page.drivers": {"en": "Driver scores vs the segment", "ja": "セグメントと比べた評価項目"},
    "account_page.drivers_caption": {
        "en": "Mean rating over the {days} days up to {as_of}, against every account of the same segment.",
        "ja": "{as_of}までの{days}日間の平均評価を、同じセグメントの全アカウントと比較しています。",
    },
    "account_page.actions": {"en": "Suggested next best actions", "ja": "推奨される次のアクション"},
    "account_page.actions_caption": {
        "en": "Rule-based: from the drivers furthest below the segment and from the themes of recent "
        "non-promoter comments.",
        "ja": "ルールに基づく提案：セグメントを最も下回る評価項目と、最近の推奨者以外のコメントのテーマから。",
    },
    "account_page.actions_llm_caption": {
        "en": "Phrased by the LLM from the weakest drivers, the themes and the rule-based actions "
        "(personal data and account names were redacted before sending). Check before acting.",
        "ja": "最も弱い評価項目・テーマ・ルールに基づく提案をもとにLLMが表現したものです"
        "（送信前に個人情報とアカウント名を伏せています）。実行前に確認してください。",
    },
    "account_page.no_actions": {
        "en": "Nothing stands out: no driver is clearly below the segment and no recent complaint theme.",
        "ja": "目立つ課題はありません（セグメントを明らかに下回る項目も、最近の不満のテーマもありません）。",
    },
    "account_page.scope": {
        "en": "{account} · answers up to {as_of}",
        "ja": "{account} · {as_of}までの回答",
    },
    "account_page.themes": {"en": "Themes in this account's comments", "ja": "このアカウントのコメントのテーマ"},
    "account_page.themes_caption": {
        "en": "Themes found in every comment of the data set (offline engine, or the LLM-named themes when "
        "they were run on the Themes page); a complaint theme is one whose commenters are more detractors "
        "than promoters. Only non-promoter comments of the last {days} days suggest actions.",
        "ja": "データ全体のコメントから抽出したテーマです（オフラインエンジン、またはテーマページでLLMを実行した場合は"
        "その結果）。不満のテーマとは、コメントした人に批判者が推奨者より多いテーマです。"
        "アクションの提案には直近{days}日間の推奨者以外のコメントのみを使います。",
    },
    "account_page.finding.actions": {
        "en": "Start with {need} ({count} suggested)",
        "ja": "まず{need}から（提案 {count}件）",
    },
    "account_page.finding.theme": {
        "en": 'Most recent complaints are about "{label}" ({count})',
        "ja": "最近の不満は「{label}」が最多（{count}件）",
    },
    "account_page.finding.no_complaint_theme": {
        "en": "No complaint theme in the last {days} days",
        "ja": "直近{days}日間に不満のテーマはありません",
    },
    "account_page.finding.no_themes": {
        "en": "No comment of this account belongs to a theme",
        "ja": "このアカウントのコメントはどのテーマにも属していません",
    },
    "account_page.finding.timeline": {
        "en": "Lowest mean score from {role}: {mean} of 10 (n = {n})",
        "ja": "平均推奨度が最も低いのは{role}（10点中{mean}、n = {n}）",
    },
    "account_page.finding.verbatims": {
        "en": "{count} comments, the latest on {latest}",
        "ja": "コメント {count}件（最新 {latest}）",
    },
    "account_page.finding.driver": {
        "en": "Furthest below the segment: {label} ({gap})",
        "ja": "セグメントを最も下回る項目: {label}（{gap}）",
    },
    "account_page.finding.no_weak_driver": {
        "en": "No driver below the segment",
        "ja": "セグメントを下回る項目はありません",
    },
    "account_page.llm_button": {"en": "Phrase the actions with the LLM", "ja": "LLMでアクションを表現する"},
    "account_page.llm_help": {
        "en": 'Sends only the redacted facts shown under "What will be sent" to the configured endpoint.',
        "ja": "「送信する内容」に表示された、伏せ字処理済みの情報のみを設定済みのエンドポイントに送信します。",
    },
    "account_page.llm_preview": {"en": "What will be sent", "ja": "送信する内容"},
    "account_page.llm_not_configured": {
        "en": "To have an LLM phrase the actions, set OPENAI_API_KEY (and optionally OPENAI_BASE_URL and "
        "CX_LLM_MODEL) in the environment or in .streamlit/secrets.toml.",
        "ja": "LLMでアクションを表現するには、環境変数または .streamlit/secrets.toml に OPENAI_API_KEY"
        "（必要に応じて OPENAI_BASE_URL と CX_LLM_MODEL）を設定してください。",
    },
    "account_page.llm_done": {
        "en": "Actions phrased by {model}.",
        "ja": "{model} がアクションを表現しました。",
    },
    "account_page.llm_show_rules": {"en": "Show the rule-based actions", "ja": "ルールに基づく提案を表示"},
    "account_page.llm_failed": {
        "en": "The LLM could not phrase the actions ({reason}); showing the rule-based actions.",
        "ja": "LLMでアクションを表現できませんでした（{reason}）。ルールに基づく提案を表示しています。",
    },
    "account_page.llm_no_key": {
        "en": "No LLM is configured; showing the rule-based actions.",
        "ja": "LLMが設定されていないため、ルールに基づく提案を表示しています。",
    },
    "account_page.llm_nothing": {
        "en": "There is nothing to phrase: no weak driver and no theme for this account.",
        "ja": "表現する内容がありません（弱い評価項目もテーマもありません）。",
    },
    "account_page.no_responses": {
        "en": "This account has no survey answers up to this date.",
        "ja": "このアカウントには、この日付までのアンケート回答がありません。",
    },
    "account_page.col.date": {"en": "Date", "ja": "日付"},
    "account_page.col.role": {"en": "Role", "ja": "役割"},
    "account_page.col.nps": {"en": "Score (0-10)", "ja": "推奨度 (0-10)"},
    "account_page.col.mean_nps": {"en": "Mean score (0-10)", "ja": "平均推奨度 (0-10)"},
    "account_page.col.answers": {"en": "Answers", "ja": "回答数"},
    "account_page.col.comment": {"en": "Comment", "ja": "コメント"},
    "account_page.col.themes": {"en": "Themes", "ja": "テーマ"},
    "account_page.col.theme": {"en": "Theme", "ja": "テーマ"},
    "account_page.col.comments": {"en": "Comments", "ja": "コメント数"},
    "account_page.col.non_promoters": {"en": "From non-promoters", "ja": "推奨者以外から"},
    "account_page.col.recent_complaints": {"en": "Recent complaints", "ja": "最近の不満"},
    "account_page.col.theme_nps": {"en": "Theme NPS (all data)", "ja": "テーマのNPS（全データ）"},
    "account_page.col.response_id": {"en": "Response ID", "ja": "回答ID"},
    "account_page.col.quote": {"en": "Example quote", "ja": "コメント例"},
    "account_page.col.touchpoint": {"en": "Touchpoint", "ja": "タッチポイント"},
    "account_page.col.driver": {"en": "Driver", "ja": "評価項目"},
    "account_page.col.need": {"en": "Need", "ja": "ニーズ"},
    "account_page.col.account_mean": {"en": "This account", "ja": "このアカウント"},
    "account_page.col.account_n": {"en": "n (account)", "ja": "n（アカウント）"},
    "account_page.col.segment_mean": {"en": "Segment", "ja": "セグメント"},
    "account_page.col.segment_n": {"en": "n (segment)", "ja": "n（セグメント）"},
    "account_page.col.gap": {"en": "Gap", "ja": "差"},
    "account_page.col.evidence": {"en": "Why", "ja": "根拠"},
    "account_page.col.action": {"en": "Action", "ja": "アクション"},
    # Follow-up page
    "follow_up.title": {"en": "Follow-up", "ja": "フォローアップ"},
    "follow_up.caption": {
        "en": "Whom to call, why and about what: every detractor of the latest period ({latest_from} to {as_of}) "
        "and every high-risk account, largest ARR first. Detractors are due in {detractor_days} business days, "
        "high-risk accounts in {account_days} days.",
        "ja": "誰に、なぜ、何について連絡するか：直近期間（{latest_from} 〜 {as_of}）のすべての批判者と"
        "高リスクのアカウント（ARRの大きい順）。批判者は{detractor_days}営業日以内、高リスクのアカウントは"
        "{account_days}日以内が期限です。",
    },
    "follow_up.totals": {
        "en": "{items} items · {open} open · {accounts} high-risk accounts · ARR at risk {arr}",
        "ja": "{items}件 · 未完了 {open}件 · 高リスクのアカウント {accounts}社 · リスクのあるARR {arr}",
    },
    "follow_up.show_done": {"en": "Show done items", "ja": "完了した項目も表示"},
    "follow_up.owner_filter": {"en": "Owner", "ja": "担当者"},
    "follow_up.search": {"en": "Search", "ja": "検索"},
    "follow_up.search_hint": {
        "en": "Account, owner, why, comment or note",
        "ja": "アカウント・担当者・理由・コメント・メモ",
    },
    "follow_up.shown": {"en": "{shown} of {total} items shown", "ja": "{total}件中{shown}件を表示"},
    "follow_up.kind.account": {"en": "At-risk account", "ja": "リスクのあるアカウント"},
    "follow_up.kind.detractor": {"en": "Detractor", "ja": "批判者"},
    "follow_up.detractor_reason": {
        "en": "Detractor: {role} scored {score}/10 on {date}",
        "ja": "批判者: {role}が{date}に{score}/10と回答",
    },
    "follow_up.save": {"en": "Save changes", "ja": "変更を保存"},
    "follow_up.saved": {"en": "Saved {count} change(s).", "ja": "{count}件の変更を保存しました。"},
    "follow_up.download_csv": {"en": "Download CSV", "ja": "CSVをダウンロード"},
    "follow_up.download_xlsx": {"en": "Download Excel", "ja": "Excelをダウンロード"},
    "follow_up.empty": {
        "en": "Nobody to call: no detractor and no high-risk account.",
        "ja": "連絡が必要な相手はいません。",
    },
    "follow_up.col.kind": {"en": "Type", "ja": "種別"},
    "follow_up.col.account_id": {"en": "Account ID", "ja": "アカウントID"},
    "follow_up.col.account_name": {"en": "Account", "ja": "アカウント名"},
    "follow_up.col.owner": {"en": "Owner", "ja": "担当者"},
    "follow_up.col.arr": {"en": "ARR", "ja": "ARR"},
    "follow_up.col.risk": {"en": "Risk", "ja": "リスク"},
    "follow_up.col.reason": {"en": "Why", "ja": "理由"},
    "follow_up.col.comment": {"en": "Comment", "ja": "コメント"},
    "follow_up.col.action": {"en": "Suggested action", "ja": "推奨アクション"},
    "follow_up.col.due_date": {"en": "Due", "ja": "期限"},
    "follow_up.col.done": {"en": "Done", "ja": "完了"},
    "follow_up.col.note": {"en": "Note", "ja": "メモ"},
    "follow_up.col.item_id": {"en": "Item", "ja": "項目"},
    "accounts.finding_churn": {
        "en": "{group} churns most: {rate} of {accounts} accounts",
        "ja": "解約率が最も高いのは{group}（{accounts}社中{rate}）",
    },
    "accounts.small_data_short": {
        "en": "too few accounts to compare churn rates",
        "ja": "解約率を比較するにはアカウントが少なすぎます",
    },
    "accounts.finding_churn_unclear": {
        "en": "No clear difference in churn between groups: the highest, {group} ({rate} of {accounts} accounts), "
        "is within the margin of error of the rest",
        "ja": "グループ間で解約率に明確な差はありません: 最も高い{group}（{accounts}社中{rate}）も他との差は誤差の範囲内です",
    },
    "accounts.churn_test_note": {
        "en": "A group is said to churn most only when its churn rate differs from the other accounts' at 95% "
        "after a Holm correction over the {k} groups.",
        "ja": "解約率が最も高いと示すのは、{k}グループでHolm補正したうえで他のアカウントとの差が95%で有意な場合のみです。",
    },
}
