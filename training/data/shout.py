#!/usr/bin/env python3
"""Shouted variants of a gold JSONL set, to measure ALL-CAPS robustness.

  python3 training/data/shout.py IN.jsonl all OUT.jsonl   # the whole text upper-cased
  python3 training/data/shout.py IN.jsonl per OUT.jsonl   # only PERSON spans ("Herr MÜLLER")

Code point offsets are kept: a character whose upper case is not one
character (ß) stays as it is. Entity texts are rewritten to match.
Standard library only."""
import json, sys
def up(s):
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in s)
src, mode, out = sys.argv[1], sys.argv[2], sys.argv[3]
with open(src) as f, open(out, "w") as o:
    for line in f:
        d = json.loads(line)
        t = d["text"]
        if mode == "all":
            t = up(t)
        else:  # person spans only
            cs = list(t)
            for e in d.get("entities", []):
                if e["label"] in ("PERSON", "PER"):
                    for i in range(e["start"], e["end"]):
                        cs[i] = up(cs[i])
            t = "".join(cs)
        assert len(t) == len(d["text"])
        for e in d.get("entities", []):
            e["text"] = t[e["start"]:e["end"]]
        d["text"] = t
        o.write(json.dumps(d, ensure_ascii=False) + "\n")
