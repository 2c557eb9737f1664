"""The command line: `python build.py [build|check|serve|split|import-susa] …`.

Exit status: 0 built or checked (warnings allowed); 1 errors in the content (nothing written);
2 wrong usage, such as an --out that must not be replaced (nothing touched); 3 a failure that is
not the content's: a full disk, a file that cannot be read or written, a busy port, a tool that
failed or an error in the build itself (the previous site left as it was). 3 is told in one
Swedish line; `--debug` adds Python's traceback. Ctrl+C and SIGTERM stop a build cleanly: its
staging and scratch folders are removed, the previous site is left as it was, and the exit status
is 128 + the signal's number (130, 143), as shells report it.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import logging
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import parallel, pipeline
from .diagnostics import Report
from .parallel import Interrupted
from .write import UnsafeOutput

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_TOOL = 0, 1, 2, 3  # 3: not the content's fault
COMMANDS = ("build", "check", "serve", "split", "import-susa")


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


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"ogiltig port {text!r}, skriv ett tal mellan 1 och 65535")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = _SwedishParser(prog="build.py", description="Bygger webbplatsen Yrkesvux Dalarna från content/.")
    commands = parser.add_subparsers(dest="command", parser_class=_SwedishParser)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), help="mappen med innehållet (standard: content)")
        sub.add_argument("--today", type=_date, default=None, help="dagens datum ÅÅÅÅ-MM-DD (standard: i dag)")
        sub.add_argument("--debug", action="store_true",
                         help="visa Pythons hela felutskrift (traceback) vid fel som inte beror på innehållet")

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
    serve.add_argument("--port", type=_port, default=8000, help="port (standard: 8000)")
    split = commands.add_parser("split", help="dela en kommuns lista (content/courses/<id>.yaml) i en fil per utbildning")
    split.add_argument("list_file", type=Path, metavar="content/courses/<id>.yaml", help="kommunens lista med utbildningar")
    split.add_argument("--debug", action="store_true", help="visa Pythons hela felutskrift (traceback) vid fel som inte beror på innehållet")
    _import_susa_parser(commands, common)
    return parser


def _import_susa_parser(commands: argparse._SubParsersAction, common: Any) -> None:
    sub = commands.add_parser("import-susa", help="importera utbildningar från sparade svar från Skolverkets Susa-navet")
    common(sub)
    sub.add_argument("files", nargs="+", type=Path, metavar="FIL", help="sparade svar (educationEvents, educationInfos, educationProviders)")
    sub.add_argument("--format", choices=("text", "github"), default="text", help="github skriver jämförelsen som anteckningar")
    sub.add_argument("--report", type=Path, default=None, metavar="FIL", help="skriv jämförelsen som Markdown till FIL")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    today = None if args.command == "split" else args.today or dt.date.today()
    if args.command != "split" and not args.content.is_dir():
        print(f"build.py: innehållsmappen {args.content} finns inte", file=sys.stderr)
        return EXIT_USAGE
    previous = parallel.catch_stop_signals()
    try:
        status = _run(args, today)
        if parallel.stopped_by is not None:  # the stop came too late to undo anything: all is done
            done = f" när bygget redan var klart: {args.out} är det nya bygget" if args.command == "build" else ""
            print(f"Avbrutet ({signal.Signals(parallel.stopped_by).name}){done}.", file=sys.stderr)
            return 128 + parallel.stopped_by
        return status
    except UnsafeOutput as refusal:
        print(f"build.py: --out {args.out} kan inte användas: {refusal}. Välj en mapp som inte finns, en tom mapp "
              f"eller en mapp som ett tidigare bygge har gjort (som _site). Ingenting har ändrats.", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as stop:
        where = f" {args.out} är som före bygget." if args.command == "build" else ""
        print(f"Avbrutet ({signal.Signals(stop.signum).name}).{where}", file=sys.stderr)
        return 128 + stop.signum
    except Exception as failure:  # not the content's fault: one line, the traceback only when asked for
        if args.debug:
            traceback.print_exc()
        print(failure_line(failure, args), file=sys.stderr)
        return EXIT_TOOL
    finally:
        parallel.release_stop_signals(previous)


def _run(args: argparse.Namespace, today: dt.date | None) -> int:
    if args.command == "split":
        return _split(args.list_file)
    if args.command == "check":
        return _check(args, today)
    if args.command == "import-susa":
        return _import_susa(args, today)
    if args.command == "serve":
        from .serve import serve  # Tornado is only needed here
        return serve(args.content, args.port, today)
    return _build(args, today)


_ERRNO_TEXT = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "disken är skrivskyddad",
    errno.ENOENT: "filen eller mappen finns inte",
    errno.EBUSY: "mappen används av systemet (en monteringspunkt?)",
    errno.EXDEV: "mappen ligger på en annan disk än mappen bredvid",
    errno.EADDRINUSE: "porten används redan av ett annat program – välj en annan med --port",
    errno.EIO: "disken kunde inte läsas eller skrivas",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ENAMETOOLONG: "namnet är för långt för systemet",
    errno.EMFILE: "för många filer är öppna samtidigt",
    errno.ENOMEM: "minnet räcker inte",
    errno.ELOOP: "länkar som leder i en cirkel",
}


def failure_line(failure: BaseException, args: argparse.Namespace) -> str:
    """One Swedish line for a failure that is not the content's: what happened, then what to do."""
    if isinstance(failure, OSError):
        text = _ERRNO_TEXT.get(failure.errno or 0) or f"systemet svarade {failure.strerror or type(failure).__name__!r}"
        path = f" ({failure.filename})" if failure.filename else ""
        what = f"{text}{path}"
    else:
        what = f"ett fel i byggverktyget ({type(failure).__name__}: {' '.join(str(failure).split())})"
    stopped = {"build": "Bygget avbröts", "check": "Kontrollen avbröts", "serve": "Förhandsvisningen stannade",
               "split": "Delningen avbröts"}[args.command]
    kept = f" {args.out} är orörd." if args.command == "build" else ""
    debug = "" if args.debug else " (mer detaljer med --debug)"
    return (f"{stopped}, inte på grund av innehållet: {what}.{kept} Rätta det och kör igen; händer det igen, "
            f"skicka meddelandet{debug} till den som sköter webbplatsen.")


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


def _import_susa(args: argparse.Namespace, today: dt.date) -> int:
    from . import import_susa as susa

    try:
        plan = susa.import_susa(args.files, args.content, today)
    except susa.ImportRefused as refused:
        print(refused, file=sys.stderr)
        return EXIT_CONTENT
    names = susa.municipality_names(args.content)
    print(susa.github_report(plan, names) if args.format == "github" else susa.text_report(plan, names), end="")
    if args.report:
        args.report.write_text(susa.markdown_report(plan, names, today), encoding="utf-8")
        print(f"Jämförelsen skrevs till {args.report}.", file=sys.stderr)
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
    output = dataclasses.replace(pipeline.DEFAULT_OUTPUT, editor_proxy=args.editor_proxy)
    result = pipeline.build(args.content, args.out, today, args.base_url, output)
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
