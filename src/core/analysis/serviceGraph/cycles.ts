// Cycles in a directed graph: services that call each other round (A -> B -> A), found as strongly connected
// components.

/** Each node in a cycle, with the cycle (strongly connected component) it is in; a self-call is a cycle too. */
export function cycleNodes(edges: Iterable<{ from: string; to: string }>): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const targets = next.get(e.from);
    if (targets) targets.push(e.to);
    else next.set(e.from, [e.to]);
  }
  // Tarjan's strongly connected components, iteratively (a deep chain must not overflow the stack).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; child: number }[] = [{ node: start, child: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const children = next.get(top.node) ?? [];
      if (top.child < children.length) {
        const child = children[top.child++];
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) low.set(top.node, Math.min(low.get(top.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(top.node)!));
      if (low.get(top.node) !== index.get(top.node)) continue;
      const members: string[] = [];
      for (let m = stack.pop()!; ; m = stack.pop()!) {
        onStack.delete(m);
        members.push(m);
        if (m === top.node) break;
      }
      const selfLoop = members.length === 1 && (next.get(members[0]) ?? []).includes(members[0]);
      if (members.length > 1 || selfLoop) {
        for (const m of members) component.set(m, components);
        components++;
      }
    }
  }
  return component;
}
