"""Compare encoding detection and repair: this project's decoder, charset-normalizer, and main's.

``python -m bench.encodings [OLD_DECODE_PY]`` prints, for each case of a small corpus with known
text, the share of lines each decoder gets exactly right, and the time taken. The corpus mixes
the quirks of real exports: Windows-1252 with DOS 850 lines, Mac Roman CR-only files, CP932,
UTF-8 with stray legacy lines, and UTF-8 mojibake (repaired per cell by ftfy in our decoder).
``OLD_DECODE_PY`` is a copy of an older ``cx_core/ingest/decode.py`` to compare with.
"""

from __future__ import annotations

import importlib.util
import sys
import time

FRENCH = [
    "Très bien, le délai était correct",
    "Le service client a été à l'écoute, merci",
    "Prix élevé mais qualité supérieure",
    "Ça marche, rien à signaler",
    "Déçu par la livraison, trop de retard",
    "Équipe réactive et compétente",
    "Interface peu intuitive, à revoir",
    "Très satisfait du suivi",
]
GERMAN = ["Lieferung war pünktlich", "Größere Auswahl wäre schön", "Schnelle Rückmeldung, danke", "Übersichtlich"]
ENGLISH = ["I don’t know", "“Fine” service, I’d say", "Cafés were closed", "good"]
JAPANESE = ["とても良い①", "№の表記が変です", "担当者の対応が丁寧", "価格が高い"]


def _cases() -> list[tuple[str, bytes, list[str]]]:
    def lines(texts, prefix="id;comment"):
        return [prefix, *[f"{i};{t}" for i, t in enumerate(texts, 1)]]

    fr = lines(FRENCH)
    cases = [
        ("cp1252 French", "\r\n".join(fr).encode("cp1252"), fr),
        ("cp850 French", "\r\n".join(fr).encode("cp850"), fr),
        (
            "cp1252 + cp850 lines",
            b"\r\n".join(line.encode("cp850" if i % 3 == 1 else "cp1252") for i, line in enumerate(fr)),
            fr,
        ),
        ("cp1252 German", "\r\n".join(lines(GERMAN)).encode("cp1252"), lines(GERMAN)),
        ("Mac Roman CR-only", "\r".join(lines(ENGLISH)).encode("mac_roman"), lines(ENGLISH)),
        ("Mac Roman French", "\r".join(fr).encode("mac_roman"), fr),
        ("cp1252 CR-only quotes", "\r".join(lines(ENGLISH)).encode("cp1252"), lines(ENGLISH)),
        ("cp932 Japanese", "\r\n".join(lines(JAPANESE)).encode("cp932"), lines(JAPANESE)),
        (
            "UTF-8 + cp1252 lines",
            b"\n".join(line.encode("cp1252" if i in (2, 5) else "utf-8") for i, line in enumerate(fr)),
            fr,
        ),
        (
            "UTF-8 mojibake",
            "\n".join(
                line.encode("utf-8").decode("cp1252") if i % 2 else line for i, line in enumerate(lines(ENGLISH))
            ).encode("utf-8"),
            lines(ENGLISH),
        ),
    ]
    return cases


def _ours(data: bytes) -> str:
    from cx_core.ingest.decode import decode_bytes, repair_mojibake

    text = decode_bytes(data).text
    return "".join(repair_mojibake(line) for line in text.splitlines(keepends=True))


def _charset_normalizer(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


def _old(path: str):
    spec = importlib.util.spec_from_file_location("old_decode", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_decode"] = module
    spec.loader.exec_module(module)
    return lambda data: module.decode_bytes(data).text


def _score(text: str, expected: list[str]) -> float:
    got = text.splitlines()
    return sum(a == b for a, b in zip(got, expected, strict=False)) / len(expected)


def main(argv: list[str]) -> None:
    decoders = {"ours": _ours}
    if importlib.util.find_spec("charset_normalizer") is not None:  # comes with requests/streamlit
        decoders["charset-normalizer"] = _charset_normalizer
    if argv:
        decoders["old (hand heuristics)"] = _old(argv[0])
    cases = _cases()
    for decode in decoders.values():  # imports (and ftfy's tables) are not what is measured
        decode(cases[-1][1])
    print("| case | " + " | ".join(decoders) + " |")
    print("|---|" + "---|" * len(decoders))
    totals = dict.fromkeys(decoders, 0.0)
    times = dict.fromkeys(decoders, 0.0)
    for name, data, expected in cases:
        row = []
        for key, decode in decoders.items():
            start = time.perf_counter()
            share = _score(decode(data), expected)
            times[key] += time.perf_counter() - start
            totals[key] += share
            row.append(f"{share:.0%}")
        print(f"| {name} | " + " | ".join(row) + " |")
    print("| **mean lines right** | " + " | ".join(f"{totals[k] / len(cases):.0%}" for k in decoders) + " |")
    print("| time (ms, all cases) | " + " | ".join(f"{times[k] * 1000:.0f}" for k in decoders) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
