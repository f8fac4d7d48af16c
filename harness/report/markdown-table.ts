/** A GitHub Markdown table: the first `textColumns` columns left-aligned, the figures right-aligned; pipes in cells escaped. */
export function markdownTable(head: readonly string[], body: readonly (readonly string[])[], textColumns = 3): string[] {
  const cellText = (text: string): string => text.replace(/\|/g, "\\|");
  return [
    `| ${head.map(cellText).join(" | ")} |`,
    `| ${head.map((_, i) => (i < textColumns ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.map(cellText).join(" | ")} |`),
  ];
}
