"""Messages of the score weights (the Overview's weights control and its notes)."""

MESSAGES = {
    "weights.title": {"en": "Weights", "ja": "重み付け"},
    "weights.title_active": {"en": "Weights: {how}", "ja": "重み付け: {how}"},
    "weights.by": {"en": "Weight the scores", "ja": "スコアの重み付け"},
    "weights.by_help": {
        "en": "Answers from large accounts outweigh small ones in a plain score. Count each account once, "
        "weight accounts by ARR, or weight answers so that the shares of segments, regions... match the "
        "population's (raking). Saved with the workspace.",
        "ja": "そのままのスコアでは回答者の多い企業の声が大きくなります。各企業を1回ずつ数える、ARRで重み付けする、"
        "またはセグメント・地域などの構成比が母集団と一致するよう回答に重みを付けます（レイキング）。ワークスペースに保存されます。",
    },
    "weights.none": {"en": "None (each answer once)", "ja": "なし（各回答を1回）"},
    "weights.account": {"en": "Each account once", "ja": "各企業を1回"},
    "weights.arr": {"en": "By ARR", "ja": "ARRで重み付け"},
    "weights.margins": {"en": "To population margins", "ja": "母集団の構成比に合わせる"},
    "weights.margins_help": {
        "en": "One row per value: the column (segment, region...), the value as it appears in the data, and its "
        "share of the population (0 to 1; each column's shares add up to 1). The table starts from the "
        "survey's own shares of the segments: replace them with the population's.",
        "ja": "値ごとに1行: 項目（セグメント、地域など）、データ上の値、母集団に占める構成比（0〜1、項目ごとに合計1）。"
        "表はアンケート自体のセグメント構成比から始まります。母集団の構成比に置き換えてください。",
    },
    "weights.column": {"en": "Column", "ja": "項目"},
    "weights.value": {"en": "Value", "ja": "値"},
    "weights.share": {"en": "Share (0-1)", "ja": "構成比 (0〜1)"},
    "weights.apply": {"en": "Use these margins", "ja": "この構成比を使う"},
    "weights.not_applied": {
        "en": "Margins are not applied yet (the scores keep: {current}): enter the shares and press 'Use these margins'.",
        "ja": "構成比はまだ適用されていません（現在のスコア: {current}）。構成比を入力して「この構成比を使う」を押してください。",
    },
    "weights.note_account": {
        "en": "Weighted: each of the {accounts} accounts counts once (its answers share one weight).",
        "ja": "重み付け済み: {accounts}社の各企業を1回ずつ数えています（企業内の回答で重みを等分）。",
    },
    "weights.note_arr": {
        "en": "Weighted by ARR over {accounts} accounts; {without} answers from accounts without ARR have no weight.",
        "ja": "ARRで重み付け（{accounts}社）。ARRのない企業の回答{without}件は重みゼロです。",
    },
    "weights.note_margins": {
        "en": "Weighted to the population margins of {columns} (raking, {iterations} rounds; {without} answers without a value have no weight).",
        "ja": "{columns}の母集団構成比に合わせて重み付け（レイキング{iterations}回、値のない回答{without}件は重みゼロ）。",
    },
    "weights.note_scope": {
        "en": "Unequal weights alone leave an effective n (Kish) of ≈ {kish}; the intervals are over account clusters, "
        "so the cards' effective n (n / design effect) is smaller. Only the score cards are weighted: the charts and "
        "tables below, the other pages, presenter mode and reports are not.",
        "ja": "重みの不均等だけによる有効回答数（Kish）は ≈ {kish} です。区間は企業単位のクラスターで計算しているため、"
        "カードの有効回答数（n / デザイン効果）はこれより小さくなります。重み付けはスコアカードのみで、"
        "下のグラフと表、他のページ、プレゼンモード、レポートは重み付けしていません。",
    },
    "weights.failed": {
        "en": "The weights cannot be applied to this selection, so the scores are unweighted: {reason}",
        "ja": "この選択範囲には重み付けを適用できないため、重み付けなしのスコアを表示しています: {reason}",
    },
}
