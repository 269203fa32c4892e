// The Python driver of a warm pytest session: imports pytest once, then runs `pytest.main` in-process for each request.

/** Module name the driver is written under (`<dir>/rfsn_pytest_warm.py`, next to RFSN's plugin). */
export const PYTEST_WARM_DRIVER_MODULE = "rfsn_pytest_warm";

/**
 * Started as `python <dir>/rfsn_pytest_warm.py <plugin module> [<sys.path[0] of the cold command>]` in the project
 * root. Protocol: one JSON request a line on stdin, `{"args": [...], "events": path, "junit": path}`; one answer a
 * line on fd 3, `{"exit": code}`, once the run is over.
 *
 * Between runs the process returns to the state it had after importing pytest (like pytest's own `pytester` does
 * for in-process runs): modules, sys.path, import hooks, os.environ, the cwd, the standard streams and the root
 * logger. One exception for modules: those loaded from outside the project (standard library, installed packages,
 * compiled extensions) are kept after their first import. They cannot change between candidates; compiled modules
 * cannot be loaded twice (numpy 2 refuses); and reloading half a library leaves two copies of its classes (the C
 * part of asyncio would keep raising the first copy's CancelledError). Project files, tests, conftest.py, modules a
 * test made up, and RFSN's plugin (which opens its event file at import) are imported afresh on every run.
 * After each answer the run's garbage is collected and the survivors are frozen (`gc.freeze`), so the collections
 * pytest makes at the end of every session scan only that session's objects. What cannot change between runs is
 * worked out once: the installed distributions, the hook implementations and signatures of plugins from outside the
 * project, and the assertion-rewritten code of each test module's source (together about a third of a small
 * project's warm run).
 */
export const PYTEST_WARM_DRIVER_SOURCE = String.raw`# Written by RFSN at run time; runs pytest in this process again and again, reading the project afresh each time.
import functools
import gc
import importlib
import importlib.machinery
import importlib.metadata
import json
import linecache
import logging
import os
import sys
import traceback
import types

import pytest

_ROOT = os.path.realpath(os.getcwd())
_PLUGIN = sys.argv[1]
_EXTENSION_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
_INSTALLED_PARTS = {"site-packages", "dist-packages"}
_in_project_cache = {}


def _in_project(path):
    cached = _in_project_cache.get(path)
    if cached is None:
        real = os.path.realpath(path)
        cached = real == _ROOT or real.startswith(_ROOT + os.sep)
        if cached:
            parts = real[len(_ROOT):].split(os.sep)
            cached = not (_INSTALLED_PARTS & set(parts))
        _in_project_cache[path] = cached
    return cached


def _origin(module):
    origin = getattr(module, "__file__", None)
    if isinstance(origin, str):
        return origin
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    return origin if isinstance(origin, str) else None


def _loaded_from_outside(module):
    origin = _origin(module)
    if origin in ("built-in", "frozen"):
        return True
    if origin is not None:
        return origin.endswith(_EXTENSION_SUFFIXES) or not _in_project(origin)
    paths = getattr(module, "__path__", None)
    if paths is not None:
        paths = [path for path in paths if isinstance(path, str)]
        if paths:
            return not any(_in_project(path) for path in paths)
    return False


def _owner_is_outside(obj):
    """True when the class or function obj comes from a module loaded from outside the project."""
    name = getattr(obj, "__module__", None)
    owner = sys.modules.get(name) if isinstance(name, str) else None
    return owner is not None and _origin(owner) is not None and _loaded_from_outside(owner)


def _reusable(module):
    """True for modules that may stay imported for the next run: loaded from outside the project."""
    try:
        if _loaded_from_outside(module):
            return True
        # Modules made by an installed package's import hook (six.moves) are kept with that package.
        spec = getattr(module, "__spec__", None)
        loader = getattr(spec, "loader", None) or getattr(module, "__loader__", None)
        return loader is not None and _origin(module) is None and _owner_is_outside(loader)
    except Exception:
        return False


def _merged(current, baseline):
    """The baseline list, plus the hooks added during the run by code from outside the project."""
    known = {id(item) for item in baseline}
    added = [item for item in current if id(item) not in known and _owner_is_outside(item)]
    return list(baseline) + added


class _Baseline:
    def __init__(self):
        self.modules = dict(sys.modules)
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.environ = dict(os.environ)
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.recursion_limit = sys.getrecursionlimit()
        self.root_handlers = list(logging.root.handlers)
        self.root_level = logging.root.level
        self.logging_disabled = logging.root.manager.disable

    def restore(self):
        for name, module in list(sys.modules.items()):
            if name not in self.modules and name != _PLUGIN and _reusable(module):
                self.modules[name] = module
        for name in list(sys.modules):
            if name not in self.modules:
                del sys.modules[name]
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
        self.meta_path = _merged(sys.meta_path, self.meta_path)
        self.path_hooks = _merged(sys.path_hooks, self.path_hooks)
        sys.meta_path[:] = self.meta_path
        sys.path_hooks[:] = self.path_hooks
        sys.path[:] = self.path
        sys.path_importer_cache.clear()
        if os.environ != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        sys.stdin, sys.stdout, sys.stderr = self.streams
        sys.setrecursionlimit(self.recursion_limit)
        sys.settrace(None)
        sys.setprofile(None)
        logging.root.handlers[:] = self.root_handlers
        logging.root.setLevel(self.root_level)
        logging.disable(self.logging_disabled)
        sys.dont_write_bytecode = True


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _close_plugin_events():
    events = getattr(sys.modules.get(_PLUGIN), "_events", None)
    if events is not None:
        events.close()


def _run(request):
    args = [str(arg) for arg in request["args"]]
    os.chdir(_ROOT)
    os.environ["RFSN_PYTEST_EVENTS"] = request["events"]
    for stale in (request["events"], request.get("junit")):
        if stale and os.path.exists(stale):
            os.remove(stale)
    importlib.invalidate_caches()
    linecache.clearcache()
    sys.argv = ["pytest", *args]
    try:
        return int(pytest.main(args))
    except SystemExit as stop:
        return _exit_status(stop.code)
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        _close_plugin_events()


def _channels():
    """Requests and answers on private copies of fd 0 and fd 3; tests see /dev/null as stdin, like a cold run."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(3), "w", encoding="utf-8", buffering=1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.close(3)
    return requests, answers


def _preload_builtin_plugins():
    try:
        from _pytest.config import default_plugins, essential_plugins
    except ImportError:
        return
    for name in (*essential_plugins, *default_plugins):
        try:
            importlib.import_module("_pytest." + name)
        except Exception:
            pass


class _KeptDistribution(importlib.metadata.Distribution):
    """An installed distribution whose files, entry points and metadata are read once for the whole session."""

    def __init__(self, dist):
        self._dist = dist
        self._texts = {}

    def read_text(self, filename):
        if filename not in self._texts:
            self._texts[filename] = self._dist.read_text(filename)
        return self._texts[filename]

    def locate_file(self, path):
        return self._dist.locate_file(path)

    @functools.cached_property
    def entry_points(self):
        return importlib.metadata.Distribution.entry_points.fget(self)

    @functools.cached_property
    def files(self):
        return importlib.metadata.Distribution.files.fget(self)


def _keep_installed_distributions():
    """Every pytest session lists the installed distributions twice (to load plugins, and to mark them for assertion
    rewriting) and parses their entry points and file lists: ~10 ms a run. Installed packages cannot change between
    candidates (their modules are kept too), so the list is read once."""
    everything = importlib.metadata.distributions
    kept = []

    def distributions(**query):
        if query:
            return everything(**query)
        if not kept:
            kept.extend(_KeptDistribution(dist) for dist in everything())
        return iter(kept)

    importlib.metadata.distributions = distributions


_REWRITTEN_TESTS_KEPT = 256


def _keep_rewritten_tests():
    """Test modules as pytest's assertion rewriting compiled them, by path, source and the one setting that changes
    the result. Each run would parse and rewrite every test module and conftest.py again (no bytecode is written
    in a worktree): about 2-3 ms a module. Code objects never change, so one compiled for the same source serves
    every later run."""
    try:
        from _pytest.assertion import rewrite
    except ImportError:
        return
    compile_test = getattr(rewrite, "_rewrite_test", None)
    if compile_test is None:
        return
    kept = {}

    def rewritten(fn, config):
        source = fn.read_bytes()
        key = (str(fn), source, bool(config.getini("enable_assertion_pass_hook")))
        code = kept.get(key)
        if code is not None:
            return os.stat(fn), code
        stat, code = compile_test(fn, config)
        if len(kept) >= _REWRITTEN_TESTS_KEPT:
            kept.clear()
        kept[key] = code
        return stat, code

    rewrite._rewrite_test = rewritten


def _keep_hook_parsing():
    """Every pytest session registers every plugin in a new plugin manager, and pluggy looks at each of the
    plugin's names and each hook's signature again: most of a warm run's configuration. For plugins loaded from
    outside the project (pytest's own, installed ones), which cannot change between runs, the answers are kept."""
    try:
        from _pytest.config import PytestPluginManager
        from pluggy import _hooks
    except ImportError:
        return
    parse = PytestPluginManager.parse_hookimpl_opts
    parsed = {}

    def parse_kept(manager, plugin, name):
        if not name.startswith("pytest_"):
            return None
        known = parsed.get((id(plugin), name))
        if known is not None:
            return None if known[1] is None else dict(known[1])
        opts = parse(manager, plugin, name)
        if isinstance(plugin, type(os)) and _reusable(plugin):
            # The plugin is kept in the entry so that its id cannot be reused by another object.
            parsed[(id(plugin), name)] = (plugin, None if opts is None else dict(opts))
        return opts

    PytestPluginManager.parse_hookimpl_opts = parse_kept
    argument_names = getattr(_hooks, "varnames", None)
    if argument_names is None:
        return
    names = {}

    def argument_names_kept(function):
        # A bound method's names depend on its function alone (the instance differs from run to run).
        if isinstance(function, types.MethodType):
            underlying, key = function.__func__, ("method", function.__func__)
        elif isinstance(function, types.FunctionType):
            underlying, key = function, function
        else:
            return argument_names(function)
        known = names.get(key)
        if known is None:
            known = argument_names(function)
            if _owner_is_outside(underlying):
                names[key] = known
        return known

    _hooks.varnames = argument_names_kept


def _flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _set_aside_survivors():
    """Frees the last run's garbage, then freezes what is left (pytest, kept modules) so that the collections
    pytest makes at the end of each session only scan the objects of that session (about 50 ms less a run)."""
    gc.collect()
    gc.freeze()


def main():
    if len(sys.argv) > 2:
        sys.path[0] = sys.argv[2]
    else:
        del sys.path[0]
    driver_pid = os.getpid()
    requests, answers = _channels()
    _preload_builtin_plugins()
    _keep_installed_distributions()
    _keep_rewritten_tests()
    _keep_hook_parsing()
    baseline = _Baseline()
    _set_aside_survivors()
    for line in requests:
        if not line.strip():
            continue
        code = _run(json.loads(line))
        if os.getpid() != driver_pid:
            # A child a test forked without exiting it: end it here, as a cold run's child would end after pytest.
            _flush_streams()
            os._exit(code)
        baseline.restore()
        _flush_streams()
        answers.write(json.dumps({"exit": code}) + "\n")
        _set_aside_survivors()


main()
`;
