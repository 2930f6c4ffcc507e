/**
 * A workbook that would unpack beyond `LIMITS.xlsxUncompressedBytesMax` is refused from its zip
 * directory, before anything inflates: a crafted zip declaring a 2 GiB part (its data a few
 * bytes) is LIMIT_EXCEEDED naming the limit, quickly and without the memory it claims.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/core/limits.js';
import { readSheet } from '../../src/services/imports/contribution-sheet.js';

/** A zip of one small part whose central directory claims `claimed` bytes uncompressed. */
function lyingZip(claimed: number): Uint8Array {
  const zip = zipSync({ 'xl/worksheets/sheet1.xml': new TextEncoder().encode('<x/>') });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = 0; i + 4 <= zip.length; i++) {
    // Local header (0x04034b50): size at +22; central directory entry (0x02014b50): at +24.
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50) view.setUint32(i + 22, claimed, true);
    if (signature === 0x02014b50) view.setUint32(i + 24, claimed, true);
  }
  return zip;
}

describe('an Excel zip bomb', () => {
  it('is refused from the sizes its zip declares, naming the limit', async () => {
    const before = process.memoryUsage().rss;
    const bytes = lyingZip(2 ** 31 - 1);
    const refusal = await readSheet({ fileName: 'bomb.xlsx', bytes, sha256: '0' }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { field: 'file', limit: 'xlsxUncompressedBytesMax', actual: 2 ** 31 - 1 },
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(LIMITS.xlsxUncompressedBytesMax);
  });

  it('a workbook within the limit is read as before', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('contributions');
    sheet.addRow(['donor', 'title']);
    sheet.addRow(['NLD', 'a title']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const read = await readSheet({ fileName: 'ok.xlsx', bytes, sha256: '0' });
    expect(read.format).toBe('xlsx');
    expect(read.rows).toHaveLength(1);
  });
});
