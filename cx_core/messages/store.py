"""Messages of the workspace list, the follow-up form and who is acting."""

MESSAGES = {
    "store.heading": {"en": "Saved workspaces", "ja": "保存したワークスペース"},
    "store.help": {
        "en": "A workspace keeps the data, the mapping, the driver needs, the role weights and the follow-up "
        "record on the server: it survives a refresh or a restart and can be reopened from this list.",
        "ja": "ワークスペースはデータ、マッピング、ドライバーのニーズ、役割の重み、フォローアップ記録をサーバーに保存します。"
        "再読み込みや再起動後も残り、この一覧から開き直せます。",
    },
    "store.current": {"en": "Open workspace: **{name}**", "ja": "開いているワークスペース: **{name}**"},
    "store.shared_sample_name": {"en": "Sample data", "ja": "サンプルデータ"},
    "store.current_draft": {
        "en": "Your data is kept as an unnamed draft (reopened by this page's link). Save it under a name to "
        "list it for your team.",
        "ja": "データは名前のない下書きとして保存されています（このページのリンクで開き直せます）。"
        "名前を付けて保存するとチームの一覧に表示されます。",
    },
    "store.not_saved": {
        "en": "This data is not saved on the server yet.",
        "ja": "このデータはまだサーバーに保存されていません。",
    },
    "store.name": {"en": "Workspace name", "ja": "ワークスペース名"},
    "store.save_as": {"en": "Save as", "ja": "名前を付けて保存"},
    "store.saved_as": {"en": "Saved as “{name}”.", "ja": "「{name}」として保存しました。"},
    "store.list_empty": {"en": "No saved workspace yet.", "ja": "保存したワークスペースはまだありません。"},
    "store.pick": {"en": "Workspace", "ja": "ワークスペース"},
    "store.open": {"en": "Open", "ja": "開く"},
    "store.delete": {"en": "Delete", "ja": "削除"},
    "store.delete_confirm": {
        "en": "Delete “{name}” with its data and follow-up record for everyone",
        "ja": "「{name}」をデータとフォローアップ記録ごと全員から削除する",
    },
    "store.deleted": {"en": "Deleted “{name}”.", "ja": "「{name}」を削除しました。"},
    "store.opened": {
        "en": "Opened “{name}” ({responses} responses).",
        "ja": "「{name}」を開きました（回答 {responses} 件）。",
    },
    "store.row": {
        "en": "{name} · {responses} responses · changed {changed}",
        "ja": "{name} · 回答 {responses} 件 · 更新 {changed}",
    },
    "store.share_with": {
        "en": "Shared with (e-mails, comma-separated)",
        "ja": "共有先（メールアドレス、カンマ区切り）",
    },
    "store.share_save": {"en": "Save sharing", "ja": "共有を保存"},
    "store.shared": {"en": "Sharing saved.", "ja": "共有設定を保存しました。"},
    "store.gone": {
        "en": "The workspace of this link no longer exists (or is not shared with you); showing the sample.",
        "ja": "このリンクのワークスペースは存在しないか、共有されていません。サンプルを表示します。",
    },
    "store.unavailable": {
        "en": "The workspace store cannot be reached, so nothing is saved on the server right now.",
        "ja": "ワークスペースの保存先に接続できないため、現在サーバーには保存されません。",
    },
    "store.exists": {
        "en": "A workspace named “{name}” exists already.",
        "ja": "「{name}」という名前は既に使われています。",
    },
    "store.only_owner": {"en": "Only the workspace's owner can do this.", "ja": "この操作はオーナーのみ可能です。"},
    "who.name": {"en": "Your name (recorded with your changes)", "ja": "お名前（変更履歴に記録されます）"},
    "who.name_help": {
        "en": "No sign-in is configured: the name you type here is kept in this page's link.",
        "ja": "サインインが設定されていないため、ここに入力した名前はこのページのリンクに保存されます。",
    },
    "who.signed_in": {"en": "Signed in as {user}", "ja": "{user} としてサインイン中"},
    "who.sign_in": {"en": "Sign in", "ja": "サインイン"},
    "who.sign_out": {"en": "Sign out", "ja": "サインアウト"},
    "who.sign_in_needed": {
        "en": "Sign in to see the workspaces shared with you and to save follow-up changes.",
        "ja": "共有されたワークスペースの表示とフォローアップの保存にはサインインが必要です。",
    },
    "who.anonymous": {"en": "(no name)", "ja": "（名前なし）"},
    "fu.form_heading": {"en": "Update an item", "ja": "項目を更新"},
    "fu.pick": {"en": "Item", "ja": "項目"},
    "fu.done": {"en": "Done", "ja": "完了"},
    "fu.yes": {"en": "yes", "ja": "はい"},
    "fu.no": {"en": "no", "ja": "いいえ"},
    "fu.note": {"en": "Note", "ja": "メモ"},
    "fu.owner": {"en": "Owner", "ja": "担当者"},
    "fu.due": {"en": "Due date", "ja": "期限"},
    "fu.save": {"en": "Save", "ja": "保存"},
    "fu.saved": {"en": "Saved (version {version}).", "ja": "保存しました（バージョン {version}）。"},
    "fu.unchanged": {"en": "Nothing changed.", "ja": "変更はありません。"},
    "fu.conflict": {
        "en": "{who} saved this item at {at} while you were editing it. Nothing was overwritten: choose which "
        "version to keep.",
        "ja": "編集中に {who} さんがこの項目を {at} に保存しました。上書きはしていません。残す方を選んでください。",
    },
    "fu.theirs": {"en": "Their version", "ja": "相手の版"},
    "fu.mine": {"en": "Your version", "ja": "あなたの版"},
    "fu.keep_mine": {"en": "Keep mine", "ja": "自分の版を残す"},
    "fu.keep_theirs": {"en": "Keep theirs", "ja": "相手の版を残す"},
    "fu.history": {"en": "History of this item", "ja": "この項目の履歴"},
    "fu.history_empty": {"en": "No change saved yet.", "ja": "まだ変更はありません。"},
    "fu.col.at": {"en": "When", "ja": "日時"},
    "fu.col.by": {"en": "Who", "ja": "誰が"},
    "fu.col.what": {"en": "What changed", "ja": "変更内容"},
    "fu.imported": {"en": "imported from a workspace file", "ja": "ワークスペースファイルから取り込み"},
    "fu.field_value": {"en": "{field}: {old} → {new}", "ja": "{field}: {old} → {new}"},
    "fu.shared_caption": {
        "en": "Changes are saved for everyone who opens this workspace; reload to see others' changes.",
        "ja": "変更はこのワークスペースを開く全員に保存されます。他の人の変更は再読み込みで表示されます。",
    },
    "fu.pick_help": {
        "en": "Click a row of the table (or choose here) to open its item.",
        "ja": "表の行をクリックする（またはここで選ぶ）と、その項目を開きます。",
    },
    "fu.scope_team": {
        "en": "The team's follow-up list, saved in the workspace “{name}”: done marks and notes saved here are what everyone who opens it sees.",
        "ja": "ワークスペース「{name}」に保存されたチームのフォローアップリストです。ここで保存した完了とメモは、開く全員に表示されます。",
    },
    "fu.scope_draft": {
        "en": "This list is kept on an unnamed draft that only this page's link opens: save the workspace under a name on the Data page so your team sees the same list and its done marks.",
        "ja": "このリストは名前のない下書きに保存されており、このページのリンクでしか開けません。チームが同じリストと完了の印を見られるよう、データページでワークスペースに名前を付けて保存してください。",
    },
}
