#!/usr/bin/env python3
"""Convert the ampel customer gold markup into SPEC gold JSON lines (stdlib only).

Markup (see tests/data/customer/GUIDELINES.md):

    ### id=cs-dev-001 ampel=RED kind=ticket
    Guten Tag, hier ist ⟦Anna Weber|PERSON⟧, Kundennr. ⟦4711|ID_NUMBER⟧ …
    (any number of lines)

* A record starts with a line beginning with "### id=". Header fields are
  key=value pairs: id (required), ampel (required: GREEN/YELLOW/RED), kind
  (optional free word: ticket, email, chat, csv, ...), and the bare flag
  "multi" which marks a RED verdict that rests on a thread/export about
  several people rather than on Art. 9 content.
* Text lines follow until the next header; leading and trailing blank lines
  are dropped, lines are joined with "\\n".
* An entity is ⟦surface|LABEL⟧. The label is what follows the LAST "|", so the
  surface may itself contain "|". Entities do not nest. ⟦ and ⟧ never occur in
  the texts themselves.
* Lines before the first header, and lines starting with "%%" anywhere, are
  comments.

Checks (any error -> exit status 1, nothing written):
  labels are SPEC labels, no overlaps, text[start:end] == entity text, no
  whitespace at span edges, unique ids, IBANs (not old account numbers) pass mod-97, card numbers pass
  Luhn, no title in PERSON / weekday in DATE / keyword at a span start, the verdict is consistent with the spans (GREEN: only ORGANIZATION,
  LOCATION, URL; YELLOW: some personal span and no Art. 9 span; RED: an Art. 9
  span or the "multi" flag).
Warnings (printed, not fatal): e-mail/IBAN/URL/phone-looking strings outside
any span, and surface strings shared between dev and held-out files.

Usage:
  python3 training/gold/markup_to_jsonl.py            # default dev + heldout
  python3 training/gold/markup_to_jsonl.py SRC OUT [SRC OUT ...]
"""

import json
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iban import iban_is_valid, luhn_is_valid  # noqa: E402

LABELS = {
    "PERSON", "ORGANIZATION", "LOCATION", "ADDRESS", "EMAIL", "PHONE", "URL",
    "IP_ADDRESS", "IBAN", "CREDIT_CARD", "ID_NUMBER", "DATE", "HEALTH",
    "SPECIAL_CATEGORY",
}
ART9 = {"HEALTH", "SPECIAL_CATEGORY"}
NON_PERSONAL = {"ORGANIZATION", "LOCATION", "URL"}
AMPEL = {"GREEN", "YELLOW", "RED"}
OPEN, CLOSE = "⟦", "⟧"
HEADER = re.compile(r"^### id=")
# Span-edge conventions from the guidelines that are easy to get wrong by hand.
BAD_PERSON_START = re.compile(
    r"^(Herr|Herrn|Frau|Hr\.|Fr\.|Dr\.|Prof\.|Familie|Fam\.|Dipl\.|Mag\.)\s", re.IGNORECASE)
BAD_DATE_START = re.compile(
    r"^(Mo|Di|Mi|Do|Fr|Sa|So|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b\.?,?\s")
BAD_KEYWORD_START = re.compile(
    r"^(Tel\.|Tel:|Telefon:?|Fax:?|Mobil:?|IBAN:?|Kd\.|Kdnr\.?|Kundennr\.?:?|Kundennummer:?"
    r"|Bestellnr\.?:?|Bestellnummer:?|Vertragsnr\.?:?|Ticket:?|E-Mail:?)\s", re.IGNORECASE)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_JOBS = [
    ("tests/data/customer/src/dev.txt", "tests/data/customer/dev.jsonl"),
    ("tests/data/customer/src/heldout.txt", "tests/data/customer/heldout.jsonl"),
]

# Things that look like personal data and should normally sit inside a span.
SUSPICIOUS = [
    ("EMAIL", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b")),
    ("URL", re.compile(r"\b(?:https?://|www\.)\S+")),
    ("PHONE", re.compile(r"(?:\+\d{2}|\b0\d{2,4})[\s/()-]*\d[\d\s/-]{5,}\d")),
]


class MarkupError(Exception):
    pass


def parse_header(line: str, where: str) -> dict:
    fields = {"multi": False}
    for tok in line[3:].split():
        if tok == "multi":
            fields["multi"] = True
        elif "=" in tok:
            k, v = tok.split("=", 1)
            fields[k] = v
        else:
            raise MarkupError(f"{where}: bad header token {tok!r}")
    if "id" not in fields or fields.get("ampel") not in AMPEL:
        raise MarkupError(f"{where}: header needs id=… and ampel=GREEN|YELLOW|RED")
    return fields


def parse_body(body: str, rid: str) -> tuple[str, list[dict]]:
    """Strip the inline markup; return (clean text, entities with code point offsets)."""
    out: list[str] = []
    ents: list[dict] = []
    pos = 0  # code point length of the clean text so far
    i = 0
    while i < len(body):
        j = body.find(OPEN, i)
        k = body.find(CLOSE, i)
        if j < 0:
            if k >= 0:
                raise MarkupError(f"{rid}: stray {CLOSE} near {body[max(0, k - 30):k + 1]!r}")
            out.append(body[i:])
            break
        if 0 <= k < j:
            raise MarkupError(f"{rid}: stray {CLOSE} near {body[max(0, k - 30):k + 1]!r}")
        out.append(body[i:j])
        pos += j - i
        end = body.find(CLOSE, j + 1)
        if end < 0:
            raise MarkupError(f"{rid}: unclosed {OPEN} near {body[j:j + 40]!r}")
        inner = body[j + 1:end]
        if OPEN in inner:
            raise MarkupError(f"{rid}: nested or unclosed entity near {body[j:j + 40]!r}")
        if "|" not in inner:
            raise MarkupError(f"{rid}: entity without |LABEL: {inner!r}")
        surface, label = inner.rsplit("|", 1)
        if label not in LABELS:
            raise MarkupError(f"{rid}: unknown label {label!r} on {surface!r}")
        if not surface or surface != surface.strip():
            raise MarkupError(f"{rid}: empty span or whitespace at span edge: {surface!r}")
        ents.append({"start": pos, "end": pos + len(surface), "label": label, "text": surface})
        out.append(surface)
        pos += len(surface)
        i = end + 1
    return "".join(out), ents


def check_record(rec: dict, multi: bool) -> list[str]:
    errs = []
    text, ents, rid = rec["text"], rec["entities"], rec["id"]
    prev_end = -1
    for e in ents:
        if text[e["start"]:e["end"]] != e["text"]:
            errs.append(f"{rid}: offset mismatch for {e['text']!r}")
        if e["start"] < prev_end:
            errs.append(f"{rid}: overlapping entities at {e['start']}")
        prev_end = e["end"]
        if e["label"] == "PERSON" and BAD_PERSON_START.match(e["text"]):
            errs.append(f"{rid}: title/salutation inside PERSON span {e['text']!r}")
        if e["label"] == "DATE" and BAD_DATE_START.match(e["text"]):
            errs.append(f"{rid}: weekday inside DATE span {e['text']!r}")
        if BAD_KEYWORD_START.match(e["text"]):
            errs.append(f"{rid}: keyword inside {e['label']} span {e['text']!r}")
        # Old-style account numbers ("Kto. 1234567") are IBAN-labelled too; only IBANs are checked.
        looks_iban = e["text"][:2].isalpha()
        if e["label"] == "IBAN" and looks_iban and not iban_is_valid(e["text"]):
            errs.append(f"{rid}: IBAN fails mod-97: {e['text']!r}")
        if e["label"] == "CREDIT_CARD" and not luhn_is_valid(e["text"]):
            errs.append(f"{rid}: card number fails Luhn: {e['text']!r}")
    labels = {e["label"] for e in ents}
    ampel = rec["ampel"]
    if ampel == "GREEN" and labels - NON_PERSONAL:
        errs.append(f"{rid}: GREEN but has personal spans {sorted(labels - NON_PERSONAL)}")
    if ampel == "YELLOW":
        if labels & ART9:
            errs.append(f"{rid}: YELLOW but has Art. 9 spans")
        if not labels - NON_PERSONAL:
            errs.append(f"{rid}: YELLOW but no personal span")
    if ampel == "RED" and not (labels & ART9) and not multi:
        errs.append(f"{rid}: RED needs an Art. 9 span or the 'multi' flag")
    if multi and ampel != "RED":
        errs.append(f"{rid}: 'multi' flag only makes sense with RED")
    if OPEN in text or CLOSE in text:
        errs.append(f"{rid}: markup delimiter left in text")
    return errs


def lint_record(rec: dict) -> list[str]:
    """Warn about personal-looking strings that no span covers."""
    warns = []
    covered = [(e["start"], e["end"]) for e in rec["entities"]]
    for name, rx in SUSPICIOUS:
        for m in rx.finditer(rec["text"]):
            s, t = m.start(), m.end()
            if "*" in m.group(0):  # masked data is deliberately not annotated
                continue
            if not any(a <= s < b or a < t <= b for a, b in covered):
                warns.append(f"{rec['id']}: unannotated {name}-like {m.group(0)!r}")
    return warns


def read_markup(path: str) -> list[tuple[dict, str]]:
    blocks: list[tuple[dict, list[str]]] = []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.startswith("%%"):
                continue
            if HEADER.match(line):
                blocks.append((parse_header(line, f"{path}:{n}"), []))
            elif blocks:
                blocks[-1][1].append(line)
    out = []
    for hdr, lines in blocks:
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        out.append((hdr, "\n".join(line.rstrip() for line in lines)))
    return out


def convert(src: str, dst: str) -> tuple[list[dict], list[str], list[str]]:
    records, errs, warns = [], [], []
    seen = set()
    for hdr, body in read_markup(src):
        rid = hdr["id"]
        if rid in seen:
            errs.append(f"{rid}: duplicate id")
        seen.add(rid)
        try:
            text, ents = parse_body(body, rid)
        except MarkupError as exc:
            errs.append(str(exc))
            continue
        if not text.strip():
            errs.append(f"{rid}: empty text")
        rec = {"id": rid, "text": text, "entities": ents, "ampel": hdr["ampel"]}
        if "kind" in hdr:
            rec["kind"] = hdr["kind"]
        errs.extend(check_record(rec, hdr["multi"]))
        warns.extend(lint_record(rec))
        records.append(rec)
    return records, errs, warns


def report(name: str, records: list[dict]) -> None:
    colours = Counter(r["ampel"] for r in records)
    labels = Counter(e["label"] for r in records for e in r["entities"])
    kinds = Counter(r.get("kind", "-") for r in records)
    lines = [len(r["text"].splitlines()) for r in records]
    n = len(records) or 1
    print(f"== {name}: {len(records)} records, {sum(labels.values())} entities, "
          f"{min(lines, default=0)}-{max(lines, default=0)} lines/record")
    print("  ampel: " + ", ".join(f"{c} {colours[c]} ({100 * colours[c] / n:.0f}%)" for c in ("GREEN", "YELLOW", "RED")))
    print("  labels: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items(), key=lambda kv: -kv[1])))
    missing = sorted(LABELS - set(labels))
    if missing:
        print("  labels absent: " + ", ".join(missing))
    print("  kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))


def main(argv: list[str]) -> int:
    if argv and len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    jobs = list(zip(argv[0::2], argv[1::2])) if argv else [
        (os.path.join(ROOT, s), os.path.join(ROOT, d)) for s, d in DEFAULT_JOBS
    ]
    all_errs: list[str] = []
    results = []
    for src, dst in jobs:
        records, errs, warns = convert(src, dst)
        for w in warns:
            print("warning:", w)
        all_errs.extend(errs)
        results.append((src, dst, records))
    # Surface strings of identifying spans shared between files (dev vs held-out leakage).
    if len(results) > 1:
        ident = {"PERSON", "EMAIL", "PHONE", "IBAN", "CREDIT_CARD", "ID_NUMBER", "ADDRESS", "ORGANIZATION"}
        sets = [{e["text"] for r in recs for e in r["entities"] if e["label"] in ident} for _, _, recs in results]
        for i in range(len(sets)):
            for j in range(i + 1, len(sets)):
                for s in sorted(sets[i] & sets[j]):
                    print(f"warning: surface {s!r} occurs in both {results[i][0]} and {results[j][0]}")
    if all_errs:
        for e in all_errs:
            print("error:", e, file=sys.stderr)
        print(f"{len(all_errs)} error(s); nothing written", file=sys.stderr)
        return 1
    for src, dst, records in results:
        with open(dst, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        report(os.path.relpath(dst, ROOT), records)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
