"""Messages of the codebook: its errors, the Themes page's edit panel and the Uncoded view."""

MESSAGES = {
    "error.codebook_format": {
        "en": 'This is not a codebook file: it needs "format": "cx-codebook" and a list of "themes".',
        "ja": 'コードブックのファイルではありません。"format": "cx-codebook" と "themes" の一覧が必要です。',
    },
    "error.codebook_not_json": {
        "en": "The codebook file is not valid JSON.",
        "ja": "コードブックのファイルが正しい JSON ではありません。",
    },
    "error.codebook_theme": {
        "en": 'Every theme of a codebook needs an "id" and a "label".',
        "ja": 'コードブックの各テーマには "id" と "label" が必要です。',
    },
    "error.codebook_field": {
        "en": "The codebook's “{field}” has a value it cannot use.",
        "ja": "コードブックの「{field}」に使えない値があります。",
    },
    "error.codebook_duplicate_id": {
        "en": "Two themes of the codebook have the id “{theme}”.",
        "ja": "コードブックの2つのテーマが同じ id「{theme}」を持っています。",
    },
    "error.codebook_too_many": {
        "en": "A codebook may have at most {limit} themes.",
        "ja": "コードブックのテーマは最大 {limit} 件です。",
    },
    "error.codebook_unknown_theme": {
        "en": "The codebook has no theme “{theme}” (someone may have merged or removed it).",
        "ja": "コードブックにテーマ「{theme}」がありません（他の人が統合または削除した可能性があります）。",
    },
    "error.codebook_edit": {"en": "Unknown codebook edit “{op}”.", "ja": "不明なコードブックの編集「{op}」です。"},
    "error.codebook_merge_needs_two": {
        "en": "Pick at least two themes to merge.",
        "ja": "統合するテーマを2つ以上選んでください。",
    },
    "error.codebook_no_comments": {
        "en": "No comment is picked (or the search found none).",
        "ja": "コメントが選ばれていません（または検索で見つかりませんでした）。",
    },
    "error.codebook_nothing_to_undo": {"en": "There is no edit to undo.", "ja": "元に戻す編集はありません。"},
    "error.codebook_busy": {
        "en": "The codebook kept changing while saving; try again.",
        "ja": "保存中にコードブックが変わり続けました。もう一度お試しください。",
    },
    "cb.heading": {"en": "Your codebook", "ja": "コードブック"},
    "cb.help": {
        "en": "Correct the themes once: every edit is saved at once for your team, with who and when, and used "
        "everywhere themes are shown (impact, segments, accounts, trends, reports). No re-run and no LLM naming "
        "undoes an edit.",
        "ja": "テーマを一度修正すれば、編集は誰がいつ行ったかとともにすぐチームに保存され、テーマを使うすべての場所"
        "（影響、セグメント、アカウント、推移、レポート）に反映されます。再実行や LLM の命名で編集が失われることはありません。",
    },
    "cb.coverage": {
        "en": "Coded: {coverage} of {n} substantive comments ({uncoded} uncoded)",
        "ja": "コード化済み: 実質的なコメント {n} 件中 {coverage}（未コード化 {uncoded} 件）",
    },
    "cb.version": {
        "en": "Codebook version {version}, saved by {by} at {at}",
        "ja": "コードブック バージョン {version}（{by}、{at} に保存）",
    },
    "cb.proposed": {
        "en": "These are the engine's proposed themes: your first edit saves them as your codebook.",
        "ja": "これはエンジンが提案したテーマです。最初の編集でコードブックとして保存されます。",
    },
    "cb.action": {"en": "Edit", "ja": "編集"},
    "cb.op.rename": {"en": "Rename / describe", "ja": "名前・説明を変更"},
    "cb.op.merge": {"en": "Merge themes", "ja": "テーマを統合"},
    "cb.op.split": {"en": "Split by its parts", "ja": "部分ごとに分割"},
    "cb.op.move": {"en": "Move comments", "ja": "コメントを移動"},
    "cb.op.create": {"en": "Create a theme", "ja": "テーマを作成"},
    "cb.op.exclude": {"en": "Exclude", "ja": "除外"},
    "cb.op.pin": {"en": "Pin the name", "ja": "名前を固定"},
    "cb.op.side": {"en": "Correct the side", "ja": "評価の向きを修正"},
    "cb.theme": {"en": "Theme", "ja": "テーマ"},
    "cb.label": {"en": "Name", "ja": "名前"},
    "cb.description": {"en": "Description", "ja": "説明"},
    "cb.into": {"en": "Merge into", "ja": "統合先"},
    "cb.others": {"en": "Themes to merge into it", "ja": "統合するテーマ"},
    "cb.to": {"en": "To theme", "ja": "移動先のテーマ"},
    "cb.search": {
        "en": "Search comments (words or phrases, comma-separated; any language)",
        "ja": "コメントを検索（語句をカンマ区切り、どの言語でも可）",
    },
    "cb.found": {"en": "{n} comments found", "ja": "{n} 件のコメントが見つかりました"},
    "cb.pick_comments": {"en": "Comments", "ja": "コメント"},
    "cb.all_found": {"en": "All comments found", "ja": "見つかったすべてのコメント"},
    "cb.keep_rule": {
        "en": "Keep the search as a rule (comments of later waves with these words join the theme)",
        "ja": "検索語をルールとして保存（今後の回でもこの語句を含むコメントはこのテーマに入ります）",
    },
    "cb.exclude_what": {"en": "Exclude", "ja": "除外する対象"},
    "cb.exclude_theme": {"en": "This theme", "ja": "このテーマ"},
    "cb.exclude_comments": {"en": "Comments", "ja": "コメント"},
    "cb.side": {"en": "Side", "ja": "評価の向き"},
    "cb.side.praise": {"en": "praise", "ja": "好評"},
    "cb.side.complaint": {"en": "complaint", "ja": "不満"},
    "cb.side.neutral": {"en": "mention", "ja": "言及"},
    "cb.side.request": {"en": "request", "ja": "要望"},
    "cb.save": {"en": "Save", "ja": "保存"},
    "cb.saved": {
        "en": "Saved as codebook version {version}.",
        "ja": "コードブック バージョン {version} として保存しました。",
    },
    "cb.undo": {"en": "Undo the last edit", "ja": "最後の編集を元に戻す"},
    "cb.undone": {"en": "Undone (version {version}).", "ja": "元に戻しました（バージョン {version}）。"},
    "cb.history": {"en": "Codebook history", "ja": "コードブックの履歴"},
    "cb.col.version": {"en": "Version", "ja": "バージョン"},
    "cb.col.at": {"en": "When", "ja": "日時"},
    "cb.col.by": {"en": "Who", "ja": "誰が"},
    "cb.col.what": {"en": "What", "ja": "内容"},
    "cb.conflict": {
        "en": "{who} changed the same themes at {at} while you were editing; nothing was overwritten. Compare both "
        "versions and choose.",
        "ja": "編集中に {who} が {at} に同じテーマを変更しました。上書きはしていません。両方を比べて選んでください。",
    },
    "cb.theirs": {"en": "Their version (saved)", "ja": "相手のバージョン（保存済み）"},
    "cb.mine": {"en": "Your version (not saved)", "ja": "あなたのバージョン（未保存）"},
    "cb.keep_mine": {"en": "Keep mine", "ja": "自分の版を保存"},
    "cb.keep_theirs": {"en": "Keep theirs", "ja": "相手の版を使う"},
    "cb.uncoded": {"en": "Uncoded comments", "ja": "未コード化のコメント"},
    "cb.uncoded_none": {
        "en": "Every substantive comment is coded.",
        "ja": "実質的なコメントはすべてコード化されています。",
    },
    "cb.candidates": {
        "en": "Candidate new themes among them (proposed by the engine; create one to keep it)",
        "ja": "その中の新しいテーマ候補（エンジンの提案。残すにはテーマを作成してください）",
    },
    "cb.candidates_none": {"en": "No group stands out among them.", "ja": "目立つまとまりはありません。"},
    "cb.adopt": {"en": "Create theme “{label}”", "ja": "テーマ「{label}」を作成"},
    "cb.export": {"en": "Export codebook (JSON)", "ja": "コードブックを書き出す（JSON）"},
    "cb.import": {"en": "Import a codebook (JSON)", "ja": "コードブックを読み込む（JSON）"},
    "cb.import_preview": {
        "en": "Preview: {coded} of {n} comments coded by the imported codebook, {uncoded} uncoded.",
        "ja": "プレビュー: 読み込んだコードブックで {n} 件中 {coded} 件がコード化、未コード化 {uncoded} 件。",
    },
    "cb.import_apply": {"en": "Use this codebook", "ja": "このコードブックを使う"},
    "cb.col.theme": {"en": "Theme", "ja": "テーマ"},
    "cb.col.count": {"en": "Comments", "ja": "コメント数"},
    "cb.col.rule": {"en": "By rule", "ja": "ルールで"},
    "cb.col.response_id": {"en": "Response ID", "ja": "回答ID"},
    "cb.col.comment": {"en": "Comment", "ja": "コメント"},
    "cb.col.candidate": {"en": "Candidate", "ja": "候補"},
    "cb.no_store": {
        "en": "Edits need the workspace store, which cannot be used now.",
        "ja": "編集にはワークスペースの保存先が必要ですが、現在使用できません。",
    },
    "cb.op_name.propose": {"en": "engine's proposal", "ja": "エンジンの提案"},
    "cb.op_name.import": {"en": "imported", "ja": "読み込み"},
    "cb.op_name.undo": {"en": "undo", "ja": "元に戻す"},
    "cb.part": {"en": "Parts to make themes of", "ja": "テーマにする部分"},
    "cb.split_label": {
        "en": "Or name a part and pick its comments",
        "ja": "または部分に名前を付けてコメントを選ぶ",
    },
}
