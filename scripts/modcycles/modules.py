"""Modules of one crate target: discovery through `mod` declarations, imports, path
resolution (following re-exports) and the edges between modules."""

import os

from .lexer import ParseError, drop_test_code, match_close, parse_use_tree, strip_source, tokenize

# Upper bound of re-export hops followed for one path.
MAX_RESOLVE_DEPTH = 32

KEYWORDS_DEF = {"fn", "struct", "enum", "trait", "type", "const", "static", "union", "mod"}


class Module:
    def __init__(self, path, file, crate_dir, is_dir_owner):
        self.path = path  # tuple of segments below the crate root
        self.file = file
        self.crate_dir = crate_dir
        self.is_dir_owner = is_dir_owner  # crate root or mod.rs: children live next to it
        self.toks = []
        self.children = set()
        self.defs = set()  # names of items defined at the top level
        self.uses = []  # (segs, alias, glob, line, depth, inline_path)
        self.imports = {}  # name -> absolute segs or None (external)
        self.globs = []  # absolute module/item segs
        self.aliases = {}  # file-wide: name -> absolute segs or None

    def name(self):
        return "crate" + "".join("::" + s for s in self.path)


def load_module(mod, modules, errors):
    try:
        with open(mod.file, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        errors.append(f"{mod.file}: {e}")
        return
    toks = drop_test_code(tokenize(strip_source(text)))
    mod.toks = toks
    depth = 0
    i = 0
    while i < len(toks):
        k, v, line = toks[i]
        if k == "p" and v == "#" and i + 1 < len(toks) and toks[i + 1][1] == "[":
            end = match_close(toks, i + 1)
            if i + 2 < len(toks) and toks[i + 2][1] == "path":
                raise ParseError(f"{mod.file}:{line}: #[path] is not supported")
            i = end
            continue
        if k == "p" and v == "{":
            depth += 1
        elif k == "p" and v == "}":
            depth -= 1
        elif k == "id" and v == "use" and not (i + 1 < len(toks) and toks[i + 1][1] == "<"):
            j = i + 1
            while j < len(toks) and toks[j][1] != ";":
                j += 1
            leaves = []
            parse_use_tree(toks[i + 1:j], 0, [], leaves)
            public = reexport_at(toks, i)
            for segs, alias, glob, ln in leaves:
                mod.uses.append((segs, alias, glob, ln, depth, public))
            i = j + 1
            continue
        elif k == "id" and depth == 0 and i + 1 < len(toks) and toks[i + 1][0] == "id":
            nxt = toks[i + 1][1]
            if v in KEYWORDS_DEF and nxt not in KEYWORDS_DEF and nxt != "unsafe":
                mod.defs.add(nxt)
                if v == "mod" and i + 2 < len(toks) and toks[i + 2][1] == ";":
                    declare_child(mod, nxt, line, modules, errors)
        elif k == "id" and v == "macro_rules" and i + 2 < len(toks) and toks[i + 1][1] == "!":
            mod.defs.add(toks[i + 2][1])
        i += 1


def reexport_at(toks, i):
    """Whether the `use` at toks[i] is `pub use` / `pub(...) use`."""
    if i >= 1 and toks[i - 1][1] == "pub":
        return True
    if i >= 2 and toks[i - 1][1] == ")":
        j = i - 2
        while j >= 0 and toks[j][1] != "(" and i - j < 8:
            j -= 1
        return j >= 1 and toks[j][1] == "(" and toks[j - 1][1] == "pub"
    return False


def declare_child(mod, name, line, modules, errors):
    base = os.path.dirname(mod.file)
    if not mod.is_dir_owner:
        base = os.path.join(base, os.path.splitext(os.path.basename(mod.file))[0])
    flat = os.path.join(base, name + ".rs")
    nested = os.path.join(base, name, "mod.rs")
    if os.path.isfile(flat):
        child = Module(mod.path + (name,), flat, mod.crate_dir, False)
    elif os.path.isfile(nested):
        child = Module(mod.path + (name,), nested, mod.crate_dir, True)
    else:
        errors.append(f"{mod.file}:{line}: mod {name}; has no file ({flat} or {nested})")
        return
    mod.children.add(name)
    modules[child.path] = child
    load_module(child, modules, errors)


def to_abs(segs, mod, modules):
    """Absolute segments of a path written in mod, or None when it is not in this crate."""
    if not segs:
        return None
    first = segs[0]
    if first == "crate":
        return list(segs[1:])
    if first in ("self", "super"):
        base = list(mod.path)
        i = 0
        while i < len(segs) and segs[i] in ("self", "super"):
            if segs[i] == "super":
                if not base:
                    return None
                base.pop()
            i += 1
        return base + list(segs[i:])
    if first in mod.children or first in mod.defs:
        return list(mod.path) + list(segs)
    if first in mod.aliases:
        target = mod.aliases[first]
        return None if target is None else list(target) + list(segs[1:])
    return None


def resolve(segs, modules, depth=0):
    """The module path (tuple) that defines what absolute segs name, or None (external)."""
    cur = ()
    i = 0
    while i < len(segs) and cur + (segs[i],) in modules:
        cur = cur + (segs[i],)
        i += 1
    if i == len(segs) or depth > MAX_RESOLVE_DEPTH:
        return cur
    name = segs[i]
    mod = modules[cur]
    if name in mod.defs:
        return cur
    if name in mod.imports:
        target = mod.imports[name]
        if target is None:
            return None
        return resolve(list(target) + list(segs[i + 1:]), modules, depth + 1)
    for g in mod.globs:
        gmod = resolve(g, modules, depth + 1)
        if gmod is not None and gmod in modules and gmod != cur:
            gm = modules[gmod]
            if name in gm.defs or name in gm.imports or gm.globs:
                return resolve(list(gmod) + list(segs[i:]), modules, depth + 1)
    return cur


def is_module_path(segs, modules):
    return segs is not None and tuple(segs) in modules


def collect_imports(modules):
    """Fills aliases (file-wide) and the top-level import table of every module."""
    for mod in sorted(modules.values(), key=lambda m: len(m.path)):
        for segs, alias, glob, _line, depth, _public in mod.uses:
            target = to_abs(segs, mod, modules)
            if glob:
                if depth == 0 and target is not None:
                    mod.globs.append(target)
                continue
            if not segs:
                continue
            name = alias or segs[-1]
            if name == "_":
                continue
            mod.aliases[name] = target
            if depth == 0:
                mod.imports[name] = target


def code_idents(toks):
    """Identifiers used outside `use` statements."""
    ids, i = set(), 0
    while i < len(toks):
        k, v, _ = toks[i]
        if k == "id" and v == "use" and not (i + 1 < len(toks) and toks[i + 1][1] == "<"):
            while i < len(toks) and toks[i][1] != ";":
                i += 1
            continue
        if k == "id":
            ids.add(v)
        i += 1
    return ids


def find_edges(mod, modules, reexport_edges):
    """[(target module path, line, text)] referenced by mod."""
    edges = []
    used = code_idents(mod.toks)

    def add(segs_written, line):
        target_abs = to_abs(segs_written, mod, modules)
        if target_abs is None:
            return
        target = resolve(target_abs, modules)
        if target is not None and target != mod.path:
            edges.append((target, line, "::".join(segs_written)))

    for segs, alias, glob, line, _depth, public in mod.uses:
        absolute = to_abs(segs, mod, modules)
        if absolute is None:
            continue
        if not glob and is_module_path(absolute, modules):
            continue  # binds a module name; the paths written through it are edges
        if public and not reexport_edges and (glob or (alias or segs[-1]) not in used):
            continue  # a re-export only: followed when resolving, not a use of the item
        add(segs, line)

    toks = mod.toks
    i = 0
    while i < len(toks):
        k, v, line = toks[i]
        if k == "id" and v == "use" and not (i + 1 < len(toks) and toks[i + 1][1] == "<"):
            while i < len(toks) and toks[i][1] != ";":
                i += 1
            continue
        if (
            k == "id"
            and i + 2 < len(toks)
            and toks[i + 1][1] == "::"
            and toks[i + 2][0] == "id"
            and not (i > 0 and toks[i - 1][1] == "::")
        ):
            segs = [v]
            j = i + 1
            while j + 1 < len(toks) and toks[j][1] == "::" and toks[j + 1][0] == "id":
                segs.append(toks[j + 1][1])
                j += 2
            if not (i > 0 and toks[i - 1][1] == "$" and v != "crate"):
                add(segs, line)
            i = j
            continue
        i += 1
    return edges
