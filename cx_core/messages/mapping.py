"""Messages about what the mapping found, guessed and misses (Data page and every analysis page)."""

MESSAGES = {
    "map.nps_none": {"en": "No NPS in this file", "ja": "このファイルにNPSはない"},
    "map.nps_placeholder": {"en": "Choose the NPS column…", "ja": "NPSの列を選んでください…"},
    "map.nps_ask": {
        "en": (
            "No question in this file says it is about recommending, so NPS was not chosen for you. "
            "These 0-10 columns could be the 'How likely are you to recommend…' question. Choose the right one "
            "in the NPS box below, or choose “No NPS in this file”."
        ),
        "ja": (
            "「おすすめ（推奨）」に関する設問が見つからないため、NPSは自動では選んでいません。"
            "次の0〜10の列が「どのくらい薦めたいか」の設問かもしれません。下のNPS欄で正しい列を選ぶか、"
            "「このファイルにNPSはない」を選んでください。"
        ),
    },
    "map.candidate": {"en": "Candidate", "ja": "候補"},
    "map.evidence": {"en": "Why", "ja": "根拠"},
    "map.confidence": {"en": "Confidence", "ja": "確からしさ"},
    "map.guess": {"en": "Guess: please check", "ja": "推測（ご確認ください）"},
    "map.recognised": {"en": "Recognised", "ja": "判定済み"},
    "map.evidence_title": {"en": "How each field was recognised", "ja": "各項目の判定根拠"},
    "map.guessed_warning": {
        "en": "Taken from the values alone (no header or question says so), please check: {fields}.",
        "ja": "見出しや設問文ではなく値だけから推測した項目があります。ご確認ください: {fields}。",
    },
    "map.questions": {"en": "Open-text questions (comments)", "ja": "自由記述の設問（コメント）"},
    "map.questions_help": {
        "en": "Every open question is kept with its own label; themes can run on one of them or on all.",
        "ja": "自由記述の設問はすべて、それぞれの設問名とともに取り込まれます。テーマ分析は設問ごとにも全体にも使えます。",
    },
    "map.question": {"en": "Question", "ja": "設問"},
    "map.answers": {"en": "Answers", "ja": "回答数"},
    "map.outcome": {"en": "Key-driver outcome", "ja": "キードライバー分析の目的変数"},
    "map.outcome_auto": {
        "en": "Automatic (NPS, else CSAT, else CES)",
        "ja": "自動（NPS、なければCSAT、なければCES）",
    },
    "map.outcome_help": {
        "en": "The score the key-driver analysis explains. Any rating can be the outcome.",
        "ja": "キードライバー分析で説明する指標です。どの評価項目でも選べます。",
    },
    "map.scale": {"en": "Scale", "ja": "尺度"},
    "map.warn.nps_not_found": {
        "en": "No NPS: no question is about recommending. Candidate 0-10 columns: {columns}.",
        "ja": "NPSなし: 「おすすめ（推奨）」に関する設問がありません。0〜10の候補列: {columns}。",
    },
    "map.warn.nps_not_found_none": {
        "en": "No NPS: no question is about recommending and no column holds 0-10 answers.",
        "ja": "NPSなし: 「おすすめ（推奨）」に関する設問も、0〜10の回答の列もありません。",
    },
    "map.warn.nps_typed_not_recommend": {
        "en": "No NPS: the survey tool marks {columns} as NPS questions, but none asks about recommending. "
        "Choose which one (if any) is your NPS.",
        "ja": "NPSなし: アンケートツールは{columns}をNPS形式の設問としていますが、どれも「おすすめ（推奨）」を尋ねていません。"
        "NPSとして使う設問があれば選んでください。",
    },
    "map.warn.rating_guessed": {
        "en": "Taken as ratings from their values alone (no question says so), please check: {columns}.",
        "ja": "設問文がなく値だけから評価項目と推測しました。ご確認ください: {columns}。",
    },
    "map.warn.rank_not_rating": {
        "en": "A ranking question (ranks are not ratings, so not scored): {columns}.",
        "ja": "順位付けの設問です（順位は評価ではないため集計しません）: {columns}。",
    },
    "map.warn.field_guessed": {
        "en": "Guessed from its values alone, please check: {columns}.",
        "ja": "値だけから推測しました。ご確認ください: {columns}。",
    },
    # what the data supports, and how to add what is missing (every analysis page)
    "coverage.no_nps": {
        "en": (
            "This data has no NPS (no 'How likely are you to recommend…' 0-10 question was mapped), so NPS "
            "figures are not shown. To add it, map that column on the Data page."
        ),
        "ja": (
            "このデータにはNPSがありません（「どのくらい薦めたいか」0〜10の設問が対応付けられていません）。"
            "NPSを表示するには、データページでその列を対応付けてください。"
        ),
    },
    "coverage.lead_csat": {
        "en": "Satisfaction (CSAT) leads this view because the data has no NPS.",
        "ja": "NPSがないため、満足度（CSAT）を中心に表示しています。",
    },
    "coverage.no_scores": {
        "en": (
            "This data has no score (NPS, CSAT, CES or another rating), only comments: the Themes page works "
            "on them. To see scores, add a rating column and map it on the Data page."
        ),
        "ja": (
            "このデータには指標（NPS・CSAT・CES・その他の評価）がなく、コメントのみです。テーマページで分析できます。"
            "指標を見るには、評価の列を加えてデータページで対応付けてください。"
        ),
    },
    "coverage.no_comments": {
        "en": "This data has no open-text question: add a comment column and map it on the Data page to see themes.",
        "ja": "このデータには自由記述の設問がありません。テーマを見るには、コメントの列を加えてデータページで対応付けてください。",
    },
    "coverage.no_drivers": {
        "en": "No driver ratings are mapped: key drivers need several rating questions (for example 1-5 items).",
        "ja": "ドライバー評価が対応付けられていません。キードライバー分析には複数の評価設問（例: 1〜5の項目）が必要です。",
    },
    "coverage.no_outcome": {
        "en": "Key drivers need an outcome (NPS, CSAT, CES or a rating chosen on the Data page).",
        "ja": "キードライバー分析には目的変数（NPS・CSAT・CES、またはデータページで選んだ評価）が必要です。",
    },
    "coverage.outcome": {
        "en": "Outcome explained: {outcome}.",
        "ja": "説明する指標: {outcome}。",
    },
    "coverage.mean_on_scale": {"en": "Mean ({low}-{high})", "ja": "平均 ({low}〜{high})"},
    "coverage.headline_title": {
        "en": "{metric} is {score} (scale {low}-{high})",
        "ja": "{metric}は{score}（{low}〜{high}の尺度）",
    },
    "coverage.headline_finding": {
        "en": (
            "{metric} {score} on its {low}-{high} scale ({ci}); {top2}% chose one of the top two answers; "
            "{n} answers across {accounts} accounts. The data has no NPS."
        ),
        "ja": (
            "{metric}は{low}〜{high}の尺度で{score}（{ci}）。上位2段階の回答は{top2}%。{accounts}社・{n}件の回答に"
            "基づきます。このデータにNPSはありません。"
        ),
    },
    "drivers.outcome.ces": {"en": "Customer effort (CES)", "ja": "顧客努力指標 (CES)"},
    "map.all_questions": {"en": "All open questions", "ja": "すべての自由記述の設問"},
    "coverage.by_role": {"en": "{metric} by role", "ja": "役割別{metric}"},
    "coverage.by_segment": {"en": "{metric} by customer segment", "ja": "セグメント別{metric}"},
}
