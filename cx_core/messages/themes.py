"""Messages of the Themes page (verbatim themes)."""

MESSAGES = {
    "nav.themes": {"en": "Themes", "ja": "テーマ"},
    "themes.title": {"en": "Verbatim themes", "ja": "コメントのテーマ"},
    "themes.caption": {
        "en": "{comments} comments · {substantive} with content · {non_answers} non-answers (e.g. 'no comment') "
        "· {uncovered} of comments with content got no theme · engine: {engine}",
        "ja": "コメント{comments}件 · 内容あり{substantive}件 · 無回答{non_answers}件（「特になし」など） "
        "· テーマなし{uncovered} · エンジン: {engine}",
    },
    "themes.no_comments": {
        "en": "No comments in the selected responses.",
        "ja": "選択した回答にコメントがありません。",
    },
    "themes.engine": {"en": "Engine", "ja": "エンジン"},
    "themes.engine.offline": {
        "en": "Offline (no key, nothing leaves this machine)",
        "ja": "オフライン（キー不要・外部送信なし）",
    },
    "themes.engine.llm": {"en": "LLM (names and explains each theme)", "ja": "LLM（テーマ名と説明を生成）"},
    "themes.llm_settings": {"en": "LLM settings", "ja": "LLMの設定"},
    "themes.api_key": {
        "en": "API key (kept for this session only, never shown)",
        "ja": "APIキー（このセッションのみ保持・表示しません）",
    },
    "themes.base_url": {"en": "Base URL (empty = OpenAI)", "ja": "ベースURL（空欄 = OpenAI）"},
    "themes.model": {"en": "Model", "ja": "モデル"},
    "themes.key_source": {"en": "A key is configured ({source}).", "ja": "キーが設定されています（{source}）。"},
    "themes.llm_needs_key": {
        "en": "To use the LLM engine, set OPENAI_API_KEY (and optionally OPENAI_BASE_URL for Azure, Ollama or "
        "vLLM, and CX_LLM_MODEL) as environment variables or in .streamlit/secrets.toml, or enter a key in "
        "the settings above. Showing offline themes meanwhile.",
        "ja": "LLMエンジンを使うには、環境変数または .streamlit/secrets.toml に OPENAI_API_KEY（必要に応じて "
        "OPENAI_BASE_URL〔Azure・Ollama・vLLM用〕と CX_LLM_MODEL）を設定するか、上の設定でキーを入力して"
        "ください。それまではオフラインのテーマを表示します。",
    },
    "themes.estimate": {
        "en": "{requests} requests (one per theme, not per comment) · about {tokens_in} input and {tokens_out} "
        "output tokens · estimated cost ${cost} at the configured prices",
        "ja": "リクエスト{requests}件（コメント単位ではなくテーマ単位）· 入力約{tokens_in}・出力約{tokens_out}"
        "トークン · 想定費用 ${cost}",
    },
    "themes.preview": {
        "en": "Preview exactly what will be sent (redacted)",
        "ja": "送信内容のプレビュー（匿名化済み）",
    },
    "themes.run_llm": {"en": "Name themes with the LLM", "ja": "LLMでテーマ名を生成"},
    "themes.progress": {"en": "Asking the model: {status}", "ja": "モデルに問い合わせ中: {status}"},
    "themes.llm_cached": {
        "en": "LLM names from this session (same comments, prompt and model).",
        "ja": "このセッションのLLM結果を表示しています（同じコメント・プロンプト・モデル）。",
    },
    "themes.table": {"en": "Themes", "ja": "テーマ一覧"},
    "themes.col.label": {"en": "Theme", "ja": "テーマ"},
    "themes.col.count": {"en": "Comments", "ja": "コメント数"},
    "themes.col.share": {"en": "Share of comments (%)", "ja": "コメントに占める割合 (%)"},
    "themes.col.mean_nps": {"en": "Mean score (0-10)", "ja": "平均スコア (0-10)"},
    "themes.col.detractors": {"en": "Detractors (%)", "ja": "批判者 (%)"},
    "themes.col.nps": {"en": "NPS", "ja": "NPS"},
    "themes.col.need": {"en": "Need", "ja": "ニーズ"},
    "themes.col.description": {"en": "Description", "ja": "説明"},
    "themes.col.action": {"en": "Suggested action", "ja": "推奨アクション"},
    "themes.col.source": {"en": "Named by", "ja": "命名"},
    "themes.col.group": {"en": "Group", "ja": "グループ"},
    "themes.col.n": {"en": "Comments in group (n)", "ja": "グループのコメント数 (n)"},
    "themes.col.quarter": {"en": "Quarter", "ja": "四半期"},
    "themes.col.response_id": {"en": "Response ID", "ja": "回答ID"},
    "themes.col.quote": {"en": "Comment", "ja": "コメント"},
    "themes.col.subtheme": {"en": "Sub-theme", "ja": "サブテーマ"},
    "themes.col.subthemes": {"en": "Breaks down into", "ja": "内訳"},
    "themes.subtheme_general": {"en": "in general", "ja": "全般"},
    "themes.col.share_of_theme": {"en": "Share of the theme's comments (%)", "ja": "テーマのコメントに占める割合（%）"},
    "themes.col.excerpt": {"en": "Part about this theme", "ja": "テーマに該当する部分"},
    "themes.col.n_with": {"en": "n with theme", "ja": "テーマあり n"},
    "themes.col.nps_with": {"en": "NPS with theme", "ja": "テーマありのNPS"},
    "themes.col.n_without": {"en": "n without theme", "ja": "テーマなし n"},
    "themes.col.nps_without": {"en": "NPS without theme", "ja": "テーマなしのNPS"},
    "themes.col.difference": {"en": "Difference (points)", "ja": "差（ポイント）"},
    "themes.col.difference_ci": {"en": "95% interval of the difference", "ja": "差の95%区間"},
    "themes.col.p_adjusted": {"en": "p (Holm-adjusted)", "ja": "p値（Holm補正）"},
    "themes.chart_title": {
        "en": "Comments per theme (n = {n} comments with content)",
        "ja": "テーマ別コメント数（内容あり n = {n}）",
    },
    "themes.by_segment": {
        "en": "Themes by customer segment (share of the segment's comments)",
        "ja": "セグメント別テーマ（セグメント内コメントに占める割合）",
    },
    "themes.by_role": {
        "en": "Themes by role (share of the role's comments)",
        "ja": "役割別テーマ（役割内コメントに占める割合）",
    },
    "themes.impact": {
        "en": "Theme impact on NPS: comments with vs without the theme",
        "ja": "テーマのNPSへの影響: テーマあり/なしのNPS比較",
    },
    "themes.trend": {
        "en": "Theme trend by quarter (share of that quarter's comments)",
        "ja": "四半期別テーマ推移（その四半期のコメントに占める割合）",
    },
    "themes.quotes": {"en": "Read the quotes of a theme", "ja": "テーマのコメントを読む"},
    "themes.subthemes": {"en": "What the theme breaks down into", "ja": "テーマの内訳"},
    "themes.finding_subthemes": {
        "en": "{count} of the {total} comments of {theme} are about {subtheme}",
        "ja": "「{theme}」の{total}件のうち{count}件が「{subtheme}」についてです",
    },
    "themes.subthemes_note": {
        "en": "Sub-themes are named by the offline engine from the words their comments share; a comment "
        "can be about more than one.",
        "ja": "サブテーマの名前は、コメントに共通する語からオフラインエンジンが付けています。"
        "1件のコメントが複数のサブテーマに含まれることがあります。",
    },
    "themes.pick_theme": {"en": "Theme", "ja": "テーマ"},
    "themes.all_quotes": {"en": "All {n} comments of this theme", "ja": "このテーマの全コメント（{n}件）"},
    "themes.part_quotes": {
        "en": "The {n} comments of this theme about {subtheme}",
        "ja": "このテーマのうち「{subtheme}」についてのコメント（{n}件）",
    },
    "themes.pick_subtheme": {"en": "Part of the theme", "ja": "テーマの内訳"},
    "themes.all_parts": {"en": "All comments", "ja": "すべてのコメント"},
    "themes.small_groups": {
        "en": "Groups with fewer than {min_n} comments are flagged small: read their shares with care.",
        "ja": "コメントが{min_n}件未満のグループは少数サンプルです。割合の解釈に注意してください。",
    },
    "themes.source.offline": {"en": "offline", "ja": "オフライン"},
    "themes.source.llm": {"en": "LLM", "ja": "LLM"},
    "themes.msg.no_key": {
        "en": "No LLM key is configured: showing offline themes.",
        "ja": "LLMのキーが設定されていないため、オフラインのテーマを表示しています。",
    },
    "themes.msg.llm_failed": {
        "en": "The LLM could not name the themes ({reason}): showing offline themes.",
        "ja": "LLMでテーマ名を生成できませんでした（{reason}）。オフラインのテーマを表示しています。",
    },
    "themes.msg.llm_partial": {
        "en": "{failed} theme(s) kept their offline label ({reason}).",
        "ja": "{failed}件のテーマはオフラインの名前のままです（{reason}）。",
    },
    "themes.reason.rate_limit": {"en": "rate limit reached (429)", "ja": "レート制限（429）"},
    "themes.reason.timeout": {"en": "the endpoint did not answer in time", "ja": "応答がタイムアウトしました"},
    "themes.reason.connection": {"en": "the endpoint cannot be reached", "ja": "接続できません"},
    "themes.reason.server": {"en": "server error", "ja": "サーバーエラー"},
    "themes.reason.auth": {"en": "the key was rejected", "ja": "キーが拒否されました"},
    "themes.reason.model_not_found": {"en": "the model was not found", "ja": "モデルが見つかりません"},
    "themes.reason.rejected": {"en": "the request was rejected", "ja": "リクエストが拒否されました"},
    "themes.reason.invalid": {
        "en": "the answers were not valid or cited quotes outside the theme",
        "ja": "回答が不正か、テーマ外の引用を含んでいました",
    },
    "themes.reason.client": {"en": "the settings are not usable", "ja": "設定が使用できません"},
    "themes.col.side": {"en": "Side", "ja": "評価"},
    "themes.col.split": {
        "en": "Topic: praise / complaints / requests / neutral",
        "ja": "話題全体: 好評 / 不満 / 要望 / 中立",
    },
    "themes.side.praise": {"en": "praise", "ja": "好評"},
    "themes.col.support": {"en": "Mentions using the name's words (%)", "ja": "名前の語を含む言及 (%)"},
    "themes.side.complaint": {"en": "complaint", "ja": "不満"},
    "themes.side.neutral": {"en": "neutral", "ja": "中立"},
    "themes.side.request": {"en": "request", "ja": "要望"},
    "themes.split": {
        "en": "praise {praise} / complaints {complaint} / requests {request} / neutral {neutral}",
        "ja": "好評 {praise} / 不満 {complaint} / 要望 {request} / 中立 {neutral}",
    },
    "themes.offline_progress": {"en": "Finding themes: {status}", "ja": "テーマを抽出中: {status}"},
    "themes.broad": {
        "en": "Broad topic (over 30% of comments; its comments say it too many ways to make two topics): "
        "{topics}. Pick it under 'Read the quotes of a theme' to see what it breaks down into.",
        "ja": "広い話題（コメントの30%超。言い方が多様で2つの話題には分けられません）: {topics}。"
        "「テーマのコメントを読む」で選ぶと内訳を確認できます。",
    },
    "themes.general_note": {
        "en": 'General praise / General complaint / General requests: comments without a topic (e.g. "Great!", '
        '"Please improve"), shown apart.',
        "ja": "「全般的な好評 / 全般的な不満 / 全般的な要望」は話題のないコメント（例: 「最高です」「改善してほしい」）で、"
        "別に表示しています。",
    },
    "themes.finding_list": {"en": "{themes} themes in {n} comments", "ja": "{n}件のコメントに{themes}個のテーマ"},
    "themes.finding_group": {
        "en": "{theme} is mentioned most by {group} ({share})",
        "ja": "「{theme}」に最も多く言及しているのは{group}（{share}）",
    },
    "themes.finding_impact": {
        "en": "Comments on {theme} score {difference} NPS points against the others (95% interval {low} to {high})",
        "ja": "「{theme}」に触れたコメントのNPSは他と比べて{difference}ポイント（95%区間 {low}〜{high}）",
    },
    "themes.finding_impact_none": {
        "en": "No theme's NPS difference is clear at these sample sizes (each side needs {min_n} comments)",
        "ja": "このサンプル数では、NPSの差がはっきりしたテーマはありません（各側{min_n}件以上が必要）",
    },
    "themes.impact_note": {
        "en": "* fewer than {min_n} comments with the theme: read with care, never the headline. The interval is "
        "95%; p is Holm-adjusted over all themes, since the largest of many differences is picked.",
        "ja": "* テーマありのコメントが{min_n}件未満：参考値で、見出しには使いません。区間は95%、"
        "pは全テーマでHolm補正しています（多数の差から最大を選ぶため）。",
    },
    "themes.trend_top": {
        "en": "The chart draws the {drawn} most mentioned of {total} themes; the table lists all of them.",
        "ja": "グラフは{total}テーマのうち言及の多い{drawn}テーマを描いています。表にはすべて載せています。",
    },
    "themes.finding_trend_change": {
        "en": "{theme} {verb} from {before} to {now} of comments between {previous} and {latest}, the clearest "
        "change (Holm-adjusted p < 0.05)",
        "ja": "「{theme}」はコメントに占める割合が{previous}の{before}から{latest}の{now}へ{verb}（最も明確な変化、"
        "Holm補正後 p < 0.05）",
    },
    "themes.no_clear_change": {
        "en": "; no theme's share changed clearly since {previous}",
        "ja": "。{previous}から明確に割合が変わったテーマはありません",
    },
    "themes.rose": {"en": "rose", "ja": "増加"},
    "themes.fell": {"en": "fell", "ja": "減少"},
    "themes.finding_trend": {
        "en": "in {quarter} the most mentioned theme is {theme} ({share})",
        "ja": "{quarter}に最も多く言及されたテーマは「{theme}」（{share}）",
    },
    "themes.finding_quotes": {
        "en": "{count} comments mention {theme}",
        "ja": "「{theme}」に言及したコメントは{count}件",
    },
    # LLM endpoint capabilities, settings and per-theme failure reasons (issue 15, item 6)
    "themes.msg.llm_endpoint": {
        "en": "LLM endpoint: {format}, {concurrency} request(s) at a time; {requests} request(s) sent in "
        "{seconds} s. {named} theme name(s) from the model, {kept_offline} kept offline.",
        "ja": "LLMエンドポイント：{format}、同時{concurrency}件；{seconds}秒でリクエスト{requests}件を送信。"
        "モデルが名付けたテーマ{named}件、オフラインの名前のまま{kept_offline}件。",
    },
    "themes.msg.llm_not_sent": {
        "en": "{n} theme(s) were not sent: the endpoint would not have answered ({reason}).",
        "ja": "{n}件のテーマは送信しませんでした。エンドポイントが応答できない状態でした（{reason}）。",
    },
    "themes.msg.llm_timeout_hint": {
        "en": "A local model on a CPU may need more time: raise the timeout (CX_LLM_TIMEOUT) or send "
        "one request at a time (CX_LLM_CONCURRENCY=1).",
        "ja": "CPU上のローカルモデルは時間がかかることがあります。タイムアウト（CX_LLM_TIMEOUT）を延ばすか、"
        "同時リクエスト数を1（CX_LLM_CONCURRENCY=1）にしてください。",
    },
    "themes.reason_count": {"en": "{reason}: {n}", "ja": "{reason}：{n}件"},
    "themes.reason.format": {
        "en": "the endpoint refused the answer format",
        "ja": "エンドポイントが回答形式を受け付けませんでした",
    },
    "themes.reason.unsupported": {
        "en": "the name was not about its quotes",
        "ja": "名前が引用コメントの内容と合っていませんでした",
    },
    "themes.reason.generic": {
        "en": "the name was generic (an id or a word that fits any theme)",
        "ja": "名前が汎用的でした（IDやどのテーマにも当てはまる語）",
    },
    "themes.reason.contradicts": {
        "en": "the name said the opposite of its quotes (praise vs complaints)",
        "ja": "名前が引用コメントと逆の評価でした（称賛と不満）",
    },
    "themes.format.json_schema": {"en": "structured output (JSON schema)", "ja": "構造化出力（JSONスキーマ）"},
    "themes.format.json_object_schema": {"en": "JSON mode with a schema", "ja": "JSONモード（スキーマ付き）"},
    "themes.format.json_object": {"en": "JSON mode", "ja": "JSONモード"},
    "themes.format.plain": {"en": "plain text (JSON extracted)", "ja": "プレーンテキスト（JSONを抽出）"},
    "themes.format.auto": {"en": "find out", "ja": "自動判定"},
    "themes.llm_budget": {
        "en": "Time budget for naming (seconds, 0 = no limit)",
        "ja": "名前付けの制限時間（秒、0 = 制限なし）",
    },
    "themes.llm_budget_help": {
        "en": "Themes not named by then keep their offline names, so a slow endpoint never holds the page.",
        "ja": "時間内に名前が付かなかったテーマはオフラインの名前のままです。遅いエンドポイントでもページは止まりません。",
    },
    "themes.llm_timeout": {"en": "Timeout per request (seconds)", "ja": "1リクエストのタイムアウト（秒）"},
    "themes.llm_concurrency": {
        "en": "Requests at a time (0 = find out)",
        "ja": "同時リクエスト数（0 = 自動判定）",
    },
    "themes.llm_format": {"en": "Answer format", "ja": "回答形式"},
    # the naming run's time budget (CX_LLM_BUDGET) ran out before these themes were named
    "themes.reason.budget": {
        "en": "the time budget for naming (CX_LLM_BUDGET) ran out",
        "ja": "名前付けの制限時間（CX_LLM_BUDGET）を超えました",
    },
    "themes.reason.unusable": {
        "en": "the model's names for the largest themes all failed the checks, so the rest were not sent",
        "ja": "上位テーマに対するモデルの名前がすべて検査で不合格だったため、残りは送信しませんでした",
    },
    # a model's label, description or action refused because it is not data to show (cx_core/themes/_checks.py)
    "themes.reason.link": {
        "en": "the answer held a link or web address (not shown)",
        "ja": "回答にリンクやWebアドレスが含まれていました（表示していません）",
    },
    "themes.reason.contact": {
        "en": "the answer held an e-mail address or phone number (not shown)",
        "ja": "回答にメールアドレスや電話番号が含まれていました（表示していません）",
    },
    "themes.reason.instruction": {
        "en": "the answer held an instruction to the reader (not shown)",
        "ja": "回答に読み手への指示が含まれていました（表示していません）",
    },
    "themes.preview_format_later": {
        "en": "The answer format is found out when the endpoint is first asked; the text sent is the same.",
        "ja": "回答形式はエンドポイントへの最初の問い合わせで決まります。送信される本文は同じです。",
    },
    "themes.finding_group_unclear": {
        "en": "No group mentions a theme clearly more than the others (highest: {theme} in {group}, {share})",
        "ja": "他より明確に多く言及しているグループはありません（最も高いのは{group}の「{theme}」{share}）",
    },
}
