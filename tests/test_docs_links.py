"""Every relative link in README.md and docs/*.md leads somewhere: to a file that exists and, when
it names a heading of a markdown file (`file.md#heading`, or `#heading` in the same file), to a
heading that exists there. Anchors are GitHub's: the heading's text, lower-cased, punctuation
dropped, spaces made hyphens, a repeated heading numbered `-1`, `-2`, ...

Code (fenced blocks and `inline` spans) is not read for links or headings: a `# comment` in a
shell block is not a heading, and `[i](x)` in Python is not a link."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

PROJECT = Path(__file__).resolve().parent.parent
DOCUMENTS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`+[^`]*`+")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, mailto:, ...


def prose_lines(path: Path) -> list[str]:
    """The file's lines outside fenced code blocks, with inline code spans blanked."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def links(path: Path) -> list[str]:
    found = []
    for line in prose_lines(path):
        line = _INLINE_CODE.sub("", line)
        found += _INLINE_LINK.findall(line)
        reference = _REFERENCE_LINK.match(line)
        if reference:
            found.append(reference.group(1))
    return found


def github_anchor(heading: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    for line in prose_lines(path):
        heading = _HEADING.match(line)
        if not heading:
            continue
        anchor = github_anchor(heading.group(2))
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        if count:
            seen[f"{anchor}-{count}"] = 1
    return set(seen)


def broken(document: Path, target: str) -> str | None:
    """Why `target`, linked from `document`, leads nowhere; None when it leads somewhere."""
    file_part, _, anchor = target.partition("#")
    linked = (document.parent / unquote(file_part)).resolve() if file_part else document
    if not linked.exists():
        return f"{linked.relative_to(PROJECT) if linked.is_relative_to(PROJECT) else linked} does not exist"
    if anchor and linked.suffix == ".md" and unquote(anchor).lower() not in anchors(linked):
        return f"{linked.name} has no heading with the anchor #{anchor}"
    return None


def relative_links() -> list[tuple[Path, str]]:
    return [(document, target) for document in DOCUMENTS for target in links(document) if not _EXTERNAL.match(target)]


def test_the_readme_and_docs_link_to_each_other() -> None:
    """The guard against checking nothing: the README links into docs/, and docs/ links back."""
    found = relative_links()
    sources = {document.name for document, _ in found}
    assert len(found) >= 10, found
    assert "README.md" in sources
    assert len(sources) >= 2


def test_every_relative_link_leads_somewhere() -> None:
    problems = [
        f"{document.relative_to(PROJECT)}: ({target}) {why}"
        for document, target in relative_links()
        if (why := broken(document, target)) is not None
    ]
    assert not problems, "\n".join(problems)


def test_a_broken_link_and_a_missing_anchor_are_caught(tmp_path: Path) -> None:
    """The checker itself: a link to a missing file, and to a missing heading, are both reported."""
    (tmp_path / "other.md").write_text("# Other\n\n## 2. A step (with: punctuation)\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```\n# not a heading\n```\n", encoding="utf-8")
    assert broken(page, "other.md#2-a-step-with-punctuation") is None
    assert broken(page, "#page") is None
    assert broken(page, "missing.md") is not None
    assert broken(page, "other.md#no-such-step") is not None
    assert broken(page, "#not-a-heading") is not None
