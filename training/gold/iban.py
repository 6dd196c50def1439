#!/usr/bin/env python3
"""IBAN and payment-card helpers for the ampel customer gold data (stdlib only).

Usage:
  python3 training/gold/iban.py make DE 37040044 0532013000   # -> IBAN with valid check digits
  python3 training/gold/iban.py random DE 5 [--seed N]        # -> 5 random valid IBANs (DE, AT or CH)
  python3 training/gold/iban.py check DE89370400440532013000   # -> ok / bad
  python3 training/gold/iban.py card 4 16 3 [--seed N]         # -> 3 Luhn-valid 16-digit cards starting with 4
"""

import random
import sys

# Length of the BBAN (everything after country code + 2 check digits) per country.
BBAN_LENGTH = {"DE": 18, "AT": 16, "CH": 17, "LI": 17, "NL": 14, "FR": 23, "IT": 23, "PL": 24}


def _to_digits(s: str) -> str:
    out = []
    for ch in s.upper():
        if ch.isdigit():
            out.append(ch)
        elif "A" <= ch <= "Z":
            out.append(str(ord(ch) - 55))
        else:
            raise ValueError(f"invalid IBAN character {ch!r}")
    return "".join(out)


def compact(iban: str) -> str:
    """Remove spaces and upper-case."""
    return "".join(iban.split()).upper()


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check (plus a length check for known countries)."""
    s = compact(iban)
    if len(s) < 15 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    want = BBAN_LENGTH.get(s[:2])
    if want is not None and len(s) != want + 4:
        return False
    try:
        return int(_to_digits(s[4:] + s[:4])) % 97 == 1
    except ValueError:
        return False


def make_iban(country: str, bban: str) -> str:
    """Compute the check digits for country + BBAN and return the compact IBAN."""
    country = country.upper()
    bban = compact(bban)
    check = 98 - int(_to_digits(bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


def group4(iban: str) -> str:
    """Print form: groups of four characters."""
    s = compact(iban)
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def luhn_is_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) < 12 or any(not (c.isdigit() or c in " -") for c in number):
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def make_card(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    for last in "0123456789":
        if luhn_is_valid(body + last):
            return body + last
    raise AssertionError("unreachable: one check digit always fits. This is a bug.")


def _main(argv: list[str]) -> int:
    seed = None
    if "--seed" in argv:
        i = argv.index("--seed")
        seed = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    rng = random.Random(seed)
    if len(argv) >= 3 and argv[0] == "make":
        print(group4(make_iban(argv[1], "".join(argv[2:]))))
    elif len(argv) == 3 and argv[0] == "random":
        country, n = argv[1].upper(), int(argv[2])
        for _ in range(n):
            bban = "".join(str(rng.randrange(10)) for _ in range(BBAN_LENGTH[country]))
            print(group4(make_iban(country, bban)))
    elif len(argv) >= 2 and argv[0] == "check":
        ok = iban_is_valid("".join(argv[1:]))
        print("ok" if ok else "bad")
        return 0 if ok else 1
    elif len(argv) == 4 and argv[0] == "card":
        for _ in range(int(argv[3])):
            c = make_card(argv[1], int(argv[2]), rng)
            print(" ".join(c[i : i + 4] for i in range(0, len(c), 4)))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
