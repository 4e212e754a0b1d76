"""Plain words for the statistics' names (shown beside the sections that use them)."""

MESSAGES = {
    "glossary.title": {"en": "What these words mean", "ja": "用語の説明"},
    "glossary.term.nps": {"en": "NPS", "ja": "NPS"},
    "glossary.nps": {
        "en": "Net Promoter Score: the share who answered 9-10 (promoters) minus the share who answered 0-6 "
        "(detractors) to 'How likely are you to recommend us?'; from -100 to +100.",
        "ja": "ネットプロモータースコア：「薦めたいか」に9〜10と答えた人（推奨者）の割合から0〜6と答えた人（批判者）の"
        "割合を引いた値（-100〜+100）。",
    },
    "glossary.term.interval": {"en": "95% interval", "ja": "95%区間"},
    "glossary.interval": {
        "en": "The range the true score most likely lies in, given how many answered: narrow with many answers, "
        "wide with few. Two groups whose ranges overlap a lot may not really differ.",
        "ja": "回答数を踏まえ、本当の値がほぼ確実に入る範囲。回答が多いほど狭く、少ないほど広くなります。"
        "範囲が大きく重なる2つのグループは、実際には差がないかもしれません。",
    },
    "glossary.term.top_box": {"en": "Top-2 box", "ja": "上位2段階"},
    "glossary.top_box": {
        "en": "The share who gave one of the two best answers (4 or 5 on a 1-5 scale).",
        "ja": "最も良い2つの選択肢（1〜5なら4か5）を選んだ人の割合。",
    },
    "glossary.term.wilson": {"en": "Wilson", "ja": "ウィルソン法"},
    "glossary.wilson": {
        "en": "The way the range of a share is computed; it stays honest for small groups and for shares near 0% or 100%.",
        "ja": "割合の範囲の計算方法。小さなグループや0%・100%に近い割合でも偏りません。",
    },
    "glossary.term.relative_weights": {"en": "Relative weights", "ja": "相対的重要度"},
    "glossary.relative_weights": {
        "en": "How much each rating explains of the overall score, shared out fairly even when the ratings move "
        "together (Johnson's method); the shares add up to 100% of what the ratings explain.",
        "ja": "各評価項目が総合スコアをどれだけ説明するかを、項目同士が連動していても公平に分けた割合（ジョンソンの方法）。"
        "合計すると評価項目で説明できる部分の100%になります。",
    },
    "glossary.term.r_squared": {"en": "R²", "ja": "R²（説明率）"},
    "glossary.r_squared": {
        "en": "How much of the differences in the overall score the ratings explain together: 0% none, 100% all.",
        "ja": "総合スコアの違いのうち、評価項目全体で説明できる割合（0%は全く説明できない、100%はすべて説明できる）。",
    },
    "glossary.term.bootstrap": {"en": "Bootstrap", "ja": "ブートストラップ"},
    "glossary.bootstrap": {
        "en": "The analysis is re-run on many re-drawn copies of the answers (whole accounts at a time) to see how "
        "much a result would move with other respondents.",
        "ja": "回答を（アカウント単位で）引き直したデータで分析を何度も繰り返し、回答者が違えば結果がどれだけ動くかを確かめる方法。",
    },
    "glossary.term.p_value": {"en": "p", "ja": "p値"},
    "glossary.p_value": {
        "en": "How likely a difference this large would be by chance alone; below 0.05 we call the difference clear.",
        "ja": "これほどの差が偶然だけで生じる確率。0.05未満なら「はっきりした差」としています。",
    },
    "glossary.term.holm": {"en": "Holm-adjusted", "ja": "Holm補正"},
    "glossary.holm": {
        "en": "When many groups are tested at once, some would look different by chance; the p-values are raised "
        "so that the chance of any false alarm stays at 5%.",
        "ja": "多くのグループを同時に検定すると偶然差があるように見えるものが出るため、誤検出の可能性が全体で5%に収まるようp値を補正しています。",
    },
    "glossary.term.bonferroni": {"en": "Bonferroni", "ja": "ボンフェローニ補正"},
    "glossary.bonferroni": {
        "en": "A stricter bar for each comparison when many are made, so that the highest or lowest is named only when it clearly is.",
        "ja": "比較が多いときに一つひとつの基準を厳しくし、最も高い・低いと言えるのがはっきりした場合だけにする方法。",
    },
    "glossary.term.benjamini_hochberg": {"en": "Benjamini-Hochberg", "ja": "ベンジャミニ・ホッホベルク法"},
    "glossary.benjamini_hochberg": {
        "en": "Among many cells of a table, keeps the share of false alarms among the highlighted ones at about 5%.",
        "ja": "表の多くのセルのうち、強調表示したものに含まれる誤検出の割合を約5%に抑える方法。",
    },
    "glossary.term.clustered": {"en": "Clustered in accounts", "ja": "アカウント単位の補正"},
    "glossary.clustered": {
        "en": "People in one customer account tend to answer alike, so twenty answers from one account count for "
        "less than twenty independent customers; intervals and tests allow for that.",
        "ja": "同じ取引先の回答者は似た回答をしがちなため、1社の20人の回答は独立した20社分より情報が少なく扱われます。区間と検定はこれを考慮しています。",
    },
}
