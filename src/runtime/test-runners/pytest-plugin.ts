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


def pytest_runtest_logreport(report):
    record = {
        "event": "report",
        "nodeid": report.nodeid,
        "when": report.when,
        "outcome": report.outcome,
        "duration": getattr(report, "duration", 0),
        "file": report.location[0] if report.location else None,
        "line": report.location[1] if report.location else None,
        "longrepr": report.longreprtext if report.failed else "",
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
