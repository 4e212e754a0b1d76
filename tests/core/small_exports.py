"""Small survey exports as a new user uploads them (issue 26): 15-60 comments, five languages.

Hand-written for these tests in the style of real exports (short, unpunctuated, typos left in,
promoters who also ask for things, detractors who only say "rien", a few comments pasted from a
web form or a social inbox with markup). Not taken from any evaluation set.

Each row is ``(text, nps, expected)``; ``expected`` is what a CX lead reading the comment would
accept for it:

* ``NON_ANSWER``: it answers nothing; counted, never themed;
* a set of sides (``"praise"``, ``"complaint"``, ``"request"``, ``"mention"``): the comment may sit
  only on these sides (or stay unthemed when its topic is too small); a clear case has one side;
* ``None``: ambiguous, no expectation.

``export(name)`` gives the rows as :class:`CommentRecord`; ``as_csv(name)`` as the CSV an NPS tool
exports (``Response ID,<the 0-10 question>,Comment``), for the ingest path and for probing the app by
hand (``python tests/core/small_exports.py --csv DIR`` writes them).
"""

from __future__ import annotations

import csv
import io

from cx_core.themes import CommentRecord

NON_ANSWER = "non-answer"
P, C, R, M = frozenset({"praise"}), frozenset({"complaint"}), frozenset({"request"}), frozenset({"mention"})
C_OR_R = C | R  # "Few templates": a complaint about what is missing, or a request for more
P_OR_M = P | M

Row = tuple[str, int | None, object]

# A garden centre's post-visit survey (France): "Qu'est-ce qui vous ferait recommander la jardinerie ?"
GARDEN_FR: list[Row] = [
    ("Personnel très aimable et de bon conseil au rayon plantes", 9, P),
    ("Accueil chaleureux, vendeuse souriante", 10, P),
    ("Super choix de rosiers, plantes en pleine forme", 10, P),
    ("Les conseils du pépiniériste m'ont beaucoup aidé pour ma haie", 9, P),
    ("Magasin propre et bien rangé", 9, P),
    ("très bon accueil en caisse", 8, P),
    ("prix un peu élevés", 6, C),
    ("Prix un peu élevés par rapport à la concurrence", 7, C),
    ("Trop d'attente en caisse", 5, C),
    ("Trop d'attente en caisse le samedi, une seule caisse ouverte", 4, C),
    ("Les plantes d'intérieur étaient abîmées", 4, C),
    ("Impossible de trouver un vendeur au rayon outillage", 5, C),
    ("Parking trop petit le week-end", 6, C),
    ("Terreau en rupture de stock depuis deux semaines", 3, C),
    ("Vendeur pas aimable quand j'ai demandé de l'aide", 2, C),
    ("Il faudrait plus de choix en rayon plantes", 8, R),
    ("Ce serait bien d'avoir plus de caisses ouvertes le samedi", 9, R),
    ("Merci de proposer des sacs de terreau plus petits", 9, R),
    ("J'aimerais un rayon bio plus grand", 10, R),
    ("Pourriez-vous ouvrir le dimanche matin ?", 8, R),
    ("Plus de plantes locales svp", 9, R),
    ("Il faudrait une carte de fidélité avec de vraies réductions", 7, R),
    ("L’accueil est toujours top, c’est un plaisir de venir", 10, P),
    ("J’ai attendu 20 minutes en caisse, c’est trop long", 3, C),
    ("Pas assez de personnel le week-end, j’ai dû chercher quelqu’un pendant 10 minutes", 4, C),
    ("Rien à redire, très bon magasin", 10, P),
    ("Jamais personne pour renseigner, il faut chercher quelqu’un", 3, C),
    ("Difficile de trouver quelqu’un pour porter les sacs de terreau jusqu’à la voiture", 5, C),
    ("Toujours quelqu’un pour nous conseiller, c’est agréable", 10, P),
    ("RAS", 9, NON_ANSWER),
    ("rien", 5, NON_ANSWER),
    ("Rien à signaler", 8, NON_ANSWER),
    ("rien a dire", 10, NON_ANSWER),
    ("Non", 7, NON_ANSWER),
    ("Aucune remarque", 8, NON_ANSWER),
    ("RAS merci", 9, NON_ANSWER),
    ("Rien de spécial", 7, NON_ANSWER),
    ("Rien à ajouter, merci !", 10, NON_ANSWER),
    ("Pas d'avis", 6, NON_ANSWER),
    ("Rien à signaler, j'ai trouvé ce que je cherchais", 9, P_OR_M),
    ("Je viens surtout pour les graines et les bulbes", 8, None),
    ("Acheté un olivier pour la terrasse", 8, None),
]

# A whiteboard SaaS product's in-app NPS (English): "What is the main reason for your score?"
SAAS_EN: list[Row] = [
    ("Love the infinite canvas, great for workshops", 10, P),
    ("Real-time collaboration works really well", 9, P),
    ("Easy to onboard new team members", 9, P),
    ("The sticky notes and voting make our retros fun", 10, P),
    ("Templates saved us hours of prep", 9, P),
    ("Fast and reliable even with big boards", 9, P),
    ("Gets very slow on large boards", 4, C),
    ("Boards with lots of images are laggy", 5, C),
    ("Pricing is too expensive for small teams", 3, C),
    ("Too expensive for what we use", 4, C),
    ("Export to PDF is blurry", 5, C),
    ("The mobile app is clunky", 5, C),
    ("Way too many notifications", 6, C),
    ("Search is useless, I can never find old boards", 3, C),
    ("Few templates", 7, C_OR_R),
    ("Not enough templates for engineering teams", 6, C_OR_R),
    ("More templates", 9, R),
    ("More templates please", 10, R),
    ("Please add dark mode", 9, R),
    ("Dark mode please!!", 10, R),
    ("Needs better export to PDF", 8, C_OR_R),
    ("Would be great to have an offline mode", 10, R),
    ("I wish there was a Gantt chart view", 9, R),
    ("Add version history please", 8, R),
    ("Could you add a way to lock objects?", 9, R),
    ("n/a", 8, NON_ANSWER),
    ("Nothing", 9, NON_ANSWER),
    ("nothing to add", 10, NON_ANSWER),
    ("No comment", 7, NON_ANSWER),
    ("-", 8, NON_ANSWER),
    ("none", 6, NON_ANSWER),
    ("Nothing, thanks", 9, NON_ANSWER),
    ("nothing specific", 8, NON_ANSWER),
    ("9", 9, NON_ANSWER),
    ("We use it for sprint planning", 8, None),
    ("Mostly used for brainstorming with clients", 7, None),
]

# A Japanese shop / B2B supplier survey: 「ご意見・ご要望をお聞かせください」
RETAIL_JA: list[Row] = [
    ("店員さんの対応がとても丁寧でした", 9, P),
    ("品揃えが豊富で満足です", 10, P),
    ("配送が早くて助かりました", 9, P),
    ("担当者の説明がわかりやすかった", 8, P),
    ("レジの待ち時間が長い", 4, C),
    ("価格が高い", 5, C),
    ("駐車場が狭くて停めにくい", 5, C),
    ("納期が遅れることが多い", 3, C),
    ("問い合わせの返信が遅い", 2, C),
    ("公園が欲しい", 9, R),
    ("駐車場をもっと広くしてほしい", 8, R),
    ("ポイントカードを導入してほしいです", 9, R),
    ("見積もりをもっと早く出してもらえると助かります", 7, R),
    ("土日も営業してほしい", 10, R),
    ("特になし", 8, NON_ANSWER),
    ("特にありません", 7, NON_ANSWER),
    ("なし", 9, NON_ANSWER),
    ("特に無いです", 8, NON_ANSWER),
    ("特にございません。", 10, NON_ANSWER),
    ("ないです", 6, NON_ANSWER),
    ("特になし！", 9, NON_ANSWER),
    ("特に不満はありません", 9, P_OR_M | {NON_ANSWER}),
    ("主に文房具を購入しています", 7, None),
]

# A German DIY store / web shop survey: "Was können wir besser machen?"
SHOP_DE: list[Row] = [
    ("Sehr freundliche Beratung im Laden", 10, P),
    ("Schnelle Lieferung, alles bestens", 9, P),
    ("Gute Auswahl an Werkzeug", 9, P),
    ("Die Preise sind zu hoch", 4, C),
    ("Lange Wartezeit an der Kasse", 5, C),
    ("Lieferung kam beschädigt an", 2, C),
    ("Kundenservice telefonisch nicht erreichbar", 3, C),
    ("Bitte mehr Auswahl an Bio-Produkten", 9, R),
    ("Es wäre schön, wenn Sie samstags länger geöffnet hätten", 8, R),
    ("Mehr Parkplätze wären gut", 9, R),
    ("Keine", 8, NON_ANSWER),
    ("nichts", 7, NON_ANSWER),
    ("Keine Anmerkungen", 9, NON_ANSWER),
    ("Nein danke", 8, NON_ANSWER),
    ("Alles gut, nichts zu meckern", 10, P_OR_M),
]

# A Spanish online shop survey: "¿Qué podríamos mejorar?"
SHOP_ES: list[Row] = [
    ("Atención muy amable y rápida", 10, P),
    ("Buena calidad de los productos", 9, P),
    ("El envío llegó antes de lo previsto", 9, P),
    ("Los precios son muy altos", 4, C),
    ("Tardaron mucho en responder mis correos", 3, C),
    ("La web es lenta y se cuelga", 4, C),
    ("Mucha cola en caja", 5, C),
    ("Sería bueno tener más opciones de pago", 9, R),
    ("Deberían abrir los domingos", 8, R),
    ("Me gustaría que hubiera más descuentos para clientes fieles", 10, R),
    ("Por favor, mejoren la app", 7, R),
    ("Nada", 8, NON_ANSWER),
    ("Ninguna", 9, NON_ANSWER),
    ("Sin comentarios", 7, NON_ANSWER),
    ("nada que añadir", 8, NON_ANSWER),
    ("Todo bien", 9, P_OR_M),
]

# Comments pasted from a web form or a social inbox: markup that is not what the customer said.
MARKUP_EN: list[Row] = [
    ("RT @acmeboards: Love the new boards &amp; templates 😍 https://t.co/abc123", 9, P),
    ("@AcmeSupport export to PDF is broken again #fail", 2, C),
    ("&quot;Few templates&quot; honestly", 6, C_OR_R),
    ("Check www.example.com/help , search is still slow", 4, C),
    ("Sync keeps failing since the update 😡😡 @acmeboards", 3, C),
    ("Great tool<br>Needs a dark mode", 8, None),
    ("Great tool<br/>Please add dark mode", 9, None),
    ("<p>Pricing is too expensive for small teams</p>", 4, C),
    ("Pricing&nbsp;is way too high for our team", 3, C),
    ("Please add version history #featurerequest", 9, R),
    ("n/a", 8, NON_ANSWER),
    ("&lt;br&gt;", 8, NON_ANSWER),
    ("https://acme.example.com/boards/123", 7, NON_ANSWER),
    ("@acmeboards", 7, NON_ANSWER),
    ("😀", 10, NON_ANSWER),
]

SETS: dict[str, list[Row]] = {
    "garden-fr": GARDEN_FR,
    "saas-en": SAAS_EN,
    "retail-ja": RETAIL_JA,
    "shop-de": SHOP_DE,
    "shop-es": SHOP_ES,
    "markup-en": MARKUP_EN,
}
# A global company's survey: every set above in one export (~150 comments, five languages).
SETS["global-mix"] = [row for rows_ in list(SETS.values()) for row in rows_]


def rows(name: str) -> list[tuple[str, str, int | None, object]]:
    """``(response id, text, nps, expected)`` of a set, ids ``<name>-<n>`` in order."""
    return [(f"{name}-{i:03d}", text, nps, expected) for i, (text, nps, expected) in enumerate(SETS[name])]


def export(name: str) -> list[CommentRecord]:
    """A set as the comments the theme engine gets."""
    return [CommentRecord(rid, text, nps=nps) for rid, text, nps, _ in rows(name)]


SCORE_HEADER = "How likely are you to recommend us to a friend? (0-10)"


def as_csv(name: str, score_header: str = SCORE_HEADER) -> str:
    """A set as an NPS tool's CSV export (``Response ID,<score_header>,Comment``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Response ID", score_header, "Comment"])
    for rid, text, nps, _ in rows(name):
        writer.writerow([rid, "" if nps is None else nps, text])
    return out.getvalue()


if __name__ == "__main__":  # print every set's themes: PYTHONPATH=. python tests/core/small_exports.py
    import sys
    from pathlib import Path

    from cx_core.themes import extract_themes

    if sys.argv[1:2] == ["--csv"]:
        for set_name in SETS:
            Path(sys.argv[2], f"{set_name}.csv").write_text(as_csv(set_name), encoding="utf-8")
        sys.exit(0)
    for set_name in SETS:
        result = extract_themes(export(set_name))
        text_of = {rid: text for rid, text, _, _ in rows(set_name)}
        print(f"== {set_name}: {len(result.non_answer_ids)} non-answers: {sorted(result.non_answer_ids)}")
        for theme in result.themes:
            print(f"  {theme.label} ({theme.count})")
            for rid in theme.response_ids:
                print(f"      {text_of[rid]}")
