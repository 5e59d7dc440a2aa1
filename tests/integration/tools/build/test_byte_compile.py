"""The deployment package carries byte-compiled modules that Python loads as they are."""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.build.byte_compile import byte_compile_zip, runtime_of


@pytest.fixture
def package(tmp_path: Path) -> Path:
    archive_path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("shipped_pkg/__init__.py", "")
        archive.writestr("shipped_pkg/answer.py", "ANSWER = 42\n")
        archive.writestr("shipped_pkg/data.json", "{}")
        archive.writestr("other_pkg/py2_only.py", "print 'never imported'\n")
        # What a developer's machine wrote into chalicelib/, which Chalice copies as it is.
        archive.writestr(importlib.util.cache_from_source("shipped_pkg/answer.py"), b"stale, timestamp-checked")
    return archive_path


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    unpacked = tmp_path / "task"
    sys.path.insert(0, str(unpacked))
    yield unpacked
    sys.path.remove(str(unpacked))
    for name in [name for name in sys.modules if name.startswith("shipped_pkg")]:
        del sys.modules[name]


def test_every_module_gets_an_unchecked_hash_pyc_and_the_rest_is_kept(package: Path) -> None:
    added, refused = byte_compile_zip(package)

    with zipfile.ZipFile(package) as archive:
        listed = archive.namelist()
        names = set(listed)
        pyc = archive.read(importlib.util.cache_from_source("shipped_pkg/answer.py"))
    assert len(listed) == len(names)  # the stale file replaced, not shadowed
    assert (added, refused) == (2, ["other_pkg/py2_only.py"])
    assert {"shipped_pkg/answer.py", "shipped_pkg/data.json", "other_pkg/py2_only.py"} <= names
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, source never checked


def test_python_loads_the_compiled_module_without_compiling_its_source(
    package: Path, importable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    byte_compile_zip(package)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(importable)

    def no_compiling(*_: object, **__: object) -> None:
        raise AssertionError("compiled from source")

    monkeypatch.setattr(importlib.machinery.SourceFileLoader, "source_to_code", no_compiling)
    assert importlib.import_module("shipped_pkg.answer").ANSWER == 42


def test_the_runtime_is_read_from_the_template(tmp_path: Path) -> None:
    template = tmp_path / "sam.yaml"
    template.write_text("Globals:\n  Function:\n    Runtime: python3.11\n", encoding="utf-8")

    assert runtime_of(template) == {"python3.11"}
