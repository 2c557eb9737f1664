"""What to tell an editor when a YAML text cannot be read: the line where the mistake is and how
to fix it, in Swedish (part of the load stage).

PyYAML says where it gave up, which is often lines after the mistake and in terms of its grammar
("could not find expected ':'"). The usual mistakes of people who do not write YAML every day are
looked for first, each on the lines up to where the parser gave up: a tab, quotes pasted from
Word, a line of a block text that lost its indent, an indent that matches no level above. Only
when none is found does the parser's own complaint, translated, stand.
"""
from __future__ import annotations

import re

import yaml

CURLY_QUOTES = "“”„‘’‚"  # what Word and phones type for " and '
_BLOCK_HEADER = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^#\s][^#]*?):\s+[|>][-+0-9]*\s*(?:#.*)?$")
_KEY = re.compile(r"^(?:- +)*(?:\"[^\"]*\"|'[^']*'|[^\s#\"'][^#]*?):(?:\s|$)")
_OPENS = re.compile(r":\s*(?:#.*)?$|^-\s*$")  # a key with its value on the next lines, or a lone dash

HINTS = [
    ("found character '\\t'", "filen innehåller ett tabbtecken – använd mellanslag för indrag"),
    ("tab character", "filen innehåller ett tabbtecken – använd mellanslag för indrag"),
    ("mapping values are not allowed", "ett kolon (:) står där det inte får stå – sätt texten inom citattecken, t.ex. \"Svets: grund\""),
    ("could not find expected ':'", "ett kolon (:) saknas efter ett fältnamn, eller så har en text ett citattecken som inte avslutas"),
    ("while scanning a quoted scalar", "ett citattecken avslutas aldrig – kontrollera att texten slutar med samma citattecken som den börjar med"),
    ("found unexpected end of stream", "ett citattecken eller en hakparentes avslutas aldrig"),
    ("found undefined alias", "en *hänvisning pekar på ett &namn som inte finns – skriv ut värdet i stället"),
    ("expected a single document", "filen innehåller flera dokument (en rad med ---) – ta bort raden ---"),
    ("did not find expected key", "indraget stämmer inte – fälten i samma utbildning ska börja lika långt in"),
    ("expected <block end>", "indraget stämmer inte – fälten i samma utbildning ska börja lika långt in"),
    ("did not find expected ',' or ']'", "en lista inom [ ] avslutas aldrig – kontrollera att den slutar med ]"),
    ("did not find expected ',' or '}'", "en uppräkning inom { } avslutas aldrig – kontrollera att den slutar med }"),
    ("did not find expected '-' indicator", "indraget stämmer inte – varje post i listan ska börja med - lika långt in"),
    ("found character that cannot start any token", "ett tecken kan inte stå först i ett värde (t.ex. @ eller `) – sätt värdet inom citattecken"),
    ("did not find expected node content", "ett värde saknas eller börjar med ett tecken som måste stå inom citattecken"),
    ("found duplicate anchor", "samma &namn används två gånger – skriv ut värdena i stället"),
]


def explain(text: str, problem: yaml.YAMLError, line: int | None) -> tuple[int | None, str]:
    """The line (1-based in text) and the Swedish message for a text PyYAML could not read;
    line is where PyYAML placed the problem."""
    lines = text.splitlines()
    last = min(line or len(lines), len(lines))
    for finder in (_tab, _curly_quotes, _block_text, _indent):
        found = finder(lines, last)
        if found:
            return found
    return line, "filen kan inte läsas som YAML: " + _hint(problem)


def _hint(problem: yaml.YAMLError) -> str:
    text = str(problem)
    return next((hint for needle, hint in HINTS if needle in text), "kontrollera indrag, kolon och citattecken på raden")


def shown(line: str) -> str:
    """A line as echoed under a message: a tab is shown as →, so that it can be seen."""
    return line.replace("\t", "→")


def _tab(lines: list[str], last: int) -> tuple[int, str] | None:
    if 0 < last <= len(lines) and "\t" in lines[last - 1]:
        number = last
    else:  # a tab in the indent above can make the parser stumble later
        number = next((n for n in range(1, last + 1) if "\t" in lines[n - 1][:_indent_of(lines[n - 1]) + 1]), None)
    if number is None:
        return None
    where = "i indraget" if lines[number - 1].lstrip(" ").startswith("\t") else "på raden"
    return number, (
        f"filen kan inte läsas som YAML: det står ett tabbtecken {where} (visas som → nedan) – YAML tillåter bara "
        "mellanslag: byt tabben mot mellanslag, så att raden börjar lika långt in som de rader den hör ihop med"
    )


def _curly_quotes(lines: list[str], last: int) -> tuple[int, str] | None:
    line = lines[last - 1] if 0 < last <= len(lines) else ""
    if not re.match(r"^\s*(?:- +)*(?:[^:]*:\s+)?[“”„‘’‚]", line):  # a value that starts with one
        return None
    fixed = straight_quotes(line.strip())
    example = f" i stället: {fixed}" if fixed != line.strip() else ' "…" runt texten i stället'
    return last, (
        "filen kan inte läsas som YAML: citattecknen “ ” (som Word och mobilen skriver) räknas inte som citattecken i YAML "
        f"– skriv raka citattecken{example}"
    )


def straight_quotes(line: str) -> str:
    """The line with a value between curly quotes put between straight double quotes."""
    match = re.match(r"^(?P<head>(?:- +)*[^:]*:\s+)[“”„‘’‚](?P<text>.*)[“”‘’]\s*$", line)
    if not match:
        return line
    text = match.group("text").replace("\\", "\\\\").replace('"', '\\"')
    return f'{match.group("head")}"{text}"'


def without_curly_quotes(line: str) -> str:
    """The line with the curly quotes around its value taken away."""
    match = re.match(r"^(?P<head>(?:- +)*[^:]*:\s+)[“”„‘’‚](?P<text>.*)[“”‘’]\s*$", line)
    return f'{match.group("head")}{match.group("text")}' if match else line


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_text(lines: list[str], last: int) -> tuple[int, str] | None:
    """A line of a block text (after `description: |`) that is not indented more than its key."""
    number = 1
    while number <= last:
        header = _BLOCK_HEADER.match(lines[number - 1])
        number += 1
        if not header:
            continue
        key_indent = len(header.group("indent")) + len(header.group("dashes"))
        content_line = None
        while number <= last:
            line = lines[number - 1]
            if line.strip() and _indent_of(line) <= key_indent:
                if _KEY.match(line.strip()) or line.strip().startswith(("#", "---")):
                    break
                above = f"rad {content_line}" if content_line else f"raden under {header.group('key')}: |"
                return number, (
                    f"filen kan inte läsas som YAML: raden hör till texten under {header.group('key')}: men har för litet "
                    f"indrag – flytta in den lika långt som texten ovanför ({above})"
                )
            if line.strip():
                content_line = content_line or number
            number += 1
    return None


def _indent(lines: list[str], last: int) -> tuple[int, str] | None:
    """A line whose indent is none of the levels open above it (fields of one thing start equally far in)."""
    levels: list[int] = []  # the columns where a line may start now
    keys: dict[int, tuple[int, str]] = {}  # column -> the last field that started there: its line and name
    opened = False  # the line above has its value on the lines below (a key with nothing after the colon)
    block_above: int | None = None  # inside a block text: lines indented more than this belong to it
    for number in range(1, last + 1):
        line = lines[number - 1]
        text = line.strip()
        if not text or text.startswith("#") or text.startswith("---"):
            continue
        column = _indent_of(line)
        if block_above is not None and column > block_above:
            continue
        block_above = None
        if not levels or (opened and column > levels[-1]) or (opened and column == levels[-1] and text.startswith("-")):
            levels.append(column)
        elif column in levels:
            del levels[levels.index(column) + 1:]
        elif column > levels[-1] and not _KEY.match(text):
            continue  # the rest of a long text, written on several lines
        else:
            return number, _indent_message(column, text.startswith("-"), levels, keys)
        dashes = re.match(r"^(?:- +)*", text).group()
        if dashes and text != "-":  # "- name:" opens the item's level, where name: stands
            levels.append(column + len(dashes))
        key = _KEY.match(text)
        if key:
            keys[column + len(dashes)] = (number, key.group().removeprefix(dashes).strip().rstrip(":").strip("\"'"))
        header = _BLOCK_HEADER.match(line)
        block_above = len(header.group("indent")) + len(header.group("dashes")) if header else None
        opened = bool(_OPENS.search(text)) and not header
    return None


def _indent_message(column: int, dash: bool, levels: list[int], keys: dict[int, tuple[int, str]]) -> str:
    fields = [c for c in levels if c in keys]
    candidates = ([c for c in levels if c not in keys] if dash else fields) or levels
    best = min(candidates, key=lambda c: (abs(c - column), -keys.get(c, (0, ""))[0]))
    what = "listorna" if dash else "fälten"
    example = f", till exempel {best} mellanslag som {keys[best][1]}: på rad {keys[best][0]}" if best in keys else ""
    return (
        f"filen kan inte läsas som YAML: indraget stämmer inte – raden börjar {column} mellanslag in, men {what} ovanför "
        f"börjar {_or([str(c) for c in candidates])} mellanslag in. Flytta raden lika långt in som de fält den hör ihop med{example}"
    )


def _or(words: list[str]) -> str:
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]
