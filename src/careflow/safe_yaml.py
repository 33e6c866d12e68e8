"""The one YAML (and JSON) reader in careflow: safe types only, bounded size, aliases and depth, located errors.

YAML can describe far more than it stores: a few hundred bytes of nested aliases (the "billion laughs")
stand for billions of values once something walks them. Every document is therefore composed first, its
node graph measured (values as expanded, nesting depth, alias count) and refused over the limits below,
before any Python object is built. Only YAML's plain types are constructed (`!!python/...` tags are
refused), a repeated key is an error rather than a silent overwrite, and libyaml's C parser is used when
PyYAML was built with it (several times faster), with PyYAML's pure-Python parser as the fallback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from careflow.errors import InputError, Problem

MAX_YAML_BYTES = 5 * 1024 * 1024  # scenarios, profiles and baselines are a few KB; 5 MB leaves room for big tables
MAX_EXPANDED_NODES = 1_000_000  # values in the document once every alias is expanded
MAX_ALIASES = 10_000
MAX_DEPTH = 64

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
USING_LIBYAML = _Base is not yaml.SafeLoader


class _Loader(_Base):
    """A safe loader (C when available) that refuses repeated keys."""


def _mapping_without_duplicates(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            repeated = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: let the constructor give its own located error
            break
        if repeated:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"a repeated key '{key}'", key_node.start_mark
            )
    return dict(loader.construct_mapping(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _problem(source: str, found: str, expected: str, mark: Any = None) -> Problem:
    return Problem(source, found, expected, row=mark.line + 1 if mark is not None else None)


def _check_graph(node: yaml.Node, source: str) -> None:
    """Refuse a node graph that is too deep, uses too many aliases, loops back on itself or expands too far."""
    expanded: dict[int, int] = {}  # node id → values under it, aliases expanded
    on_path: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        current, depth, children_done = stack.pop()
        key = id(current)
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        if children_done:
            on_path.discard(key)
            expanded[key] = min(1 + sum(expanded[id(c)] for c in children), MAX_EXPANDED_NODES + 1)
            if expanded[key] > MAX_EXPANDED_NODES:
                raise InputError(
                    [
                        _problem(
                            source,
                            f"a document that expands to more than {MAX_EXPANDED_NODES:,} values through aliases",
                            "a plain YAML document (aliases that repeat a few values at most)",
                            current.start_mark,
                        )
                    ]
                )
            continue
        if key in expanded:  # a repeated (aliased) node: counted again, measured once
            aliases += 1
            if aliases > MAX_ALIASES:
                raise InputError(
                    [_problem(source, f"more than {MAX_ALIASES:,} aliases", "fewer aliases", current.start_mark)]
                )
            continue
        if key in on_path:
            raise InputError(
                [_problem(source, "an alias that refers to itself", "a document without loops", current.start_mark)]
            )
        if depth > MAX_DEPTH:
            raise InputError(
                [_problem(source, f"nesting deeper than {MAX_DEPTH} levels", "a flatter document", current.start_mark)]
            )
        on_path.add(key)
        stack.append((current, depth, True))
        stack.extend((child, depth + 1, False) for child in children)


def load_yaml_text(text: str, source: str) -> Any:
    """Parse one YAML/JSON document held in `text`; `source` names it in messages. None for an empty document."""
    if len(text) > MAX_YAML_BYTES:
        raise InputError([_problem(source, f"{len(text):,} characters", f"at most {MAX_YAML_BYTES:,}")])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, source)
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        if "could not determine a constructor" in str(what):
            tag = re.search(r"'([^']*)'", str(what))
            what = f"a tag careflow does not read ({tag.group(1) if tag else 'unknown'})"
        raise InputError([_problem(source, f"malformed YAML: {what}", "valid YAML with plain values", mark)]) from None
    except RecursionError:
        raise InputError([_problem(source, "nesting too deep to read", "a flatter document")]) from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path) -> Any:
    """Read a YAML (or JSON) file, checking its size before reading; every failure is one located problem."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError([Problem(source, "no such file", "a YAML or JSON file")])
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise InputError(
            [Problem(source, f"a file of {size:,} bytes", f"a YAML or JSON file of at most {MAX_YAML_BYTES:,} bytes")]
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (UnicodeDecodeError, OSError) as error:
        raise InputError([Problem(source, f"an unreadable file ({type(error).__name__})", "UTF-8 text")]) from None
    if not text.strip():
        raise InputError([Problem(source, "an empty file", "a YAML or JSON document")])
    return load_yaml_text(text, source)
