// The pytest plugin RFSN loads with `-p rfsn_pytest`: streams per-test events (for hangs and frames) and, on request, per-test line coverage.

/** Module name the plugin is written under (the file is `<dir>/rfsn_pytest.py`, `<dir>` goes on PYTHONPATH). */
export const PYTEST_PLUGIN_MODULE = "rfsn_pytest";

/**
 * Environment read by the plugin: RFSN_PYTEST_EVENTS (JSON-lines file, one record per test phase),
 * RFSN_PYTEST_TRACE (JSON file for per-test coverage; tracing is off when unset), RFSN_PROJECT_ROOT.
 * Tracing uses `sys.settrace` from `pytest_runtest_setup` to the end of `pytest_runtest_teardown` and records only
 * files under the project root that are not tests or installed packages.
 */
export const PYTEST_PLUGIN_SOURCE = String.raw`# Written by RFSN at run time; reports per-test results and optional per-test line coverage.
import json
import os
import sys
import threading
import traceback

import pytest

_ROOT = os.path.realpath(os.environ.get("RFSN_PROJECT_ROOT") or os.getcwd())
_EVENTS_PATH = os.environ.get("RFSN_PYTEST_EVENTS")
_TRACE_PATH = os.environ.get("RFSN_PYTEST_TRACE")
_EXCLUDED_PARTS = {"site-packages", "dist-packages", ".venv", "venv", "node_modules", "__pycache__", ".git", "tests", "test"}
_events = open(_EVENTS_PATH, "a", encoding="utf-8") if _EVENTS_PATH else None
_coverage = {}
_current = None
_tracers = {}
_wanted_cache = {}


def _emit(record):
    if _events is None:
        return
    _events.write(json.dumps(record) + "\n")
    _events.flush()


def _relative_if_wanted(filename):
    cached = _wanted_cache.get(filename)
    if cached is not None:
        return cached
    result = ""
    if filename and not filename.startswith("<"):
        path = os.path.realpath(filename)
        if path.startswith(_ROOT + os.sep):
            relative = path[len(_ROOT) + 1:]
            parts = relative.split(os.sep)
            name = parts[-1]
            is_test = name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            if name.endswith(".py") and not is_test and not (_EXCLUDED_PARTS & set(parts[:-1])):
                result = "/".join(parts)
    _wanted_cache[filename] = result
    return result


def _tracer_for(relative):
    tracer = _tracers.get(relative)
    if tracer is None:
        lines = _current.setdefault(relative, set())

        def tracer(frame, event, arg):
            if event == "line":
                lines.add(frame.f_lineno)
            return tracer

        _tracers[relative] = tracer
    return tracer


def _global_trace(frame, event, arg):
    if _current is None:
        return None
    relative = _relative_if_wanted(frame.f_code.co_filename)
    if not relative:
        return None
    tracer = _tracer_for(relative)
    _current[relative].add(frame.f_lineno)
    return tracer


def _start_tracing(nodeid):
    global _current
    if _TRACE_PATH is None:
        return
    if _current is None:
        _current = _coverage.setdefault(nodeid, {})
        _tracers.clear()
        threading.settrace(_global_trace)
        sys.settrace(_global_trace)


def _stop_tracing():
    global _current
    if _TRACE_PATH is None:
        return
    sys.settrace(None)
    threading.settrace(None)
    _current = None
    _tracers.clear()


def pytest_runtest_logstart(nodeid, location):
    _emit({"event": "start", "nodeid": nodeid, "file": location[0], "line": location[1]})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    _start_tracing(item.nodeid)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    _stop_tracing()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if excinfo is not None and excinfo.tb is not None:
        frames = []
        for entry in traceback.extract_tb(excinfo.tb):
            frames.append({"file": entry.filename, "line": entry.lineno, "function": entry.name})
        report.rfsn_frames = frames
        try:
            report.rfsn_message = excinfo.exconly()
        except Exception:
            report.rfsn_message = None


def _framework_parts():
    """The functions and classes a test's verdict depends on, by name, as they are now."""
    import unittest
    import _pytest.outcomes
    import _pytest.python
    import _pytest.reports
    import _pytest.runner

    parts = {}
    for name, value in vars(unittest.TestCase).items():
        if name.startswith(("assert", "fail", "_call", "skip", "run", "_addSkip", "_feedErrors")) or name in ("__call__", "subTest", "debug"):
            parts["unittest.TestCase." + name] = value
    for module, names in (
        (pytest, ("fail", "skip", "xfail", "exit", "raises", "approx", "importorskip", "warns")),
        (_pytest.outcomes, ("fail", "skip", "xfail", "exit", "OutcomeException", "Failed", "Skipped")),
        (_pytest.runner, ("call_and_report", "runtestprotocol", "pytest_runtest_makereport", "check_interactive_exception", "CallInfo", "call_runtest_hook")),
        (_pytest.python, ("pytest_pyfunc_call", "Function")),
        (_pytest.reports, ("TestReport",)),
    ):
        for name in names:
            parts[module.__name__ + "." + name] = getattr(module, name, None)
    for cls, names in (
        (_pytest.reports.TestReport, ("from_item_and_call", "__init__")),
        (_pytest.runner.CallInfo, ("from_call", "__init__")),
        (_pytest.python.Function, ("runtest", "setup")),
    ):
        for name in names:
            parts[cls.__qualname__ + "." + name] = vars(cls).get(name)
    parts["builtins.AssertionError"] = AssertionError
    return parts


# Taken when pytest loads this plugin (-p), before any conftest, test module or code under test is imported.
_PRISTINE_FRAMEWORK = _framework_parts()


def _framework_changes():
    now = _framework_parts()
    return sorted(name for name, value in _PRISTINE_FRAMEWORK.items() if now.get(name) is not value)


def pytest_runtest_logreport(report):
    changed = _framework_changes()
    if changed and report.passed:
        # A pass reported by a framework that code under test changed is not a pass.
        report.outcome = "failed"
        report.rfsn_message = "the test framework was changed during the run: " + ", ".join(changed[:5])
    record = {
        "event": "report",
        "nodeid": report.nodeid,
        "when": report.when,
        "outcome": report.outcome,
        "duration": getattr(report, "duration", 0),
        "file": report.location[0] if report.location else None,
        "line": report.location[1] if report.location else None,
        "longrepr": (report.longreprtext or getattr(report, "rfsn_message", "") or "") if report.failed else "",
    }
    frames = getattr(report, "rfsn_frames", None)
    if frames:
        record["frames"] = frames
    message = getattr(report, "rfsn_message", None)
    if message:
        record["message"] = message
    if report.skipped and isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        record["message"] = str(report.longrepr[2])
    _emit(record)


def pytest_collectreport(report):
    if report.failed:
        _emit({"event": "collect_error", "nodeid": report.nodeid, "longrepr": report.longreprtext})


def pytest_sessionfinish(session, exitstatus):
    _emit({"event": "finish", "exitstatus": int(exitstatus)})
    if _TRACE_PATH is not None:
        data = {}
        for nodeid, files in _coverage.items():
            data[nodeid] = {name: sorted(lines) for name, lines in files.items()}
        with open(_TRACE_PATH, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
`;
