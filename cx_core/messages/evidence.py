"""Why a column was recognised as a field (the Data page's "Why" column; quoted text stays as it is)."""

MESSAGES = {
    "evidence.none": {"en": "no header or question names it", "ja": "見出しにも設問にも該当する語がありません"},
    "evidence.header_is": {"en": "the header is '{header}'", "ja": "見出しが「{header}」です"},
    "evidence.import_id_is": {
        "en": "the Qualtrics ImportId is '{import_id}'",
        "ja": "QualtricsのImportIdが「{import_id}」です",
    },
    "evidence.question_is": {"en": "the question is '{question}'", "ja": "設問が「{question}」です"},
    "evidence.header_contains": {
        "en": "the header '{header}' contains '{word}'",
        "ja": "見出し「{header}」に「{word}」が含まれています",
    },
    "evidence.question_contains": {
        "en": "the question '{question}' contains '{word}'",
        "ja": "設問「{question}」に「{word}」が含まれています",
    },
    "evidence.header_names_nps": {
        "en": "the header '{header}' names NPS",
        "ja": "見出し「{header}」がNPSを指しています",
    },
    "evidence.header_recommending": {
        "en": "the header '{header}' is about recommending",
        "ja": "見出し「{header}」は推奨（おすすめ）についての設問です",
    },
    "evidence.question_recommending": {
        "en": "the question '{question}' is about recommending",
        "ja": "設問「{question}」は推奨（おすすめ）についての設問です",
    },
    "evidence.nps_typed_not_recommend": {
        "en": (
            "the survey tool marks it as an NPS question (companion column '{companion}'), but its wording "
            "'{wording}' is not about recommending"
        ),
        "ja": (
            "アンケートツールはNPS設問として扱っています（対になる列「{companion}」）が、"
            "文言「{wording}」は推奨についての設問ではありません"
        ),
    },
    "evidence.nps_companion": {
        "en": "the survey tool's companion column '{companion}' groups its answers into promoters, passives and detractors",
        "ja": "アンケートツールの対になる列「{companion}」が回答を推奨者・中立者・批判者に分けています",
    },
    "evidence.zero_to_ten_unnamed": {
        "en": (
            "its answers are whole numbers from {low} to {high} (a 0-10 scale), but neither the header nor the "
            "question says it is about recommending"
        ),
        "ja": "回答は{low}〜{high}の整数（0〜10の尺度）ですが、見出しにも設問にも推奨についての記述がありません",
    },
    "evidence.lone_rating": {
        "en": "the only stand-alone 1-5 rating in the file; no header or question says it is satisfaction",
        "ja": "ファイル内で唯一の単独の1〜5評価です。見出しにも設問にも満足度とは書かれていません",
    },
    "evidence.comment_named": {
        "en": "the header or question names a comment; {answers} answers",
        "ja": "見出しまたは設問がコメント欄を指しています（回答{answers}件）",
    },
    "evidence.comment_most_answered": {
        "en": "free text ({answers} answers, the most of the {columns} open-text column(s))",
        "ja": "自由記述（回答{answers}件。自由記述の{columns}列のうち最多）",
    },
    "evidence.free_text": {"en": "free text", "ja": "自由記述"},
    "evidence.ranking": {
        "en": "a ranking question: its answers are ranks, not ratings",
        "ja": "順位を付ける設問です（回答は順位であり、評価ではありません）",
    },
    "evidence.rating_unnamed": {
        "en": "whole numbers from {low} to {high}; no question or header says it is a rating",
        "ja": "{low}〜{high}の整数です。設問にも見出しにも評価とは書かれていません",
    },
    "evidence.chosen_by_you": {"en": "chosen by you", "ja": "あなたが選択"},
}
