#!/usr/bin/env python3
"""Fails (exit 1) listing every Rust file in src/ over 600 lines and every function over 80.

    scripts/sizes.py [DIR]      default: src

A file counts all its lines, except test files (named tests.rs, or under a tests/ folder),
which are not counted. A function counts from its `fn` line to the line of its closing brace;
functions in test files and in `#[cfg(test)] mod NAME { ... }` blocks are not counted, nor
declarations without a body (`fn f();`). Braces inside strings, raw strings, character
literals and comments are skipped. Prints `file: N lines` and `file:line: fn NAME is N lines`.
"""

import os
import re
import sys

MAX_FILE_LINES = 600
MAX_FN_LINES = 80

FN = re.compile(
    r"^[ \t]*(?:pub(?:[ \t]*\([^)\n]*\))?[ \t]+)?"
    r"(?:(?:const|async|unsafe|default|extern)[ \t]+)*"
    r"fn[ \t]+((?:r#)?[A-Za-z_][A-Za-z0-9_]*)",
    re.MULTILINE,
)
TEST_MOD = re.compile(
    r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+[A-Za-z_][A-Za-z0-9_]*\s*\{"
)


def is_ident(c):
    return c.isalnum() or c == "_"


def mask(text):
    """`text` with every comment and literal (string, raw string, char) blanked to spaces,
    line breaks kept, so that braces, `fn` and `;` are left only where they are code."""
    out = list(text)
    n = len(text)
    i = 0

    def blank(start, end):
        for k in range(start, min(end, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c in "rbc" and (i == 0 or not is_ident(text[i - 1])) and raw_string_at(text, i):
            j = i + 1 if c in "bc" else i
            j += 1  # the r
            hashes = 0
            while text[j] == "#":
                hashes, j = hashes + 1, j + 1
            closing = '"' + "#" * hashes
            end = text.find(closing, j + 1)
            end = n if end < 0 else end + len(closing)
            blank(i, end)
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'":
            if text.startswith("\\", i + 1):
                # An escaped char: '\n', '\'', '\\', '\x7f', '\u{1F600}'.
                j = i + 3
                while j < n and text[j] != "'":
                    j += 1
                blank(i, j + 1)
                i = j + 1
            elif i + 2 < n and text[i + 2] == "'" and text[i + 1] != "\n":
                blank(i, i + 3)
                i += 3
            else:
                i += 1  # a lifetime or a label: 'a, 'static, 'outer:
        else:
            i += 1
    return "".join(out)


def raw_string_at(text, i):
    """Whether a raw string (r"..", r#".."#, br"..", cr"..") starts at `i`."""
    j = i + 1 if text[i] in "bc" else i
    if j >= len(text) or text[j] != "r":
        return False
    j += 1
    while j < len(text) and text[j] == "#":
        j += 1
    return j < len(text) and text[j] == '"'


def matching_brace(code, open_at):
    """Index of the `}` that closes the `{` at `open_at` in masked code, or None."""
    depth = 0
    for k in range(open_at, len(code)):
        if code[k] == "{":
            depth += 1
        elif code[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return None


def body_start(code, start):
    """Index of the `{` that opens the body of the `fn` at `start`, or None when the
    declaration ends with `;` first. `;` inside (...) or [...] (as in `[u8; 4]`) is skipped."""
    depth = 0
    for k in range(start, len(code)):
        c = code[k]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0 and c == "{":
            return k
        elif depth == 0 and c == ";":
            return None
    return None


def line_of(code, index):
    return code.count("\n", 0, index) + 1


def is_test_file(relative):
    parts = relative.split(os.sep)
    return parts[-1] == "tests.rs" or "tests" in parts[:-1]


def long_functions(code):
    """(line, name, lines) of each function over MAX_FN_LINES outside test modules."""
    test_spans = []
    for m in TEST_MOD.finditer(code):
        close = matching_brace(code, m.end() - 1)
        test_spans.append((m.start(), len(code) if close is None else close))
    found = []
    for m in FN.finditer(code):
        start = m.start(1)
        if any(a <= start <= b for a, b in test_spans):
            continue
        open_at = body_start(code, m.end())
        if open_at is None:
            continue
        close = matching_brace(code, open_at)
        if close is None:
            continue
        first = line_of(code, start)
        lines = line_of(code, close) - first + 1
        if lines > MAX_FN_LINES:
            found.append((first, m.group(1), lines))
    return found


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    os.chdir(root)
    top = sys.argv[1] if len(sys.argv) > 1 else "src"
    paths = sorted(
        os.path.join(folder, name)
        for folder, _, files in os.walk(top)
        for name in files
        if name.endswith(".rs")
    )
    problems = []
    for path in paths:
        if is_test_file(os.path.relpath(path, top)):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = len(text.splitlines())
        if lines > MAX_FILE_LINES:
            problems.append(f"{path}: {lines} lines")
        for line, fn, length in long_functions(mask(text)):
            problems.append(f"{path}:{line}: fn {fn} is {length} lines")
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} over the limits: no file in {top}/ over {MAX_FILE_LINES} lines "
            f"(test files excepted), no function over {MAX_FN_LINES}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
