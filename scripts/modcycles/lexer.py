"""Lexing Rust source for check-module-cycles: comment and literal stripping, tokens,
test-code removal and `use` tree expansion."""

import re


class ParseError(Exception):
    pass


def strip_source(text):
    """Returns text with comments and string/char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)

    def blank(s):
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth > 0:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif re.match(r'(b|c)?r#*"', text[i:i + 260]) and (i == 0 or not is_ident_char(text[i - 1])):
            m = re.match(r'(b|c)?r(#*)"', text[i:])
            end = '"' + m.group(2)
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append('""' + blank(text[i + 2:j]))
            i = j
        elif c == '"' or (c in "bc" and text.startswith('"', i + 1) and (i == 0 or not is_ident_char(text[i - 1]))):
            j = i + (1 if c == '"' else 2)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append('""' + blank(text[i + 2:j]))
            i = j
        elif c == "'" or (c == "b" and text.startswith("'", i + 1) and (i == 0 or not is_ident_char(text[i - 1]))):
            q = i if c == "'" else i + 1
            if text.startswith("\\", q + 1):
                j = q + 2
                while j < n and text[j] != "'" and j - q < 16:
                    j += 1
                j += 1
            elif q + 2 < n and text[q + 2] == "'":
                j = q + 3
            else:  # a lifetime or label
                out.append(text[i:q + 1])
                i = q + 1
                continue
            out.append(blank(text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def is_ident_char(c):
    return c.isalnum() or c == "_"


TOKEN_RE = re.compile(r"\s+|(r#)?([A-Za-z_][A-Za-z0-9_]*)|(::)|(\$)|(.)", re.S)


def tokenize(text):
    """[(kind, value, line)]: kind is 'id' or 'p' (punctuation)."""
    toks, line = [], 1
    for m in TOKEN_RE.finditer(text):
        s = m.group(0)
        if m.group(2):
            toks.append(("id", m.group(2), line))
        elif m.group(3):
            toks.append(("p", "::", line))
        elif m.group(4) or m.group(5):
            toks.append(("p", s, line))
        line += s.count("\n")
    return toks


def match_close(toks, i):
    """Index after the bracket group opening at toks[i]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[toks[i][1]]]
    j = i + 1
    while j < len(toks) and stack:
        v = toks[j][1] if toks[j][0] == "p" else None
        if v in pairs:
            stack.append(pairs[v])
        elif v in (")", "]", "}"):
            stack.pop()
        j += 1
    return j


def is_test_cfg(attr_toks):
    """Whether an attribute's tokens (inside #[...]) make the item test-only."""
    words = [v for _, v, _ in attr_toks]
    if not words or words[0] != "cfg":
        return False
    s = " ".join(words)
    s = re.sub(r"not \( test \)", "", s)
    if re.fullmatch(r"cfg \( test \)", s.strip()):
        return True
    return bool(re.match(r"cfg \( all \(", s) and re.search(r"\btest\b", s))


def item_end(toks, i):
    """Index after the item starting at toks[i] (at ';' or the matching '}' at depth 0)."""
    j = i
    while j < len(toks):
        k, v, _ = toks[j]
        if k == "p" and v in "([":
            j = match_close(toks, j)
            continue
        if k == "p" and v == "{":
            return match_close(toks, j)
        if k == "p" and v == ";":
            return j + 1
        j += 1
    return j


def drop_test_code(toks):
    """Removes #[cfg(test)] items and `mod tests`/`mod test` from the token list."""
    out, i = [], 0
    while i < len(toks):
        k, v, _ = toks[i]
        if k == "p" and v == "#" and i + 1 < len(toks) and toks[i + 1][1] == "[":
            end = match_close(toks, i + 1)
            if is_test_cfg(toks[i + 2:end - 1]):
                j = end
                while j + 1 < len(toks) and toks[j][1] == "#" and toks[j + 1][1] == "[":
                    j = match_close(toks, j + 1)
                i = item_end(toks, j)
                continue
            out.extend(toks[i:end])
            i = end
            continue
        if k == "id" and v == "mod" and i + 1 < len(toks) and toks[i + 1][1] in ("tests", "test"):
            # strip attributes already emitted for this item
            while out and out[-1][1] == "]":
                depth, j = 0, len(out) - 1
                while j >= 0:
                    if out[j][1] == "]":
                        depth += 1
                    elif out[j][1] == "[":
                        depth -= 1
                        if depth == 0:
                            break
                    j -= 1
                if j >= 1 and out[j - 1][1] == "#":
                    del out[j - 1:]
                else:
                    break
            while out and out[-1][0] == "id" and out[-1][1] in ("pub",):
                out.pop()
            i = item_end(toks, i)
            continue
        out.append(toks[i])
        i += 1
    return out


# ------------------------------------------------------------------ use trees


def parse_use_tree(toks, i, prefix, out):
    """Parses a use tree at toks[i] (values only); appends (path, alias, glob, line)."""
    segs = list(prefix)
    while i < len(toks):
        k, v, line = toks[i]
        if k == "p" and v == "::":
            i += 1
            continue
        if k == "p" and v == "{":
            i += 1
            while i < len(toks) and toks[i][1] != "}":
                if toks[i][1] == ",":
                    i += 1
                    continue
                i = parse_use_tree(toks, i, segs, out)
            return i + 1
        if k == "p" and v == "*":
            out.append((segs, None, True, line))
            return i + 1
        if k == "id":
            segs = segs + [v]
            i += 1
            if i < len(toks) and toks[i][1] == "::":
                continue
            alias = None
            if i + 1 < len(toks) and toks[i][1] == "as":
                alias = toks[i + 1][1]
                i += 2
            if segs[-1] == "self":
                segs = segs[:-1]
            out.append((segs, alias, False, line))
            return i
        return i + 1
    return i
