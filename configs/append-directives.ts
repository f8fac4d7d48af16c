/** A config's text with directive lines appended after it (Redis takes the last value of a directive), under a comment saying who appended them. */
export function appendDirectives(text: string, lines: readonly string[], appendedBy: string): string {
  return `${text}\n# appended by ${appendedBy}\n${lines.join("\n")}\n`;
}
