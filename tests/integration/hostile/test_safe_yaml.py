"""Issue 12, finding 4: one safe YAML reader; alias bombs, loops, deep nesting and Python tags are refused fast."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from careflow.errors import InputError
from careflow.safe_yaml import MAX_YAML_BYTES, USING_LIBYAML, load_yaml_file, load_yaml_text
from cli_runner import invoke


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "name: bomb\n" + "\n".join(lines) + "\n"


def refused(text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "doc.yaml")
    return str(caught.value)


def test_the_billion_laughs_is_refused_in_well_under_a_second() -> None:
    start = time.perf_counter()
    message = refused(billion_laughs())
    assert time.perf_counter() - start < 0.5
    assert "expands to more than" in message and "doc.yaml, row" in message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: !!python/object/apply:os.system ['echo hi']\n", "python/object/apply:os.system"),
        ("a: !!python/object:builtins.dict {}\n", "python/object"),
        ("a: 1\nb: 2\na: 3\n", "repeated key 'a'"),
        ("a: &x [*x]\n", "refers to itself"),
        ("[" * 200 + "]" * 200, "nesting deeper"),
        ("a: [1, 2\n", "malformed YAML"),
    ],
)
def test_unsafe_or_broken_yaml_gives_a_located_problem(text: str, said: str) -> None:
    message = refused(text)
    assert said in message and "doc.yaml" in message


def test_small_aliases_and_plain_types_still_load() -> None:
    assert load_yaml_text("base: &b {x: 1}\nother: *b\nwhen: 2024-01-02\n", "d") == {
        "base": {"x": 1},
        "other": {"x": 1},
        "when": __import__("datetime").date(2024, 1, 2),
    }


def test_the_c_parser_is_used_when_pyyaml_has_it() -> None:
    import yaml

    assert yaml.__with_libyaml__ == USING_LIBYAML


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_YAML_BYTES + 1)  # sparse: costs nothing to make
    with pytest.raises(InputError, match="at most"):
        load_yaml_file(big)


@pytest.mark.parametrize(
    "command",
    [
        ["opportunity", "--baseline", "demo", "--scenario"],
        ["report", "--baseline", "demo", "--out", "{out}", "--scenario"],
        ["project", "--baseline", "demo", "--runs", "10", "--scenario"],
        ["evidence", "peers", "--baseline"],
        ["validate"],
    ],
)
def test_every_yaml_reading_command_refuses_the_bomb_quickly(tmp_path: Path, command: list[str]) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    code, stdout, stderr = invoke(*[c.replace("{out}", str(tmp_path / "out")) for c in command], str(bomb))
    assert time.perf_counter() - start < 5
    assert code == 2, stdout + stderr
    assert "expands to more than" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out").exists()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: no growth worth naming
