"""Draw the test cases of the reference implementation, opening_hours.js (``test/test.js``): every expression
written as a plain string literal in the value list of one of its ``test.addTest(name, [values], …)`` calls,
with the test's name. Run once per reference version; the output, ``cases.json``, is committed:

    python tests/hours_reference/extract_cases.py <opening_hours.js checkout>/test/test.js > cases.json
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

CALL = re.compile(r"test\.addTest\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*\[(.*?)\]\s*,", re.DOTALL)
STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)\"""")


def literals(values: str) -> list[str]:
    """The plain string literals of a value list, comments dropped; a list built otherwise gives nothing."""
    kept = []
    for line in values.splitlines():
        line = line.split("//", 1)[0] if not re.search(r"""['"][^'"]*//""", line) else line
        for single, double in STRING.findall(line):
            kept.append(ast.literal_eval(f"'{single}'" if single or not double else f'"{double}"'))
    return kept


def main(path: str) -> None:
    source = Path(path).read_text(encoding="utf-8")
    cases, seen = [], set()
    for name, values in CALL.findall(source):
        for expression in literals(values):
            if expression.strip() and expression not in seen:
                seen.add(expression)
                cases.append({"test": ast.literal_eval(f"'{name}'"), "expression": expression})
    json.dump(cases, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
