/**
 * The hostile payloads of the reliability tests (tests/reliability/hostile.test.ts) and the
 * browser test that shows them (tests/web/hostile.browser.test.ts).
 */

/** What every payload is meant to try. Each is NUL-free (PostgreSQL text cannot hold NUL). */
export const HOSTILE_PAYLOADS: readonly string[] = [
  // SQL
  "'; DROP TABLE ledger_transfer; --",
  "' OR '1'='1",
  '$$; SELECT pg_sleep(5); $$',
  "Robert'); DROP TABLE audit_event;--",
  'back\\slash \\\\ "double" \'single\' `tick` \\x00 \\0',
  "%' AND 1=1 AND '%_'='%_",
  // Script and HTML
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  'javascript:window.__pwned=1//',
  "{{constructor.constructor('window.__pwned=1')()}}",
  '<svg onload=window.__pwned=1>',
  '"><iframe srcdoc="<b>x</b>">',
  '${window.__pwned=1}',
  // Formulas
  '=HYPERLINK("http://evil.example","x")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1)',
  '\t=1+1',
  '\r=1+1',
  '=1+1\n=2+2',
  // Unicode
  'RTL \u202Eexe.txt\u202C end',
  'zero\u200Bwidth\u200Djoin\u2060er',
  'emoji 🇺🇦 💣 👩‍👩‍👧 𝕏',
  'Боєприпаси 155 мм — «артилерія», ґ є ї',
  'Munitions d’artillerie « 155 mm » — œuvre, été, Ça',
];

/** The payloads that would run script if a page rendered them as HTML or a template. */
export const SCRIPT_PAYLOADS: readonly string[] = HOSTILE_PAYLOADS.filter((p) =>
  /__pwned|<|javascript:/.test(p),
);
