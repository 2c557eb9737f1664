"""How the site writes and orders Swedish: month names, study pace and dictionary order."""
from __future__ import annotations

import datetime as dt

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
_DICTIONARY_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})  # å, ä, ö after z


def sv_key(text: str) -> str:
    """Sort key for Swedish words: Älvdalen after Vansbro, as in a Swedish dictionary."""
    return text.casefold().translate(_DICTIONARY_ORDER)


def date_sv(day: dt.date) -> str:
    """'15 januari 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def pace_label(pace: int) -> str:
    if pace == 100:
        return "100 % (heltid)"
    if pace == 50:
        return "50 % (halvtid)"
    return f"{pace} %"
