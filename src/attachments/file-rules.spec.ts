import { crc32, deflateSync } from 'node:zlib';
import { Workbook } from 'exceljs';
import { fileTypeFromBuffer } from 'file-type/core';
import { allowedType, AllowedType, contentDisposition, MAX_FILENAME_LENGTH, storedFilename } from './file-rules';

const type = (mime: string): AllowedType => ({ ...allowedType(mime)!, toString: () => mime }) as AllowedType;
const PNG = type('image/png');
const PDF = type('application/pdf');
const JPG = type('image/jpeg');

function chunk(kind: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real 2×2 RGB PNG. */
function png(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const scanlines = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A stored (uncompressed) zip of the given entries, enough for a docx to be recognised by its parts. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const DOCX_CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

describe('allowedType (by content)', () => {
  const detect = async (bytes: Buffer) => allowedType((await fileTypeFromBuffer(bytes))?.mime)?.ext ?? null;

  it('recognises PNG, JPG and PDF bytes', async () => {
    expect(await detect(png())).toBe('png');
    expect(await detect(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]))).toBe('jpg');
    expect(await detect(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n'))).toBe('pdf');
  });

  it('recognises an xlsx written by exceljs and a docx by its parts', async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('表').addRow(['项目', 1]);
    expect(await detect(Buffer.from(await workbook.xlsx.writeBuffer()))).toBe('xlsx');
    expect(await detect(zip({ '[Content_Types].xml': DOCX_CONTENT_TYPES, 'word/document.xml': '<w:document/>' }))).toBe('docx');
  });

  it('refuses text, a zip of something else, a GIF and nothing at all', async () => {
    expect(await detect(Buffer.from('This is plainly a text file, whatever its name says.\n'))).toBeNull();
    expect(await detect(zip({ 'notes.txt': 'hello' }))).toBeNull();
    expect(await detect(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))).toBeNull();
    expect(allowedType(undefined)).toBeNull();
  });
});

describe(storedFilename.name, () => {
  it.each([
    ['证据材料.png', PNG, '证据材料.png'],
    ['scan.pdf', PNG, 'scan.png'],
    ['photo.JPEG', JPG, 'photo.JPEG'],
    ['../../etc/passwd', PDF, 'passwd.pdf'],
    ['C:\\Users\\李\\协议书.pdf', PDF, '协议书.pdf'],
    ['..', PDF, 'attachment.pdf'],
    ['', PNG, 'attachment.png'],
    [undefined, PNG, 'attachment.png'],
    ['.hidden.pdf', PDF, 'hidden.pdf'],
    ['a\u0000b\r\nc<>:"|?*.pdf', PDF, 'a_b__c_______.pdf'],
    ['会议纪要2024.03', PDF, '会议纪要2024.03.pdf'],
    ['  spaced   name  .pdf ', PDF, 'spaced name.pdf'],
  ])('%j holding %s content → %j', (original, allowed, expected) => {
    expect(storedFilename(original, allowed)).toBe(expected);
  });

  it('keeps at most 255 characters and the extension', () => {
    const name = storedFilename(`${'长'.repeat(300)}.pdf`, PDF);
    expect(Array.from(name)).toHaveLength(MAX_FILENAME_LENGTH);
    expect(name.endsWith('长.pdf')).toBe(true);
  });
});

describe(contentDisposition.name, () => {
  it('sends an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('证据 (1).png')).toBe(`attachment; filename="__ (1).png"; filename*=UTF-8''%E8%AF%81%E6%8D%AE%20%281%29.png`);
    expect(contentDisposition('季度通报.xlsx', 'bulletin-2026-Q2.xlsx')).toBe(
      `attachment; filename="bulletin-2026-Q2.xlsx"; filename*=UTF-8''%E5%AD%A3%E5%BA%A6%E9%80%9A%E6%8A%A5.xlsx`,
    );
  });

  it('cannot be broken out of by quotes or backslashes', () => {
    expect(contentDisposition('a"b\\c.pdf')).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});
