"""The command line: `python build.py [build|check|serve|split] …`. Exit 0 built, 1 content errors, 2 wrong usage."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import sys
import time
from pathlib import Path

from . import pipeline
from .diagnostics import Report
from .search_index import IndexingFailed

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_TOOL = 0, 1, 2, 3  # 3: a tool the build runs failed, not the content
COMMANDS = ("build", "check", "serve", "split")


class _SwedishParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on wrong usage; say it in Swedish too
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fel i kommandot: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltigt datum {text!r}, skriv ÅÅÅÅ-MM-DD") from None


def _url(text: str) -> str:
    if not text.startswith(("https://", "http://")):
        raise argparse.ArgumentTypeError(f"ogiltig adress {text!r}, den ska börja med https://")
    return text


def make_parser() -> argparse.ArgumentParser:
    parser = _SwedishParser(prog="build.py", description="Bygger webbplatsen Yrkesvux Dalarna från content/.")
    commands = parser.add_subparsers(dest="command", parser_class=_SwedishParser)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), help="mappen med innehållet (standard: content)")
        sub.add_argument("--today", type=_date, default=None, help="dagens datum ÅÅÅÅ-MM-DD (standard: i dag)")

    build = commands.add_parser("build", help="bygg webbplatsen (standard)")
    common(build)
    build.add_argument("--out", type=Path, default=Path("_site"), help="mappen som byggs (standard: _site)")
    build.add_argument("--base-url", type=_url, default=None, help="webbplatsens adress (standard: base_url i site.yaml)")
    build.add_argument("--editor-proxy", default=None, help=argparse.SUPPRESS)  # the dev server of `make editor`
    check = commands.add_parser("check", help="kontrollera innehållet utan att skriva något")
    common(check)
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github skriver varje problem som en anteckning i pull requesten")
    serve = commands.add_parser("serve", help="bygg och visa webbplatsen på din dator, uppdateras när du sparar")
    common(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (standard: 8000)")
    split = commands.add_parser("split", help="dela en kommuns lista (content/courses/<id>.yaml) i en fil per utbildning")
    split.add_argument("list_file", type=Path, metavar="content/courses/<id>.yaml", help="kommunens lista med utbildningar")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "split":
        return _split(args.list_file)
    today = args.today or dt.date.today()
    if not args.content.is_dir():
        print(f"build.py: innehållsmappen {args.content} finns inte", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return _check(args, today)
    if args.command == "serve":
        from .serve import serve  # livereload is only needed here
        return serve(args.content, args.port, today)
    return _build(args, today)


def _print_report(report: Report, fmt: str = "text") -> None:
    for diagnostic in report.shown():
        print(diagnostic.format_github() if fmt == "github" else diagnostic.format(), file=sys.stderr if fmt == "text" else sys.stdout)


def _check(args: argparse.Namespace, today: dt.date) -> int:
    result = pipeline.check(args.content, today)
    _print_report(result.report, args.format)
    if result.catalogue is None:
        print(f"Innehållet har fel: {result.report.summary()} Rätta felen och kör igen.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Innehållet är i ordning: {len(result.catalogue.courses)} utbildningar publiceras. {result.report.summary()}", file=sys.stderr)
    return EXIT_OK


def _split(list_file: Path) -> int:
    from .course_file import NotAListFile, SplitRefused, split

    report = Report()
    try:
        written = split(list_file, report)
    except SplitRefused as refusal:
        _print_report(report)
        print(str(refusal), file=sys.stderr)
        return EXIT_USAGE if isinstance(refusal, NotAListFile) else EXIT_CONTENT
    folder = list_file.with_suffix("")
    files = "1 fil" if len(written) == 1 else f"{len(written)} filer"
    print(f"Skrev {files} i {folder}/, en per utbildning, och tog bort {list_file}.", file=sys.stderr)
    return EXIT_OK


def _build(args: argparse.Namespace, today: dt.date) -> int:
    started = time.perf_counter()
    try:
        output = dataclasses.replace(pipeline.DEFAULT_OUTPUT, editor_proxy=args.editor_proxy)
        result = pipeline.build(args.content, args.out, today, args.base_url, output)
    except IndexingFailed as failure:  # nothing was published; any other failure keeps its traceback
        print(f"Bygget avbröts, inte på grund av innehållet: {failure}\n{args.out} är orörd. "
              f"Kör igen; händer det igen, skicka meddelandet till den som sköter webbplatsen.", file=sys.stderr)
        return EXIT_TOOL
    _print_report(result.report)
    if result.written is None:
        print(f"Inget byggdes: {result.report.summary()} {args.out} är orörd. Rätta felen och kör igen.", file=sys.stderr)
        return EXIT_CONTENT
    seconds = time.perf_counter() - started
    print(
        f"Byggde {result.pages} sidor med {len(result.catalogue.courses)} utbildningar till {args.out} "
        f"på {seconds:.2f} s. {result.report.summary()}",
        file=sys.stderr,
    )
    return EXIT_OK
