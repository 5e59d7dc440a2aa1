"""Byte-compiles a Lambda deployment package in place: `python -m tools.build.byte_compile build/<stage>`.

Lambda unpacks the zip into a read-only /var/task, where Python cannot write the byte-compiled
files it writes on a module's first import elsewhere. `chalice package` ships sources only, so
without this every cold start would compile every module it imports: the app, Chalice, PynamoDB
and botocore (shipped in the zip, not the runtime's). The benchmark's cold starts (bench/) assume
byte-compiled files on both sides; this makes that true of the deployed function too.

Beside each `x.py` it adds `__pycache__/x.cpython-3NN.pyc`, compiled by this interpreter, which must
be the runtime's version of Python (Chalice chose the runtime from it; checked against the
template), and marked unchecked-hash: Python loads it without comparing the source's modification
time, which a zip does not keep faithfully.
"""

from __future__ import annotations

import argparse
import py_compile
import re
import shutil
import sys
import tempfile
import zipfile
from importlib.util import cache_from_source
from pathlib import Path, PurePosixPath

# Where Lambda unpacks the package: the file names that tracebacks show.
TASK_ROOT = PurePosixPath("/var/task")


def runtime_of(template: Path) -> set[str]:
    """Every function's runtime (e.g. "python3.11") in Chalice's SAM template."""
    return set(re.findall(r"Runtime:\s*(python3\.\d+)", template.read_text(encoding="utf-8")))


def byte_compile_zip(archive_path: Path) -> tuple[int, list[str]]:
    """Adds a byte-compiled file for every module in the zip; returns how many were added and the
    modules that do not compile with this Python (left as they are: Python never imports them)."""
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = Path(scratch) / "package"
        with zipfile.ZipFile(archive_path) as archive:
            entries = archive.infolist()
            archive.extractall(unpacked)
        compiled: list[tuple[zipfile.ZipInfo, str]] = []
        refused: list[str] = []
        for entry in entries:
            if not entry.filename.endswith(".py"):
                continue
            cached = PurePosixPath(cache_from_source(entry.filename))
            try:
                py_compile.compile(
                    str(unpacked / entry.filename),
                    cfile=str(unpacked / cached),
                    dfile=str(TASK_ROOT / entry.filename),
                    doraise=True,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
            except py_compile.PyCompileError:
                refused.append(entry.filename)
                continue
            pyc = zipfile.ZipInfo(str(cached), date_time=entry.date_time)
            pyc.external_attr = entry.external_attr
            pyc.compress_type = zipfile.ZIP_DEFLATED
            compiled.append((pyc, str(unpacked / cached)))
        rebuilt = Path(scratch) / "rebuilt.zip"
        with zipfile.ZipFile(archive_path) as original, zipfile.ZipFile(rebuilt, "w") as archive:
            for entry in entries:
                if not _byte_compiled(entry.filename):
                    archive.writestr(entry, original.read(entry))
            for pyc, path in compiled:
                archive.writestr(pyc, Path(path).read_bytes())
        shutil.move(rebuilt, archive_path)
    return len(compiled), refused


def _byte_compiled(name: str) -> bool:
    """A byte-compiled file already in the zip: Chalice copies chalicelib/ as it is, with whatever
    __pycache__ this machine wrote (checked against this machine's timestamps); ours replace them."""
    return name.endswith(".pyc") or "__pycache__/" in name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the folder `chalice package` wrote: sam.yaml and deployment.zip")
    build = parser.parse_args().build
    this_python = f"python{sys.version_info.major}.{sys.version_info.minor}"
    runtimes = runtime_of(build / "sam.yaml")
    if runtimes != {this_python}:
        sys.exit(f"the functions run on {sorted(runtimes)}, this is {this_python}: its byte code would not load")
    added, refused = byte_compile_zip(build / "deployment.zip")
    print(f"byte-compiled {added} modules into {build / 'deployment.zip'}")
    for name in refused:
        print(f"  not compiled (not this Python's syntax, never imported): {name}")


if __name__ == "__main__":
    main()
