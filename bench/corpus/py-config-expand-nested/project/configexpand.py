"""Expands ${NAME} and ${NAME:-default} references in a parsed configuration tree."""

import re

REFERENCE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")


class MissingVariable(KeyError):
    pass


def substitute(text, env):
    def replace(match):
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise MissingVariable(name)

    return REFERENCE.sub(replace, text)


def expand(value, env):
    if isinstance(value, str):
        return substitute(value, env)
    if isinstance(value, list):
        return [expand(item, env) for item in value]
    if isinstance(value, dict):
        return {key: item for key, item in value.items()}
    return value


def references(text):
    return [m.group(1) for m in REFERENCE.finditer(text)]
