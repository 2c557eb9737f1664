"""docs/drift.md can be followed to the letter: every check it tells the group to require in the
branch protection runs on every pull request. GitHub leaves a required check pending when a path
filter skipped its workflow, and then no pull request can be merged."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
DRIFT = ROOT / "docs" / "drift.md"
FILTERS = ("paths", "paths-ignore", "branches-ignore")


def required_checks(text: str) -> list[str]:
    """The checks drift.md says to require: the *names* in its sentence "kräv kontrollerna …"."""
    sentence = next(line for line in text.splitlines() if "kräv kontrollerna" in line.lower())
    return re.findall(r"\*([^*]+)\*", sentence.lower().split("kräv kontrollerna", 1)[1].split(".")[0])


def _on(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as true (YAML 1.1)
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    return on or {}


def problems(workflows: dict[str, dict], required: list[str]) -> list[str]:
    """Why a required check could be skipped or missing on a pull request, one sentence each."""
    found = []
    jobs = {}
    for file, workflow in workflows.items():
        for job_id, job in (workflow.get("jobs") or {}).items():
            jobs.setdefault(str(job.get("name", job_id)).lower(), []).append((file, workflow, job))
    for check in required:
        if len(jobs.get(check.lower(), [])) != 1:
            found.append(f"{check}: {len(jobs.get(check.lower(), []))} jobs have this name, not one")
            continue
        file, workflow, job = jobs[check.lower()][0]
        pull_request = _on(workflow)
        if "pull_request" not in pull_request:
            found.append(f"{check}: {file} does not run on pull requests")
            continue
        trigger = pull_request["pull_request"] or {}
        for key in FILTERS:
            if key in trigger:
                found.append(f"{check}: {file} filters pull requests by {key}")
        if "branches" in trigger and "main" not in trigger["branches"]:
            found.append(f"{check}: {file} skips pull requests to main")
        if "types" in trigger and not {"opened", "synchronize", "reopened"} <= set(trigger["types"]):
            found.append(f"{check}: {file} skips some pull request events")
        if "if" in job:
            found.append(f"{check}: the job has a condition of its own (`if:`) and may not run")
    return found


def _workflows() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(WORKFLOWS.glob("*.yml"))}


def test_drift_names_the_checks_to_require():
    assert required_checks(DRIFT.read_text(encoding="utf-8")) == ["tester", "innehåll"]


def test_every_required_check_runs_on_every_pull_request():
    assert problems(_workflows(), required_checks(DRIFT.read_text(encoding="utf-8"))) == []


def test_the_content_check_always_runs_and_the_tests_when_code_changed():
    jobs = {job.get("name"): job for w in _workflows().values() for job in (w.get("jobs") or {}).values()}
    content_steps = " ".join(step.get("run", "") for step in jobs["Innehåll"]["steps"])
    assert 'make check ARGS="--format github"' in content_steps
    steps = jobs["Tester"]["steps"]
    suite = next(step for step in steps if step.get("run") == "make test")
    changed = next(step for step in steps if step.get("id") == "changed")
    assert suite["if"] == "steps.changed.outputs.code == 'true'"
    assert "^(content|docs)/" in changed["run"]  # filtered inside the job, on the changed paths


def test_the_old_workflows_would_have_blocked_every_merge():
    """The check finds what drift.md's earlier advice ran into: a check skipped by a path filter."""
    old = {
        "content.yml": {"name": "Innehåll", "on": {"pull_request": {"paths": ["content/**"]}},
                        "jobs": {"check": {"name": "Innehåll", "steps": []}}},
        "test.yml": {"name": "Tester", "on": {"pull_request": {"paths-ignore": ["content/**", "docs/**"]}},
                     "jobs": {"test": {"name": "Tester", "steps": []}}},
    }
    assert problems(old, ["tester", "innehåll"]) == [
        "tester: test.yml filters pull requests by paths-ignore",
        "innehåll: content.yml filters pull requests by paths",
    ]
    assert problems({"a.yml": {True: ["push"], "jobs": {"t": {"name": "Tester"}}}}, ["tester"]) == [
        "tester: a.yml does not run on pull requests"
    ]
