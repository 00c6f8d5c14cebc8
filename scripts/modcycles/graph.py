"""Strongly connected components and the cycles shown for each."""


def strongly_connected(nodes, succ):
    """Tarjan's algorithm, iterative; returns lists of nodes."""
    index, low, on_stack, stack, comps = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(succ.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(succ.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                comps.append(comp)
    return comps


def shortest_path(src, dst, members, succ):
    """Shortest path src .. dst inside members (list of nodes), or None."""
    prev, queue, k = {src: None}, [src], 0
    while k < len(queue):
        node = queue[k]
        k += 1
        if node == dst:
            path = []
            while node is not None:
                path.append(node)
                node = prev[node]
            return path[::-1]
        for nxt in sorted(succ.get(node, ())):
            if nxt in members and nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    return None


def cycles_in(comp, succ):
    """One shortest cycle through every edge of a strongly connected component,
    deduplicated (so every edge that keeps the component together is shown)."""
    members = set(comp)
    seen, cycles = set(), []
    for a in sorted(comp):
        for b in sorted(succ.get(a, ())):
            if b not in members:
                continue
            back = shortest_path(b, a, members, succ)
            if back is None:
                continue
            cyc = [a] + back[:-1]
            k = cyc.index(min(cyc))
            cyc = cyc[k:] + cyc[:k]
            if tuple(cyc) not in seen:
                seen.add(tuple(cyc))
                cycles.append(cyc)
    cycles.sort(key=lambda c: (len(c), c))
    return cycles
