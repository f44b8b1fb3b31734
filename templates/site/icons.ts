import { crc32, deflateSync } from 'node:zlib';

/**
 * The site's icon, drawn here rather than shipped as a binary so it stays reviewable: a red rounded
 * square with a white "P". One PNG size for the feeds' <image>/<logo>/<icon> (RSS caps width at
 * 144), and favicon.ico holding a 32-pixel PNG (an ICO may contain PNG data; every current browser
 * reads it).
 */

const ACCENT = [0xb3, 0x1b, 0x1b] as const;
// The letter on a 5×7 grid; scaled to the icon size.
const GLYPH = ['1111.', '1...1', '1...1', '1111.', '1....', '1....', '1....'];

function pixel(x: number, y: number, size: number): readonly [number, number, number, number] {
  const r = size * 0.18;
  const cx = Math.min(Math.max(x + 0.5, r), size - r);
  const cy = Math.min(Math.max(y + 0.5, r), size - r);
  if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r) return [0, 0, 0, 0];
  const cell = size / 9;
  const gx = Math.floor((x - cell * 2) / cell);
  const gy = Math.floor((y - cell) / cell);
  const on = GLYPH[gy]?.[gx] === '1';
  return on ? [255, 255, 255, 255] : [...ACCENT, 255];
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function iconPng(size: number): Uint8Array {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) Buffer.from(pixel(x, y, size)).copy(row, 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

export function faviconIco(): Uint8Array {
  const png = iconPng(32);
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // an icon
  header.writeUInt16LE(1, 4); // one image
  header.set([32, 32, 0, 0], 6);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(header.length, 18);
  return Buffer.concat([header, png]);
}
