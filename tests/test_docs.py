"""The developer documentation matches the code: the README's commands exist with the options it
names, and every `module.name` that docs/architecture.md and docs/performance.md mention is there."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from dalawux_site import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {name: (ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("architecture.md", "performance.md")}
MODULES = sorted(path.stem for path in (ROOT / "dalawux_site").glob("*.py") if path.stem != "__init__")


def test_readme_is_short_and_starts_with_the_two_commands():
    assert len(README.splitlines()) <= 150
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == ["make site", "make test"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make test")


def test_every_make_target_named_in_the_docs_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))
    named = {target for text in (README, *DOCS.values()) for target in re.findall(r"`make ([a-z][a-z-]*)", text)}
    assert named >= {"site", "test", "serve", "editor", "bench", "bench-search", "bench-markup", "audit"}
    assert named <= targets


def _options(command: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The options `build.py COMMAND --help` lists."""
    with pytest.raises(SystemExit):
        cli.make_parser().parse_args([command, "--help"])
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", capsys.readouterr().out)) - {"--help"}


def test_the_readmes_command_line_is_the_parsers(capsys):
    block = README.split("## Command line", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    documented = {line.split()[2].strip("[]"): set(re.findall(r"--[a-z-]+", line)) for line in block.splitlines()}
    assert set(documented) == set(cli.COMMANDS)
    for command, named in documented.items():
        assert named == _options(command, capsys), command


def test_every_module_has_its_paragraph():
    described = set(re.findall(r"^\*\*([a-z_]+)\.py\*\*", DOCS["architecture.md"], re.MULTILINE))
    assert described == set(MODULES)


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_every_named_function_exists(doc):
    named = re.findall(r"`([a-z_]+)\.([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?", DOCS[doc])
    missing = []
    checked = 0
    for module, name, attribute in named:
        if module not in MODULES or name in ("py", "js"):
            continue
        found = importlib.import_module(f"dalawux_site.{module}")
        checked += 1
        if not hasattr(found, name) or (attribute and not hasattr(getattr(found, name), attribute)):
            missing.append(".".join(filter(None, (module, name, attribute))))
    assert checked > 20
    assert missing == []


def test_every_test_the_docs_name_exists():
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`((?:, `::\w+`)*)", DOCS["performance.md"])
    assert len(named) >= 8
    for path, first, more in named:
        text = (ROOT / path).read_text(encoding="utf-8")
        for test in [first, *re.findall(r"::(\w+)", more)]:
            assert f"def {test}(" in text, f"{path}::{test}"
