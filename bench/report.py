"""Put the latest `make bench` tables into docs/benchmarks.md.

    python bench/report.py docs/benchmarks.md PAGES.md PHOTOS.md

Replaces what lies between the `<!-- bench:results -->` and
`<!-- /bench:results -->` markers; the written interpretation around them stays.
"""

import sys
from pathlib import Path

START, END = "<!-- bench:results -->", "<!-- /bench:results -->"


def splice(document: str, results: str) -> str:
    if START not in document or END not in document:
        return f"{document.rstrip()}\n\n{START}\n{results.strip()}\n{END}\n"
    head, rest = document.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{results.strip()}\n{END}{tail}"


def demote(markdown: str) -> str:
    """Headings one level down, so each run's report sits under the document's own."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.splitlines())


def main() -> None:
    docs, *parts = (Path(p) for p in sys.argv[1:])
    results = "\n\n".join(demote(p.read_text(encoding="utf-8")) for p in parts if p.exists())
    docs.write_text(splice(docs.read_text(encoding="utf-8"), results), encoding="utf-8")
    print(f"Updated {docs}")


if __name__ == "__main__":
    main()
