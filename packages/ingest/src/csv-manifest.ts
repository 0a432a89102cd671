/**
 * Generic corpora: a CSV manifest with a header `path,label[,speaker][,gender]`, one clip a row,
 * paths relative to the manifest's folder. Quoted fields ("a,b") are allowed.
 */

export interface ManifestRow {
  line: number;
  path: string;
  label: string;
  speaker: string;
  gender: 'male' | 'female' | '';
}

/** Split one CSV line (RFC 4180 quoting, no embedded newlines). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (fields.push(field), (field = ''));
    else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

const GENDERS: Record<string, ManifestRow['gender']> = { m: 'male', male: 'male', f: 'female', female: 'female', '': '' };

/** Parse manifest text; errors name the file, line and column. */
export function parseManifest(text: string, file: string): ManifestRow[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('path') < 0 || col('label') < 0)
    throw new Error(`${file}: line 1 must be a header with at least 'path' and 'label' columns (got '${lines[0] ?? ''}')`);
  const rows: ManifestRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const f = splitCsvLine(lines[i]);
    const get = (name: string) => (col(name) >= 0 ? (f[col(name)] ?? '') : '');
    if (!get('path')) throw new Error(`${file}: line ${i + 1}: empty 'path'`);
    if (!get('label')) throw new Error(`${file}: line ${i + 1}: empty 'label'`);
    const gender = GENDERS[get('gender').toLowerCase()];
    if (gender === undefined) throw new Error(`${file}: line ${i + 1}: 'gender' must be male, female, m, f or empty (got '${get('gender')}')`);
    rows.push({ line: i + 1, path: get('path'), label: get('label'), speaker: get('speaker'), gender });
  }
  return rows;
}
