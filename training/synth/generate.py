#!/usr/bin/env python3
"""Synthetic German customer-service documents with gold spans (ampel).

Writes JSON lines in the SPEC gold format:
    {"id", "text", "entities": [{"start","end","label","text"}], "ampel", "kind"}
with Unicode code point offsets (end exclusive). Span conventions follow
tests/data/customer/GUIDELINES.md (titles outside PERSON, street+number and
PLZ+city as two ADDRESS spans, the health term itself as HEALTH, ...).

Everything is seeded: the same --seed gives byte-identical output.

Usage:
    python training/synth/generate.py --out /work/train-work/synth \
        --train 6000 --dev 500 --heldout 500
    python training/synth/generate.py --sample training/synth/sample.jsonl --n 50 --seed 7

Split seeds: train = seed, dev = seed + 1000, heldout = seed + 2000 (each split
uses its own Random and Faker instances, so the splits share no random stream).

Name and street lists: Faker (MIT) locales de_DE, de_AT, de_CH, tr_TR, pl_PL,
ru_RU and uk_UA (transliterated to German spelling), it_IT, vi_VN, fr_DZ
(Latin-script Arabic names), el_GR (transliterated), hr_HR, ro_RO. Everything
else (templates, phrases, vocab in lexicon.py) is written for ampel.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import unicodedata

from faker import Faker

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lexicon as L  # noqa: E402

MARK = re.compile(r"⟦([^⟦⟧|]+)\|([A-Z_]+)⟧")
HEALTH_LABELS = {"HEALTH", "SPECIAL_CATEGORY"}
NON_PERSONAL = {"ORGANIZATION", "LOCATION", "URL"}

# ------------------------------------------------------------------ helpers


def m(s: str, label: str) -> str:
    """Markup one entity."""
    return f"⟦{s}|{label}⟧"


def parse(markup: str):
    """Markup -> (text, entities with code point offsets)."""
    out, ents, pos, last = [], [], 0, 0
    for mt in MARK.finditer(markup):
        plain = markup[last:mt.start()]
        out.append(plain)
        pos += len(plain)
        s = mt.group(1)
        ents.append({"start": pos, "end": pos + len(s), "label": mt.group(2), "text": s})
        out.append(s)
        pos += len(s)
        last = mt.end()
    out.append(markup[last:])
    text = "".join(out)
    assert "⟦" not in text and "⟧" not in text, markup
    return text, ents


def same_len_case(text: str, mode: str) -> str:
    """Lower/upper case without changing code point count (keeps offsets valid)."""
    res = []
    for c in text:
        t = c.lower() if mode == "lower" else c.upper()
        res.append(t if len(t) == 1 else c)
    return "".join(res)


TRANSLIT_CYR = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sh", "з": "s",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
    "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "і": "i",
    "ї": "ji", "є": "je", "ґ": "g", "ʼ": "", "'": "",
}
TRANSLIT_GR = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}


def translit(name: str, table: dict) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn")
    base = unicodedata.normalize("NFC", base) if table is TRANSLIT_GR else unicodedata.normalize("NFC", name)
    out = []
    for w in base.split(" "):
        r = "".join(table.get(c.lower(), c.lower()) for c in w)
        out.append(r[:1].upper() + r[1:])
    return " ".join(out)


def ascii_mail(s: str) -> str:
    s = s.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9.\-]", "", s.replace(" ", "."))


def iban_check(country: str, bban: str) -> str:
    num = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(num) % 97:02d}"


def luhn_complete(prefix: str) -> str:
    digits = [int(c) for c in prefix]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return prefix + str((10 - total % 10) % 10)


# ------------------------------------------------------------------ generator

class Gen:
    """All random choices of one split go through self.r (and seeded Fakers)."""

    ORIGINS = [  # (origin, weight)
        ("de_DE", 34), ("de_AT", 7), ("de_CH", 6), ("noun", 8), ("noble", 2), ("tr_TR", 10),
        ("pl_PL", 6), ("ru", 5), ("it_IT", 5), ("ar", 6), ("vi_VN", 3), ("el_GR", 3),
        ("hr_HR", 3), ("ro_RO", 2),
    ]

    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.f = {}
        for i, loc in enumerate(["de_DE", "de_AT", "de_CH", "tr_TR", "pl_PL", "ru_RU", "uk_UA", "it_IT",
                                 "vi_VN", "fr_DZ", "el_GR", "hr_HR", "ro_RO"]):
            fk = Faker(loc)
            fk.seed_instance(seed * 31 + i)
            self.f[loc] = fk
        self.cities = list(L.CITY_PLZ)

    # -- small pickers
    def c(self, seq):
        return self.r.choice(seq)

    def p(self, prob: float) -> bool:
        return self.r.random() < prob

    def digits(self, n: int) -> str:
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    # -- people
    def person(self, gender: str | None = None) -> dict:
        gender = gender or self.c("fm")
        origin = self.r.choices([o for o, _ in self.ORIGINS], [w for _, w in self.ORIGINS])[0]
        first, last = self._name(origin, gender)
        if origin in ("de_DE", "de_AT", "de_CH", "noun") and self.p(0.08):
            f2, _ = self._name("de_DE", gender)
            if f2 != first and " " not in f2 and " " not in first:
                first = f"{first}-{f2}"
        if self.p(0.07):
            _, l2 = self._name(self.c(["de_DE", "tr_TR", "pl_PL", "it_IT"]), gender)
            if " " not in l2 and l2 != last:
                last = f"{last}-{l2}"
        return {"first": first, "last": last, "g": gender, "origin": origin}

    def _name(self, origin: str, g: str):
        if origin == "noun":
            fk = self.f["de_DE"]
            first = fk.first_name_female() if g == "f" else fk.first_name_male()
            return first, self.c(L.NOUN_SURNAMES)
        if origin == "noble":
            fk = self.f["de_DE"]
            first = fk.first_name_female() if g == "f" else fk.first_name_male()
            return first, self.c(L.NOBLE)
        if origin == "ru":
            loc = self.c(["ru_RU", "uk_UA"])
            fk = self.f[loc]
            first = fk.first_name_female() if g == "f" else fk.first_name_male()
            last = fk.last_name_female() if g == "f" and hasattr(fk, "last_name_female") else fk.last_name()
            return translit(first, TRANSLIT_CYR), translit(last, TRANSLIT_CYR)
        if origin == "el_GR":
            fk = self.f["el_GR"]
            first = fk.first_name_female() if g == "f" else fk.first_name_male()
            return translit(first, TRANSLIT_GR), translit(fk.last_name(), TRANSLIT_GR)
        if origin == "ar":
            fk = self.f["fr_DZ"]
            first = (fk.first_name_female() if g == "f" else fk.first_name_male()) if self.p(0.6) else self.c(L.AR_EXTRA_FIRST)
            last = fk.last_name() if self.p(0.6) else self.c(L.AR_EXTRA_LAST)
            return first, last
        if origin == "vi_VN":
            fk = self.f["vi_VN"]
            last = fk.last_name()
            if self.p(0.5):  # German texts often drop the diacritics
                last = "".join(c for c in unicodedata.normalize("NFD", last) if unicodedata.category(c) != "Mn").replace("Đ", "D").replace("đ", "d")
            first = self.c(L.VI_GIVEN) if self.p(0.5) else (fk.first_name_female() if g == "f" else fk.first_name_male())
            return first, last
        fk = self.f[origin]
        first = fk.first_name_female() if g == "f" else fk.first_name_male()
        try:
            last = fk.last_name_female() if g == "f" else fk.last_name_male()
        except AttributeError:
            last = fk.last_name()
        return first, last

    def anrede(self, pers: dict) -> str:
        if pers["g"] == "f":
            return self.c(["Frau", "Frau", "Frau", "Fr.", "Frau Dr.", "Frau Prof."])
        return self.c(["Herr", "Herr", "Herr", "Hr.", "Herrn", "Herr Dr.", "Herr Dipl.-Ing."])

    def pname(self, pers: dict, style: str | None = None) -> str:
        """A person reference in markup; titles stay outside the span."""
        style = style or self.c(["full", "full", "title", "title", "first", "lastfirst"])
        if style == "full":
            return m(f"{pers['first']} {pers['last']}", "PERSON")
        if style == "title":
            return f"{self.anrede(pers)} {m(pers['last'], 'PERSON')}"
        if style == "titlefull":
            return f"{self.anrede(pers)} {m(pers['first'] + ' ' + pers['last'], 'PERSON')}"
        if style == "first":
            return m(pers["first"], "PERSON")
        if style == "initial":
            return m(f"{pers['first'][0]}. {pers['last']}", "PERSON")
        return m(f"{pers['last']}, {pers['first']}", "PERSON")

    # -- addresses and places
    def city(self, country: str | None = None) -> tuple[str, str, str]:
        """(city, plz, country); PLZ consistent with the city."""
        if self.p(0.8):
            cands = [c for c in self.cities if country is None or L.CITY_PLZ[c][0] == country]
            city = self.c(cands)
            ctry, ranges = L.CITY_PLZ[city]
            lo, hi = self.c(ranges)
            n = self.r.randint(lo, hi)
            plz = f"{n:05d}" if ctry == "DE" else f"{n:04d}"
            return city, plz, ctry
        ctry = country or self.c(["DE", "DE", "DE", "AT", "CH"])
        fk = self.f[{"DE": "de_DE", "AT": "de_AT", "CH": "de_CH"}[ctry]]
        return fk.city(), fk.postcode(), ctry

    def street(self, ctry: str) -> str:
        if self.p(0.45):
            s = self.c(L.STREETS_COMMON)
        else:
            s = self.f[{"DE": "de_DE", "AT": "de_AT", "CH": "de_CH"}[ctry]].street_name()
        num = str(self.r.randint(1, 180 if self.p(0.8) else 30))
        x = self.r.random()
        if x < 0.12:
            num += self.c("abcd")
        elif x < 0.16:
            num += f"-{int(num) + self.r.randint(1, 4)}"
        elif x < 0.2 and ctry == "AT":
            num += f"/{self.r.randint(1, 12)}"
        return f"{s} {num}"

    def address(self) -> dict:
        city, plz, ctry = self.city()
        pfx = ""
        if ctry == "AT" and self.p(0.25):
            pfx = "A-"
        elif ctry == "CH" and self.p(0.25):
            pfx = "CH-"
        elif ctry == "DE" and self.p(0.05):
            pfx = "D-"
        return {"street": self.street(ctry), "plz": pfx + plz, "city": city, "ctry": ctry}

    def addr_markup(self, a: dict, sep: str | None = None) -> str:
        sep = sep if sep is not None else self.c([", ", ", ", "\n", " "])
        return m(a["street"], "ADDRESS") + sep + m(f"{a['plz']} {a['city']}", "ADDRESS")

    def location(self) -> str:
        x = self.r.random()
        if x < 0.45:
            return m(self.city()[0], "LOCATION")
        if x < 0.7:
            reg = self.c(L.REGIONS)
            if reg.startswith(("der ", "dem ")):
                art, rest = reg.split(" ", 1)
                return f"{art} {m(rest, 'LOCATION')}"
            return m(reg, "LOCATION")
        if x < 0.9:
            co = self.c(L.COUNTRIES)
            if co.startswith(("der ", "den ")):
                art, rest = co.split(" ", 1)
                return f"{art} {m(rest, 'LOCATION')}"
            return m(co, "LOCATION")
        return m(self.c(L.DISTRICTS), "LOCATION")

    # -- organisations
    def org(self, kind: str | None = None) -> str:
        kind = kind or self.c(["company", "company", "madeup", "madeup", "insurer", "bank", "hospital", "authority", "other"])
        if kind == "madeup":
            x = self.r.random()
            last = self._name(self.c(["de_DE", "de_DE", "tr_TR", "it_IT"]), "m")[1]
            if x < 0.4:
                name = f"{last} {self.c(L.COMPANY_WORDS)} {self.c(L.LEGAL_FORMS)}"
            elif x < 0.7:
                name = self.f["de_DE"].company()
            else:
                name = f"{self.c(L.COMPANY_WORDS)} {self.city()[0]} {self.c(L.LEGAL_FORMS)}"
            return name
        return self.c(L.ORGS_FIXED[kind])

    # -- structured data
    def phone(self, ctry: str = "DE", mobile: bool | None = None) -> str:
        mobile = self.p(0.5) if mobile is None else mobile
        if ctry == "AT":
            pre = self.c(["0664", "0676", "0699", "0650"]) if mobile else self.c(["01", "0316", "0732", "0662"])
            body = self.digits(7)
            return self.c([f"{pre} {body}", f"+43 {pre[1:]} {body}", f"{pre}/{body}"])
        if ctry == "CH":
            pre = self.c(["079", "078", "076"]) if mobile else self.c(["044", "031", "061", "041"])
            d = self.digits(7)
            return self.c([f"{pre} {d[:3]} {d[3:5]} {d[5:]}", f"+41 {pre[1:]} {d[:3]} {d[3:5]} {d[5:]}"])
        if mobile:
            pre = self.c(["0151", "0152", "0160", "0170", "0171", "0172", "0173", "0176", "0157", "0162"])
            body = self.digits(self.r.randint(7, 8))
            return self.c([f"{pre} {body}", f"{pre}/{body}", f"{pre}-{body}", f"+49 {pre[1:]} {body}", f"+49{pre[1:]}{body}", f"{pre}{body}"])
        pre = self.c(["030", "040", "089", "0221", "069", "0711", "0341", "0351", "0511", "0911", "0931", "0228", "06221"])
        body = self.digits(self.r.randint(5, 8))
        return self.c([f"{pre} {body}", f"{pre}/{body}", f"({pre}) {body}", f"+49 {pre[1:]} {body}",
                       f"+49 (0){pre[1:]} {body}", f"{pre} {body[:3]} {body[3:]}", f"{pre} {body}-0"])

    def email(self, pers: dict | None = None, domain: str | None = None) -> str:
        if pers is None:
            local = self.c(["service", "kundenservice", "info", "support", "kontakt", "buchhaltung", "hilfe"])
        else:
            f, la = ascii_mail(pers["first"]) or "kunde", ascii_mail(pers["last"]) or "x"
            local = self.c([f"{f}.{la}", f"{f[0]}.{la}", f"{f}{la}", f"{la}{self.r.randint(1, 99)}", f"{f}.{la}{self.r.randint(60, 99)}", f"{f}_{la}"])
        domain = domain or self.c(["gmx.de", "web.de", "t-online.de", "gmail.com", "outlook.de", "posteo.de", "yahoo.de",
                                   "gmx.at", "bluewin.ch", "icloud.com", "freenet.de", "mail.de", "aon.at", "gmx.ch"])
        return f"{local}@{domain}"

    def iban(self, ctry: str = "DE") -> str:
        if ctry == "AT":
            bban = self.digits(16)
        elif ctry == "CH":
            bban = self.digits(17)
        else:
            bban = self.digits(18)
        s = ctry + iban_check(ctry, bban) + bban
        if self.p(0.7):
            s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
        return s

    def card(self) -> str:
        n = luhn_complete(self.c(["4", "51", "52", "55"]) + self.digits(14 if self.p(0.5) else 13))[:16]
        n = luhn_complete(n[:15])
        return " ".join(n[i:i + 4] for i in range(0, 16, 4)) if self.p(0.7) else n

    def cust_no(self) -> str:
        return self.c([self.digits(self.r.randint(4, 8)), f"K-{self.digits(6)}", f"KD{self.digits(7)}",
                       f"{self.digits(3)}-{self.digits(5)}", f"KN-{self.r.randint(2018, 2025)}-{self.digits(5)}"])

    def order_no(self) -> str:
        return self.c([f"#{self.digits(5)}", self.digits(8), f"{self.digits(3)}-{self.digits(7)}-{self.digits(7)}",
                       f"B-{self.digits(6)}", f"AB{self.digits(8)}", f"#{self.digits(7)}"])

    def other_id(self) -> tuple[str, str]:
        """(keyword, id)"""
        return self.c([
            ("Vertragsnummer", f"V-{self.r.randint(2015, 2025)}-{self.digits(6)}"),
            ("Versichertennummer", f"{self.c('ABCDEFGHKLMNRSTZ')}{self.digits(9)}"),
            ("Ticket", f"#{self.c('ABCT')}-{self.digits(5)}"),
            ("Rechnungsnummer", f"RE-{self.r.randint(2020, 2025)}-{self.digits(4)}"),
            ("Sendungsnummer", f"00340{self.digits(15)}"),
            ("Zählernummer", f"{self.digits(1)}{self.c('ABCEL')}{self.c('ABCDEFG')}{self.digits(8)}"),
            ("Mitgliedsnummer", self.digits(7)),
            ("Personalnummer", self.digits(5)),
            ("Steuer-ID", f"{self.r.randint(1, 9)}{self.digits(1)} {self.digits(3)} {self.digits(3)} {self.digits(3)}"),
            ("Kennzeichen", f"{self.c(['M', 'B', 'HH', 'K', 'S', 'L', 'DD', 'F', 'WI', 'HD'])}-{self.c('ABCDEFGHKLMNPRSTUVWXYZ')}{self.c('ABCDEFGHKLMNPRSTUVWXYZ')} {self.r.randint(1, 9999)}"),
            ("Schadennummer", f"{self.digits(2)}-{self.digits(6)}/{self.r.randint(20, 25)}"),
            ("Aktenzeichen", f"{self.digits(3)} C {self.digits(3)}/{self.r.randint(20, 25)}"),
        ])

    MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]

    def date(self, birth: bool = False) -> str:
        y = self.r.randint(1935, 2005) if birth else self.r.randint(2021, 2025)
        mo, d = self.r.randint(1, 12), self.r.randint(1, 28)
        return self.c([f"{d:02d}.{mo:02d}.{y}", f"{d}.{mo}.{y}", f"{d}. {self.MONTHS[mo - 1]} {y}", f"{d:02d}.{mo:02d}.",
                       f"{d}. {self.MONTHS[mo - 1]}", f"{y}-{mo:02d}-{d:02d}", f"{d:02d}.{mo:02d}.{y % 100:02d}"]
                      if not birth else [f"{d:02d}.{mo:02d}.{y}", f"{d}. {self.MONTHS[mo - 1]} {y}", f"{d}.{mo}.{y}"])

    def url(self, org: str | None = None) -> str:
        base = ascii_mail((org or self.f["de_DE"].last_name()).split(" ")[0]).replace(".", "") or "shop"
        tld = self.c(["de", "de", "com", "at", "ch", "eu"])
        return self.c([f"www.{base}.{tld}", f"https://www.{base}.{tld}/kontakt", f"{base}-shop.{tld}", f"https://{base}.{tld}/hilfe/faq"])

    # -- Art. 9
    def health_about(self, who: str = "ich") -> str:
        """A sentence with HEALTH about a person. who: ich | er | sie | kunde."""
        r = self.c
        H = lambda s: m(s, "HEALTH")  # noqa: E731
        def dg(dat: bool = False) -> str:
            d = r(L.HEALTH_DIAG)
            if d.startswith("eine "):
                return ("einer " if dat else "eine ") + H(d[5:])
            return H(d)

        first = [
            lambda: f"Ich bin {H('schwanger')} und brauche die Lieferung dringend.",
            lambda: f"Ich bin in der {self.r.randint(8, 38)}. Woche {H('schwanger')}, bitte nur bis zur Haustür tragen lassen.",
            lambda: f"Seit meiner {H(r(L.HEALTH_TREAT))} kann ich keine schweren Pakete mehr tragen.",
            lambda: f"Ich habe {dg()} und konnte deshalb den Termin nicht wahrnehmen.",
            lambda: f"Ich leide seit Jahren an {dg(True)}.",
            lambda: f"Ich nehme täglich {H(r(L.HEALTH_MED))} {self.r.choice(['10', '20', '100', '500', '1000'])} mg, das Rezept liegt bei.",
            lambda: f"Ich sitze im {H('Rollstuhl')} und komme nicht in die Filiale.",
            lambda: f"Ich bin auf einen {H(r(['Rollator', 'Rollstuhl', 'Blindenhund']))} angewiesen.",
            lambda: f"Ich war {self.r.randint(2, 6)} Wochen {H('krankgeschrieben')} und konnte nicht früher antworten.",
            lambda: f"Ich habe {H(r(L.HEALTH_CARE))} und bin auf Hilfe angewiesen.",
            lambda: f"Wegen meiner {H(r(['Depression', 'Angststörung', 'Migräne', 'Chemo', 'Schwangerschaft', 'Dialyse']))} schaffe ich das gerade nicht.",
            lambda: f"Ich habe seit Wochen {H(r(L.HEALTH_SYMPT))} und bin in ärztlicher Behandlung.",
            lambda: f"Ich bin {H(r(L.HEALTH_STATE))} und bitte um Verständnis.",
            lambda: f"Ich bin in {H('psychiatrischer Behandlung')} und kann nicht telefonieren.",
            lambda: f"Mein Arzt hat {dg()} festgestellt, deshalb möchte ich kündigen.",
            lambda: f"Ich brauche ein neues {H('Hörgerät')}, das alte ist kaputt.",
            lambda: f"Nach einem {H(r(L.HEALTH_EVENT))} im Frühjahr bin ich noch nicht wieder fit.",
            lambda: f"Ich bekomme {H(r(L.HEALTH_MED))} und bin deshalb oft müde.",
            lambda: f"Seit meinem {H('Kaiserschnitt')} darf ich nichts Schweres heben.",
            lambda: f"ich hab {dg()} und kann grad nicht arbeiten",
        ]
        third = [
            lambda: f"{r(['Mein Mann', 'Meine Frau', 'Meine Mutter', 'Mein Vater', 'Mein Sohn', 'Meine Tochter'])} hat {dg()} und braucht die Matratze dringend.",
            lambda: f"{r(['Meine Mutter', 'Mein Vater', 'Meine Oma'])} hat {H(r(L.HEALTH_CARE))} und kann die Tür nicht selbst öffnen.",
            lambda: f"{r(['Meine Frau', 'Meine Tochter', 'Meine Partnerin'])} ist {H('schwanger')}, deshalb bitte keine Lieferung vor 10 Uhr.",
            lambda: f"{r(['Mein Sohn', 'Meine Tochter'])} hat {H(r(['ADHS', 'Autismus', 'Epilepsie', 'Asthma', 'Neurodermitis', 'Zöliakie']))} und verträgt das nicht.",
            lambda: f"{r(['Mein Mann', 'Mein Vater'])} nimmt {H(r(L.HEALTH_MED))} und darf nicht Auto fahren.",
            lambda: f"{r(['Mein Mann', 'Meine Mutter'])} liegt nach einem {H(r(L.HEALTH_EVENT))} im Krankenhaus.",
        ]
        crm = [
            lambda: f"Kd. ist {H(r(L.HEALTH_STATE))}, bitte Rückruf nur nachmittags.",
            lambda: f"Kundin {H('schwanger')}, Liefertermin vorziehen.",
            lambda: f"Kunde sitzt im {H('Rollstuhl')}, Lieferung nur ebenerdig.",
            lambda: f"Laut Attest {dg()}, Kündigung aus gesundheitlichen Gründen akzeptiert.",
            lambda: f"Kunde hat {H(r(L.HEALTH_CARE))}, Pflegedienst nimmt Pakete an.",
            lambda: f"Kundin nach {H(r(L.HEALTH_TREAT))} noch in der {H('Reha')}, Frist verlängert.",
            lambda: f"Kd. nimmt {H(r(L.HEALTH_MED))}, fragt nach Wechselwirkungen.",
            lambda: f"Versicherte mit {dg(True)}, Antrag auf {H(r(L.HEALTH_TREAT))} liegt vor.",
            lambda: f"Kunde hat {H(r(L.HEALTH_SYMPT))} gemeldet, Termin verschoben.",
        ]
        pool = {"ich": first, "er": third, "sie": third, "kunde": crm}[who]
        return self.c(pool)()

    def special_about(self, who: str = "ich") -> str:
        S = lambda s: m(s, "SPECIAL_CATEGORY")  # noqa: E731
        r = self.c
        first = [
            lambda: f"Ich bin {S(r(L.SPECIAL_RELIGION[:7]))} und faste gerade, bitte keine Lieferung mittags.",
            lambda: f"Als {S(r(['Muslimin', 'Muslim', 'Jüdin', 'Katholikin', 'Zeuge Jehovas']))} möchte ich keine Werbung zu diesem Thema.",
            lambda: f"Ich bin {S(r(L.SPECIAL_UNION))} und lasse das vom Rechtsschutz prüfen.",
            lambda: f"Ich bin {S(r(L.SPECIAL_POLITICS))} und wurde deswegen im Laden beleidigt.",
            lambda: f"Ich bin {S(r(L.SPECIAL_ORIENT))} und fühle mich von Ihrem Mitarbeiter diskriminiert.",
            lambda: f"Ich bin {S(r(L.SPECIAL_ETHNIC))} und wurde an der Kasse anders behandelt.",
            lambda: f"Mein {S(r(L.SPECIAL_BIO))} wurde ohne Einwilligung gespeichert.",
        ]
        crm = [
            lambda: f"Konfession: {S(r(['rk', 'ev', 'islamisch', 'katholisch', 'evangelisch']))}",
            lambda: f"Mitarbeiter ist {S(r(L.SPECIAL_UNION))}, Betriebsrat informiert.",
            lambda: f"Kundin gibt an, {S(r(L.SPECIAL_ORIENT))} zu sein, Beschwerde wegen Diskriminierung.",
            lambda: f"Kunde ist {S(r(L.SPECIAL_RELIGION))}, wünscht Termin außerhalb des Feiertags.",
            lambda: f"Bewerberin ist {S(r(L.SPECIAL_POLITICS))}, steht im Lebenslauf.",
        ]
        return self.c(first if who == "ich" else crm)()

    def negative(self) -> str:
        x = self.r.random()
        if x < 0.55:
            return self.c(L.HEALTH_NEG_SENTENCES)
        if x < 0.7:
            return self.c(L.SPECIAL_NEG_SENTENCES)
        return self.c(L.NOUN_USES)

    # -- body sentences about an ordinary customer matter
    def issue(self, cust: dict) -> str:
        r = self.c
        o = self.order_no()
        D = lambda b=False: m(self.date(b), "DATE")  # noqa: E731
        a = cust["addr"]
        pool = [
            lambda: f"Meine Bestellung {m(o, 'ID_NUMBER')} vom {D()} ist immer noch nicht angekommen.",
            lambda: f"Die Lieferung zur Bestellnummer {m(o, 'ID_NUMBER')} kam beschädigt an.",
            lambda: f"Bitte ändern Sie meine Lieferadresse auf {self.addr_markup(a, ', ')}.",
            lambda: f"Ich bin umgezogen, die neue Adresse lautet {self.addr_markup(a, ', ')}.",
            lambda: f"Bitte buchen Sie künftig von meinem Konto {m(self.iban(a['ctry'] if a['ctry'] in ('AT', 'CH') else 'DE'), 'IBAN')} ab.",
            lambda: f"Meine Kundennummer ist {m(cust['kdnr'], 'ID_NUMBER')}.",
            lambda: f"Sie erreichen mich unter {m(cust['phone'], 'PHONE')} oder per Mail an {m(cust['email'], 'EMAIL')}.",
            lambda: f"Die Rechnung {m(self.other_id()[1], 'ID_NUMBER')} wurde doppelt abgebucht.",
            lambda: f"Ich möchte meinen Vertrag zum {D()} kündigen.",
            lambda: f"Mein Geburtsdatum ist der {D(True)}.",
            lambda: (lambda k: f"Zur Info, {k[0]}: {m(k[1], 'ID_NUMBER')}.")(self.other_id()),
            lambda: f"Der Techniker war am {D()} da, aber das Internet funktioniert immer noch nicht.",
            lambda: f"Ich warte seit drei Wochen auf eine Antwort von {m(self.org(), 'ORGANIZATION')}.",
            lambda: f"Das Paket liegt angeblich in der Filiale in {self.location()}, ich wohne aber in {self.location()}.",
            lambda: f"Ich habe den Artikel am {D()} in Ihrer Filiale in {self.location()} gekauft.",
            lambda: f"Die Rückerstattung über {self.r.randint(12, 480)},{self.r.randint(10, 99)} € ist noch nicht auf meinem Konto.",
            lambda: f"Mein Nachbar, {self.pname(self.person(), 'title')}, hat das Paket angenommen.",
            lambda: f"Die Zahlung mit der Karte {m(self.card(), 'CREDIT_CARD')} wurde abgelehnt.",
            lambda: f"Laut Sendungsverfolgung wurde das Paket an {m(self.c(['DHL', 'Hermes', 'DPD', 'GLS', 'UPS']), 'ORGANIZATION')} übergeben.",
            lambda: f"Ich kann mich nicht einloggen, die Seite {m(self.url(), 'URL')} zeigt nur einen Fehler.",
            lambda: f"Meine IP-Adresse war {m(f'{self.r.randint(11, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}', 'IP_ADDRESS')}, falls das hilft.",
            lambda: f"Ich bin Kunde seit {self.r.randint(2005, 2022)} und sehr enttäuscht.",
            lambda: f"Den Termin am {D()} um {self.r.randint(8, 17)}:{r(['00', '15', '30', '45'])} Uhr kann ich leider nicht wahrnehmen.",
        ]
        return self.c(pool)()

    # ------------------------------------------------------------ documents

    def customer(self) -> dict:
        p = self.person()
        p["addr"] = self.address()
        p["phone"] = self.phone(p["addr"]["ctry"])
        p["email"] = self.email(p)
        p["kdnr"] = self.cust_no()
        return p

    def agent(self) -> dict:
        p = self.person()
        p["org"] = self.org(self.c(["company", "madeup", "madeup", "insurer", "bank"]))
        return p

    def greeting(self, cust: dict, formal: bool = True) -> str:
        if formal:
            if self.p(0.35):
                return self.c(["Sehr geehrte Damen und Herren,", "Guten Tag,", "Hallo,", "Liebes Service-Team,"])
            sal = "Sehr geehrte" if cust["g"] == "f" else "Sehr geehrter"
            return self.c([f"{sal} {self.pname(cust, 'title')},", f"Guten Tag {self.pname(cust, 'titlefull')},",
                           f"Hallo {self.pname(cust, 'title')},"])
        return self.c([f"Hallo {self.pname(cust, 'first')},", f"Hi {self.pname(cust, 'first')},", f"Liebe {self.pname(cust, 'first')}," if cust["g"] == "f" else f"Lieber {self.pname(cust, 'first')},"])

    def signature(self, p: dict, with_org: bool = False, contact: bool = True) -> str:
        lines = [self.c(["Mit freundlichen Grüßen", "Viele Grüße", "Freundliche Grüße", "Beste Grüße", "MfG", "LG", "Danke und Gruß"])]
        lines.append(self.pname(p, self.c(["full", "full", "full", "initial"])))
        if with_org:
            if self.p(0.6):
                lines.append(self.c(["Kundenservice", "Team Kundenbetreuung", "Sachbearbeitung", "Leitung Vertrieb", "Buchhaltung"]))
            lines.append(m(p["org"], "ORGANIZATION"))
            a = self.address()
            if self.p(0.7):
                lines.append(self.addr_markup(a, self.c(["\n", " | ", ", "])))
            if self.p(0.8):
                lines.append(f"Tel. {m(self.phone(a['ctry'], False), 'PHONE')}")
            if self.p(0.5):
                lines.append(m(self.url(p["org"]), "URL"))
            if self.p(0.3):
                lines.append(f"Sitz: {m(a['city'], 'LOCATION')}, Registergericht: {m('Amtsgericht ' + self.city('DE')[0], 'ORGANIZATION')}, HRB {self.digits(5)}")
            if self.p(0.2):
                lines.append(f"Geschäftsführer: {self.pname(self.person(), 'full')}")
        elif contact:
            if "addr" in p and self.p(0.6):
                lines.append(self.addr_markup(p["addr"], "\n"))
            if "phone" in p and self.p(0.6):
                lines.append(f"{self.c(['Tel.', 'Tel.:', 'Mobil:', 'Handy'])} {m(p['phone'], 'PHONE')}")
            if "email" in p and self.p(0.3):
                lines.append(m(p["email"], "EMAIL"))
        return "\n".join(lines)

    def body(self, cust: dict, n: int, art9: float) -> list[str]:
        out = [self.issue(cust) for _ in range(n)]
        if self.p(art9):
            out.insert(self.r.randint(0, len(out)), self.health_about("ich") if self.p(0.8) else self.special_about("ich"))
        if self.p(0.25):
            out.insert(self.r.randint(0, len(out)), self.health_about("er"))
        if self.p(0.3):
            out.insert(self.r.randint(0, len(out)), self.negative())
        return out

    def doc_email(self):
        cust = self.customer()
        parts = [self.greeting(self.agent(), True) if self.p(0.1) else self.c(["Sehr geehrte Damen und Herren,", "Guten Tag,", "Hallo,", "Hallo zusammen,"]),
                 "", " ".join(self.body(cust, self.r.randint(1, 4), 0.35)), "", self.signature(cust)]
        return "\n".join(parts), "email", False

    def doc_reply(self):
        cust, ag = self.customer(), self.agent()
        b = [self.c(["vielen Dank für Ihre Nachricht.", "danke für Ihre Geduld.", "wir bedauern die Unannehmlichkeiten."])]
        b.append(self.c([
            f"Ihre Bestellung {m(self.order_no(), 'ID_NUMBER')} wurde am {m(self.date(), 'DATE')} versandt.",
            f"Wir haben Ihre neue Anschrift {self.addr_markup(cust['addr'], ', ')} gespeichert.",
            f"Die Gutschrift erfolgt auf das Konto {m(self.iban(), 'IBAN')}.",
            f"Ihr Kundenkonto {m(cust['kdnr'], 'ID_NUMBER')} ist wieder freigeschaltet.",
            f"Ihr Termin ist am {m(self.date(), 'DATE')} in unserer Filiale in {self.location()}.",
        ]))
        if self.p(0.2):
            b.append(self.negative())
        return "\n".join([self.greeting(cust, True), "", " ".join(b), "", self.signature(ag, with_org=True)]), "email", False

    def doc_ticket(self):
        cust = self.customer()
        tid = f"#{self.c('ABT')}-{self.digits(5)}" if self.p(0.5) else self.digits(6)
        head = self.c([
            f"Ticket {m(tid, 'ID_NUMBER')} – {self.c(['Lieferung', 'Rechnung', 'Kündigung', 'Reklamation', 'Adressänderung', 'Technik'])}",
            f"Support-Ticket von {self.pname(cust)} ({m(cust['email'], 'EMAIL')}), Kundennr. {m(cust['kdnr'], 'ID_NUMBER')}:",
            f"Betreff: {self.c(['Reklamation', 'Frage zur Rechnung', 'Lieferproblem', 'Kündigung'])} / Kunde: {self.pname(cust, 'full')}",
        ])
        b = " ".join(self.body(cust, self.r.randint(1, 3), 0.35))
        if self.p(0.5):
            b = f"\"{b}\""
        return f"{head}\n{b}", "ticket", False

    def doc_chat(self):
        cust = self.customer()
        ag = self.agent()
        lines = [f"{self.c(['Agent', 'Support', 'Bot', m(ag['first'], 'PERSON')])}: Hallo, wie kann ich helfen?"]
        who = self.c(["Kunde", "Kundin", "Gast", m(cust["first"], "PERSON")])
        lines.append(f"{who}: hi, hier ist {self.pname(cust, self.c(['full', 'first']))}, {self.issue(cust)}")
        lines.append(f"{self.c(['Agent', 'Support'])}: Können Sie mir Ihre Kundennummer oder E-Mail nennen?")
        lines.append(f"{who}: {self.c([m(cust['kdnr'], 'ID_NUMBER'), m(cust['email'], 'EMAIL'), 'die hab ich grad nicht'])}")
        if self.p(0.35):
            lines.append(f"{who}: {self.health_about('ich') if self.p(0.8) else self.special_about('ich')}")
        if self.p(0.25):
            lines.append(f"{who}: {self.negative()}")
        lines.append(f"{self.c(['Agent', 'Support'])}: Danke, ich schaue nach.")
        text = "\n".join(lines)
        return text, "chat", False, ("lower" if self.p(0.35) else None)

    def doc_crm(self):
        cust = self.customer()
        staff = self.c(["MK", "JS", "TB", "AK", self.pname(self.agent(), "initial")])
        lines = [f"CRM-Notiz {m(self.date(), 'DATE')} / {staff}"]
        s = [f"{self.c(['Kundin', 'Kunde', 'Kd.', 'Anrufer'])} {self.pname(cust, self.c(['full', 'lastfirst', 'titlefull']))} (KdNr {m(cust['kdnr'], 'ID_NUMBER')}) hat angerufen."]
        s.append(self.c([
            f"Möchte Lieferadresse auf {self.addr_markup(cust['addr'], ', ')} ändern.",
            f"Rückruf erbeten unter {m(cust['phone'], 'PHONE')}.",
            f"Neue Bankverbindung: {m(self.iban(), 'IBAN')}.",
            f"Beschwerde über Mitarbeiter in der Filiale {self.location()}.",
            f"Kündigung zum {m(self.date(), 'DATE')} bestätigt.",
        ]))
        if self.p(0.45):
            s.append(self.health_about("kunde") if self.p(0.8) else self.special_about("kunde"))
        if self.p(0.2):
            s.append(self.negative())
        lines.append(" ".join(s))
        return "\n".join(lines), "crm", False

    def doc_call(self):
        cust = self.customer()
        ag = self.agent()
        t = (f"Telefonnotiz {m(self.date(), 'DATE')}, {self.r.randint(8, 17)}:{self.r.randint(10, 59)} Uhr, Bearbeiter: {self.pname(ag, 'full')}\n"
             f"Anruf von {self.pname(cust, self.c(['title', 'titlefull', 'full']))}, Tel. {m(cust['phone'], 'PHONE')}. ")
        t += " ".join(self.body(cust, self.r.randint(1, 2), 0.3))
        t += f" Weitergeleitet an {m(self.org(), 'ORGANIZATION')}." if self.p(0.3) else ""
        return t, "call", False

    def doc_review(self):
        stars = self.r.randint(1, 5)
        sig = self.c([self.pname(self.person(), "full"), self.pname(self.person(), "initial"), self.pname(self.person(), "first") + f" aus {self.location()}", None, None])
        body = self.c([
            "Schnelle Lieferung, alles bestens.", "Leider kaputt angekommen, Kundenservice war aber nett.",
            "Nie wieder, drei Wochen Lieferzeit.", "Top Qualität, gerne wieder.", "Passt perfekt, Farbe wie abgebildet.",
        ])
        extra = []
        if self.p(0.35):
            extra.append(self.negative())
        if self.p(0.25):
            extra.append(self.health_about("ich") if sig else self.c(L.HEALTH_NEG_SENTENCES))
        if self.p(0.25):
            extra.append(f"Bestellt bei {m(self.org('company'), 'ORGANIZATION')} in {self.location()}.")
        t = f"{'★' * stars}{'☆' * (5 - stars)} {body} {' '.join(extra)}".strip()
        if sig:
            t += f"\n– {sig}"
        return t, "review", False

    def doc_complaint(self):
        cust = self.customer()
        t = (f"Beschwerde\n{self.pname(cust, 'full')}\n{self.addr_markup(cust['addr'], chr(10))}\n\n"
             f"{self.c(['An', 'z. Hd.'])} {m(self.org(), 'ORGANIZATION')}\n\n"
             f"Hiermit beschwere ich mich über {self.c(['Ihren Mitarbeiter', 'die Filiale', 'Ihren Lieferdienst'])}"
             f"{(' ' + self.pname(self.person(), 'title')) if self.p(0.4) else ''}. ")
        t += " ".join(self.body(cust, self.r.randint(1, 3), 0.4))
        t += "\n\n" + self.signature(cust, contact=False)
        return t, "complaint", False

    def doc_thread(self):
        cust, ag = self.customer(), self.agent()
        dom = ascii_mail(ag["org"].split(" ")[0]).replace(".", "") or "firma"
        ag_mail = self.email(ag, f"{dom}.de")
        n = self.r.randint(2, 3)
        msgs = []
        for i in range(n):
            frm, to = (cust, ag) if i % 2 == 0 else (ag, cust)
            fm = cust["email"] if frm is cust else ag_mail
            tm = ag_mail if frm is cust else cust["email"]
            hdr = self.c(["-----Ursprüngliche Nachricht-----", "---------- Weitergeleitete Nachricht ----------", "Am {d} schrieb {n}:"])
            if "{d}" in hdr:
                hdr = f"Am {m(self.date(), 'DATE')} schrieb {self.pname(frm, 'full')} <{m(fm, 'EMAIL')}>:"
                msgs.append(f"{hdr}\n{' '.join(self.body(cust, 1, 0.2))}")
                continue
            wd = self.c(["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"])
            h = (f"{hdr}\nVon: {self.pname(frm, 'full')} <{m(fm, 'EMAIL')}>\n"
                 f"Gesendet: {wd}, {m(self.date(), 'DATE')} {self.r.randint(8, 18)}:{self.r.randint(10, 59)}\n"
                 f"An: {m(tm, 'EMAIL')}\nBetreff: {self.c(['AW: ', 'WG: ', 'RE: ', ''])}{self.c(['Ihre Bestellung', 'Reklamation', 'Kündigung', 'Rückfrage'])}")
            msgs.append(f"{h}\n\n{' '.join(self.body(cust, self.r.randint(1, 2), 0.2))}\n{self.signature(frm, with_org=frm is ag, contact=False)}")
        intro = self.c(["Kannst du dir das mal anschauen?", "Zur Info, siehe unten.", "FYI", ""])
        return (intro + "\n\n" if intro else "") + "\n\n".join(msgs), "thread", True

    def doc_csv(self):
        n = self.r.randint(1, 6)
        sep = self.c([";", ",", "\t"])
        cols = self.c([["Name", "PLZ Ort", "Telefon", "E-Mail"], ["Kundennr", "Nachname", "Vorname", "Straße", "PLZ Ort"],
                       ["Name", "IBAN", "Betrag"], ["Name", "Geburtsdatum", "Diagnose"], ["Nachname", "Vorname", "Telefon", "Konfession"]])
        rows = [sep.join(cols)]
        for _ in range(n):
            c = self.customer()
            caps = self.p(0.25)
            fn, ln = (same_len_case(c["first"], "upper"), same_len_case(c["last"], "upper")) if caps else (c["first"], c["last"])
            vals = []
            for col in cols:
                vals.append({
                    "Name": m(f"{fn} {ln}", "PERSON"), "Nachname": m(ln, "PERSON"), "Vorname": m(fn, "PERSON"),
                    "PLZ Ort": m(f"{c['addr']['plz']} {c['addr']['city']}", "ADDRESS"), "Straße": m(c["addr"]["street"], "ADDRESS"),
                    "Telefon": m(c["phone"], "PHONE"), "E-Mail": m(c["email"], "EMAIL"), "Kundennr": m(c["kdnr"], "ID_NUMBER"),
                    "IBAN": m(self.iban(), "IBAN"), "Betrag": f"{self.r.randint(5, 900)},{self.r.randint(10, 99)}",
                    "Geburtsdatum": m(self.date(True), "DATE"),
                    "Diagnose": m(self.c(L.HEALTH_DIAG[:36] + L.HEALTH_CARE), "HEALTH"),
                    "Konfession": m(self.c(["rk", "ev", "islamisch", "ohne"]), "SPECIAL_CATEGORY"),
                }[col])
            rows.append(sep.join(vals).replace(f"⟦ohne|SPECIAL_CATEGORY⟧", "ohne"))
        intro = self.c(["Hier der Export aus dem CRM:", "Auszug Kundenliste:", "", "Bitte prüfen:"])
        return (intro + "\n" if intro else "") + "\n".join(rows), "csv", n >= 3

    def doc_hr(self):
        emp = self.customer()
        t = (f"Personalakte {self.pname(emp, 'lastfirst')}, Personalnummer {m(self.digits(5), 'ID_NUMBER')}, "
             f"geb. {m(self.date(True), 'DATE')}. ")
        t += self.c([
            f"Seit {m(self.date(), 'DATE')} {m('krankgeschrieben', 'HEALTH')}, Wiedereingliederung geplant.",
            f"Antrag auf Elternzeit ab {m(self.date(), 'DATE')}.",
            f"Mitarbeiterin ist {m('schwanger', 'HEALTH')}, Mutterschutz beginnt am {m(self.date(), 'DATE')}.",
            f"{self.special_about('kunde')}",
            f"Wechsel in die Abteilung {self.c(['Vertrieb', 'Logistik', 'IT'])} zum {m(self.date(), 'DATE')}.",
            f"Anschrift: {self.addr_markup(emp['addr'], ', ')}.",
        ])
        return t, "hr", False

    def doc_green(self):
        x = self.r.random()
        if x < 0.35:
            t = "\n".join([self.c(["Monatsreport Onlineshop", "Quartalsbericht Kundenservice", "KPI-Übersicht"]),
                           f"Bestellungen: {self.r.randint(1000, 50000):,}".replace(",", "."),
                           f"Durchschnittlicher Warenkorbwert: {self.r.randint(20, 200)} €",
                           f"Retourenquote: {self.r.randint(5, 30)},{self.r.randint(0, 9)} %",
                           f"NPS: {self.r.randint(-20, 80)}",
                           self.c(L.HEALTH_NEG_SENTENCES + L.SPECIAL_NEG_SENTENCES)])
            return t, "stats", False
        if x < 0.55:
            t = ("Textbaustein „" + self.c(["Lieferverzögerung", "Rückerstattung", "Kündigungsbestätigung"]) + "“:\n\n"
                 "Guten Tag [Anrede] [Nachname],\n\nvielen Dank für Ihre Nachricht zu Ihrer Bestellung {{bestellnummer}}. "
                 + self.c(["Wir bitten um Ihr Verständnis.", "Die Erstattung erfolgt innerhalb von 14 Tagen.", "Ihr Vertrag endet zum {{datum}}."])
                 + "\n\nFreundliche Grüße\n[Name]")
            return t, "template", False
        if x < 0.8:
            sents = [self.c(L.HEALTH_NEG_SENTENCES) for _ in range(self.r.randint(1, 3))]
            if self.p(0.4):
                sents.append(self.c(L.NOUN_USES))
            return " ".join(sents), "product", False
        # corpus-like news sentence with organisations and places only
        t = self.c([
            f"{m(self.org(), 'ORGANIZATION')} eröffnet eine neue Filiale in {self.location()}.",
            f"Der Umsatz von {m(self.org('company'), 'ORGANIZATION')} stieg im Jahr {self.r.randint(2015, 2024)} deutlich.",
            f"In {self.location()} fällt der Regionalverkehr wegen eines Streiks aus.",
            f"{m(self.org('insurer'), 'ORGANIZATION')} erhöht den Zusatzbeitrag zum Jahreswechsel.",
        ])
        if self.p(0.3):
            t += " " + self.negative()
        return t, "news", False

    # -- people in news-style prose (GermEval's domain): surnames alone at the
    # start of a sentence, genitives, roles and nationalities before names
    NEWS_ROLES = {"m": ["Trainer", "Bürgermeister", "Ministerpräsident", "Sprecher", "Vorstandschef",
                        "Regisseur", "Schauspieler", "Stürmer", "Torhüter", "Kapitän", "Staatsanwalt",
                        "Bischof", "Professor", "Präsident", "Architekt", "Komponist", "Physiker", "Landrat"],
                  "f": ["Bürgermeisterin", "Ministerin", "Sprecherin", "Geschäftsführerin", "Autorin",
                        "Sängerin", "Richterin", "Forscherin", "Malerin", "Trainerin", "Präsidentin",
                        "Kapitänin", "Professorin", "Landrätin"]}
    NEWS_NATIONALITIES = ["Der Franzose", "Die Italienerin", "Der Pole", "Die Türkin", "Der Österreicher",
                          "Die Schweizerin", "Der Brasilianer", "Die Japanerin", "Der Inder",
                          "Die Kanadierin", "Der Schwede", "Der Ukrainer", "Die Griechin",
                          "Der Vietnamese", "Der Marokkaner", "Die Kroatin", "Der Rumäne"]
    NEWS_CITY_ADJ = ["Berliner", "Hamburger", "Münchner", "Kölner", "Frankfurter", "Stuttgarter",
                     "Leipziger", "Dresdner", "Bremer", "Nürnberger", "Wiener", "Grazer", "Salzburger",
                     "Zürcher", "Basler", "Berner", "Dortmunder", "Bochumer", "Freiburger", "Mainzer",
                     "Augsburger", "Kieler", "Rostocker", "Linzer"]
    NEWS_GEN_NOUNS = ["Nachfolger", "Rücktritt", "Vertrag", "Wechsel", "Rede", "Roman", "Biografie",
                      "Forschung", "Entscheidung", "Amtszeit", "Karriere", "Vorschlag", "Ausstellung",
                      "Kritik", "Buch", "Partei", "Mannschaft", "Verteidiger", "Anwältin", "Familie"]
    NEWS_SAID = ["sagte", "erklärte", "betonte", "kündigte an", "räumte ein", "widersprach"]

    def doc_people_news(self):
        p1, p2, p3 = self.person(), self.person(), self.person()
        if self.p(0.3):  # surnames that are also nouns, alone at a sentence start
            p1["last"] = self.c(L.NOUN_SURNAMES)
        full = lambda q: m(f"{q['first']} {q['last']}", "PERSON")
        last = lambda q: m(q["last"], "PERSON")

        def gen(q, whole=False):
            name = f"{q['first']} {q['last']}" if whole else q["last"]
            return m(name + ("'" if name[-1] in "sxzß" else "s"), "PERSON")
        role, year = self.c(self.NEWS_ROLES[p1["g"]]), self.r.randint(1950, 2024)
        der, neuer = ("Die", "neue") if p1["g"] == "f" else ("Der", "neuer")
        said = self.c(self.NEWS_SAID)
        first = self.c([
            f"{full(p1)} ist {neuer} {role} bei {m(self.org(), 'ORGANIZATION')}.",
            f"{self.c(self.NEWS_NATIONALITIES)} {full(p1)} gewann {self.c(['das Finale', 'den Titel', 'die Wahl', 'das Rennen'])} in {self.location()}.",
            f"{der} {self.c(self.NEWS_CITY_ADJ)} {role} {full(p1)} wurde {year} in {self.location()} geboren.",
            f"Neu im Team sind der {self.c(self.NEWS_CITY_ADJ)} {full(p1)} und {full(p2)}.",
            f"{gen(p1, self.p(0.3))} {self.c(self.NEWS_GEN_NOUNS)} sorgte im Jahr {year} für Aufsehen.",
            f"Die Ausstellung in {self.location()} zeigt Werke von {last(p1)}, {last(p2)} und {full(p3)}.",
            f"Laut {role} {last(p1)} soll das Projekt bis {year} abgeschlossen sein.",
            f"Mit {full(p1)} verliert {m(self.org(), 'ORGANIZATION')} eine wichtige Stimme.",
            f"Im Finale traf {full(p1)} auf {full(p2)} aus {self.location()}.",
            f"{full(p1)} ({self.r.randint(19, 80)}) übernimmt das Amt von {full(p2)}.",
        ])
        second = self.c([
            f"{last(p1)} {said}, man werde die Entscheidung prüfen.",
            f"„Wir haben viel erreicht“, {said.split()[0]} {last(p1)}.",
            f"{last(p1)} hatte zuvor für {m(self.org(), 'ORGANIZATION')} gearbeitet.",
            f"{gen(p1)} {self.c(self.NEWS_GEN_NOUNS)} gilt als {self.c(['offen', 'sicher', 'umstritten', 'beendet'])}.",
            f"Auch {last(p2)} {said}, der Schritt sei überfällig.",
            f"{last(p1)} und {last(p2)} kennen sich seit {year}.",
            f"Zuvor war {last(p1)} {self.c(['Sprecher', 'Leiter', 'Mitglied'])} von {m(self.org(), 'ORGANIZATION')}.",
            "",
        ])
        t = first + (" " + second if second else "")
        if self.p(0.2):
            t += " " + self.c(L.NOUN_USES)
        return t, "people_news", False

    KINDS = [("email", 18), ("reply", 8), ("ticket", 14), ("chat", 9), ("crm", 12), ("call", 7), ("review", 7),
             ("complaint", 5), ("thread", 6), ("csv", 5), ("hr", 3), ("green", 8)]

    def document(self, doc_id: str) -> dict:
        kind = self.r.choices([k for k, _ in self.KINDS], [w for _, w in self.KINDS])[0]
        return self.document_of(kind, doc_id)

    def document_of(self, kind: str, doc_id: str) -> dict:
        res = getattr(self, f"doc_{kind}")()
        markup, kind, multi = res[0], res[1], res[2]
        case = res[3] if len(res) > 3 else None
        markup = re.sub(r"[ \t]+\n", "\n", markup).strip()
        text, ents = parse(markup)
        if case is None and self.p(0.03):
            case = "upper"
        if case:
            text = same_len_case(text, case)
            for e in ents:
                e["text"] = text[e["start"]:e["end"]]
        labels = {e["label"] for e in ents}
        if labels & HEALTH_LABELS:
            ampel = "RED"
        elif multi and labels - NON_PERSONAL:
            ampel = "RED"
        elif labels - NON_PERSONAL:
            ampel = "YELLOW"
        else:
            ampel = "GREEN"
        for e in ents:
            assert text[e["start"]:e["end"]] == e["text"] and e["text"] == e["text"].strip(), (doc_id, e)
        return {"id": doc_id, "text": text, "entities": ents, "ampel": ampel, "kind": kind}


def write_split(path: str, n: int, seed: int, prefix: str, txt_path: str | None = None) -> None:
    g = Gen(seed)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    txt = open(txt_path, "w", encoding="utf-8") if txt_path else None
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            d = g.document(f"{prefix}-{i:05d}")
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
            if txt:
                txt.write(d["text"] + "\n\n")
    if txt:
        txt.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/work/train-work/synth", help="output folder for train/dev/heldout")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--train", type=int, default=6000)
    ap.add_argument("--dev", type=int, default=500)
    ap.add_argument("--heldout", type=int, default=500)
    ap.add_argument("--news", type=int, default=0,
                    help="append N news-style documents about people to train (own seed: --seed + 7000)")
    ap.add_argument("--sample", help="write only a small sample to this path")
    ap.add_argument("--n", type=int, default=50, help="sample size")
    a = ap.parse_args()
    if a.sample:
        write_split(a.sample, a.n, a.seed, "synth-sample")
        return
    os.makedirs(a.out, exist_ok=True)
    for name, n, seed in [("train", a.train, a.seed), ("dev", a.dev, a.seed + 1000), ("heldout", a.heldout, a.seed + 2000)]:
        write_split(os.path.join(a.out, f"{name}.jsonl"), n, seed, f"synth-{name}", os.path.join(a.out, f"{name}.txt"))
        print(f"wrote {n} docs to {a.out}/{name}.jsonl", file=sys.stderr)
    if a.news:
        # a separate seeded stream, appended: the other documents stay byte-identical
        g = Gen(a.seed + 7000)
        with open(os.path.join(a.out, "train.jsonl"), "a", encoding="utf-8") as f, \
                open(os.path.join(a.out, "train.txt"), "a", encoding="utf-8") as txt:
            for i in range(a.news):
                d = g.document_of("people_news", f"synth-news-{i:05d}")
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
                txt.write(d["text"] + "\n\n")
        print(f"appended {a.news} people-in-the-news docs to {a.out}/train.jsonl", file=sys.stderr)


if __name__ == "__main__":
    main()
