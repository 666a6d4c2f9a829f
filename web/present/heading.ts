/** A cell's name as a heading for readers: `cases_by_continent` → "Cases by continent". */
export function headingOf(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();
  if (!words) return name;
  return words[0]!.toUpperCase() + words.slice(1);
}
