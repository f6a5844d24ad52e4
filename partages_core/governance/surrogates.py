"""Consistent, seeded surrogates: same original → same fake value; dates shifted per patient.

Every surrogate is drawn from ``random.Random(f"{secret}|{seed}|{group}|{original}")``, so it does
not depend on the order documents are processed in, and one :class:`SurrogateMapping` shared by a
patient's documents gives the same fake name everywhere. The ``secret`` is drawn per run with
:mod:`secrets` (never from the seed, the patient id or any other value left in the output), so
neither the date shift nor a surrogate can be recomputed by whoever reads the output; it is kept
only in the mapping (``to_dict``), which the caller stores securely or discards. Passing the same
mapping back (``from_dict``, CLI ``--mapping-in``) reproduces the output byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import re
import secrets
from dataclasses import dataclass, field

from stdnum.fr import nir as _nir

from partages_core.governance.lexicons import (
    CITY_SUFFIXES, COUNTRIES, FAMILY_STATUSES_F, FAMILY_STATUSES_M, NATIONALITIES, NATIONALITIES_M,
    STREET_TYPES, first_names, fold, surrogate_pools,
)

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
_MONTH_KEYS = {fold(m): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_KEYS.update({"janv": 1, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY_MONTH = re.compile(r"^(1er|\d{1,2})\s+([A-Za-zÀ-ÿ]+)\.?$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$")
_LONG = re.compile(r"^(?:(1er|\d{1,2})\s+)?([A-Za-zÀ-ÿ]+)\.?\s+(\d{4})$")
_PARTICLE = re.compile(r"^((?:de la|de|du|des|le|la|da|dos|van|von)\s|d'|de l')", re.IGNORECASE)


@dataclass
class SurrogateMapping:
    """Original → surrogate table for one patient (or one batch), plus that patient's date shift.

    ``key`` names the patient; the date offset is drawn from HMAC(secret, key), between 30 and 365
    days either way, so intervals between a patient's dates are kept exactly. ``secret`` is drawn
    per run when not given: without the mapping, the shift cannot be recomputed.
    """

    seed: int = 0
    key: str = ""
    entries: dict[str, str] = field(default_factory=dict)
    date_offset_days: int | None = None
    secret: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.secret:
            self.secret = secrets.token_hex(16)
        if self.date_offset_days is None:
            self.date_offset_days = self._draw_offset(self.key)

    def _draw_offset(self, key: str) -> int:
        digest = hmac.new(str(self.secret).encode(), f"date|{self.seed}|{key}".encode(), hashlib.sha256).digest()
        rng = random.Random(digest)
        return rng.choice((-1, 1)) * rng.randrange(30, 366)

    def for_patient(self, key: str) -> SurrogateMapping:
        """A fresh mapping for another patient under the same run secret (its own date shift)."""
        return SurrogateMapping(seed=self.seed, key=key, secret=self.secret)

    def rng(self, group: str, original: str) -> random.Random:
        digest = hmac.new(str(self.secret).encode(), f"{self.seed}|{group}|{fold(original)}".encode(),
                          hashlib.sha256).digest()
        return random.Random(digest)

    def surrogate(self, label: str, original: str, avoid: frozenset[str] = frozenset()) -> str:
        """The surrogate of ``original`` (memoised: the same original always gets the same one).

        ``avoid`` holds folded originals of the current document: a surrogate never equals one,
        so a replacement cannot re-create another person's real name by chance.
        """
        slot = f"{label}\t{fold(original)}" if label not in ("DATE_NAISSANCE", "DATE_IDENTIFIANTE", "DATE_NON_IDENTIFIANTE") else f"DATE\t{original}"
        if slot in self.entries:
            return _case_like(self.entries[slot], original) if label in ("NOM", "PRENOM", "VILLE") else self.entries[slot]
        value = _make(self, label, original)
        salt = 0
        # a shifted date may equal another date of the document: that is what a shift does, and
        # re-drawing it would leave the original in clear (shift_date cannot parse a salted date)
        while not label.startswith("DATE") and salt < 8 and (
                fold(value) == fold(original) or fold(value) in avoid):
            salt += 1
            value = _make(self, label, original + "\x00" * salt)  # never re-create a real value
        self.entries[slot] = value
        # the same case rule as a memo hit: a rerun with this mapping (--mapping-in) gives the same bytes
        return _case_like(value, original) if label in ("NOM", "PRENOM", "VILLE") else value

    def to_dict(self) -> dict:
        """What the caller may store (securely) to re-identify later; never written by default."""
        return {"seed": self.seed, "key": self.key, "date_offset_days": self.date_offset_days,
                "secret": self.secret,
                "entries": [{"label": k.split("\t")[0], "original": k.split("\t")[1], "surrogate": v}
                            for k, v in sorted(self.entries.items())]}

    @classmethod
    def from_dict(cls, data: dict, where: str = "mapping") -> SurrogateMapping:
        """The mapping written by :meth:`to_dict` (CLI ``--mapping-in``); a bad field names itself."""
        if not isinstance(data, dict) or not data.get("secret"):
            raise ValueError(f"{where}: expected an object with a 'secret' (written by --mapping-out)")
        try:
            entries = {f"{e['label']}\t{e['original']}": str(e["surrogate"]) for e in data.get("entries", [])}
            offset = int(data["date_offset_days"]) if data.get("date_offset_days") is not None else None
            return cls(seed=int(data.get("seed", 0)), key=str(data.get("key", "")), entries=entries,
                       date_offset_days=offset, secret=str(data["secret"]))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{where}: malformed entry ({err})") from None


# --- per label -------------------------------------------------------------------------------
def _make(m: SurrogateMapping, label: str, original: str) -> str:
    rng = m.rng(label, original)
    pools = surrogate_pools()
    if label == "PRENOM":
        if re.fullmatch(r"[A-ZÀ-Þ]\.", original.rstrip("\x00")):   # an initial, salted or not
            return rng.choice("ABCDEFGHJLMNPRSTV") + "."
        sex = first_names().get(fold(original.split("-")[0]), "?")
        sex = sex if sex in "MF" else rng.choice("MF")
        return _case_like(rng.choice(pools[f"first_{sex}"]), original)
    if label == "NOM":
        particle = _PARTICLE.match(original)
        prefix = particle.group(1) if particle and len(original) > len(particle.group(1)) + 1 else ""
        return _case_like(prefix + rng.choice(pools["last"]), original)
    if label in ("DATE_NAISSANCE", "DATE_IDENTIFIANTE"):
        shifted = shift_date(original, m.date_offset_days or 0)
        return shifted if shifted != original else "[DATE]"  # a date we cannot shift is masked, not kept
    if label == "DATE_NON_IDENTIFIANTE":
        return original  # a year or vague date: not identifying, kept so the history reads true
    if label == "VILLE":
        return _case_like(_place_name(rng, pools), original)
    if label == "CODE_POSTAL":
        return f"{rng.choice(pools['departments'])}{rng.randrange(0, 1000):03d}"
    if label == "ADRESSE":
        words = original.split()
        street = next((w for w in words if w.casefold() in STREET_TYPES), rng.choice(STREET_TYPES))
        num = f"{rng.randrange(1, 150)} " if words and words[0][:1].isdigit() else ""
        return f"{num}{street} {rng.choice(pools['first_M'])} {rng.choice(pools['last'])}"
    if label == "TELEPHONE":
        return _digits_like(rng, original, keep=4 if original.startswith("+") else 2)
    if label == "ID":
        return _id_like(rng, original)
    if label == "EMAIL":
        first, last = rng.choice(pools["first_F"] + pools["first_M"]), rng.choice(pools["last"])
        return f"{fold(first)}.{fold(last)}@exemple.fr".replace(" ", "").replace("'", "")
    if label == "URL":
        scheme = re.match(r"^(https?://)?(www\.)?", original).group(0)
        return f"{scheme}{fold(rng.choice(pools['last']))}-sante.fr".replace(" ", "")
    if label == "HOPITAL":
        head = re.match(r"^(CHU|CHR|CH|Centre Hospitalier(?: Universitaire| Régional)?|Hôpital|Hopital|"
                        r"Clinique|Polyclinique|Institut|Groupe Hospitalier)\b(?: (?:de la|de l'|de|du|des|d'))?\s?",
                        original)
        name = rng.choice(pools["last"]) + rng.choice(("", "-" + rng.choice(pools["last"])))
        return (head.group(0) if head else "Hôpital ") + name
    if label == "SITUATION_FAMILIALE":
        feminine = original.rstrip().endswith("e") and fold(original) not in ("celibataire",)
        pool = FAMILY_STATUSES_F if feminine else FAMILY_STATUSES_M
        return rng.choice([s for s in pool if fold(s) != fold(original)])
    if label == "NATIONALITE":
        pool = NATIONALITIES if original.endswith("e") else NATIONALITIES_M
        return rng.choice([s for s in pool if s != original])
    if label == "PAYS":
        return rng.choice([c for c in COUNTRIES if c != original])
    if label == "IDENTITE_SOCIALE":
        return rng.choice(pools["jobs"])
    return "[" + label + "]"


def _place_name(rng: random.Random, pools: dict) -> str:
    """A fictional town that reads as a place, never as a person: "Saint-X", "X-sur-Mer", "Xville"."""
    root = rng.choice(pools["last"]).replace(" ", "-")
    shape = rng.randrange(3)
    if shape == 0:
        return rng.choice(("Saint-", "Sainte-", "Le Mesnil-", "Villeneuve-")) + root
    suffix = rng.choice([x for x in CITY_SUFFIXES if x])
    return root + suffix


def _case_like(value: str, original: str) -> str:
    """Write ``value`` in the case of ``original`` (UPPER stays UPPER, Title stays Title)."""
    if original.isupper() and len(original) > 2:
        return value.upper()
    if value.isupper() and len(value) > 2:
        small = {"de", "la", "du", "des", "le", "da", "dos", "van", "von"}
        words = value.lower().split(" ")
        return " ".join(w if (w in small and i < len(words) - 1) else "-".join(p.capitalize() for p in w.split("-"))
                        for i, w in enumerate(words))
    return value


def _digits_like(rng: random.Random, original: str, keep: int) -> str:
    out, seen = [], 0
    for ch in original:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep else str(rng.randrange(10)))
        else:
            out.append(ch)
    return "".join(out)


def _id_like(rng: random.Random, original: str) -> str:
    """Same shape (digits, letters, spaces); a NIR-shaped value keeps a valid key."""
    compact = original.replace(" ", "")
    if re.fullmatch(r"[12]\d{4}(?:\d{2}|2[AB])\d{6}\d{2}", compact) and _nir.is_valid(compact):
        body = compact[0] + "".join(str(rng.randrange(10)) for _ in range(2)) + f"{rng.randrange(1, 13):02d}" \
            + f"{rng.randrange(1, 96):02d}" + "".join(str(rng.randrange(10)) for _ in range(6))
        new = body + _nir.calc_check_digits(body)
        it = iter(new)
        return "".join(next(it) if ch != " " else " " for ch in original)
    return "".join(str(rng.randrange(10)) if ch.isdigit() else
                   rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if ch.isalpha() and ch.isupper() else ch
                   for ch in original)


# --- dates -------------------------------------------------------------------------------------
def parse_date(text: str) -> tuple[dt.date, str] | None:
    """A French written date → (date, style); style tells :func:`format_like` how to write it back."""
    text = text.strip()
    m = _NUMERIC.match(text)
    if m:
        day, sep, month, year = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        style = f"num|{sep}|{len(m.group(1))}|{len(m.group(3))}|{len(year) if year else 0}"
        y = _full_year(year) if year else 2001  # "le 3/4": no year, a non-leap reference year
        try:
            return dt.date(y, month, day), style
        except ValueError:
            return None
    m = _ISO.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "iso"
        except ValueError:
            return None
    m = _DAY_MONTH.match(text)
    if m and fold(m.group(2)) in _MONTH_KEYS:
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        try:
            return dt.date(2001, _MONTH_KEYS[fold(m.group(2))], day), "long|dm|0"
        except ValueError:
            return None
    if fold(text) in _MONTH_KEYS:  # a month alone ("en avril"): shifted by whole months
        return dt.date(2001, _MONTH_KEYS[fold(text)], 1), "long|m"
    m = _LONG.match(text)
    if m and fold(m.group(2)) in _MONTH_KEYS:
        day = 1 if not m.group(1) or m.group(1) == "1er" else int(m.group(1))
        style = "long|" + ("none" if not m.group(1) else "d")
        try:
            return dt.date(int(m.group(3)), _MONTH_KEYS[fold(m.group(2))], day), style
        except ValueError:
            return None
    return None


def _full_year(year: str) -> int:
    y = int(year)
    if len(year) == 4:
        return y
    return 2000 + y if y <= 30 else 1900 + y


def format_like(date: dt.date, style: str) -> str:
    """Write ``date`` in the same shape as the original (separator, zero-padding, year width)."""
    parts = style.split("|")
    if parts[0] == "iso":
        return date.isoformat()
    if parts[0] == "long" and parts[1] == "dm":
        return f"{'1er' if date.day == 1 else date.day} {MONTHS[date.month - 1]}"
    if parts[0] == "num":
        sep, dw, mw, yw = parts[1], int(parts[2]), int(parts[3]), int(parts[4])
        day = f"{date.day:02d}" if dw == 2 else str(date.day)
        month = f"{date.month:02d}" if mw == 2 else str(date.month)
        if yw == 0:
            return f"{day}{sep}{month}"
        year = str(date.year) if yw == 4 else f"{date.year % 100:02d}"
        return f"{day}{sep}{month}{sep}{year}"
    month = MONTHS[date.month - 1]
    if parts[1] == "m":
        return month
    if parts[1] == "none":
        return f"{month} {date.year}"
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {month} {date.year}"


_RANGE = re.compile(r"^(1er|\d{1,2})\s+au\s+(1er|\d{1,2})\s+([A-Za-zÀ-ÿ]+)(?:\s+(\d{4}))?$")


def _shift_range(m: re.Match, days: int) -> str | None:
    """"3 au 17 mars 2026" → both ends shifted, the interval kept."""
    month = _MONTH_KEYS.get(fold(m.group(3)))
    if not month:
        return None
    year = int(m.group(4)) if m.group(4) else 2001
    try:
        a = dt.date(year, month, 1 if m.group(1) == "1er" else int(m.group(1))) + dt.timedelta(days=days)
        b = dt.date(year, month, 1 if m.group(2) == "1er" else int(m.group(2))) + dt.timedelta(days=days)
    except ValueError:
        return None
    day = lambda d: "1er" if d.day == 1 else str(d.day)  # noqa: E731
    tail = f" {b.year}" if m.group(4) else ""
    if (a.month, a.year) == (b.month, b.year):
        return f"{day(a)} au {day(b)} {MONTHS[b.month - 1]}{tail}"
    head = f" {a.year}" if m.group(4) and a.year != b.year else ""
    return f"{day(a)} {MONTHS[a.month - 1]}{head} au {day(b)} {MONTHS[b.month - 1]}{tail}"


def shift_date(text: str, days: int) -> str:
    """Shift a written date by ``days`` keeping its format; month-only dates shift by whole months."""
    rng = _RANGE.match(text.strip())
    if rng:
        return _shift_range(rng, days) or text
    parsed = parse_date(text)
    if parsed is None:
        return text
    date, style = parsed
    if style in ("long|none", "long|m"):
        months = round(days / 30.44)
        idx = date.year * 12 + date.month - 1 + months
        return format_like(dt.date(idx // 12, idx % 12 + 1, 1), style)
    new = date + dt.timedelta(days=days)
    if style.endswith("|0"):  # no year written: stay in the reference year's calendar
        new = date + dt.timedelta(days=days)
    return format_like(new, style)
