/**
 * Extra search terms for German as researchers type it, built at indexing time into one
 * searchable field:
 * - transliterations: "Führerschein" is also "fuehrerschein", "Straße" also "strasse";
 * - compound parts: "Cyberangriff" also "angriff" (and "cyber"), "Bürgerbüro" also "büro",
 *   "Zulassungsstelle" also "zulassung" and "stelle".
 *
 * Why not Meilisearch's `deu` locale: it cuts words it does not know into fragments, so "Riff"
 * then finds "Cyberangriff". Splitting only at known heads (and known left parts) keeps
 * recall for real compounds without that junk. The head list is written for news about public
 * administration and IT incidents; adding a word is safe, since a head must leave a left part of
 * at least three letters.
 */
const COMPOUND_HEADS = [
  'angriff', 'angriffe', 'attacke', 'attacken', 'software', 'trojaner', 'erpressung', 'erpresser',
  'büro', 'büros', 'amt', 'ämter', 'stelle', 'stellen', 'behörde', 'behörden', 'verwaltung', 'verwaltungen',
  'dienstleister', 'dienst', 'dienste', 'service', 'system', 'systeme', 'server', 'netz', 'netzwerk',
  'rechner', 'computer', 'daten', 'sicherheit', 'schutz', 'schaden', 'schäden', 'kosten', 'betrieb',
  'ausfall', 'störung', 'zulassung', 'zulassungen', 'schein', 'scheine', 'steuer', 'steuern', 'gebühr',
  'gebühren', 'bescheid', 'bescheide', 'antrag', 'anträge', 'termin', 'termine', 'kasse', 'haushalt',
  'versicherung', 'polizei', 'ermittlung', 'ermittlungen', 'ermittler', 'staatsanwaltschaft', 'gericht',
  'ministerium', 'minister', 'ausschuss', 'debatte', 'gesetz', 'stadt', 'kreis', 'landkreis', 'gemeinde',
  'gemeinden', 'kommune', 'kommunen', 'bürger', 'mitarbeiter', 'beschäftigte', 'personal', 'leitung',
  'straße', 'straßen', 'verkehr', 'bußgeld', 'bußgelder', 'verfahren', 'sünder', 'kennzeichen',
  'fahrzeug', 'fahrzeuge', 'wagen', 'haus', 'hauses', 'zentrum', 'center', 'wesen', 'lage', 'bericht',
  'konzept', 'plan', 'pläne', 'programm', 'woche', 'wochen', 'monat', 'monate', 'jahr', 'jahre',
];

/** Left parts that are words by themselves although they are not heads ("Cyber-", "Hacker-"). */
const KNOWN_LEFT_PARTS = new Set(['cyber', 'hacker', 'online', 'internet', 'it', 'kfz', 'pkw', 'lkw', 'e', 'notfall', 'not']);

/** Linking elements ("Fugen") dropped from a left part: Zulassung-s-stelle, Bürger-büro. */
const LINKING_S = /(ung|heit|keit|ion|tät|schaft|ing|tum|ling)s$/;

const HEADS = new Set(COMPOUND_HEADS);
/** Heads grouped by their last three letters, longest first: a word is only tested against heads it could end with. */
const HEADS_BY_ENDING = new Map<string, string[]>();
for (const head of [...HEADS].sort((a, b) => b.length - a.length)) {
  const ending = head.slice(-3);
  HEADS_BY_ENDING.set(ending, [...(HEADS_BY_ENDING.get(ending) ?? []), head]);
}
/** Words repeat across a corpus; their parts are computed once per process. */
const PARTS_CACHE = new Map<string, string[]>();
const PARTS_CACHE_LIMIT = 200_000;
const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
const MIN_LEFT_LETTERS = 3;

/** Pure: text → the extra terms (lower case, unique, in first-seen order), joined by spaces. */
export function germanSearchTerms(texts: Array<string | null | undefined>): string {
  const terms = new Set<string>();
  const seen = new Set<string>();
  // A repeated text (a paragraph printed twice, a caption equal to a paragraph) adds no new words.
  const seenTexts = new Set<string>();
  for (const text of texts) {
    if (!text || seenTexts.has(text)) continue;
    seenTexts.add(text);
    // match() returns plain strings: no match objects to build for every word of the text.
    for (const found of text.match(WORD) ?? []) {
      // Short words have no terms; a word seen in any spelling is looked at once.
      if (found.length < 3 || seen.has(found)) continue;
      seen.add(found);
      const word = found.toLowerCase();
      if (word !== found) {
        if (seen.has(word)) continue;
        seen.add(word);
      }
      // Meilisearch splits at hyphens itself; each part is looked at on its own.
      for (const part of word.split('-')) addTermsOf(part, terms);
    }
  }
  return [...terms].join(' ');
}

function addTermsOf(word: string, terms: Set<string>): void {
  if (word.length < 3) return;
  const transliterated = transliterate(word);
  if (transliterated !== word) terms.add(transliterated);
  for (const part of compoundParts(word)) {
    terms.add(part);
    const partTransliterated = transliterate(part);
    if (partTransliterated !== part) terms.add(partTransliterated);
  }
}

/** "führerschein" → "fuehrerschein"; "straße" → "strasse". */
export function transliterate(word: string): string {
  if (!/[äöüß]/.test(word)) return word;
  return word.replace(/[äöüß]/g, (letter) => TRANSLITERATIONS[letter]!);
}

const TRANSLITERATIONS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/**
 * Parts of a compound, split at the longest known head: "zulassungsstelle" → ["stelle",
 * "zulassung"]; left parts are split again. A word that is itself a head yields nothing.
 */
export function compoundParts(word: string, depth = 0): string[] {
  const cached = PARTS_CACHE.get(word);
  if (cached) return cached;
  const parts = splitCompound(word, depth);
  if (depth === 0 && PARTS_CACHE.size < PARTS_CACHE_LIMIT) PARTS_CACHE.set(word, parts);
  return parts;
}

function splitCompound(word: string, depth: number): string[] {
  if (depth > 3) return [];
  for (const head of HEADS_BY_ENDING.get(word.slice(-3)) ?? []) {
    if (!word.endsWith(head) || word.length - head.length < MIN_LEFT_LETTERS) continue;
    let left = word.slice(0, -head.length);
    if (LINKING_S.test(left)) left = left.slice(0, -1);
    const leftParts = splitCompound(left, depth + 1);
    const leftIsWord = KNOWN_LEFT_PARTS.has(left) || HEADS.has(left) || leftParts.length > 0 || left.length >= 5;
    if (!leftIsWord) continue;
    return [head, left, ...leftParts];
  }
  return [];
}
