// A bundle's items as a dependency graph and the ECharts option that draws it (the catalogue page, the designer).

/**
 * A bundle's items as a dependency graph: a node per item, an edge from each prerequisite to the item that waits
 * for it (BundleItem.after). Pure, so the chart and its test see the same thing.
 */
export function itemGraph(items: Array<{ item: string; after?: string[] }>, name: (code: string) => string) {
  const codes = new Set(items.map((i) => i.item));
  const depth = new Map<string, number>();
  const level = (code: string, seen: Set<string> = new Set()): number => {
    if (depth.has(code)) return depth.get(code)!;
    if (seen.has(code)) return 0;
    seen.add(code);
    const after = items.find((i) => i.item === code)?.after?.filter((a) => codes.has(a)) ?? [];
    const d = after.length ? Math.max(...after.map((a) => level(a, seen))) + 1 : 0;
    depth.set(code, d);
    return d;
  };
  const rows = new Map<number, number>();
  const nodes = items.map((i) => {
    const d = level(i.item);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    return { id: i.item, name: name(i.item), x: d * 240, y: row * 90, depth: d };
  });
  const links = items.flatMap((i) =>
    (i.after ?? []).filter((a) => codes.has(a)).map((a) => ({ source: a, target: i.item })),
  );
  return { nodes, links };
}

/**
 * The ECharts option that draws itemGraph, with a height that fits its rows. The graph's "view" keeps the aspect
 * ratio of the nodes' bounding box, so two invisible corner nodes give a single row a real height (else the
 * nodes are stretched into bars).
 */
export function itemGraphOption(
  items: Array<{ item: string; after?: string[] }>,
  name: (code: string) => string,
  category?: { names: string[]; of: (code: string) => number },
) {
  const g = itemGraph(items, name);
  const maxX = Math.max(0, ...g.nodes.map((n) => n.x));
  const maxY = Math.max(0, ...g.nodes.map((n) => n.y));
  const corner = (id: string, x: number, y: number) => ({
    id,
    name: '',
    x,
    y,
    symbolSize: 0,
    label: { show: false },
    tooltip: { show: false },
  });
  return {
    height: Math.max(200, maxY + 90 + 110),
    option: {
      tooltip: {},
      ...(category ? { legend: { data: category.names, bottom: 0 } } : {}),
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          symbolSize: 18,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 10,
          left: 40,
          right: 40,
          top: 20,
          bottom: category ? 50 : 20,
          label: { show: true, position: 'bottom', width: 170, overflow: 'break', align: 'center' },
          lineStyle: { width: 2, color: '#888' },
          ...(category ? { categories: category.names.map((n) => ({ name: n })) } : {}),
          data: [
            ...g.nodes.map((n) => ({
              id: n.id,
              name: n.name,
              x: n.x,
              y: n.y,
              ...(category ? { category: category.of(n.id) } : {}),
            })),
            corner('\u0000min', -120, -30),
            corner('\u0000max', maxX + 120, maxY + 60),
          ],
          links: g.links,
        },
      ],
    },
  };
}
