/** A name for a downloaded file: letters, digits, dot, dash and underscore (a title or a cell's name can hold anything). */
export const fileSafe = (name: string, fallback: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || fallback;
